"""Explicit states: an answer that is not a value ("none", "not appointed", "to be verified").

A real register often says *why* a field has no value: there is no DPO because none had to be
appointed, a transfer's mechanism is pending, the source document does not state the retention.
Leaving the field out cannot say that, and ``null`` cannot say why. A field that allows a state
takes either the keyword alone (``dpo: not-appointed``) or the keyword with a note
(``dpo: {state: not-appointed, note: "Art. 37(1) does not apply"}``); its simple form keeps
working. A text field takes the keyword only when the whole text is exactly the keyword.

The lint treats a state as stated (no ``missing-item``), except the open ones
(:data:`OPEN_STATES`: to be verified, pending), which are open points (rule ``open-point``).
Every output renders a state as words ("Ikke udpeget"), never as an empty cell.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Discriminator, GetJsonSchemaHandler, Tag
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from ropa_build.models.base import Strict, plain_form, text
from ropa_build.models.shared import Shared

StateKind = Literal[
    "none", "not-applicable", "not-appointed", "to-be-verified", "not-stated", "pending"
]
STATES: tuple[str, ...] = get_args(StateKind)
# States that leave a question open: the lint lists them as open points.
OPEN_STATES = frozenset({"to-be-verified", "pending"})


class Explicit(Strict):
    """An explicit state instead of a value, with an optional note saying why."""

    state: StateKind = text(
        "State",
        "Status",
        "none · not-applicable · not-appointed (a DPO) · to-be-verified · not-stated (the "
        "source does not say) · pending (awaiting a decision). to-be-verified and pending are "
        "open points.",
        "none (ingen) · not-applicable (ikke relevant) · not-appointed (ikke udpeget) · "
        "to-be-verified (skal verificeres) · not-stated (ikke oplyst) · pending (afventer "
        "afklaring). De to sidste er åbne punkter.",
    )
    note: str | None = text(
        "Note",
        "Bemærkning",
        "Why, shown after the state.",
        "Hvorfor; vises efter status.",
        default=None,
    )

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The editor accepts the keyword alone as well as the mapping."""
        return plain_form(handler(core_schema), handler, {"type": "string", "enum": list(STATES)})


def _keyword(value: Any) -> Any:
    """``pending`` (the keyword alone) is ``{state: pending}``."""
    if isinstance(value, str) and value.strip() in STATES:
        return {"state": value.strip()}
    return value


# The two forms' tags. Pydantic puts a tag into an error's location; the error mapper
# (schema_errors.py) drops them, so a mistake in a contact is reported at its own key.
STATE_TAG, VALUE_TAG, SHARED_TAG = "<state>", "<value>", "<shared>"
TAGS = (STATE_TAG, VALUE_TAG, SHARED_TAG)


def _form(value: Any) -> str:
    if isinstance(value, Explicit) or (isinstance(value, dict) and "state" in value):
        return STATE_TAG
    if isinstance(value, Shared) or (isinstance(value, dict) and "shared" in value):
        return SHARED_TAG
    return VALUE_TAG


def stateable(kind: Any, *, shared: bool = False) -> Any:
    """``kind``, or an explicit state in its place (the keyword alone or with a note); with
    ``shared``, also a reference to a statement stated once (``{shared: it-sikkerhed}``).

    The union is tagged by the value's form (a mapping with ``state``, with ``shared``, or
    anything else), so a mistake in a contact is reported as one, not also as a failed state.
    """
    forms = Annotated[Explicit, Tag(STATE_TAG)] | Annotated[kind, Tag(VALUE_TAG)]
    if shared:
        forms = forms | Annotated[Shared, Tag(SHARED_TAG)]
    return Annotated[forms, Discriminator(_form), BeforeValidator(_keyword)]


def value_type(annotation: Any) -> Any:
    """A field's type as a reader of the register sees it: ``X | None`` → ``X``, and a field that
    allows an explicit state → the type of its value (for titles and did-you-mean)."""
    while typing.get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        rest = [value_type(a) for a in get_args(annotation) if a is not type(None)]
        rest = [a for a in rest if a not in (Explicit, Shared)] or rest
        return value_type(rest[0]) if len(rest) == 1 else annotation
    return annotation


def given(value: Any) -> Any:
    """The value where there is one; None for an explicit state or a shared statement (nothing
    of the record's own to look into)."""
    return None if isinstance(value, Explicit | Shared) else value
