"""register.html as Chromium lays it out: words whole on a phone, no sideways scrolling, and
printed on about as many A4 sheets as the Word file.

tests/html_layout.mjs opens the page in Debian's chromium (playwright-core) and, at phone
width (390 px), desktop width (where the table head with "Markeret" shows) and as printed on
A4, lists every word whose letters land on two lines although it would fit the page's line —
a column too narrow for it ("Datab|ehandl|er"). It then prints the page to PDF; that PDF's page
count is compared with the page count of LibreOffice's PDF of register.docx.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from clients import CHROMIUM, _run, docx_to_pdf_text, pdf_page_count, require_client
from conftest import REPO, TODAY

from ropa_build.cli import main

PROBE = Path(__file__).resolve().with_name("html_layout.mjs")
REGISTERS = {"golden": Path(__file__).resolve().parent / "golden" / "register", "example": REPO}
#: Printed HTML and printed DOCX may differ by this fraction of the DOCX's pages (the issue
#: asks for "about as many"; fonts and table layout are not identical in the two programs).
PAGE_TOLERANCE = 0.25


def _layout(html: Path, pdf: Path) -> dict:
    result = _run(
        ["node", PROBE, html, pdf], timeout=180, env={**os.environ, "ROPA_CHROMIUM": str(CHROMIUM)}
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=sorted(REGISTERS))
def laid_out(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    require_client("browser")
    out = tmp_path_factory.mktemp(request.param)
    argv = ["build", "--root", str(REGISTERS[request.param]), "--out", str(out)]
    assert main([*argv, "--today", TODAY, "--format", "html", "docx"]) == 0
    return request.param, out, _layout(out / "register.html", out / "register-html.pdf")


@pytest.mark.parametrize("width", ["phone", "desktop", "print"])
def test_no_word_is_broken_inside(laid_out, width: str) -> None:
    _, _, layout = laid_out
    probe = layout[width]
    assert probe["words"] > 100, probe  # the probe saw the page's text
    assert probe["broken"] == [], f"words wrapped inside at {probe['width']} px: {probe['broken']}"


def test_nothing_scrolls_sideways_on_a_phone(laid_out) -> None:
    _, _, layout = laid_out
    assert layout["phone"]["width"] == 390
    assert layout["phone"]["scrollWidth"] <= 390, layout["phone"]


def test_printed_page_count_is_about_the_docx(laid_out, tmp_path: Path) -> None:
    _, out, _ = laid_out
    require_client("libreoffice")
    require_client("poppler")
    docx_pages = docx_to_pdf_text(out / "register.docx", tmp_path).page_count
    html_pages = pdf_page_count(out / "register-html.pdf")
    allowed = max(1, PAGE_TOLERANCE * docx_pages)  # a page either way for a short register
    assert abs(html_pages - docx_pages) <= allowed, f"HTML {html_pages} pages, DOCX {docx_pages}"
