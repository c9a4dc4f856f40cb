"""``ropa templates``: the built-in templates and label files copied into a register for editing,
and docs/templates.md, what each template receives.

A register overrides a built-in file by keeping one of the same name in its own ``templates/``
(:mod:`ropa_build.resources`), so copying one is how a user starts changing it. Copying never
overwrites: a file already there is the user's work. Deleting the copy goes back to the built-in.

What a template may use is the view (:mod:`ropa_build.render.view`): the reference lists each
template's variables (:data:`TEMPLATES`; a test checks them against the names the templates use)
and the fields of each view class, read from the dataclasses themselves — their annotations,
docstrings and the comment after a field — so the page cannot drift from the code.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import re
import shutil
import sys
import typing
from collections.abc import Sequence
from pathlib import Path

from ropa_build.render.view import (
    ActivityHead,
    ActivityView,
    Annex,
    LogRow,
    RegisterView,
    Row,
    Section,
)
from ropa_build.resources import BUILT_IN

_LABELS = "the words of the documents, from `labels/<lang>.yaml` (e.g. `labels.columns.mark`)"
_ACTIVITY_BLOCK = {
    "activity": (ActivityView, "the activity being rendered"),
    "labels": (dict, _LABELS),
    "view": (RegisterView, "the register (its `activities` are not filled in here)"),
}

_WHOLE_REGISTER = {  # the variables of a template of the whole register (Markdown, HTML)
    "view": (
        RegisterView,
        "the register; `view.activities` are ActivityHeads outside the `activity` "
        "block (whole ActivityViews if the template has no such block)",
    ),
    "labels": (dict, _LABELS),
}

#: Each template: what it makes, its variables (name → (type, meaning)), its ``activity`` block's
#: variables (a build renders that block alone for each activity), and its filters.
TEMPLATES: dict[str, dict] = {
    "register.md.j2": {
        "makes": "register.md (GitHub-flavoured Markdown)",
        "variables": _WHOLE_REGISTER,
        "block": _ACTIVITY_BLOCK,
        "filters": {
            "md": "escapes text for Markdown",
            "cell": "rich text as one table cell",
            "slug": "GitHub's anchor for a heading",
        },
    },
    "register.html.j2": {
        "makes": "register.html (one self-contained page)",
        "variables": _WHOLE_REGISTER,
        "block": _ACTIVITY_BLOCK,
        "filters": {"rich": "rich text as HTML paragraphs and lists"},
    },
    "docx/activity-table.xml.j2": {
        "makes": "one activity's table (WordprocessingML), in register.docx and its own file",
        "variables": {
            "activity": (ActivityView, "the activity"),
            "table": (
                None,
                "`table.rich(row.content)` writes rich text as paragraphs; "
                "`table.fits_on_a_page(row)` says whether a row may be kept on one page; "
                "`table.parts(row)` is the (row, fits on a page) pairs a row is written as: "
                "one too long for a page as several that each fit",
            ),
            "labels": (dict, _LABELS),
        },
    },
    "docx/activity.xml.j2": {
        "makes": "the body of activities/<id>.docx",
        "variables": {
            "activity": (ActivityView, "the activity"),
            "table": (None, "its table, already rendered (insert it with `{{ table }}`)"),
            "labels": (dict, _LABELS),
        },
    },
    "docx/register.xml.j2": {
        "makes": "the body of register.docx",
        "variables": {
            "view": (RegisterView, "the register"),
            "activities": (None, "(ActivityHead, rendered table) pairs, one per activity"),
            "about": (
                None,
                "`view.about` (introduction, scope, roles, version log, review, the register's "
                "open points) rendered as one table in the activities' layout; empty if none",
            ),
            "labels": (dict, _LABELS),
            "pages": (
                dict,
                "the contents' page numbers by bookmark (`_Toc1` → `3`) when `--format pdf` has "
                "laid the register out in LibreOffice; empty otherwise (Word fills them in)",
            ),
        },
    },
    "docx/_activity-parts.xml.j2": {
        "makes": "the macro `after_title(activity, table)` both DOCX bodies import",
        "variables": {},
    },
    "docx/changes.xml.j2": {
        "makes": "the summary page of `ropa diff --format docx` (the changes document)",
        "variables": {
            "title": (str, "the document's title, in the register's language"),
            "organisation": (str, "the controller's name"),
            "sides": (str, "the two versions compared, e.g. `main → HEAD`"),
            "line": (str, "the summary line of the changes"),
            "groups": (None, "the changes by part: (heading, rows of field, code, meaning)"),
            "words": (dict, "the wording of the change meanings (schema/changes.yaml)"),
        },
    },
}
VIEW_CLASSES = (RegisterView, ActivityHead, ActivityView, Section, Row, Annex, LogRow)
#: What a field means, where its class does not say it in a comment (a test checks the names).
NOTES = {
    "RegisterView.lang": "the label language (`da`, `en`)",
    "RegisterView.title": "the document's title, from the labels",
    "RegisterView.organisation": "the controller's name",
    "RegisterView.version": "the document version from organisation.yaml, else the git version",
    "RegisterView.date": "the newest record's `updated` date, written out",
    "RegisterView.labels": "the same as `labels`",
    "ActivityHead.id": "the record's id (its file name without .yaml)",
    "ActivityHead.title": 'the title line, e.g. "Behandlingsaktiviteter vedrørende …"',
    "ActivityHead.month": "the month of the last update, as the template shows under the title",
    "ActivityHead.meta": "(label, value) pairs: process owner, updated, reviewed",
    "ActivityView.sections": "the table's sections, in Datatilsynet's order",
    "ActivityView.head": "the activity without its table",
    "Section.label": "the section's label (the first column)",
    "Section.rows": "its rows",
    "Row.description": "the row's label (the second column)",
    "Row.content": "what the record says",
    "Row.hint": "the italic hint after the description",
    "LogRow.date": "the commit's date, written out",
    "LogRow.activity": "the activity's title (the organisation's, for shared details)",
    "LogRow.what": "what ropa diff says the commit changed in it, in the register's language",
    "LogRow.author": "the commit's author",
}


class UnknownTemplate(ValueError):
    """A NAME that is no built-in file (the command line's mistake: a usage error)."""


def built_in_files() -> list[str]:
    """Every file a register may copy: templates, label files, the reference document."""
    folder = BUILT_IN["templates"]
    return sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in {".j2", ".yaml", ".docx"}
    )


