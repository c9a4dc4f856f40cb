"""The ``ropa diff`` subcommand, and the ``--against`` check that ``ropa check`` borrows.

Exit status of ``ropa diff``: 0, or with ``--exit-code`` (as ``git diff --exit-code``) 0 for no
change and 1 for changes; 2 for a usage or git error (not a repository, no such revision, a
shallow clone), always. A side whose register does not validate is not an error: its problems
are part of the report.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ropa_build.cache import Cache
from ropa_build.diff.git import GitError, read_revisions
from ropa_build.diff.meanings import LANGUAGES, load_meanings
from ropa_build.errors import Problem
from ropa_build.resources import load_data
from ropa_build.source import read_yaml


def add_diff_command(commands: argparse._SubParsersAction) -> None:
    """Register ``ropa diff`` on the CLI's subcommands."""
    diff = commands.add_parser(
        "diff",
        help="what changed in the register between two git revisions, and what it means",
        description="Compare the validated register at BASE with HEAD and say what each change "
        "means under Art. 30 (see docs/changes.md). BASE defaults to the merge-base with the "
        "default branch (origin/HEAD, else main or master), HEAD to the working tree.",
        epilog="Exit status: 0 (with --exit-code: 0 no change, 1 changes); 2 usage or git error.",
    )
    diff.add_argument(
        "base", nargs="?", metavar="BASE", help="a git revision (default: merge-base)"
    )
    diff.add_argument(
        "head", nargs="?", metavar="HEAD", help="a git revision (default: working tree)"
    )
    diff.add_argument("--root", type=Path, default=Path("."), help="the register's folder")
    diff.add_argument(
        "--format",
        dest="form",
        default="text",
        choices=("text", "markdown", "json", "docx"),
        help="text (default; colour on a terminal), markdown (a pull-request comment), json, "
        "docx (HEAD's register in Word with every change a tracked change; needs --out)",
    )
    diff.add_argument("--out", type=Path, metavar="FILE", help="with --format docx: where to write")
    diff.add_argument(
        "--full",
        action="store_true",
        help="with --format docx: every activity, not only those that changed",
    )
    diff.add_argument(
        "--long",
        action="store_true",
        help="with --format markdown: the long form for a job summary (up to 1 MB, not 64 KB)",
    )
    diff.add_argument("--lang", default="da", choices=LANGUAGES, help="da (default) or en")
    diff.add_argument(
        "--exit-code", action="store_true", help="exit 1 if there are changes, 0 if none"
    )
    diff.set_defaults(run=_diff)


def _diff(args: argparse.Namespace) -> int:
    if args.long and args.form != "markdown":
        print("ropa diff: error: --long goes with --format markdown", file=sys.stderr)
        return 2
    if (args.form == "docx") != (args.out is not None) or (args.full and args.form != "docx"):
        print("ropa diff: error: --format docx goes with --out FILE (and --full)", file=sys.stderr)
        return 2
    try:
        cache = Cache.for_register(args.root)
        base, head = read_revisions(args.root, args.base, args.head, cache.reader(read_yaml))
    except GitError as error:
        hint = f" — {error.hint}" if error.hint else ""
        print(f"ropa diff: error: {error.message}{hint}", file=sys.stderr)
        return 2
    from ropa_build.diff.compare import compare  # imported when a diff is made, not for --help
    from ropa_build.diff.report import report

    changes = compare(base, head)
    if args.form == "docx":
        meanings, names = load_meanings(args.root), _category_names(args.root, args.lang)
        from ropa_build.diff.changes_docx import changes_docx  # renders: heavy to import

        document = changes_docx(
            args.root, base, head, changes, meanings, args.lang, full=args.full, categories=names
        )
        _write(args.out, document)
        return 1 if args.exit_code and changes else 0
    colour = args.form == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    text = report(
        base,
        head,
        changes,
        load_meanings(args.root),
        form=args.form,
        lang=args.lang,
        long=args.long,
        colour=colour,
        categories=_category_names(args.root, args.lang),
    )
    sys.stdout.write(text)
    return 1 if args.exit_code and changes else 0


def _write(path: Path, data: bytes) -> None:
    """Whole or not at all: a reader never sees half a document."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _category_names(root: Path, lang: str) -> dict[str, str]:
    """The data categories' short names in ``lang`` (templates/labels/<lang>.yaml)."""
    labels = load_data(root, "templates", f"labels/{lang}.yaml")
    names = labels.get("categories_short") if isinstance(labels, dict) else None
    return {k: v for k, v in names.items() if isinstance(v, str)} if isinstance(names, dict) else {}


def against(root: Path, base: str) -> list[Problem]:
    """``ropa check --against BASE``: a warning for each record whose content changed since
    BASE while its ``updated`` date did not (the DPO reads that date to know what is new).

    Added records are not judged (they have no earlier date). A git problem is reported as an
    error finding, so ``ropa check`` still ends with a message and exit 1, not a traceback.
    """
    try:
        old, new = read_revisions(root, base, None, Cache.for_register(root).reader(read_yaml))
    except GitError as error:
        return [Problem(".", 1, 1, "no-base", error.message, error.hint)]
    content, bumped = set(), set()
    from ropa_build.diff.compare import compare

    for change in compare(old, new):
        if change.scope != "record":
            continue
        if change.path[:1] == ("updated",):
            bumped.add(change.subject)
        elif change.code not in ("dates-changed", "record-added", "record-renamed"):
            content.add(change.subject)
    problems = []
    for record_id in sorted(content - bumped):
        entry = new.records.get(record_id)
        if entry is None:  # removed
            continue
        source, _ = read_yaml(root / entry.path, entry.path)
        problems.append(
            source.problem(
                ("updated",),
                "updated-not-changed",
                f"the record changed since {old.label} but its 'updated' date did not",
                "set `updated:` to the date of this change (the DPO relies on it)",
                severity="warning",
            )
        )
    return problems
