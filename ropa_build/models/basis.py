"""The lawful basis (not in Art. 30, but asked for by Datatilsynet and the ICO template, and
needed to judge Art. 9 and 10 data): the GDPR's letters, the national statute behind each, and a
basis that holds only for one purpose, group or category.

Real registers state a basis per purpose ("consent only for publication on the web"), per group
or per data category, with alternatives ("og/eller"), and name the statute (databeskyttelsesloven
§§ 6–8, 11, 12; bogføringsloven; a foreign act) or a ground outside the GDPR (the cookie order's
technical necessity, markedsføringsloven § 10). ``statutes`` and ``grounds`` hold that
structured; ``description`` stays for what does not fit.
"""

from __future__ import annotations

from typing import Literal

from ropa_build.models.base import CountryCode, RichText, Strict, text

Art6 = Literal["a", "b", "c", "d", "e", "f"]
Art9 = Literal["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]


class Statute(Strict):
    """A national (or foreign) legal provision: the act and its section."""

    law: str = text(
        "Act",
        "Lov",
        "The act, e.g. databeskyttelsesloven, bogføringsloven, cookiebekendtgørelsen.",
        "Loven, fx databeskyttelsesloven, bogføringsloven, cookiebekendtgørelsen.",
        min_length=1,
    )
    section: str | None = text(
        "Section", "Bestemmelse", "e.g. § 11, stk. 2.", "Fx § 11, stk. 2.", default=None
    )
    country: CountryCode | None = text(
        "Country",
        "Land",
        "ISO code where it is not Danish law, e.g. ES.",
        "Landekode, hvis det ikke er dansk ret, fx ES.",
        default=None,
    )


class Ground(Strict):
    """A basis that holds for one purpose, subject group or data category only."""

    applies_to: str = text(
        "Applies to",
        "Gælder for",
        "The purpose, group or data category it covers, in words or by id.",
        "Det formål, den gruppe eller kategori, den dækker.",
        min_length=1,
    )
    art6: list[Art6] = text(
        "Art. 6(1)", "Art. 6, stk. 1", "Letters a–f.", "Litra a–f.", default_factory=list
    )
    art9: list[Art9] = text(
        "Art. 9(2)", "Art. 9, stk. 2", "Letters a–j.", "Litra a–j.", default_factory=list
    )
    alternatives: bool = text(
        "Alternatives (and/or)",
        "Alternativer (og/eller)",
        "true: the letters are alternatives ('og/eller'), not all required together.",
        "true: litraerne er alternativer ('og/eller').",
        default=False,
    )
    statutes: list[Statute] = text(
        "Statutes",
        "Lovgrundlag",
        "The national provisions behind it.",
        "De nationale bestemmelser bag.",
        default_factory=list,
    )
    other: str | None = text(
        "Other ground",
        "Anden hjemmel",
        "A ground outside the GDPR, e.g. cookiebekendtgørelsen § 3 (technically necessary).",
        "Hjemmel uden for forordningen, fx cookiebekendtgørelsen § 3.",
        default=None,
    )


class LawfulBasis(Strict):
    """Art. 6(1) basis, Art. 9(2) condition and Art. 10 ground (not in Art. 30, but asked for)."""

    art6: list[Art6] = text(
        "Art. 6(1)", "Art. 6, stk. 1", "Letters a–f.", "Litra a–f.", default_factory=list
    )
    art9: list[Art9] = text(
        "Art. 9(2)",
        "Art. 9, stk. 2",
        "Letters a–j, for special categories.",
        "Litra a–j, for følsomme oplysninger.",
        default_factory=list,
    )
    art10: str | None = text(
        "Art. 10 ground",
        "Hjemmel for strafbare forhold",
        "Legal ground for criminal-offence data (e.g. databeskyttelsesloven § 8).",
        "Hjemmel, fx databeskyttelsesloven § 8.",
        default=None,
    )
    statutes: list[Statute] = text(
        "Statutes",
        "Lovgrundlag",
        "The national provisions behind the basis, e.g. {law: databeskyttelsesloven, section: "
        "§ 11, stk. 2} for a CPR number, § 12 for employment data, § 8 for criminal offences.",
        "De nationale bestemmelser bag grundlaget, fx databeskyttelsesloven § 11, stk. 2.",
        default_factory=list,
    )
    grounds: list[Ground] = text(
        "Per purpose, group or category",
        "Pr. formål, gruppe eller kategori",
        "A basis that holds for part of the activity only.",
        "Et grundlag, der kun gælder for en del af aktiviteten.",
        default_factory=list,
    )
    description: RichText | None = text(
        "Explanation", "Forklaring", "Free text.", "Fritekst.", default=None
    )
