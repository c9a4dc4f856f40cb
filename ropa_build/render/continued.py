"""A section's label repeated on the page where the section goes on ("Modtagerne af
personoplysningerne (fortsat)"), so that no page shows checklist marks with no section beside
them.

Datatilsynet's layout merges a section's label cell down its rows; Word and LibreOffice print a
merged cell's text once, on the page where it starts. Where a page break falls is known only to
a layout engine, so this is done by the pdf format, which lays the register out anyway: each row
gets a bookmark (``_RopaRow<table>_<row>``, in its description cell: a merged cell's content
moves to where the merge starts), the layout says on which page each row begins, and a row that
begins a page in the middle of its section gets its label cell restarted with the label and
"(fortsat)". That can move what follows, so the pdf format lays out again until nothing moves.
The bookmarks are left out of the DOCX it writes: they take no room, so the layout stands.

It works on the XML of the built-in table template (``docx/activity-table.xml.j2``); a table
from a register's own template that is laid out otherwise is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

_ROW = re.compile(r"<w:tr\b.*?</w:tr>", re.S)
_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)
_RESTART = '<w:vMerge w:val="restart"/>'
_GOES_ON = "<w:vMerge/>"
_TEXT = re.compile(r'<w:t xml:space="preserve">([^<]*)</w:t>')
_EMPTY_PARAGRAPH_END = "</w:pPr></w:p>"
PREFIX = "_RopaRow"
#: Row bookmarks' ids start here, far above the activities' (1, 2, …).
FIRST_ID = 1_000_000


@dataclass(frozen=True)
class Rows:
    """One table's rows as laid out: each row's section label (as XML text) and whether the
    row begins its section."""

    labels: tuple[str, ...]
    starts: tuple[bool, ...]


def rows_of(xml: str) -> Rows:
    """The table's rows, read from the label cell each begins with."""
    labels, starts, label = [], [], ""
    for row in _ROW.finditer(xml):
        cell = _CELL.search(row[0])
        head = cell[0] if cell else ""
        if _RESTART in head:
            text = _TEXT.search(head)
            label = text[1] if text else ""
        labels.append(label)
        starts.append(_RESTART in head or _GOES_ON not in head)
    return Rows(tuple(labels), tuple(starts))


def laid_out(
    xml: str, rows: Rows, table: int, continued: frozenset[int], words: str, marks: int | None
) -> str:
    """The table (its ``rows`` as :func:`rows_of` read them) with the label cell of each row in
    ``continued`` restarted as "<label> (fortsat)" (``words``: the label's format, e.g.
    "{label} (fortsat)"); with ``marks`` (the first bookmark id to use, one per row), a bookmark
    in each row for the layout to report."""
    count = 0

    def row(match: re.Match) -> str:
        nonlocal count
        index, text = count, match[0]
        count += 1
        if index in continued and rows.labels[index]:
            text = _restart(text, _continued(words, rows.labels[index]))
        if marks is not None:
            text = _mark(text, f"{PREFIX}{table}_{index}", marks + index)
        return text

    return _ROW.sub(row, xml)


def continued_rows(
    pages: Mapping[str, int], tables: int, rows: list[Rows]
) -> dict[int, frozenset[int]]:
    """Per table, the rows that begin a page in the middle of their section."""
    found: dict[int, frozenset[int]] = {}
    for table in range(tables):
        at = [pages.get(f"{PREFIX}{table}_{i}") for i in range(len(rows[table].starts))]
        here = frozenset(
            i
            for i in range(1, len(at))
            if not rows[table].starts[i] and at[i] and at[i - 1] and at[i] > at[i - 1]
        )
        if here:
            found[table] = here
    return found


def _continued(words: str, label_xml: str) -> str:
    """``words`` escaped for XML around the label, which is XML text already."""
    return escape(words.replace("{label}", "\0")).replace("\0", label_xml)


def _restart(row: str, text: str) -> str:
    cell = _CELL.search(row)
    if cell is None or _GOES_ON not in cell[0] or _EMPTY_PARAGRAPH_END not in cell[0]:
        return row  # not the built-in layout: left as it is
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
    new = (
        cell[0]
        .replace(_GOES_ON, _RESTART, 1)
        .replace(_EMPTY_PARAGRAPH_END, f"</w:pPr>{run}</w:p>", 1)
    )
    return row[: cell.start()] + new + row[cell.end() :]


def _mark(row: str, name: str, ident: int) -> str:
    """A bookmark at the start of the row's second cell (the description), after its
    paragraph's properties."""
    cells = list(_CELL.finditer(row))
    if len(cells) < 2:
        return row
    second = cells[1]
    at = row.find("</w:pPr>", second.start(), second.end())
    if at < 0:
        return row
    at += len("</w:pPr>")
    mark = f'<w:bookmarkStart w:id="{ident}" w:name="{name}"/><w:bookmarkEnd w:id="{ident}"/>'
    return row[:at] + mark + row[at:]
