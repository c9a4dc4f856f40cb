"""What a register may override — labels, templates, the reference document — never crashes a
build: a mistake is a user error at its file, found by ``ropa check`` before ``ropa build``."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pytest

GOLDEN = Path(__file__).resolve().parent / "golden" / "register"


@pytest.fixture
def own(tmp_path: Path) -> Path:
    root = tmp_path / "register"
    shutil.copytree(GOLDEN, root)
    (root / "templates" / "labels").mkdir(parents=True)
    return root


def test_a_label_file_with_only_the_keys_it_changes_is_merged(own: Path, ropa) -> None:
    (own / "templates/labels/da.yaml").write_text(
        "document:\n  register_title: Vores fortegnelse\n", encoding="utf-8"
    )
    assert ropa("check", "--root", own).code == 0
    assert ropa("build", "--root", own, "--format", "md").code == 0
    text = (own / "output" / "register.md").read_text(encoding="utf-8")
    assert text.split("\n", 1)[1].startswith("# Vores fortegnelse")  # after the provenance
    assert "Formål" in text  # every other label still the built-in one


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_misspelt_label_is_reported_at_its_line(own: Path, ropa, command: str) -> None:
    (own / "templates/labels/da.yaml").write_text(
        "document:\n  register_titel: X\n", encoding="utf-8"
    )
    result = ropa(command, "--root", own)
    assert result.code == 1
    assert (
        "templates/labels/da.yaml:2:3: error[unknown-label]: unknown label 'register_titel'"
        " — did you mean 'register_title'?" in result.stderr
    )
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_label_of_the_wrong_type_or_placeholder_is_reported_at_its_line(
    own: Path, ropa, command: str
) -> None:
    """Every one in one run, before anything is rendered: no traceback from a number where a
    text belongs, a placeholder the documents do not fill in, or an unclosed brace; a brace in
    a label printed as it is stays text."""
    (own / "templates/labels/da.yaml").write_text(
        'sections:\n  about: 5\ndocument:\n  activity_title: "{titl} ({role})"\n'
        '  continued: "{label (fortsat)"\n  contents: "Indhold {"\n',
        encoding="utf-8",
    )
    result = ropa(command, "--root", own)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "open-point" not in line] == [
        "templates/labels/da.yaml:2:10: error[wrong-type]: label 'about' must be a text — "
        'write it in quotes, e.g. about: "Om fortegnelsen"',
        "templates/labels/da.yaml:4:19: error[bad-label]: label 'activity_title' has the "
        "placeholder {titl}, which is not filled in here — did you mean 'title'?",
        "templates/labels/da.yaml:5:14: error[bad-label]: label 'continued' has a brace that "
        "does not close — write a literal brace as {{ or }}; its placeholders are {label}",
        result.stderr.splitlines()[-1],
    ]
    assert result.stderr.splitlines()[-1].startswith("3 error(s)")


def test_a_new_language_must_give_every_label(own: Path, ropa) -> None:
    (own / "templates/labels/de.yaml").write_text(
        "document:\n  register_title: Verzeichnis\n", encoding="utf-8"
    )
    result = ropa("check", "--root", own)
    assert result.code == 1
    assert "templates/labels/de.yaml:1:1: error[missing-label]: label 'roles' is missing" in (
        result.stderr
    )


def test_a_reference_that_is_not_a_word_file_is_a_user_error(own: Path, ropa) -> None:
    (own / "templates/reference.docx").write_bytes(b"not a zip")
    for command in ("check", "build"):
        result = ropa(command, "--root", own)
        assert result.code == 1
        assert "templates/reference.docx:1:1: error[bad-reference-docx]" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (own / "output").exists()


def test_a_reference_without_the_templates_styles_names_them(own: Path, ropa) -> None:
    plain = io.BytesIO()
    docx.Document().save(plain)  # python-docx's default: Word's built-ins, none of ours
    (own / "templates/reference.docx").write_bytes(plain.getvalue())
    result = ropa("check", "--root", own)
    assert result.code == 1
    assert "error[reference-style-missing]" in result.stderr
    assert "RopaTable" in result.stderr and "RopaCell" in result.stderr


def test_a_broken_template_is_found_by_check(own: Path, ropa) -> None:
    (own / "templates/register.md.j2").write_text("{% for x in y %}\n", encoding="utf-8")
    result = ropa("check", "--root", own)
    assert result.code == 1
    assert "templates/register.md.j2:1:1: error[template-syntax]" in result.stderr


def test_a_misspelt_field_in_a_template_is_found_by_check(own: Path, ropa) -> None:
    """A mistake that only shows when the template runs: ropa check tries each format on one
    activity, so a green check means the build will not fail on it."""
    template = (Path(__file__).resolve().parents[1] / "templates" / "register.md.j2").read_text(
        encoding="utf-8"
    )
    (own / "templates/register.md.j2").write_text(
        template.replace("{{ activity.title | md }}", "{{ activity.titel | md }}", 1),
        encoding="utf-8",
    )
    result = ropa("check", "--root", own)
    assert result.code == 1
    assert "templates/register.md.j2" in result.stderr and "titel" in result.stderr
    assert "Traceback" not in result.stderr