def select(names: Sequence[str]) -> list[str]:
    """The built-in files ``names`` mean: a path (``docx/register.xml.j2``), a file name
    (``da.yaml``) or a folder (``labels``); all of them without names."""
    files = built_in_files()
    if not names:
        return files
    chosen: list[str] = []
    for name in names:
        clean = name.strip("/")
        found = [
            f for f in files if clean in (f, f.rsplit("/", 1)[-1]) or f.startswith(clean + "/")
        ]
        if not found:
            raise UnknownTemplate(
                f"no built-in template or label file '{name}'; there are: " + ", ".join(files)
            )
        chosen += [f for f in found if f not in chosen]
    return chosen


def copy_templates(names: Sequence[str], to: Path) -> tuple[list[Path], list[Path]]:
    """Copy the selected built-in files under ``to``: (copied, kept because already there)."""
    copied, kept = [], []
    for name in select(names):
        target = to / name
        if target.exists():
            kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUILT_IN["templates"] / name, target)
        copied.append(target)
    return copied, kept


def add_templates_command(commands: argparse._SubParsersAction) -> None:
    """Register ``ropa templates`` on the CLI's subcommands."""
    command = commands.add_parser(
        "templates",
        help="copy the built-in templates and label files into the register, to edit them",
        description="Copy built-in templates, label files and the reference document into "
        "ROOT/templates/ (or DIR), where they replace the built-in ones for this register. "
        "Never overwrites a file. What each template receives: docs/templates.md.",
    )
    command.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="a file (register.html.j2, docx/activity-table.xml.j2, da.yaml) or a folder "
        "(docx, labels); default: all of them",
    )
    command.add_argument("--root", type=Path, default=Path("."), help="the register's folder")
    command.add_argument(
        "--to", type=Path, metavar="DIR", help="where to copy them (default: ROOT/templates)"
    )
    command.set_defaults(run=_run, parser=command)


def _run(args: argparse.Namespace) -> int:
    try:
        copied, kept = copy_templates(args.names, args.to or args.root / "templates")
    except UnknownTemplate as error:
        args.parser.error(str(error))  # exits 2
    for path in copied:
        print(f"copied {path}", file=sys.stderr)
    for path in kept:
        print(f"kept {path} (already there; delete it to copy the built-in one)", file=sys.stderr)
    if copied:
        print(
            "edit them, then run `ropa check`; a file you delete is the built-in one again",
            file=sys.stderr,
        )
    return 0


