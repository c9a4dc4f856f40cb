"""The DOCX's narrow label columns never break a word mid-letter, as LibreOffice prints them.

A label such as "Tekniske og organisatoriske sikkerhedsforanstaltninger" in a column too narrow
for its longest word comes out as "sikkerhedsforanstaltning" / "er": the reader sees two words.
Word and LibreOffice both break an overlong word wherever the cell ends (Carlito, which
.ci/run installs, has Calibri's metrics, so LibreOffice's lines are Word's lines).

For the golden register and the example (controller and processor activities), in each label
language, every section label (first column) and row
description (second column) the DOCX holds must come back from the PDF — the words of that
column, line by line, joined by spaces — as written: a line may end at a space or after a
hyphen, never inside a word.
"""

from __future__ import annotations

import html
import re
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from clients import _run, docx_to_pdf_text, require_client
from conftest import REPO, TODAY
from lxml import etree

from ropa_build.cli import main

REGISTERS = {"golden": Path(__file__).resolve().parent / "golden" / "register", "example": REPO}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_POINT = 20
#: How far (pt) a word may start before or end after its column's edges: cell margins are
#: inside the column, so a word outside by more than this is in another column.
SLACK = 2.0


def _paragraph_texts(document: etree._Element, style: str) -> set[str]:
    """The text of every paragraph with ``style``, whitespace collapsed."""
    texts = set()
    for paragraph in document.iter(f"{W}p"):
        style_of = paragraph.find(f"{W}pPr/{W}pStyle")
        if style_of is not None and style_of.get(f"{W}val") == style:
            text = " ".join("".join(t.text or "" for t in paragraph.iter(f"{W}t")).split())
            if text:
                texts.add(text)
    return texts


def _columns(document: etree._Element) -> list[tuple[float, float]]:
    """The first two columns of the activity table, in points from the left page edge."""
    margin = int(document.find(f".//{W}sectPr/{W}pgMar").get(f"{W}left")) / TWIPS_PER_POINT
    for grid in document.iter(f"{W}tblGrid"):
        widths = [int(col.get(f"{W}w")) / TWIPS_PER_POINT for col in grid.iter(f"{W}gridCol")]
        if len(widths) == 4:
            return [(margin, margin + widths[0]), (margin + widths[0], margin + sum(widths[:2]))]
    raise AssertionError("no four-column activity table in the DOCX")


def _column_text(pdf: Path, left: float, right: float) -> str:
    """The words printed inside [left, right]: a line per page and baseline, words by a space."""
    bbox = _run(["pdftotext", "-bbox", "-enc", "UTF-8", pdf, "-"], timeout=60).stdout
    lines: dict[tuple[int, float], list[tuple[float, str]]] = defaultdict(list)
    for page, text in enumerate(bbox.split("<page ")):
        for x0, y0, x1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            text,
        ):
            if float(x0) >= left - SLACK and float(x1) <= right + SLACK:
                lines[(page, round(float(y0)))].append((float(x0), html.unescape(word)))
    return "\n".join(" ".join(word for _, word in sorted(lines[key])) for key in sorted(lines))


def _pattern(label: str) -> re.Pattern[str]:
    """``label`` as the column may print it: a space may be any line break, a line may end
    after a hyphen the label has, or with a hyphen added between two letters (hyphenation) —
    but a line never ends between two letters without one."""
    parts = []
    for i, char in enumerate(label):
        if char == " ":
            parts.append(r"\s+")
        elif char == "-":
            parts.append(r"-\n?")
        else:
            parts.append(re.escape(char))
            if char.isalpha() and label[i + 1 : i + 2].isalpha():
                parts.append(r"(?:-\n)?")
    return re.compile("".join(parts))


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("register", sorted(REGISTERS))
def test_label_columns_keep_words_whole(register: str, lang: str, tmp_path: Path) -> None:
    require_client("libreoffice")
    require_client("poppler")
    out = tmp_path / "out"
    argv = ["build", "--root", str(REGISTERS[register]), "--out", str(out), "--today", TODAY]
    assert main([*argv, "--lang", lang, "--format", "docx"]) == 0
    docx = out / "register.docx"
    with zipfile.ZipFile(docx) as package:
        document = etree.fromstring(package.read("word/document.xml"))
    pdf = docx_to_pdf_text(docx, tmp_path / "pdf").pdf_path
    labels = [
        _paragraph_texts(document, "RopaSection"),
        _paragraph_texts(document, "RopaDescription"),
    ]
    assert len(labels[0]) >= 8, labels[0]  # (nearly) every section is shown
    problems = []
    for (left, right), expected in zip(_columns(document), labels, strict=True):
        column = _column_text(pdf, left, right)
        broken = [label for label in sorted(expected) if not _pattern(label).search(column)]
        problems += [
            f"{label!r} not whole in the column {left:.0f}–{right:.0f} pt" for label in broken
        ]
        if broken:
            problems.append(f"the column as printed:\n{column}")
    assert not problems, "\n".join(problems)


def test_a_row_too_long_for_a_page_is_written_as_parts_each_fitting_one():
    """A long bulleted list splits between its items, a numbered one stays whole, and a short
    row is one part: the page may then break between the parts (and the pdf format repeats the
    section's label there)."""
    from ropa_build.render.docx import _Table
    from ropa_build.render.rows import Row
    from ropa_build.richtext import ListBlock, Para, Text

    item = "Leverandør med en lang beskrivelse af, hvad den gør. " * 4
    bullets = ListBlock(False, tuple((Para((Text(f"{i} {item}"),)),) for i in range(30)))
    numbered = ListBlock(True, ((Para((Text("kort"),)),),))
    table = _Table()
    written = table.parts(
        Row("Underleverandører", (Para((Text("Indledning"),)), bullets, numbered))
    )
    parts = [part for part, _ in written]
    assert len(parts) > 1 and all(table.fits_on_a_page(part) for part in parts)
    assert all(fits for _, fits in written)  # as each part says of itself
    items = [b for part in parts for b in part.content if isinstance(b, ListBlock)]
    assert [len(b.items) for b in items if not b.ordered] == [1] * 30  # every item, in order
    assert parts[0].content[0] == Para((Text("Indledning"),)) and parts[-1].content[-1] == numbered
    assert table.parts(Row("Kort", (Para((Text("kort"),)),))) == [
        (Row("Kort", (Para((Text("kort"),)),)), True)
    ]
