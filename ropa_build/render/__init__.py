"""Stage 4: render the validated register into every requested format, into the staging folder.

Each format is one module behind one seam (:mod:`ropa_build.render.format`), named in
:data:`FORMATS`; adding a format is one new module and one line there. This module is the runner
that every format shares, so none of them sees how the work is done:

1. each activity's view is made once, and each format's piece of it (and the files the activity
   has of its own) — in worker processes (:mod:`ropa_build.parallel`), and only where the cache
   (:mod:`ropa_build.cache`) has no entry for that format, activity and input;
2. the pieces go to disk as they are made (:mod:`ropa_build.render.spill`), so memory holds only
   the activities' heads, whatever the size of the register;
3. each format assembles its register-wide files from the pieces, streamed, the formats side by
   side.

Nothing here touches the output: files go into the write stage's staging folder, which becomes
the output only when everything is rendered, so an error in the last format cannot leave the
first one half-updated.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ropa_build.cache import Cache, file_digest
from ropa_build.errors import Problem, UserError
from ropa_build.labels import languages, load_labels
from ropa_build.parallel import Progress, beside, spread
from ropa_build.render.format import Format, Job
from ropa_build.render.spill import Spill, Spilled
from ropa_build.render.view import ActivityHead, activity_view, register_view
from ropa_build.resources import search_path
from ropa_build.validate import Register
from ropa_build.write import Staging

#: Every output format: its name (``--format``) and the class that makes it, as "module:Class".
FORMATS = {
    "docx": "ropa_build.render.docx:Docx",
    "md": "ropa_build.render.markdown:Markdown",
    "html": "ropa_build.render.html:Html",
}


def render(
    register: Register,
    formats: tuple[str, ...],
    labels: dict,
    lang: str,
    staging: Staging,
    *,
    created: dt.datetime | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> None:
    """Write each format in ``formats``, labelled with ``labels`` (of ``lang``), into ``staging``.

    ``created`` dates the documents; None dates each by its newest record.
    """
    job = Job(register, labels, register_view(register, labels, lang), created)
    chosen = [_format(name)(job) for name in formats]
    cache = cache or Cache(None)
    spill = Spill(staging.folder / ".pieces")
    try:
        work = _PerActivity(job, tuple(chosen), cache, _context(cache, job, lang), spill, staging)
        done = spread(work, range(len(register.activities)), jobs, progress)
        heads = tuple(d.head for d in done)
        staging.names.update(name for d in done for name in d.names)
        view = dataclasses.replace(job.view, activities=heads)
        tasks = [
            _Assembly(fmt, view, [d.spilled[fmt.name] for d in done], spill, staging)
            for fmt in chosen
        ]
        for names in beside(tasks, jobs):
            staging.names.update(names)
    finally:
        spill.close()
        shutil.rmtree(spill.folder, ignore_errors=True)


def check_overrides(register: Register) -> list[Problem]:
    """What a build would fail on in the register's own templates, labels or reference document
    (``ropa check`` reports it, so a green check means the build will not fail on it): every
    label file merged, every format's templates compiled, the reference document opened."""
    problems: list[Problem] = []
    for lang in languages(register.root):
        try:
            labels = load_labels(register.root, lang)
        except UserError as error:
            problems += error.problems
            continue
        job = Job(register, labels, register_view(register, labels, lang), None)
        for name in FORMATS:
            try:
                _format(name)(job)
            except UserError as error:
                problems += [p for p in error.problems if p not in problems]
    return problems


def _format(name: str) -> type[Format]:
    module, _, cls = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module), cls)


class _Done(NamedTuple):
    """What one activity gives the parent: its head, where each format's piece is (with the
    piece's summary), and the files written for it."""

    head: ActivityHead
    spilled: dict[str, tuple[Spilled, Any]]
    names: tuple[str, ...]


@dataclass(frozen=True)
class _PerActivity:
    """Every format's share of one activity, from the cache or made afresh, then spilled.

    A cache entry is one format's ``(head, piece, files)`` for one activity; its key covers the
    activity's record file, the format's name and — as one digest — everything else an activity's
    output depends on (see :func:`_context`). Change any of them and the entry is made afresh.
    """

    job: Job
    formats: tuple[Format, ...]
    cache: Cache
    context: str
    spill: Spill
    staging: Staging

    def __call__(self, index: int) -> _Done:
        activity = self.job.register.activities[index]
        record = (self.job.register.root / activity.source.path).read_bytes()
        view, head, spilled, names = None, None, {}, []
        for fmt in self.formats:
            key = self.cache.key(self.context, fmt.name, activity.id, record)
            entry = self.cache.get(fmt.name, key, tuple)
            if entry is None:
                view = view or activity_view(self.job.register, activity, self.job.labels)
                piece = fmt.piece(activity, view)
                entry = (view.head, piece, tuple(fmt.files(activity, view, piece)))
                self.cache.put(fmt.name, key, entry)
            head, piece, files = entry
            for name, data in files:
                self.staging.put(name, data)
                names.append(name)
            spilled[fmt.name] = (self.spill.add(piece), fmt.summary(piece))
        if head is None:  # no format asked for (a build of no format still lists its heads)
            head = activity_view(self.job.register, activity, self.job.labels).head
        return _Done(head, spilled, tuple(names))


@dataclass(frozen=True)
class _Assembly:
    """One format's register-wide files, written into staging; returns their names."""

    fmt: Format
    view: Any
    spilled: list[tuple[Spilled, Any]]
    spill: Spill
    staging: Staging

    def __call__(self) -> list[str]:
        pieces = self.spill.pieces([where for where, _ in self.spilled])
        try:
            summaries = [summary for _, summary in self.spilled]
            names = []
            for name, data in self.fmt.assemble(self.view, pieces, summaries):
                self.staging.put(name, data)
                names.append(name)
            return names
        finally:
            pieces.close()


def _context(cache: Cache, job: Job, lang: str) -> str:
    """Everything besides its record that an activity's output depends on, as one key."""
    if cache.folder is None:
        return ""  # nothing is cached: no need to hash the inputs
    created = job.created.isoformat() if job.created else ""
    return cache.key(lang, created, _inputs_digest(job.register.root))


def _inputs_digest(root: Path) -> str:
    """Every file besides the records that a rendered activity depends on."""
    files = [(name, root / name) for name in ("organisation.yaml", "catalogue.yaml")]
    for kind in ("templates", "schema"):
        for rank, folder in enumerate(search_path(root, kind)):  # the register's own first
            found = (p for p in folder.rglob("*") if "__pycache__" not in p.parts)
            files += [
                (f"{kind}/{rank}/{p.relative_to(folder).as_posix()}", p)
                for p in sorted(found)
                if p.is_file()
            ]
    return file_digest((name, path) for name, path in files if path.is_file())
