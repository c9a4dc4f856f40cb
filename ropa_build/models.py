"""The register's schema: what a record, the organisation file and the catalogue may hold.

Every model forbids unknown keys (a misspelt ``retension`` must be an error, not silently
ignored) and every field carries an English and a Danish title and description: they feed the
JSON Schema that editors complete from, and the generated field reference.

Legal mapping (GDPR Art. 30). Controller records (30(1)): (a) ``organisation.yaml`` controller,
joint controller, representative, DPO, overridable per record; (b) ``purposes``; (c)
``data_subjects``; (d) ``recipients``; (e) ``transfers``; (f) ``retention``; (g) ``security``.
Processor records (30(2)): (a) the organisation as processor plus ``controllers``; (b)
``processing``; (c) ``transfers``; (d) ``security``. ``lawful_basis`` is not required by Art. 30
but Datatilsynet and the ICO template ask for it, and Art. 9/10 data cannot be assessed without it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)
from pydantic_core import PydanticCustomError

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
RichText = Annotated[str, StringConstraints(max_length=2_000_000)]
Cvr = Annotated[str, StringConstraints(pattern=r"^[0-9]{8}$")]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
# Where data goes: a country, or an international organisation (Art. 4(26), 44), spelt
# "org:<id>" with the id from schema/international-organisations.yaml, e.g. org:epo.
ORGANISATION_PREFIX = "org:"
DESTINATION_PATTERN = r"^([A-Z]{2}|org:[a-z0-9][a-z0-9_-]*)$"  # org: and an Id
Destination = Annotated[str, StringConstraints(pattern=DESTINATION_PATTERN)]
Role = Literal["controller", "processor"]


def _iso_date(value: Any) -> Any:
    """Only ``YYYY-MM-DD``: pydantic would read a bare number as a Unix timestamp."""
    if isinstance(value, dt.date):
        return value
    try:
        return (
            dt.date.fromisoformat(value)
            if isinstance(value, str) and len(value) == 10
            else (_raise())
        )
    except ValueError:
        return _raise()


def _raise() -> Any:
    raise PydanticCustomError("date_parsing", "not a date in the form YYYY-MM-DD")


Day = Annotated[dt.date, BeforeValidator(_iso_date)]


def text(en: str, da: str, en_help: str, da_help: str, **kwargs: Any) -> Any:
    """A field with its English and Danish title and description (the editor shows both)."""
    extra = {"title_da": da, "description_da": da_help}
    return Field(
        title=en, description=f"{en_help}\n\n{da}: {da_help}", json_schema_extra=extra, **kwargs
    )


class Strict(BaseModel):
    """Unknown keys are errors; models are immutable once validated."""

    # Numbers become text where text is expected (`cvr: 34217483` needs no quotes).
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


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
        "Danish company number: 8 digits.",
        "Virksomhedens CVR-nummer: 8 cifre.",
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

    @field_validator("email", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class RegisterInfo(Strict):
    """Facts about the register document itself (its cover page)."""

    version: str = text(
        "Version",
        "Version",
        "Version of the register, shown on the cover.",
        "Fortegnelsens version, vises på forsiden.",
        default="1",
    )
    review_interval_months: int = text(
        "Review interval (months)",
        "Gennemgangsinterval (måneder)",
        "How often each activity must be reviewed; older reviews draw a warning.",
        "Hvor ofte hver aktivitet skal gennemgås; ældre gennemgange giver en advarsel.",
        default=12,
        ge=1,
        le=60,
    )


class Organisation(Strict):
    """``organisation.yaml``: who keeps the register; shown in every activity's first section."""

    controller: Contact = text(
        "Organisation",
        "Myndighed/virksomhed",
        "The organisation keeping the register (the controller, or the processor for processor "
        "records).",
        "Myndigheden/virksomheden, der fører fortegnelsen.",
    )
    joint_controller: Contact | None = text(
        "Joint controller",
        "Fælles dataansvarlig",
        "Where applicable (Art. 26).",
        "Hvis relevant (art. 26).",
        default=None,
    )
    representative: Contact | None = text(
        "Representative",
        "Repræsentant",
        "EU representative of a controller outside the EU (Art. 27); public authorities have none.",
        "Repræsentant i EU for en dataansvarlig uden for EU (art. 27).",
        default=None,
    )
    dpo: Contact | None = text(
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
        "Version and review interval of the register.",
        "Fortegnelsens version og gennemgangsinterval.",
        default_factory=RegisterInfo,
    )


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


