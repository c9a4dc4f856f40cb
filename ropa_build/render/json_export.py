"""JSON: the whole validated register as one document, for other tools to read.

``register.json`` holds the organisation, the catalogue and every activity (its id, its record
file and the record with every field, defaults included, so a reader needs no defaults of its
own), in a published shape: ``schema/register-export.schema.json``, generated from the models by
:func:`export_schema` (``python -m ropa_build.render.json_export`` rewrites it; a test fails when
it is stale). ``schema`` names the version: a change that could break a reader gets a new one;
new optional keys may be added within a version.

Keys are in the models' field order and the activities in id order, so the same register always
gives the same bytes. Each activity's text is made in the render workers and the document is
streamed, so a register of any size is never held whole.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from ropa_build.models import Catalogue, Organisation, Record
from ropa_build.render.format import Format, Output
from ropa_build.render.view import ActivityView, RegisterView
from ropa_build.validate import Activity

VERSION = "ropa-register/1"
SCHEMA_ID = "https://github.com/ropa-build/ropa-build/schema/register-export.schema.json"


class Json(Format):
    """``register.json``."""

    name = "json"
    per_role = False  # one export of the whole register, sorted into its profiles

    def piece(self, activity: Activity, view: ActivityView) -> str:
        entry = {
            "id": activity.id,
            "file": activity.source.path,
            "record": activity.record.model_dump(mode="json"),
        }
        return _indented(entry, 2)

    def assemble(
        self, view: RegisterView, pieces: Sequence[Any], summaries: Sequence[Any]
    ) -> Iterator[Output]:
        yield "register.json", self._text(pieces)

    def _text(self, pieces: Sequence[str]) -> Iterator[str]:
        register = self.job.register
        head = {
            "$schema": SCHEMA_ID,
            "schema": VERSION,
            "organisation": register.organisation.model_dump(mode="json"),
            "catalogue": register.catalogue.model_dump(mode="json"),
        }
        yield json.dumps(head, indent=2, ensure_ascii=False)[:-2] + ',\n  "activities": ['
        for number, piece in enumerate(pieces):
            yield ("," if number else "") + "\n" + piece
        yield ("\n  " if pieces else "") + "]\n}\n"


def _indented(value: Any, depth: int) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return "\n".join("  " * depth + line for line in text.splitlines())


def export_schema() -> dict[str, Any]:
    """The JSON Schema of ``register.json``, from the models (as they serialise)."""
    models = [(m, "serialization") for m in (Organisation, Catalogue, Record)]
    refs, defs = models_json_schema(models, ref_template="#/$defs/{model}")
    ref = {model: refs[(model, "serialization")] for model in (Organisation, Catalogue, Record)}
    activity = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "file", "record"],
        "properties": {
            "id": {"type": "string", "description": "The record's file name without .yaml."},
            "file": {"type": "string", "description": "The record file, relative to the register."},
            "record": ref[Record],
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ropa-build: the output of `ropa build --format json` (register.json)",
        "description": "A GDPR Art. 30 register, validated: the organisation, the catalogue and "
        "every processing activity. Stable: a change that could break a reader gets a new value "
        "of `schema`; new optional keys may be added within a version.",
        "type": "object",
        "additionalProperties": False,
        "required": ["$schema", "schema", "organisation", "catalogue", "activities"],
        "properties": {
            "$schema": {"const": SCHEMA_ID},
            "schema": {"const": VERSION},
            "organisation": ref[Organisation],
            "catalogue": ref[Catalogue],
            "activities": {"type": "array", "items": activity},
        },
        "$defs": defs["$defs"],
    }


def schema_text() -> str:
    return json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # rewrite schema/register-export.schema.json
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "schema/register-export.schema.json")
    target.write_text(schema_text(), encoding="utf-8", newline="\n")
