"""Parties and the organisation file: who keeps the register (Art. 30(1)(a), 30(2)(a))."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import field_validator

from ropa_build.models.base import CountryCode, Cvr, Day, Email, Id, Strict, text
from ropa_build.models.content import Acceptance
from ropa_build.models.document import OpenPoint, RegisterInfo
from ropa_build.models.shared import Companion, SharedRecipients, Statement
from ropa_build.models.states import stateable
from ropa_build.placeholders import placeholder


class Registration(Strict):
    """A registration number of another country: its kind and the number."""

    kind: str = text(
        "Kind",
        "Type",
        "What the number is, e.g. 'Org.nr.' (Norway), 'NIF' (Spain), 'Company number' (UK).",
        "Hvad nummeret er, fx 'Org.nr.' (Norge), 'NIF' (Spanien).",
        min_length=1,
    )
    number: str = text("Number", "Nummer", "The number.", "Nummeret.", min_length=1)


class Contact(Strict):
    """A party and how to reach it (Art. 30(1)(a): "name and contact details")."""

    name: str = text(
        "Name",
        "Navn",
        "Name of the organisation or person.",
        "Myndighedens/virksomhedens eller personens navn.",
        min_length=1,
    )
    title: str | None = text(
        "Title",
        "Titel",
        "Role shown before the name, e.g. 'DPO'.",
        "Rolle foran navnet, fx 'DPO'.",
        default=None,
    )
    cvr: Cvr | None = text(
        "CVR number",
        "CVR-nr.",
        "The Danish CVR: 8 digits, spaces allowed (34 21 74 83).",
        "Virksomhedens CVR-nummer: 8 cifre (mellemrum tilladt).",
        default=None,
    )
    registration: list[Registration] = text(
        "Other registration numbers",
        "Andre registreringsnumre",
        "Registration numbers of other countries, each with its kind (a Danish company: cvr).",
        "Registreringsnumre fra andre lande, hver med sin type (dansk virksomhed: cvr).",
        default_factory=list,
    )
    contact_person: str | None = text(
        "Contact person",
        "Kontaktperson",
        "The person to contact at the party (name, role).",
        "Kontaktpersonen hos parten (navn, rolle).",
        default=None,
    )
    address: str | None = text(
        "Address", "Adresse", "Postal address.", "Postadresse.", default=None
    )
    web: str | None = text("Website", "Hjemmeside", "Website address.", "Hjemmeside.", default=None)
    phone: str | None = text(
        "Phone", "Telefonnummer", "Phone number.", "Telefonnummer.", default=None
    )
    email: list[Email] = text(
        "E-mail",
        "E-mail",
        "One or more e-mail addresses.",
        "En eller flere e-mailadresser.",
        default_factory=list,
    )
    country: CountryCode | None = text(
        "Country",
        "Land",
        "ISO 3166 code of the country where the party is established, e.g. DK. Decides whether "
        "an EU representative is needed (Art. 27); a CVR number implies DK.",
        "ISO 3166-landekode for det land, hvor parten er etableret, fx DK. Afgør, om der skal "
        "være en repræsentant i EU (art. 27); et CVR-nr. betyder DK.",
        default=None,
    )

    @field_validator("cvr", mode="before")
    @classmethod
    def _cvr(cls, value: Any) -> Any:
        """ "34 21 74 83" is 34217483; a placeholder ("[Indsæt CVR]") is not filled in yet (the
        rule todo-left says so) rather than a malformed number."""
        if isinstance(value, str):
            return None if placeholder(value) else value.replace(" ", "")
        return value

    @field_validator("email", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Agreement(Strict):
    """The processing agreement with one controller (Art. 28(3))."""

    version: str | None = text(
        "Version",
        "Version",
        "The agreement's version, e.g. v3.",
        "Aftalens version.",
        default=None,
    )
    date: Day | None = text("Date", "Dato", "Date signed.", "Underskrevet den.", default=None)
    status: Literal["draft", "signed", "terminated"] | None = text(
        "Status",
        "Status",
        "draft, signed or terminated.",
        "Udkast, underskrevet, ophørt.",
        default=None,
    )


class ControllerParty(Contact):
    """A controller on whose behalf a processor acts (Art. 30(2)(a)), with its representative
    and the processing agreement; one entry may stand for every customer under a standard
    agreement (its name says so, its exceptions are listed as their own entries)."""

    representative: Contact | None = text(
        "Representative",
        "Repræsentant",
        "The controller's representative (Art. 27), where it has one.",
        "Den dataansvarliges repræsentant (art. 27), hvis den har en.",
        default=None,
    )
    agreement: Agreement | None = text(
        "Processing agreement",
        "Databehandleraftale",
        "The agreement's version, date and status.",
        "Aftalens version, dato og status.",
        default=None,
    )
    onboarded: Day | None = text(
        "Onboarded",
        "Kunde siden",
        "Date processing began.",
        "Dato for behandlingens start.",
        default=None,
    )


# A party, or an explicit state in its place (`dpo: not-appointed`).
Party = stateable(Contact)


class Organisation(Strict):
    """``organisation.yaml``: who keeps the register; shown in every activity's first section."""

    controller: Contact = text(
        "Organisation",
        "Myndighed/virksomhed",
        "The organisation keeping the register (the controller, or the processor for processor "
        "records).",
        "Myndigheden/virksomheden, der fører fortegnelsen.",
    )
    joint_controller: Party | None = text(
        "Joint controller",
        "Fælles dataansvarlig",
        "Where applicable (Art. 26).",
        "Hvis relevant (art. 26).",
        default=None,
    )
    representative: Party | None = text(
        "Representative",
        "Repræsentant",
        "EU representative of a controller outside the EU (Art. 27); public authorities have none.",
        "Repræsentant i EU for en dataansvarlig uden for EU (art. 27).",
        default=None,
    )
    dpo: Party | None = text(
        "Data protection officer",
        "Databeskyttelsesrådgiver",
        "The DPO (Art. 37).",
        "Databeskyttelsesrådgiveren (art. 37).",
        default=None,
    )
    public_authority: bool = text(
        "Public authority",
        "Offentlig myndighed",
        "Public authorities need no representative (Art. 27(2)(b)).",
        "Offentlige myndigheder er ikke omfattet af art. 27.",
        default=False,
    )
    document: RegisterInfo = text(
        "Register document",
        "Fortegnelsen",
        "Version, approval, version log, review interval and triggers, introduction, scope "
        "and roles of the register.",
        "Fortegnelsens version, godkendelse, versionslog, gennemgang, indledning, "
        "afgrænsning og roller.",
        default_factory=RegisterInfo,
    )
    statements: dict[Id, Statement] = text(
        "Shared statements",
        "Fælles tekster",
        "Texts that hold for several activities, stated once; a record refers to one with "
        "`{shared: <id>}` (purposes, processing, security, and the descriptions of recipients, "
        "transfers and retention).",
        "Tekster, der gælder for flere aktiviteter, skrevet én gang; en aktivitet henviser med "
        "`{shared: <id>}`.",
        default_factory=dict,
    )
    documents: dict[Id, Companion] = text(
        "Companion documents",
        "Tilknyttede dokumenter",
        "Documents the register refers to (processing agreements, privacy notice, policies), "
        "by id; records list the ids under `documents`.",
        "Dokumenter, fortegnelsen henviser til (databehandleraftaler, privatlivspolitik, "
        "politikker), efter id.",
        default_factory=dict,
    )
    recipients: SharedRecipients = text(
        "Recipients of every activity",
        "Modtagere i alle aktiviteter",
        "Internal systems and processors every activity uses (hosting, e-mail, backup), stated "
        "once: each activity lists them after its own.",
        "Interne systemer og databehandlere, som alle aktiviteter bruger, skrevet én gang.",
        default_factory=SharedRecipients,
    )
    accepted: list[Acceptance] = text(
        "Accepted warnings",
        "Accepterede advarsler",
        "Lint warnings about organisation.yaml accepted with a reason; the register documents "
        "show what was accepted and why.",
        "Advarsler om organisation.yaml, accepteret med en begrundelse; vises i fortegnelsen.",
        default_factory=list,
    )
    open_points: list[OpenPoint] = text(
        "Open points (register)",
        "Åbne punkter (fortegnelsen)",
        "Points open for the register as a whole; `ropa check` lists them (rule open-point).",
        "Åbne punkter for hele fortegnelsen; `ropa check` viser dem.",
        default_factory=list,
    )