class Catalogue(Strict):
    """``catalogue.yaml``: systems, vendors and recipients, stated once."""

    systems: dict[Id, System] = text(
        "Systems",
        "Systemer",
        "Catalogue entries by id.",
        "Katalogets poster efter id.",
        default_factory=dict,
    )


class SubjectGroup(Strict):
    """A group of data subjects and what is processed about them (Art. 30(1)(c))."""

    id: Id = text(
        "Id",
        "Id",
        "Short id that recipients and retention rules refer to.",
        "Kort id, som modtagere og slettefrister henviser til.",
    )
    name: str = text(
        "Name",
        "Navn",
        "Plural, as in 'Data processed about <name>'.",
        "Flertal, som i 'Oplysninger, som behandles om <navn>'.",
        min_length=1,
    )
    categories: list[str] = text(
        "Data categories",
        "Kategorier af personoplysninger",
        "Ids from schema/data-categories.yaml. A group marked `employment` counts as employees "
        "(consent as their basis, and HR data under the US Data Privacy Framework, draw a "
        "warning).",
        "Id'er fra schema/data-categories.yaml. En gruppe markeret `employment` regnes som "
        "medarbejdere.",
        default_factory=list,
    )
    details: RichText | None = text(
        "Details",
        "Beskrivelse",
        "What exactly is processed ('Beskriv:').",
        "Hvilke oplysninger der indgår i behandlingen.",
        default=None,
    )


class DataSubjects(Strict):
    """Categories of data subjects and of personal data (Art. 30(1)(c))."""

    description: RichText | None = text(
        "Categories of data subjects",
        "Kategori af registrerede personer",
        "Summary of whom the activity concerns.",
        "Hvem behandlingen angår.",
        default=None,
    )
    groups: list[SubjectGroup] = text(
        "Groups",
        "Grupper",
        "One entry per group of data subjects.",
        "En post pr. gruppe af registrerede.",
        default_factory=list,
    )


class RecipientUse(Strict):
    """A catalogue entry that receives data, and which data about whom (Datatilsynet 2020)."""

    ref: Id = text(
        "Catalogue id",
        "Katalog-id",
        "Id of the entry in catalogue.yaml.",
        "Id på posten i catalogue.yaml.",
    )
    receives: dict[Id, list[str]] = text(
        "Receives",
        "Modtager",
        "Per subject group id, the data categories it receives about that group.",
        "Pr. gruppe af registrerede (id): de kategorier af oplysninger, modtageren får.",
        default_factory=dict,
    )
    note: str | None = text(
        "Note", "Bemærkning", "Shown after the name.", "Vises efter navnet.", default=None
    )


class Recipients(Strict):
    """Categories of recipients (Art. 30(1)(d)), split as the Danish template does."""

    description: RichText | None = text(
        "Description", "Beskrivelse", "General description.", "Generel beskrivelse.", default=None
    )
    internal: list[RecipientUse] = text(
        "Internal systems",
        "Interne systemer",
        "Internal systems holding the data.",
        "Interne systemer med oplysningerne.",
        default_factory=list,
    )
    processors: list[RecipientUse] = text(
        "Processors / sub-processors",
        "Underleverandører / systemer",
        "Processors acting on our behalf.",
        "Databehandlere og underleverandører.",
        default_factory=list,
    )
    others: list[RecipientUse] = text(
        "Other recipients",
        "Andre modtagere",
        "Recipients to whom data is disclosed.",
        "Modtagere, som oplysningerne videregives til.",
        default_factory=list,
    )


Mechanism = Literal["adequacy", "scc", "bcr", "code_of_conduct", "certification", "derogation"]


