"""Read one YAML file into plain data plus the position of every key and value.

Why not ``yaml.safe_load``: it forgets where things were (so an error could not name its line),
accepts duplicate keys silently (the later one wins and the earlier text is lost), expands
aliases (a seven-line "billion laughs" file becomes tens of megabytes) and follows YAML 1.1, where
``no`` is ``false`` and ``010`` is 8 — the country code of Norway must stay the string ``NO``.

So we let libyaml's C composer build the node tree (fast, with marks) and turn nodes into data
ourselves, with a deliberate dialect close to YAML 1.2's core schema:

* quoted and block scalars are strings;
* plain ``null``, ``~`` and empty are None; ``true``/``false`` (any case) are booleans;
* plain decimal integers without a leading zero are ints;
* everything else is a string — dates too; the schema parses them, and says so when it cannot.

Anchors, aliases, merge keys and any tag outside the standard set are refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ropa_build.errors import Problem
from ropa_build.yaml_text import INVISIBLE, decode, invisible_characters, syntax_problem

Loc = tuple[str | int, ...]
Positions = tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]  # values, keys

MAX_FILE_BYTES = 5 * 1024 * 1024
# A record is a few levels deep; far deeper nesting is a mistake (or an attack) and would
# exhaust Python's recursion limit while building the data.
MAX_DEPTH = 32
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Source:
    """A file's data, with 1-based (line, column) of each value (``values``) and key (``keys``).

    Positions are found when first asked for, by reading ``file`` again: only a file with a
    problem needs them, and keeping them for every node of ten thousand records took more
    memory than everything else a build holds (and more time to read back from the cache).
    """

    path: str
    data: Any = None
    file: Path | None = None  # where the data was read from; None: no positions
    digest: str = ""  # the cache's key of the file's bytes, when read through the cache

    @property
    def values(self) -> dict[Loc, tuple[int, int]]:
        return self._positions()[0]

    @property
    def keys(self) -> dict[Loc, tuple[int, int]]:
        return self._positions()[1]

    def _positions(self) -> tuple[dict[Loc, tuple[int, int]], dict[Loc, tuple[int, int]]]:
        if "_found" not in self.__dict__:
            locate = self.__dict__.get("_locate") or locate_positions
            self.__dict__["_found"] = locate(self.file) if self.file else ({}, {})
        return self.__dict__["_found"]

    def locate_with(self, locate: Callable[[Path], Positions]) -> None:
        """Find positions with ``locate`` (the cache's, which keeps them) instead of reading."""
        self.__dict__["_locate"] = locate

    def __getstate__(self) -> dict:
        """Pickle without the positions (the cache stores sources; they are found again)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_found", "_locate")}

    def where(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """Best position for ``loc``: the exact node, else the nearest enclosing one."""
        table = self.keys if key else self.values
        while loc not in table and loc not in self.values and loc:
            loc = loc[:-1]
        return table.get(loc) or self.values.get(loc, (1, 1))

    def problem(
        self,
        loc: Loc,
        code: str,
        message: str,
        hint: str = "",
        *,
        key: bool = False,
        severity: str = "error",
    ) -> Problem:
        line, column = self.where(loc, key=key)
        return Problem(self.path, line, column, code, message, hint, severity)  # type: ignore[arg-type]


def read_yaml(path: Path, display: str) -> tuple[Source, list[Problem]]:
    """Parse ``path`` (shown to users as ``display``); return its data and every problem found."""
    source = Source(display)
    try:
        size = path.stat().st_size
        raw = path.read_bytes() if size <= MAX_FILE_BYTES else None
    except OSError as error:  # no permission, a file removed while we read, a folder, ...
        return source, [
            Problem(
                display,
                1,
                1,
                "unreadable-file",
                f"the file cannot be read: {error.strerror or error}",
                "check that it exists and that you may read it (file permissions)",
            )
        ]
    if raw is None:
        size = size / 1024 / 1024
        return source, [
            Problem(
                display,
                1,
                1,
                "file-too-large",
                f"the file is {size:.0f} MB; the limit is {MAX_FILE_BYTES >> 20} MB",
                "a record describes one activity — move long texts to a linked document",
            )
        ]
    text, problem = decode(raw, display)
    if problem:
        return source, [problem]
    problems = invisible_characters(text, display)
    if problems:
        return source, problems
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return source, [syntax_problem(error, text, display)]
    except yaml.reader.ReaderError as error:  # a character YAML refuses (e.g. U+0080..U+009F)
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
        return source, [
            Problem(
                display,
                line,
                column,
                "control-character",
                f"the character U+{error.character:04X} cannot appear in a record"
                if isinstance(error.character, int)
                else "a character here cannot appear in a record",
                "delete it (it often comes with copy-paste from another program)",
            )
        ]
    if node is None:
        return source, [
            Problem(
                display,
                1,
                1,
                "empty-file",
                "the file is empty",
                "write the record's fields, or delete the file",
            )
        ]
    problems = _anchors(text, display) if _ANCHOR.search(text) else []
    if problems:
        return source, problems
    builder = _Builder(display)
    try:
        source.data = builder.build(node, ())
    except _Shared:  # an alias: the same node met twice; the event stream names it
        return source, _anchors(text, display)
    source.file = path
    if not isinstance(source.data, dict):
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        builder.problems.append(
            Problem(
                display,
                line,
                column,
                "not-a-mapping",
                "the file must hold a mapping of keys to values",
                "start with `title: ...` at the left margin",
            )
        )
    return source, builder.problems


# Where YAML could read an anchor: '&' and a name at the start of a node. Text such as "R&D" or
# "A & B" does not match; whatever else matches is checked exactly on the event stream. An alias
# ('*name') needs no such guess: the composer hands the builder the same node twice.
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")


class _Shared(Exception):
    """The builder met a node it had built already: the document uses an alias."""


def _anchors(text: str, display: str) -> list[Problem]:
    """Refuse anchors and aliases before anything expands them, each at its place."""
    problems = []
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            mark = event.start_mark
            problems.append(
                Problem(
                    display,
                    mark.line + 1,
                    mark.column + 1,
                    "yaml-alias",
                    f"YAML {kind} '{anchor}' is not allowed",
                    "write the value out in full; shared facts belong in "
                    "organisation.yaml or catalogue.yaml",
                )
            )
    return problems


def locate_positions(path: Path) -> Positions:
    """The positions of every value and key in ``path``; none if it no longer reads cleanly."""
    try:
        text, problem = decode(path.read_bytes(), str(path))
        node = None if problem else yaml.compose(text, Loader=_Loader)
    except (OSError, yaml.YAMLError):
        node = None
    builder = _Builder(str(path), positions=True)
    try:
        if node is not None:
            builder.build(node, ())
    except _Shared:  # the file has changed since, to use an alias: no positions
        return {}, {}
    return builder.values, builder.keys


class _Builder:
    """Turns a node tree into data and the problems it meets, and positions if asked to."""

    def __init__(self, display: str, *, positions: bool = False):
        self.display = display
        self.positions = positions
        self.values: dict[Loc, tuple[int, int]] = {}
        self.keys: dict[Loc, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.too_deep = False
        self.seen: set[int] = set()  # ids of the nodes built (the tree keeps them alive)

    def _problem(self, node: yaml.Node, code: str, message: str, hint: str) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.display, mark.line + 1, mark.column + 1, code, message, hint)
        )

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        if id(node) in self.seen:
            raise _Shared
        self.seen.add(id(node))
        if self.positions:
            self.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if len(loc) > MAX_DEPTH:
            if not self.too_deep:  # once: its siblings at this depth would say the same
                self.too_deep = True
                self._problem(
                    node,
                    "too-deep",
                    f"values are nested more than {MAX_DEPTH} levels deep",
                    "a record is only a few levels deep — check the brackets and indentation",
                )
            return None
        if node.tag not in _STANDARD_TAGS:
            self._problem(
                node,
                "yaml-tag",
                f"the tag {node.tag} is not allowed",
                "remove the tag; records hold plain text, numbers, lists and mappings",
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, index)) for index, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self._problem(
                    key_node,
                    "yaml-key",
                    "a key must be a plain word",
                    "write the key as text, e.g. `title:`",
                )
                continue
            if key in first:
                self._problem(
                    key_node,
                    "duplicate-key",
                    f"the key '{key}' appears twice "
                    f"(first at line {first[key].start_mark.line + 1})",
                    "keep one of them; YAML would silently drop the first",
                )
                continue
            first[key] = key_node
            if self.positions:
                mark = key_node.start_mark
                self.keys[(*loc, key)] = (mark.line + 1, mark.column + 1)
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        value = node.value
        if not node.style and node.tag != "tag:yaml.org,2002:str":  # plain: None or ""
            if value in _NULLS:
                return None
            if value in _BOOLS:
                return _BOOLS[value]
            if _INT.match(value):
                return int(value)
        bad = INVISIBLE.search(value)
        if bad:
            self._problem(
                node,
                "control-character",
                f"the text contains the invisible character U+{ord(bad.group()):04X}, "
                "which cannot appear in a record",
                "delete it (it often comes with copy-paste from another program)",
            )
        return value
