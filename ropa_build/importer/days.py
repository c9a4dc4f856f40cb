"""Dates as documents write them: "4. maj 2026", "4 May 2026", "2026-05-04", "04.05.2026".

Month names are the label files' locales' (Babel), both languages, through :class:`Labels`.
"""

from __future__ import annotations

import datetime as dt
import re

from ropa_build.importer.labels import Labels
from ropa_build.importer.text import normal

_DATE = re.compile(r"(\d{1,2})\.?\s+([^\W\d_]+)\.?\s+(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
MONTH = re.compile(r"^\s*([^\W\d_]+)\s+(\d{4})\s*$")


def parse_date(text: str, labels: Labels) -> dt.date | None:
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_DATE, "dMy")):
        found = pattern.search(text)
        if not found:
            continue
        a, b, c = found.groups()
        if order == "ymd":
            return day_of(int(a), int(b), int(c))
        if order == "dmy":
            return day_of(int(c), int(b), int(a))
        month = labels.months.get(normal(b))
        return day_of(int(c), month, int(a)) if month else None
    return None


def day_of(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
