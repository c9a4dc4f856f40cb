"""``ropa templates``: built-in templates copied into a register, never over the user's own; and
docs/templates.md, whose list of each template's variables must match what the templates use."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import jinja2
import jinja2.meta
import pytest

from ropa_build.customise import NOTES, TEMPLATES, VIEW_CLASSES, built_in_files
from ropa_build.render import view
from ropa_build.resources import BUILT_IN

GOLDEN = Path(__file__).resolve().parent / "golden" / "register"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(GOLDEN, tmp_path / "register")
    return tmp_path / "register"


def test_copies_every_built_in_file_and_the_build_still_works(root: Path, ropa) -> None:
    result = ropa("templates", "--root", root)
    assert result.code == 0
    for name in built_in_files():
        copy = root / "templates" / name
        assert copy.read_bytes() == (BUILT_IN["templates"] / name).read_bytes(), name
        assert f"copied {copy}" in result.stderr
    assert {"register.html.j2", "labels/da.yaml", "reference.docx"} <= set(built_in_files())
    assert not list((root / "templates").rglob("*.py"))
    assert ropa("check", "--root", root).code == 0  # the copies compile: a green check
    assert ropa("build", "--root", root).code == 0


def test_copies_by_path_file_name_or_folder(root: Path, ropa) -> None:
    result = ropa("templates", "--root", root, "da.yaml", "docx", "register.md.j2")
    assert result.code == 0
    copied = sorted(
        p.relative_to(root / "templates").as_posix()
        for p in (root / "templates").rglob("*")
        if p.is_file()
    )
    assert copied == [
        "docx/_activity-parts.xml.j2",
        "docx/activity-table.xml.j2",
        "docx/activity.xml.j2",
        "docx/changes.xml.j2",
        "docx/register.xml.j2",
        "labels/da.yaml",
        "register.md.j2",
    ]


def test_never_overwrites_and_says_what_it_kept(root: Path, ropa) -> None:
    own = root / "templates" / "register.html.j2"
    own.parent.mkdir()
    own.write_text("<p>{{ view.title }}</p>\n", encoding="utf-8")
    result = ropa("templates", "--root", root, "register.html.j2", "register.md.j2")
    assert result.code == 0
    assert own.read_text(encoding="utf-8") == "<p>{{ view.title }}</p>\n"
    assert f"kept {own} (already there" in result.stderr
    assert f"copied {root / 'templates' / 'register.md.j2'}" in result.stderr


def test_to_another_folder(root: Path, tmp_path: Path, ropa) -> None:
    result = ropa("templates", "--root", root, "--to", tmp_path / "elsewhere", "labels")
    assert result.code == 0
    assert (tmp_path / "elsewhere" / "labels" / "en.yaml").is_file()
    assert not (root / "templates").exists()


def test_an_unknown_name_is_a_usage_error(root: Path, ropa) -> None:
    result = ropa("templates", "--root", root, "register.htm")
    assert result.code == 2
    assert "no built-in template or label file 'register.htm'" in result.stderr
    assert "register.html.j2" in result.stderr  # says what there is
    assert not (root / "templates").exists()


# --------------------------------------------------------------------------- docs/templates.md


def test_every_built_in_template_is_documented() -> None:
    templates = {name for name in built_in_files() if name.endswith(".j2")}
    assert templates == set(TEMPLATES)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_documented_variables_are_the_ones_the_template_uses(name: str) -> None:
    """Every name a built-in template reads from its context is documented (a template may
    receive more than it uses: the DOCX tables are given the labels too)."""
    spec = TEMPLATES[name]
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    env.filters.update(dict.fromkeys(spec.get("filters", {}), str))
    source = (BUILT_IN["templates"] / name).read_text(encoding="utf-8")
    used = jinja2.meta.find_undeclared_variables(env.parse(source))
    assert used <= set(spec["variables"]) | set(spec.get("block", {}))
    assert used or not spec["variables"]  # the parse did see the template's names


def test_every_view_class_and_note_is_real() -> None:
    classes = {
        cls
        for cls in vars(view).values()
        if isinstance(cls, type)
        and dataclasses.is_dataclass(cls)
        and cls.__module__ in (view.__name__, "ropa_build.render.rows")
    }
    assert classes == set(VIEW_CLASSES)
    for key in NOTES:
        cls_name, field = key.split(".")
        cls = getattr(view, cls_name)
        assert field in {f.name for f in dataclasses.fields(cls)} or isinstance(
            getattr(cls, field, None), property
        ), key


def test_templates_md_shows_every_field() -> None:
    text = (Path(__file__).resolve().parents[1] / "docs" / "templates.md").read_text("utf-8")
    for cls in VIEW_CLASSES:
        assert f"### {cls.__name__}" in text
        for field in dataclasses.fields(cls):
            assert f"| `{field.name}` |" in text
