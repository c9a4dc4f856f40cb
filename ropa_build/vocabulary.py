"""The controlled vocabularies in ``schema/``: data categories, transfer mechanisms, adequacy,
international organisations.

They are data, not code, because they change with the law (an adequacy decision is adopted,
renewed or struck down) and because a register may extend them; see :mod:`ropa_build.resources`.
A transfer's destination is a country (ISO 3166 code) or an international organisation, spelt
``org:<id>`` with the id from ``international-organisations.yaml`` (Art. 44 treats both alike).

A register's ``schema/data-categories.yaml`` *extends* the built-in categories: its entries are
added after them (an entry with a built-in id changes that category); so does its
``international-organisations.yaml`` (an organisation it transfers to that is not built in).
Category names are labels (``categories`` and ``categories_short`` in every language's label
file; :mod:`ropa_build.labels` reports a category without them at its line here).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pycountry
from pydantic import BaseModel, ConfigDict, RootModel

from ropa_build.errors import UserError
from ropa_build.models import ORGANISATION_PREFIX, CountryCode, Day, Destination, Id
from ropa_build.resources import display_path, load_data, load_source, search_path
from ropa_build.schema_errors import check_shape
from ropa_build.source import Source, read_yaml

CATEGORIES = "data-categories.yaml"


@dataclass(frozen=True)
class Vocabulary:
    """Category kinds ('general', 'cpr', 'art9', 'art10'), checklist order, transfer rules.

    ``adequate`` maps a destination to its decision (``decision``, ``adopted``, and where they
    apply ``scope``, ``requires``, ``expires``, ``review``, ``note``; dates as dates).
    ``adequacy_source`` is the adequacy file read, so a finding about the list can point at it.
    """

    categories: dict[str, dict]
    mechanisms: dict[str, dict]
    eea: frozenset[str]
    adequate: dict[str, dict]
    adequacy_as_of: str
    adequacy_source: Source
    organisations: dict[str, dict]  # id (without "org:") → {"name": {lang: text}}

    def always_listed(self) -> list[str]:
        return [c for c, spec in self.categories.items() if spec["listed"] == "always"]

    def third_country(self, code: str) -> bool:
        """Outside the EU/EEA: every country but the EEA's, and every international organisation."""
        return code not in self.eea

    def destination_name(self, code: str, locale: str) -> str | None:
        """A country's or an international organisation's name in ``locale``; None if unknown."""
        if code.startswith(ORGANISATION_PREFIX):
            spec = self.organisations.get(code.removeprefix(ORGANISATION_PREFIX), {})
            names = spec.get("name", {})
            return names.get(locale.split("_")[0]) or names.get("en")
        return country_name(code, locale)


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Category(_Shape):
    kind: Literal["general", "cpr", "art9", "art10"]
    listed: Literal["always", "when_used"]


class _Mechanism(_Shape):
    article: str
    needs_documentation: bool


class _Adequate(_Shape):
    decision: str | None = None  # the Commission decision, e.g. "(EU) 2023/1795"
    adopted: Day | None = None
    scope: str | None = None  # where the decision covers only part of the recipients
    requires: Literal["dpf_certified"] | None = None  # checked on the catalogue entry
    expires: Day | None = None  # the decision no longer applies after this day
    review: Day | None = None  # the Commission's next review is due (information)
    note: str | None = None  # a watch note: a court challenge, a pending renewal


class _Adequacy(_Shape):
    as_of: Day
    eea: list[CountryCode]
    adequate: dict[Destination, _Adequate | None] = {}


class _Organisation(_Shape):
    name: dict[Literal["da", "en"], str]


def load_vocabulary(root: Path) -> Vocabulary:
    """Read the vocabulary files from the register's ``schema/`` or the built-ins.

    A register's own copy is checked against the shape the linter relies on (the adequacy list
    is meant to be edited by users when the law changes).
    """
    source = load_source(root, "schema", "adequacy.yaml", _Adequacy)
    adequacy = _Adequacy.model_validate(source.data)  # checked at its lines by load_source
    return Vocabulary(
        categories=categories(root),
        mechanisms=load_data(
            root, "schema", "transfer-mechanisms.yaml", RootModel[dict[str, _Mechanism]]
        ),
        eea=frozenset(adequacy.eea),
        adequate={
            code: spec.model_dump(exclude_none=True) if spec else {}
            for code, spec in adequacy.adequate.items()
        },
        adequacy_as_of=adequacy.as_of.isoformat(),
        adequacy_source=source,
        organisations=_merged(
            _layers(root, "international-organisations.yaml", RootModel[dict[Id, _Organisation]])
        ),
    )


def category_sources(root: Path) -> list[Source]:
    """The data-category files, built-in first, then the register's own (if it has one)."""
    return _layers(root, CATEGORIES, RootModel[dict[str, _Category]])


def categories(root: Path) -> dict[str, dict]:
    """The built-in categories and the register's own, in that order."""
    return _merged(category_sources(root))


def _layers(root: Path, name: str, shape: type[BaseModel]) -> list[Source]:
    """A vocabulary a register extends: the built-in file, then the register's own (if any),
    each checked at its lines."""
    sources = []
    for folder in reversed(search_path(root, "schema")):
        path = folder / name
        if path.is_file():
            source, problems = read_yaml(path, display_path(root, path))
            if not problems:
                problems = check_shape(shape, source)
            if problems:
                raise UserError(problems)
            sources.append(source)
    return sources


def _merged(sources: list[Source]) -> dict:
    merged: dict = {}
    for source in sources:
        merged.update(source.data or {})
    return merged


def country_name(code: str, locale: str) -> str | None:
    """The country's name in ``locale`` (CLDR via Babel), or None for an unknown ISO code."""
    from babel import Locale

    if pycountry.countries.get(alpha_2=code) is None:
        return None
    return Locale.parse(locale).territories.get(code)
