"""Stage 2 of the import: the document's grids into records, by the rows' labels.

Datatilsynet's template is one table per activity: a section label merged down the rows, the
row's description, its content, and for data categories a narrow checklist column. Real files
stray from it — a table broken into several across pages, rows in another order, labels with
typos or in English — so rows are recognised by what their description says (fuzzy, against the
label files), never by position. A table continues the activity before it unless a title
("Behandlingsaktiviteter vedrørende …") or a second organisation row starts a new one.

Nothing is dropped: what has no place in the record is kept as text in the nearest field, and
each such value, and every doubt (a role the document contradicts, a date it gives only as a
month), is a note: a ``# TODO(import)`` comment in the record and a line in the report. The
document's own mistakes are kept as they are, for ``ropa check`` to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ropa_build.importer import build
from ropa_build.importer.about import is_about, read_about
from ropa_build.importer.days import MONTH, day_of, parse_date
from ropa_build.importer.entries import Entry, Imported, Line
from ropa_build.importer.extras import extra_key
from ropa_build.importer.grid import Cell, Document, Para, Table
from ropa_build.importer.labels import Labels
from ropa_build.importer.text import mark, normal


@dataclass
class Cover:
    """What a document says of the register itself: its version, its own section."""

    version: str | None = None
    document: dict = field(default_factory=dict)
    open_points: list[dict] = field(default_factory=list)
    accepted: list[tuple[str | None, dict]] = field(default_factory=list)  # (entry name, item)
    notes: list[str] = field(default_factory=list)


def map_document(
    doc: Document, labels: Labels, catalogue: build.Catalogue, eea: frozenset[str]
) -> tuple[list[Imported], Cover]:
    """Every activity in the document, in order, and what its cover page says."""
    cover, done = Cover(), []
    current: _Reader | None = None
    title: tuple[str, str | None, str] | None = None  # title, role, where
    meta: list[Para] = []
    loose: list[tuple[str, str]] = []
    annex = {words.get("changelog", {}).get("title") for words in labels.by_lang.values()}
    for index, block in enumerate(doc.blocks, 1):
        if isinstance(block, Para) and block.text.strip() in annex - {None}:
            break  # the change log annex (ropa_build.changelog): the history, not activities
        if isinstance(block, Para):
            found = labels.title(block.text)
            if found:
                title, meta = (*found, f"paragraph {index}"), []
            elif title is not None:
                meta.append(block)
            elif current is None:
                cover.version = cover.version or _version(block.text, labels)
            elif block.text.strip():
                loose.append((f"paragraph {index}", block.text.strip()))
            continue
        if title is None and current is None and is_about(block, labels):
            document, points, accepted, notes = read_about(block, labels)
            cover.document.update(document)
            cover.open_points += points
            cover.accepted += accepted
            cover.notes += notes
            continue
        if title is not None or current is None or current.starts_anew(block):
            if current is not None:  # finished: its cells need not be kept
                done.append(current.finish(catalogue, eea))
            current = _Reader(doc.path, labels, title, meta)
            title, meta = None, []
        current.add(block)
        current.unmapped += loose
        loose = []
    if current is not None:
        done.append(current.finish(catalogue, eea))
    return done, cover


def _version(text: str, labels: Labels) -> str | None:
    for word in labels.version:
        found = re.match(rf"^\s*{re.escape(word)}\s+(\S+)\s*$", text, re.I)
        if found:
            return found.group(1)
    return None


class _Reader:
    """The rows of one activity, across the tables it was broken into."""

    def __init__(self, path: Path, labels: Labels, title, meta: list[Para]):
        self.path, self.labels, self.title, self.meta = path, labels, title, meta
        self.entries: list[Entry] = []
        self.section: str | None = None
        self.unmapped: list[tuple[str, str]] = []

    def starts_anew(self, table: Table) -> bool:
        """A table whose first labelled row is the organisation's, when we already have one."""
        seen = {e.key for e in self.entries}
        for row in table.rows[:3]:
            _, desc, _, _ = _roles(row)
            if desc is not None and desc.text:
                key, _ = self.labels.row(desc.text)
                return key in ("organisation", "processor_organisation") and key in seen
        return False

    def add(self, table: Table) -> None:
        for number, row in enumerate(table.rows, 1):
            self._row(table, number, row)

    def _row(self, table: Table, number: int, row: list[Cell | None]) -> None:
        cells_in_row = {id(c): c for c in row if c is not None}
        if len(cells_in_row) == 1 and self.title is None:  # a title row across the table
            (only,) = cells_in_row.values()
            found = self.labels.title(only.text)
            if found:
                self.title = (*found, _where(table, only))
                return
        section, desc, content, checkbox = _roles(row)
        if section is not None and section.row == number and section.text:
            key = self.labels.section(section.text)
            self.section = key or section.text
            if key is None:
                self.unmapped.append((_where(table, section), f"section '{section.text}'"))
        label = desc.text if desc is not None and desc.row == number else ""
        cells = [c for c in content if c.row == number]
        paras = [p for c in cells for p in c.paras]
        where = _where(table, cells[0] if cells else desc or section)
        last = self.entries[-1] if self.entries else None
        if label and last is not None and last.key == "group" and self.labels.category(label)[0]:
            # a checklist line written in the description column, its mark in the next one
            marks = [c for c in [*cells, checkbox] if c is not None]
            state = any(c.checked for c in marks) or any(mark(c.text) for c in marks)
            last.lines.append(Line(" ".join(label.split()), state, where))
            return
        if label:
            group = self.labels.group(label)
            key = "group" if group else self.labels.row(label)[0]
            if self.section == "open_points" and self.labels.point(label):
                key = "open_point"  # its label is its kind ("Antagelse (ikke bekræftet)")
            elif self.section == "extra" and extra_key(label, self.labels):
                key = "extra"  # "Supplerende oplysninger": the row's label names the field
            elif self.section == "documents":
                key = "document"  # "Tilknyttede dokumenter": the label is the document's kind
            self.entries.append(Entry(key, self.section, group or label, paras, where))
            return
        if not any(p.text.strip() or p.checked is not None for p in paras):
            return
        if last is not None and last.key == "group":
            last.lines += _lines(paras, checkbox, where)
        elif last is not None:
            last.paras += paras
            last.where += f"; {where}"
        else:
            self.entries.append(Entry(None, self.section, "", paras, where))

    def finish(self, catalogue: build.Catalogue, eea: frozenset[str]) -> Imported:
        found = self.title
        title = found[0] if found else "TODO(import) activity without a title"
        imported = Imported(self.path, title, {})
        if found:
            imported.placed.append(("title", found[2]))
        imported.unmapped += self.unmapped
        imported.record = build.record(
            imported, self.entries, self.labels, catalogue, eea, _meta(self.meta, self.labels)
        )
        if not found:
            imported.notes.insert(0, ("title", "no title line was found before the table"))
        _role(imported, self.entries, found[1] if found else None)
        return imported


