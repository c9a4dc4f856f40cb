"""XLSX: the register as the spreadsheets authorities publish, one workbook per profile.

Each profile (:mod:`ropa_build.render.profiles`) is one ``register-<profile>.xlsx``. A "rows"
profile (the ICO's) is one sheet: the title, the contact block (controller, DPO, representative)
above the rows as the ICO sheet has it, the header row (frozen, with a filter), one row per
activity. A "sheets" profile (CNIL's) is a summary sheet with a row per activity, then one sheet
per activity with the profile's fields as label/value rows.

Written with XlsxWriter, which only writes (fast, a row at a time in its ``constant_memory``
mode) and gives byte-identical files when the workbook's ``created`` date is fixed (its ZIP
entries have a fixed date of their own). The date is the build's (SOURCE_DATE_EPOCH) or the
newest record's, never the clock.

Record text is data: every value goes through ``write_string`` (never ``write``, which would
take "=..." as a formula or "12" as a number), URLs and formulas are not recognised
(``strings_to_formulas``/``strings_to_urls`` off), and a value a spreadsheet would read as a
formula (:data:`cells.FORMULA_LEADS`) gets Excel's quote prefix, so editing the cell later keeps
it text. A value over Excel's 32,767-character cell limit is cut, with a visible note.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import xlsxwriter

from ropa_build.dates import newest
from ropa_build.render.cells import contact, formula_like
from ropa_build.render.format import Format, Job, Output
from ropa_build.render.profiles import Chosen, Column, chosen_profiles, table_piece
from ropa_build.render.view import ActivityView, RegisterView
from ropa_build.validate import Activity

CELL_LIMIT = 32_767  # Excel's limit, in UTF-16 code units
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


class Xlsx(Format):
    """``register-<profile>.xlsx`` for every profile the register has records for."""

    name = "xlsx"
    per_role = False  # one export of the whole register, sorted into its profiles

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.profiles = chosen_profiles(job)  # a broken profile is a user error here, once

    def piece(self, activity: Activity, view: ActivityView) -> dict[str, tuple]:
        """Per profile that lists the activity's role: (its title, its cells, its summary's)."""
        return table_piece(self.job, self.profiles, activity)

    def assemble(
        self, view: RegisterView, pieces: Sequence[Any], summaries: Sequence[Any]
    ) -> Iterator[Output]:
        created = self.job.created or newest(a.record.updated for a in self.job.register.activities)
        for chosen in self.profiles:

            def rows(name: str = chosen.name) -> Iterator[tuple]:
                """The profile's rows, read from the spill a piece at a time (twice for CNIL)."""
                return (piece[name] for piece in pieces if name in piece)

            yield f"register-{chosen.name}.xlsx", _Workbook(self.job, chosen, created).make(rows)


