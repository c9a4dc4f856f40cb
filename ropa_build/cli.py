"""The ``ropa`` command: a thin layer over :mod:`ropa_build.pipeline`; the only place that exits.

Exit status: 0 success, 1 the input has problems (or warnings under ``--strict``), 2 usage error.
A :class:`UserError` becomes its messages on stderr without a traceback; any other exception is a
bug in ropa-build and keeps its traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path

from ropa_build import __version__
from ropa_build.cache import Cache
from ropa_build.errors import Problem, UserError, did_you_mean
from ropa_build.importer.command import add_import_command
from ropa_build.labels import languages
from ropa_build.parallel import jobs_available
from ropa_build.pipeline import Options, build, checked
from ropa_build.render import DOCUMENTS, FORMATS


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except UserError as error:
        _report(error.problems, getattr(args, "output_format", "text"), args.root)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ropa",
        description="Keep a GDPR Art. 30 register of processing activities as YAML "
        "and build it into DOCX, Markdown and HTML (Datatilsynet's layout), spreadsheets "
        "(the ICO's and CNIL's layouts) and JSON.",
        epilog="Exit status: 0 success, 1 problems in the register, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"ropa-build {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build",
        help="validate, check and build the register",
        description="Validate and check the register, then write "
        "register.docx, register.md, register.html (and register-processor.* for "
        "processor activities) and activities/<id>.docx into the output folder; with "
        "--format also the exports (register-<profile>.xlsx and .csv, register.json) and "
        "register.pdf. Nothing is written if there is any error.",
    )
    _common(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: ROOT/output)")
    build_cmd.add_argument(
        "--format",
        dest="formats",
        action="extend",
        nargs="+",
        choices=FORMATS,
        help=f"formats to build (default: {' '.join(DOCUMENTS)}; also: "
        f"{' '.join(f for f in FORMATS if f not in DOCUMENTS)}; pdf needs LibreOffice)",
    )
    build_cmd.add_argument(
        "--lang", default="da", help="label language: da (default, Datatilsynet's wording) or en"
    )
    build_cmd.add_argument(
        "--changelog-since",
        metavar="REV|DATE",
        default="",
        help="the change log annex starts after this revision or on this date (YYYY-MM-DD); "
        "default: the whole history, newest 500 changes",
    )
    build_cmd.add_argument(
        "--no-changelog", action="store_true", help="leave the change log annex out"
    )
    build_cmd.set_defaults(run=_build, parser=build_cmd)

    check_cmd = commands.add_parser(
        "check",
        help="validate and lint the register; write nothing",
        description="Report every problem in the register: schema "
        "errors and lint findings (see docs/rules.md).",
    )
    _common(check_cmd)
    check_cmd.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    check_cmd.add_argument(
        "--format",
        dest="output_format",
        default="text",
        choices=("text", "json", "github"),
        help="text (default), json, or github (Actions annotations)",
    )
    check_cmd.add_argument(
        "--against",
        metavar="BASE",
        help="also warn about records changed since BASE (a git "
        "revision) whose `updated` date did not change",
    )
    check_cmd.set_defaults(run=_check)
    _authoring(commands)
    from ropa_build.diff.command import add_diff_command

    add_diff_command(commands)
    add_import_command(commands)
    from ropa_build.customise import add_templates_command

    add_templates_command(commands)
    return parser


def _authoring(commands: argparse._SubParsersAction) -> None:
    """The commands that help people write records: schema, new, init, docs."""
    root = {"type": Path, "default": Path("."), "help": "the register's folder (default: .)"}
    schema_cmd = commands.add_parser(
        "schema",
        help="write JSON Schemas for editors into ROOT/schema/",
        description="Write record, organisation and catalogue JSON Schemas (with the register's "
        "data categories) so that editors complete and check the YAML as you type.",
    )
    schema_cmd.add_argument("--root", **root)
    schema_cmd.set_defaults(run=_schema)

    new_cmd = commands.add_parser(
        "new",
        help="start a new record in ROOT/records/",
        description="Write records/<slug>.yaml with every field, explained in Danish and "
        "English, and TODO: where something must be filled in. Never overwrites a record.",
    )
    new_cmd.add_argument("title", help='the activity\'s title, e.g. "Løn"')
    new_cmd.add_argument("--root", **root)
    new_cmd.add_argument("--role", choices=("controller", "processor"), default="controller")
    new_cmd.set_defaults(run=_new)

    init_cmd = commands.add_parser(
        "init",
        help="start a register in DIR: organisation, catalogue, a first record, CI",
        description="Write a register that checks and builds at once: organisation.yaml and "
        "catalogue.yaml with every field explained in Danish and English, records/ with an "
        "example activity, the JSON Schemas for editors, .gitignore, the CI workflow, "
        ".pre-commit-config.yaml and a README. Never overwrites a file: in a folder that "
        "already holds a register it adds only what is missing.",
    )
    init_cmd.add_argument(
        "root",
        metavar="DIR",
        nargs="?",
        type=Path,
        default=Path("."),
        help="the folder (default: .)",
    )
    init_cmd.add_argument(
        "--action",
        metavar="OWNER/REPO@REF",
        type=_action,
        help="the ropa-build action the workflow uses (default: where this ropa-build was "
        "installed from, if pip recorded it)",
    )
    init_cmd.set_defaults(run=_init)

    docs_cmd = commands.add_parser(
        "docs",
        help="write the references (fields.md, rules.md, changes.md, templates.md)",
        description="Generate fields.md from the schema and rules.md from the lint rules.",
    )
    docs_cmd.add_argument("--root", **root)
    docs_cmd.add_argument("--out", type=Path, help="output folder (default: ROOT/docs)")
    docs_cmd.set_defaults(run=_docs)


def _schema(args: argparse.Namespace) -> int:
    from ropa_build.schema_gen import write_schemas

    for path in write_schemas(args.root):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _new(args: argparse.Namespace) -> int:
    from ropa_build.scaffold import new_record

    path = new_record(args.root, args.title, args.role, dt.date.today())
    print(f"wrote {path} — fill in every TODO:, then run `ropa check`", file=sys.stderr)
    if not (args.root / "schema" / "record.schema.json").is_file():
        print("run `ropa schema` once so that editors can complete the record", file=sys.stderr)
    return 0


def _init(args: argparse.Namespace) -> int:
    from ropa_build.init import default_action, gitignore_gaps, init_register

    action = args.action or default_action()
    written = init_register(args.root, dt.date.today(), action)
    for path in written:
        print(f"added {path}", file=sys.stderr)
    gaps = gitignore_gaps(args.root)
    if gaps:
        print(f"kept {args.root / '.gitignore'}; add to it: {' '.join(gaps)}", file=sys.stderr)
    if not written:
        print(
            f"nothing to add: {args.root} already holds every file of a register", file=sys.stderr
        )
        return 0
    workflow = args.root / ".github" / "workflows" / "register.yml"
    if workflow in written and action.startswith("OWNER/"):
        print(
            f"in {workflow}, replace {action} with the GitHub repository and commit of "
            "ropa-build you use (or run ropa init --action owner/ropa-build@<commit>)",
            file=sys.stderr,
        )
    print("next: fill in every TODO:, then ropa check and ropa build", file=sys.stderr)
    return 0


def _docs(args: argparse.Namespace) -> int:
    from ropa_build.docs_gen import write_docs

    for path in write_docs(args.root, args.out or args.root / "docs"):
        print(f"wrote {path}", file=sys.stderr)
    return 0


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--root",
        type=Path,
        default=Path("."),
        help="the register's folder (default: current directory)",
    )
    command.add_argument(
        "--select",
        action="append",
        default=[],
        type=_rule_code,
        metavar="CODE",
        help="run only these lint rules (repeatable)",
    )
    command.add_argument(
        "--ignore",
        action="append",
        default=[],
        type=_rule_code,
        metavar="CODE",
        help="skip these lint rules (repeatable)",
    )
    command.add_argument(
        "--today",
        type=_day,
        metavar="YYYY-MM-DD",
        default=None,
        help="the date reviews are judged against (default: today)",
    )


def _day(text: str) -> dt.date:
    """``--today``: a date as YYYY-MM-DD, said in plain words when it is not (exit 2)."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"'{text}' is not a date — write YYYY-MM-DD, e.g. 2026-11-25")


