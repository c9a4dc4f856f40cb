"""Keeping the register current and finished: reviews, the catalogue, placeholders."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ropa_build.errors import Problem
from ropa_build.placeholders import placeholder
from ropa_build.rules.common import add_months, recipient_uses, texts, transfers
from ropa_build.rules.registry import RECORD, Example, Finding, rule
from ropa_build.validate import Register


@rule(
    "review-overdue",
    "warning",
    "Art. 5(2), Art. 24(1)",
    Example(
        RECORD,
        "reviewed: 2024-01-15   # judged on 2026-11-25, with a 12-month interval\n",
        "reviewed: 2026-11-20\n",
    ),
)
def _review_overdue(register: Register, today: dt.date) -> Iterator[Finding]:
    """A register must be kept up to date (accountability, Art. 5(2) and 24(1)). Each activity
    is reviewed at least every ``document.review_interval_months`` (organisation.yaml; default
    12). "Today" is given to the checker from outside, so results are reproducible."""
    months = register.organisation.document.review_interval_months
    for activity in register.activities:
        due = add_months(activity.record.reviewed.date, months)
        if due < today:
            yield Finding(
                activity.source,
                ("reviewed",),
                f"the review was due on {due.isoformat()}",
                "review the activity and set `reviewed:` to the date",
            )


@rule(
    "unused-catalogue-entry",
    "warning",
    "accountability",
    Example(
        "catalogue.yaml",
        "systems:\n  mailservice:\n    name: Mailservice\n    kind: processor\n"
        "    countries: [IE]\n    dpa: https://mailservice.example/dpa\n"
        "  gammelt-crm:\n    name: Gammelt CRM (lukket 2023)\n",
        "systems:\n  mailservice:\n    name: Mailservice\n    kind: processor\n"
        "    countries: [IE]\n    dpa: https://mailservice.example/dpa\n",
    ),
)
def _unused_catalogue_entry(register: Register, today: dt.date) -> Iterator[Finding]:
    """A catalogue entry no activity uses is either stale or a sign that an activity forgot a
    recipient; keeping the catalogue and the records in step keeps the register from drifting
    away from the list of sub-processors. An entry organisation.yaml lists under `recipients`
    (used by every activity, stated once) is used."""
    every = register.organisation.recipients  # stated once, used by every activity
    used = {use.ref for use in (*every.internal, *every.processors)}
    used |= {use.ref for _, _, _, use in recipient_uses(register)}
    used |= {t.recipient for _, _, t in transfers(register)}
    for key in register.catalogue.systems:
        if key not in used:
            yield Finding(
                register.sources[1],
                ("systems", key),
                f"the catalogue entry '{key}' is not used by any activity",
                "remove it, or add it where it is used",
                key=True,
            )


def _text(path: Path | None) -> str | None:
    """A file's text, or None where there is no file or it cannot be read (its data is then
    walked all the same)."""
    try:
        return path.read_text(encoding="utf-8") if path else None
    except (OSError, UnicodeDecodeError):
        return None


@rule(
    "todo-left",
    "warning",
    "Art. 30 (a register, not a draft)",
    Example(
        RECORD,
        "security: 'TODO: beskriv sikkerhedsforanstaltningerne'\n",
        "security: Adgangsstyring med to-faktor-login; kryptering under transport og i hvile.\n",
    ),
)
def _todo_left(register: Register, today: dt.date) -> Iterator[Finding | Problem]:
    """``ropa new`` fills every field with a ``TODO:`` placeholder, and Word templates leave
    bracketed prompts ("[Indsæt navn]", "[Dato]", "[Insert …]"). One left in any file of the
    register — a record, organisation.yaml or catalogue.yaml — would reach the DPO's document
    as if it were the register's content. ``ropa import`` marks what it could not place with
    confidence with a ``# TODO(import): …`` comment above the key; those are reported too, with
    what to check."""
    records = {id(a.source) for a in register.activities}
    for source in (*register.sources, *(a.source for a in register.activities)):
        text = _text(source.file)  # read once: for a quick look, and for import comments
        if text is not None and "TODO" not in text and placeholder(text) is None:
            continue  # the file's text has none: its data need not be walked
        for loc, value in texts(source.data):
            found = placeholder(value)
            if found:
                yield Finding(
                    source,
                    loc,
                    f"a placeholder is left here: '{found}'",
                    "write the real content, or remove the field",
                )
        if id(source) in records:
            for line, column, comment in _import_todos(text or ""):
                hint = "check it, fix the record, then delete the comment"
                yield Problem(source.path, line, column, "", comment, hint)


@rule(
    "not-a-record",
    "warning",
    "Art. 30(1), 30(2) (every activity in the register)",
    Example(
        "records/noter.md",
        "# Noter fra mødet med HR\n",
        "# Noter fra mødet med HR\n",
        moved_to="docs/noter.md",
    ),
    per_record=False,
)
def _not_a_record(register: Register, today: dt.date) -> Iterator[Problem]:
    """A file under ``records/`` that is not read as a record — a note, a ``.bak`` or ``~``
    backup, a hidden file — is named, so that an activity can never drop out of the register
    without a word (a record's name ends in ``.yaml`` or ``.yml``, in any letter case; a
    misspelt extension or a broken link is an error). Move the file out of ``records/``;
    ``--ignore not-a-record`` silences the warning for a run."""
    yield from register.notices  # found while reading the folder (ropa_build.load)


_IMPORT_TODO = re.compile(r"^\s*#\s*(TODO\(import\):.*)$")


def _import_todos(text: str) -> Iterator[tuple[int, int, str]]:
    """``# TODO(import): …`` comments (continued on ``#   `` lines), with line and column."""
    if "TODO(import)" not in text:
        return
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        found = _IMPORT_TODO.match(line)
        if found:
            message = found.group(1)
            for more in lines[number:]:
                if not more.startswith("#   "):
                    break
                message += " " + more[1:].strip()
            yield number, line.index("#") + 1, message
