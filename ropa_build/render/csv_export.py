"""CSV: one file per spreadsheet profile, for tools that read tables, not workbooks.

``register-<profile>.csv`` has the profile's column headings and one row per activity (a
"sheets" profile such as CNIL's has the same: its per-activity fields as columns); the contact
block of the workbook is left out, so every line is a row of the same table. UTF-8 with a byte
order mark (Excel on Windows needs it to show æøå), RFC 4180 quoting with CRLF line ends (Python's
csv module), line breaks inside a cell kept inside its quotes.

A cell a spreadsheet would read as a formula (:data:`cells.FORMULA_LEADS`) is neutralised as
OWASP's "CSV Injection" advice says: a single quote before it, so Excel and LibreOffice show
it as text. The text then starts with that quote; no other cell is changed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from ropa_build.render.cells import formula_like
from ropa_build.render.format import Format, Job, Output
from ropa_build.render.profiles import Chosen, chosen_profiles, table_piece
from ropa_build.render.view import ActivityView, RegisterView
from ropa_build.validate import Activity


class Csv(Format):
    """``register-<profile>.csv`` for every profile the register has records for."""

    name = "csv"
    per_role = False  # one export of the whole register, sorted into its profiles

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.profiles = chosen_profiles(job)

    def piece(self, activity: Activity, view: ActivityView) -> dict[str, tuple]:
        return table_piece(self.job, self.profiles, activity)

    def assemble(
        self, view: RegisterView, pieces: Sequence[Any], summaries: Sequence[Any]
    ) -> Iterator[Output]:
        for chosen in self.profiles:
            yield f"register-{chosen.name}.csv", _lines(chosen, pieces)


def _lines(chosen: Chosen, pieces: Sequence[Any]) -> Iterator[str]:
    """The file's text, a row at a time (a register of any size is never held whole)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff"
    rows = (piece[chosen.name][1] for piece in pieces if chosen.name in piece)
    writer.writerow([chosen.text(column.heading) for column in chosen.profile.columns])
    for cells in rows:
        writer.writerow([neutral(text) for text in cells])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def neutral(text: str) -> str:
    """``text``, with a single quote before it if a spreadsheet would take it as a formula."""
    return f"'{text}" if formula_like(text) else text
