"""Find templates, label files and vocabularies: the register's own folder first, built-ins last.

A register overrides one file by putting a file of the same name in ``<root>/templates/`` or
``<root>/schema/`` (MkDocs' theme lookup works the same way); it need not copy the rest.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel

from ropa_build.errors import Problem, UserError
from ropa_build.schema_errors import check_shape
from ropa_build.source import Source, read_yaml

BUILT_IN = {kind: Path(str(files(f"ropa_build.{kind}"))) for kind in ("templates", "schema")}


def search_path(root: Path, kind: str) -> list[Path]:
    """Folders searched for ``kind`` ('templates' or 'schema'), in order."""
    own = root / kind
    folders = [own] if own.is_dir() and own.resolve() != BUILT_IN[kind].resolve() else []
    return [*folders, BUILT_IN[kind]]


def find(root: Path, kind: str, name: str) -> Path:
    """The first ``name`` found on the search path; a user error listing every folder if none."""
    folders = search_path(root, kind)
    for folder in folders:
        if (folder / name).is_file():
            return folder / name
    searched = ", ".join(str(f) for f in folders)
    raise UserError(
        [
            Problem(
                name,
                1,
                1,
                "missing-resource",
                f"{kind[:-1]} '{name}' not found",
                f"searched {searched}",
            )
        ]
    )


def load_data(root: Path, kind: str, name: str, shape: type[BaseModel] | None = None) -> dict:
    """A YAML data file (labels, vocabularies), read with the records' own dialect and checks.

    The same reader matters: under YAML 1.1 the adequacy list's ``NO`` (Norway) would be false.
    A register's own copy is the user's to edit, so with ``shape`` its mistakes are reported at
    their line like a record's, instead of failing later with a traceback.
    """
    return load_source(root, kind, name, shape).data


def load_source(root: Path, kind: str, name: str, shape: type[BaseModel] | None = None) -> Source:
    """As :func:`load_data`, keeping the file's positions (a lint finding can point into it)."""
    path = find(root, kind, name)
    source, problems = read_yaml(path, display_path(root, path))
    if shape is not None and not problems:
        problems = check_shape(shape, source)
    if problems:
        raise UserError(problems)
    return source


def display_path(root: Path, path: Path) -> str:
    """How a message names a file: relative to the register if it is inside it (as the user
    sees it in their editor), else in full (a built-in file)."""
    resolved, base = path.resolve(), root.resolve()
    return resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else str(path)
