"""Changes → a report: text for a terminal, Markdown for a pull request, JSON for other tools.

Markdown is what a reviewer reads in a pull-request comment (``long=False``: at most
:data:`COMMENT_LIMIT` bytes, GitHub's 65,536-character limit counted in UTF-8 bytes so that it
holds for any text) or in the job summary (``long=True``: at most :data:`SUMMARY_LIMIT`, GitHub's
1 MiB per step). What does not fit is cut at a whole row, with a visible line saying how many
changes are left out. Every value is record text, so every value goes through the Markdown
renderer's own escaping (:func:`ropa_build.render.markdown.escape`): it stays literal text, one
line, inside its cell. The JSON follows ``schema/diff.schema.json``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from typing import Any

from pydantic import BaseModel

from ropa_build.diff.compare import Change
from ropa_build.diff.excerpt import changed_words
from ropa_build.diff.git import Snapshot
from ropa_build.diff.meanings import Meanings
from ropa_build.models import Organisation, Record, System
from ropa_build.models.states import value_type
from ropa_build.render.markdown import escape

COMMENT_LIMIT = 65_536
SUMMARY_LIMIT = 1_048_576
MARKER = "<!-- ropa-diff -->"  # finds the pull request's comment to update in place
_SHOWN = {False: 1_500, True: 200_000}  # characters of one value shown (comment, long form)
_PROBLEMS_SHOWN = 20  # per side in Markdown (the text and JSON list them all)
_FOLDED = 200  # a longer value (or one of several lines) is folded into <details>
_SYMBOL = {"review": "!", "content": "~", "editorial": "·"}
_COLOUR = {"review": "\033[1;31m", "content": "\033[33m", "editorial": "\033[2m"}
_BOLD, _GREEN, _RESET = "\033[1m", "\033[32m", "\033[0m"


def report(
    base: Snapshot,
    head: Snapshot,
    changes: list[Change],
    meanings: Meanings,
    *,
    form: str = "text",
    lang: str = "en",
    long: bool = False,
    colour: bool = False,
    categories: dict[str, str] | None = None,
) -> str:
    """The report in ``form`` (text, markdown or json), worded in ``lang``.

    ``categories``: data-category names by id (the labels' ``categories_short``); people read
    "helbredsoplysninger (health_genetic)", JSON keeps the ids."""
    words = meanings.words[lang]
    head_label = words["working_tree"] if head.commit is None else head.label
    if form == "json":
        return _json(base, head, head_label, changes, meanings, lang)
    changes = [_named(change, categories or {}) for change in changes]
    if form == "markdown":
        return _markdown(base, head, head_label, changes, meanings, lang, long)
    return _text(base, head, head_label, changes, meanings, lang, colour)


def summary_rows(
    head: Snapshot,
    changes: list[Change],
    meanings: Meanings,
    lang: str,
    categories: dict[str, str] | None = None,
) -> tuple[str, list[tuple[str, list[tuple[str, str]]]]]:
    """The report's summary line, and per part (organisation, catalogue, each activity) a
    (field, code and meaning) row per change: the Word changes document's first page."""
    words = meanings.words[lang]
    line = summary_line(changes, meanings, lang)
    groups = []
    for heading, items in _groups([_named(c, categories or {}) for c in changes], meanings, lang):
        rows = []
        for change in items:
            meaning = f"{change.code} · {meanings.meaning(change.code, lang)}"
            if change.reaches:
                meaning += "\n" + _reaches(change, head, words)
            rows.append((_field_label(change, lang, words), meaning))
        groups.append((heading, rows))
    return line, groups


def summary_line(changes: list[Change], meanings: Meanings, lang: str) -> str:
    """ "4 changes affecting 6 activities; 3 need DPO review" ("1 change affecting 1 activity;
    1 needs …"), or that nothing changed."""
    words = meanings.words[lang]
    if not changes:
        return words["no_changes"]
    counts = _summary(changes, meanings)
    return words["summary"].format(
        **{key: words[key][n != 1].format(n=n) for key, n in counts.items()}
    )


def _summary(changes: list[Change], meanings: Meanings) -> dict[str, int]:
    activities = {c.subject for c in changes if c.scope == "record"}
    activities |= {r for c in changes for r in c.reaches}
    review = sum(meanings.significance(c.code) == "review" for c in changes)
    return {"changes": len(changes), "activities": len(activities), "review": review}


def _groups(changes: list[Change], meanings: Meanings, lang: str) -> list[tuple[str, list[Change]]]:
    """(heading, changes) per part: organisation, catalogue, vocabularies, each activity."""
    words = meanings.words[lang]
    groups: dict[tuple[str, str], list[Change]] = {}
    for change in changes:
        subject = change.subject if change.scope == "record" else ""
        groups.setdefault((change.scope, subject), []).append(change)
    out = []
    for (scope, subject), items in groups.items():
        if scope == "record":
            heading = f"{items[0].title} ({subject})"
            if items[0].renamed_from:
                heading += ", " + words["renamed_from"].format(old=items[0].renamed_from)
        else:
            heading = words[scope]
        out.append((heading, items))
    return out


def _named(change: Change, names: dict[str, str]) -> Change:
    """Category ids in a change's values shown with their names."""
    if not names or not (change.path[-1:] == ("categories",) or "receives" in change.path[:-1]):
        return change

    def name(value: Any) -> Any:
        if isinstance(value, list):
            return [name(v) for v in value]
        return f"{names[value]} ({value})" if isinstance(value, str) and value in names else value

    return dataclasses.replace(change, before=name(change.before), after=name(change.after))


def _sides(base: Snapshot, head: Snapshot, head_label: str):
    """(base or head, its label, its problems) for each side that has problems."""
    sides = [
        ("base", base.label, base.problems),
        ("head", head_label, head.problems),
    ]
    return [(side, label, problems) for side, label, problems in sides if problems]


# --- field labels ---------------------------------------------------------------------------


def _field_label(change: Change, lang: str, words: dict[str, str]) -> str:
    """The field as the register's models name it (``title`` / ``title_da``), joined by ›."""
    if change.scope == "vocabulary":
        return " › ".join(change.path)
    if not change.path:
        return words["file"]  # a record added, removed or renamed
    start = {"record": Record, "organisation": Organisation, "catalogue": System}[change.scope]
    parts, path = [], change.path
    if change.scope == "catalogue":
        parts, path = [path[0]], path[1:]
    current: Any = start
    for segment in path:
        current = _unwrap(current)
        if segment.startswith("[") or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            parts.append(segment[1:-1] if segment.startswith("[") else segment)
            origin = typing.get_origin(current)
            current = typing.get_args(current)[-1] if origin in (dict, list) else None
            continue
        info = current.model_fields.get(segment)
        if info is None:
            parts.append(segment)
            current = None
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        parts.append(str(extra.get("title_da")) if lang == "da" else str(info.title))
        current = info.annotation
    return " › ".join(parts)


_unwrap = value_type  # X | None → X; a field that allows a state → its value's type


def _show(value: Any, empty: str) -> str:
    """A value as plain text: mappings as ``key: value`` lines, lists joined by commas."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "\n".join(
            f"{k}: {_show(v, empty)}" for k, v in value.items() if v not in (None, [], {})
        )
    if isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            return ", ".join(_show(v, empty) for v in value)
        return "\n".join(_show(v, empty) for v in value)
    return str(value).rstrip()  # a block scalar's final line break shows as nothing


# --- text -----------------------------------------------------------------------------------


def _text(base, head, head_label, changes, meanings, lang, colour) -> str:
    """Every piece of record text goes through :func:`_visible` before colours are added."""
    words = meanings.words[lang]

    def paint(style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if colour else text

    lines = [paint(_BOLD, _visible(f"{words['title']}: {base.label} → {head_label}"))]
    lines.append(summary_line(changes, meanings, lang))
    for side, label, problems in _sides(base, head, head_label):
        lines += ["", _visible(words["problems"].format(side=side.upper(), label=label))]
        lines += [f"  {_visible(str(p))}" for p in problems]
    for heading, items in _groups(changes, meanings, lang):
        lines += ["", paint(_BOLD, _visible(heading))]
        for change in items:
            level = meanings.significance(change.code)
            label = paint(_COLOUR[level], f"{_SYMBOL[level]} {change.code}")
            lines.append(f"  {label}  {_visible(_field_label(change, lang, words))}")
            for name, value in (("before", change.before), ("after", change.after)):
                shown = _visible(_show(value, words["empty"])).replace("\n", "\n" + " " * 14)
                lines.append(f"      {words[name] + ':':<8}{shown}")
            if len(_show(change.before, "")) + len(_show(change.after, "")) > 80:
                marks = (
                    lambda t: _visible(t).replace("\n", "↵"),
                    lambda t: paint(
                        _COLOUR["review"], "[-" + _visible(t).replace("\n", "↵") + "-]"
                    ),
                    lambda t: paint(_GREEN, "{+" + _visible(t).replace("\n", "↵") + "+}"),
                )
                excerpt = changed_words(change.before, change.after, marks)
                if excerpt:
                    lines.append(f"      {'±':<8}{excerpt}")
            meaning = meanings.meaning(change.code, lang)
            lines.append(f"      {paint(_COLOUR[level], meaning)}")
            if change.reaches:
                lines.append("      " + _visible(_reaches(change, head, words)))
    return "\n".join(lines) + "\n"


# Controls (ESC too) and the bidirectional overrides ("Trojan source"): a terminal obeys them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    """Text for a terminal: every control shown as an escape (``\\u202e``), never obeyed."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _reaches(change: Change, head: Snapshot, words: dict[str, str]) -> str:
    everyone = set(change.reaches) == set(head.records) and len(head.records) > 1
    named = words["all_activities"] if everyone else ", ".join(change.reaches)
    return words["reaches"].format(activities=named)


# --- markdown -------------------------------------------------------------------------------


def _markdown(base, head, head_label, changes, meanings, lang, long) -> str:
    words = meanings.words[lang]
    limit = SUMMARY_LIMIT if long else COMMENT_LIMIT
    summary = summary_line(changes, meanings, lang)
    top = [
        MARKER,
        f"### {_md(words['title'])}",
        "",
        f"**{_md(summary if changes else words['no_changes'])}** · "
        f"{_md(base.label)} → {_md(head_label)}",
        "",
    ]
    for side, label, problems in _sides(base, head, head_label):
        top += [_md(words["problems"].format(side=side.upper(), label=label)), ""]
        top += [f"- {_md(str(p))}" for p in problems[:_PROBLEMS_SHOWN]]
        if len(problems) > _PROBLEMS_SHOWN:
            top.append(
                f"- {_md(words['more_problems'].format(count=len(problems) - _PROBLEMS_SHOWN))}"
            )
        top.append("")
    parts = ["\n".join(top) + "\n"]
    used = _size(parts[0])
    reserve = _size(_cut_line(words, len(changes)))  # room for the line saying what is cut
    header = "| " + " | ".join(_md(words[w]) for w in ("field", "before", "after", "meaning"))
    shown = 0
    for heading, items in _groups(changes, meanings, lang):
        block = f"#### {_md(heading)}\n\n{header} |\n|---|---|---|---|\n"
        size, rows = _size(block) + 1, []  # + the blank line after the table
        for change in items:
            row = _row(change, head, meanings, lang, long)
            if used + size + _size(row) + reserve > limit:
                break
            rows.append(row)
            size += _size(row)
        if rows:
            parts += [block, *rows, "\n"]
            used += size
            shown += len(rows)
        if len(rows) < len(items):
            parts.append(_cut_line(words, len(changes) - shown))
            break
    return "".join(parts)


def _row(change: Change, head: Snapshot, meanings: Meanings, lang: str, long: bool) -> str:
    words = meanings.words[lang]
    meaning = f"**{_md(change.code)}** · {_md(meanings.meaning(change.code, lang))}"
    if change.reaches:
        meaning += "<br>" + _md(_reaches(change, head, words))
    before = _value(change.before, words, long)
    after = _value(change.after, words, long, changed_words(change.before, change.after, _MD_MARKS))
    if _short(change.before) and _short(change.after):  # each whole, its changed words marked
        gone, came = _MD_MARKS[1], _MD_MARKS[2]
        before = (
            changed_words(change.before, change.after, (_md, gone, _none), whole=True) or before
        )
        after = changed_words(change.before, change.after, (_md, _none, came), whole=True) or after
    cells = [_md(_field_label(change, lang, words)), before, after, meaning]
    return "| " + " | ".join(cells) + " |\n"


def _short(value: Any) -> bool:
    """Text that a cell shows unfolded."""
    return isinstance(value, str) and len(value) <= _FOLDED and value.count("\n") < 3


def _none(text: str) -> str:
    return ""


def _value(value: Any, words: dict[str, str], long: bool, excerpt: str | None = None) -> str:
    """A cell: short values as they are; long ones folded, the summary showing the changed
    words (``excerpt``) or the first line."""
    text = _show(value, words["empty"])
    limit = _SHOWN[long]
    if len(text) > limit:
        text = text[:limit] + words["value_cut"]  # cut before escaping: an escape stays whole
    if len(text) <= _FOLDED and text.count("\n") < 3:
        return _md(text)
    summary = excerpt or _md(text.split("\n", 1)[0][:80]) + "…"
    return f"<details><summary>{summary}</summary>{_md(text)}</details>"


_MD_MARKS = (lambda t: _md(t), lambda t: f"<del>{_md(t)}</del>", lambda t: f"<ins>{_md(t)}</ins>")


def _md(text: str) -> str:
    """Literal text on one line; '#' too, so a heading's text cannot close the heading."""
    return escape(text).replace("#", "\\#")


def _cut_line(words: dict[str, str], count: int) -> str:
    return f"\n> **{_md(words['truncated'].format(count=count))}**\n"


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


# --- json -----------------------------------------------------------------------------------


def _json(base, head, head_label, changes, meanings, lang) -> str:
    document = {
        "schema": "ropa-diff/1",
        "lang": lang,
        "base": {"label": base.label, "commit": base.commit},
        "head": {"label": head_label, "commit": head.commit},
        "summary": _summary(changes, meanings),
        "problems": [
            {"side": side, **vars(p)}
            for side, _, problems in _sides(base, head, head_label)
            for p in problems
        ],
        "changes": [
            {
                "code": c.code,
                "significance": meanings.significance(c.code),
                "meaning": meanings.codes[c.code][lang],
                "scope": c.scope,
                "subject": c.subject,
                "title": c.title,
                "renamed_from": c.renamed_from,
                "path": list(c.path),
                "field": _field_label(c, lang, meanings.words[lang]),
                "before": c.before,
                "after": c.after,
                "reaches": list(c.reaches),
            }
            for c in changes
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
