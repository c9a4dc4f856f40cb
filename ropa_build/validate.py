"""Stage 2: turn read data into a validated :class:`Register`, or report every problem at its line.

Pydantic checks each file against :mod:`ropa_build.models`; its errors are mapped onto the YAML
positions kept while reading, by the error's ``type`` (never by its English message, which
changes between pydantic versions). Then references between files are checked: catalogue ids,
data-category ids, subject-group ids and country codes, each with a did-you-mean suggestion.
"""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
from pydantic import BaseModel, ValidationError

from ropa_build.errors import Problem, UserError
from ropa_build.load import Sources
from ropa_build.models import DESTINATION_PATTERN, Catalogue, Organisation, Record
from ropa_build.source import Loc, Source
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


def validate(sources: Sources, vocabulary: Vocabulary) -> Register:
    """Validate everything; raise :class:`UserError` with all problems if anything is wrong."""
    problems = list(sources.problems)
    organisation = _model(Organisation, sources.organisation, problems)
    catalogue = _model(Catalogue, sources.catalogue, problems)
    activities = []
    raw = sources.catalogue.data.get("systems") if isinstance(sources.catalogue.data, dict) else {}
    systems = raw if isinstance(raw, dict) else {}
    for record_id, source in sources.records:
        record = _model(Record, source, problems)
        if record is not None:
            activities.append(Activity(record_id, record, source))
        problems += _references(source, systems, vocabulary)
    problems += _catalogue_countries(sources.catalogue)
    if problems or organisation is None or catalogue is None:
        raise UserError(problems)
    return Register(
        sources.root,
        organisation,
        catalogue,
        tuple(activities),
        vocabulary,
        (sources.organisation, sources.catalogue),
    )


def check_shape(model: type[BaseModel], source: Source) -> list[Problem]:
    """The problems of ``source`` against ``model`` (used for the vocabularies in schema/)."""
    problems: list[Problem] = []
    _model(model, source, problems)
    return problems


def _model(model: type[BaseModel], source: Source, problems: list[Problem]) -> Any:
    if not isinstance(source.data, dict):
        return None  # the reader has reported why
    try:
        return model.model_validate(source.data)
    except ValidationError as error:
        problems.extend(_explain(error, model, source))
        return None


# --- pydantic errors → problems -------------------------------------------------------------

_PATTERN_HELP = {
    "^[0-9]{8}$": ("bad-cvr", "is not a CVR number", "a CVR number has 8 digits, e.g. 34217483"),
    "^[A-Z]{2}$": (
        "bad-country",
        "is not a country code",
        "use the ISO 3166 two-letter code in capitals, e.g. DK, US, MK",
    ),
    DESTINATION_PATTERN: (
        "bad-country",
        "is not a country code or an international organisation",
        "use the ISO 3166 two-letter code in capitals, e.g. DK, US, MK, or org:<id> for an "
        "international organisation, e.g. org:epo",
    ),
    "^[a-z0-9][a-z0-9_-]*$": (
        "bad-id",
        "is not a valid id",
        "use lowercase letters, digits, '-' and '_', e.g. google-workspace",
    ),
}
_MAPPING = ("expected a mapping", "write `key: value` lines indented below this key")
_BOOL = ("expected true or false", "write true or false")
_INT = ("expected a whole number", "write a number such as 12")
_TYPE_HELP = {
    "string_type": (
        "expected text",
        "write the text after the colon; quote it if it looks like a number or true/false",
    ),
    "list_type": ("expected a list", "write each item on its own line, starting with '- '"),
    **dict.fromkeys(("dict_type", "model_type", "model_attributes_type"), _MAPPING),
    **dict.fromkeys(("bool_type", "bool_parsing"), _BOOL),
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), _INT),
}


