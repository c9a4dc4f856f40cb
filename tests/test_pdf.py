"""``--format pdf``: the register printed by LibreOffice, and register.docx with the page numbers
of its table of contents filled in from that layout — the same in both, the same in every build.

The page numbers are checked against what LibreOffice itself printed (pdftotext page by page),
not against numbers the test expects; the DOCX is checked to be the docx format's own, field
codes and all, with only the PAGEREF results filled in, so Word's own update (F9) still works.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from clients import require_client
from lxml import etree
from pypdf import PdfReader
from test_determinism import build

from ropa_build.render import pdf

REPO = Path(__file__).resolve().parents[1]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STEMS = ("register", "register-processor")
# A section label restarted on the page where its section goes on (ropa_build.render.continued).
CONTINUED = re.compile(
    r'<w:vMerge w:val="restart"/>(</w:tcPr><w:p><w:pPr><w:pStyle w:val="RopaSection"/></w:pPr>)'
    r'<w:r><w:t xml:space="preserve">[^<]*\(fortsat\)</w:t></w:r></w:p>'
)
# A PAGEREF field's code and cached result, as register.xml.j2 writes them.
PAGEREF_RESULT = re.compile(
    r'(PAGEREF _Toc\d+ \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
    r"</w:r><w:r><w:t>)([^<]*)(</w:t>)"
)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example built with docx and pdf twice (the second in another time zone, the formats
    in the other order), and with docx alone.

    pdf before docx first: were the docx format's register.docx (empty pages) not skipped, it
    would be assembled after the pdf format's and replace it.
    """
    require_client("libreoffice")
    require_client("poppler")
    tmp = tmp_path_factory.mktemp("pdf")
    return {
        "first": build(REPO, tmp / "first", "pdf", "docx"),
        "second": build(REPO, tmp / "second", "docx", "pdf", TZ="America/New_York"),
        "docx": build(REPO, tmp / "docx", "docx"),
    }


def document_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as package:
        return package.read("word/document.xml").decode()


def contents(docx: Path) -> list[tuple[str, str]]:
    """Each line of the table of contents: the activity's title and the page it says."""
    body = etree.fromstring(document_xml(docx).encode())
    lines = []
    for para in body.iter(f"{W}p"):
        style = para.find(f"{W}pPr/{W}pStyle")
        if style is None or style.get(f"{W}val") != "TOC1":
            continue
        texts = [t.text or "" for t in para.iter(f"{W}t")]
        lines.append((texts[0], texts[-1]))  # the title's run first, the PAGEREF's result last
    return lines


