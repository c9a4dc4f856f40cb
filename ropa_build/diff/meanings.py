"""What each change code means: ``schema/changes.yaml``, read once, and ``docs/changes.md``.

The codes, their significance and their wording in Danish and English are data, so a lawyer can
correct a sentence without touching code, and a register can override the file (e.g. make
``owner-changed`` need review) with its own ``schema/changes.yaml``, like the vocabularies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ropa_build.resources import load_data

LANGUAGES = ("da", "en")
Significance = Literal["review", "content", "editorial"]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Words(_Shape):
    en: str
    da: str


class _Code(_Shape):
    significance: Significance
    provision: str
    en: str
    da: str


class _Report(_Shape):
    title: str
    working_tree: str
    summary: str
    # Counted words, singular then plural: ["{n} change", "{n} changes"].
    changes: tuple[str, str]
    activities: tuple[str, str]
    review: tuple[str, str]
    file: str
    no_changes: str
    field: str
    before: str
    after: str
    meaning: str
    reaches: str
    all_activities: str
    organisation: str
    catalogue: str
    vocabulary: str
    renamed_from: str
    problems: str
    more_problems: str
    truncated: str
    value_cut: str
    empty: str


class _Changes(_Shape):
    significances: dict[Significance, _Words]
    codes: dict[str, _Code]
    words: dict[Literal["da", "en"], _Report]


@dataclass(frozen=True)
class Meanings:
    """The parsed ``changes.yaml``: ``codes[code]["significance"]``, ``words[lang][name]``..."""

    significances: dict[str, dict[str, str]]
    codes: dict[str, dict[str, str]]
    words: dict[str, dict[str, str]]

    def significance(self, code: str) -> str:
        return self.codes[code]["significance"]

    def meaning(self, code: str, lang: str) -> str:
        spec = self.codes[code]
        return f"{self.significances[spec['significance']][lang]}: {spec[lang]}"


def load_meanings(root: Path) -> Meanings:
    """``changes.yaml`` from the register's ``schema/`` or the built-in one, checked."""
    data = load_data(root, "schema", "changes.yaml", _Changes)
    return Meanings(data["significances"], data["codes"], data["words"])


def changes_doc(root: Path, generated: str) -> str:
    """``docs/changes.md``: every code with its significance, provision and wording."""
    from ropa_build.render.markdown import escape  # only the docs need Markdown

    meanings = load_meanings(root)
    lines = [
        "# Change codes (`ropa diff`)",
        "",
        generated,
        "",
        "`ropa diff [BASE [HEAD]]` compares two versions of the register (default: the "
        "merge-base with the default branch, and the working tree) and gives every change a "
        "code and a significance. The wording is in `schema/changes.yaml`; a register may "
        "override it with its own `schema/changes.yaml`.",
        "",
        "| Significance | English | Dansk |",
        "|---|---|---|",
    ]
    lines += [
        f"| `{name}` | {escape(words['en'])} | {escape(words['da'])} |"
        for name, words in meanings.significances.items()
    ]
    lines += [
        "",
        "| Code | Significance | Provision | Meaning | Betydning |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| `{code}` | {spec['significance']} | {escape(spec['provision'])} | {escape(spec['en'])} "
        f"| {escape(spec['da'])} |"
        for code, spec in meanings.codes.items()
    ]
    lines += [
        "",
        "## How changes are found",
        "",
        "- Both sides are read from git and validated as a build would; a side with problems is "
        'reported with them ("in BASE"), and its invalid records are compared as written.',
        "- Records are paired by id (the file name). A removed and an added file whose texts are "
        "at least 80 % alike (`difflib` ratio) are one record, renamed (`record-renamed`).",
        "- Lists are matched by their natural key, so reordering is no change: subject groups by "
        "`id`, recipients by `ref`, transfers by `country` and `recipient`, retention rules by "
        "their subjects and categories, controllers by `name`, accepted warnings by `rule`. "
        "Lists of plain values (categories, letters, e-mails) are sets. An item whose key "
        "changed is the same item, edited, when the rest is at least 80 % alike, except a "
        "recipient or a transfer: another `ref`, country or recipient is another disclosure, "
        "reported as one added and one removed.",
        "- A change in `organisation.yaml`, `catalogue.yaml` or `schema/` is reported once, with "
        "the activities it reaches.",
        "- Text that differs only in spacing, punctuation or letter case is `wording`.",
        "",
        "## `ropa check --against BASE`",
        "",
        "Warns (`updated-not-changed`) about each record whose content changed since BASE while "
        "its `updated` date stayed the same: the DPO relies on that date.",
        "",
        "## JSON",
        "",
        "`ropa diff --format json` follows `schema/diff.schema.json`. `path` lists field names "
        "from the top of the file; an item of a keyed list is written `[key]`.",
    ]
    return "\n".join(lines) + "\n"
