"""Every part of every DOCX we write is valid against the ECMA-376 transitional schemas.

Word is strict where LibreOffice is lenient: a part that breaks its schema opens in LibreOffice
without a word and in Word as "unreadable content". So each generated DOCX — the example
register's, the golden register's, a synthetic register's and every hostile case that builds —
has each XML part validated (tests/ooxml_schema.py; the schemas in tests/data/ooxml-xsd/).
The checker itself is tested first, so a check that silently accepts everything would fail.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import test_hostile
from conftest import REPO, TODAY
from ooxml_schema import docx_schema_problems

from ropa_build.cli import main

GOLDEN_REGISTER = Path(__file__).resolve().parent / "golden" / "register"
HOSTILE_BUILDS = [name for name in test_hostile.CASES if test_hostile._spec(name).get("builds")]


def _build(root: Path, out: Path) -> list[Path]:
    code = main(["build", "--root", str(root), "--out", str(out), "--today", TODAY])
    assert code == 0, f"ropa build {root} failed with exit status {code}"
    docx = sorted(out.rglob("*.docx"))
    assert (out / "register.docx") in docx and len(docx) > 1, docx
    return docx


def _assert_valid(docx: list[Path]) -> None:
    problems = [
        f"{path.name}: {problem}" for path in docx for problem in docx_schema_problems(path)
    ]
    assert not problems, "\n".join(problems)


def test_example_register(tmp_path: Path) -> None:
    _assert_valid(_build(REPO, tmp_path / "out"))


def test_golden_register(tmp_path: Path) -> None:
    _assert_valid(_build(GOLDEN_REGISTER, tmp_path / "out"))


def test_synthetic_register(tmp_path: Path, synthetic) -> None:
    _assert_valid(_build(synthetic(tmp_path / "register", 40), tmp_path / "out"))


@pytest.mark.parametrize("name", HOSTILE_BUILDS)
def test_hostile_case(tmp_path: Path, name: str) -> None:
    """The hostile catalogue's registers as tests/test_hostile.py makes them (no clients needed)."""
    test_hostile._make_register(test_hostile._spec(name), tmp_path / "register")
    _assert_valid(_build(tmp_path / "register", tmp_path / "out"))


# --------------------------------------------------------------------------- the checker


def _rewritten(source: Path, target: Path, part: str, old: str, new: str) -> Path:
    """A copy of ``source`` with one part's text changed (``old`` must occur in it)."""
    with zipfile.ZipFile(source) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    text = parts[part].decode("utf-8")
    assert old in text, f"{old!r} not in {part}"
    parts[part] = text.replace(old, new, 1).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


@pytest.fixture(scope="module")
def example_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example")
    _build(REPO, out)
    return out / "register.docx"


def test_checker_finds_missing_required_attribute(example_docx: Path, tmp_path: Path) -> None:
    broken = _rewritten(
        example_docx, tmp_path / "b.docx", "word/settings.xml", 'w:percent="100"', ""
    )
    problems = docx_schema_problems(broken)
    assert any("word/settings.xml" in p and "percent" in p for p in problems), problems


def test_checker_finds_element_out_of_order(example_docx: Path, tmp_path: Path) -> None:
    """w:pPr must be a paragraph's first child."""
    broken = _rewritten(
        example_docx,
        tmp_path / "b.docx",
        "word/document.xml",
        "<w:p><w:pPr>",
        "<w:p><w:r><w:t>x</w:t></w:r><w:pPr>",
    )
    problems = docx_schema_problems(broken)
    assert any(p.startswith("word/document.xml:") and "pPr" in p for p in problems), problems


def test_checker_validates_package_parts(example_docx: Path, tmp_path: Path) -> None:
    broken = _rewritten(
        example_docx, tmp_path / "b.docx", "[Content_Types].xml", "<Default ", "<Defualt "
    )
    problems = docx_schema_problems(broken)
    assert any(p.startswith("[Content_Types].xml:") for p in problems), problems


def test_markup_compatibility_is_removed_as_part_3_says(example_docx: Path, tmp_path: Path) -> None:
    """Ignorable content goes, AlternateContent becomes its understood Choice or Fallback; an
    unknown namespace that is not ignorable stays an error."""
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    x = 'xmlns:x="urn:example:future"'
    ignorable = (
        f'<w:p {mc} {x} mc:Ignorable="x" x:extra="1"><x:new/>'
        '<mc:AlternateContent><mc:Choice Requires="x"><x:new/></mc:Choice>'
        "<mc:Fallback><w:r><w:t>fallback</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p><w:p>"
    )
    fine = _rewritten(example_docx, tmp_path / "a.docx", "word/document.xml", "<w:p>", ignorable)
    assert docx_schema_problems(fine) == []
    unknown = f"<w:p {x}><x:new/></w:p><w:p>"
    broken = _rewritten(example_docx, tmp_path / "b.docx", "word/document.xml", "<w:p>", unknown)
    assert any("urn:example:future" in p for p in docx_schema_problems(broken))
