"""Who made each change: the commit after BASE that last touched a register file, from git.

A revision mark in Word carries an author and a date (``w:author``, ``w:date``); they come from
the commits, never from the clock, so the same revisions give the same document.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ropa_build.diff.git import Snapshot, _git, _out, _repository


@dataclass(frozen=True)
class Author:
    """Who made a change and when, as git has it: a revision mark's ``w:author`` and ``w:date``
    (never the clock). ``date`` is None for the working tree's uncommitted changes."""

    name: str
    date: str | None  # ISO 8601, as git gives it (%aI)


def authors(root: Path, base: Snapshot, head: Snapshot, nobody: str) -> dict[str, Author]:
    """The newest commit after ``base`` up to ``head`` that touched each register file (by its
    path inside the register), one ``git log``; with the working tree as HEAD, a file that
    differs from the last commit is the working tree's, by ``git config user.name`` (or
    ``nobody`` if it is not set)."""
    top, prefix = _repository(root)
    found: dict[str, Author] = {}
    if head.commit is None:
        name = _out(_git(top, "config", "user.name")) or nobody
        dirty = _git(top, "diff", "--name-only", "-z", "HEAD", "--", prefix or ".")
        for path in dirty.stdout.decode("utf-8", "surrogateescape").split("\0"):
            if path.startswith(prefix) and path:
                found[path[len(prefix) :]] = Author(name, None)
    span = f"{base.commit}..{head.commit or 'HEAD'}"
    done = _git(
        top,
        "log",
        "--no-renames",
        "--format=%x01%an%x00%aI",
        "--name-only",
        "-z",
        span,
        "--",
        prefix or ".",
    )
    for chunk in done.stdout.decode("utf-8", "surrogateescape").split("\x01")[1:]:
        name, date, paths = [*chunk.split("\0", 2), "", ""][:3]
        for path in paths.lstrip("\n").split("\0"):
            if path.startswith(prefix) and path:
                found.setdefault(path[len(prefix) :], Author(name, date))
    return found
