"""Build ``templates/reference.docx``, the style source for the DOCX output.

The DOCX writer follows pandoc's ``--reference-doc`` convention: it renders only the
body XML and takes everything else (styles, numbering, page setup, header, footer,
theme) from a reference document.  A user who wants a different look opens the
reference in Word, restyles the sample paragraphs and saves it; no code changes.

This script makes the default reference.  It is run by hand and its output is
committed, so it must be *deterministic*: the core-property dates are fixed and the
package is re-zipped with fixed timestamps and a fixed entry order, so that running
it twice yields the same bytes and ``git diff`` only shows real changes.
``--check`` verifies that the committed file is up to date.

Style IDs are the contract with the body renderer (it writes ``<w:pStyle
w:val="RopaCell"/>`` and so on), which is why the styles are written as XML with
explicit IDs rather than through python-docx's name-based API.  Custom style names
equal their IDs because Word derives the ID of a custom style from its name when it
saves.
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "templates" / "reference.docx"

FIXED_DATE = datetime(2024, 1, 1, 0, 0, 0, tzinfo=UTC)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

# A4 portrait in twips (1/20 pt; 1 cm = 567 twips).
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TB, MARGIN_LR = 1134, 1247  # 2.0 cm top/bottom, 2.2 cm left/right
HEADER_DIST, FOOTER_DIST = 454, 567  # 0.8 cm and 1.0 cm from the paper edge
TEXT_W = PAGE_W - 2 * MARGIN_LR  # 9412: where right-aligned tab stops go

FONT = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
HEADING_COLOUR = "1F3864"
LINK_COLOUR = "0563C1"
BORDER_COLOUR = "808080"
HEADER_FILL = "D9E2F3"
LANG = "da-DK"

W = nsdecls("w")

# --------------------------------------------------------------------------- styles


# Styles Word does not know; everything else is a Word built-in under its English name.
CUSTOM_STYLES = frozenset(
    {"CoverMeta", "RopaSection", "RopaDescription", "RopaCell", "RopaMark", "RopaNote", "RopaTable"}
)


def _style(kind: str, style_id: str, name: str, body: str, *, based_on: str = "") -> str:
    """One ``w:style`` element; *body* is its pPr/rPr/tblPr markup."""
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    custom = ' w:customStyle="1"' if style_id in CUSTOM_STYLES else ""
    return (
        f'<w:style {W} w:type="{kind}"{custom} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/>{based}{body}</w:style>'
    )


def _para_style(style_id: str, name: str, ppr: str, rpr: str, **kw: str) -> str:
    """A paragraph style; ``next`` and ``based_on`` default to Normal."""
    nxt = kw.pop("next", "Normal")
    based_on = kw.pop("based_on", "Normal")
    body = f'<w:next w:val="{nxt}"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr>'
    return _style("paragraph", style_id, name, body, based_on=based_on)


def _size(half_points: int) -> str:
    return f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'


def _heading_rpr(half_points: int) -> str:
    return f'<w:b/><w:bCs/><w:color w:val="{HEADING_COLOUR}"/>{_size(half_points)}'


def _cell_borders() -> str:
    edges = ("top", "left", "bottom", "right", "insideH", "insideV")
    lines = "".join(
        f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{BORDER_COLOUR}"/>' for e in edges
    )
    return f"<w:tblBorders>{lines}</w:tblBorders>"


def _table_style() -> str:
    """``RopaTable``: thin borders everywhere, roomy cell margins, shaded header row.

    The header-row look only applies when the table's ``w:tblLook`` has
    ``w:firstRow="1"``, so the renderer can opt in per table.
    """
    margins = (
        '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>'
    )
    body = (
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{_cell_borders()}{margins}</w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
        "<w:tblPr/>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr>'
        "</w:tblStylePr>"
    )
    return _style("table", "RopaTable", "RopaTable", body, based_on="TableNormal")


def _hyperlink_style() -> str:
    rpr = f'<w:color w:val="{LINK_COLOUR}"/><w:u w:val="single"/>'
    body = f'<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr>{rpr}</w:rPr>'
    return _style("character", "Hyperlink", "Hyperlink", body, based_on="DefaultParagraphFont")


def _header_footer_style(style_id: str, name: str, half_points: int, *, centre: bool) -> str:
    """Header/footer paragraphs with tab stops at the A4 text edges.

    The header has no centre stop, so one tab after the logo reaches the right edge.
    """
    mid = f'<w:tab w:val="center" w:pos="{TEXT_W // 2}"/>' if centre else ""
    tabs = f'<w:tabs>{mid}<w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>'
    ppr = f'{tabs}<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    return _para_style(style_id, name, ppr, f'<w:color w:val="595959"/>{_size(half_points)}')


def style_definitions() -> list[str]:
    """Every style this project relies on, replacing python-docx's version if any.

    Built-in styles keep Word's English built-in names (``heading 1``, ``toc 1``):
    Word localises those in its UI, and the packager uses them to find the styles
    again if a localised Word saved them under a translated ID.
    """
    keep = '<w:keepNext/><w:keepLines/><w:spacing w:before="{b}" w:after="{a}"/>'
    toc_tab = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>'
    return [
        _style(
            "paragraph",
            "Normal",
            "Normal",
            '<w:qFormat/><w:pPr><w:spacing w:after="120" w:line="259" w:lineRule="auto"/>'
            "</w:pPr><w:rPr/>",
        ).replace('w:type="paragraph"', 'w:type="paragraph" w:default="1"'),
        _para_style(
            "Title",
            "Title",
            '<w:spacing w:before="2400" w:after="240" w:line="240" w:lineRule="auto"/>'
            "<w:contextualSpacing/>",
            f'<w:color w:val="{HEADING_COLOUR}"/><w:kern w:val="28"/>{_size(56)}',
        ),
        _para_style(
            "Subtitle",
            "Subtitle",
            '<w:spacing w:after="480"/>',
            f'<w:color w:val="2F5496"/>{_size(28)}',
        ),
        _para_style(
            "Heading1",
            "heading 1",
            keep.format(b=360, a=120) + '<w:outlineLvl w:val="0"/>',
            _heading_rpr(32),
        ),
        _para_style(
            "Heading2",
            "heading 2",
            keep.format(b=240, a=80) + '<w:outlineLvl w:val="1"/>',
            _heading_rpr(26),
        ),
        _para_style(
            "Heading3",
            "heading 3",
            keep.format(b=200, a=60) + '<w:outlineLvl w:val="2"/>',
            _heading_rpr(22),
        ),
        # outlineLvl 9 = body text, so the table of contents does not list itself.
        _para_style(
            "TOCHeading",
            "TOC Heading",
            '<w:outlineLvl w:val="9"/>',
            "",
            based_on="Heading1",
        ),
        _para_style("TOC1", "toc 1", f'{toc_tab}<w:spacing w:after="60"/>', ""),
        _para_style(
            "TOC2", "toc 2", f'{toc_tab}<w:spacing w:after="60"/><w:ind w:left="220"/>', ""
        ),
        _para_style("CoverMeta", "CoverMeta", '<w:spacing w:after="60"/>', _size(22)),
        _para_style(
            "RopaCell", "RopaCell", '<w:spacing w:after="40" w:line="240" w:lineRule="auto"/>', ""
        ),
        _para_style(
            "RopaSection", "RopaSection", "", "<w:b/><w:bCs/>", based_on="RopaCell", next="RopaCell"
        ),
        _para_style(
            "RopaDescription",
            "RopaDescription",
            "",
            f'<w:color w:val="404040"/>{_size(18)}',
            based_on="RopaCell",
            next="RopaCell",
        ),
        _para_style(
            "RopaMark",
            "RopaMark",
            '<w:jc w:val="center"/>',
            "",
            based_on="RopaCell",
            next="RopaCell",
        ),
        _para_style(
            "RopaNote",
            "RopaNote",
            '<w:spacing w:before="60" w:after="120"/>',
            f'<w:i/><w:iCs/><w:color w:val="595959"/>{_size(16)}',
        ),
        _header_footer_style("Header", "header", 16, centre=False),
        _header_footer_style("Footer", "footer", 16, centre=True),
        _hyperlink_style(),
        _table_style(),
    ]


def install_styles(document: docx.document.Document) -> None:
    """Set document defaults (font, size, language) and (re)define our styles."""
    styles = document.styles.element
    defaults = parse_xml(
        f"<w:docDefaults {W}><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'{_size(20)}<w:lang w:val="{LANG}" w:eastAsia="{LANG}" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="120" w:line="259" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles.replace(styles.find(qn("w:docDefaults")), defaults)
    for xml in style_definitions():
        new = parse_xml(xml)
        old = styles.find(f"{qn('w:style')}[@{qn('w:styleId')}='{new.get(qn('w:styleId'))}']")
        if old is None:
            styles.append(new)
        else:
            styles.replace(old, new)
    prune_styles(styles)


# Word built-ins kept from python-docx's template besides the ones defined above.
KEEP_BUILTIN_STYLES = frozenset(
    {
        "DefaultParagraphFont",
        "TableNormal",
        "NoList",
        "TableGrid",
        "ListParagraph",
        "Strong",
        "Emphasis",
    }
)


def prune_styles(styles) -> None:
    """Drop python-docx's other ~130 styles (mostly table designs).

    They would be copied into every generated document (≈300 KB of XML to
    compress each time) and offer looks that clash with ours; Word still offers
    every built-in style from its latent-style list.  Raises if a kept style
    refers to a dropped one.
    """
    keep = KEEP_BUILTIN_STYLES | {parse_xml(x).get(qn("w:styleId")) for x in style_definitions()}
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in keep:
            styles.remove(style)
    for ref in ("w:basedOn", "w:next", "w:link"):
        for el in styles.iter(qn(ref)):
            if el.get(qn("w:val")) not in keep:
                raise RuntimeError(f"style refers to dropped style {el.get(qn('w:val'))}")


# ------------------------------------------------------------------------ numbering

BULLETS = ("•", "◦", "▪")
DECIMALS = (("decimal", "%1."), ("lowerLetter", "%2)"), ("lowerRoman", "%3."))


def _level(ilvl: int, fmt: str, text: str) -> str:
    left = 360 * (ilvl + 1)
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="360"/></w:pPr></w:lvl>'
    )


def numbering_xml() -> str:
    """numbering.xml with bullets (abstract 1 / numId 1) and decimals (2 / 2).

    The packager appends one ``w:num`` per numbered list (numId 100 and up) that
    points at abstract 2 with a start override, so every list restarts at 1.
    """
    bullets = "".join(_level(i, "bullet", b) for i, b in enumerate(BULLETS))
    decimals = "".join(_level(i, f, t) for i, (f, t) in enumerate(DECIMALS))
    return (
        f"<w:numbering {W}>"
        '<w:abstractNum w:abstractNumId="1"><w:nsid w:val="52A1B001"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{bullets}</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="2"><w:nsid w:val="52A1B002"/>'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{decimals}</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
        "</w:numbering>"
    )


def install_numbering(document: docx.document.Document) -> None:
    """Replace python-docx's numbering definitions with ours (same part, new content)."""
    numbering = document.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(numbering_xml()):
        numbering.append(child)


