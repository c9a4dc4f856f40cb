"""JSON Schemas for editors, generated from the models: ``ropa schema`` writes them to ``schema/``.

A record starts with ``# yaml-language-server: $schema=../schema/record.schema.json``, so the
VS Code YAML extension completes keys, shows each field's English and Danish description and
underlines a misspelt key while the process owner types, long before ``ropa check`` runs.

Pydantic's schema says what the models declare; a few things the models accept or check
elsewhere are added here so that the editor agrees with ``ropa check``:

* lists of data-category ids (``_CATEGORY_FIELDS``) become an ``enum`` from the register's
  ``schema/data-categories.yaml``, so the editor offers them (validate.py checks them);
* ``accepted[].rule`` may only name a warning a record can accept: an ``enum`` of those codes;
* numbers are read as text where text is expected (``cvr: 34217483``), so text fields accept
  numbers too, within the field's pattern;
* ``email`` takes one address or a list;
* a field that allows an explicit state (``dpo: not-appointed``) is ``anyOf`` the state and the
  value (pydantic says ``oneOf``, which a keyword that is also a text would fail);
* a catalogue id must match the id pattern (pydantic puts it in ``patternProperties`` only).

Catalogue ids and subject-group ids depend on the register and cannot be enumerated statically.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ropa_build.check import RULES
from ropa_build.models import Catalogue, Organisation, Record
from ropa_build.vocabulary import load_vocabulary

_FILES = {
    "record.schema.json": (Record, "ropa-build: a processing activity (records/<id>.yaml)"),
    "organisation.schema.json": (Organisation, "ropa-build: organisation.yaml"),
    "catalogue.schema.json": (Catalogue, "ropa-build: catalogue.yaml"),
}
_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Where the models hold data-category ids as plain text (validate.py checks them against the
# vocabulary). A renamed field fails generation loudly (KeyError) instead of losing completion.
_CATEGORY_FIELDS = {
    "SubjectGroup": ("categories",),
    "RecipientUse": ("receives",),
    "RetentionRule": ("categories",),
}
_DIGITS = re.compile(r"\^\[0-9\]\{([0-9]+)\}\$")


def write_schemas(root: Path) -> list[Path]:
    """Write the three schemas into ``<root>/schema/``; everything is generated before writing.

    The output is byte-stable (sorted keys, one trailing newline), so the committed files can be
    compared with a fresh generation and a stale schema fails a test.
    """
    texts = schema_texts(root)
    folder = root / "schema"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
        written.append(folder / name)
    return written


def schema_texts(root: Path) -> dict[str, str]:
    """The schemas as the files' text, by file name (``ropa init`` writes the missing ones)."""
    return {name: _dump(schema) for name, schema in schemas(root).items()}


def schemas(root: Path) -> dict[str, dict[str, Any]]:
    """The schemas by file name, with the register's vocabulary (the field reference uses them)."""
    categories = list(load_vocabulary(root).categories)
    # A record accepts the rules about one record; organisation.yaml and the catalogue any warning.
    in_record = sorted(code for code, spec in RULES.items() if spec.record_may_accept)
    anywhere = sorted(code for code, spec in RULES.items() if spec.severity == "warning")
    result = {}
    for name, (model, title) in _FILES.items():
        warnings = in_record if model is Record else anywhere
        schema = model.model_json_schema(mode="validation")
        definitions = schema.get("$defs", {})
        for key, definition in [*definitions.items(), (model.__name__, schema)]:
            _complete(key, definition, categories, warnings)
        for definition in definitions.values():
            _quiet(definition)
        result[name] = {"$schema": _DIALECT, **schema, "title": title}
    return result


