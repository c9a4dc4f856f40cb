"""The ``ropa import`` subcommand: arguments, and the report on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_import_command(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "import",
        help="read a register from Word documents (Datatilsynet's template) or spreadsheets "
        "(the ICO's layout) into YAML",
        description="Read each FILE.docx (Datatilsynet's template, Danish or English) or "
        "FILE.xlsx / FILE.csv (the UK ICO's controller or processor sheet, or another profile "
        "in templates/profiles/) and write records/<id>.yaml, organisation.yaml and "
        "catalogue.yaml into the register folder, and an import report saying where every value "
        "came from. Never overwrites a file.",
    )
    command.add_argument(
        "files",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="Word documents (.docx) and spreadsheets (.xlsx, .csv), in order",
    )
    command.add_argument(
        "--into",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the register folder to write into (default: .)",
    )
    command.add_argument(
        "--report", type=Path, metavar="FILE.md", help="also write the report to this file"
    )
    changes = command.add_mutually_exclusive_group()
    changes.add_argument(
        "--accept-changes",
        dest="changes",
        action="store_const",
        const="accept",
        help="read tracked changes as if accepted",
    )
    changes.add_argument(
        "--reject-changes",
        dest="changes",
        action="store_const",
        const="reject",
        help="read tracked changes as if rejected",
    )
    command.set_defaults(run=_run, changes="refuse", root=Path("."))


def _run(args: argparse.Namespace) -> int:
    from ropa_build.importer.run import import_documents
    from ropa_build.importer.write import write

    args.root = args.into
    planned = import_documents(args.files, args.into, args.changes)
    written = write(args.into, planned, args.report)
    print(planned.report)
    print(
        f"wrote {len(written)} file(s) into {args.into}; then run `ropa check --root {args.into}`",
        file=sys.stderr,
    )
    return 0
