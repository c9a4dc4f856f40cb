"""A document's date when the register gives it only as days: never the clock.

One rule for every output that stamps a time (DOCX and XLSX core properties, the provenance
outside git, the changes document): midnight UTC of the day, and for a register with no dated
record the earliest day a ZIP header can hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

NO_DATE = dt.date(1980, 1, 1)


def midnight(day: dt.date | None) -> dt.datetime:
    """``day`` at 00:00 UTC (``NO_DATE`` when there is none)."""
    return dt.datetime.combine(day or NO_DATE, dt.time(), tzinfo=dt.UTC)


def newest(days: Iterable[dt.date]) -> dt.datetime:
    """The newest of ``days`` at midnight UTC: a register is dated by its newest record."""
    return midnight(max(days, default=None))
