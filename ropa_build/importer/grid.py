"""Stage 1 of the import: a Word document's body as paragraphs and lossless table grids.

Read from ``word/document.xml`` with lxml, not through python-docx's table API: that one drops
cells wrapped in content controls (``w:sdt``) and shifts the rest of the row left, and it loses
text inside unaccepted tracked insertions. Here every table becomes a grid of its columns:
``w:gridSpan`` puts one cell in several columns, ``w:vMerge`` continues a cell down the rows
(the template's section label), ``w:gridBefore``/``w:gridAfter`` leave columns empty, and content
controls are descended into wherever they wrap a row, a cell, a paragraph or a run.

Text keeps what the register needs: paragraphs, line breaks and tabs, list items with their level
and kind (from ``numbering.xml`` and the paragraph style), hyperlinks with their targets (from
the document's relationships), bold and italic runs, and checkboxes (legacy form fields and
``w14:checkbox`` content controls). Placeholder text of an empty content control is not content.

Tracked changes that nobody accepted make the text ambiguous, so a document holding ``w:ins``,
``w:del``, ``w:moveFrom`` or ``w:moveTo`` is refused unless the caller says to accept or reject
them. The main part is streamed: each top-level paragraph or table is freed once read, so memory
follows the largest table, not the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lxml import etree

from ropa_build.importer.package import (
    MAX_MAIN_BYTES,
    check_prolog,
    chunks,
    open_docx,
    parser,
    read_part,
    refuse,
)
from ropa_build.importer.parts import num_pr, numbering, relationships, style_lists, w

Changes = Literal["refuse", "accept", "reject"]
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
_OFF = {"0", "false", "off"}
# Wingdings boxes typed with Insert > Symbol: checked box, ballot box with x, a bare x.
_SYMBOLS = {"F0FE": "☑", "F0FD": "☒", "F078": "☒", "F0FC": "✓", "F0A8": "☐", "F06F": "☐"}
_HYPERLINK = re.compile(r'^\s*HYPERLINK\s+(?:\\[a-z]\s+)*"([^"]+)"', re.I)


@dataclass
class Run:
    text: str
    href: str | None = None
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    runs: list[Run] = field(default_factory=list)
    style: str = ""
    list: Literal["bullet", "ordered"] | None = None
    level: int = 0
    checked: bool | None = None  # a checkbox in the paragraph, and its state

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(eq=False)
class Cell:
    """One cell, placed at every grid column it spans; ``row``/``col`` are 1-based, as shown."""

    paras: list[Para]
    row: int
    col: int

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras).strip()

    @property
    def checked(self) -> bool | None:
        states = [p.checked for p in self.paras if p.checked is not None]
        return any(states) if states else None


@dataclass
class Table:
    number: int  # 1-based, in document order
    rows: list[list[Cell | None]]


@dataclass
class Document:
    path: Path
    blocks: Iterator[Para | Table]  # read as they are consumed; refused at the end if need be


def read_grid(path: Path, changes: Changes = "refuse") -> Document:
    """The document's body, in order; a :class:`UserError` for a file that is not safe to read.

    The file is opened (and a non-Word file refused) at once; its body is read as the caller
    iterates, so a finished activity's cells can be freed before the next is read.
    """
    return Document(path, _blocks(path, open_docx(path), changes))


def _blocks(path: Path, package, changes: Changes) -> Iterator[Para | Table]:
    with package:
        reader = _Reader(path, package, changes)
        yield from reader.body()
    if reader.changes and changes == "refuse":
        raise refuse(
            path,
            "tracked-changes",
            f"the document has {reader.changes} tracked change(s) nobody accepted or rejected, "
            "so its text is ambiguous",
            "accept or reject them in Word (Review > Accept/Reject), or run again with "
            "--accept-changes or --reject-changes",
        )


class _Reader:
    def __init__(self, path: Path, package, changes: Changes):
        self.path, self.package, self.mode = path, package, changes
        self.changes = 0
        self.tables = 0
        self.fields: list[dict] = []  # complex fields open across runs (and paragraphs: TOC)
        self.links = relationships(read_part(package, "word/_rels/document.xml.rels", path))
        self.numbering = numbering(read_part(package, "word/numbering.xml", path))
        self.styles = style_lists(read_part(package, "word/styles.xml", path))

    def body(self) -> Iterator[Para | Table]:
        pull = parser(events=("start", "end"))
        blocks: list[Para | Table] = []
        body = None
        first = True
        try:
            for chunk in chunks(self.package, "word/document.xml", self.path, MAX_MAIN_BYTES):
                if first:
                    check_prolog(chunk, self.path, "word/document.xml")
                    first = False
                pull.feed(chunk)
                for event, element in pull.read_events():
                    if event == "start":
                        if element.getparent() is None and element.getroottree().docinfo.doctype:
                            check_prolog(b"<!DOCTYPE", self.path, "word/document.xml")
                        if element.tag == w("body"):
                            body = element
                    elif body is not None and element.getparent() is body:
                        self._block(element, blocks)
                        element.clear()
                        while element.getprevious() is not None:
                            del body[0]
                        yield from blocks
                        blocks.clear()
            pull.close()
        except etree.XMLSyntaxError as error:
            raise refuse(
                self.path, "bad-xml", f"word/document.xml is not well-formed XML: {error}", ""
            ) from None

    # --- blocks -------------------------------------------------------------------------

    def _block(self, element, out: list) -> None:
        tag = element.tag
        if tag == w("p"):
            out.append(self._para(element))
        elif tag == w("tbl"):
            self.tables += 1
            out.append(Table(self.tables, self._rows(element)))
        elif tag in (w("sdt"), w("customXml"), w("sdtContent")):
            for child in self._content(element):
                self._block(child, out)
        elif tag in (w("ins"), w("moveTo"), w("del"), w("moveFrom")) and self._keep(element):
            for child in element:
                self._block(child, out)

    def _content(self, element):
        """The children of a content control or custom XML wrapper (none for a placeholder)."""
        if element.tag != w("sdt"):
            return list(element)
        if element.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None:
            return []
        content = element.find(w("sdtContent"))
        return list(content) if content is not None else []

    def _keep(self, element) -> bool:
        """Count a tracked change; whether its content stays (inserted unless rejecting)."""
        self.changes += 1
        inserted = element.tag in (w("ins"), w("moveTo"))
        return inserted != (self.mode == "reject")

    # --- tables -------------------------------------------------------------------------

    def _rows(self, table) -> list[list[Cell | None]]:
        grid: list[list[Cell | None]] = []
        for tr in self._wrapped(table, "tr"):
            props = tr.find(w("trPr"))
            if props is not None and not self._row_kept(props):
                continue
            before = _int(props, "gridBefore")
            row: list[Cell | None] = [None] * before
            for tc in self._wrapped(tr, "tc"):
                row.extend(self._cell(tc, len(grid) + 1, len(row), grid))
            grid.append(row)
        width = max((len(r) for r in grid), default=0)
        for row in grid:
            row.extend([None] * (width - len(row)))
        return grid

    def _row_kept(self, props) -> bool:
        for tag in ("ins", "del"):
            if props.find(w(tag)) is not None:
                return self._keep(props.find(w(tag)))
        return True

    def _wrapped(self, parent, name: str):
        """Children named ``name``, also inside content controls and custom XML around them."""
        for child in parent:
            if child.tag == w(name):
                yield child
            elif child.tag in (w("sdt"), w("customXml")):
                yield from self._wrapped(self._content(child), name)

    def _cell(self, tc, row: int, col: int, grid: list) -> list[Cell | None]:
        props = tc.find(w("tcPr"))
        span = max(1, _int(props, "gridSpan") or 1)
        paras: list[Para] = []
        self._cell_content(tc, paras)
        merge = props.find(w("vMerge")) if props is not None else None
        if merge is not None and merge.get(w("val"), "continue") == "continue" and grid:
            above = grid[-1][col] if col < len(grid[-1]) else None
            if above is not None:
                above.paras.extend(p for p in paras if p.text.strip() or p.checked is not None)
                return [above] * span
        cell = Cell(paras, row, col + 1)
        return [cell] * span

    def _cell_content(self, element, paras: list[Para]) -> None:
        for child in element:
            if child.tag == w("p"):
                paras.append(self._para(child))
            elif child.tag == w("tbl"):  # a table in a cell: its text, row by row
                for row in self._rows(child):
                    for cell in dict.fromkeys(c for c in row if c is not None):
                        paras.extend(cell.paras)
            elif child.tag in (w("sdt"), w("customXml")):
                self._cell_content(self._content(child), paras)
            elif child.tag in (w("ins"), w("moveTo"), w("del"), w("moveFrom")) and self._keep(
                child
            ):
                self._cell_content(child, paras)

    # --- paragraphs ---------------------------------------------------------------------

    def _para(self, p) -> Para:
        para = Para()
        props = p.find(w("pPr"))
        if props is not None:
            style = props.find(w("pStyle"))
            para.style = style.get(w("val"), "") if style is not None else ""
            number = num_pr(props.find(w("numPr"))) or self.styles.get(para.style)
            if number:
                para.list = self.numbering.get(number, "bullet")
                para.level = number[1]
            mark = props.find(f"{w('rPr')}/{w('ins')}")
            if mark is None:
                mark = props.find(f"{w('rPr')}/{w('del')}")
            if mark is not None:
                self.changes += 1
        self._inline(p, para, None)
        if para.list == "none":
            para.list = None
        return para

    def _inline(self, parent, para: Para, href: str | None) -> None:
        for child in parent:
            tag = child.tag
            if tag == w("r"):
                self._run(child, para, href)
            elif tag == w("hyperlink"):
                target = self.links.get(child.get(f"{{{_R}}}id", ""))
                self._inline(child, para, target or href)
            elif tag in (w("ins"), w("moveTo"), w("del"), w("moveFrom")):
                if self._keep(child):
                    self._inline(child, para, href)
            elif tag == w("sdt"):
                self._control(child, para, href)
            elif tag == w("fldSimple"):
                found = _HYPERLINK.match(child.get(w("instr"), ""))
                self._inline(child, para, found.group(1) if found else href)
            elif tag in (w("smartTag"), w("customXml"), w("bdo"), w("dir")):
                self._inline(child, para, href)

    def _control(self, sdt, para: Para, href: str | None) -> None:
        box = sdt.find(f"{w('sdtPr')}/{{{_W14}}}checkbox")
        if box is not None:
            checked = box.find(f"{{{_W14}}}checked")
            para.checked = checked is not None and checked.get(f"{{{_W14}}}val", "1") not in _OFF
            return  # its content is only the box glyph
        self._inline(self._content(sdt), para, href)

    def _run(self, r, para: Para, href: str | None) -> None:
        bold, italic = _bold(r.find(w("rPr"))), bool(_on(r.find(w("rPr")), "i"))
        for child in r:
            tag = child.tag
            if tag == w("fldChar"):
                self._field(child, para)
                continue
            if tag == w("instrText"):
                if self.fields:
                    self.fields[-1]["instr"] += child.text or ""
                continue
            if any(f["phase"] == "instr" for f in self.fields):
                continue
            text = _char(child)
            if text:
                link = next((f["href"] for f in reversed(self.fields) if f["href"]), href)
                para.runs.append(Run(text, link, bold, italic))

    def _field(self, char, para: Para) -> None:
        kind = char.get(w("fldCharType"))
        if kind == "begin":
            self.fields.append({"instr": "", "phase": "instr", "href": None})
            box = char.find(f"{w('ffData')}/{w('checkBox')}")
            if box is not None:
                para.checked = _box_state(box)
        elif kind == "separate" and self.fields:
            top = self.fields[-1]
            top["phase"] = "result"
            found = _HYPERLINK.match(top["instr"])
            top["href"] = found.group(1) if found else None
        elif kind == "end" and self.fields:
            self.fields.pop()


def _char(child) -> str:
    tag = child.tag
    if tag in (w("t"), w("delText")):
        return child.text or ""
    if tag == w("tab"):
        return "\t"
    if tag in (w("br"), w("cr")):
        return "" if child.get(w("type")) in ("page", "column") else "\n"
    if tag == w("noBreakHyphen"):
        return "-"
    if tag == w("sym"):
        return _SYMBOLS.get((child.get(w("char")) or "").upper(), "")
    return ""


def _on(props, name: str) -> bool | None:
    """A run property's toggle (``<w:b/>``, ``<w:i w:val="0"/>``); None where it is not set."""
    found = props.find(w(name)) if props is not None else None
    return None if found is None else found.get(w("val"), "1") not in _OFF


def _bold(props) -> bool:
    if _on(props, "b") is not None:
        return bool(_on(props, "b"))
    style = props.find(w("rStyle")) if props is not None else None
    return style is not None and style.get(w("val"), "").lower() in ("strong", "fed", "bold")


def _box_state(box) -> bool:
    for name in ("checked", "default"):
        found = box.find(w(name))
        if found is not None:
            return found.get(w("val"), "1") not in _OFF
    return False


def _int(props, name: str) -> int:
    found = props.find(w(name)) if props is not None else None
    try:
        return max(0, min(int(found.get(w("val"), "0")), 1000)) if found is not None else 0
    except ValueError:
        return 0
