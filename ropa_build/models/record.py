"""One processing activity: ``records/<id>.yaml``."""

from __future__ import annotations

from ropa_build.models.base import Day, RichText, Role, Strict, text
from ropa_build.models.content import Acceptance, DataSubjects, LawfulBasis, Recipients
from ropa_build.models.document import OpenPoint, Review
from ropa_build.models.parties import Contact, Party
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
    controllers: list[Contact] = text(
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
