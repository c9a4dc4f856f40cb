"""The subject groups of an activity: one per "Oplysninger, som behandles om <name>" block,
with the checklist's marked lines as category ids.

A checklist line is matched to a category by the label files' wording (fuzzy: the template's
lines are retyped); a line broken across a page is joined back first; a line in the document's
own words ("…, herunder navn, telefonnummer og e-mail") is kept as the group's ``wording`` of
that category, so the build shows it as the document did. A marked line that is no category is
kept in the group's details, with a note; an empty template block is left out and reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ropa_build.importer import fields
from ropa_build.importer.catalogue import ident
from ropa_build.importer.grid import Para, Run
from ropa_build.importer.labels import Labels
from ropa_build.importer.text import markdown, normal

if TYPE_CHECKING:
    from ropa_build.importer.entries import Entry, Imported


def subject_groups(
    rec: dict, imported: Imported, entries: list[Entry], labels: Labels
) -> list[dict]:
    groups: list[dict] = []
    for entry in entries:
        paras = _without_intro(entry.paras, labels)
        lines = _join_lines(entry.lines, labels)
        categories: list[str] = []
        wording: list[str] = []  # checked lines that are no category: kept in the details
        own: dict[str, str] = {}  # a category's line in the document's own words
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
            if line.score < 1.0 and line.category not in own:
                own[line.category] = line.text  # the document's own wording of the line
            if line.checked and line.category not in categories:
                categories.append(line.category)
        details = "\n\n".join(
            filter(None, [markdown(paras), *(markdown(_para(w)) for w in wording)])
        )
        if not categories and not details:
            imported.unmapped.append(
                (entry.where, f"empty template block '{entry.label}' left out")
            )
            continue
        base, n = ident(entry.label, "group"), 1
        while any(g["id"] == (base if n == 1 else f"{base}-{n}") for g in groups):
            n += 1
        group = {"id": base if n == 1 else f"{base}-{n}", "name": entry.label}
        group["categories"] = categories
        if details:
            group["details"] = details
        if own:
            group["wording"] = own
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