# ------------------------------------------------------------------ header & footer


def _field(instr: str, cached: str) -> str:
    """A simple field; *cached* is what shows until the field is recalculated."""
    return (
        f'<w:fldSimple {W} w:instr=" {instr} \\* MERGEFORMAT ">'
        f"<w:r><w:rPr><w:noProof/></w:rPr><w:t>{cached}</w:t></w:r></w:fldSimple>"
    )


def build_header_footer(section: docx.section.Section) -> None:
    """The document title at the right of the header, the page number in the footer.

    The title is a ``TITLE`` field so it follows the core property the packager
    sets; the first (cover) page gets empty header and footer.
    """
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False

    header = section.header.paragraphs[0]
    # No logo by default (a placeholder box looked like a broken image): insert yours here in
    # Word, before the tab, and save the reference document in your register's templates/.
    header.add_run().add_tab()
    header._p.append(parse_xml(_field("TITLE", "Fortegnelse over behandlingsaktiviteter")))

    footer = section.footer.paragraphs[0]
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer._p.append(parse_xml(_field("PAGE", "1")))


def set_page(section: docx.section.Section) -> None:
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin = section.bottom_margin = Twips(MARGIN_TB)
    section.left_margin = section.right_margin = Twips(MARGIN_LR)
    section.header_distance, section.footer_distance = Twips(HEADER_DIST), Twips(FOOTER_DIST)


