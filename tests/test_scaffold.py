"""`ropa new`: a record a process owner can fill in, that is valid as it is and never overwrites."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from pydantic import BaseModel

from ropa_build.errors import UserError
from ropa_build.models import Record
from ropa_build.pipeline import Options, lint, read_register
from ropa_build.scaffold import new_record
from ropa_build.source import read_yaml

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)
# What an untouched new record may still draw: nothing uses the catalogue's entries yet, and
# its TODO placeholders are flagged until someone fills them in (todo-left).
# A draft's placeholders, and a processor's controller named by a placeholder without contacts
EXPECTED_WARNINGS = {"unused-catalogue-entry", "todo-left", "controller-without-contact"}


@pytest.mark.parametrize("role", ["controller", "processor"])
def test_a_new_record_validates_and_lints_clean(register, role: str):
    reg = register()
    before = lint(reg.root, Options(today=TODAY))  # the example's own open points
    path = new_record(reg.root, "Løn og pension", role, TODAY)
    assert path == reg.root / "records" / "loen-og-pension.yaml"
    problems = lint(reg.root, Options(today=TODAY))
    assert [p for p in problems if p.code not in EXPECTED_WARNINGS and p not in before] == []
    assert any(p.code == "todo-left" and p.path.endswith("loen-og-pension.yaml") for p in problems)
    activity = next(a for a in read_register(reg.root).activities if a.id == "loen-og-pension")
    assert (activity.record.title, activity.record.role) == ("Løn og pension", role)
    assert activity.record.updated == activity.record.reviewed.date == TODAY


@pytest.mark.parametrize("role", ["controller", "processor"])
def test_a_new_record_validates_against_the_editor_schema(tmp_path: Path, role: str):
    path = new_record(tmp_path, "Nyhedsbrev", role, TODAY)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/record.schema.json\n")
    schema = json.loads((REPO / "schema" / "record.schema.json").read_text(encoding="utf-8"))
    source, problems = read_yaml(path, path.name)
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert problems == [] and list(validator.iter_errors(source.data)) == []


def test_every_field_is_present_and_placeholders_say_todo(tmp_path: Path):
    """Each key of the record model appears, written or as a commented example."""
    text = new_record(tmp_path, "Rekruttering", "controller", TODAY).read_text(encoding="utf-8")
    for name in _field_names(Record):
        assert re.search(rf"^[ #]*(- )?{name}:", text, re.M), f"'{name}' is not in the template"
    assert "TODO:" in text
    # every key line carries a comment, or has one right above it
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"^\s*(- )?[a-z_0-9]+:", line):
            assert "#" in line or lines[i - 1].lstrip().startswith("#"), line


def _field_names(model: type[BaseModel]) -> set[str]:
    names = set(model.model_fields)
    for field in model.model_fields.values():
        for inner in re.findall(
            r"ropa_build\.models\.(?:[a-z_]+\.)*([A-Z]\w+)", repr(field.annotation)
        ):
            from ropa_build import models

            names |= _field_names(getattr(models, inner))
    return names


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Løn og pension", "loen-og-pension"),
        ("ÆRØ Å", "aeroe-aa"),
        ("Support: VIP-kunder (EU/EØS)", "support-vip-kunder-eu-eoes"),
        ("Café crème", "cafe-creme"),
    ],
)
def test_file_names(tmp_path: Path, title: str, slug: str):
    path = new_record(tmp_path, title, "controller", TODAY)
    assert path.name == f"{slug}.yaml"


def test_a_title_with_quotes_and_colons_stays_text(tmp_path: Path):
    title = 'Support: "VIP" kunder # 1'
    path = new_record(tmp_path, title, "controller", TODAY)
    source, problems = read_yaml(path, path.name)
    assert problems == [] and source.data["title"] == title


def test_refuses_to_overwrite(register, ropa):
    reg = register()
    existing = reg.root / "records" / "support.yaml"
    before = existing.read_bytes()
    result = ropa("new", "Support", "--root", reg.root)
    assert result.code == 1
    assert "error[record-exists]: records/support.yaml already exists" in result.stderr
    assert "Traceback" not in result.stderr
    assert existing.read_bytes() == before


def test_refuses_an_id_that_differs_only_in_case(tmp_path: Path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "Kunder.yml").write_text("title: x\n", encoding="utf-8")
    with pytest.raises(UserError) as caught:
        new_record(tmp_path, "kunder", "controller", TODAY)
    assert [p.code for p in caught.value.problems] == ["record-exists"]


def test_refuses_a_title_without_letters(tmp_path: Path):
    with pytest.raises(UserError) as caught:
        new_record(tmp_path, "?!", "controller", TODAY)
    assert [p.code for p in caught.value.problems] == ["bad-title"]
    assert not (tmp_path / "records").exists()


def test_cli_new_uses_today_and_the_role(tmp_path: Path, ropa):
    result = ropa("new", "Kundeservice", "--root", tmp_path, "--role", "processor")
    assert result.code == 0
    text = (tmp_path / "records" / "kundeservice.yaml").read_text(encoding="utf-8")
    assert "role: processor\n" in text
    assert re.search(r"^updated: \d{4}-\d{2}-\d{2}$", text, re.M)
    assert "run `ropa schema`" in result.stderr  # the editor needs the schema the line names
