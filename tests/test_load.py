"""No record is ever dropped silently: every entry under records/ is read or reported.

A register that lacks an activity without a word is a compliance failure, so each kind of
misplaced, misnamed or unreadable file below is a case: records in any letter case and in
subfolders are read; anything else is an error (the activity would be missing) or a warning
naming the file (notes, backups). See the docstring of ropa_build/load.py.
"""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from pathlib import Path

import pytest
from conftest import DATA, TODAY

from ropa_build.errors import UserError
from ropa_build.load import load
from ropa_build.pipeline import Options, lint, read_register
from ropa_build.source import read_yaml

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


def ids(root: Path) -> list[str]:
    return [a.id for a in read_register(root).activities]


def errors(root: Path) -> list[tuple[str, str]]:
    with pytest.raises(UserError) as raised:
        read_register(root)
    return [(p.path, p.code) for p in raised.value.problems]


def warnings(root: Path) -> list[tuple[str, str]]:
    found = lint(root, Options(today=dt.date.fromisoformat(TODAY)))
    return [(p.path, p.code) for p in found if p.code == "not-a-record"]


def copy_record(root: Path, name: str, source: str = "kunder.yaml") -> Path:
    path = root / "records" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((root / "records" / source).read_bytes())
    return path


def test_extensions_in_any_letter_case_are_records(register):
    reg = register(DATA / "clean")
    copy_record(reg.root, "kampagne.YAML")
    copy_record(reg.root, "nyhedsbrev.Yml")
    assert ids(reg.root) == ["kampagne", "kunder", "nyhedsbrev", "support"]


def test_records_in_subfolders_are_read_and_ids_stay_unique_across_them(register):
    reg = register(DATA / "clean")
    copy_record(reg.root, "hr/loen.yaml")
    copy_record(reg.root, "hr/rekruttering/opslag.yml")
    assert ids(reg.root) == ["kunder", "loen", "opslag", "support"]
    copy_record(reg.root, "salg/kunder.yaml", "support.yaml")
    problems = errors(reg.root)
    assert problems == [("records/salg/kunder.yaml", "duplicate-id")]


def test_a_register_without_records_is_an_error(register, ropa):
    reg = register(DATA / "clean")
    for path in (reg.root / "records").iterdir():
        path.unlink()
    (reg.root / "records").rmdir()
    result = ropa("check", "--root", reg.root)
    assert result.code == 1
    assert "records/:1:1: error[no-records]" in result.stderr
    assert "ropa new" in result.stderr


def test_files_that_are_not_records_are_warnings_naming_them(register, ropa):
    reg = register(DATA / "clean")
    for name in ("README.md", "kunder.yaml.bak", "support.yaml~", ".kunder.yaml.swp", "noter"):
        (reg.root / "records" / name).write_text("title: x\n", encoding="utf-8")
    assert warnings(reg.root) == [
        ("records/.kunder.yaml.swp", "not-a-record"),
        ("records/README.md", "not-a-record"),
        ("records/kunder.yaml.bak", "not-a-record"),
        ("records/noter", "not-a-record"),
        ("records/support.yaml~", "not-a-record"),
    ]
    result = ropa("check", "--root", reg.root)
    assert result.code == 0  # warnings: the register itself is complete
    assert "records/kunder.yaml.bak:1:1: warning[not-a-record]: not read as a record" in (
        result.stderr
    )
    assert "backup" in result.stderr
    assert ropa("check", "--strict", "--root", reg.root).code == 1
    built = ropa("build", "--root", reg.root, "--format", "md")
    assert built.code == 0
    assert "records/README.md:1:1: warning[not-a-record]" in built.stderr


def test_folder_metadata_of_the_operating_systems_passes_unmentioned(register):
    reg = register(DATA / "clean")
    for name in (".DS_Store", "Thumbs.db", "desktop.ini", ".gitkeep", "hr/.DS_Store"):
        copy_record(reg.root, name)
    assert warnings(reg.root) == []
    assert ids(reg.root) == ["kunder", "support"]


@pytest.mark.parametrize("name", ["loen.ymal", "loen.yam", "loen.yaml "])
def test_a_misspelt_extension_is_an_error_with_the_right_name(register, name):
    reg = register(DATA / "clean")
    copy_record(reg.root, name)
    with pytest.raises(UserError) as raised:
        read_register(reg.root)
    [problem] = raised.value.problems
    assert (problem.path, problem.code) == (f"records/{name}", "misnamed-record")
    assert problem.hint == "rename it to loen.yaml"


@needs_symlinks
def test_a_broken_link_is_reported(register):
    reg = register(DATA / "clean")
    (reg.root / "records" / "loen.yaml").symlink_to(reg.root / "records" / "gone.yaml")
    (reg.root / "records" / "noter.md").symlink_to(reg.root / "gone.md")
    problems = errors(reg.root)
    assert problems == [("records/loen.yaml", "broken-link")]
    (reg.root / "records" / "loen.yaml").unlink()
    assert warnings(reg.root) == [("records/noter.md", "not-a-record")]


