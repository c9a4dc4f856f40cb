"""The building blocks every model shares: ids, texts, dates, bilingual fields, strictness."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
RichText = Annotated[str, StringConstraints(max_length=2_000_000)]
FilledText = Annotated[str, StringConstraints(min_length=1, max_length=2_000_000)]
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


def plain_form(schema: dict, handler: Any, plain: dict) -> dict:
    """A model's JSON Schema that also takes its short form (``plain``): the editor accepts
    ``reviewed: 2026-10-01`` as well as ``reviewed: {date: …, by: …}``, as the model does."""
    target = handler.resolve_ref_schema(schema)
    mapping = {k: target.pop(k) for k in list(target) if k not in ("title", "description")}
    target["anyOf"] = [mapping, plain]
    return schema


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
