"""The document's small parts that give body text its meaning: links, list kinds, list styles.

``word/_rels/document.xml.rels`` maps a hyperlink's ``r:id`` to its target; ``numbering.xml``
says whether a numbered paragraph is a bullet or an ordered item; ``styles.xml`` says which
paragraph styles number their paragraphs (Word's "List Bullet" does, without a ``w:numPr`` in
the paragraph itself).
"""

from __future__ import annotations

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def w(name: str) -> str:
    return f"{{{_W}}}{name}"


def num_pr(num) -> tuple[str, int] | None:
    if num is None or num.find(w("numId")) is None:
        return None
    number = num.find(w("numId")).get(w("val"), "0")
    level = num.find(w("ilvl"))
    return (number, _level(level)) if number != "0" else None


def _level(element) -> int:
    try:
        return max(0, min(int(element.get(w("val"), "0")), 8)) if element is not None else 0
    except ValueError:
        return 0


def relationships(root) -> dict[str, str]:
    if root is None:
        return {}
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in root.iter(f"{{{_REL}}}Relationship")
        if rel.get("TargetMode") == "External"
    }


def numbering(root) -> dict[tuple[str, int], str]:
    """(numId, level) → 'bullet', 'ordered' or 'none' (a list without markers)."""
    if root is None:
        return {}
    formats: dict[tuple[str, int], str] = {}
    for abstract in root.iter(w("abstractNum")):
        key = abstract.get(w("abstractNumId"), "")
        for lvl in abstract.iter(w("lvl")):
            fmt = lvl.find(w("numFmt"))
            value = fmt.get(w("val"), "bullet") if fmt is not None else "bullet"
            kind = value if value in ("bullet", "none") else "ordered"
            formats[(key, _level_attr(lvl))] = kind
    out: dict[tuple[str, int], str] = {}
    for num in root.iter(w("num")):
        abstract = num.find(w("abstractNumId"))
        key = abstract.get(w("val"), "") if abstract is not None else ""
        for (owner, level), kind in formats.items():
            if owner == key:
                out[(num.get(w("numId"), ""), level)] = kind
    return out


def _level_attr(lvl) -> int:
    try:
        return int(lvl.get(w("ilvl"), "0"))
    except ValueError:
        return 0


def style_lists(root) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (Word's "List Bullet"), through basedOn."""
    if root is None:
        return {}
    own: dict[str, tuple[str, int] | None] = {}
    based: dict[str, str] = {}
    for style in root.iter(w("style")):
        sid = style.get(w("styleId"), "")
        own[sid] = num_pr(style.find(f"{w('pPr')}/{w('numPr')}"))
        parent = style.find(w("basedOn"))
        if parent is not None:
            based[sid] = parent.get(w("val"), "")
    out: dict[str, tuple[str, int]] = {}
    for sid in own:
        current, hops = sid, 0
        while current and own.get(current) is None and hops < 10:
            current, hops = based.get(current, ""), hops + 1
        if own.get(current):
            out[sid] = own[current]
    return out
