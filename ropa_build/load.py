"""Stage 1: find the register's files and read each into data with positions.

A register folder holds ``organisation.yaml`` (who keeps it), ``catalogue.yaml`` (systems and
recipients, optional) and ``records/<id>.yaml`` (one processing activity each). Records are
sorted by id so every later stage sees them in the same order, whatever the file system says.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ropa_build.errors import Problem, UserError
from ropa_build.source import Source, read_yaml

Reader = Callable[[Path, str], tuple[Source, list[Problem]]]
RECORD_ID = re.compile(r"^[^\W_][\w-]*$")


@dataclass
class Sources:
    """Everything read from a register folder, before validation."""

    root: Path
    organisation: Source
    catalogue: Source
    records: list[tuple[str, Source]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load(root: Path, read: Reader = read_yaml) -> Sources:
    """Read the register in ``root``; YAML problems are collected, not raised.

    ``read`` reads one file (:func:`read_yaml`, or a cached version of it).
    """
    if not (root / "organisation.yaml").is_file():
        raise UserError(
            [
                Problem(
                    str(root / "organisation.yaml"),
                    1,
                    1,
                    "no-register",
                    "organisation.yaml not found: this is not a register folder",
                    "run ropa in the register's folder or pass --root DIR",
                )
            ]
        )
    problems: list[Problem] = []
    organisation = _read(root, root / "organisation.yaml", problems, read)
    catalogue = (
        _read(root, root / "catalogue.yaml", problems, read)
        if (root / "catalogue.yaml").is_file()
        else Source("catalogue.yaml", {})
    )
    sources = Sources(root, organisation, catalogue, problems=problems)
    seen: dict[str, str] = {}
    for path in _record_files(root):
        display = path.relative_to(root).as_posix()
        record_id = path.stem
        if not _inside(root, path):
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "outside-register",
                    "the file is a link to a place outside the register",
                    "copy the record into records/ instead of linking to it",
                )
            )
        elif not RECORD_ID.match(record_id):
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "bad-file-name",
                    f"'{path.name}' cannot be a record id: use letters, digits, '-' and '_' only",
                    f"rename it, e.g. to {_slug(record_id)}{path.suffix}",
                )
            )
        elif record_id.casefold() in seen:
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "duplicate-id",
                    f"the id '{record_id}' is also used by {seen[record_id.casefold()]}",
                    "rename one of the files; the file name is the record's id",
                )
            )
        else:
            seen[record_id.casefold()] = display
            sources.records.append((record_id, _read(root, path, problems, read)))
    return sources


def _read(root: Path, path: Path, problems: list[Problem], read: Reader) -> Source:
    source, found = read(path, path.relative_to(root).as_posix())
    problems.extend(found)
    return source


def _record_files(root: Path) -> list[Path]:
    folder = root / "records"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _inside(root: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _slug(name: str) -> str:
    return re.sub(r"[^\w-]+", "-", name).strip("-_").lower() or "record"
