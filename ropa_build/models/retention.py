"""Time limits for erasure (Art. 30(1)(f))."""

from __future__ import annotations

from typing import Literal

from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ropa_build.models.base import FilledText, Id, RichText, Strict, text
from ropa_build.models.states import stateable


class RetentionRule(Strict):
    """A time limit for some data categories (Art. 30(1)(f): 'the different categories')."""

    records: str | None = text(
        "Kind of record",
        "Type af registrering",
        "Where the rule is about a kind of record rather than a category: logs, backups ...",
        "Hvis reglen gælder en type registrering: log, backup ...",
        default=None,
    )
    categories: list[str] = text(
        "Data categories",
        "Kategorier",
        "Which categories it covers (may be left out for a kind of record, `records:`).",
        "Hvilke kategorier fristen gælder (kan udelades for en type registrering).",
        default_factory=list,
    )
    subjects: list[Id] = text(
        "Subject groups",
        "Grupper af registrerede",
        "Only for these groups (ids); all groups when left out.",
        "Kun for disse grupper (id'er); alle grupper, hvis udeladt.",
        default_factory=list,
    )
    period: stateable(FilledText) = text(
        "Time limit",
        "Frist",
        "When the data is erased; or a state, e.g. to-be-verified.",
        "Hvornår oplysningerne slettes; eller en status, fx to-be-verified.",
    )
    counted_from: str | None = text(
        "Counted from",
        "Regnet fra",
        "The event the period runs from: end of the customer relationship, last activity ...",
        "Den hændelse, fristen løber fra: kundeforholdets ophør, seneste aktivitet ...",
        default=None,
    )
    minimum: str | None = text(
        "Kept at least",
        "Opbevares mindst",
        "A minimum period, e.g. 5 years.",
        "Fx 5 år.",
        default=None,
    )
    maximum: str | None = text(
        "Kept at most",
        "Opbevares højst",
        "A maximum period, e.g. 6 years.",
        "Fx 6 år.",
        default=None,
    )
    method: Literal["delete", "anonymise"] | None = text(
        "Method", "Metode", "delete or anonymise.", "Sletning eller anonymisering.", default=None
    )
    statute: str | None = text(
        "Statute",
        "Hjemmel",
        "The act that sets the period, e.g. bogføringsloven § 10.",
        "Den lov, der fastsætter fristen, fx bogføringsloven § 10.",
        default=None,
    )

    @field_validator("categories")
    @classmethod
    def _not_empty(cls, value: list[str], info: ValidationInfo) -> list[str]:
        """``categories: []`` covers nothing, unless the rule is for a kind of record."""
        if not value and not info.data.get("records"):
            raise PydanticCustomError("too_short", "a retention rule needs its categories")
        return value

    @model_validator(mode="after")
    def _covers_something(self) -> RetentionRule:
        if not self.categories and not self.records:
            raise ValueError("a retention rule names its data categories or its kind of record")
        return self


class Retention(Strict):
    """Time limits for erasure (Art. 30(1)(f))."""

    description: stateable(RichText, shared=True) | None = text(
        "General rule",
        "Generel regel",
        "The rule for all categories not listed separately.",
        "Reglen for alle kategorier, der ikke er nævnt særskilt.",
        default=None,
    )
    policy: Literal["draft", "approved"] | None = text(
        "Policy status",
        "Slettepolitikkens status",
        "Whether the retention policy is a draft or approved.",
        "Om slettepolitikken er et udkast eller godkendt.",
        default=None,
    )
    rules: list[RetentionRule] = text(
        "Per category",
        "Pr. kategori",
        "Limits that differ by data category.",
        "Frister, der afviger pr. kategori.",
        default_factory=list,
    )
