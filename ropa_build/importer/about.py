"""The register's own section, "Om fortegnelsen" / "About this register", read back into
``organisation.yaml``'s ``document:`` and ``open_points:``.

The build writes it before the contents, in the activities' table layout
(:func:`ropa_build.render.register_parts.about_sections`): one row per part — introduction,
scope, roles, approval ("Godkendt af {by} den {date} (version {version})"), one row per version
log entry ("Version {version}, {date} — by — changes"), next review, review triggers (a list) —
then the register's open points, one row each. The words are the label files' (both languages).

A version log entry with one part after its head is read as its changes (``by`` and
``changes`` are both optional and written alike: the document cannot say which it was); the
report says so.
"""

from __future__ import annotations

import re

from ropa_build.importer.days import parse_date
from ropa_build.importer.grid import Para, Table
from ropa_build.importer.labels import Labels
from ropa_build.importer.states import finding_about, open_point
from ropa_build.importer.text import best, markdown, plain_lines

_TEXTS = ("introduction", "scope", "roles")


def is_about(table: Table, labels: Labels) -> bool:
    """The table's first section label is the register's own ("Om fortegnelsen") or its open
    points before any activity."""
    for row in table.rows:
        first = next((c for c in row if c is not None), None)
        if first is not None and first.text:
            return labels.section(first.text) in ("about", "open_points")
    return False


def read_about(table: Table, labels: Labels) -> tuple[dict, list[dict], list, list[str]]:
    """``document:`` entries, ``open_points:``, accepted findings ((catalogue entry's name or
    None, item)) and notes for the report, from the table."""
    document: dict = {}
    accepted: list[tuple[str | None, dict]] = []
    points: list[dict] = []
    notes: list[str] = []
    section = None
    words = _words(labels)
    entries: list[tuple[str | None, object, list[Para], int]] = []
    for number, row in enumerate(table.rows, 1):
        cells = list(dict.fromkeys(c for c in row if c is not None))
        if len(cells) < 2:
            continue
        head, label, content = cells[0], cells[1], cells[2:]
        if head.row == number and head.text:
            section = labels.section(head.text) or section
        paras = [p for c in content if c.row == number for p in c.paras]
        if label.row != number:  # a long row's next part: its description is merged down
            if entries and entries[-1][1] is label:
                entries[-1][2].extend(paras)
            continue
        if label.text:
            entries.append((section, label, paras, number))
    for section, label, paras, number in entries:
        where = f"table {table.number}, row {number}"
        if section == "open_points":
            kind = labels.point(label.text)
            if kind:
                points.append(open_point(kind, paras, labels))
                continue
        if section == "notes" and _accepted(paras, labels, accepted):
            continue
        key, _ = best(label.text, words, 0.85)
        key = key.split(":")[1] if key else None
        if not _part(document, key, paras, labels):
            notes.append(f"{where}: '{label.text}' was not understood; left out, add it by hand")
        elif key == "version_log" and len(_rest(paras)) == 1:
            notes.append(f"{where}: the version log entry's one detail was read as its changes")
    return document, points, accepted, notes


def _accepted(paras: list[Para], labels: Labels, out: list) -> bool:
    """ "**What (System):** why": an accepted finding of organisation.yaml or of a catalogue
    entry; False when the row is not one."""
    text = " ".join(" ".join(p.text for p in paras).split())
    head, colon, reason = text.partition(": ")
    rule, about = finding_about(head, labels) if colon else (None, None)
    if rule:
        out.append((about, {"rule": rule, "reason": reason}))
    return rule is not None


def _words(labels: Labels) -> dict[str, str]:
    return {
        f"{lang}:{key}": data["register"][key]
        for lang, data in labels.by_lang.items()
        for key in (*_TEXTS, "approved", "version_log", "next_review", "review_triggers")
    }


def _part(document: dict, key: str | None, paras: list[Para], labels: Labels) -> bool:
    """Put one row into ``document``; False when it is not understood."""
    text = " ".join(" ".join(p.text for p in paras).split())
    if key in _TEXTS:
        document[key] = markdown(paras)
    elif key == "approved":
        found = _approved(text, labels)
        if found is None:
            return False
        document["approved"] = found
    elif key == "version_log":
        entry = _entry(paras, labels)
        if entry is None:
            return False
        document.setdefault("version_log", []).append(entry)
    elif key == "next_review":
        day = parse_date(text, labels)
        if day is None:
            return False
        document["next_review"] = day
    elif key == "review_triggers":
        document["review_triggers"] = plain_lines(paras)
    else:
        return False
    return True


def _template(text: str, **names: str) -> re.Pattern:
    """A label with ``{name}`` placeholders as a pattern with named groups."""
    pattern = re.escape(text)
    for name, group in names.items():
        pattern = pattern.replace(re.escape(f"{{{name}}}"), f"(?P<{name}>{group})")
    return re.compile(pattern)


def _approved(text: str, labels: Labels) -> dict | None:
    for data in labels.by_lang.values():
        words = data["register"]
        line = _template(words["approved_line"], by=".+?", date=".+?").pattern
        version = _template(words["version_of"], version=".+?").pattern
        found = re.fullmatch(rf"{line}(?: \({version}\))?", text)
        day = parse_date(found["date"], labels) if found else None
        if found and day:
            approval = {"by": found["by"], "date": day}
            return {**approval, "version": found["version"]} if found["version"] else approval
    return None


def _entry(paras: list[Para], labels: Labels) -> dict | None:
    text = " ".join(" ".join(p.text for p in paras).split())
    head, *rest = text.split(" — ")
    for data in labels.by_lang.values():
        found = _template(data["register"]["version_entry"], version=".+?", date=".+").fullmatch(
            head
        )
        day = parse_date(found["date"], labels) if found else None
        if found and day:
            entry: dict = {"version": found["version"], "date": day}
            if len(rest) >= 2:
                entry["by"] = rest[0]
            if rest:
                entry["changes"] = " — ".join(rest[1:] if len(rest) >= 2 else rest)
            return entry
    return None


def _rest(paras: list[Para]) -> list[str]:
    return " ".join(p.text for p in paras).split(" — ")[1:]
