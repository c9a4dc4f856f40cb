"""The JSON Schemas editors complete from: committed and fresh, and in agreement with the tool.

The schemas are checked with a real validator (jsonschema, Draft 2020-12 with format checking)
against data read by our own YAML reader, as the editor would check what a user types.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from ropa_build.errors import UserError
from ropa_build.pipeline import read_register
from ropa_build.schema_gen import write_schemas
from ropa_build.source import read_yaml
from ropa_build.vocabulary import load_vocabulary

REPO = Path(__file__).resolve().parents[1]
NAMES = ("record.schema.json", "organisation.schema.json", "catalogue.schema.json")


def _validator(root: Path, name: str) -> Draft202012Validator:
    schema = json.loads((root / "schema" / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _data(path: Path):
    source, problems = read_yaml(path, path.name)
    assert problems == []
    return source.data


def test_committed_schemas_are_fresh(tmp_path: Path):
    """Regenerating gives the committed bytes; if not, run `make schema` and commit."""
    written = write_schemas(tmp_path)
    assert [p.name for p in written] == list(NAMES)
    for name in NAMES:
        fresh = (tmp_path / "schema" / name).read_bytes()
        assert fresh == (REPO / "schema" / name).read_bytes(), f"schema/{name} is stale"
        assert fresh.endswith(b"}\n") and not fresh.endswith(b"\n\n")


@pytest.mark.parametrize(
    "path",
    [
        *sorted((REPO / "records").glob("*.yaml")),
        *sorted((REPO / "tests" / "golden" / "register" / "records").glob("*.yaml")),
    ],
    ids=lambda p: p.name,
)
def test_example_records_validate(path: Path):
    errors = list(_validator(REPO, "record.schema.json").iter_errors(_data(path)))
    assert errors == []


@pytest.mark.parametrize("name", ["organisation", "catalogue"])
def test_example_organisation_and_catalogue_validate(name: str):
    validator = _validator(REPO, f"{name}.schema.json")
    assert list(validator.iter_errors(_data(REPO / f"{name}.yaml"))) == []


def test_vocabularies_are_enums_where_the_models_say_str():
    schema = json.loads((REPO / "schema" / "record.schema.json").read_text(encoding="utf-8"))
    categories = list(load_vocabulary(REPO).categories)
    defs = schema["$defs"]
    for model in ("SubjectGroup", "RetentionRule"):
        assert defs[model]["properties"]["categories"]["items"]["enum"] == categories
    (per_group,) = defs["RecipientUse"]["properties"]["receives"]["patternProperties"].values()
    assert per_group["items"]["enum"] == categories
    # only warnings can be accepted, so only warning codes are offered
    rules = defs["Acceptance"]["properties"]["rule"]["enum"]
    assert "retention-indefinite" in rules and "duplicate-group" not in rules
    # both languages reach the editor
    title = schema["properties"]["title"]
    assert title["title_da"] == "Titel" and "Behandlingsaktivitetens navn." in title["description"]


def test_hovering_a_key_shows_the_fields_own_text():
    """yaml-language-server (measured with 2.0) shows a referenced model's title and description
    instead of the field's, and repeats the title once per anyOf branch: so models carry neither
    (the docstring stays as $comment) and `X | None` is one schema with null in its type."""
    for name in NAMES:
        schema = json.loads((REPO / "schema" / name).read_text(encoding="utf-8"))
        for model in schema.get("$defs", {}).values():
            assert "title" not in model and "description" not in model and "$comment" in model
            for key, field in model.get("properties", {}).items():
                assert "anyOf" not in field or "$ref" in field["anyOf"][0], key
                assert field["title"] and field["title_da"], key


def test_a_registers_own_categories_reach_its_schema(tmp_path: Path):
    """A register that extends schema/data-categories.yaml gets its categories completed."""
    own = tmp_path / "schema"
    own.mkdir()
    vocabulary = (REPO / "schema" / "data-categories.yaml").read_text(encoding="utf-8")
    (own / "data-categories.yaml").write_text(
        vocabulary + "loyalty_points: {kind: general, listed: when_used}\n", encoding="utf-8"
    )
    write_schemas(tmp_path)
    schema = json.loads((own / "record.schema.json").read_text(encoding="utf-8"))
    assert (
        "loyalty_points"
        in schema["$defs"]["SubjectGroup"]["properties"]["categories"]["items"]["enum"]
    )


# Each case changes the example support record; the editor (schema) and `ropa` must agree.
AGREEMENT = [
    ("as is", "", "", True),
    ("a number as text", "owner: Kundeservice", "owner: 1234", True),
    (
        "cvr as a number",
        "owner: Kundeservice",
        "owner: K\ncontroller:\n  name: X\n  cvr: 12345678",
        True,
    ),
    (
        "one e-mail instead of a list",
        "owner: Kundeservice",
        "owner: Kundeservice\ndpo:\n  name: Kia\n  email: dpo@example.dk",
        True,
    ),
    ("misspelt key", "retention:", "retension:", False),
    (
        "unknown data category",
        "categories: [identification, marketing, usage]\n      details: De kontakter",
        "categories: [helbred]\n      details: De kontakter",
        False,
    ),
    (
        "unknown data category received",
        "ref: google-cloud\n      receives:\n        kontakter: [identification, marketing",
        "ref: google-cloud\n      receives:\n        kontakter: [identifcation, marketing",
        False,
    ),
    ("impossible date", "updated: 2026-12-01", "updated: 2026-13-01", False),
    ("Danish date", "updated: 2026-12-01", "updated: 01.12.2026", False),
    ("unknown role", "role: processor", "role: dataansvarlig", False),
    ("bad country code", "country: MK", "country: mk", False),
    ("bad cvr", "owner: Kundeservice", "owner: K\ncontroller:\n  name: X\n  cvr: 1234", False),
    ("bad e-mail", "owner: Kundeservice", "owner: K\ndpo:\n  name: X\n  email: 12", False),
    (
        "bad e-mail in a list",
        "owner: Kundeservice",
        "owner: K\ndpo:\n  name: X\n  email: [a@b.dk, nope]",
        False,
    ),
]


@pytest.mark.parametrize(
    "old, new, valid", [c[1:] for c in AGREEMENT], ids=[c[0] for c in AGREEMENT]
)
def test_editor_and_tool_agree(register, old: str, new: str, valid: bool):
    reg = register()
    if old:
        reg.patch("records/support.yaml", old, new)
    data = _data(reg.root / "records" / "support.yaml")
    editor = not list(_validator(REPO, "record.schema.json").iter_errors(data))
    try:
        read_register(reg.root)
        tool = True
    except UserError:
        tool = False
    assert (editor, tool) == (valid, valid)


def test_cli_writes_the_schemas(tmp_path: Path, ropa):
    result = ropa("schema", "--root", tmp_path)
    assert result.code == 0
    assert sorted(p.name for p in (tmp_path / "schema").iterdir()) == sorted(NAMES)
