"""docs/fields.md and docs/rules.md: committed and fresh, complete, and their examples true.

Each rule's example is run: its "before" must draw the rule, its "after" must clear it without
drawing any error, in a small register built here (``BASE``).
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from ropa_build.docs_gen import EXAMPLES, write_docs
from ropa_build.models import Catalogue, Organisation, Record
from ropa_build.pipeline import Options, lint
from ropa_build.rules import RECORD, RULES
from ropa_build.source import read_yaml

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 25)  # the day the review-overdue example is judged on

BASE = {
    "organisation.yaml": """
        controller:
          name: Eksempel ApS
          cvr: "12345678"
        joint_controller: null
        representative: null
        dpo:
          name: Anne Jensen
          email: dpo@eksempel.dk
    """,
    "catalogue.yaml": """
        systems:
          mailservice: {name: Mailservice, kind: processor, countries: [IE], dpa: DPA 2026}
          helpdesk:
            {name: Helpdesk, kind: processor, countries: [IE, US], dpf_certified: true, dpa: DPA}
    """,
    "records/nyhedsbrev.yaml": """
        title: Nyhedsbrev
        role: controller
        owner: Marketing
        updated: 2026-11-01
        reviewed: 2026-11-01
        purposes: Nyhedsbreve til kunder, der har tilmeldt sig.
        lawful_basis: {art6: [a]}
        data_subjects:
          groups:
            - {id: kunder, name: kunder, categories: [identification]}
        recipients:
          processors:
            - {ref: mailservice, receives: {kunder: [identification]}}
        transfers:
          description: Ingen overførsler til tredjelande.
        retention:
          rules:
            - categories: [identification]
              period: Ved afmelding.
        security: Personligt login med to-faktor.
    """,
}


def test_committed_docs_are_fresh(tmp_path: Path):
    """Regenerating gives the committed bytes; if not, run `make docs` and commit."""
    written = write_docs(tmp_path, tmp_path / "docs")
    for path in written:
        committed = REPO / "docs" / path.name
        assert path.read_bytes() == committed.read_bytes(), f"docs/{path.name} is stale"


def test_fields_md_lists_every_field_in_both_languages():
    text = (REPO / "docs" / "fields.md").read_text(encoding="utf-8")
    for model in (Record, Organisation, Catalogue):
        for name, field in model.model_fields.items():
            extra = field.json_schema_extra or {}
            assert f"| `{name}` |" in text
            assert f"**{field.title}**" in text and f"**{extra['title_da']}**" in text
    # the Art. 30 letter is taken from the docstrings, the vocabulary from schema/
    assert (
        "| `purposes` | text, or a [state](#explicit) or a [shared statement](#shared) | optional |"
        in text
    )
    assert "| 30(1)(b) |" in text
    assert "`health_genetic`" in text


def test_rules_md_documents_every_rule():
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    for code, spec in RULES.items():
        assert f"## {code}\n\n**{spec.severity}** · {spec.provision}\n" in text
        assert spec.explanation.split(". ")[0].replace("``", "`") in text


def test_every_rule_has_an_example():
    missing = sorted(set(RULES) - set(EXAMPLES))
    assert missing == [], f"add an example for {missing} to ropa_build.docs_gen.EXAMPLES"
    assert sorted(set(EXAMPLES) - set(RULES)) == []


def _register(root: Path, file: str | None = None, text: str = "") -> Path:
    """BASE in ``root``; an example's record fragment is merged into the record (a vocabulary
    fragment into a copy of the built-in file, the register's own), a whole
    organisation.yaml or catalogue.yaml replaces the file."""
    for name, content in BASE.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
    if file in ("organisation.yaml", "catalogue.yaml"):
        (root / file).write_text(text, encoding="utf-8")
    elif file and file.startswith("schema/"):  # a fragment of a built-in vocabulary
        own = root / file
        own.parent.mkdir(parents=True, exist_ok=True)
        own.write_text(
            json.dumps(_merge(_read(REPO / file), _read_text(root, text)), ensure_ascii=False),
            encoding="utf-8",
        )
    elif file and file != RECORD:  # any other file of the register, written as it is
        (root / file).parent.mkdir(parents=True, exist_ok=True)
        (root / file).write_text(text, encoding="utf-8")
    elif file:
        record = root / "records" / "nyhedsbrev.yaml"
        merged = _merge(_read(record), _read_text(root, text))
        record.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
    return root


def _read(path: Path) -> dict:
    source, problems = read_yaml(path, path.name)
    assert problems == []
    return source.data


def _read_text(root: Path, text: str) -> dict:
    fragment = root / "fragment.yaml"
    fragment.write_text(text, encoding="utf-8")
    return _read(fragment)


def _merge(base: dict, change: dict) -> dict:
    """Mappings merge key by key; anything else (lists too) replaces."""
    merged = dict(base)
    for key, value in change.items():
        both = isinstance(value, dict) and isinstance(base.get(key), dict)
        merged[key] = _merge(base[key], value) if both else value
    return merged


def test_the_base_register_has_no_errors(tmp_path: Path):
    problems = lint(_register(tmp_path), Options(today=TODAY))
    assert [p for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("code", sorted(EXAMPLES))
def test_example_before_draws_the_rule_and_after_clears_it(tmp_path: Path, code: str):
    example = EXAMPLES[code]
    today = example.today or TODAY
    before = lint(_register(tmp_path / "before", example.file, example.before), Options(today))
    assert code in {p.code for p in before}
    fixed = example.moved_to or example.file
    after = lint(_register(tmp_path / "after", fixed, example.after), Options(today))
    assert code not in {p.code for p in after}
    assert [str(p) for p in after if p.severity == "error"] == []


def test_cli_docs_writes_the_four_files(tmp_path: Path, ropa):
    result = ropa("docs", "--root", tmp_path, "--out", tmp_path / "out")
    assert result.code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "changes.md",
        "fields.md",
        "rules.md",
        "templates.md",
    ]
