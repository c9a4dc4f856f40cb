"""Stage 1: find the register's files and read each into data with positions.

A register folder holds ``organisation.yaml`` (who keeps it), ``catalogue.yaml`` (systems and
recipients, optional) and ``records/`` (one processing activity per file). Records are sorted by
id so every later stage sees them in the same order, whatever the file system says.

No record is ever dropped silently — a register that lacks an activity without a word is a
compliance failure. So every entry under ``records/`` is either read or reported:

* a name ending in ``.yaml`` or ``.yml`` in any letter case is a record; its id is the file name
  without the extension;
* subfolders are read too, at any depth. They only group files (by department, say): the id is
  still the file name and must be unique across all folders, and the record's ``owner`` says
  who owns it, so moving a file between folders never changes the register;
* ids are read in Unicode's composed form (NFC): macOS can write ``å`` as ``a`` plus a
  combining ring (NFD), which would otherwise be refused as an id or differ from the same name
  typed on Linux (messages show the path as it is on disk);
* a name that is almost a record (``.ymal``), a broken link with a record's name, a link to a
  folder or to a place outside the register is an error: the activity would be missing;
* any other file (notes, ``.bak`` and ``~`` backups, hidden files) is a warning naming it. Only
  the operating systems' folder metadata (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``) and
  git's empty-folder markers (``.gitkeep``, ``.keep``) pass unmentioned: they are never records.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ropa_build.errors import Problem, UserError
from ropa_build.source import Source, read_yaml

Reader = Callable[[Path, str], tuple[Source, list[Problem]]]
RECORD_ID = re.compile(r"^[^\W_][\w-]*$")
RECORD_SUFFIXES = (".yaml", ".yml")
_SILENT = {".ds_store", "thumbs.db", "desktop.ini", ".gitkeep", ".keep"}
_BACKUP_SUFFIXES = {".bak", ".backup", ".orig", ".old", ".rej", ".swp", ".swo", ".tmp", ".save"}


@dataclass
class Sources:
    """Everything read from a register folder, before validation.

    ``problems`` are errors (validation stops on them); ``warnings`` are files under
    ``records/`` that are not records, reported by ``ropa check`` and ``ropa build``.
    """

    root: Path
    organisation: Source
    catalogue: Source
    records: list[tuple[str, Source]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Entry:
    """A record file found: its id (NFC), the path to read and the path shown to users."""

    id: str
    path: Path
    display: str


def load(root: Path, read: Reader = read_yaml) -> Sources:
    """Read the register in ``root``; YAML problems are collected, not raised.

    ``read`` reads one file (:func:`read_yaml`, or a cached version of it).
    """
    if not (root / "organisation.yaml").is_file():
        raise UserError([_no_register(root)])
    problems: list[Problem] = []
    organisation = _read(root / "organisation.yaml", "organisation.yaml", problems, read)
    catalogue = (
        _read(root / "catalogue.yaml", "catalogue.yaml", problems, read)
        if (root / "catalogue.yaml").is_file()
        else Source("catalogue.yaml", {})
    )
    sources = Sources(root, organisation, catalogue, problems=problems)
    entries, found = _record_files(root)
    problems += [p for p in found if p.severity == "error"]
    sources.warnings = [p for p in found if p.severity == "warning"]
    seen: dict[str, str] = {}
    for entry in entries:
        if not RECORD_ID.match(entry.id):
            problems.append(_problem(entry.display, "bad-file-name", *_bad_name(entry)))
        elif entry.id.casefold() in seen:
            problems.append(
                _problem(
                    entry.display,
                    "duplicate-id",
                    f"the id '{entry.id}' is also used by {seen[entry.id.casefold()]}",
                    "rename one of the files; the file name is the record's id, in every "
                    "folder under records/",
                )
            )
        else:
            seen[entry.id.casefold()] = entry.display
            sources.records.append((entry.id, _read(entry.path, entry.display, problems, read)))
    return sources


def _no_register(root: Path) -> Problem:
    empty = not root.is_dir() or not any(root.iterdir())
    start = "run `ropa init` to start a register here" if empty else "run `ropa init` to add it"
    return _problem(
        str(root / "organisation.yaml"),
        "no-register",
        "organisation.yaml not found: this is not a register folder",
        f"{start}, or run ropa in the register's folder or pass --root DIR",
    )


def _read(path: Path, display: str, problems: list[Problem], read: Reader) -> Source:
    source, found = read(path, display)
    problems.extend(found)
    return source


def _record_files(root: Path) -> tuple[list[_Entry], list[Problem]]:
    """Every record file under ``records/`` (sorted by id), and a problem for each other entry."""
    folder = root / "records"
    if not folder.is_dir():
        return [], [
            _problem(
                "records/",
                "no-records",
                "the folder records/ is missing: a register keeps one file per activity there",
                'create it with a first record: ropa new "Titel" (or ropa init for a whole '
                "register)",
            )
        ]
    entries: list[_Entry] = []
    problems: list[Problem] = []
    _walk(root.resolve(), folder, "records", entries, problems)
    return sorted(entries, key=lambda e: (e.id, e.display)), problems


def _walk(
    base: Path, folder: Path, shown: str, entries: list[_Entry], problems: list[Problem]
) -> None:
    with os.scandir(folder) as listing:
        found = sorted(listing, key=lambda e: e.name)
    for item in found:
        # The path is shown as it is on disk (on Linux only those bytes open the file), and a
        # name that is not UTF-8 (Linux allows any bytes) with U+FFFD; the id is read in NFC.
        name = item.name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        display = f"{shown}/{name}"
        path = Path(item.path)
        if not _inside(base, path):
            problems.append(_outside(display))
        elif item.is_dir():
            if item.is_symlink():
                problems.append(
                    _problem(
                        display,
                        "linked-folder",
                        "this folder is a link; records are not read through folder links",
                        "move the records into a real folder under records/",
                    )
                )
            else:
                _walk(base, path, display, entries, problems)
        elif name.casefold() not in _SILENT:
            _file(item, name, display, entries, problems)


def _file(
    item: os.DirEntry, name: str, display: str, entries: list[_Entry], problems: list[Problem]
) -> None:
    path = Path(item.path)
    stem, suffix = os.path.splitext(name)
    is_record = suffix.lower() in RECORD_SUFFIXES and stem and not name.startswith(".")
    if item.is_symlink() and not path.exists():
        target = os.readlink(path)
        if is_record:
            message = f"the file is a link to {target}, which does not exist"
            problems.append(
                _problem(display, "broken-link", message, "restore that file, or delete the link")
            )
        else:
            problems.append(_not_a_record(display, f"a link to {target}, which does not exist"))
    elif is_record and item.is_file():
        entries.append(_Entry(unicodedata.normalize("NFC", stem), path, display))
    elif is_record:
        problems.append(_not_a_record(display, "not a regular file"))
    elif name.startswith("."):
        problems.append(_not_a_record(display, "a hidden file"))
    elif name.endswith("~") or suffix.lower() in _BACKUP_SUFFIXES:
        problems.append(_not_a_record(display, "a backup copy", "delete it (git keeps history)"))
    elif _misspelt(suffix):
        problems.append(
            _problem(
                display,
                "misnamed-record",
                f"'{name}' is not read: a record's name must end in .yaml or .yml",
                f"rename it to {stem}.yaml",
            )
        )
    else:
        problems.append(_not_a_record(display, f"a {suffix or 'file without extension'} file"))


def _misspelt(suffix: str) -> bool:
    """``.ymal``, ``.yam``, ``.yaml `` (a trailing space): meant as a record, so an error."""
    return bool(suffix) and bool(
        difflib.get_close_matches(suffix.lower().strip(), RECORD_SUFFIXES, n=1, cutoff=0.7)
    )


def _not_a_record(display: str, what: str, hint: str = "") -> Problem:
    return Problem(
        display,
        1,
        1,
        "not-a-record",
        f"not read as a record ({what}); only .yaml and .yml files under records/ are records",
        hint
        or "move it out of records/ (notes belong in docs/), or rename it to <id>.yaml if it "
        "is a record",
        "warning",
    )


def _outside(display: str) -> Problem:
    return _problem(
        display,
        "outside-register",
        "the file is a link to a place outside the register",
        "copy the record into records/ instead of linking to it",
    )


def _bad_name(entry: _Entry) -> tuple[str, str]:
    name = unicodedata.normalize("NFC", entry.display.rsplit("/", 1)[-1])
    suffix = name[len(entry.id) :]
    return (
        f"'{name}' cannot be a record id: use letters, digits, '-' and '_' only",
        f"rename it, e.g. to {_slug(entry.id)}{suffix.lower()}",
    )


def _problem(display: str, code: str, message: str, hint: str) -> Problem:
    return Problem(display, 1, 1, code, message, hint)


def _inside(base: Path, path: Path) -> bool:
    return path.resolve().is_relative_to(base)


def _slug(name: str) -> str:
    return re.sub(r"[^\w-]+", "-", name).strip("-_").lower() or "record"
