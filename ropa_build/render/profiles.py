"""Spreadsheet profiles: which columns a spreadsheet export has, read from data files.

A profile is ``templates/profiles/<name>.yaml`` — the built-in ones are the UK ICO's controller
and processor documentation templates and CNIL's "registre" — found like every template: the
register's own ``templates/profiles/`` first, so a user adds a profile (or changes a built-in
one) by writing a file there. Each column names its heading per language and the *field* of the
register it holds (:data:`FIELDS`, computed in :mod:`ropa_build.render.cells`), so a profile is
data, never code. A profile file is user input: its mistakes are user errors at their line, found
when the format is set up (and so by ``ropa check`` too).

Which profiles a build writes: every profile found whose ``roles`` include the role of at least
one record in the register (a register of controller records only gets no processor sheet).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ropa_build.errors import UserError
from ropa_build.models import Role
from ropa_build.render.cells import values
from ropa_build.render.format import Job
from ropa_build.resources import load_source, search_path
from ropa_build.validate import Activity

#: The register's fields a column may hold (their meaning: :mod:`ropa_build.render.cells`).
#: ``none`` is a column of the authority's template that the register has no field for: kept,
#: empty, so the headings stay the template's and a DPO can paste the rows into it.
FieldName = Literal[
    "none",
    "id",
    "title",
    "title_purposes",
    "owner",
    "updated",
    "reviewed",
    "role",
    "purposes",
    "joint_controller",
    "representative",
    "dpo",
    "controllers",
    "processing",
    "subject_groups",
    "data_categories",
    "sensitive",
    "recipients",
    "recipients_internal",
    "recipients_processors",
    "recipients_others",
    "processor_contracts",
    "transfer_countries",
    "transfer_safeguards",
    "retention",
    "security",
    "art6",
    "art9",
    "art10",
    "legitimate_interests",
    "location",
    "accepted",
]


def _has_english(heading: dict[str, str]) -> dict[str, str]:
    if "en" not in heading:
        raise PydanticCustomError(
            "no_english", "a heading needs an `en:` text (used for a language it does not name)"
        )
    return heading


# language → text; "en" is used where a language has none
Heading = Annotated[dict[str, str], AfterValidator(_has_english)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Column(_Shape):
    heading: Heading = Field(min_length=1)
    value: FieldName
    width: int = Field(default=30, ge=1, le=255)  # in characters, as a spreadsheet counts them


class Party(_Shape):
    """One line of the contact block above the rows (Art. 30(1)(a), 30(2)(a))."""

    party: Literal["controller", "joint_controller", "representative", "dpo"]
    heading: Heading = Field(min_length=1)


class ContactHeadings(_Shape):
    name: Heading
    address: Heading
    email: Heading
    phone: Heading


class Profile(_Shape):
    """One ``templates/profiles/<name>.yaml``."""

    title: Heading = Field(min_length=1)
    sheet: Heading = Field(min_length=1)  # the name of the (first) sheet: at most 31 characters
    source: str = ""  # where the headings come from (shown nowhere; for the reader of the file)
    roles: list[Role] = Field(min_length=1)
    layout: Literal["rows", "sheets"] = "rows"  # rows: one row per activity; sheets: CNIL's
    contacts: list[Party] = []
    contact_headings: ContactHeadings | None = None
    columns: list[Column] = Field(min_length=1)
    summary: list[Column] = []  # layout "sheets": the summary sheet's columns

    @model_validator(mode="after")
    def _summary_for_sheets(self) -> Profile:
        if self.layout == "sheets" and not self.summary:
            raise PydanticCustomError(
                "no_summary", "layout `sheets` needs `summary:` columns for its summary sheet"
            )
        return self


@dataclass(frozen=True)
class Chosen:
    """A profile a build writes, with its headings in the build's language."""

    name: str
    profile: Profile
    lang: str

    def text(self, heading: Heading) -> str:
        return heading.get(self.lang) or heading["en"]


def chosen_profiles(job: Job) -> list[Chosen]:
    """Every profile whose roles the register has, sorted by name; every profile is read and
    checked (a broken one is a user error even if this register would not write it)."""
    problems, profiles = [], {}
    for name in profile_names(job.register.root):
        try:
            source = load_source(job.register.root, "templates", f"profiles/{name}.yaml", Profile)
        except UserError as error:
            problems += error.problems
            continue
        profiles[name] = Profile.model_validate(source.data)
    if problems:
        raise UserError(problems)
    roles = {a.record.role for a in job.register.activities}
    return [
        Chosen(name, profile, job.view.lang)
        for name, profile in sorted(profiles.items())
        if roles & set(profile.roles)
    ]


def profile_names(root: Path) -> list[str]:
    """The names of the profiles on the templates' search path (the register's own and built-in)."""
    names = set()
    for folder in search_path(root, "templates"):
        names.update(p.stem for p in (folder / "profiles").glob("*.yaml") if p.is_file())
    return sorted(names)


def table_piece(job: Job, profiles: list[Chosen], activity: Activity) -> dict[str, tuple]:
    """An activity's cells for every profile listing its role (the XLSX and CSV formats' piece)."""
    piece = {}
    for chosen in profiles:
        if activity.record.role in chosen.profile.roles:
            cells = values(job.register, activity, job.labels, _fields(chosen.profile.columns))
            summary = values(job.register, activity, job.labels, _fields(chosen.profile.summary))
            piece[chosen.name] = (activity.record.title, cells, summary)
    return piece


def _fields(columns: list[Column]) -> list[str]:
    return [column.value for column in columns]