def _explain(error: ValidationError, model: type[BaseModel], source: Source) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc: Loc = tuple(item["loc"])
        on_key = loc[-1:] == ("[key]",)  # a mapping's key (a catalogue id) is itself wrong
        loc = loc[:-1] if on_key else loc
        kind, value, ctx = item["type"], item.get("input"), item.get("ctx") or {}
        name = _name(loc)
        if kind == "missing":
            problems.append(
                source.problem(
                    loc[:-1],
                    "missing-key",
                    f"'{name}' is missing",
                    f"add `{name}:` here (see docs/fields.md)",
                )
            )
        elif kind == "extra_forbidden":
            known = _keys_at(model, loc[:-1])
            problems.append(
                source.problem(
                    loc,
                    "unknown-key",
                    f"unknown key '{name}'",
                    _did_you_mean(name, known, "remove it"),
                    key=True,
                )
            )
        elif kind in (
            "date_from_datetime_parsing",
            "date_parsing",
            "date_type",
            "date_from_datetime_inexact",
        ):
            problems.append(
                source.problem(
                    loc,
                    "bad-date",
                    f"'{value}' is not a date",
                    "write the date as YYYY-MM-DD, e.g. 2021-03-10",
                )
            )
        elif kind == "string_pattern_mismatch":
            code, what, hint = _PATTERN_HELP.get(
                ctx.get("pattern"), ("bad-value", "has the wrong form", "see docs/fields.md")
            )
            if "email" not in loc:  # e-mail is a list: its loc ends with an index
                problems.append(source.problem(loc, code, f"'{value}' {what}", hint, key=on_key))
            else:
                problems.append(
                    source.problem(
                        loc,
                        "bad-email",
                        f"'{value}' is not an e-mail address",
                        "write it as name@example.dk",
                    )
                )
        elif kind == "literal_error":
            expected = [
                e.strip(" '") for e in str(ctx.get("expected", "")).replace(" or ", ",").split(",")
            ]
            problems.append(
                source.problem(
                    loc,
                    "bad-value",
                    f"'{value}' is not allowed here",
                    _did_you_mean(str(value), expected, "use one of: " + ", ".join(expected)),
                )
            )
        elif kind in ("string_too_short", "too_short"):
            problems.append(
                source.problem(
                    loc,
                    "empty-value",
                    f"'{name}' is empty",
                    "fill it in, or remove the key if it is optional",
                )
            )
        elif kind in _TYPE_HELP:
            what, hint = _TYPE_HELP[kind]
            problems.append(source.problem(loc, "wrong-type", f"'{name}': {what}", hint))
        else:
            problems.append(
                source.problem(
                    loc, "invalid-value", f"'{name}': {item['msg']}", "see docs/fields.md"
                )
            )
    return problems


def _name(loc: Loc) -> str:
    """What a user calls the place: its key, or "item 2 of 'groups'" inside a list."""
    if not loc:
        return "file"
    if isinstance(loc[-1], int):
        return f"item {loc[-1] + 1} of '{loc[-2]}'" if len(loc) > 1 else f"item {loc[-1] + 1}"
    return str(loc[-1])


