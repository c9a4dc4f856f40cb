"""One processing activity: ``records/<id>.yaml``."""

from __future__ import annotations

from typing import Literal

from ropa_build.models.assessment import Dpia
from ropa_build.models.base import Day, RichText, Role, Strict, text
from ropa_build.models.basis import LawfulBasis
from ropa_build.models.content import Acceptance, DataSubjects, Recipients
from ropa_build.models.document import OpenPoint, Review
from ropa_build.models.parties import Contact, ControllerParty, Party
from ropa_build.models.retention import Retention
from ropa_build.models.shared import DocumentRef
from ropa_build.models.states import stateable
from ropa_build.models.transfers import Transfers


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
    reviewed: Review = text(
        "Last reviewed",
        "Senest gennemgået",
        "The date (YYYY-MM-DD), or `{date, by}` with who reviewed it.",
        "Datoen (ÅÅÅÅ-MM-DD), eller `{date, by}` med hvem der gennemgik den.",
    )
    controller: Contact | None = text(
        "Organisation (override)",
        "Myndighed/virksomhed (afvigende)",
        "Only where it differs from organisation.yaml.",
        "Kun hvis den afviger.",
        default=None,
    )
    joint_controller: Party | None = text(
        "Joint controller (override)",
        "Fælles dataansvarlig (afvigende)",
        "Only where it differs from organisation.yaml.",
        "Kun hvis den afviger.",
        default=None,
    )
    representative: Party | None = text(
        "Representative (override)",
        "Repræsentant (afvigende)",
        "Only where it differs from organisation.yaml.",
        "Kun hvis den afviger.",
        default=None,
    )
    dpo: Party | None = text(
        "DPO (override)",
        "Databeskyttelsesrådgiver (afvigende)",
        "Only where it differs from organisation.yaml.",
        "Kun hvis den afviger.",
        default=None,
    )
    purposes: stateable(RichText, shared=True) | None = text(
        "Purposes", "Formål", "Art. 30(1)(b).", "Art. 30, stk. 1, b.", default=None
    )
    lawful_basis: stateable(LawfulBasis) | None = text(
        "Lawful basis", "Behandlingsgrundlag", "Art. 6, 9 and 10.", "Art. 6, 9 og 10.", default=None
    )
    data_subjects: stateable(DataSubjects) | None = text(
        "Data subjects and data",
        "Registrerede og personoplysninger",
        "Art. 30(1)(c).",
        "Art. 30, stk. 1, c.",
        default=None,
    )
    controllers: list[ControllerParty] = text(
        "Controllers (processor records)",
        "Dataansvarlige (databehandler)",
        "Each controller on whose behalf we process (Art. 30(2)(a)).",
        "Hver dataansvarlig, på hvis vegne vi behandler (art. 30, stk. 2, a).",
        default_factory=list,
    )
    processing: stateable(RichText, shared=True) | None = text(
        "Categories of processing (processor records)",
        "Kategorier af behandling",
        "Art. 30(2)(b).",
        "Art. 30, stk. 2, b.",
        default=None,
    )
    recipients: stateable(Recipients) | None = text(
        "Recipients", "Modtagere", "Art. 30(1)(d).", "Art. 30, stk. 1, d.", default=None
    )
    transfers: stateable(Transfers) | None = text(
        "Third-country transfers",
        "Tredjelande",
        "Art. 30(1)(e); state 'none' explicitly.",
        "Art. 30, stk. 1, e; skriv 'ingen' udtrykkeligt.",
        default=None,
    )
    retention: stateable(Retention) | None = text(
        "Erasure", "Sletning", "Art. 30(1)(f).", "Art. 30, stk. 1, f.", default=None
    )
    security: stateable(RichText, shared=True) | None = text(
        "Security measures",
        "Sikkerhedsforanstaltninger",
        "Art. 30(1)(g) / 30(2)(d).",
        "Art. 30, stk. 1, g.",
        default=None,
    )
    number: str | None = text(
        "Activity number",
        "Aktivitetsnummer",
        "The activity's number in the register, e.g. 3.2 (shown beside the owner); numbered "
        "activities come first, in the order of their numbers (2 before 10).",
        "Aktivitetens nummer i fortegnelsen, fx 3.2; nummererede aktiviteter står først, i "
        "nummerorden (2 før 10).",
        default=None,
    )
    unit: str | None = text(
        "Organisation unit",
        "Organisatorisk enhed",
        "The unit responsible, in its hierarchy, e.g. 'Salg › Norden'.",
        "Den ansvarlige enhed i organisationen, fx 'Salg › Norden'.",
        default=None,
    )
    status: Literal["planned", "active", "retired"] | None = text(
        "Status",
        "Status",
        "planned, active or retired (a retired activity still has data to erase).",
        "planlagt, aktiv eller ophørt.",
        default=None,
    )
    dpia: Dpia | None = text(
        "DPIA",
        "Konsekvensanalyse (DPIA)",
        "Art. 35: whether one is required, its status, risk level and link.",
        "Art. 35: om den er påkrævet, status, risikoniveau og link.",
        default=None,
    )
    data_source: stateable(RichText) | None = text(
        "Source of the data",
        "Oplysningernes kilde",
        "Where the data comes from when not from the data subject (Art. 14(2)(f)).",
        "Hvor oplysningerne kommer fra, når de ikke indsamles hos den registrerede (art. 14).",
        default=None,
    )
    automated_decisions: stateable(RichText) | None = text(
        "Automated decisions",
        "Automatiske afgørelser",
        "Whether decisions are based solely on automated processing, incl. profiling (Art. 22);"
        " `none` if there are none.",
        "Om der træffes afgørelser alene på grundlag af automatisk behandling (art. 22).",
        default=None,
    )
    documents: list[DocumentRef] = text(
        "Companion documents",
        "Tilknyttede dokumenter",
        "Documents this activity refers to: an id from organisation.yaml's `documents`, or "
        "`{title, link}`.",
        "Dokumenter, aktiviteten henviser til: et id fra `documents` i organisation.yaml, eller "
        "`{title, link}`.",
        default_factory=list,
    )
    open_points: list[OpenPoint] = text(
        "Open points",
        "Åbne punkter",
        "Assumptions, questions for the DPO, facts to be verified: shown as such in every "
        "output; `ropa check` lists them (rule open-point). A plain string is a question.",
        "Antagelser, spørgsmål til DPO, forhold der skal verificeres: vises som sådan i alle "
        "output; `ropa check` viser dem.",
        default_factory=list,
    )
    accepted: list[Acceptance] = text(
        "Accepted warnings",
        "Accepterede advarsler",
        "Lint warnings accepted with a reason.",
        "Advarsler, der er accepteret med en begrundelse.",
        default_factory=list,
    )
