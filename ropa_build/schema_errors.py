"""Pydantic's errors as problems a process owner can act on, at their line in the YAML.

Errors are mapped by their ``type`` (never by pydantic's English message, which changes between
versions) onto the positions kept while reading (:mod:`ropa_build.source`), each with a hint that
says how to fix it. Kept apart from the validate stage, as RenderCV keeps its
``pydantic_error_handling``: anything that validates user files against a model (the records, the
vocabularies, a label file) uses it.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ropa_build.errors import Problem, did_you_mean
from ropa_build.models import DESTINATION_PATTERN
from ropa_build.models.states import TAGS, value_type
from ropa_build.source import Loc, Source


def validate_model(model: type[BaseModel], source: Source, problems: list[Problem]) -> Any:
    """``source``'s data as ``model``, or None with its problems added to ``problems``."""
    if not isinstance(source.data, dict):
        return None  # the reader has reported why
    try:
        return model.model_validate(source.data)
    except ValidationError as error:
        problems.extend(_explain(error, model, source))
        return None


def check_shape(model: type[BaseModel], source: Source) -> list[Problem]:
    """The problems of ``source`` against ``model`` (the vocabularies and labels a user edits)."""
    problems: list[Problem] = []
    validate_model(model, source, problems)
    return problems


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
        loc: Loc = tuple(part for part in item["loc"] if part not in TAGS)
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
                    did_you_mean(name, known, "remove it"),
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
                    did_you_mean(str(value), expected, "use one of: " + ", ".join(expected)),
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


_unwrap = value_type  # X | None → X; a field that allows a state → its value's type
