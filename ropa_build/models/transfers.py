"""Transfers to third countries and international organisations (Art. 30(1)(e), 30(2)(c))."""

from __future__ import annotations

from typing import Literal

from ropa_build.models.base import Destination, RichText, Strict, text
from ropa_build.models.states import stateable

Mechanism = Literal["adequacy", "scc", "bcr", "code_of_conduct", "certification", "derogation"]


class Transfer(Strict):
    """One transfer to a third country or international organisation (Art. 30(1)(e))."""

    country: stateable(Destination) = text(
        "Country or international organisation",
        "Land eller international organisation",
        "ISO 3166 alpha-2 code, e.g. MK; an international organisation as org:<id>, e.g. "
        "org:epo (ids in schema/international-organisations.yaml).",
        "ISO 3166-landekode, fx MK; en international organisation som org:<id>, fx org:epo.",
    )
    recipient: str = text(
        "Recipient",
        "Modtager",
        "A catalogue id or a description.",
        "Et katalog-id eller en beskrivelse.",
        min_length=1,
    )
    # Optional in the schema so that an incomplete transfer is still read and the linter can
    # say what is missing (rule transfer-without-mechanism) instead of a bare "missing key".
    mechanism: stateable(Mechanism) | None = text(
        "Transfer mechanism",
        "Overførselsgrundlag",
        "adequacy (Art. 45), scc / bcr / code_of_conduct / certification (Art. 46–47), "
        "derogation (Art. 49).",
        "Grundlaget for overførslen (art. 45, 46, 47 eller 49).",
        default=None,
    )
    documentation: RichText | None = text(
        "Documentation",
        "Dokumentation",
        "Where the safeguards are documented (required for Art. 49 derogations).",
        "Dokumentation for passende garantier.",
        default=None,
    )


class Transfers(Strict):
    """Transfers to third countries (Art. 30(1)(e), 30(2)(c)); state 'none' explicitly."""

    description: stateable(RichText, shared=True) | None = text(
        "Description",
        "Beskrivelse",
        "General statement, e.g. 'No transfers'.",
        "Generel beskrivelse, fx 'Ingen overførsler'.",
        default=None,
    )
    items: list[Transfer] = text(
        "Transfers",
        "Overførsler",
        "One entry per transfer.",
        "En post pr. overførsel.",
        default_factory=list,
    )
