"""The catalogue the documents name: systems and recipients with ids, and what the documents say
about each (legal entity, where it processes, its processing agreement).

The build writes a recipient as its name, then the catalogue's detail lines ("Juridisk enhed:
Visma Enterprise A/S", "Behandles i: Danmark og Norge", "Databehandleraftale: …"); they are read
back into the entry, countries as ISO codes through the names the build writes them by (CLDR,
Danish and English; an international organisation by its name in the vocabulary). The first
activity naming an entry gives its details; another activity saying otherwise is reported, never
silently merged.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry
from babel import Locale

from ropa_build.importer.text import normal
from ropa_build.scaffold import slug  # the id rule of `ropa new`, reused

_RANK = {"system": 0, "recipient": 1, "processor": 2}
_ORDER = (
    "name",
    "used_for",
    "kind",
    "vendor",
    "countries",
    "established",
    "authorisation",
    "dpa",
)


@lru_cache(maxsize=1)
def country_names() -> tuple[tuple[str, str], ...]:
    """(code, name normalised) of every country, in Danish and in English."""
    names: list[tuple[str, str]] = []
    for lang in ("da", "en"):
        for code, name in Locale.parse(lang).territories.items():
            if len(code) == 2 and pycountry.countries.get(alpha_2=code):
                names.append((code, normal(name)))
    return tuple(names)


def place_names(organisations: dict[str, dict]) -> dict[str, str]:
    """A destination's name (normalised) → its code: countries, then international
    organisations as ``org:<id>``."""
    out = {name: code for code, name in reversed(country_names())}
    for ident, spec in organisations.items():
        for name in spec.get("name", {}).values():
            out.setdefault(normal(name), f"org:{ident}")
    return out


def ident(name: str, fallback: str) -> str:
    """An id from a name by the slug rule, short enough (64) to take a "-2" suffix."""
    return slug(name)[:60].rstrip("-") or fallback


class Catalogue:
    """Systems and recipients named by the documents, one entry per (name, use), with ids."""

    def __init__(self, places: dict[str, str] | None = None) -> None:
        self.entries: dict[str, dict] = {}
        self.places = places or place_names({})
        self.differing: list[str] = []  # details another activity states otherwise
        self._keys: dict[tuple[str, str], str] = {}

    def ref(self, name: str, used_for: str | None, kind: str) -> str:
        key = (normal(name), normal(used_for or ""))
        if key not in self._keys:
            base = ident(name, "system")
            found, n = base, 1
            while found in self.entries:
                n += 1
                found = f"{base}-{n}"
            self._keys[key] = found
            entry = {"name": name, "kind": kind}
            if used_for:
                entry = {"name": name, "used_for": used_for, "kind": kind}
            self.entries[found] = entry
        found = self._keys[key]
        self.raise_kind(found, kind)
        return found

    def raise_kind(self, found: str, kind: str) -> None:
        if _RANK[kind] > _RANK[self.entries[found]["kind"]]:
            self.entries[found]["kind"] = kind

    def describe(self, found: str, details: dict[str, str], labels, where: str) -> list[str]:
        """Put a recipient's detail lines into its entry; what could not be read, as notes.

        "Juridisk enhed" (a processor's legal entity) and "Databehandleraftale" make the entry
        a processor; "Leverandør" is a system's supplier. "Ikke udfyldt" is no value."""
        entry, notes, read = self.entries[found], [], {}
        for key, value in details.items():
            if normal(value) in labels.missing:
                if key == "dpa":
                    self.raise_kind(found, "processor")
                continue
            if key in ("vendor", "dpa"):
                self.raise_kind(found, "processor")
            if key in ("vendor", "supplier", "dpa"):
                read["vendor" if key == "supplier" else key] = value
            elif key == "countries":
                codes, unknown = self._codes(value)
                read["countries"] = codes
                notes += [f"'{name}' ({where}) is no country the import knows" for name in unknown]
            elif key == "established":
                codes, unknown = self._codes(value)
                if len(codes) == 1 and not unknown:
                    read["established"] = codes[0]
                else:
                    notes.append(f"'{value}' ({where}) is no country the import knows")
            elif key == "authorisation":
                how = labels.authorisations.get(normal(value))
                if how:
                    read["authorisation"] = how
                else:
                    notes.append(f"authorisation '{value}' ({where}) was not understood")
        for key, value in read.items():
            if key not in entry:
                entry[key] = value
            elif entry[key] != value:
                self.differing.append(
                    f"- {found}: {key} is '{_shown(entry[key])}', but {where} says "
                    f"'{_shown(value)}': kept the first"
                )
        self.entries[found] = {k: entry[k] for k in (*_ORDER, *entry) if k in entry}
        return notes

    def _codes(self, text: str) -> tuple[list[str], list[str]]:
        codes, unknown = [], []
        for name in re.split(r",\s+|\s+og\s+|\s+and\s+", text.strip()):
            code = self.places.get(normal(name))
            if code and code not in codes:
                codes.append(code)
            elif not code and name.strip():
                unknown.append(name.strip())
        return codes, unknown

    def named(self, name: str, among: list[str]) -> str | None:
        """The id of the entry called ``name``, preferring those the activity uses."""
        wanted = normal(name)
        for found in [*among, *self.entries]:
            if normal(self.entries.get(found, {}).get("name", "")) == wanted:
                return found
        return None


def countries(text: str, eea: frozenset[str]) -> list[tuple[str, str]]:
    """Third countries a free text names (in Danish or English; "makedonske" finds MK)."""
    names = [(code, name) for code, name in country_names() if code not in eea]
    found: dict[str, str] = {}
    plain = normal(text)
    for code, name in names:
        if " " in name and re.search(rf"\b{re.escape(name)}\b", plain):
            found.setdefault(code, name)
    for word in re.findall(r"[^\W\d_]{5,}|\bUSA\b|\bUK\b", text):
        if word in ("USA", "UK"):
            found.setdefault("US" if word == "USA" else "GB", word)
            continue
        stem = normal(word)[:6]
        for code, name in names:
            if " " not in name and _unprefixed(name).startswith(stem):
                found.setdefault(code, word)
                break
    return list(found.items())


def _unprefixed(word: str) -> str:
    """'nordmakedonien' → 'makedonien': a Danish compass prefix, so "makedonske" finds it."""
    for prefix in ("nord", "syd", "øst", "vest"):
        if word.startswith(prefix) and len(word) > len(prefix) + 4:
            return word[len(prefix) :]
    return word


def _shown(value) -> str:
    return ", ".join(value) if isinstance(value, list) else str(value)
