"""The controlled vocabularies in ``schema/``: data categories, transfer mechanisms, adequacy.

They are data, not code, because they change with the law (an adequacy decision is adopted or
struck down) and because a register may extend them; see :mod:`ropa_build.resources`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pycountry
from pydantic import BaseModel, ConfigDict, RootModel

from ropa_build.models import CountryCode
from ropa_build.resources import load_data


@dataclass(frozen=True)
class Vocabulary:
    """Category kinds ('general', 'cpr', 'art9', 'art10'), checklist order, transfer rules."""

    categories: dict[str, dict]
    mechanisms: dict[str, dict]
    eea: frozenset[str]
    adequate: dict[str, dict]
    adequacy_as_of: str

    def always_listed(self) -> list[str]:
        return [c for c, spec in self.categories.items() if spec["listed"] == "always"]

    def third_country(self, code: str) -> bool:
        return code not in self.eea


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Category(_Shape):
    kind: Literal["general", "cpr", "art9", "art10"]
    listed: Literal["always", "when_used"]


class _Mechanism(_Shape):
    article: str
    needs_documentation: bool


class _Adequate(_Shape):
    condition: str | None = None


class _Adequacy(_Shape):
    as_of: str | dt.date
    eea: list[CountryCode]
    adequate: dict[CountryCode, _Adequate | None] = {}


def load_vocabulary(root: Path) -> Vocabulary:
    """Read the three vocabulary files from the register's ``schema/`` or the built-ins.

    A register's own copy is checked against the shape the linter relies on (the adequacy list
    is meant to be edited by users when the law changes).
    """
    adequacy = load_data(root, "schema", "adequacy.yaml", _Adequacy)
    as_of = adequacy.get("as_of")
    return Vocabulary(
        categories=load_data(
            root, "schema", "data-categories.yaml", RootModel[dict[str, _Category]]
        ),
        mechanisms=load_data(
            root, "schema", "transfer-mechanisms.yaml", RootModel[dict[str, _Mechanism]]
        ),
        eea=frozenset(adequacy.get("eea") or ()),
        adequate={code: spec or {} for code, spec in (adequacy.get("adequate") or {}).items()},
        adequacy_as_of=as_of.isoformat() if isinstance(as_of, dt.date) else str(as_of),
    )


def country_name(code: str, locale: str) -> str | None:
    """The country's name in ``locale`` (CLDR via Babel), or None for an unknown ISO code."""
    from babel import Locale

    if pycountry.countries.get(alpha_2=code) is None:
        return None
    return Locale.parse(locale).territories.get(code)
