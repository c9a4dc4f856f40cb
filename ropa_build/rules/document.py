"""The register as a document: open points, and an approval that covers what it shows.

Legal assumptions, written down:

* Art. 30 asks for a record that is kept up to date; a point still open (an assumption, a
  question for the DPO, a fact to be verified, a value "to be verified" or "pending") is not yet
  part of that record's content. It is shown as open in the document and listed here until it
  is answered; it is never a reason to invent a value.
* An approval (``document.approved``) covers the register as it was on its date; a record
  changed afterwards (its ``updated`` date) is not covered by it (accountability, Art. 5(2)).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from ropa_build.errors import did_you_mean
from ropa_build.models import DocumentRef, Explicit, OpenPoint, Shared
from ropa_build.rules.registry import RECORD, Example, Finding, rule
from ropa_build.source import Loc, Source
from ropa_build.validate import Register


def inside(value: object, kind: type, loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """Every ``kind`` inside a model (a state, a shared reference), with its location."""
    if isinstance(value, kind):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from inside(getattr(value, name), kind, (*loc, name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from inside(item, kind, (*loc, i))


def open_states(value: object) -> Iterator[tuple[Loc, Explicit]]:
    """Every open explicit state (to-be-verified, pending) inside a model, with its location."""
    return ((loc, state) for loc, state in inside(value, Explicit) if state.open)


def _points(source: Source, model: BaseModel, points: list[OpenPoint]) -> Iterator[Finding]:
    for i, point in enumerate(points):
        who = f" (raised by {point.raised_by})" if point.raised_by else ""
        yield Finding(
            source,
            ("open_points", i),
            f"open {point.kind}: {point.description.strip()}{who}",
            "answer it and remove the point (say the answer where it belongs)",
        )
    for loc, state in open_states(model):
        note = f": {state.note}" if state.note else ""
        yield Finding(
            source,
            loc,
            f"'{_path(loc)}' is {state.state}{note}",
            "fill in the value once it is known",
        )


def _path(loc: Loc) -> str:
    """``retention.rules[1].period``: keys by name, list items counted from 1."""
    return "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")


@rule(
    "open-point",
    "warning",
    "Art. 30 (a record kept up to date); Art. 5(2)",
    Example(
        RECORD,
        "open_points:\n  - kind: question\n    description: Er der indgået "
        "standardkontraktbestemmelser med leverandøren?\n    raised_by: DPO\n",
        "open_points: []   # answered: the clauses are named under transfers\n",
    ),
)
def _open_point(register: Register, today: dt.date) -> Iterator[Finding]:
    """An open point — an assumption, a question for the DPO, a fact to be verified, or a value
    stated as ``to-be-verified`` or ``pending`` — is listed until it is answered. The document
    shows it under "Åbne punkter" / "Open points", never as settled fact. The shipped workflow
    fails on it only when the register's owner turns on its ``fail-on-open-points`` input."""
    organisation = register.organisation
    yield from _points(register.sources[0], organisation, organisation.open_points)
    for activity in register.activities:
        yield from _points(activity.source, activity.record, activity.record.open_points)


@rule(
    "approval-outdated",
    "warning",
    "Art. 5(2), Art. 30",
    Example(
        "organisation.yaml",
        'controller:\n  name: Eksempel ApS\n  cvr: "12345678"\njoint_controller: none\n'
        "representative: not-applicable\ndpo: not-appointed\ndocument:\n  version: '1.0'\n"
        "  approved: {version: '1.0', date: 2026-06-01, by: Direktionen}\n",
        'controller:\n  name: Eksempel ApS\n  cvr: "12345678"\njoint_controller: none\n'
        "representative: not-applicable\ndpo: not-appointed\ndocument:\n  version: '1.1'\n"
        "  approved: {version: '1.1', date: 2026-11-10, by: Direktionen}\n",
    ),
    per_record=False,
)
def _approval_outdated(register: Register, today: dt.date) -> Iterator[Finding]:
    """An approval covers the register as it was on its date. When an activity was updated
    after it (its ``updated`` date), the document the DPO hands over shows content nobody has
    approved: have the new version approved and update ``document.approved``."""
    approved = register.organisation.document.approved
    if approved is None:
        return
    changed = sorted(
        (a for a in register.activities if a.record.updated > approved.date),
        key=lambda a: (a.record.updated, a.id),
    )
    if changed:
        names = ", ".join(f"{a.id} ({a.record.updated.isoformat()})" for a in changed)
        yield Finding(
            register.sources[0],
            ("document", "approved", "date"),
            f"the approval of {approved.date.isoformat()} is older than changes to: {names}",
            "have the register approved again and update `document.approved`",
        )


@rule(
    "unknown-shared",
    "error",
    "Art. 30 (one register, read unambiguously)",
    Example(
        RECORD,
        "security: {shared: it-sikkerhd}\n",
        "security: Personligt login med to-faktor.\n",
    ),
)
def _unknown_shared(register: Register, today: dt.date) -> Iterator[Finding]:
    """A record refers to a shared statement (``{shared: <id>}``) or a companion document (an id
    under ``documents``) that organisation.yaml does not hold: the text the record means cannot
    be found, so the register cannot be read as written."""
    organisation = register.organisation
    statements, documents = list(organisation.statements), list(organisation.documents)
    for activity in register.activities:
        for loc, ref in inside(activity.record, Shared):
            if ref.shared not in statements:
                yield Finding(
                    activity.source,
                    (*loc, "shared"),
                    f"no shared statement '{ref.shared}' in organisation.yaml",
                    did_you_mean(ref.shared, statements, "add it under `statements:`"),
                )
        for loc, doc in inside(activity.record, DocumentRef):
            if doc.ref and doc.ref not in documents:
                yield Finding(
                    activity.source,
                    loc,
                    f"no companion document '{doc.ref}' in organisation.yaml",
                    did_you_mean(doc.ref, documents, "add it under `documents:`"),
                )
            elif not doc.ref and not doc.title:
                yield Finding(
                    activity.source,
                    loc,
                    "a companion document needs its id or its title",
                    "write the id of one under `documents:` in organisation.yaml, or a title",
                )