def _action(text: str) -> str:
    """``owner/repo@ref`` (a path inside the repository allowed), as a workflow's ``uses:``."""
    if re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[\w./-]+", text):
        return text
    raise argparse.ArgumentTypeError(
        f"'{text}' is not OWNER/REPO@REF — e.g. acme/ropa-build@<40-character commit>"
    )


def _rule_code(code: str) -> str:
    """A misspelt ``--select`` would select nothing and pass: a usage error instead (exit 2)."""
    from ropa_build.check import RULES  # the rules are imported only when a code is given

    if code in RULES:
        return code
    hint = did_you_mean(code, list(RULES), "see docs/rules.md")
    raise argparse.ArgumentTypeError(f"no rule '{code}' — {hint}")


def _options(args: argparse.Namespace) -> Options:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    created = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else None
    return Options(
        today=args.today or dt.date.today(),
        created=created,
        select=frozenset(args.select),
        ignore=frozenset(args.ignore),
        cache=Cache.for_register(args.root),
        jobs=jobs_available(),
        progress=_progress(),
    )


def _progress():
    """A line on stderr counting rendered activities — only for a person at a terminal."""
    if os.environ.get("CI") or not sys.stderr.isatty():
        return None
    shown = [0.0]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - shown[0] < 0.2:
            return
        shown[0] = now
        end = "\r\033[K" if done == total else ""
        print(f"\rrendering {done:,}/{total:,} activities{end}", end="", file=sys.stderr)

    return show


