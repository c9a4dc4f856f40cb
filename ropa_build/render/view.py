"""What every output shows, decided once: the register as sections of rows of rich text.

The three formats differ only in markup, so the legal content — which rows a controller or a
processor record has, which checklist lines are listed, how a recipient shows what it receives —
is built here from the validated register and the label file, and each format's templates only
lay it out. A row is one line of Datatilsynet's table: a description (with an italic hint), the
content, and for checklist lines a mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_date

from ropa_build.provenance import Provenance
from ropa_build.render.blocks import long_date as _date
from ropa_build.render.extras import about_activity
from ropa_build.render.register_parts import about_sections, approval_line
from ropa_build.render.rows import Row, Section
from ropa_build.render.sections import Sections
from ropa_build.validate import Activity, Register

__all__ = [
    "ActivityHead",
    "ActivityView",
    "RegisterView",
    "Row",
    "Section",
    "activity_view",
    "register_view",
]


@dataclass(frozen=True)
class ActivityHead:
    """What the register-wide parts of a document show of an activity (its contents line)."""

    id: str
    title: str
    month: str
    meta: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ActivityView(ActivityHead):
    """One activity's table; its head is all the register-wide templates see of it, except
    inside the block that renders the activity itself."""

    sections: tuple[Section, ...]

    @property
    def head(self) -> ActivityHead:
        return ActivityHead(self.id, self.title, self.month, self.meta)


@dataclass(frozen=True)
class LogRow:
    """One line of the change log annex (:mod:`ropa_build.changelog`), worded: plain text that
    each format escapes."""

    date: str
    activity: str
    what: str
    author: str
    pull_request: str  # "#123", or ""


@dataclass(frozen=True)
class Annex:
    rows: tuple[LogRow, ...]  # newest first
    notes: tuple[str, ...]  # since when, how many are left out, an incomplete history


@dataclass(frozen=True)
class RegisterView:
    """The register's own lines. ``version`` is "" when the register states none (no invented
    "Version 1"); ``approval`` is the approval in words ("Godkendt af … den …"), or ""; ``about``
    holds the register-level sections (introduction, scope, roles, version log, review, shared
    statements, companion documents, open points) for the templates that show them."""

    lang: str
    role: str  # "controller" (Art. 30(1)) or "processor" (Art. 30(2)): a register is one or other
    stem: str  # the register's file names: register.docx, register-processor.md, …
    title: str
    organisation: str
    version: str
    date: str
    labels: dict
    activities: Sequence[ActivityHead]  # heads, or whole views where a template needs them
    approval: str = ""
    about: tuple[Section, ...] = ()
    provenance: Provenance | None = None  # version, commit, short, date, dirty, shallow, tool
    stamp: tuple[str, ...] = ()  # the provenance worded: the cover's line(s)
    built: str = ""  # the provenance's date (the commit's), worded
    changelog: Annex | None = None  # the change log annex; None: none (--no-changelog)

    def key(self) -> str:
        """What the register-wide files show besides the activities and the input files: the
        provenance and the change log (their cache key must change with them)."""
        return repr((self.provenance, self.stamp, self.built, self.changelog))


#: Each role's register and the stem of its file names; an organisation that is both controller
#: and processor keeps two records (Art. 30(1) and (2); CNIL says so explicitly), so that either
#: can be handed to the authority alone.
STEMS = {"controller": "register", "processor": "register-processor"}


def register_view(
    register: Register,
    labels: dict,
    lang: str,
    role: str,
    provenance: Provenance | None = None,
    changelog: Annex | None = None,
) -> RegisterView:
    """One role's register, without its activities (the render stage adds them as they are made);
    its date is its newest record's, so a rebuild never changes it.

    The version is the organisation's ``document.version`` where it gives one, else the git
    version (a register that states none is never shown as an invented "1")."""
    days = [a.record.updated for a in register.activities if a.record.role == role]
    version = register.organisation.document.version or ""
    return RegisterView(
        lang=lang,
        role=role,
        stem=STEMS[role],
        title=f"{labels['document']['register_title']} ({labels['roles'][role]})",
        organisation=register.organisation.controller.name,
        version=version or (provenance.version if provenance else ""),
        date=_date(max(days, default=dt.date(1970, 1, 1)), labels),
        labels=labels,
        activities=(),
        approval=approval_line(register, labels),
        about=about_sections(register, labels),
        provenance=provenance,
        stamp=_stamp(provenance, labels),
        built=_date(provenance.date.date(), labels) if provenance else "",
        changelog=changelog,
    )


def _stamp(provenance: Provenance | None, labels: dict) -> tuple[str, ...]:
    """The provenance line, and a line per caveat (uncommitted changes, a shallow clone)."""
    if provenance is None:
        return ()
    words = labels["provenance"]
    day = _date(provenance.date.date(), labels)
    if not provenance.commit:
        first = words["outside"].format(date=day)
    elif provenance.version == provenance.short or provenance.version == provenance.commit:
        first = words["commit"].format(commit=provenance.short, date=day)  # no tag to name
    else:
        first = words["line"].format(version=provenance.version, commit=provenance.short, date=day)
    lines = [f"{first} · {words['tool'].format(version=provenance.tool)}"]
    lines += [words[flag] for flag in ("dirty", "shallow") if getattr(provenance, flag)]
    return tuple(lines)


def activity_view(register: Register, activity: Activity, labels: dict) -> ActivityView:
    """One activity's table, laid out for its role (Art. 30(1) or 30(2))."""
    record, doc = activity.record, labels["document"]
    build = Sections(register, record, labels)
    sections = build.processor() if record.role == "processor" else build.controller()
    title = doc["activity_title"].format(title=record.title, role=labels["roles"][record.role])
    month = format_date(record.updated, labels["month_format"], locale=labels["locale"])
    review = record.reviewed
    reviewed = doc["reviewed_by"].format(by=review.by) if review.by else doc["reviewed"]
    meta = (
        (doc["owner"], record.owner),
        (doc["updated"], _date(record.updated, labels)),
        (reviewed, _date(review.date, labels)),
    )
    return ActivityView(
        activity.id,
        title,
        month[:1].upper() + month[1:],
        meta,
        tuple(
            s
            for s in [
                *sections,
                about_activity(record, labels),
                build.documents(),
                build.open_points(),
                build.notes(),
            ]
            if s.rows
        ),
    )
