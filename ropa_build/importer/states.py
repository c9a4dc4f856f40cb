"""What the build writes in words where a value is not a value, read back into the structure.

An explicit state is written "**Ikke relevant** — why" (:func:`ropa_build.render.blocks.state`):
read back as ``{state: not-applicable, note: why}``. A field left out is written "Ikke udfyldt":
read back as nothing. An open point is a row of the section "Åbne punkter", its kind the row's
label, its description the content, and a closing line "rejst af …, den …, vedrører …": read
back as an entry of ``open_points:``. The words are the label files' (both languages), so what
the build writes and what the import reads cannot drift apart.
"""

from __future__ import annotations

import re

from ropa_build.importer.days import parse_date
from ropa_build.importer.grid import Para
from ropa_build.importer.labels import Labels
from ropa_build.importer.text import markdown, normal

_DASH = " — "


def _filled(paras: list[Para]) -> list[Para]:
    return [p for p in paras if p.text.strip()]


def state(paras: list[Para], labels: Labels) -> dict | None:
    """``{state, note}`` when the content is one paragraph saying a state in words, else None."""
    filled = _filled(paras)
    return state_text(filled[0].text, labels) if len(filled) == 1 else None


def state_text(text: str, labels: Labels) -> dict | None:
    head, _, note = " ".join(text.split()).partition(_DASH)
    key = labels.states.get(normal(head))
    if key is None:
        return None
    return {"state": key, "note": note.strip()} if note.strip() else {"state": key}


def missing(paras: list[Para], labels: Labels) -> bool:
    """The content is the build's "Ikke udfyldt" (a field left out): nothing to import."""
    filled = _filled(paras)
    return len(filled) == 1 and normal(filled[0].text) in labels.missing


def stated_none(paras: list[Para], labels: Labels) -> bool:
    """ "Ingen" not in bold: what the build writes for a party stated as ``null`` and for a
    recipient part with nobody in it (a state is written in bold)."""
    filled = _filled(paras)
    if len(filled) != 1 or any(run.bold for run in filled[0].runs if run.text.strip()):
        return False
    return labels.states.get(normal(filled[0].text)) == "none"


def text_or_state(paras: list[Para], labels: Labels) -> str | dict:
    """A text field's value: its state where it says one, else its Markdown."""
    return state(paras, labels) or markdown(paras)


def with_notes(text: str, labels: Labels) -> tuple[dict | None, list[str]]:
    """ "Skal verificeres (why)" — a transfer's mechanism written as a state, then the notes in
    parentheses (the country's first, where the country is a state too): the state and the
    notes, or (None, []) when the text is no state."""
    clean = " ".join(text.split())
    for words, key in labels.states.items():
        if not normal(clean).startswith(words):
            continue
        notes = _parenthesised(clean[len(words) :].strip())
        if notes is not None:
            return {"state": key}, notes
    return None, []


def _parenthesised(text: str) -> list[str] | None:
    """ "(a) (b (c))" → ["a", "b (c)"]; None unless the text is only such groups."""
    groups, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth, start = depth + 1, (i if depth == 0 else start)
        elif char == ")":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                groups.append(text[start + 1 : i])
        elif depth == 0 and not char.isspace():
            return None
    return groups if depth == 0 else None


def open_point(kind: str, paras: list[Para], labels: Labels) -> dict:
    """An open point's row: the description, and who raised it, when, and what it is about
    (the closing line is read only when all of it is understood; else it stays description)."""
    filled = _filled(paras)
    point: dict = {"kind": kind}
    meta = _raised(filled[-1].text, labels) if len(filled) > 1 else None
    if meta and meta.get("date"):
        meta["date"] = parse_date(meta["date"], labels)
        meta = meta if meta["date"] else None
    point["description"] = markdown(filled[:-1] if meta else filled)
    if meta:
        if meta.get("about"):
            point["about"] = labels.about.get(normal(meta["about"]), meta["about"])
        if meta.get("by"):
            point["raised_by"] = meta["by"]
        if meta.get("date"):
            point["raised"] = meta["date"]
    return {
        k: point[k] for k in ("kind", "description", "about", "raised_by", "raised") if k in point
    }


def _raised(text: str, labels: Labels) -> dict | None:
    clean = " ".join(text.split())
    for pattern in labels.raised:
        found = pattern.match(clean)
        if found and any(found.groupdict().values()):
            return {k: v for k, v in found.groupdict().items() if v}
    return None


def finding(text: str, labels: Labels) -> str | None:
    """The rule whose plain words ("Oplysninger opbevares uden fast slettefrist") head an
    accepted finding in the document."""
    return labels.findings.get(normal(re.sub(r":\s*$", "", text)))


def finding_about(head: str, labels: Labels) -> tuple[str | None, str | None]:
    """ "En databehandler uden angivet databehandleraftale (CRM & Co)": the rule, and the
    catalogue entry it is about (in parentheses), where the head says one."""
    rule = finding(head, labels)
    if rule:
        return rule, None
    found = re.fullmatch(r"(?P<what>.+) \((?P<about>[^()]+)\):?", head.strip())
    return (finding(found["what"], labels), found["about"]) if found else (None, None)