def printed_pages(pdf_path: Path) -> list[str]:
    """Each page's text as LibreOffice printed it (pdftotext, one page at a time)."""
    count = len(PdfReader(pdf_path).pages)
    return [
        subprocess.run(
            ["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(n), "-l", str(n), pdf_path, "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize("stem", STEMS)
def test_contents_shows_the_page_libreoffice_prints_each_heading_on(builds, stem):
    out = builds["first"]
    lines = contents(out / f"{stem}.docx")
    assert lines, "the example's register has activities, so its contents has lines"
    numbers = [page for _, page in lines]
    assert all(n.isdigit() for n in numbers), numbers
    assert [int(n) for n in numbers] == sorted({int(n) for n in numbers}), "pages must increase"
    pages = [" ".join(text.split()) for text in printed_pages(out / f"{stem}.pdf")]
    for title, number in lines:
        # The title as a heading, not as a line of the contents (those end in a dot leader).
        heading = re.compile(re.escape(title) + r"(?!\s*\.)")
        first = next(i for i, text in enumerate(pages, 1) if heading.search(text))
        assert first == int(number), f"{title!r}: contents says {number}, printed on {first}"
        assert pages[first - 1].split()[-1] == number, "the page's own footer number"
    contents_page = next(text for text in pages if re.search(r"\.{5,}\s*\d", text))
    for title, number in lines:  # and the PDF's contents shows the same numbers
        assert re.search(re.escape(title) + r"\s*\.+\s*" + number + r"\b", contents_page)


def test_a_section_going_on_over_a_page_has_its_label_there(builds):
    """Every page of an activity begins with its title or with a section's label, "(fortsat)"
    where the section began on an earlier page; and "(fortsat)" is printed nowhere else."""
    labels = yaml.safe_load((REPO / "templates" / "labels" / "da.yaml").read_text("utf-8"))
    sections = sorted(labels["sections"].values(), key=len, reverse=True)
    title, log = "Behandlingsaktiviteter vedrørende", labels["changelog"]["title"]
    for stem in STEMS:
        pages = [
            " ".join(text.split("\n", 1)[-1].split())
            for text in printed_pages(builds["first"] / f"{stem}.pdf")
        ]
        first = next(i for i, p in enumerate(pages) if p.startswith("Behandlingsaktiviteter"))
        annex = next((i for i, p in enumerate(pages) if p.startswith(log)), len(pages))
        body = [p for p in pages[first:annex] if p.startswith((title, *sections))]
        assert pages[first:annex] == body, "a page of an activity that begins with neither"
        goes_on = [p for p in body if any(p.startswith(f"{s} (fortsat)") for s in sections)]
        assert goes_on, "the example has sections longer than a page"
        assert sum(p.count("(fortsat)") for p in pages) == len(goes_on), "only at a page's top"
        for page in body:
            if not page.startswith(title) and "(fortsat)" not in page[:80]:
                # a section that begins at the top of the page: its label, not a continuation
                assert any(page.startswith(s) for s in sections)


def test_the_registers_own_section_going_on_over_pages_has_its_label_there(register, tmp_path):
    """A long scope in "Om fortegnelsen": every page of the section begins with its title or
    "Om fortegnelsen (fortsat)"."""
    require_client("libreoffice")
    require_client("poppler")
    scope = "\n\n".join(f"Afsnit {i}: " + "Filialen i byen er omfattet. " * 12 for i in range(40))
    reg = register()
    reg.patch("organisation.yaml", "document:\n", f"document:\n  scope: {json.dumps(scope)}\n")
    out = build(reg.root, tmp_path / "out", "pdf")
    pages = [" ".join(t.split("\n", 1)[-1].split()) for t in printed_pages(out / "register.pdf")]
    about = [p for p in pages if "Afsnit" in p]
    assert len(about) > 2, "the scope takes several pages"
    assert about[0].startswith("Om fortegnelsen Om fortegnelsen Afgrænsning")  # heading, label
    assert all(p.startswith("Om fortegnelsen (fortsat)") for p in about[1:]), about


def test_relative_links_stay_relative_and_the_pdf_the_same_bytes(tmp_path):
    """The golden register links docs/tia.pdf: the PDF links it beside itself, not into the
    folder LibreOffice printed in (another each build), so two builds are the same bytes."""
    require_client("libreoffice")
    golden = REPO / "tests" / "golden" / "register"
    first, second = (build(golden, tmp_path / n, "pdf") / "register.pdf" for n in ("a", "b"))
    assert first.read_bytes() == second.read_bytes()
    links = set(re.findall(rb"/URI\(([^)]*)\)", first.read_bytes()))
    assert b"docs/tia.pdf" in links and not [u for u in links if u.startswith(b"file:")]


def test_two_builds_give_the_same_bytes_even_in_another_time_zone(builds):
    for stem in STEMS:
        for suffix in (".docx", ".pdf"):
            first = (builds["first"] / f"{stem}{suffix}").read_bytes()
            second = (builds["second"] / f"{stem}{suffix}").read_bytes()
            assert first == second, f"{stem}{suffix} differs between two builds"


def test_the_docx_is_the_docx_formats_own_with_only_the_pages_filled_in(builds):
    """Word's own field update works on it as on the plain build: the TOC and PAGEREF field
    codes are untouched, every field still begins, separates and ends."""
    for stem in STEMS:
        plain = document_xml(builds["docx"] / f"{stem}.docx")
        paged = document_xml(builds["first"] / f"{stem}.docx")
        assert ' TOC \\o "1-1" \\h \\z \\u ' in paged
        filled = PAGEREF_RESULT.findall(paged)
        assert filled and all(page.isdigit() for _, page, _ in filled)
        assert [page for _, page, _ in PAGEREF_RESULT.findall(plain)] == [""] * len(filled)
        assert PAGEREF_RESULT.sub(r"\1\3", paged) != plain  # a label goes on over a page
        assert CONTINUED.sub(r"<w:vMerge/>\1</w:p>", PAGEREF_RESULT.sub(r"\1\3", paged)) == plain
        assert paged.count('w:fldCharType="begin"') == paged.count('w:fldCharType="end"')


def test_the_pdf_is_dated_like_the_docx_not_by_the_clock(builds):
    for stem in STEMS:
        out = builds["first"]
        with zipfile.ZipFile(out / f"{stem}.docx") as package:
            core = package.read("docProps/core.xml").decode()
        created = re.search(r"<dcterms:created[^>]*>([^<]+)<", core)[1]
        when = PdfReader(out / f"{stem}.pdf").metadata.creation_date
        assert when == dt.datetime.fromisoformat(created.replace("Z", "+00:00"))


def test_docx_and_pdf_together_add_only_the_pdfs(builds):
    out = builds["first"]
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    plain = sorted(p.relative_to(builds["docx"]).as_posix() for p in builds["docx"].rglob("*"))
    plain = [n for n in plain if (builds["docx"] / n).is_file()]
    added = [n for n in names if n not in plain]
    assert sorted(added) == sorted(f"{stem}.pdf" for stem in STEMS)
    assert [n for n in plain if n not in names] == []  # activities/<id>.docx are still made


def test_a_docx_build_after_a_pdf_build_keeps_no_stale_pages(register, ropa, tmp_path):
    """The pdf build's register.docx is not linked into a later docx build (cache on)."""
    require_client("libreoffice")
    root, out = register().root, tmp_path / "out"
    assert ropa("build", "--root", root, "--out", out, "--format", "docx", "pdf").code == 0
    assert all(page.isdigit() for _, page in contents(out / "register.docx"))
    assert ropa("build", "--root", root, "--out", out, "--format", "docx").code == 0
    assert all(page == "" for _, page in contents(out / "register.docx"))
    assert not (out / "register.pdf").exists()


def test_without_libreoffice_the_build_says_what_to_install(register, ropa, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    root, out = register().root, tmp_path / "out"
    result = ropa("build", "--root", root, "--out", out, "--format", "docx", "pdf")
    assert result.code == 1
    assert "no-libreoffice" in result.stderr
    assert "install LibreOffice (Debian: libreoffice-writer-nogui) or drop --format pdf" in (
        result.stderr
    )
    assert "Traceback" not in result.stderr
    assert not out.exists(), "nothing is written when a format fails"


def test_a_build_without_format_makes_no_pdf(register, ropa, tmp_path, monkeypatch):
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # and needs no LibreOffice
    root, out = register().root, tmp_path / "out"
    assert ropa("build", "--root", root, "--out", out).code == 0
    assert (out / "register.docx").is_file()
    assert list(out.rglob("*.pdf")) == []


def test_reproducible_replaces_the_clock_and_the_random_identifier_in_place():
    def made(clock: bytes, ident: bytes) -> bytes:
        return (
            b"%PDF-1.6\n1 0 obj\n<</Producer(LibreOffice)/CreationDate(D:" + clock + b"Z')>>\n"
            b"endobj\nxref\ntrailer\n<</Size 2/Info 1 0 R\n/ID [ <"
            + ident
            + b">\n<"
            + ident
            + b"> ]\n/DocChecksum /"
            + ident[::-1]
            + b"\n>>\nstartxref\n20\n%%EOF\n"
        )

    one = made(b"20261201174705", b"58A47450724C539AAF49971C3D1B3B09")
    two = made(b"20261202090000", b"0123456789ABCDEF0123456789ABCDEF")
    when = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    fixed = pdf.reproducible(one, when)
    assert fixed == pdf.reproducible(two, when)
    assert len(fixed) == len(one), "the same length: the cross-reference offsets stay right"
    assert b"/CreationDate(D:20260901000000Z) >>" in fixed
    assert b"58A47450724C539AAF49971C3D1B3B09" not in fixed
    assert pdf.reproducible(made(b"20261201174705", b"F" * 32), when) != pdf.reproducible(
        made(b"20261201174705", b"F" * 32).replace(b"LibreOffice", b"LibreOfficX"), when
    ), "the identifier is a digest of the content: another PDF gets another one"


def test_bookmarks_are_found_when_a_tag_spans_two_reads(monkeypatch):
    body = (
        "".join(
            f'<w:p><w:bookmarkStart w:id="{i}" w:name="_Toc{i}"/><w:r><w:t>x</w:t></w:r></w:p>'
            for i in range(1, 30)
        )
        + '<w:bookmarkStart w:id="99" w:name="a&amp;b"/>'
    )
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as package:
        package.writestr("word/document.xml", f"<w:document><w:body>{body}</w:body></w:document>")
    monkeypatch.setattr(pdf, "_CHUNK", 7)
    assert pdf._bookmarks(docx.getvalue()) == [f"_Toc{i}" for i in range(1, 30)] + ["a&b"]


def test_destination_names_are_libreoffices():
    assert pdf._destination("_Toc12") == "5FToc12"  # as in the PDFs LibreOffice 7.4 writes
    assert pdf._destination("a-B9") == "a-B9"
    assert pdf._destination("æ b") == "E620b"
    assert pdf._destination("€") == "20AC"


def test_another_libreoffice_lays_the_register_out_again(register, tmp_path):
    """The PDF's cache key holds LibreOffice's version: the same register and the same
    LibreOffice link the previous PDF (same inode); another version prints it afresh."""
    require_client("libreoffice")
    real = shutil.which("soffice")
    fake = tmp_path / "bin"
    fake.mkdir()
    wrapper = fake / "soffice"
    wrapper.write_text(
        '#!/bin/sh\nif [ "$1" = --version ]; then echo "LibreOffice 99.0 (test)"; exit 0; fi\n'
        f'exec "{real}" "$@"\n'
    )
    wrapper.chmod(0o755)
    root, out = register().root, tmp_path / "out"
    env = {**os.environ, "ROPA_CACHE_DIR": str(tmp_path / "cache")}
    argv = [sys.executable, "-m", "ropa_build", "build", "--root", str(root), "--out", str(out)]
    argv += ["--format", "pdf", "--today", "2026-11-25"]

    def pdf_inode(path: str) -> int:
        done = subprocess.run(argv, env={**env, "PATH": path}, capture_output=True, timeout=600)
        assert done.returncode == 0, done.stderr
        return (out / "register.pdf").stat().st_ino

    first = pdf_inode(os.environ["PATH"])
    assert pdf_inode(os.environ["PATH"]) == first  # nothing changed: linked
    assert pdf_inode(f"{fake}{os.pathsep}{os.environ['PATH']}") != first
