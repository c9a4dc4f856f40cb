"""Assemble one record from an activity's recognised rows, and the catalogue they name.

Kept apart from :mod:`ropa_build.importer.mapping` (which finds the rows) so that each is one
step: here a row's content becomes the record's structure — subject groups with their checked
categories, recipients as catalogue references split internal / processors / others, transfer
items, retention rules — and every value is noted with the table, row and column it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from ropa_build.importer import extras, fields, states
from ropa_build.importer.basis import lawful_basis
from ropa_build.importer.catalogue import Catalogue, countries, ident
from ropa_build.importer.controllers import controllers
from ropa_build.importer.entries import Entry
from ropa_build.importer.grid import Para, Run
from ropa_build.importer.groups import subject_groups
from ropa_build.importer.labels import PARTY_ROWS, Labels
from ropa_build.importer.text import markdown, normal, plain_lines

if TYPE_CHECKING:
    from ropa_build.importer.entries import Imported

_TEXT_FIELDS = {
    "purposes": ("purposes",),
    "processing": ("processing",),
    "security": ("security",),
    "subject_categories": ("data_subjects", "description"),
    "recipients": ("recipients", "description"),
}
# Where a row the import does not recognise is kept, by the section it stands in.
_NEAREST = {
    "purposes": ("purposes",),
    "processing": ("processing",),
    "subjects": ("data_subjects", "description"),
    "recipients": ("recipients", "description"),
    "transfers": ("transfers", "description"),
    "retention": ("retention", "description"),
    "security": ("security",),
}
# A statement that there are no transfers: its country names are not transfers.
_NONE = re.compile(r"\b(ingen overførsler?|no transfers?|overføres ikke|not transferred)\b", re.I)
# Rows whose field holds one value: a second such row is kept as text, with a note.
_ONCE = {*PARTY_ROWS, "controllers", "lawful_basis", "transfers", "retention"}
# The record field each row fills, as the report names it.
_FIELD = {
    "controllers": "controllers",
    "purposes": "purposes",
    "lawful_basis": "lawful_basis",
    "processing": "processing",
    "subject_categories": "data_subjects.description",
    "recipients": "recipients.description",
    "internal": "recipients.internal",
    "processors": "recipients.processors",
    "others": "recipients.others",
    "transfers": "transfers",
    "retention": "retention",
    "accepted": "accepted",
    "security": "security",
    "open_point": "open_points",
    "roles": "recipients.roles",
    "document": "documents",
}
_PARTS = {"internal": "system", "processors": "processor", "others": "recipient"}


def record(
    imported: Imported,
    entries: list[Entry],
    labels: Labels,
    catalogue: Catalogue,
    eea: frozenset[str],
    meta: dict,
) -> dict:
    """The record's data (``role`` is decided after, by the mapping); parties go to
    ``imported.parties`` for organisation.yaml. A second row for a field that holds one value
    (a second DPO row, a second transfers row) is kept as text with a note, never dropped."""
    rec: dict = {"title": imported.title, "role": None}
    meta_fields(rec, imported, meta)
    groups = subject_groups(rec, imported, [e for e in entries if e.key == "group"], labels)
    names = {normal(g["name"]): g["id"] for g in groups}
    seen: set[str] = set()
    for entry in entries:
        key = entry.key
        if key == "group":
            continue
        once = PARTY_ROWS.get(key or "", key)  # "processor_organisation" is the controller's
        if key in _ONCE and once in seen:
            _unplaced(rec, imported, entry)
            continue
        seen.add(once or "")
        if key not in PARTY_ROWS:
            imported.placed.append((_FIELD.get(key or "", f"row '{entry.label}'"), entry.where))
        if states.missing(entry.paras, labels) and key in _FIELD.keys() | PARTY_ROWS.keys():
            continue  # the build's "Ikke udfyldt": a field left out
        if key in PARTY_ROWS:
            imported.parties.setdefault(PARTY_ROWS[key], (_party(entry, labels), entry.where))
        elif key == "controllers":
            rec["controllers"] = controllers(entry.paras, labels)
        elif key in _TEXT_FIELDS:
            _text(rec, key, entry, labels)
        elif key == "lawful_basis":
            stated = states.state(entry.paras, labels)
            rec["lawful_basis"] = stated or lawful_basis(entry.paras, labels)
        elif key in _PARTS:
            _recipients(rec, imported, entry, labels, catalogue, names)
        elif key == "transfers":
            _transfers(rec, imported, entry, labels, catalogue, eea)
        elif key == "retention":
            stated = states.state(entry.paras, labels)
            rec["retention"] = stated or fields.retention(entry.paras, labels, names)
        elif key == "accepted":
            found, unread = fields.accepted(entry.paras, labels)
            rec.setdefault("accepted", []).extend(found)
            if unread:
                _unplaced(
                    rec, imported, Entry(key, entry.section, entry.label, unread, entry.where)
                )
        elif key == "extra":
            _extra(rec, imported, entry, labels)
        elif key == "document":
            _document(rec, imported, entry, labels)
        elif key == "roles":
            rec.setdefault("recipients", {})["roles"] = extras.roles(entry.paras)
        elif key == "open_point":
            point = states.open_point(labels.point(entry.label) or "", entry.paras, labels)
            rec.setdefault("open_points", []).append(point)
        else:
            _unplaced(rec, imported, entry)
    _whole_states(rec)
    return ordered(rec)


def _extra(rec: dict, imported: Imported, entry: Entry, labels: Labels) -> None:
    name = extras.extra_key(entry.label, labels) or ""
    value = extras.extra_value(name, entry.paras, labels)
    if value is None:
        _unplaced(rec, imported, entry)
    else:
        rec[name] = value
        imported.placed[-1] = (name, entry.where)


def _document(rec: dict, imported: Imported, entry: Entry, labels: Labels) -> None:
    """A companion document: its title, then its link; one of a kind the build names (not
    "Dokument") is the register's, in organisation.yaml, with that kind."""
    lines = plain_lines(entry.paras)
    if not lines:
        return
    found = {"title": lines[0], **({"link": " ".join(lines[1:])} if lines[1:] else {})}
    plain = {normal(data["content"]["document"]) for data in labels.by_lang.values()}
    if normal(entry.label) in plain:
        rec.setdefault("documents", []).append(found)
        return
    base = ident(lines[0], "document")
    imported.documents[base] = {**found, "kind": entry.label[:1].lower() + entry.label[1:]}
    rec.setdefault("documents", []).append({"ref": base})


