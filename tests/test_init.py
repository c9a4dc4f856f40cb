"""`ropa init`: a register that checks and builds at once, and never an overwritten file."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO
from jsonschema import Draft202012Validator

from ropa_build import init
from ropa_build.init import init_register
from ropa_build.models import Catalogue, Contact, Organisation, RegisterInfo, System
from ropa_build.source import read_yaml

TODAY = dt.date(2026, 11, 25)
ACTION = "acme/ropa-build@" + "c" * 40
PLACEHOLDER_WARNINGS = {"todo-left", "party-not-stated", "unused-catalogue-entry"}
FILES = [
    "organisation.yaml",
    "catalogue.yaml",
    "schema/record.schema.json",
    "schema/organisation.schema.json",
    "schema/catalogue.schema.json",
    ".gitignore",
    ".github/workflows/register.yml",
    ".pre-commit-config.yaml",
    "README.md",
    "records/eksempel.yaml",
]


def written(root: Path, paths: list[Path]) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def test_init_writes_a_register_that_checks_and_builds(tmp_path: Path, ropa):
    root = tmp_path / "dpo"
    result = ropa("init", root, "--action", ACTION)
    assert result.code == 0
    assert [line.removeprefix(f"added {root}/") for line in result.stderr.splitlines()[:-1]] == (
        FILES
    )
    checked = ropa("check", "--root", root, "--format", "json")
    assert checked.code == 0
    codes = {p["code"] for p in json.loads(checked.stdout)}
    assert codes <= PLACEHOLDER_WARNINGS  # nothing but "fill this in"
    assert "todo-left" in codes
    built = ropa("build", "--root", root)
    assert built.code == 0
    assert (root / "output" / "register.docx").is_file()
    assert (root / "output" / "activities" / "eksempel.docx").is_file()


def test_placeholders_in_organisation_and_catalogue_are_warned_about(tmp_path: Path, ropa):
    init_register(tmp_path, TODAY, ACTION)
    result = ropa("check", "--root", tmp_path)
    assert re.search(r"organisation\.yaml:\d+:9: warning\[todo-left\]", result.stderr)
    assert re.search(r"catalogue\.yaml:\d+:\d+: warning\[todo-left\]", result.stderr)


@pytest.mark.parametrize(
    ("name", "models"),
    [
        ("organisation.yaml", (Organisation, Contact, RegisterInfo)),
        ("catalogue.yaml", (Catalogue, System)),
    ],
)
def test_every_field_is_there_under_a_danish_and_english_comment(tmp_path, name, models):
    init_register(tmp_path, TODAY, ACTION)
    lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
    for model in models:
        for key, info in model.model_fields.items():
            at = [i for i, line in enumerate(lines) if re.match(rf"^[ #]*{key}:", line)]
            assert at, f"{model.__name__}.{key} is not in {name}"
            comment = []
            for line in reversed(lines[: at[0]]):
                if not line.lstrip().startswith("#") or re.match(r"^[ #]*[a-z_]+:", line):
                    break
                comment.insert(0, line.lstrip(" #"))
            text = " ".join(comment)
            assert info.title in text and info.json_schema_extra["title_da"] in text, key


@pytest.mark.parametrize("name", ["organisation", "catalogue"])
def test_the_files_point_at_their_schema_and_validate_against_it(tmp_path: Path, name: str):
    init_register(tmp_path, TODAY, ACTION)
    text = (tmp_path / f"{name}.yaml").read_text(encoding="utf-8")
    first = f"# yaml-language-server: $schema=schema/{name}.schema.json"
    assert text.splitlines()[0] == first
    schema = json.loads((tmp_path / "schema" / f"{name}.schema.json").read_text())
    assert schema == json.loads((REPO / "schema" / f"{name}.schema.json").read_text())
    source, problems = read_yaml(tmp_path / f"{name}.yaml", f"{name}.yaml")
    assert problems == []
    assert list(Draft202012Validator(schema).iter_errors(source.data)) == []


def test_never_overwrites_and_adds_only_what_is_missing(register, ropa):
    reg = register()
    before = {p: p.read_bytes() for p in reg.root.rglob("*") if p.is_file()}
    result = ropa("init", reg.root, "--action", ACTION)
    assert result.code == 0
    added = [line.removeprefix(f"added {reg.root}/") for line in result.stderr.splitlines()]
    assert added[:-1] == [
        f
        for f in FILES
        if f.split("/")[0] not in ("organisation.yaml", "catalogue.yaml", "records")
    ]
    assert {p: p.read_bytes() for p in before} == before  # not a byte changed
    again = ropa("init", reg.root)
    assert again.code == 0
    assert again.stderr == f"nothing to add: {reg.root} already holds every file of a register\n"


def test_a_record_in_a_subfolder_counts_as_records(tmp_path: Path):
    (tmp_path / "records" / "hr").mkdir(parents=True)
    (tmp_path / "records" / "hr" / "loen.YML").write_text("title: Løn\n", encoding="utf-8")
    assert "records/eksempel.yaml" not in written(tmp_path, init_register(tmp_path, TODAY, ACTION))


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_what_a_build_leaves_is_ignored_by_git(tmp_path: Path, ropa):
    init_register(tmp_path, TODAY, ACTION)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)

    def untracked() -> set[str]:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=all"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return {line[3:] for line in out.splitlines()}

    files = untracked()
    assert files == set(FILES)
    assert ropa("build", "--root", tmp_path).code == 0
    assert (tmp_path / ".output.lock").exists() and (tmp_path / ".ropa-cache").is_dir()
    assert untracked() == files


def test_the_workflow_names_the_action_given(tmp_path: Path):
    init_register(tmp_path, TODAY, ACTION)
    text = (tmp_path / ".github" / "workflows" / "register.yml").read_text(encoding="utf-8")
    assert f"      - uses: {ACTION}\n" in text
    assert init.ACTION_TOKEN not in text


class _Installed:
    def __init__(self, direct_url: dict | None):
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return json.dumps(self.direct_url) if self.direct_url else None


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (
            {"url": "https://github.com/acme/ropa-build.git", "vcs_info": {"commit_id": "f" * 40}},
            "acme/ropa-build@" + "f" * 40,
        ),
        ({"url": "file:///home/me/ropa-build", "dir_info": {}}, "OWNER/ropa-build@v"),
        ({"url": "https://gitlab.com/acme/ropa-build", "vcs_info": {"commit_id": "f"}}, "OWNER/"),
        (None, "OWNER/ropa-build@v"),
    ],
)
def test_the_default_action_is_where_pip_installed_ropa_build_from(
    monkeypatch, direct_url, expected
):
    monkeypatch.setattr(init.metadata, "distribution", lambda name: _Installed(direct_url))
    assert init.default_action().startswith(expected)


def test_without_a_known_action_init_says_what_to_replace(tmp_path: Path, ropa, monkeypatch):
    monkeypatch.setattr(init.metadata, "distribution", lambda name: _Installed(None))
    result = ropa("init", tmp_path)
    assert result.code == 0
    assert "replace OWNER/ropa-build@v" in result.stderr
    assert "--action" in result.stderr


def test_a_malformed_action_is_a_usage_error(tmp_path: Path, ropa):
    result = ropa("init", tmp_path, "--action", "ropa-build")
    assert result.code == 2
    assert "is not OWNER/REPO@REF" in result.stderr
    assert not any(tmp_path.iterdir())


def test_an_own_gitignore_is_kept_and_its_gaps_named(tmp_path: Path, ropa):
    (tmp_path / ".gitignore").write_text("output/\n*.pyc\n", encoding="utf-8")
    result = ropa("init", tmp_path, "--action", ACTION)
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == "output/\n*.pyc\n"
    assert f"kept {tmp_path}/.gitignore; add to it: .ropa-cache/ .output.lock" in result.stderr


def test_init_on_a_file_is_a_user_error(tmp_path: Path, ropa):
    (tmp_path / "x").write_text("", encoding="utf-8")
    result = ropa("init", tmp_path / "x")
    assert result.code == 1
    assert "error[not-a-folder]" in result.stderr
