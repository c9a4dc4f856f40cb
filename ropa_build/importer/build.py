"""Assemble one record from an activity's recognised rows, and the catalogue they name.

Kept apart from :mod:`ropa_build.importer.mapping` (which finds the rows) so that each is one
step: here a row's content becomes the record's structure — subject groups with their checked
categories, recipients as catalogue references split internal / processors / others, transfer
items, retention rules — and every value is noted with the table, row and column it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

import pycountry
from babel import Locale

from ropa_build.importer import fields
from ropa_build.importer.grid import Para, Run
from ropa_build.importer.labels import PARTY_ROWS, Labels
from ropa_build.importer.text import markdown, normal, plain_lines
from ropa_build.scaffold import slug  # the id rule of `ropa new`, reused

if TYPE_CHECKING:
    from ropa_build.importer.entries import Entry, Imported

_TEXT_FIELDS = {
    "purposes": ("purposes",),
    "processing": ("processing",),
    "security": ("security",),
    "subject_categories": ("data_subjects", "description"),
    "recipients": ("recipients", "description"),
}
# Where a row the import does not recognise is kept, by the section it stands in.
_NEAREST = {
    "purposes": ("purposes",),
    "processing": ("processing",),
    "subjects": ("data_subjects", "description"),
    "recipients": ("recipients", "description"),
    "transfers": ("transfers", "description"),
    "retention": ("retention", "description"),
    "security": ("security",),
}
# A statement that there are no transfers: its country names are not transfers.
_NONE = re.compile(r"\b(ingen overførsler?|no transfers?|overføres ikke|not transferred)\b", re.I)
# Rows whose field holds one value: a second such row is kept as text, with a note.
_ONCE = {*PARTY_ROWS, "controllers", "lawful_basis", "transfers", "retention"}
# The record field each row fills, as the report names it.
_FIELD = {
    "controllers": "controllers",
    "purposes": "purposes",
    "lawful_basis": "lawful_basis",
    "processing": "processing",
    "subject_categories": "data_subjects.description",
    "recipients": "recipients.description",
    "internal": "recipients.internal",
    "processors": "recipients.processors",
    "others": "recipients.others",
    "transfers": "transfers",
    "retention": "retention",
    "accepted": "accepted",
    "security": "security",
}
_PARTS = {"internal": "system", "processors": "processor", "others": "recipient"}
_RANK = {"system": 0, "recipient": 1, "processor": 2}


class Catalogue:
    """Systems and recipients named by the documents, one entry per (name, use), with ids."""

    def __init__(self) -> None:
        self.entries: dict[str, dict] = {}
        self._keys: dict[tuple[str, str], str] = {}

    def ref(self, name: str, used_for: str | None, kind: str) -> str:
        key = (normal(name), normal(used_for or ""))
        if key not in self._keys:
            base = _id(name, "system")
            ident, n = base, 1
            while ident in self.entries:
                n += 1
                ident = f"{base}-{n}"
            self._keys[key] = ident
            entry = {"name": name, "kind": kind}
            if used_for:
                entry = {"name": name, "used_for": used_for, "kind": kind}
            self.entries[ident] = entry
        ident = self._keys[key]
        if _RANK[kind] > _RANK[self.entries[ident]["kind"]]:
            self.entries[ident]["kind"] = kind
        return ident

    def named(self, name: str, among: list[str]) -> str | None:
        """The id of the entry called ``name``, preferring those the activity uses."""
        wanted = normal(name)
        for ident in [*among, *self.entries]:
            if normal(self.entries.get(ident, {}).get("name", "")) == wanted:
                return ident
        return None


def _id(name: str, fallback: str) -> str:
    """An id from a name by the slug rule, short enough (64) to take a "-2" suffix."""
    return slug(name)[:60].rstrip("-") or fallback


def record(
    imported: Imported,
    entries: list[Entry],
    labels: Labels,
    catalogue: Catalogue,
    eea: frozenset[str],
    meta: dict,
) -> dict:
    """The record's data (``role`` is decided after, by the mapping); parties go to
    ``imported.parties`` for organisation.yaml. A second row for a field that holds one value
    (a second DPO row, a second transfers row) is kept as text with a note, never dropped."""
    rec: dict = {"title": imported.title, "role": None}
    _meta(rec, imported, meta)
    groups = _groups(rec, imported, [e for e in entries if e.key == "group"], labels)
    names = {normal(g["name"]): g["id"] for g in groups}
    seen: set[str] = set()
    for entry in entries:
        key = entry.key
        if key == "group":
            continue
        once = PARTY_ROWS.get(key or "", key)  # "processor_organisation" is the controller's
        if key in _ONCE and once in seen:
            _unplaced(rec, imported, entry)
            continue
        seen.add(once or "")
        if key not in PARTY_ROWS:
            imported.placed.append((_FIELD.get(key or "", f"row '{entry.label}'"), entry.where))
        if key in PARTY_ROWS:
            party = PARTY_ROWS[key]
            found = fields.contact(plain_lines(entry.paras))
            imported.parties.setdefault(party, (found, entry.where))
        elif key == "controllers":
            rec["controllers"] = fields.contacts(entry.paras)
        elif key in _TEXT_FIELDS:
            _append(rec, _TEXT_FIELDS[key], markdown(entry.paras))
        elif key == "lawful_basis":
            rec["lawful_basis"] = fields.lawful_basis(entry.paras, labels)
        elif key in _PARTS:
            _recipients(rec, imported, entry, labels, catalogue, names)
        elif key == "transfers":
            _transfers(rec, imported, entry, labels, catalogue, eea)
        elif key == "retention":
            rec["retention"] = fields.retention(entry.paras, labels, names)
        elif key == "accepted":
            rec.setdefault("accepted", []).extend(fields.accepted(entry.paras))
        else:
            _unplaced(rec, imported, entry)
    return _ordered(rec)


def _meta(rec: dict, imported: Imported, meta: dict) -> None:
    for key in ("owner", "updated", "reviewed"):
        if meta.get(key):
            imported.placed.append((key, "the line under the title"))
    if meta.get("owner"):
        rec["owner"] = meta["owner"]
    else:
        rec["owner"] = "TODO(import): the document names no process owner"
    updated = meta.get("updated") or meta.get("month")
    if meta.get("updated") is None and updated:
        imported.placed.append(("updated", "the month under the title"))
        imported.notes.append(("updated", "the document gives only the month; check the day"))
    if updated is None:
        updated = dt.date(1970, 1, 1)
        imported.notes.append(("updated", "the document gives no date: set the real one"))
    rec["updated"] = updated
    rec["reviewed"] = meta.get("reviewed") or updated
    if not meta.get("reviewed"):
        imported.notes.append(
            ("reviewed", "the document gives no review date; set to the update date")
        )


def _append(rec: dict, path: tuple[str, ...], text: str) -> None:
    if not text:
        return
    holder = rec
    for key in path[:-1]:
        holder = holder.setdefault(key, {})
    old = holder.get(path[-1])
    holder[path[-1]] = f"{old}\n\n{text}" if old else text


def _groups(rec: dict, imported: Imported, entries: list[Entry], labels: Labels) -> list[dict]:
    groups: list[dict] = []
    for entry in entries:
        paras = _without_intro(entry.paras, labels)
        lines = _join_lines(entry.lines, labels)
        categories: list[str] = []
        wording: list[str] = []
        for line in lines:
            if line.category is None:
                if line.checked:
                    wording.append(line.text)
                    imported.notes.append(
                        (
                            "data_subjects",
                            f"'{line.text}' is checked but is no data category "
                            f"({line.where}): kept in the group's details; choose its category",
                        )
                    )
                else:
                    imported.unmapped.append((line.where, line.text))
                continue
            if line.checked and line.category not in categories:
                categories.append(line.category)
                if line.score < 1.0:
                    wording.append(line.text)  # the document's own wording of the line
        details = "\n\n".join(
            filter(None, [markdown(paras), *(markdown(_para(w)) for w in wording)])
        )
        if not categories and not details:
            imported.unmapped.append(
                (entry.where, f"empty template block '{entry.label}' left out")
            )
            continue
        ident, n = _id(entry.label, "group"), 1
        while any(g["id"] == (ident if n == 1 else f"{ident}-{n}") for g in groups):
            n += 1
        group = {"id": ident if n == 1 else f"{ident}-{n}", "name": entry.label}
        group["categories"] = categories
        if details:
            group["details"] = details
        groups.append(group)
        imported.placed.append((f"data_subjects.groups[{group['id']}]", entry.where))
    if groups:
        rec.setdefault("data_subjects", {})["groups"] = groups
    return groups


def _para(text: str) -> list[Para]:
    return [Para([Run(text)])]


def _without_intro(paras: list[Para], labels: Labels) -> list[Para]:
    """The group's details without the template's "Oplysninger, som indgår …. Beskriv:"."""
    out = list(paras)
    while out and not out[0].text.strip():
        out.pop(0)
    if out:
        text = " ".join(out[0].text.split())
        for intro in labels.intros:
            if normal(text) == normal(intro):
                return out[1:]
            last = intro.split()[-1]
            if normal(text).startswith(normal(intro)) and last in out[0].text:
                cut = out[0].text.find(last) + len(last)
                return [fields.drop_head(out[0], cut), *out[1:]]
    return out


def _join_lines(lines, labels: Labels):
    """Match each line to a category; a line broken across a page is joined back first."""
    out = []
    for line in lines:
        line.category, line.score = labels.category(line.text)
        previous = out[-1] if out else None
        if previous is not None and line.score < 0.97 and previous.score < 0.97:
            joined = f"{previous.text} {line.text}"
            category, score = labels.category(joined)
            if category and score > max(previous.score, line.score):
                previous.text, previous.category, previous.score = joined, category, score
                previous.checked = previous.checked or line.checked
                continue
        out.append(line)
    return out


def _recipients(rec, imported, entry, labels, catalogue, names) -> None:
    part = entry.key
    uses = rec.setdefault("recipients", {}).setdefault(part, [])
    for use in fields.recipients(entry.paras, labels, names):
        item: dict = {"ref": catalogue.ref(use.name, use.used_for, _PARTS[part])}
        if use.receives:
            item["receives"] = use.receives
        if use.note:
            item["note"] = use.note
        for line in use.unread:
            imported.notes.append(("recipients", f"'{line}' ({entry.where}) was not understood"))
            item["note"] = "; ".join(filter(None, [item.get("note"), line]))
        uses.append(item)


def _transfers(rec, imported, entry, labels, catalogue, eea) -> None:
    description, items = fields.transfers(entry.paras, labels)
    out: dict = {}
    if markdown(description):
        out["description"] = markdown(description)
    used = [u["ref"] for part in _PARTS for u in rec.get("recipients", {}).get(part, [])]
    out["items"] = []
    for item in items:
        found: dict = {"country": item.country}
        found["recipient"] = catalogue.named(item.recipient, used) or item.recipient
        if item.mechanism:
            found["mechanism"] = item.mechanism
        if markdown(item.documentation):
            found["documentation"] = markdown(item.documentation)
        out["items"].append(found)
    if not items and not _NONE.search(" ".join(p.text for p in description)):
        for code, word in countries(" ".join(p.text for p in description), eea):
            out["items"].append({"country": code, "recipient": f"TODO(import): who in {code}?"})
            imported.notes.append(
                (
                    "transfers",
                    f"the statement mentions '{word}' ({code}, a third country) but names no "
                    "recipient or mechanism: a transfer was added for you to complete",
                )
            )
    if not out["items"]:
        del out["items"]
    rec["transfers"] = out


def countries(text: str, eea: frozenset[str]) -> list[tuple[str, str]]:
    """Third countries a free text names (in Danish or English; "makedonske" finds MK)."""
    names: list[tuple[str, str]] = []
    for lang in ("da", "en"):
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and code not in eea and pycountry.countries.get(alpha_2=code):
                names.append((code, normal(name)))
    found: dict[str, str] = {}
    plain = normal(text)
    for code, name in names:
        if " " in name and re.search(rf"\b{re.escape(name)}\b", plain):
            found.setdefault(code, name)
    for word in re.findall(r"[^\W\d_]{5,}|\bUSA\b|\bUK\b", text):
        if word in ("USA", "UK"):
            found.setdefault("US" if word == "USA" else "GB", word)
            continue
        stem = normal(word)[:6]
        for code, name in names:
            if " " not in name and _unprefixed(name).startswith(stem):
                found.setdefault(code, word)
                break
    return list(found.items())


def _unprefixed(word: str) -> str:
    """'nordmakedonien' → 'makedonien': a Danish compass prefix, so "makedonske" finds it."""
    for prefix in ("nord", "syd", "øst", "vest"):
        if word.startswith(prefix) and len(word) > len(prefix) + 4:
            return word[len(prefix) :]
    return word


def _unplaced(rec: dict, imported: Imported, entry: Entry) -> None:
    path = _NEAREST.get(entry.section or "", ("purposes",))
    label = entry.label or "(row without a description)"
    text = markdown([Para([Run(f"{label}:", bold=True)]), *entry.paras])
    _append(rec, path, text)
    imported.notes.append(
        (path[0], f"the row '{label}' ({entry.where}) has no place in the record: kept here")
    )
    imported.unmapped.append((entry.where, f"row '{label}' (kept in {'.'.join(path)})"))


_ORDER = (
    "title",
    "role",
    "owner",
    "updated",
    "reviewed",
    "controllers",
    "processing",
    "purposes",
    "lawful_basis",
    "data_subjects",
    "recipients",
    "transfers",
    "retention",
    "security",
    "accepted",
)


def _ordered(rec: dict) -> dict:
    return {key: rec[key] for key in _ORDER if key in rec}
