"""The walk over two values: where they differ, field by field, with lists matched by key.

Lists of mappings are matched by their natural key (:data:`KEYS`: a subject group's id, a
recipient's ref, a transfer's country and recipient, a retention rule's target...), so a
reordered list is no change; where the key allows it, items left unmatched on both sides are
paired when they are :data:`RENAME_RATIO` alike (an edited key), else they are an addition and a
removal. Lists of plain values (categories, letters, e-mails) are sets. What a difference means
is not decided here: :mod:`ropa_build.diff.compare` gives it its code.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from typing import Any

# Two texts this alike (difflib.SequenceMatcher.ratio, 0–1) are the same thing, edited: a
# record's file compared line by line (characters would take seconds per pair of large records),
# a list item as its JSON text, character by character. 0.8: a record of 20 lines or more keeps it
# under an edit of a few lines, two different records of the example stay far below (0.2–0.4),
# and a subject group whose id was corrected still pairs.
RENAME_RATIO = 0.8

Path = tuple[str, ...]  # field names; a keyed list item is "[key]"


def _key_transfer(item: dict) -> str:
    return f"{item.get('country')} · {item.get('recipient')}"


def _key_rule(item: dict) -> str:
    subjects = ", ".join(sorted(map(str, item.get("subjects") or ())))
    categories = ", ".join(sorted(map(str, item.get("categories") or ())))
    if item.get("records"):  # a rule for a kind of record (logs, backups)
        categories = f"{item['records']} {categories}".strip()
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


def walk(path: Path, before: Any, after: Any) -> list[tuple[Path, Any, Any, str]]:
    """(path, before, after, how) for each difference; how: changed, added or removed."""
    if before == after:
        return []
    if before is None and (isinstance(after, list) or path in _SECTIONS):
        before = type(after)()
    if after is None and (isinstance(before, list) or path in _SECTIONS):
        after = type(before)()
    if _state(before) != _state(after):  # an explicit state became a value, or back: one change
        return [(path, before, after, "changed")]
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in [*after, *(k for k in before if k not in after)]:
            if key in before and key in after:
                found += walk((*path, str(key)), before[key], after[key])
            else:  # an entry of a mapping (a catalogue id, a group in `receives`) came or went
                found.append(((*path, str(key)), before.get(key), after.get(key), "changed"))
        return found
    if isinstance(before, list) and isinstance(after, list):
        return _walk_list(path, before, after)
    return [(path, before, after, "changed")]


def _state(value: Any) -> bool:
    """An explicit state (``{state: not-appointed, note: …}``) rather than a value."""
    return isinstance(value, dict) and "state" in value


def _walk_list(path: Path, before: list, after: list) -> list[tuple[Path, Any, Any, str]]:
    keyed = lookup(KEYS, path) if path else None
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
    edited = match(gone, came, lambda k: _dump(olds[k] if k in olds else news[k])) if edits else []
    pairs += edited
    found = []
    for old_key, new_key in pairs:
        found += walk((*path, f"[{new_key}]"), olds[old_key], news[new_key])
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


def match(olds: list, news: list, text: Callable[[Any], Sequence]) -> list[tuple[Any, Any]]:
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


def lookup(table: dict[Path, Any], path: Path) -> Any:
    bare = tuple("*" if part.startswith("[") else part for part in path)
    for length in range(len(bare), 0, -1):
        for key, value in table.items():
            if len(key) == length and all(k in ("*", p) for k, p in zip(key, bare, strict=False)):
                return value
    return None
