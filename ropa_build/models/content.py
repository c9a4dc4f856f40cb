"""The record's sections about data: subjects, recipients, lawful basis, acceptances."""

from __future__ import annotations

from pydantic import model_validator

from ropa_build.models.base import Id, RichText, Strict, text
from ropa_build.models.states import stateable


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
    same_data_as: Id | None = text(
        "Same data as",
        "Samme oplysninger som",
        "Id of another group in this record whose data list this group shares (categories, "
        "details, wording), instead of a copy.",
        "Id på en anden gruppe i aktiviteten, hvis oplysninger denne gruppe deler.",
        default=None,
    )
    wording: dict[str, str] = text(
        "Checklist wording",
        "Tjeklistens ordlyd",
        "Per data category id, this group's own wording of its checklist line, e.g. "
        "identification: 'Identifikationsoplysninger, herunder navn, telefonnummer og e-mail'.",
        "Pr. kategori-id gruppens egen ordlyd af tjeklistens linje.",
        default_factory=dict,
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

    @model_validator(mode="after")
    def _same_data(self) -> DataSubjects:
        """A group with ``same_data_as`` has the other group's data list (categories, details,
        wording): stated once, and every group keeps its own id, so recipients and retention
        rules still say exactly about whom they are."""
        by_id = {g.id: g for g in self.groups}
        groups = []
        for group in self.groups:
            source = by_id.get(group.same_data_as) if group.same_data_as else None
            if group.same_data_as and (source is None or source.same_data_as):
                raise ValueError(
                    f"group '{group.id}': same_data_as '{group.same_data_as}' names no group "
                    "with its own data list in this record"
                )
            if source is not None:
                if group.categories:
                    raise ValueError(
                        f"group '{group.id}' has both categories and same_data_as: keep one"
                    )
                group = group.model_copy(
                    update={
                        "categories": source.categories,
                        "details": group.details or source.details,
                        "wording": {**source.wording, **group.wording},
                    }
                )
            groups.append(group)
        object.__setattr__(self, "groups", groups)  # frozen: set once, while validating
        return self


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

    description: stateable(RichText, shared=True) | None = text(
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
    roles: list[str] = text(
        "Recipients by role",
        "Modtagere efter rolle",
        "Recipients named by their role, e.g. 'medarbejdere med et arbejdsbetinget behov'.",
        "Modtagere angivet ved deres rolle, fx 'medarbejdere med et arbejdsbetinget behov'.",
        default_factory=list,
    )
    others: list[RecipientUse] = text(
        "Other recipients",
        "Andre modtagere",
        "Recipients to whom data is disclosed.",
        "Modtagere, som oplysningerne videregives til.",
        default_factory=list,
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