# --- docs/templates.md --------------------------------------------------------------------------


def templates_doc(generated: str) -> str:
    """The reference page: each template's variables, then each view class's fields."""
    lines = [
        "# Template reference",
        "",
        generated,
        "",
        "A register changes how its documents look by keeping its own copy of a template in its "
        "`templates/` folder (the built-in one is used for every file it does not have). "
        "`ropa templates [NAME…]` copies the built-in files there (all of them without a NAME; "
        "it never overwrites one), `ropa check` reports a template that would not compile, and "
        "deleting a copy goes back to the built-in file. Templates are "
        "[Jinja](https://jinja.palletsprojects.com/templates/); record text is always data, "
        "escaped for each format.",
        "",
    ]
    for name, spec in TEMPLATES.items():
        lines += [f"## `{name}`", "", f"Makes {spec['makes']}.", ""]
        lines += _variables(spec["variables"])
        if "block" in spec:
            lines += ["Its `activity` block (rendered alone for each activity) receives:", ""]
            lines += _variables(spec["block"])
        if spec.get("filters"):
            lines += ["Filters: " + "; ".join(f"`{k}` {v}" for k, v in spec["filters"].items())]
            lines.append("")
    lines += [
        "## Files",
        "",
        "What `ropa templates` copies (NAME: a path, a file name or a folder):",
        "",
    ]
    lines += [f"- `{name}`" for name in built_in_files()]
    lines += ["", "## The view", "", "The fields of the values above.", ""]
    for cls in VIEW_CLASSES:
        lines += _fields(cls)
    return "\n".join(lines).rstrip("\n") + "\n"


def _variables(variables: dict) -> list[str]:
    if not variables:
        return ["No variables of its own (it is imported).", ""]
    rows = [
        f"| `{name}` | {_kind(kind)} | {meaning} |" for name, (kind, meaning) in variables.items()
    ]
    return ["| Variable | Type | What it is |", "|---|---|---|", *rows, ""]


def _kind(kind: object) -> str:
    if kind is None:
        return "—"
    if kind is dict:
        return "mapping"
    return f"[{kind.__name__}](#{kind.__name__.lower()})"


def _fields(cls: type) -> list[str]:
    doc = inspect.getdoc(cls) or ""
    if doc.startswith(f"{cls.__name__}("):  # the signature dataclasses write, not a docstring
        doc = ""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    properties = [name for name, value in vars(cls).items() if isinstance(value, property)]
    rows = []
    for name in names + properties:
        hint = hints[name] if name in hints else typing.get_type_hints(getattr(cls, name).fget)
        kind = _type(hint if name in hints else hint.get("return"))
        rows.append(f"| `{name}` | {kind} | {_note(cls, name)} |")
    head = [f"### {cls.__name__}", ""] + ([" ".join(doc.split()), ""] if doc else [])
    return [*head, "| Field | Type | Note |", "|---|---|---|", *rows, ""]


def _note(cls: type, name: str) -> str:
    """The comment after the field in its class's source (``mark: bool | None = None  # …``),
    else :data:`NOTES` for the class that declares it."""
    for owner in cls.__mro__:
        if name not in vars(owner) and name not in getattr(owner, "__annotations__", {}):
            continue
        for line in inspect.getsource(owner).splitlines():
            match = re.match(rf"\s+{name}:[^#]*#\s*(.+)", line)
            if match:
                return match.group(1).strip()
        return NOTES.get(f"{owner.__name__}.{name}", "")
    return ""


def _type(hint: object) -> str:
    """A field's type in a template author's words."""
    if hint in VIEW_CLASSES:
        return _kind(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is str:
        return "text"
    if hint is bool:
        return "yes/no"
    if hint is dict or origin is dict:
        return "mapping"
    if origin in (tuple, Sequence, list) or str(origin).endswith("Sequence'>"):
        inner = [a for a in args if a is not Ellipsis]
        if inner and typing.get_origin(inner[0]) is tuple:
            return "list of (text, text) pairs"
        if inner and getattr(inner[0], "__name__", "") not in {c.__name__ for c in VIEW_CLASSES}:
            return "rich text (print it with the format's filter)"
        return "list of " + (_type(inner[0]) if inner else "values")
    if args and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return f"{_type(rest[0])}, or none"
    return getattr(hint, "__name__", str(hint))