# ---------------------------------------------------------------------- sample body


def _p(style: str, *runs: str, num: tuple[int, int] | None = None) -> str:
    """A paragraph in the same shape the body renderer writes."""
    num_pr = (
        f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>' if num else ""
    )
    return f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/>{num_pr}</w:pPr>{"".join(runs)}</w:p>'


def _r(text: str, rpr: str = "") -> str:
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _cell(width: int, *paras: str, merge: str = "") -> str:
    """A table cell; *merge* is "restart" or "continue" for a vertically merged one."""
    vmerge = {"": "", "restart": '<w:vMerge w:val="restart"/>', "continue": "<w:vMerge/>"}
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>{vmerge[merge]}'
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{''.join(paras)}</w:tc>"


def _sample_table() -> str:
    """A register table: merged section label, description, content, checkmark."""
    widths = (2000, 3000, 3612, 800)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    head_styles = ("RopaCell", "RopaCell", "RopaCell", "RopaMark")
    head = "".join(
        _cell(w, _p(s, _r(t)))
        for w, s, t in zip(
            widths, head_styles, ("Afsnit", "Beskrivelse", "Indhold", "x"), strict=True
        )
    )
    rows = [
        f"<w:tr><w:trPr><w:tblHeader/></w:trPr>{head}</w:tr>",
        "<w:tr>"
        + _cell(widths[0], _p("RopaSection", _r("Formål")), merge="restart")
        + _cell(widths[1], _p("RopaDescription", _r("Formålene med behandlingen")))
        + _cell(widths[2], _p("RopaCell", _r("Lønudbetaling og personaleadministration")))
        + _cell(widths[3], _p("RopaMark", _r("x")))
        + "</w:tr>",
        "<w:tr>"
        + _cell(widths[0], _p("RopaSection"), merge="continue")
        + _cell(widths[1], _p("RopaDescription", _r("Retsgrundlag")))
        + _cell(widths[2], _p("RopaCell", _r("GDPR art. 6, stk. 1, litra b og c")))
        + _cell(widths[3], _p("RopaMark"))
        + "</w:tr>",
    ]
    look = (
        '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
    )
    return (
        f'<w:tbl {W}><w:tblPr><w:tblStyle w:val="RopaTable"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{look}</w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def sample_body() -> list[str]:
    """One sample of every style, so a user restyling in Word sees them all.

    The lists also keep numId 1 and 2 in use, which stops Word from discarding
    them as unused when it saves the restyled reference.
    """
    page_break = '<w:r><w:br w:type="page"/></w:r>'
    link = _r("datatilsynet.dk", '<w:rStyle w:val="Hyperlink"/>')
    return [
        _p("Title", _r("Fortegnelse over behandlingsaktiviteter")),
        _p("Subtitle", _r("Artikel 30 i databeskyttelsesforordningen")),
        _p("CoverMeta", _r("Dataansvarlig: ", "<w:b/>"), _r("Eksempel A/S")),
        _p("CoverMeta", _r("Version: ", "<w:b/>"), _r("1.0 af 1. januar 2024")),
        _p("CoverMeta", page_break),
        _p("TOCHeading", _r("Indholdsfortegnelse")),
        _p("TOC1", _r("1. Lønadministration"), "<w:r><w:tab/></w:r>", _r("2")),
        _p("TOC2", _r("Kategorier af registrerede"), "<w:r><w:tab/></w:r>", _r("2")),
        _p("Heading1", _r("1. Lønadministration")),
        _p("Normal", _r("Brødtekst (Normal) med et link til "), link, _r(".")),
        _p("Heading2", _r("Kategorier af registrerede")),
        _p("Heading3", _r("Overskrift 3")),
        _p("Normal", _r("Punktopstilling, niveau 1"), num=(1, 0)),
        _p("Normal", _r("Punktopstilling, niveau 2"), num=(1, 1)),
        _p("Normal", _r("Punktopstilling, niveau 3"), num=(1, 2)),
        _p("Normal", _r("Nummereret liste, niveau 1"), num=(2, 0)),
        _p("Normal", _r("Nummereret liste, niveau 2"), num=(2, 1)),
        _p("Normal", _r("Nummereret liste, niveau 3"), num=(2, 2)),
        _sample_table(),
        _p("RopaNote", _r("Note under en tabel (RopaNote).")),
    ]


def add_samples(document: docx.document.Document) -> None:
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for xml in sample_body():
        sect_pr.addprevious(parse_xml(xml))


# -------------------------------------------------------------------------- package


def drop_extras(document: docx.document.Document) -> None:
    """Remove parts that would only mislead.

    The thumbnail is a picture of python-docx's empty Letter page, and
    stylesWithEffects.xml is a Word 2010 copy of the styles that would disagree
    with ours.
    """
    for rels, reltype in (
        (document.part.package.rels, RT.THUMBNAIL),
        (
            document.part.rels,
            "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
        ),
    ):
        for r_id in [r_id for r_id, rel in rels.items() if rel.reltype == reltype]:
            del rels[r_id]


def set_core_properties(document: docx.document.Document) -> None:
    """Fixed metadata; the packager keeps subject, keywords etc. in every output,
    so nothing here may describe the reference itself ("generated by python-docx")."""
    props = document.core_properties
    props.comments = ""
    props.title = "Fortegnelse over behandlingsaktiviteter"
    props.author = props.last_modified_by = "ropa-build"
    props.language = LANG
    props.revision = 1
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)