def _party(entry: Entry, labels: Labels) -> dict | None:
    """A party's contact; its state ("**Ikke relevant** — why"); None for a plain "Ingen"
    (what the build writes for a party stated as ``null``)."""
    if states.stated_none(entry.paras, labels):
        return None
    return states.state(entry.paras, labels) or fields.contact(plain_lines(entry.paras), labels)


def _text(rec: dict, key: str, entry: Entry, labels: Labels) -> None:
    """A text field, or its state; a second row's text is appended (a state alone only
    where the field has nothing yet)."""
    path = _TEXT_FIELDS[key]
    holder = rec
    for part in path[:-1]:
        holder = holder.setdefault(part, {})
    stated = states.state(entry.paras, labels)
    if stated and not holder.get(path[-1]):
        holder[path[-1]] = stated
    else:
        _append(rec, path, markdown(entry.paras))


def _whole_states(rec: dict) -> None:
    """A state in a section's first row, with no other row of the section, is the section's
    own: the build writes ``data_subjects: not-applicable`` (and ``recipients``) in that row."""
    for key in ("data_subjects", "recipients"):
        value = rec.get(key)
        described = isinstance(value, dict) and set(value) == {"description"}
        if described and isinstance(value["description"], dict):
            rec[key] = value["description"]


def meta_fields(
    rec: dict, imported: Imported, meta: dict, where: str = "the line under the title"
) -> None:
    """Owner, updated and reviewed from what the document says (``meta``); a placeholder and a
    note where it says nothing."""
    for key in ("owner", "updated", "reviewed"):
        if meta.get(key):
            imported.placed.append((key, where))
    if meta.get("owner"):
        rec["owner"] = meta["owner"]
    else:
        rec["owner"] = "TODO(import): the document names no process owner"
    updated = meta.get("updated") or meta.get("month")
    if meta.get("updated") is None and updated:
        imported.placed.append(("updated", "the month under the title"))
        imported.notes.append(("updated", "the document gives only the month; check the day"))
    if updated is None:
        updated = dt.date(1970, 1, 1)
        imported.notes.append(("updated", "the document gives no date: set the real one"))
    rec["updated"] = updated
    rec["reviewed"] = meta.get("reviewed") or updated
    if meta.get("reviewed") and meta.get("reviewed_by"):
        rec["reviewed"] = {"date": meta["reviewed"], "by": meta["reviewed_by"]}
    if not meta.get("reviewed"):
        imported.notes.append(
            ("reviewed", "the document gives no review date; set to the update date")
        )


