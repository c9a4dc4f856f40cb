"""Two snapshots → the list of changes, each with its Art. 30 code (see ``schema/changes.yaml``).

Records are paired by id (the file name). A record that disappeared and one that appeared are a
rename when their files' lines are at least :data:`~ropa_build.diff.walk.RENAME_RATIO` alike: the
same activity under a new file name, not a removal and an addition.

Values are walked field by field (:func:`ropa_build.diff.walk.walk`: lists matched by their
natural key, so a reordered list is no change); each difference gets its code by the field it
is in (:data:`_RECORD_CODES`).

The organisation, the catalogue and the vocabularies are compared once each, and each change
there lists the activities it reaches (those that show it), so a changed DPO e-mail is one
change, not one per activity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ropa_build.diff.git import Entry, Snapshot
from ropa_build.diff.walk import Path, lookup, match, walk


@dataclass(frozen=True)
class Change:
    """One change. ``scope`` is record, organisation, catalogue or vocabulary; ``subject`` the
    record id (HEAD's), catalogue id or vocabulary name; ``reaches`` the activities that show
    a change outside the records."""

    code: str
    scope: str
    subject: str
    path: Path
    before: Any
    after: Any
    title: str = ""
    reaches: tuple[str, ...] = ()
    renamed_from: str | None = None


# A record's field → (code for a change, for an added item, for a removed item). Longest
# matching prefix wins; "*" matches one segment (a keyed item or a recipients part).
_RECORD_CODES: dict[Path, tuple[str, str, str]] = {
    ("title",): ("wording",) * 3,
    ("role",): ("role-changed",) * 3,
    ("owner",): ("owner-changed",) * 3,
    ("updated",): ("dates-changed",) * 3,
    ("reviewed",): ("dates-changed",) * 3,
    **{(party,): ("party-changed",) * 3 for party in ("controller", "joint_controller")},
    **{(party,): ("party-changed",) * 3 for party in ("representative", "dpo", "controllers")},
    ("purposes",): ("purpose-changed",) * 3,
    ("processing",): ("purpose-changed",) * 3,
    ("lawful_basis",): ("lawful-basis-changed",) * 3,
    ("data_subjects",): ("subject-group-changed",) * 3,
    ("data_subjects", "groups"): (
        "subject-group-changed",
        "subject-group-added",
        "subject-group-removed",
    ),
    ("data_subjects", "groups", "*", "name"): ("wording",) * 3,
    ("data_subjects", "groups", "*", "categories"): (
        "data-category-added",
        "data-category-added",
        "data-category-removed",
    ),
    ("recipients",): ("recipient-changed",) * 3,
    ("recipients", "*"): ("recipient-changed", "recipient-added", "recipient-removed"),
    ("transfers",): ("transfer-changed",) * 3,
    ("transfers", "items"): ("transfer-changed", "transfer-added", "transfer-removed"),
    ("retention",): ("retention-changed",) * 3,
    ("security",): ("security-changed",) * 3,
    ("accepted",): ("acceptance-changed",) * 3,
    ("open_points",): ("open-point-changed",) * 3,
}
# organisation.yaml's parts → their code; the rest (the parties) party-changed.
_ORGANISATION_CODES = {
    ("document",): "document-changed",
    ("documents",): "document-changed",
    ("statements",): "statement-changed",
    ("recipients",): "recipient-changed",
    ("accepted",): "acceptance-changed",
    ("open_points",): "open-point-changed",
}


def compare(base: Snapshot, head: Snapshot) -> list[Change]:
    """Every change from ``base`` to ``head``: the organisation, catalogue and vocabularies
    first, then the activities by id, each in field order."""
    changes = _organisation(base, head) + _catalogue(base, head) + _vocabularies(base, head)
    pairs, added, removed = _pair_records(base.records, head.records)
    special = head.special | base.special
    for old, new in pairs:
        title = _title(new)
        if old.id != new.id:
            changes.append(
                Change(
                    "record-renamed", "record", new.id, (), old.path, new.path, title, (), old.id
                )
            )
        if old.text == new.text:
            continue  # the same file: the same record (its validated data is the file's alone)
        both = old.model is not None and new.model is not None
        before, after = (old.validated(), new.validated()) if both else (old.raw, new.raw)
        for path, was, now, how in walk((), before, after):
            code = _record_code(path, was, now, how, special)
            renamed = old.id if old.id != new.id else None
            changes.append(Change(code, "record", new.id, path, was, now, title, (), renamed))
    for entry in added:
        changes.append(
            Change("record-added", "record", entry.id, (), None, entry.path, _title(entry))
        )
    for entry in removed:
        changes.append(
            Change("record-removed", "record", entry.id, (), entry.path, None, _title(entry))
        )
    order = {"organisation": 0, "catalogue": 1, "vocabulary": 2, "record": 3}
    return sorted(changes, key=lambda c: (order[c.scope], c.subject if c.scope == "record" else ""))


# --- records --------------------------------------------------------------------------------


def _pair_records(
    base: dict[str, Entry], head: dict[str, Entry]
) -> tuple[list[tuple[Entry, Entry]], list[Entry], list[Entry]]:
    pairs = [(base[i], head[i]) for i in sorted(base.keys() & head.keys())]
    gone = [base[i] for i in sorted(base.keys() - head.keys())]
    new = [head[i] for i in sorted(head.keys() - base.keys())]
    matched = match(gone, new, lambda entry: entry.text.splitlines())
    pairs += matched
    paired = {id(e) for pair in matched for e in pair}
    return (
        pairs,
        [e for e in new if id(e) not in paired],
        [e for e in gone if id(e) not in paired],
    )


def _title(entry: Entry) -> str:
    title = entry.raw.get("title") if isinstance(entry.raw, dict) else None
    return title if isinstance(title, str) else entry.id


def _record_code(path: Path, before: Any, after: Any, how: str, special: frozenset[str]) -> str:
    if how == "changed" and _only_wording(before, after):
        return "wording"
    codes = lookup(_RECORD_CODES, path)
    code = codes[("changed", "added", "removed").index(how)] if codes else "field-changed"
    if code == "data-category-added" and how == "added" and after in special:
        return "special-category-added"
    return code


def _only_wording(before: Any, after: Any) -> bool:
    """Texts equal but for spacing, punctuation and letter case."""
    if not (isinstance(before, str) and isinstance(after, str)):
        return False
    return _words(before) == _words(after)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


# --- the organisation, the catalogue, the vocabularies ---------------------------------------


def _records(snapshot: Snapshot) -> dict[str, dict]:
    """Each record's data as written: only ids and references are read from it."""
    return {record_id: _mapping(entry.raw) for record_id, entry in snapshot.records.items()}


def _organisation(base: Snapshot, head: Snapshot) -> list[Change]:
    records = _records(head)
    changes = []
    for path, was, now, _ in walk((), *_pick(base.organisation, head.organisation)):
        code = _ORGANISATION_CODES.get(path[:1], "party-changed")
        if code in ("document-changed", "open-point-changed", "acceptance-changed"):
            reaches: tuple[str, ...] = ()  # the register's own section, not its activities
        elif code == "statement-changed":
            reaches = tuple(i for i, r in records.items() if _refers(r, path[1]))
        elif path[0] in ("controller", "joint_controller", "representative", "dpo"):
            reaches = tuple(i for i, r in records.items() if r.get(path[0]) is None)
        else:
            reaches = tuple(records)
        changes.append(Change(code, "organisation", "", path, was, now, "", reaches))
    return changes


def _refers(data: Any, statement: str) -> bool:
    """Whether a record's data refers to the shared statement ``statement`` anywhere."""
    if isinstance(data, dict):
        return data.get("shared") == statement or any(_refers(v, statement) for v in data.values())
    return isinstance(data, list) and any(_refers(v, statement) for v in data)


def _pick(base: tuple[Any, Any], head: tuple[Any, Any]) -> tuple[dict, dict]:
    """Both validated, or both as written: a validated side lists every default, a raw one
    only what is written, and comparing the two would report every default as a change."""
    if base[0] is not None and head[0] is not None:
        return base[0], head[0]
    return _mapping(base[1]), _mapping(head[1])


def _catalogue(base: Snapshot, head: Snapshot) -> list[Change]:
    olds, news = (_mapping(side.get("systems")) for side in _pick(base.catalogue, head.catalogue))
    changes = []
    for path, was, now, _ in walk((), olds, news):
        system = path[0]
        users = _users(head, system) or _users(base, system)
        changes.append(Change("catalogue-changed", "catalogue", system, path, was, now, "", users))
    return changes


def _users(snapshot: Snapshot, system: str) -> tuple[str, ...]:
    """The activities that name catalogue entry ``system`` (as a recipient or transferee)."""
    found = []
    for record_id, data in _records(snapshot).items():
        if system in _refs(data):
            found.append(record_id)
    return tuple(found)


def _refs(data: dict) -> list[str]:
    recipients = _mapping(data.get("recipients"))
    refs = [
        use.get("ref")
        for part in ("internal", "processors", "others")
        for use in _list(recipients.get(part))
        if isinstance(use, dict)
    ]
    refs += [
        t.get("recipient")
        for t in _list(_mapping(data.get("transfers")).get("items"))
        if isinstance(t, dict)
    ]
    return [r for r in refs if isinstance(r, str)]


def _vocabularies(base: Snapshot, head: Snapshot) -> list[Change]:
    if not base.vocabulary or not head.vocabulary:
        return []  # one side's vocabulary is invalid: its problems say so
    records = _records(head)
    changes = []
    for path, was, now, _ in walk((), base.vocabulary, head.vocabulary):
        reaches = tuple(i for i, data in records.items() if _uses(data, path, was, now))
        changes.append(
            Change("vocabulary-changed", "vocabulary", path[0], path, was, now, "", reaches)
        )
    return changes


def _uses(data: dict, path: Path, before: Any, after: Any) -> bool:
    """Whether a record uses the vocabulary entry at ``path`` (a category, mechanism, country)."""
    if path[0] == "data-categories" and len(path) > 1:
        groups = _list(_mapping(data.get("data_subjects")).get("groups"))
        return any(path[1] in _list(_mapping(g).get("categories")) for g in groups)
    transfers = [_mapping(t) for t in _list(_mapping(data.get("transfers")).get("items"))]
    if path[0] == "transfer-mechanisms" and len(path) > 1:
        return any(t.get("mechanism") == path[1] for t in transfers)
    if path[:2] == ("adequacy", "adequate") and len(path) > 2:
        return any(t.get("country") == path[2] for t in transfers)
    if path[:2] == ("adequacy", "eea"):
        moved = set(_list(before)) ^ set(_list(after))
        return any(t.get("country") in moved for t in transfers)
    return False


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []
