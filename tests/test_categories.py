"""A register's own data categories: ``schema/data-categories.yaml`` adds to the built-in list
(docs/fields.md promises it), and each new category must be named in every language's labels —
or ``ropa check`` says so at the category's line, and ``ropa build`` never crashes on it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "register"
RECORD = "records/kunder.yaml"
OWN = "# categories of our own\nvehicle: {kind: general, listed: when_used}\n"
LABELS = {
    "da": "categories:\n  vehicle: Oplysninger om køretøj\n"
    "categories_short:\n  vehicle: køretøjsoplysninger\n",
    "en": "categories:\n  vehicle: Vehicle data\ncategories_short:\n  vehicle: vehicle data\n",
}


@pytest.fixture
def own(tmp_path: Path) -> Path:
    """The golden register with a category of its own that its one group is marked with."""
    root = tmp_path / "register"
    shutil.copytree(GOLDEN, root)
    (root / "schema").mkdir()
    (root / "schema" / "data-categories.yaml").write_text(OWN, encoding="utf-8")
    record = root / RECORD
    text = record.read_text(encoding="utf-8")
    old = "categories: [identification, financial,"
    assert text.count(old) == 1
    record.write_text(text.replace(old, "categories: [identification, vehicle, financial,"))
    return root


def _labels(root: Path, texts: dict[str, str]) -> None:
    (root / "templates" / "labels").mkdir(parents=True, exist_ok=True)
    for lang, text in texts.items():
        (root / "templates" / "labels" / f"{lang}.yaml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_own_categories_extend_the_built_in_ones(own: Path, ropa, lang: str) -> None:
    _labels(own, LABELS)
    assert ropa("check", "--root", own).code == 0
    assert ropa("build", "--root", own, "--format", "md", "--lang", lang).code == 0
    text = (own / "output" / "register.md").read_text(encoding="utf-8")
    new = "Oplysninger om køretøj" if lang == "da" else "Vehicle data"
    built_in = "Identifikationsoplysninger" if lang == "da" else "Identification data"
    assert new in text
    assert built_in in text  # the built-in list is still there
    assert ("Strafbare forhold" if lang == "da" else "Criminal convictions and offences") in text


def test_a_record_may_not_use_a_category_nobody_defined(own: Path, ropa) -> None:
    _labels(own, LABELS)
    (own / "schema" / "data-categories.yaml").write_text("# none\n{}\n", encoding="utf-8")
    result = ropa("check", "--root", own)
    assert result.code == 1
    assert "vehicle" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_category_without_labels_is_an_error_at_its_line(own: Path, ropa, command: str) -> None:
    """No templates/ folder at all: the check must still look at the labels."""
    result = ropa(command, "--root", own)
    assert result.code == 1
    assert (
        "schema/data-categories.yaml:2:1: error[missing-label]: data category 'vehicle' has no "
        "label in language 'da' — add categories.vehicle and categories_short.vehicle to "
        "templates/labels/da.yaml"
    ) in result.stderr
    if command == "check":  # every language; a build needs only the one it writes
        assert "label in language 'en'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (own / "output").exists()


def test_a_category_named_in_one_language_only(own: Path, ropa) -> None:
    _labels(own, {"da": LABELS["da"]})
    result = ropa("check", "--root", own)
    assert result.code == 1
    assert "schema/data-categories.yaml:2:1: error[missing-label]" in result.stderr
    assert "'vehicle' has no label in language 'en'" in result.stderr
    assert "language 'da'" not in result.stderr


def test_a_short_name_alone_is_not_enough(own: Path, ropa) -> None:
    _labels(own, {**LABELS, "en": "categories_short:\n  vehicle: vehicle data\n"})
    result = ropa("check", "--root", own)
    assert result.code == 1
    assert "add categories.vehicle to templates/labels/en.yaml" in result.stderr


def test_a_label_for_a_category_that_does_not_exist_is_unknown(own: Path, ropa) -> None:
    _labels(own, {**LABELS, "da": LABELS["da"] + "  vehicel: stavefejl\n"})
    result = ropa("check", "--root", own)
    assert result.code == 1
    assert "error[unknown-label]: unknown label 'vehicel' — did you mean 'vehicle'?" in (
        result.stderr
    )


def test_a_register_entry_with_a_built_in_id_changes_that_category(own: Path, ropa) -> None:
    """`criminal_offences` is listed in every group's checklist; made `when_used`, a group not
    marked with it no longer shows the line."""
    _labels(own, LABELS)
    record = own / RECORD
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("health_genetic, criminal_offences]", "health_genetic]", 1))
    assert ropa("build", "--root", own, "--format", "md").code == 0
    assert "Strafbare forhold" in (own / "output" / "register.md").read_text(encoding="utf-8")
    path = own / "schema" / "data-categories.yaml"
    path.write_text(OWN + "criminal_offences: {kind: art10, listed: when_used}\n", "utf-8")
    assert ropa("build", "--root", own, "--format", "md").code == 0
    assert "Strafbare forhold" not in (own / "output" / "register.md").read_text("utf-8")
