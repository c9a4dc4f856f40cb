"""Packaging rendered body XML into the committed reference document.

The outputs are read back with python-docx (an independent OOXML reader) rather
than compared as strings, so the tests check what Word-like readers would see.
"""

from __future__ import annotations

import importlib.util
import io
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from ropa_build.render.docx_package import FIRST_LIST_NUM_ID, package_docx

REFERENCE_PATH = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"
CREATED = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
URL = "https://www.datatilsynet.dk/regler?a=1&b=<2>"

STYLE_IDS = {
    "Title",
    "Subtitle",
    "Heading1",
    "Heading2",
    "TOCHeading",
    "TOC1",
    "Normal",
    "CoverMeta",
    "RopaSection",
    "RopaDescription",
    "RopaCell",
    "RopaMark",
    "RopaNote",
    "Hyperlink",
    "RopaTable",
}


def _p(text: str, style: str = "", num: tuple[int, int] | None = None) -> str:
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if num:
        ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
    return f'<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _cell(content: str, merge: str = "") -> str:
    vmerge = {"": "", "restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}[merge]
    return f'<w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/>{vmerge}</w:tcPr>{content}</w:tc>'


BODY = "".join(
    [
        _p("Lønadministration", "Heading1"),
        '<w:p><w:r><w:t xml:space="preserve">Læs mere hos </w:t></w:r>'
        '<w:hyperlink r:id="rIdL1"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr>'
        "<w:t>Datatilsynet</w:t></w:r></w:hyperlink></w:p>",
        _p("Medarbejdere", num=(1, 0)),
        _p("Tidligere medarbejdere", num=(1, 1)),
        _p("Første trin", num=(FIRST_LIST_NUM_ID, 0)),
        _p("Andet trin", num=(FIRST_LIST_NUM_ID, 0)),
        _p("Igen første", num=(FIRST_LIST_NUM_ID + 1, 0)),
        '<w:tbl><w:tblPr><w:tblStyle w:val="RopaTable"/><w:tblW w:w="6000" w:type="dxa"/>'
        '</w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>'
        "<w:tr>"
        + _cell(_p("Formål", "RopaSection"), "restart")
        + _cell(_p("Løn &amp; pension", "RopaCell"))
        + "</w:tr><w:tr>"
        + _cell(_p("", "RopaSection"), "continue")
        + _cell(_p("x", "RopaMark"))
        + "</w:tr></w:tbl>",
        _p("Kilde: egen opgørelse &lt;2025&gt;", "RopaNote"),
    ]
)


@pytest.fixture(scope="module")
def reference() -> bytes:
    return REFERENCE_PATH.read_bytes()


def _package(reference: bytes, **overrides) -> bytes:
    body = overrides.pop("body", BODY)
    arguments = {
        "hyperlinks": [("rIdL1", URL)],
        "numbered_lists": 2,
        "title": "Fortegnelse – Eksempel & Co",
        "created": CREATED,
    }
    arguments.update(overrides)
    return package_docx(reference, body, **arguments)


@pytest.fixture(scope="module")
def packaged(reference: bytes) -> bytes:
    return _package(reference)


@pytest.fixture(scope="module")
def document(packaged: bytes):
    return docx.Document(io.BytesIO(packaged))


def _part(packaged: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(packaged)) as archive:
        return etree.fromstring(archive.read(name))


# --------------------------------------------------------------- the reference


def test_reference_defines_the_style_ids_the_renderer_uses(reference: bytes) -> None:
    styles = docx.Document(io.BytesIO(reference)).styles.element
    ids = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    assert ids >= STYLE_IDS


def test_reference_is_a4_portrait_with_a_distinct_cover_page(reference: bytes) -> None:
    section = docx.Document(io.BytesIO(reference)).sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert section.different_first_page_header_footer
    assert section.top_margin.cm == pytest.approx(2, abs=0.01)


def test_reference_script_is_deterministic_and_committed_output_current() -> None:
    script = REFERENCE_PATH.parent.parent / "scripts" / "make_reference_docx.py"
    spec = importlib.util.spec_from_file_location("make_reference_docx", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    first = module.normalise_zip(module.build())
    assert first == module.normalise_zip(module.build())
    assert first == REFERENCE_PATH.read_bytes(), "run scripts/make_reference_docx.py"


# ------------------------------------------------------------- packaged output


def test_body_text_is_in_the_document(document) -> None:
    texts = [p.text for p in document.paragraphs]
    assert texts[:7] == [
        "Lønadministration",
        "Læs mere hos Datatilsynet",
        "Medarbejdere",
        "Tidligere medarbejdere",
        "Første trin",
        "Andet trin",
        "Igen første",
    ]
    assert texts[-1] == "Kilde: egen opgørelse <2025>"
    assert document.paragraphs[0].style.name == "Heading 1"


def test_reference_body_is_gone_but_its_section_settings_stay(document) -> None:
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "Punktopstilling" not in texts
    section = document.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.1)
    assert section.different_first_page_header_footer
    assert section.header.paragraphs, "header reference survives"


def test_hyperlink_target_round_trips_escaped(document, packaged: bytes) -> None:
    links = [link for p in document.paragraphs for link in p.hyperlinks]
    assert [(link.text, link.address) for link in links] == [("Datatilsynet", URL)]
    rels = _part(packaged, "word/_rels/document.xml.rels")  # parses, so escaping is right
    targets = {r.get("Id"): r.get("Target") for r in rels}
    assert targets["rIdL1"] == URL


def test_table_keeps_style_and_vertical_merge(document) -> None:
    (table,) = document.tables
    assert table.style.style_id == "RopaTable"
    assert table.cell(0, 0)._tc is table.cell(1, 0)._tc
    assert table.cell(0, 1).text == "Løn & pension"
    assert table.cell(1, 1).paragraphs[0].style.style_id == "RopaMark"


def test_numbered_lists_restart_through_their_own_num(packaged: bytes) -> None:
    numbering = _part(packaged, "word/numbering.xml")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    abstract_ids = {a.get(f"{w}abstractNumId") for a in numbering.findall(f"{w}abstractNum")}
    assert {"1", "2"} <= abstract_ids
    nums = {n.get(f"{w}numId"): n for n in numbering.findall(f"{w}num")}
    assert {"1", "2", "100", "101"} <= nums.keys()
    for num_id in ("100", "101"):
        num = nums[num_id]
        assert num.find(f"{w}abstractNumId").get(f"{w}val") == "2"
        assert num.find(f"{w}lvlOverride/{w}startOverride").get(f"{w}val") == "1"
    tags = [el.tag for el in numbering if isinstance(el.tag, str)]
    assert tags.index(f"{w}num") > max(i for i, t in enumerate(tags) if t == f"{w}abstractNum")


def test_core_properties_come_from_the_arguments(document) -> None:
    core = document.core_properties
    assert core.title == "Fortegnelse – Eksempel & Co"
    assert core.created == core.modified == CREATED
    assert core.author == core.last_modified_by == "ropa-build"
    assert core.revision == 1


def test_aware_dates_are_stored_in_utc(reference: bytes) -> None:
    plus_two = CREATED.astimezone(timezone(timedelta(hours=2)))
    out = docx.Document(io.BytesIO(_package(reference, created=plus_two)))
    assert out.core_properties.created == CREATED


def test_header_title_field_shows_the_title(packaged: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(packaged)) as archive:
        headers = [archive.read(n).decode() for n in archive.namelist() if "header" in n]
    assert any("Fortegnelse – Eksempel &amp; Co</w:t></w:r></w:fldSimple>" in h for h in headers)


def test_same_input_same_bytes(reference: bytes, packaged: bytes) -> None:
    assert _package(reference) == packaged
    with zipfile.ZipFile(io.BytesIO(packaged)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_different_title_changes_the_bytes(reference: bytes, packaged: bytes) -> None:
    assert _package(reference, title="Andet") != packaged


# ----------------------------------------------------------------------- errors


def test_hyperlink_id_clashing_with_the_reference_is_refused(reference: bytes) -> None:
    with pytest.raises(ValueError, match="rId1"):
        _package(reference, hyperlinks=[("rId1", URL)])


def test_duplicate_hyperlink_id_is_refused(reference: bytes) -> None:
    with pytest.raises(ValueError, match="already used"):
        _package(reference, hyperlinks=[("rIdL1", URL), ("rIdL1", URL)])


def test_title_with_control_character_is_refused(reference: bytes) -> None:
    with pytest.raises(ValueError, match="control character"):
        _package(reference, title="bad\x07title")


def test_not_a_docx_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not a \.docx"):
        _package(b"not a zip file")


# -------------------------------------------------------- a Word-saved reference


def _rewrite(reference: bytes, name: str, change) -> bytes:
    """A copy of *reference* with part *name* passed through *change*."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(reference)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, change(data.decode()).encode() if info.filename == name else data)
    return out.getvalue()


def test_localised_style_ids_are_followed_by_english_name(reference: bytes) -> None:
    danish = _rewrite(
        reference,
        "word/styles.xml",
        lambda xml: xml.replace('w:styleId="Heading1"', 'w:styleId="Overskrift1"'),
    )
    out = docx.Document(io.BytesIO(_package(danish)))
    assert out.paragraphs[0].style.style_id == "Overskrift1"


def test_list_num_id_clashing_with_the_reference_is_refused(reference: bytes) -> None:
    taken = _rewrite(
        reference,
        "word/numbering.xml",
        lambda xml: xml.replace(
            "</w:numbering>",
            '<w:num w:numId="101"><w:abstractNumId w:val="1"/></w:num></w:numbering>',
        ),
    )
    assert _package(taken, numbered_lists=1)
    with pytest.raises(ValueError, match="numId 101"):
        _package(taken, numbered_lists=2)


def test_complex_title_field_result_is_replaced(reference: bytes) -> None:
    simple = '<w:fldSimple w:instr=" TITLE \\* MERGEFORMAT "><w:r><w:rPr><w:noProof/></w:rPr>'
    complex_field = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TITLE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:noProof/></w:rPr>'
    )

    def to_complex(xml: str) -> str:
        return xml.replace(simple, complex_field).replace(
            "</w:t></w:r></w:fldSimple>", '</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    word_saved = _rewrite(reference, "word/header2.xml", to_complex)
    assert b"fldSimple" not in zipfile.ZipFile(io.BytesIO(word_saved)).read("word/header2.xml")
    header = zipfile.ZipFile(io.BytesIO(_package(word_saved))).read("word/header2.xml").decode()
    assert '<w:t xml:space="preserve">Fortegnelse – Eksempel &amp; Co</w:t>' in header


def test_missing_core_properties_are_added(reference: bytes) -> None:
    bare = '<cp:coreProperties xmlns:cp="{}"/>'.format(
        "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    )
    stripped = _rewrite(reference, "docProps/core.xml", lambda _: bare)
    core = docx.Document(io.BytesIO(_package(stripped))).core_properties
    assert (core.title, core.created, core.modified) == (
        "Fortegnelse – Eksempel & Co",
        CREATED,
        CREATED,
    )