def set_settings(document: docx.document.Document) -> None:
    """Document settings that hold in every output.

    ``w:zoom``: python-docx's template has ``w:val="bestFit"`` without the ``w:percent`` that
    ECMA-376 requires (Word is strict about schemas even where LibreOffice is not), so the
    zoom is set to 100 % as Word itself writes it.
    """
    settings = document.settings.element
    zoom = settings.find(qn("w:zoom"))
    if zoom is None:
        zoom = parse_xml(f"<w:zoom {W}/>")
        settings.insert(0, zoom)
    zoom.attrib.clear()
    zoom.set(qn("w:percent"), "100")


def build() -> bytes:
    """The reference document as python-docx saves it (not yet byte-stable)."""
    document = docx.Document()
    install_styles(document)
    install_numbering(document)
    section = document.sections[0]
    set_page(section)
    build_header_footer(section)
    add_samples(document)
    drop_extras(document)
    set_core_properties(document)
    set_settings(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def normalise_zip(data: bytes) -> bytes:
    """Re-zip with fixed timestamps, attributes and order so the bytes are stable.

    Word and python-docx stamp each entry with the current time; that alone would
    make every run produce a different file.
    """
    with ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        ordered = sorted(names, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
        out = io.BytesIO()
        with ZipFile(out, "w") as dst:
            for name in ordered:
                info = ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                dst.writestr(info, src.read(name), compresslevel=9)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if OUTPUT differs from a fresh build"
    )
    args = parser.parse_args(argv)
    data = normalise_zip(build())
    if args.check:
        current = args.output.read_bytes() if args.output.exists() else b""
        if current != data:
            print(f"{args.output} is out of date; run {Path(__file__).name}", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(f"wrote {args.output} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
