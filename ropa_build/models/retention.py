"""Time limits for erasure (Art. 30(1)(f))."""

from __future__ import annotations

from ropa_build.models.base import FilledText, Id, RichText, Strict, text
from ropa_build.models.states import stateable


class RetentionRule(Strict):
    """A time limit for some data categories (Art. 30(1)(f): 'the different categories')."""

    categories: list[str] = text(
        "Data categories",
        "Kategorier",
        "Which categories it covers.",
        "Hvilke kategorier fristen gælder.",
        min_length=1,
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


class Retention(Strict):
    """Time limits for erasure (Art. 30(1)(f))."""

    description: stateable(RichText, shared=True) | None = text(
        "General rule",
        "Generel regel",
        "The rule for all categories not listed separately.",
        "Reglen for alle kategorier, der ikke er nævnt særskilt.",
        default=None,
    )
    rules: list[RetentionRule] = text(
        "Per category",
        "Pr. kategori",
        "Limits that differ by data category.",
        "Frister, der afviger pr. kategori.",
        default_factory=list,
    )
