"""The pipeline on one screen: load → validate → check → render → write.

Everything is read and checked before anything is written (MkDocs' build does the same), so a
problem anywhere leaves the previous output untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ropa_build.cache import Cache
from ropa_build.check import check
from ropa_build.errors import Problem, UserError
from ropa_build.labels import load_labels
from ropa_build.load import load
from ropa_build.parallel import Progress
from ropa_build.source import read_yaml
from ropa_build.validate import Register, validate
from ropa_build.vocabulary import CATEGORIES, load_vocabulary
from ropa_build.write import staged


@dataclass(frozen=True)
class Options:
    """What a run needs from outside: nothing here reads the clock or the environment."""

    today: dt.date
    created: dt.datetime | None = None  # document dates; None: the newest record's date
    select: frozenset[str] = frozenset()
    ignore: frozenset[str] = frozenset()
    cache: Cache | None = None  # work kept from earlier runs (ropa_build.cache)
    jobs: int = 1  # processes to spread per-activity work over
    progress: Progress | None = None  # told (done, total) as activities are rendered
    changelog: bool = True  # the change log annex (ropa_build.changelog)
    changelog_since: str = ""  # a revision or a date YYYY-MM-DD; "": the whole history


def read_register(root: Path, cache: Cache | None = None) -> Register:
    """Load and validate (stages 1–2)."""
    read = cache.reader(read_yaml) if cache else read_yaml
    return validate(load(root, read), load_vocabulary(root))


def lint(root: Path, options: Options) -> list[Problem]:
    """``ropa check``: every finding; raises :class:`UserError` if the register is invalid."""
    return checked(root, options)[1]


def checked(root: Path, options: Options) -> tuple[Register, list[Problem]]:
    """:func:`lint` with the register it checked (the CLI says how many activities it holds)."""
    register = read_register(root, options.cache)
    return register, _findings(register, options)


def build(
    root: Path, out: Path, formats: tuple[str, ...], lang: str, options: Options
) -> tuple[list[Path], list[Problem]]:
    """``ropa build``: write the outputs; returns them and the warnings. Errors stop the build."""
    from ropa_build.changelog import annex, history  # heavy too (ropa diff's stages)
    from ropa_build.diff.meanings import load_meanings
    from ropa_build.provenance import provenance
    from ropa_build.render.runner import render  # rendering is heavy to import: only here

    words = load_labels(root, lang)
    register = read_register(root, options.cache)
    findings = _findings(register, options)
    if any(p.severity == "error" for p in findings):
        raise UserError(findings)
    newest = max((a.record.updated for a in register.activities), default=None)
    made = provenance(root, newest, options.created)  # once: every output carries the same
    log = history(root, options.changelog_since, cache=options.cache) if options.changelog else None
    with staged(out) as staging:
        render(
            register,
            formats,
            words,
            lang,
            staging,
            created=options.created,
            cache=options.cache,
            jobs=options.jobs,
            progress=options.progress,
            provenance=made,
            changelog=annex(log, words, load_meanings(root), lang),
        )
    return [out.resolve() / name for name in sorted(staging.names)], findings


def _findings(register: Register, options: Options) -> list[Problem]:
    """The lint findings, and what a build would fail on in the register's own overrides."""
    findings = check(
        register, options.today, select=set(options.select), ignore=set(options.ignore)
    )
    own = register.root / "templates", register.root / "schema" / CATEGORIES  # names are labels
    if own[0].is_dir() or own[1].is_file():  # only then: rendering is heavy to import
        from ropa_build.render.runner import check_overrides

        findings += check_overrides(register)
    return findings