def _complete(name: str, model: dict[str, Any], categories: list[str], warnings: list[str]):
    """Apply the additions listed in the module docstring to one model's schema, in place."""
    properties = model.get("properties", {})
    for key in _CATEGORY_FIELDS.get(name, ()):
        _enum_items(properties[key], categories)
    if name == "Acceptance":
        properties["rule"]["enum"] = warnings
    for spec in properties.values():
        _accept_numbers(spec)
        _ids_as_keys(spec)
        _state_or_value(spec)
        _nullable(spec)
    if name == "Contact":  # one address or a list: `pattern` checks a text, `items` a list
        email = properties["email"]
        email.update(type=["string", "array"], pattern=email["items"]["pattern"])


def _quiet(definition: dict[str, Any]) -> None:
    """A model's class name and docstring move out of the editor's way: yaml-language-server
    shows the referenced model's title and description on hover in place of the field's own
    bilingual ones. The docstring stays as ``$comment`` (the field reference prints it)."""
    definition.pop("title", None)
    if "description" in definition:
        definition["$comment"] = definition.pop("description")


def _state_or_value(spec: dict[str, Any]) -> None:
    """A field that allows an explicit state: ``anyOf`` [state, value], not pydantic's ``oneOf``
    (the keyword ``pending`` is also a text, and must not fail for matching both)."""
    for option in [spec, *spec.get("anyOf", [])]:
        if "oneOf" in option and {"$ref": "#/$defs/Explicit"} in option["oneOf"]:
            option["anyOf"] = option.pop("oneOf")
    options = spec.get("anyOf", [])
    if len(options) == 2 and options[1] == {"type": "null"} and "anyOf" in options[0]:
        spec["anyOf"] = [*options[0]["anyOf"], options[1]]


def _nullable(spec: dict[str, Any]) -> None:
    """``anyOf: [X, null]`` for ``X | None``: one schema with ``null`` added to its type, so the
    editor does not show the title twice ("Purposes || Purposes"). A model reference stays."""
    options = spec.get("anyOf", [])
    if len(options) != 2 or options[1] != {"type": "null"} or "$ref" in options[0]:
        return
    inner = spec.pop("anyOf")[0]
    kinds = inner.pop("type")
    spec.update(inner, type=[*(kinds if isinstance(kinds, list) else [kinds]), "null"])
    if "enum" in spec:
        spec["enum"] = [*spec["enum"], None]


def _enum_items(spec: dict[str, Any], values: list[str]) -> None:
    """Every list of text inside ``spec`` (also a map's values) takes only ``values``."""
    if spec.get("type") == "array" and spec.get("items", {}).get("type") == "string":
        spec["items"]["enum"] = values
    for inner in spec.get("patternProperties", {}).values():
        _enum_items(inner, values)


def _accept_numbers(spec: Any) -> None:
    """Let text fields take numbers, as the models do, without accepting what they refuse.

    Free text takes any number. A digits-only pattern (the CVR number) takes an integer of that
    many digits: ``pattern`` constrains only strings and ``minimum``/``maximum`` only numbers, so
    both forms are checked. Other patterns (ids, e-mail, country codes) stay text only.
    """
    if not isinstance(spec, dict):
        return
    if spec.get("type") == "string" and not {"enum", "format", "const"} & spec.keys():
        digits = _DIGITS.fullmatch(spec.get("pattern", ""))
        if "pattern" not in spec:
            spec["type"] = ["string", "number"]
        elif digits:
            size = int(digits.group(1))
            spec.update(type=["string", "integer"], minimum=10 ** (size - 1), maximum=10**size - 1)
    for key, value in spec.items():
        if key in ("anyOf", "oneOf", "allOf"):
            for option in value:
                _accept_numbers(option)
        elif key == "items":
            _accept_numbers(value)


def _ids_as_keys(spec: dict[str, Any]) -> None:
    """``dict[Id, ...]``: the id pattern applies to every key, not only to the keys it matches."""
    patterns = list(spec.get("patternProperties", {}))
    if len(patterns) == 1:
        spec["propertyNames"] = {**spec.get("propertyNames", {}), "pattern": patterns[0]}


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
