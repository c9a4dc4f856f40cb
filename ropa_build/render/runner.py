"""The render stage's runner: every format's work per activity (cached, in worker processes,
spilled to disk), then each register-wide file assembled from the pieces, streamed.

See :mod:`ropa_build.render` for the seam and the table of formats.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ropa_build.cache import Cache, Entry, Part, file_digest
from ropa_build.errors import Problem, UserError
from ropa_build.labels import languages, load_labels
from ropa_build.parallel import Progress, beside, spread
from ropa_build.provenance import Provenance
from ropa_build.render import FORMATS
from ropa_build.render.format import Format, Job
from ropa_build.render.spill import Pieces, Spill
from ropa_build.render.view import STEMS, ActivityHead, Annex, activity_view, register_view
from ropa_build.resources import search_path
from ropa_build.validate import Activity, Register
from ropa_build.write import Staging


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
    provenance: Provenance | None = None,
    changelog: Annex | None = None,
) -> None:
    """Write each format in ``formats``, labelled with ``labels`` (of ``lang``), into ``staging``.

    ``created`` dates the documents; None dates each by its newest record. ``provenance`` and
    ``changelog`` stamp the register-wide files (:mod:`ropa_build.provenance`,
    :mod:`ropa_build.changelog`).
    """
    roles = [role for role in STEMS if any(a.record.role == role for a in register.activities)]
    views = {
        role: register_view(register, labels, lang, role, provenance, changelog)
        for role in roles or ["controller"]
    }
    job = Job(register, labels, next(iter(views.values())), created)
    chosen = [_format(name)(job) for name in formats]
    cache = cache or Cache(None)
    spill = Spill(staging.folder / ".pieces")
    try:
        work = _PerActivity(job, tuple(chosen), cache, _context(cache, job, lang), spill, staging)
        done = spread(work, range(len(register.activities)), jobs, progress)
        for d in done:  # written in worker processes: the parent keeps the one record of names
            for name in d.names:
                staging.adopt(name, d.key)
        tasks = []
        superseded = {fmt.supersedes for fmt in chosen}  # their register files made by another
        for fmt in (fmt for fmt in chosen if fmt.name not in superseded):
            for role, view in views.items() if fmt.per_role else [(None, job.view)]:
                pairs = zip(done, register.activities, strict=True)
                mine = [d for d, a in pairs if role is None or a.record.role == role]
                view = dataclasses.replace(view, activities=tuple(d.head for d in mine))
                # All of a register-wide file's inputs as one key: if the previous output was
                # made from the same, its files are linked and the format is not assembled.
                # the provenance and the change log too, and an outside program's version
                context = work.context + view.key() + fmt.made_with()
                whole = _whole(cache, context, f"{fmt.name}:{role}", [d.key for d in mine])
                if not staging.link_made_from(whole):
                    spilled = [d.spilled[fmt.name] for d in mine]
                    tasks.append(_Assembly(fmt, view, spilled, staging, whole))
        for task, names in zip(tasks, beside(tasks, jobs), strict=True):
            for name in names:
                staging.adopt(name, task.key)
    finally:
        spill.close()
        shutil.rmtree(spill.folder, ignore_errors=True)


def check_overrides(register: Register) -> list[Problem]:
    """What a build would fail on in the register's own templates, labels or reference document
    (``ropa check`` reports it, so a green check means the build will not fail on it): every
    label file merged, every format's templates compiled and tried on one activity, the
    reference document opened."""
    problems: list[Problem] = []
    for lang in languages(register.root):
        try:
            labels = load_labels(register.root, lang)
        except UserError as error:
            problems += error.problems
            continue
        job = Job(register, labels, register_view(register, labels, lang, "controller"), None)
        for name in FORMATS:
            try:
                _trial(_format(name)(job), register, labels, lang)
            except UserError as error:
                problems += [p for p in error.problems if p not in problems]
    return problems


def _trial(fmt: Format, register: Register, labels: dict, lang: str) -> None:
    """Render the first activity of each role through ``fmt`` and assemble a register of it,
    discarding what is made: a template's mistakes that only show when it runs (a misspelt
    field) are found by ``ropa check`` too, at the cost of one activity, not the register."""
    if not fmt.trial:
        return
    for role in STEMS:
        activity = next((a for a in register.activities if a.record.role == role), None)
        if activity is None:
            continue
        view = activity_view(register, activity, labels)
        piece = fmt.piece(activity, view)
        list(fmt.files(activity, view, piece))
        whole = dataclasses.replace(register_view(register, labels, lang, role), activities=(view,))
        for _, data in fmt.assemble(whole, [piece], [fmt.summary(piece)]):
            for _ in data if not isinstance(data, bytes) else ():
                pass


def _format(name: str) -> type[Format]:
    module, _, cls = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module), cls)


class _Done(NamedTuple):
    """What one activity gives the parent: its head, where each format's piece is (with the
    piece's summary), and the files written for it."""

    head: ActivityHead
    spilled: dict[str, tuple[Part, Any]]
    names: tuple[str, ...]
    key: str  # the cache entry the files came from ("" without a cache)


