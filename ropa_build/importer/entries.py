"""What the import reads out of a document, before it becomes files: each row found (an
:class:`Entry`, with its checklist lines) and each activity (:class:`Imported`). Apart from the
mapping that makes them and the builder that reads them, so neither imports the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ropa_build.importer.grid import Para


@dataclass
class Line:
    text: str
    checked: bool
    where: str
    category: str | None = None
    score: float = 0.0


@dataclass
class Entry:
    key: str | None  # a row key of the label files, "group", or None (not recognised)
    section: str | None
    label: str
    paras: list[Para]
    where: str
    lines: list[Line] = field(default_factory=list)


@dataclass
class Imported:
    """One activity read from a document, with what the report and the writer need."""

    source: Path
    title: str
    record: dict
    parties: dict[str, tuple[dict | None, str]] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (record key, what to check)
    placed: list[tuple[str, str]] = field(default_factory=list)  # (field, where it came from)
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    every: dict[str, list[str]] = field(default_factory=dict)  # part → the register's own ids
    documents: dict[str, dict] = field(default_factory=dict)  # companion documents, by id