class _Workbook:
    """One profile's workbook, written a row at a time and returned as bytes (compressed)."""

    def __init__(self, job: Job, chosen: Chosen, created: dt.datetime) -> None:
        self.job, self.chosen, self.profile = job, chosen, chosen.profile
        self.out = io.BytesIO()
        options = {
            # Each row goes to a temporary file as it is written, so memory holds one row, not
            # the workbook's XML (XlsxWriter then dates every ZIP entry 1980-01-31).
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        }
        self.book = xlsxwriter.Workbook(self.out, options)
        title = f"{chosen.text(self.profile.title)} – {job.view.organisation}"
        self.book.set_properties({"title": title, "created": created.replace(tzinfo=None)})
        self.cut_note = job.labels["export"]["cut_note"]
        base = {"text_wrap": True, "valign": "top"}
        styles = {
            "cell": base,
            "head": {**base, "bold": True, "bg_color": "#D9E2F3"},
            "title": {"bold": True, "font_size": 14},
        }
        self.formats = {
            (name, quoted): self.book.add_format({**style, "quote_prefix": quoted})
            for name, style in styles.items()
            for quoted in (False, True)
        }
        self.names: set[str] = set()

    def make(self, rows: Callable[[], Iterator[tuple]]) -> bytes:
        if self.profile.layout == "rows":
            sheet = self._sheet(self.chosen.text(self.profile.sheet))
            self._table(sheet, self._contacts(sheet), self.profile.columns, (r[1] for r in rows()))
        else:
            summary = self._sheet(self.chosen.text(self.profile.sheet))
            listed = (r[2] for r in rows())
            self._table(summary, self._contacts(summary), self.profile.summary, listed)
            for title, cells, _ in rows():
                self._form(self._sheet(title), title, cells)
        self.book.close()
        return self.out.getvalue()

    def _sheet(self, wanted: str):
        """A new sheet; the one before it is finished, so its temporary file is closed."""
        if self.book.worksheets():
            _finished(self.book.worksheets()[-1])
        name = sheet_name(wanted, self.names)
        self.names.add(name.casefold())
        return self.book.add_worksheet(name)

    def _write(self, sheet, row: int, col: int, text: str, style: str = "cell") -> None:
        """Text as text, whatever it looks like; cut to the cell limit with a note."""
        text = cut(text, self.cut_note)
        sheet.write_string(row, col, text, self.formats[style, formula_like(text)])

    def _contacts(self, sheet) -> int:
        """The title and the contact block; returns the first free row (after a blank one)."""
        self._write(sheet, 0, 0, self.chosen.text(self.profile.title), "title")
        if not self.profile.contacts or self.profile.contact_headings is None:
            return 2
        headings = self.profile.contact_headings
        head = [headings.name, headings.address, headings.email, headings.phone]
        for col, heading in enumerate(head, 1):
            self._write(sheet, 2, col, self.chosen.text(heading), "head")
        organisation = self.job.register.organisation
        for row, party in enumerate(self.profile.contacts, 3):
            self._write(sheet, row, 0, self.chosen.text(party.heading), "head")
            found = contact(getattr(organisation, party.party), self.job.labels)
            for col, text in enumerate(found, 1):
                self._write(sheet, row, col, text)
        return 3 + len(self.profile.contacts) + 1

    def _table(self, sheet, top: int, columns: list[Column], rows: Iterable[tuple]) -> None:
        """The header row (frozen, filtered) and one row per activity."""
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column.width)
            self._write(sheet, top, col, self.chosen.text(column.heading), "head")
        last = top
        for last, cells in enumerate(rows, top + 1):
            for col, text in enumerate(cells):
                self._write(sheet, last, col, text)
        sheet.freeze_panes(top + 1, 0)
        sheet.autofilter(top, 0, last, len(columns) - 1)

    def _form(self, sheet, title: str, cells: tuple) -> None:
        """One activity as label/value rows (CNIL's "fiche")."""
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 1, 100)
        self._write(sheet, 0, 0, title, "title")
        for row, (column, text) in enumerate(zip(self.profile.columns, cells, strict=True), 2):
            self._write(sheet, row, 0, self.chosen.text(column.heading), "head")
            self._write(sheet, row, 1, text)


def _finished(sheet) -> None:
    """Close a finished sheet's temporary file. In ``constant_memory`` mode XlsxWriter keeps one
    open per sheet until the workbook is closed — a CNIL workbook of 2,000 activities would pass
    the usual limit of 1,024 open files — and reopens each as it packs the workbook. This calls
    the method its own ``close()`` uses (private; without it, the files just stay open)."""
    close = getattr(sheet, "_opt_close", None)
    if close is not None:
        close()


def sheet_name(wanted: str, taken: set[str]) -> str:
    """A valid, unused sheet name: no []:*?/\\ or control characters, not beginning or ending
    with an apostrophe, not Excel's reserved "History", at most 31 characters as Excel counts
    them (UTF-16 units: an emoji is two), unique ignoring case (Excel's rule) by a " (2)"."""
    name = _SHEET_FORBIDDEN.sub(" ", wanted).strip().strip("'").strip() or "Sheet"
    if name.casefold() == "history":
        name += " (1)"
    candidate, number = _within(name, 31), 1
    while candidate.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        candidate = _within(name, 31 - len(suffix)) + suffix
    return candidate


def _within(text: str, units: int) -> str:
    """``text`` cut to ``units`` UTF-16 units, without a trailing space or apostrophe."""
    while _units(text) > units:
        text = text[:-1]
    return text.rstrip(" '")


def cut(text: str, note: str) -> str:
    """``text`` within Excel's cell limit; a longer one is cut and ends with ``note``
    (formatted with the number of characters left out)."""
    if _units(text) <= CELL_LIMIT:
        return text
    keep = CELL_LIMIT - _units(note.format(more=len(text))) - 2
    head = text[:keep]
    while _units(head) > keep:  # characters outside the BMP count twice
        head = head[:-1]
    return f"{head}\n\n{note.format(more=len(text) - len(head))}"


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