def _append(rec: dict, path: tuple[str, ...], text: str) -> None:
    if not text:
        return
    holder = rec
    for key in path[:-1]:
        holder = holder.setdefault(key, {})
    old = holder.get(path[-1])
    holder[path[-1]] = f"{old}\n\n{text}" if old else text


def _recipients(rec, imported, entry, labels, catalogue, names) -> None:
    part = entry.key
    uses = rec.setdefault("recipients", {}).setdefault(part, [])
    if states.stated_none(entry.paras, labels):
        return  # "Ingen": the build's words for a part with nobody in it
    for use in fields.recipients(entry.paras, labels, names):
        item: dict = {"ref": catalogue.ref(use.name, use.used_for, _PARTS[part])}
        for message in catalogue.describe(item["ref"], use.details, labels, entry.where):
            imported.notes.append(("recipients", message))
        if use.every:  # listed for every activity: organisation.yaml's, not the record's
            imported.every.setdefault(part, []).append(item["ref"])
            continue
        if use.receives:
            item["receives"] = use.receives
        if use.note:
            item["note"] = use.note
        for line in use.unread:
            imported.notes.append(("recipients", f"'{line}' ({entry.where}) was not understood"))
            item["note"] = "; ".join(filter(None, [item.get("note"), line]))
        uses.append(item)


def _transfers(rec, imported, entry, labels, catalogue, eea) -> None:
    stated = states.state(entry.paras, labels)
    if stated:
        rec["transfers"] = stated
        return
    description, items = fields.transfers(entry.paras, labels)
    out: dict = {}
    if markdown(description):
        out["description"] = states.text_or_state(description, labels)
    recipients = rec.get("recipients") if "state" not in rec.get("recipients", {}) else {}
    used = [u["ref"] for part in _PARTS for u in (recipients or {}).get(part, [])]
    out["items"] = []
    for item in items:
        found: dict = {"country": item.country}
        found["recipient"] = catalogue.named(item.recipient, used) or item.recipient
        if item.mechanism:
            found["mechanism"] = item.mechanism
        found |= item.detail
        documentation = markdown(item.documentation)
        if item.said:  # a mechanism the import does not know: kept, for the DPO to choose
            documentation = "\n\n".join(filter(None, [item.said, documentation]))
            imported.notes.append(
                (
                    "transfers",
                    f"'{item.said}' ({entry.where}) is no mechanism the import knows: "
                    "kept as the transfer's documentation; set `mechanism:`",
                )
            )
        if documentation:
            found["documentation"] = documentation
        out["items"].append(found)
    if not items and not _NONE.search(" ".join(p.text for p in description)):
        for code, word in countries(" ".join(p.text for p in description), eea):
            out["items"].append({"country": code, "recipient": f"TODO(import): who in {code}?"})
            imported.notes.append(
                (
                    "transfers",
                    f"the statement mentions '{word}' ({code}, a third country) but names no "
                    "recipient or mechanism: a transfer was added for you to complete",
                )
            )
    if not out["items"]:
        del out["items"]
    rec["transfers"] = out


def _unplaced(rec: dict, imported: Imported, entry: Entry) -> None:
    path = _NEAREST.get(entry.section or "", ("purposes",))
    label = entry.label or "(row without a description)"
    text = markdown([Para([Run(f"{label}:", bold=True)]), *entry.paras])
    _append(rec, path, text)
    imported.notes.append(
        (path[0], f"the row '{label}' ({entry.where}) has no place in the record: kept here")
    )
    imported.unmapped.append((entry.where, f"row '{label}' (kept in {'.'.join(path)})"))


_ORDER = (
    "title",
    "role",
    "owner",
    "updated",
    "reviewed",
    "controllers",
    "processing",
    "purposes",
    "lawful_basis",
    "data_subjects",
    "recipients",
    "transfers",
    "retention",
    "security",
    "open_points",
    *extras.KEYS,
    "documents",
    "accepted",
)


def ordered(rec: dict) -> dict:
    return {key: rec[key] for key in _ORDER if key in rec}
