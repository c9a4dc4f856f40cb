"""Register-level content stated once: shared statements and companion documents.

Five real registers each had text that holds for every activity — one security text, one
transfer statement, one introduction — and documents the register refers to (processing
agreements, the privacy notice, a retention policy). Copying them into every record lets the
copies drift apart; YAML anchors are refused (a record is read on its own). So
``organisation.yaml`` states them once (``statements``, ``documents``) and a record refers to
one by id: ``security: {shared: it-sikkerhed}``, with ``also:`` for what holds only for it.
"""

from __future__ import annotations

from typing import Any

from pydantic import model_validator

from ropa_build.models.base import FilledText, Id, RichText, Strict, plain_form, text


class _ByRef(Strict):
    """A model whose short form is its ``ref`` alone: ``hosting`` for ``{ref: hosting}``."""

    @model_validator(mode="before")
    @classmethod
    def _id(cls, value: Any) -> Any:
        return {"ref": value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict:
        return plain_form(handler(core_schema), handler, {"type": "string"})


class Statement(Strict):
    """A text that holds for several activities, stated once in organisation.yaml."""

    title: str = text(
        "Title",
        "Titel",
        "What it is, shown beside the text (e.g. 'IT-sikkerhedspolitik').",
        "Hvad den er, vises ved teksten (fx 'IT-sikkerhedspolitik').",
        min_length=1,
    )
    text: FilledText = text("Text", "Tekst", "The statement (Markdown).", "Teksten (Markdown).")


class Shared(Strict):
    """A reference to a shared statement, instead of a copy of it."""

    shared: Id = text(
        "Shared statement",
        "Fælles tekst",
        "Id of a statement under `statements` in organisation.yaml.",
        "Id på en tekst under `statements` i organisation.yaml.",
    )
    also: RichText | None = text(
        "Also",
        "Desuden",
        "What holds for this activity only, shown after the shared text.",
        "Det, der kun gælder for denne aktivitet; vises efter den fælles tekst.",
        default=None,
    )


class Companion(Strict):
    """A document the register refers to: a processing agreement, a privacy notice, a policy.

    A link is an http(s) address or a path relative to the register's documents."""

    title: str = text("Title", "Titel", "The document's title.", "Dokumentets titel.", min_length=1)
    link: str | None = text(
        "Link",
        "Link",
        "Where it is: https://… or a relative path (docs/sletning.pdf); shown as a link.",
        "Hvor det findes: https://… eller en relativ sti (docs/sletning.pdf); vises som link.",
        default=None,
    )
    kind: str | None = text(
        "Kind",
        "Type",
        "e.g. processing agreement, privacy notice, risk assessment, retention policy.",
        "fx databehandleraftale, privatlivspolitik, risikovurdering, slettepolitik.",
        default=None,
    )


class DocumentRef(_ByRef):
    """A companion document: the id of one in organisation.yaml's ``documents``, or the
    document itself."""

    ref: Id | None = text(
        "Document id",
        "Dokument-id",
        "Id of a document under `documents` in organisation.yaml.",
        "Id på et dokument under `documents` i organisation.yaml.",
        default=None,
    )
    title: str | None = text(
        "Title", "Titel", "The document's title.", "Dokumentets titel.", default=None
    )
    link: str | None = text(
        "Link",
        "Link",
        "https://… or a relative path.",
        "https://… eller en relativ sti.",
        default=None,
    )


class SharedUse(_ByRef):
    """A catalogue entry every activity uses, stated once: a hosting provider, the e-mail
    service, the backup. It receives whatever each activity processes, so it names no groups."""

    ref: Id = text(
        "Catalogue id", "Katalog-id", "Id of the entry in catalogue.yaml.", "Id i catalogue.yaml."
    )
    note: str | None = text(
        "Note", "Bemærkning", "Shown after the name.", "Vises efter navnet.", default=None
    )


class SharedRecipients(Strict):
    """Recipients of every activity, stated once in organisation.yaml (Art. 30(1)(d)): each
    activity's recipients section lists them after its own, marked as the register's."""

    internal: list[SharedUse] = text(
        "Internal systems",
        "Interne systemer",
        "Internal systems every activity uses, e.g. [m365].",
        "Interne systemer, som alle aktiviteter bruger.",
        default_factory=list,
    )
    processors: list[SharedUse] = text(
        "Processors",
        "Databehandlere",
        "Processors every activity uses, e.g. [hosting, backup].",
        "Databehandlere, som alle aktiviteter bruger, fx [hosting, backup].",
        default_factory=list,
    )