def _keys_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at ``loc`` inside ``model`` (for did-you-mean on unknown keys)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, str) and isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        elif isinstance(current, types.GenericAlias | typing._GenericAlias):  # list / dict
            current = typing.get_args(current)[-1]
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``."""
    args = typing.get_args(annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _did_you_mean(word: str, choices: list[str], otherwise: str) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else otherwise


# --- references between files ---------------------------------------------------------------


def _references(source: Source, catalogue: dict, vocabulary: Vocabulary) -> list[Problem]:
    """Check ids against the catalogue, vocabulary and the record's own groups.

    Works on the raw data, not the validated model, so a record with a misspelt key still gets
    its unknown catalogue ids reported in the same run.
    """
    problems: list[Problem] = []
    categories = list(vocabulary.categories)
    systems = [key for key in catalogue if isinstance(key, str)]

    def check(loc: Loc, value: object, known: list[str], code: str, what: str, where: str) -> None:
        if isinstance(value, str) and value not in known:
            problems.append(
                source.problem(
                    loc,
                    code,
                    f"unknown {what} '{value}'",
                    _did_you_mean(value, known, f"see {where}"),
                )
            )

    groups: list[str] = []
    for loc, group in _each(source.data, "data_subjects", "groups", kind=dict):
        group_id = group.get("id")
        if group_id in groups:
            problems.append(
                source.problem(
                    (*loc, "id"),
                    "duplicate-group-id",
                    f"the subject group id '{group_id}' is used twice",
                    "give each group its own id",
                )
            )
        elif isinstance(group_id, str):  # pydantic reports a missing or malformed id
            groups.append(group_id)
        for c_loc, category in _each(group, "categories", at=loc):
            check(
                c_loc,
                category,
                categories,
                "unknown-category",
                "data category",
                "schema/data-categories.yaml",
            )
    for part in ("internal", "processors", "others"):
        for loc, use in _each(source.data, "recipients", part, kind=dict):
            check(
                (*loc, "ref"),
                use.get("ref"),
                systems,
                "unknown-ref",
                "catalogue id",
                "catalogue.yaml",
            )
            receives = use.get("receives")
            for group, received in receives.items() if isinstance(receives, dict) else ():
                g_loc = (*loc, "receives", group)
                if isinstance(group, str) and group not in groups:
                    problems.append(
                        source.problem(
                            g_loc,
                            "unknown-group",
                            f"unknown subject group '{group}'",
                            _did_you_mean(group, groups, "see data_subjects.groups"),
                            key=True,
                        )
                    )
                for i, category in enumerate(received if isinstance(received, list) else ()):
                    check(
                        (*g_loc, i),
                        category,
                        categories,
                        "unknown-category",
                        "data category",
                        "schema/data-categories.yaml",
                    )
    for loc, rule in _each(source.data, "retention", "rules", kind=dict):
        for s_loc, subject in _each(rule, "subjects", at=loc):
            check(
                s_loc,
                subject,
                groups,
                "unknown-group",
                "subject group",
                "data_subjects.groups in this record",
            )
        for c_loc, category in _each(rule, "categories", at=loc):
            check(
                c_loc,
                category,
                categories,
                "unknown-category",
                "data category",
                "schema/data-categories.yaml",
            )
    for loc, transfer in _each(source.data, "transfers", "items", kind=dict):
        problems += _country(source, (*loc, "country"), transfer.get("country"))
    return problems


def _each(data: Any, *keys: str, at: Loc = (), kind: type = str) -> list[tuple[Loc, Any]]:
    """The ``kind`` items of the list at ``data[keys...]`` with their locations.

    Anything malformed (not a list, an item of another type) is skipped: pydantic reports it,
    and a reference check must not crash on it.
    """
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        return []
    return [((*at, *keys, i), item) for i, item in enumerate(data) if isinstance(item, kind)]


def _catalogue_countries(source: Source) -> list[Problem]:
    """On the raw data, like :func:`_references`: a catalogue with another mistake still gets
    its unknown country codes reported in the same run."""
    systems = source.data.get("systems") if isinstance(source.data, dict) else None
    return [
        problem
        for key, system in (systems.items() if isinstance(systems, dict) else ())
        for loc, code in _each(system, "countries", at=("systems", key))
        for problem in _country(source, loc, code)
    ]


def _country(source: Source, loc: Loc, code: object) -> list[Problem]:
    if not isinstance(code, str) or len(code) != 2 or not code.isupper():
        return []  # not two capitals: the schema's pattern reports it
    if pycountry.countries.get(alpha_2=code) is not None:
        return []
    return [
        source.problem(
            loc,
            "bad-country",
            f"'{code}' is not an ISO 3166 country code",
            "use the two-letter code, e.g. DK, US, MK (North Macedonia)",
        )
    ]
