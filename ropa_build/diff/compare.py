"""Two snapshots → the list of changes, each with its Art. 30 code (see ``schema/changes.yaml``).

Records are paired by id (the file name). A record that disappeared and one that appeared are a
rename when their files' texts are at least :data:`RENAME_RATIO` alike (``difflib`` ratio): the
same activity under a new file name, not a removal and an addition.

Values are walked field by field. Lists of mappings are matched by their natural key
(:data:`KEYS`: a subject group's id, a recipient's ref, a transfer's country and recipient, a
retention rule's target...), so a reordered list is no change; items left unmatched on both
sides are paired when they are :data:`RENAME_RATIO` alike (an edited key), else they are an
addition and a removal. Lists of plain values (categories, letters, e-mails) are sets.

The organisation, the catalogue and the vocabularies are compared once each, and each change
there lists the activities it reaches (those that show it), so a changed DPO e-mail is one
change, not one per activity.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ropa_build.diff.git import Entry, Snapshot

# Two texts this alike (difflib.SequenceMatcher.ratio, 0–1) are the same thing, edited: a
# record's file compared line by line (characters would take seconds per pair of large records),
# a list item as its JSON text, character by character. 0.8: a record of 20 lines or more keeps it
# under an edit of a few lines, two different records of the example stay far below (0.0–0.3),
# and a transfer item whose country or recipient was corrected still pairs.
RENAME_RATIO = 0.8

Path = tuple[str, ...]  # field names; a keyed list item is "[key]"


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


def _key_transfer(item: dict) -> str:
    return f"{item.get('country')} · {item.get('recipient')}"


def _key_rule(item: dict) -> str:
    subjects = ", ".join(sorted(map(str, item.get("subjects") or ())))
    categories = ", ".join(sorted(map(str, item.get("categories") or ())))
    return f"{subjects}: {categories}" if subjects else categories


# The natural key of each list of mappings, by the list's path ("*" matches any one segment),
# and whether an item whose key changed may still be the same item, edited. A recipient or a
# transfer is who gets the data: another ref, country or recipient is another disclosure (added
# and removed, each for the DPO to see), however alike the rest of the item.
KEYS: dict[Path, tuple[Callable[[dict], str], bool]] = {
    ("data_subjects", "groups"): (lambda item: str(item.get("id")), True),
    ("recipients", "*"): (lambda item: str(item.get("ref")), False),
    ("transfers", "items"): (_key_transfer, False),
    ("retention", "rules"): (_key_rule, True),
    ("controllers",): (lambda item: str(item.get("name")), True),
    ("accepted",): (lambda item: str(item.get("rule")), True),
}
# Sections whose absence is an empty section: an added `transfers:` is each transfer added.
_SECTIONS = {("data_subjects",), ("recipients",), ("transfers",), ("retention",), ("lawful_basis",)}

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
}
_ORGANISATION_CODES = {("document",): "document-changed"}  # the rest: party-changed


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
        for path, was, now, how in _walk((), before, after):
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
    matched = _match(gone, new, lambda entry: entry.text.splitlines())
    pairs += matched
    paired = {id(e) for pair in matched for e in pair}
    return (
        pairs,
        [e for e in new if id(e) not in paired],
        [e for e in gone if id(e) not in paired],
    )


def _match(olds: list, news: list, text: Callable[[Any], Sequence]) -> list[tuple[Any, Any]]:
    """Pairs of (old, new) whose ``text`` (lines, or characters) are at least RENAME_RATIO
    alike, best first, each item used once."""
    scored = []
    for i, old in enumerate(olds):
        for j, new in enumerate(news):
            matcher = difflib.SequenceMatcher(None, text(old), text(new))
            if matcher.real_quick_ratio() >= RENAME_RATIO and matcher.quick_ratio() >= RENAME_RATIO:
                ratio = matcher.ratio()
                if ratio >= RENAME_RATIO:
                    scored.append((-ratio, i, j))
    used_old, used_new, pairs = set(), set(), []
    for _, i, j in sorted(scored):
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((olds[i], news[j]))
    return pairs


def _title(entry: Entry) -> str:
    title = entry.raw.get("title") if isinstance(entry.raw, dict) else None
    return title if isinstance(title, str) else entry.id


def _record_code(path: Path, before: Any, after: Any, how: str, special: frozenset[str]) -> str:
    if how == "changed" and _only_wording(before, after):
        return "wording"
    codes = _lookup(_RECORD_CODES, path)
    code = codes[("changed", "added", "removed").index(how)] if codes else "field-changed"
    if code == "data-category-added" and how == "added" and after in special:
        return "special-category-added"
    return code


def _lookup(table: dict[Path, Any], path: Path) -> Any:
    bare = tuple("*" if part.startswith("[") else part for part in path)
    for length in range(len(bare), 0, -1):
        for key, value in table.items():
            if len(key) == length and all(k in ("*", p) for k, p in zip(key, bare, strict=False)):
                return value
    return None


def _only_wording(before: Any, after: Any) -> bool:
    """Texts equal but for spacing, punctuation and letter case."""
    if not (isinstance(before, str) and isinstance(after, str)):
        return False
    return _words(before) == _words(after)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


# --- the walk -------------------------------------------------------------------------------


def _walk(path: Path, before: Any, after: Any) -> list[tuple[Path, Any, Any, str]]:
    """(path, before, after, how) for each difference; how: changed, added or removed."""
    if before == after:
        return []
    if before is None and (isinstance(after, list) or path in _SECTIONS):
        before = type(after)()
    if after is None and (isinstance(before, list) or path in _SECTIONS):
        after = type(before)()
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in [*after, *(k for k in before if k not in after)]:
            if key in before and key in after:
                found += _walk((*path, str(key)), before[key], after[key])
            else:  # an entry of a mapping (a catalogue id, a group in `receives`) came or went
                found.append(((*path, str(key)), before.get(key), after.get(key), "changed"))
        return found
    if isinstance(before, list) and isinstance(after, list):
        return _walk_list(path, before, after)
    return [(path, before, after, "changed")]


def _walk_list(path: Path, before: list, after: list) -> list[tuple[Path, Any, Any, str]]:
    keyed = _lookup(KEYS, path) if path else None
    if keyed and all(isinstance(i, dict) for i in (*before, *after)):
        return _walk_keyed(path, before, after, *keyed)
    if all(_scalar(i) for i in (*before, *after)):
        was, now = _unique(before), _unique(after)
        if was == now:
            return []  # reordered
        if path[:2] == ("data_subjects", "groups") and path[-1] == "categories":
            return [(path, None, c, "added") for c in now if c not in was] + [
                (path, c, None, "removed") for c in was if c not in now
            ]
        return [(path, sorted(was, key=str), sorted(now, key=str), "changed")]
    return [(path, before, after, "changed")]


def _walk_keyed(
    path: Path, before: list, after: list, key: Callable[[dict], str], edits: bool
) -> list[tuple[Path, Any, Any, str]]:
    """Items matched by ``key``; with ``edits``, unmatched items that are alike are paired."""
    olds, news = _keyed(before, key), _keyed(after, key)
    gone = [k for k in olds if k not in news]
    came = [k for k in news if k not in olds]
    pairs = [(k, k) for k in news if k in olds]
    edited = _match(gone, came, lambda k: _dump(olds[k] if k in olds else news[k])) if edits else []
    pairs += edited
    found = []
    for old_key, new_key in pairs:
        found += _walk((*path, f"[{new_key}]"), olds[old_key], news[new_key])
    done_old = {o for o, _ in edited}
    done_new = {n for _, n in edited}
    found += [((*path, f"[{k}]"), None, news[k], "added") for k in came if k not in done_new]
    found += [((*path, f"[{k}]"), olds[k], None, "removed") for k in gone if k not in done_old]
    return found


def _keyed(items: list[dict], key: Callable[[dict], str]) -> dict[str, dict]:
    """Items by key; a repeated key gets " (2)", " (3)"... so that no item is lost."""
    out: dict[str, dict] = {}
    for item in items:
        name, n = key(item), 1
        while name in out:
            n += 1
            name = f"{key(item)} ({n})"
        out[name] = item
    return out


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _unique(values: list) -> list:
    return list(dict.fromkeys(values))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


# --- the organisation, the catalogue, the vocabularies ---------------------------------------


def _records(snapshot: Snapshot) -> dict[str, dict]:
    """Each record's data as written: only ids and references are read from it."""
    return {record_id: _mapping(entry.raw) for record_id, entry in snapshot.records.items()}