@needs_symlinks
def test_a_linked_folder_is_refused_not_followed(register):
    reg = register(DATA / "clean")
    copy_record(reg.root, "../andet/loen.yaml")  # a folder beside records/, inside the register
    (reg.root / "records" / "andet").symlink_to(reg.root / "andet", target_is_directory=True)
    (reg.root / "records" / "ring").symlink_to(reg.root / "records", target_is_directory=True)
    assert errors(reg.root) == [
        ("records/andet", "linked-folder"),
        ("records/ring", "linked-folder"),
    ]


def test_a_decomposed_name_is_read_as_its_composed_form(register):
    """macOS can write 'å' as 'a' + U+030A (NFD); the id is the composed name, as typed."""
    reg = register(DATA / "clean")
    copy_record(reg.root, unicodedata.normalize("NFD", "bål.yaml"))
    assert ids(reg.root) == ["bål", "kunder", "support"]
    sources = load(reg.root)
    assert [record_id for record_id, _ in sources.records] == ["bål", "kunder", "support"]
    assert unicodedata.is_normalized("NFC", sources.records[0][0])
    # the message path is the name on disk: on Linux only it opens the file
    assert sources.records[0][1].path == "records/" + unicodedata.normalize("NFD", "bål.yaml")


def test_composed_and_decomposed_spellings_of_one_name_collide(register):
    reg = register(DATA / "clean")
    copy_record(reg.root, unicodedata.normalize("NFC", "bål.yaml"))
    copy_record(reg.root, unicodedata.normalize("NFD", "bål.yaml"), "support.yaml")
    assert [code for _, code in errors(reg.root)] == ["duplicate-id"]


def test_a_refused_decomposed_name_gets_a_composed_suggestion(register):
    reg = register(DATA / "clean")
    copy_record(reg.root, unicodedata.normalize("NFD", "Bål og brand.yaml"))
    with pytest.raises(UserError) as raised:
        read_register(reg.root)
    [problem] = raised.value.problems
    assert problem.code == "bad-file-name"
    assert problem.path == "records/" + unicodedata.normalize("NFD", "Bål og brand.yaml")
    assert problem.hint == "rename it, e.g. to bål-og-brand.yaml"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read any file")
def test_an_unreadable_record_is_a_problem_not_a_traceback(register):
    reg = register(DATA / "clean")
    (reg.root / "records" / "kunder.yaml").chmod(0)
    assert errors(reg.root) == [("records/kunder.yaml", "unreadable-file")]


def test_a_file_that_cannot_be_read_is_a_problem(tmp_path):
    """The reader's own guard, for what the permission test above cannot do as root."""
    _, [problem] = read_yaml(tmp_path, "records/x.yaml")  # a folder: read_bytes() fails
    assert (problem.path, problem.code) == ("records/x.yaml", "unreadable-file")


def test_a_folder_named_like_a_record_is_read_into(register):
    reg = register(DATA / "clean")
    copy_record(reg.root, "arkiv.yaml/gammel.yaml")
    assert ids(reg.root) == ["gammel", "kunder", "support"]


def test_check_in_an_empty_folder_says_to_run_ropa_init(tmp_path, ropa):
    result = ropa("check", "--root", tmp_path)
    assert result.code == 1
    assert "error[no-register]" in result.stderr
    assert "run `ropa init` to start a register here" in result.stderr


def test_a_decomposed_name_builds_its_document_under_the_composed_name(register, ropa):
    reg = register(DATA / "clean")
    copy_record(reg.root, unicodedata.normalize("NFD", "bål.yaml"))
    assert ropa("build", "--root", reg.root, "--format", "docx").code == 0
    names = os.listdir(reg.root / "output" / "activities")
    assert unicodedata.normalize("NFC", "bål.docx") in names
    assert unicodedata.normalize("NFD", "bål.docx") not in names


def test_not_a_record_can_be_ignored_for_a_run_but_not_accepted_in_a_record(register, ropa):
    reg = register(DATA / "clean")
    (reg.root / "records" / "README.md").write_text("# Noter\n", encoding="utf-8")
    ignored = ropa("check", "--root", reg.root, "--ignore", "not-a-record", "--strict")
    assert (ignored.code, ignored.stderr) == (0, "ok: 2 activities, 0 problems\n")
    reg.patch(
        "records/kunder.yaml",
        "title:",
        "accepted:\n  - rule: not-a-record\n    reason: Noterne hører til her.\ntitle:",
    )
    result = ropa("check", "--root", reg.root)
    assert result.code == 1
    assert "records/kunder.yaml:2:11: error[cannot-accept]" in result.stderr
    assert "--ignore not-a-record" in result.stderr