class Transfer(Strict):
    """One transfer to a third country or international organisation (Art. 30(1)(e))."""

    country: Destination = text(
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
    mechanism: Mechanism | None = text(
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

    description: RichText | None = text(
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
    period: RichText = text(
        "Time limit",
        "Frist",
        "When the data is erased.",
        "Hvornår oplysningerne slettes.",
        min_length=1,
    )


class Retention(Strict):
    """Time limits for erasure (Art. 30(1)(f))."""

    description: RichText | None = text(
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


class LawfulBasis(Strict):
    """Art. 6(1) basis, Art. 9(2) condition and Art. 10 ground (not in Art. 30, but asked for)."""

    art6: list[Literal["a", "b", "c", "d", "e", "f"]] = text(
        "Art. 6(1)", "Art. 6, stk. 1", "Letters a–f.", "Litra a–f.", default_factory=list
    )
    art9: list[Literal["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]] = text(
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
    description: RichText | None = text(
        "Explanation", "Forklaring", "Free text.", "Fritekst.", default=None
    )


class Acceptance(Strict):
    """A lint warning accepted on purpose, with the reason (the DOCX shows it as a note)."""

    rule: str = text(
        "Rule", "Regel", "The rule code, e.g. retention-indefinite.", "Regelkoden.", min_length=1
    )
    reason: str = text(
        "Reason",
        "Begrundelse",
        "Why it is acceptable here.",
        "Hvorfor det er i orden her.",
        min_length=1,
    )


class Record(Strict):
    """One processing activity: a file ``records/<id>.yaml``; its id is the file name."""

    title: str = text(
        "Title", "Titel", "Name of the activity.", "Behandlingsaktivitetens navn.", min_length=1
    )
    role: Role = text(
        "Role",
        "Rolle",
        "controller (Art. 30(1)) or processor (Art. 30(2)); decides the labels.",
        "dataansvarlig (art. 30, stk. 1) eller databehandler (art. 30, stk. 2).",
    )
    owner: str = text(
        "Process owner",
        "Procesejer",
        "Department or person owning the activity.",
        "Afdeling eller person, der ejer aktiviteten.",
        min_length=1,
    )
    updated: Day = text(
        "Last updated", "Senest opdateret", "Date (YYYY-MM-DD).", "Dato (ÅÅÅÅ-MM-DD)."
    )
    reviewed: Day = text(
        "Last reviewed", "Senest gennemgået", "Date (YYYY-MM-DD).", "Dato (ÅÅÅÅ-MM-DD)."
    )
    controller: Contact | None = text(
        "Organisation (override)",
        "Myndighed/virksomhed (afvigende)",
        "Only where it differs from organisation.yaml.",
        "Kun hvis den afviger.",
        default=None,
    )
    joint_controller: Contact | None = text(
        "Joint controller (override)",
        "Fælles dataansvarlig (afvigende)",
        "Only where it differs from organisation.yaml.",
        "Kun hvis den afviger.",
        default=None,
    )
    representative: Contact | None = text(
        "Representative (override)",
        "Repræsentant (afvigende)",
        "Only where it differs from organisation.yaml.",
        "Kun hvis den afviger.",
        default=None,
    )
    dpo: Contact | None = text(
        "DPO (override)",
        "Databeskyttelsesrådgiver (afvigende)",
        "Only where it differs from organisation.yaml.",
        "Kun hvis den afviger.",
        default=None,
    )
    purposes: RichText | None = text(
        "Purposes", "Formål", "Art. 30(1)(b).", "Art. 30, stk. 1, b.", default=None
    )
    lawful_basis: LawfulBasis | None = text(
        "Lawful basis", "Behandlingsgrundlag", "Art. 6, 9 and 10.", "Art. 6, 9 og 10.", default=None
    )
    data_subjects: DataSubjects | None = text(
        "Data subjects and data",
        "Registrerede og personoplysninger",
        "Art. 30(1)(c).",
        "Art. 30, stk. 1, c.",
        default=None,
    )
    controllers: list[Contact] = text(
        "Controllers (processor records)",
        "Dataansvarlige (databehandler)",
        "Each controller on whose behalf we process (Art. 30(2)(a)).",
        "Hver dataansvarlig, på hvis vegne vi behandler (art. 30, stk. 2, a).",
        default_factory=list,
    )
    processing: RichText | None = text(
        "Categories of processing (processor records)",
        "Kategorier af behandling",
        "Art. 30(2)(b).",
        "Art. 30, stk. 2, b.",
        default=None,
    )
    recipients: Recipients | None = text(
        "Recipients", "Modtagere", "Art. 30(1)(d).", "Art. 30, stk. 1, d.", default=None
    )
    transfers: Transfers | None = text(
        "Third-country transfers",
        "Tredjelande",
        "Art. 30(1)(e); state 'none' explicitly.",
        "Art. 30, stk. 1, e; skriv 'ingen' udtrykkeligt.",
        default=None,
    )
    retention: Retention | None = text(
        "Erasure", "Sletning", "Art. 30(1)(f).", "Art. 30, stk. 1, f.", default=None
    )
    security: RichText | None = text(
        "Security measures",
        "Sikkerhedsforanstaltninger",
        "Art. 30(1)(g) / 30(2)(d).",
        "Art. 30, stk. 1, g.",
        default=None,
    )
    accepted: list[Acceptance] = text(
        "Accepted warnings",
        "Accepterede advarsler",
        "Lint warnings accepted with a reason.",
        "Advarsler, der er accepteret med en begrundelse.",
        default_factory=list,
    )
