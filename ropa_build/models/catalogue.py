"""``catalogue.yaml``: systems, vendors and recipients, stated once."""

from __future__ import annotations

from typing import Literal

from ropa_build.models.base import CountryCode, Destination, Id, Strict, text
from ropa_build.models.content import Acceptance


class System(Strict):
    """A system, vendor or recipient in ``catalogue.yaml``, referred to from records by its id."""

    name: str = text(
        "Name", "Navn", "Name as the register shows it.", "Navn i fortegnelsen.", min_length=1
    )
    used_for: str | None = text(
        "Used for",
        "Anvendes til",
        "What it is used for.",
        "Hvad systemet bruges til.",
        default=None,
    )
    kind: Literal["system", "processor", "recipient"] = text(
        "Kind",
        "Type",
        "'system': an internal system; 'processor': a (sub-)processor acting on our instructions; "
        "'recipient': another recipient (authority, bank, ...).",
        "'system': internt system; 'processor': (under)databehandler; 'recipient': anden modtager.",
        default="system",
    )
    vendor: str | None = text(
        "Vendor", "Leverandør", "Who supplies or runs it.", "Leverandøren.", default=None
    )
    countries: list[Destination] = text(
        "Countries",
        "Lande",
        "ISO 3166 codes of the countries where data is processed or accessed; an international "
        "organisation as org:<id> (e.g. org:epo, see schema/international-organisations.yaml).",
        "ISO 3166-landekoder for de lande, hvor data behandles eller tilgås; en international "
        "organisation som org:<id> (fx org:epo).",
        default_factory=list,
    )
    dpa: str | None = text(
        "Data processing agreement",
        "Databehandleraftale",
        "Where the agreement is (link or reference).",
        "Hvor databehandleraftalen findes.",
        default=None,
    )
    established: CountryCode | None = text(
        "Established in",
        "Etableret i",
        "ISO code of the country where the legal entity is established (`countries` says where "
        "it processes).",
        "Landekode for det land, hvor den juridiske enhed er etableret.",
        default=None,
    )
    authorisation: Literal["general", "specific"] | None = text(
        "Authorisation (sub-processor)",
        "Godkendelse (underdatabehandler)",
        "How the controller authorised it (Art. 28(2)): general (with notice of changes) or "
        "specific.",
        "Hvordan den dataansvarlige har godkendt den (art. 28, stk. 2): generel eller specifik.",
        default=None,
    )
    same_entity: bool | None = text(
        "Same legal entity",
        "Samme juridiske enhed",
        "true: it is the organisation's own staff (e.g. working from abroad), not another "
        "entity; access from a third country is then no transfer (EDPB Guidelines 05/2021). "
        "false: another entity. Left out: not known.",
        "true: organisationens egne medarbejdere, ikke en anden enhed (EDPB 05/2021).",
        default=None,
    )
    dpf_certified: bool = text(
        "EU–US DPF certified",
        "Certificeret under EU-US DPF",
        "A US recipient certified under the Data Privacy Framework (adequacy covers only those).",
        "Amerikansk modtager certificeret under Data Privacy Framework.",
        default=False,
    )
    dpf_hr_data: bool = text(
        "DPF certification covers HR data",
        "DPF-certificeringen omfatter HR-data",
        "The recipient's DPF certification also covers human-resources data (data about "
        "employees); without it, the adequacy decision does not cover employees' data.",
        "Modtagerens DPF-certificering omfatter også HR-data (oplysninger om medarbejdere).",
        default=False,
    )

    accepted: list[Acceptance] = text(
        "Accepted warnings",
        "Accepterede advarsler",
        "Lint warnings about this entry accepted with a reason; the register documents show "
        "what was accepted and why.",
        "Advarsler om denne post, accepteret med en begrundelse; vises i fortegnelsen.",
        default_factory=list,
    )


class Catalogue(Strict):
    """``catalogue.yaml``: systems, vendors and recipients, stated once."""

    systems: dict[Id, System] = text(
        "Systems",
        "Systemer",
        "Catalogue entries by id.",
        "Katalogets poster efter id.",
        default_factory=dict,
    )
