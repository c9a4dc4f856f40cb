"""The register as a document a DPO signs: reviews, approval, version log, open points.

A register is a living document that many hands change and one person signs (issue 12). A record
says who reviewed it and when (``reviewed: {date, by}``; the bare date keeps working); the
register says which version was approved, when and by whom, keeps a version log, the events that
call for a review, and the next review date. Open points (an assumption, a question for the DPO,
a fact to be verified) are shown as such in every output, never as settled fact.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import model_validator

from ropa_build.models.base import Day, FilledText, Strict, plain_form, text


class Review(Strict):
    """Who reviewed an activity, and when. ``reviewed: 2026-10-01`` is the date alone."""

    date: Day = text("Date", "Dato", "Date (YYYY-MM-DD).", "Dato (ÅÅÅÅ-MM-DD).")
    by: str | None = text(
        "Reviewed by",
        "Gennemgået af",
        "Who reviewed it (name or role).",
        "Hvem der gennemgik den (navn eller rolle).",
        default=None,
        min_length=1,
    )

    @model_validator(mode="before")
    @classmethod
    def _bare_date(cls, value: Any) -> Any:
        return {"date": value} if isinstance(value, str | dt.date) else value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict:
        return plain_form(handler(core_schema), handler, {"type": "string", "format": "date"})


class Approval(Strict):
    """The register's approval: which version, when, by whom (shown on the cover)."""

    version: str | None = text(
        "Version", "Version", "The version approved.", "Den godkendte version.", default=None
    )
    date: Day = text("Date", "Dato", "Date of approval.", "Godkendelsesdato.")
    by: str = text(
        "Approved by",
        "Godkendt af",
        "Who approved it (name and role).",
        "Hvem der godkendte den (navn og rolle).",
        min_length=1,
    )


class VersionEntry(Strict):
    """One line of the version log."""

    version: str = text("Version", "Version", "Version number.", "Versionsnummer.", min_length=1)
    date: Day = text("Date", "Dato", "Date (YYYY-MM-DD).", "Dato (ÅÅÅÅ-MM-DD).")
    by: str | None = text("By", "Af", "Who made it.", "Hvem der udarbejdede den.", default=None)
    changes: str | None = text(
        "Changes", "Ændringer", "What changed.", "Hvad der blev ændret.", default=None
    )


PointKind = Literal["assumption", "question", "to-verify"]


class OpenPoint(Strict):
    """Something not settled: an assumption, a question for the DPO, a fact to be verified.

    A plain string is the description alone (a question)."""

    kind: PointKind = text(
        "Kind",
        "Type",
        "assumption · question (for the DPO) · to-verify (a fact to be checked).",
        "assumption (antagelse) · question (spørgsmål til DPO) · to-verify (skal verificeres).",
        default="question",
    )
    description: FilledText = text(
        "Description",
        "Beskrivelse",
        "What is open, in words the DPO can act on.",
        "Hvad der er åbent, så DPO kan tage stilling.",
    )
    about: str | None = text(
        "About",
        "Vedrører",
        "The field or part it concerns, e.g. transfers.",
        "Det felt eller afsnit, det vedrører, fx transfers.",
        default=None,
    )
    raised_by: str | None = text(
        "Raised by", "Rejst af", "Who raised it.", "Hvem der har rejst det.", default=None
    )
    raised: Day | None = text(
        "Raised on", "Rejst den", "Date (YYYY-MM-DD).", "Dato (ÅÅÅÅ-MM-DD).", default=None
    )

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        return {"description": value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict:
        return plain_form(handler(core_schema), handler, {"type": "string", "minLength": 1})


class RegisterInfo(Strict):
    """Facts about the register document itself: its cover, its life, its opening text."""

    version: str | None = text(
        "Version",
        "Version",
        "Version of the register, shown on the cover; none is shown when left out.",
        "Fortegnelsens version, vises på forsiden; udelades den, vises ingen.",
        default=None,
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
    approved: Approval | None = text(
        "Approval",
        "Godkendelse",
        "The version approved, when and by whom; `ropa check` warns when a record changed "
        "after it (rule approval-outdated).",
        "Den godkendte version, dato og hvem; `ropa check` advarer, når en aktivitet er ændret "
        "efter godkendelsen.",
        default=None,
    )
    version_log: list[VersionEntry] = text(
        "Version log",
        "Versionslog",
        "One entry per version, with its date, author and changes.",
        "En post pr. version med dato, forfatter og ændringer.",
        default_factory=list,
    )
    next_review: Day | None = text(
        "Next review",
        "Næste gennemgang",
        "Date of the next planned review of the register.",
        "Dato for næste planlagte gennemgang af fortegnelsen.",
        default=None,
    )
    review_triggers: list[str] = text(
        "Review triggers",
        "Anledninger til gennemgang",
        "Events that call for a review (a new system, a new vendor, a breach...).",
        "Hændelser, der udløser en gennemgang (nyt system, ny leverandør, brud ...).",
        default_factory=list,
    )
    introduction: str | None = text(
        "Introduction",
        "Indledning",
        "The register's introduction, stated once (Markdown).",
        "Fortegnelsens indledning, skrevet én gang (Markdown).",
        default=None,
    )
    scope: str | None = text(
        "Scope",
        "Afgrænsning",
        "What the register covers (units, activities, period).",
        "Hvad fortegnelsen omfatter (enheder, aktiviteter, periode).",
        default=None,
    )
    roles: str | None = text(
        "Roles",
        "Roller",
        "A statement of roles: where the organisation is controller, where processor.",
        "Hvor organisationen er dataansvarlig, og hvor den er databehandler.",
        default=None,
    )