def _roles(row: list[Cell | None]) -> tuple[Cell | None, Cell | None, list[Cell], Cell | None]:
    """Section, description, content cells and checklist cell of a row, by grid column."""
    n = len(row)
    if n >= 4:
        section, desc = row[0], row[1]
        mark_cell = row[-1] if row[-1] is not row[-2] else None
        middle = row[2 : n - 1] if mark_cell is not None else row[2:]
    elif n == 3:
        section, desc, mark_cell, middle = row[0], row[1], None, row[2:]
    elif n == 2:
        section, desc, mark_cell, middle = None, row[0], None, row[1:]
    else:
        section, desc, mark_cell, middle = None, None, None, row
    if desc is section:
        desc = None
    taken = {id(section), id(desc)}
    content = [c for c in dict.fromkeys(middle) if c is not None and id(c) not in taken]
    return section, desc, content, mark_cell


def _where(table: Table, cell: Cell | None) -> str:
    if cell is None:
        return f"table {table.number}"
    return f"table {table.number}, row {cell.row}, column {cell.col}"


_GLYPH = re.compile(r"^\s*([☒☑☐✓✔□■⊠])\s*")


def _lines(paras: list[Para], checkbox: Cell | None, where: str) -> list[Line]:
    """Checklist lines: each paragraph of the content, with its mark."""
    texts = [p for p in paras if p.text.strip() or p.checked is not None]
    marks: list[bool | None] = [None] * len(texts)
    if checkbox is not None:
        boxed = [p for p in checkbox.paras if p.text.strip() or p.checked is not None]
        states = [p.checked if p.checked is not None else mark(p.text) for p in boxed]
        if len(states) == len(texts):
            marks = states
        elif len(texts) == 1 or not any(states):
            marks = [checkbox.checked if checkbox.checked is not None else mark(checkbox.text)]
            marks = marks * len(texts)
    out = []
    for para, state in zip(texts, marks, strict=True):
        text = para.text.strip()
        glyph = _GLYPH.match(text)
        if glyph:
            state = state or glyph.group(1) in "☒☑✓✔■⊠"
            text = text[glyph.end() :]
        if para.checked is not None:
            state = para.checked
        if text:
            out.append(Line(" ".join(text.split()), bool(state), where))
    return out


def _meta(paras: list[Para], labels: Labels) -> dict:
    """Owner and dates from the lines under the title ("Procesejer: … · Senest opdateret: …")."""
    out: dict = {}
    for para in paras:
        text = " ".join(para.text.split())
        month = MONTH.match(text)
        if month and normal(month.group(1)) in labels.months:
            day = day_of(int(month.group(2)), labels.months[normal(month.group(1))], 1)
            out.setdefault("month", day)
            continue
        for part in re.split(r"\s+[·|]\s+", text):
            label, _, value = part.partition(":")
            key = labels.meta.get(normal(label))
            by = next((f["by"] for p in labels.reviewed_by if (f := p.fullmatch(label))), None)
            if by and parse_date(value, labels):  # "Senest gennemgået af Dorte: 1. marts 2024"
                key, out["reviewed_by"] = "reviewed", by.strip()
            if key == "owner" and value.strip():
                out["owner"] = value.strip()
            elif key in ("updated", "reviewed"):
                day = parse_date(value, labels)
                if day:
                    out[key] = day
    return out


def _role(imported: Imported, entries: list[Entry], titled: str | None) -> None:
    """The role from the title, else the first section, else the rows; a contradiction noted."""
    sections = [e.section for e in entries if e.section in ("controller", "processor")]
    by_section = sections[0] if sections else None
    keys = {e.key for e in entries}
    processor_rows = {"processor_organisation", "processor_representative", "controllers"}
    by_rows = "processor" if keys & processor_rows else "controller"
    role = titled or by_section or by_rows
    imported.record["role"] = role
    signals = {"title": titled, "first section": by_section}
    against = [f"the {k} says {v}" for k, v in signals.items() if v and v != role]
    if against:
        imported.notes.append(
            (
                "role",
                f"role {role} is from the title, but {', '.join(against)}: decide which it is "
                "(Art. 30(1) or 30(2)) and fix the record",
            )
        )
