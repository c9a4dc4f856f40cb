"""Transfers to third countries and international organisations (Art. 30(1)(e), 30(2)(c))."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator

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
    alternatives: list[Mechanism] = text(
        "Alternative mechanisms",
        "Alternative grundlag",
        "Mechanisms relied on if the first fails, e.g. [scc] beside adequacy under the DPF.",
        "Grundlag, der anvendes, hvis det første falder bort, fx [scc] ved siden af DPF.",
        default_factory=list,
    )
    scc_module: Literal[1, 2, 3, 4] | None = text(
        "SCC module",
        "SCC-modul",
        "Module of the 2021/914 clauses: 1 C2C, 2 C2P, 3 P2P, 4 P2C.",
        "Modul i standardkontraktbestemmelserne 2021/914.",
        default=None,
    )

    @field_validator("scc_module", mode="before")
    @classmethod
    def _module_number(cls, value: Any) -> Any:
        """``scc_module: "2"`` is module 2, as written unquoted."""
        return (
            int(value)
            if isinstance(value, str) and value.strip() in ("1", "2", "3", "4")
            else value
        )

    tia: str | None = text(
        "Transfer impact assessment",
        "Vurdering af overførslen (TIA)",
        "Where the transfer impact assessment is, and its date.",
        "Hvor vurderingen af overførslen findes, og dens dato.",
        default=None,
    )
    measures: RichText | None = text(
        "Supplementary measures",
        "Supplerende foranstaltninger",
        "Technical, contractual or organisational measures added to the safeguards.",
        "Supplerende tekniske, kontraktlige eller organisatoriske foranstaltninger.",
        default=None,
    )
    derogation: Literal["a", "b", "c", "d", "e", "f", "g"] | None = text(
        "Art. 49(1) derogation",
        "Undtagelse efter art. 49, stk. 1",
        "The letter of Art. 49(1) relied on (with `mechanism: derogation`).",
        "Litra i art. 49, stk. 1.",
        default=None,
    )
    occasional: bool | None = text(
        "Occasional transfer",
        "Lejlighedsvis overførsel",
        "For an Art. 49 derogation: true if the transfer is occasional and not repeated (a "
        "derogation is not for regular transfers, EDPB Guidelines 2/2018); false if it is "
        "regular. Left out: not known.",
        "Ved en undtagelse efter art. 49: true, hvis overførslen er lejlighedsvis og ikke "
        "gentages; false, hvis den er regelmæssig. Udeladt: ikke kendt.",
        default=None,
    )
    same_entity: bool | None = text(
        "Same legal entity",
        "Samme juridiske enhed",
        "true: the recipient is the organisation's own staff abroad (no transfer, EDPB "
        "Guidelines 05/2021); false: another entity.",
        "true: modtageren er organisationens egne medarbejdere i udlandet.",
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
