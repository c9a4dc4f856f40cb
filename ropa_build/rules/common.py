"""Ways into the register that several rules share (each defined once)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import BaseModel

from ropa_build.models import RecipientUse, Shared, SubjectGroup, Transfer, given
from ropa_build.validate import Activity, Register


def stated(value: object) -> bool:
    """Says something: ``transfers: {}`` or a section of empty fields states nothing; an
    explicit state (``transfers: none``) says something."""
    if isinstance(value, BaseModel):
        return any(stated(item) for _, item in value)
    return bool(value)


def shared_text(register: Register, value: object) -> object:
    """A shared statement's text in place of the reference to it (rules read what is meant)."""
    if isinstance(value, Shared):
        statement = register.organisation.statements.get(value.shared)
        return "\n\n".join(filter(None, [statement.text if statement else None, value.also]))
    return value


def controllers(register: Register) -> Iterator[Activity]:
    return (a for a in register.activities if a.record.role == "controller")


def processors(register: Register) -> Iterator[Activity]:
    return (a for a in register.activities if a.record.role == "processor")


def groups(activity: Activity) -> list[SubjectGroup]:
    subjects = given(activity.record.data_subjects)
    return subjects.groups if subjects else []


def uses_in(activity: Activity) -> Iterator[tuple[str, int, RecipientUse]]:
    """The record's recipients: (part, index in the part, the use)."""
    recipients = given(activity.record.recipients)
    for part in ("internal", "processors", "others"):
        for i, use in enumerate(getattr(recipients, part, ()) if recipients else ()):
            yield part, i, use


def recipient_uses(register: Register) -> Iterator[tuple[Activity, str, int, RecipientUse]]:
    """Every recipient of every record: (activity, part, index in the part, the use)."""
    for activity in register.activities:
        for part, i, use in uses_in(activity):
            yield activity, part, i, use


def transfers(register: Register) -> Iterator[tuple[Activity, int, Transfer]]:
    for activity in register.activities:
        listed = given(activity.record.transfers)
        for i, transfer in enumerate(listed.items if listed else ()):
            yield activity, i, transfer


def own_staff(register: Register, transfer: Transfer) -> bool:
    """The transfer's recipient is stated to be the organisation's own staff (the transfer's or
    the catalogue entry's ``same_entity: true``; the transfer's own word first): access from
    abroad by one's own employees is no transfer (EDPB Guidelines 05/2021), so it needs no
    Chapter V mechanism."""
    if transfer.same_entity is not None:
        return transfer.same_entity
    system = register.catalogue.systems.get(transfer.recipient)
    return bool(system and system.same_entity)


def texts(data: object, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every string in raw file data, with its location."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from texts(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from texts(value, (*loc, index))


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, on the month's last day where it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
