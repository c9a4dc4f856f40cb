"""An activity's paragraphs and table, BASE's and HEAD's, as one with revision marks.

Rows are matched by the caller's keys (section label and row description); a row only on one
side is marked as a whole: ``w:trPr/w:ins`` (or ``w:del``) and every run and every paragraph mark
in its cells, because Word neither shows nor accepts a row whose contents are not marked. The
first row of a section holds the section's merged label cell: it is kept unrevised when the
section's first row is on both sides, and otherwise the section is replaced as a whole, so the
vertical merge is whole after accepting or rejecting. Within a row on both sides, each cell is
compared with :func:`ropa_build.diff.redline.diff_paragraphs` (words, marks, formatting).
"""

from __future__ import annotations

import difflib

from lxml import etree

from ropa_build.diff.redline import Revisions, W, diff_paragraphs, inner, marked, tag, xml

RowKey = tuple[str, ...]  # (section label, what names the row in its section)


def diff_body(
    old: list[etree._Element] | None,
    new: list[etree._Element] | None,
    keys: tuple[list[RowKey], list[RowKey]],
    rev: Revisions,
) -> str:
    """An activity's paragraphs and table: ``new`` with the changes from ``old`` marked; either
    may be None (an activity added or removed: all of it inserted or deleted). ``keys``: the
    table rows' keys on each side."""
    if old is None or new is None:
        status, elements = ("+", new) if old is None else ("-", old)
        return "".join(_whole(kind, part, status, rev) for kind, part in _groups(elements or []))
    parts_a, parts_b = _groups(old), _groups(new)
    if [k for k, _ in parts_a] != [k for k, _ in parts_b]:  # another template: no alignment
        return diff_body(old, None, keys, rev) + diff_body(None, new, keys, rev)
    out = []
    for (kind, a), (_, b) in zip(parts_a, parts_b, strict=True):
        if kind == "tbl":
            out.append(_table(a[0], b[0], keys, rev))
        elif [xml(p) for p in a] == [xml(p) for p in b]:
            out.append("".join(xml(p) for p in b))
        else:
            out.append(diff_paragraphs(a, b, rev))
    return "".join(out)


def _groups(elements: list[etree._Element]) -> list[tuple[str, list[etree._Element]]]:
    """Runs of paragraphs, and each table alone."""
    out: list[tuple[str, list[etree._Element]]] = []
    for element in elements:
        kind = "tbl" if tag(element) == "tbl" else "p"
        if kind == "p" and out and out[-1][0] == "p":
            out[-1][1].append(element)
        else:
            out.append((kind, [element]))
    return out


def _whole(kind: str, elements: list[etree._Element], status: str, rev: Revisions) -> str:
    if kind == "p":
        return marked(elements, status, rev)
    table = elements[0]
    rows = "".join(_marked_row(row, status, rev) for row in table.iterfind(f"{{{W}}}tr"))
    return f"<w:tbl>{_table_props(table)}{rows}</w:tbl>"


def _table_props(table: etree._Element) -> str:
    return "".join(xml(child) for child in table if tag(child) in ("tblPr", "tblGrid"))


def _table(
    old: etree._Element, new: etree._Element, keys: tuple[list[RowKey], list[RowKey]], rev
) -> str:
    sections_a, sections_b = (
        _sections(list(table.iterfind(f"{{{W}}}tr")), side_keys)
        for table, side_keys in ((old, keys[0]), (new, keys[1]))
    )
    matcher = difflib.SequenceMatcher(
        None, [s[0] for s in sections_a], [s[0] for s in sections_b], autojunk=False
    )
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pairs = zip(sections_a[i1:i2], sections_b[j1:j2], strict=True)
            out += [_section(a[1], b[1], rev) for a, b in pairs]
            continue
        out += [_marked_row(row, "-", rev) for _, rows in sections_a[i1:i2] for _, row in rows]
        out += [_marked_row(row, "+", rev) for _, rows in sections_b[j1:j2] for _, row in rows]
    return f"<w:tbl>{_table_props(new)}{''.join(out)}</w:tbl>"


def _sections(rows: list[etree._Element], keys: list[RowKey]):
    """[(section label, [(row key, row)])] in order."""
    if len(rows) != len(keys):
        raise ValueError(f"{len(rows)} rows in the table, {len(keys)} in the view")
    out: list[tuple[str, list]] = []
    for key, row in zip(keys, rows, strict=True):
        if not out or out[-1][0] != key[0]:
            out.append((key[0], []))
        out[-1][1].append((key, row))
    return out


def _section(old: list, new: list, rev: Revisions) -> str:
    """One section on both sides; its merged label cell stays whole (see the module's note)."""
    if old[0][0] != new[0][0]:
        return "".join(
            [_marked_row(row, "-", rev) for _, row in old]
            + [_marked_row(row, "+", rev) for _, row in new]
        )
    matcher = difflib.SequenceMatcher(
        None, [k for k, _ in old], [k for k, _ in new], autojunk=False
    )
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out += [_row(a, b, rev) for (_, a), (_, b) in zip(old[i1:i2], new[j1:j2], strict=True)]
            continue
        out += [_marked_row(row, "-", rev) for _, row in old[i1:i2]]
        out += [_marked_row(row, "+", rev) for _, row in new[j1:j2]]
    return "".join(out)


def _row(old: etree._Element, new: etree._Element, rev: Revisions) -> str:
    cells_a, cells_b = old.findall(f"{{{W}}}tc"), new.findall(f"{{{W}}}tc")
    if len(cells_a) != len(cells_b):
        return _marked_row(old, "-", rev) + _marked_row(new, "+", rev)
    out = [xml(new.find(f"{{{W}}}trPr"))] if new.find(f"{{{W}}}trPr") is not None else []
    for n, (a, b) in enumerate(zip(cells_a, cells_b, strict=True)):
        if n == 0 or xml(a) == xml(b):  # the section label: re-rendered, never revised
            out.append(xml(b))
            continue
        paragraphs = diff_paragraphs(a.findall(f"{{{W}}}p"), b.findall(f"{{{W}}}p"), rev)
        out.append(f"<w:tc>{xml(b.find(f'{{{W}}}tcPr'))}{paragraphs}</w:tc>")
    return f"<w:tr>{''.join(out)}</w:tr>"


def _marked_row(row: etree._Element, status: str, rev: Revisions) -> str:
    mark = "ins" if status == "+" else "del"
    props = inner(row.find(f"{{{W}}}trPr"))
    cells = []
    for cell in row.iterfind(f"{{{W}}}tc"):
        paragraphs = marked(cell.findall(f"{{{W}}}p"), status, rev)
        cells.append(f"<w:tc>{xml(cell.find(f'{{{W}}}tcPr'))}{paragraphs}</w:tc>")
    return f"<w:tr><w:trPr>{props}<w:{mark} {rev.attrs()}/></w:trPr>{''.join(cells)}</w:tr>"
