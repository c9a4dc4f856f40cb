"""Stage 2: turn read data into a validated :class:`Register`, or report every problem at its line.

Pydantic checks each file against :mod:`ropa_build.models` (its errors mapped onto the YAML by
:mod:`ropa_build.schema_errors`), then the references between files are checked
(:mod:`ropa_build.references`); every problem of every file is reported in one run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ropa_build.errors import Problem, UserError
from ropa_build.load import Sources
from ropa_build.models import Catalogue, Organisation, Record, given
from ropa_build.models.shared import SharedUse
from ropa_build.references import catalogue_countries, references, shared_references
from ropa_build.schema_errors import validate_model
from ropa_build.source import Source
from ropa_build.vocabulary import Vocabulary


@dataclass(frozen=True)
class Activity:
    """A validated record with its id and source (lint rules point back into the file)."""

    id: str
    record: Record
    source: Source


@dataclass(frozen=True)
class Register:
    """The whole validated register, records sorted by id."""

    root: Path
    organisation: Organisation
    catalogue: Catalogue
    activities: tuple[Activity, ...]
    vocabulary: Vocabulary
    sources: tuple[Source, Source]  # organisation.yaml, catalogue.yaml
    notices: tuple[Problem, ...] = ()  # warnings from reading: files that are not records

    def shared_uses(self, record: Record, part: str) -> list[SharedUse]:
        """The recipients organisation.yaml lists for every activity in ``part`` ("internal",
        "processors") that ``record`` does not name itself (a record that names one says which
        data it receives; these receive whatever the activity processes)."""
        recipients = given(record.recipients)
        own = {use.ref for use in getattr(recipients, part, ())} if recipients else set()
        every = getattr(self.organisation.recipients, part, ())
        return [use for use in every if use.ref not in own]


def validate(sources: Sources, vocabulary: Vocabulary) -> Register:
    """Validate everything; raise :class:`UserError` with all problems if anything is wrong."""
    problems = list(sources.problems)
    organisation = validate_model(Organisation, sources.organisation, problems)
    catalogue = validate_model(Catalogue, sources.catalogue, problems)
    activities = []
    raw = sources.catalogue.data.get("systems") if isinstance(sources.catalogue.data, dict) else {}
    systems = raw if isinstance(raw, dict) else {}
    for record_id, source in sources.records:
        record = validate_model(Record, source, problems)
        if record is not None:
            activities.append(Activity(record_id, record, source))
        problems += references(source, systems, vocabulary)
    problems += shared_references(sources.organisation, systems)
    problems += catalogue_countries(sources.catalogue)
    if problems or organisation is None or catalogue is None:
        raise UserError(problems)
    return Register(
        sources.root,
        organisation,
        catalogue,
        tuple(sorted(activities, key=_order)),
        vocabulary,
        (sources.organisation, sources.catalogue),
        tuple(sources.warnings),
    )


def _order(activity: Activity) -> tuple:
    """The register's order: numbered activities first, by their number read as a person reads
    it ("2" before "10", "3.2" before "3.10"), then the rest by id (the file name)."""
    number = activity.record.number
    if not number:
        return (1, (), activity.id)
    parts = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
        for part in re.split(r"(\d+)", number)
        if part and not part.isspace()
    )
    return (0, parts, activity.id)
