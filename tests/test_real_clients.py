"""The example register, opened in the programs its readers use.

Builds the repository's own records once, then hands every output to a real client:
LibreOffice prints each DOCX to PDF (and poppler reads it back), the W3C Nu checker
validates the HTML, Chromium with axe-core audits it for WCAG 2.1 AA, markdown-it parses the
Markdown tables, and a strict structural check reads each DOCX package as Word would.
What python-docx or a string search can read back proves much less than this.

Clients missing on this machine skip these tests locally and fail them under CI=true
(install them with `bash .ci/run --install-only`).

ROPA_UPDATE_SCREENSHOTS=1 writes the screenshots the README shows into docs/img/.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from clients import (
    MAX_ACTIVITY_PAGES,
    REPO_ROOT,
    OutputFolder,
    PdfText,
    assert_outputs_pass_clients,
    browser_audit,
    docx_structure_problems,
    docx_to_pdf_text,
    format_axe_violations,
    gfm_table_problems,
    gfm_table_rows,
    pdf_first_page_png,
    require_client,
    text_contains,
    vnu_errors,
)

UPDATE_SCREENSHOTS = os.environ.get("ROPA_UPDATE_SCREENSHOTS") == "1"
SCREENSHOT_DIR = REPO_ROOT / "docs" / "img"
BUILD_TIMEOUT_S = 600


# --------------------------------------------------------------------------------------
# Fixtures: one build and one conversion per module, shared by every test below
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    """Each activity record in records/, by activity id (its `id`, else its file name)."""
    found: dict[str, dict] = {}
    paths = sorted((REPO_ROOT / "records").glob("*.yaml")) + sorted(
        (REPO_ROOT / "records").glob("*.yml")
    )
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("title"):
            found[str(data.get("id") or path.stem)] = data
    assert found, f"no record with a `title` in {REPO_ROOT / 'records'}; nothing to check against"
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> OutputFolder:
    """The example register, built once from this repository with `python -m ropa_build`.

    A build that fails fails every test here with the builder's own output, once, instead
    of a confusing error about a missing file in each test.
    """
    out = tmp_path_factory.mktemp("register")
    cmd = [
        sys.executable,
        "-m",
        "ropa_build",
        "build",
        "--root",
        str(REPO_ROOT),
        "--out",
        str(out),
    ]
    try:
        result = subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{' '.join(cmd)}` did not finish in {BUILD_TIMEOUT_S}s", pytrace=False)
    if result.returncode != 0:
        pytest.fail(
            f"could not build the example register: `{' '.join(cmd)}` exited "
            f"{result.returncode}.\n--- stdout ---\n{result.stdout[-4000:]}"
            f"\n--- stderr ---\n{result.stderr[-4000:]}",
            pytrace=False,
        )
    try:
        return OutputFolder.find(out)
    except AssertionError as exc:
        pytest.fail(f"`{' '.join(cmd)}` exited 0 but {exc}", pytrace=False)


@pytest.fixture(scope="module")
def pdfs(built: OutputFolder, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, PdfText]:
    """Every DOCX of the build printed to PDF by LibreOffice, in one soffice run."""
    require_client("libreoffice")
    require_client("poppler")
    converted = docx_to_pdf_text(built.all_docx, tmp_path_factory.mktemp("pdf"))
    pdfs = dict(zip(built.all_docx, converted, strict=True))
    if UPDATE_SCREENSHOTS:
        # The seed activity's own document: its title and Datatilsynet's table on page 1
        # (register.docx opens with a cover page, which says little in a README).
        shown = next((p for p in built.activity_docx if p.stem == "support"), built.register_docx)
        pdf_first_page_png(pdfs[shown].pdf_path, SCREENSHOT_DIR / "register-docx.png")
    return pdfs


@pytest.fixture(scope="module")
def audit(built: OutputFolder, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """register.html as Chromium shows it, audited by axe-core."""
    require_client("browser")
    shots = SCREENSHOT_DIR if UPDATE_SCREENSHOTS else tmp_path_factory.mktemp("screenshots")
    return browser_audit(
        built.register_html,
        shots / "register-html.png",
        phone_screenshot_path=shots / "register-html-phone.png",
    )


def _activity_docx(built: OutputFolder, activity_id: str) -> Path:
    path = built.root / "activities" / f"{activity_id}.docx"
    if not path.is_file():
        names = ", ".join(p.name for p in built.activity_docx)
        pytest.fail(f"no activities/{activity_id}.docx for record {activity_id!r}; built: {names}")
    return path


# --------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------


def test_every_record_has_its_own_activity_docx(built: OutputFolder, records: dict[str, dict]):
    for activity_id in records:
        _activity_docx(built, activity_id)


def test_every_docx_package_is_sound(built: OutputFolder):
    problems = [
        f"{docx.name}: {p}" for docx in built.all_docx for p in docx_structure_problems(docx)
    ]
    assert not problems, "\n".join(problems)


def test_printed_register_shows_every_record_title(
    built: OutputFolder, records: dict[str, dict], pdfs: dict[Path, PdfText]
):
    text = "\n".join(pdfs[docx].text for docx in built.all_docx[: len(built.registers)])
    missing = [r["title"] for r in records.values() if not text_contains(text, str(r["title"]))]
    assert not missing, f"the registers printed by LibreOffice lack titles {missing}"


def test_each_printed_activity_shows_its_title(
    built: OutputFolder, records: dict[str, dict], pdfs: dict[Path, PdfText]
):
    for activity_id, record in records.items():
        pdf = pdfs[_activity_docx(built, activity_id)]
        assert text_contains(pdf.text, str(record["title"])), (
            f"activities/{activity_id}.docx printed by LibreOffice lacks its title "
            f"{record['title']!r}; PDF text starts: {pdf.text[:500]!r}"
        )


def test_each_printed_activity_fits_its_page_limit(built: OutputFolder, pdfs: dict[Path, PdfText]):
    too_long = {
        docx.name: pdfs[docx].page_count
        for docx in built.activity_docx
        if pdfs[docx].page_count > MAX_ACTIVITY_PAGES
    }
    assert not too_long, f"activities over {MAX_ACTIVITY_PAGES} pages: {too_long}"


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------


def test_register_html_is_valid_html(built: OutputFolder):
    require_client("vnu")
    errors = vnu_errors(built.register_html)
    assert not errors, "Nu HTML checker:\n" + "\n".join(errors)


def test_register_html_has_no_wcag_violations(audit: dict):
    assert not audit["violations"], "axe-core (WCAG 2.1 A/AA):\n" + "\n".join(
        format_axe_violations(audit["violations"])
    )


def test_register_html_is_self_contained(audit: dict):
    """The HTML is mailed to auditors and archived: it must load nothing from anywhere."""
    assert not audit["requests"], f"register.html made requests: {audit['requests']}"


def test_register_html_runs_without_console_errors(audit: dict):
    assert not audit["console_errors"], f"console errors: {audit['console_errors']}"


def test_register_html_does_not_scroll_sideways_on_a_phone(audit: dict):
    phone = audit["phone"]
    assert phone["scrollWidth"] <= phone["width"], (
        f"at {phone['width']}px the page is {phone['scrollWidth']}px wide; "
        f"too wide: {phone['overflowing']}"
    )


# --------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------


def test_register_md_tables_keep_every_cell(built: OutputFolder):
    md_text = built.register_md.read_text(encoding="utf-8")
    assert gfm_table_rows(md_text), "register.md has no GFM table at all"
    problems = gfm_table_problems(md_text)
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------------------
# All of it at once, as hostile-input tests will use it
# --------------------------------------------------------------------------------------


def test_example_register_passes_all_client_checks(
    built: OutputFolder, records: dict[str, dict], tmp_path: Path
):
    """The one-call check that tests of unusual input rely on accepts the example register."""
    assert_outputs_pass_clients(
        built.root,
        tmp_path,
        register_must_contain=[str(r["title"]) for r in records.values()],
    )