def _organisation(base: Snapshot, head: Snapshot) -> list[Change]:
    records = _records(head)
    changes = []
    for path, was, now, _ in _walk((), *_pick(base.organisation, head.organisation)):
        code = _ORGANISATION_CODES.get(path[:1], "party-changed")
        if code == "document-changed":
            reaches: tuple[str, ...] = ()
        elif path[0] in ("controller", "joint_controller", "representative", "dpo"):
            reaches = tuple(i for i, r in records.items() if r.get(path[0]) is None)
        else:
            reaches = tuple(records)
        changes.append(Change(code, "organisation", "", path, was, now, "", reaches))
    return changes


def _pick(base: tuple[Any, Any], head: tuple[Any, Any]) -> tuple[dict, dict]:
    """Both validated, or both as written: a validated side lists every default, a raw one
    only what is written, and comparing the two would report every default as a change."""
    if base[0] is not None and head[0] is not None:
        return base[0], head[0]
    return _mapping(base[1]), _mapping(head[1])


def _catalogue(base: Snapshot, head: Snapshot) -> list[Change]:
    olds, news = (_mapping(side.get("systems")) for side in _pick(base.catalogue, head.catalogue))
    changes = []
    for path, was, now, _ in _walk((), olds, news):
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
    for path, was, now, _ in _walk((), base.vocabulary, head.vocabulary):
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