def _build(args: argparse.Namespace) -> int:
    known = languages(args.root)
    if args.lang not in known:  # a usage error (exit 2), like an unknown --format
        args.parser.error(
            f"argument --lang: no labels for the language '{args.lang}' — use "
            f"{' or '.join(known)}, or add templates/labels/{args.lang}.yaml to the register"
        )
    if args.changelog_since and not args.no_changelog:
        from ropa_build.changelog import check_since

        for problem in check_since(args.root, args.changelog_since):
            args.parser.error(f"argument --changelog-since: {problem.message} — {problem.hint}")
    out = args.out or args.root / "output"
    formats = tuple(dict.fromkeys(args.formats or DOCUMENTS))
    options = dataclasses.replace(
        _options(args), changelog=not args.no_changelog, changelog_since=args.changelog_since
    )
    written, warnings = build(args.root, out, formats, args.lang, options)
    _report(warnings, "text", args.root)
    print(f"wrote {len(written)} files to {out}", file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    register, problems = checked(args.root, _options(args))
    if args.against:
        from ropa_build.diff.command import against

        problems += against(args.root, args.against)
    _report(problems, args.output_format, args.root, strict=args.strict)
    if not problems and args.output_format == "text":
        count = len(register.activities)
        print(
            f"ok: {count} {'activity' if count == 1 else 'activities'}, 0 problems", file=sys.stderr
        )
    failing = [p for p in problems if p.severity == "error" or args.strict]
    return 1 if failing else 0


def _report(
    problems: list[Problem], output_format: str, root: Path, *, strict: bool = False
) -> None:
    """The problems, and for a person (text) a summary; under ``strict`` it says that the
    warnings fail the run, in Actions too (an annotation), since they look harmless there."""
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    why = ""
    if strict and warnings:
        why = (
            "the run fails because of the warnings (--strict)"
            if not errors
            else "under --strict the warnings fail the run too"
        )
    if output_format == "json":
        print(json.dumps([vars(p) for p in problems], ensure_ascii=False, indent=2))
        return
    for problem in problems:
        if output_format == "github":
            message = f"[{problem.code}] {problem.message} — {problem.hint}"
            path = _property(os.path.relpath(os.path.join(root, problem.path)))
            print(
                f"::{problem.severity} file={path},line={problem.line},"
                f"col={problem.column},title=ropa {problem.code}::{_escape(message)}"
            )
        else:
            print(problem, file=sys.stderr)
    if problems and output_format == "text":
        summary = f"{errors} error(s), {warnings} warning(s)"
        print(f"{summary} — {why}" if why else summary, file=sys.stderr)
    elif why and output_format == "github":
        print(f"::error title=ropa check --strict::{warnings} warning(s): {why}")


def _escape(text: str) -> str:
    """GitHub workflow-command escaping of a message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """GitHub workflow-command escaping of a property (the file path): also ':' and ','.

    The path is relative to the current folder (in GitHub Actions: the repository), so
    annotations land on the right file when the register is a subfolder (``--root registers/dk``).
    """
    return _escape(text).replace(":", "%3A").replace(",", "%2C")