@dataclass(frozen=True)
class _PerActivity:
    """Every format's share of one activity, from the cache or made afresh.

    A cache entry holds one activity's parts, named by format: ``docx.piece``, ``docx.summary``,
    ``docx.files`` (the names) and each file's bytes, for every format made so far, and the
    activity's head. Its key covers the activity's record file and — as one digest — everything
    else an activity's output depends on (see :func:`_context`); change any of them and the
    entry is made afresh. A piece stays where it was stored — in the cache, or in the spill when
    nothing is cached — and only where it is travels to the parent.
    """

    job: Job
    formats: tuple[Format, ...]
    cache: Cache
    context: str
    spill: Spill
    staging: Staging

    def __call__(self, index: int) -> _Done:
        activity = self.job.register.activities[index]
        key = ""
        if self.cache.folder is not None:
            record = (
                activity.source.digest
                or (  # read once: the YAML reader has its key
                    self.job.register.root / activity.source.path
                ).read_bytes()
            )
            key = self.cache.key(self.context, activity.id, record)
        entry = self.cache.get_parts("activity", key)
        if entry is None or any(f"{f.name}.piece" not in entry.parts for f in self.formats):
            entry = self._make(activity, key, entry)
        names = []
        for fmt in self.formats:
            for name in pickle.loads(entry.part(f"{fmt.name}.files")):
                if not self.staging.link(name, key):
                    self.staging.put(name, entry.part(f"file:{name}"), key=key)
                names.append(name)
        spilled = {
            f.name: (entry.parts[f"{f.name}.piece"], pickle.loads(entry.part(f"{f.name}.summary")))
            for f in self.formats
        }
        return _Done(pickle.loads(entry.part("head")), spilled, tuple(names), key)

    def _make(self, activity: Activity, key: str, old: Entry | None) -> Entry:
        """The formats' parts made afresh (keeping those of other formats an entry had)."""
        view = activity_view(self.job.register, activity, self.job.labels)
        parts = {name: old.part(name) for name in old.parts} if old else {}
        parts["head"] = _dumps(view.head)
        for fmt in self.formats:
            piece = fmt.piece(activity, view)
            files = tuple(fmt.files(activity, view, piece))
            parts[f"{fmt.name}.piece"] = _dumps(piece)
            parts[f"{fmt.name}.summary"] = _dumps(fmt.summary(piece))
            parts[f"{fmt.name}.files"] = _dumps(tuple(name for name, _ in files))
            parts.update((f"file:{name}", data) for name, data in files)
        return self.cache.put_parts("activity", key, parts) or self.spill.put_parts(parts)


@dataclass(frozen=True)
class _Assembly:
    """One format's register-wide files, written into staging; returns their names."""

    fmt: Format
    view: Any
    spilled: list[tuple[Part, Any]]
    staging: Staging
    key: str  # of everything the files are made from ("" without a cache)

    def __call__(self) -> list[str]:
        pieces = Pieces([where for where, _ in self.spilled])
        try:
            summaries = [summary for _, summary in self.spilled]
            names = []
            for name, data in self.fmt.assemble(self.view, pieces, summaries):
                self.staging.put(name, data, key=self.key)
                names.append(name)
            return names
        finally:
            pieces.close()


def _whole(cache: Cache, context: str, name: str, keys: list[str]) -> str:
    if cache.folder is None or not all(keys):
        return ""
    return cache.key(context, name, *keys)


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


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
