"""The plain data every format lays out: a section of Datatilsynet's table and its rows."""

from __future__ import annotations

from dataclasses import dataclass

from ropa_build.richtext import Block


@dataclass(frozen=True)
class Row:
    """One line of the table: a description (with an italic hint), the content, and for
    checklist lines a mark."""

    description: str
    content: tuple[Block, ...] = ()
    hint: str = ""
    mark: bool | None = None  # None: not a checklist line


@dataclass(frozen=True)
class Section:
    label: str
    rows: tuple[Row, ...]
