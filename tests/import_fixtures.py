"""Word documents that ropa-build did not write, made in the test from text (no binaries kept).

``seed()`` reads the seed register (tests/data/seed, a text rendering of the Word file the
project was founded on) back into its tables — the same five tables, split where the seed's
pages split them — so each writer below lays out exactly the seed's text:

* :func:`python_docx` with python-docx, the section cells joined with ``cell.merge()``;
* :func:`libreoffice` from an HTML table with ``rowspan`` (``soffice --convert-to docx``);
* :func:`pandoc` from the same HTML (pandoc writes no merged cells: the section label stands
  in its first row only, as in a table someone retyped).

A cell is a list of paragraphs; a paragraph is a string ("\\n" is a line break inside it) or a
``(text, hint)`` pair, the hint in italics as the template prints it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SEED = Path(__file__).resolve().parent / "data" / "seed" / "000_a1c645633e18b20a.txt"

Paragraph = str | tuple[str, str]
Cell = list[Paragraph]
Row = list[Cell]


@dataclass
class Layout:
    title: str
    month: str
    tables: list[list[Row]]


def seed() -> Layout:
    text = SEED.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]
    title = next(line for line in lines if line.startswith("Behandlingsaktiviteter"))
    month = next(line for line in lines if re.fullmatch(r"[A-ZÆØÅ][a-zæøå]+ \d{4}", line))
    tables: list[list[Row]] = []
    current: list[Row] | None = None
    for line in lines:
        if not line.startswith("|"):
            current = None
            continue
        if re.fullmatch(r"\|[-|\s]*\|", line):  # the empty header row and the rule under it
            if current is None:
                current = []
                tables.append(current)
            continue
        current.append([_cell(c) for c in line[1:-1].split("|")])
    # The text rendering joins a cell's lines with spaces; where two recipients clearly stood
    # on lines of their own, the line break is put back.
    for rows in tables:
        for row in rows:
            row[:] = [[_unjoin(p) for p in cell] for cell in row]
    return Layout(title, month, tables)


def _unjoin(paragraph: Paragraph) -> Paragraph:
    return "MeisterTask\nVisma" if paragraph == "MeisterTask Visma" else paragraph


def _cell(text: str) -> Cell:
    text = text.strip()
    if not text:
        return []
    hint = re.search(r"<i>(.*?)</i>", text)
    if hint:
        return [(text[: hint.start()].strip(), hint.group(1))]
    if text.startswith("<ul"):
        body = re.sub(r"^<ul[^>]*>", "", text)
        items, _, tail = body.partition("<p>")
        paras: Cell = [f"- {item.strip()}" for item in re.split(r"(?:^|\s)- (?=[A-ZÆØÅ])", items)]
        paras = [p for p in paras if p != "- "]
        return paras + _cell("<p>" + tail if tail else "")
    if "<p>" in text:
        return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", text)]
    return [html.unescape(text)]


def python_docx(layout: Layout, path: Path, *, merge: bool = True) -> Path:
    """The layout written by python-docx; a section label is merged down its rows."""
    from docx import Document

    doc = Document()
    doc.add_heading(layout.title, 1)
    doc.add_paragraph(layout.month)
    for number, rows in enumerate(layout.tables):
        if number:
            doc.add_paragraph()
        width = max(len(r) for r in rows)
        table = doc.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell and not (merge and c == 0):
                    _fill(table.cell(r, c), cell)
        for start, end, cell in _runs_of_sections(rows):
            target = table.cell(start, 0)
            if merge and end > start:
                target = target.merge(table.cell(end, 0))
            _fill(target, cell)
    doc.save(path)
    return path


def _runs_of_sections(rows: list[Row]):
    """(first row, last row, label) of each section label and the empty cells below it."""
    starts = [i for i, row in enumerate(rows) if row[0]]
    for n, start in enumerate(starts):
        end = (starts[n + 1] if n + 1 < len(starts) else len(rows)) - 1
        yield start, end, rows[start][0]


def _fill(target, cell: Cell) -> None:
    first = True
    for paragraph in cell:
        para = target.paragraphs[0] if first else target.add_paragraph()
        first = False
        text, hint = paragraph if isinstance(paragraph, tuple) else (paragraph, "")
        for i, line in enumerate(text.split("\n")):
            run = para.add_run()
            if i:
                run.add_break()
            run.add_text(line)
        if hint:
            para.add_run(" " + hint).italic = True


def html_table(layout: Layout, *, rowspan: bool = True) -> str:
    """The layout as HTML tables; with ``rowspan`` the section label spans its rows and a
    described row's content spans the empty checklist column (``colspan``)."""
    out = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>",
        f"<h1>{html.escape(layout.title)}</h1>",
        f"<p>{html.escape(layout.month)}</p>",
    ]
    for rows in layout.tables:
        spans = {start: end - start + 1 for start, end, _ in _runs_of_sections(rows)}
        out.append("<table border='1'>")
        for r, row in enumerate(rows):
            cells = []
            # a described row's content also spans the empty checklist column (colspan)
            wide = rowspan and len(row) == 4 and bool(row[1]) and not row[3]
            for c, cell in enumerate(row):
                if c == 0 and rowspan and r not in spans and any(s < r for s in spans):
                    continue  # covered by the label's rowspan above
                if c == 3 and wide:
                    continue
                span = f" rowspan='{spans[r]}'" if c == 0 and rowspan and r in spans else ""
                span += " colspan='2'" if c == 2 and wide else ""
                cells.append(f"<td{span}>{_html_cell(cell)}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table><p></p>")
    out.append("</body></html>")
    return "\n".join(out)


def _html_cell(cell: Cell) -> str:
    parts, items = [], []
    for paragraph in cell:
        text, hint = paragraph if isinstance(paragraph, tuple) else (paragraph, "")
        body = "<br>".join(html.escape(line) for line in text.split("\n"))
        if hint:
            body += f" <i>{html.escape(hint)}</i>"
        if text.startswith("- "):
            items.append(f"<li>{body[2:]}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        parts.append(f"<p>{body}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def libreoffice(layout: Layout, folder: Path) -> Path:
    """``soffice --headless --convert-to docx`` of the HTML tables (merged cells kept)."""
    source = folder / "seed-lo.html"
    source.write_text(html_table(layout), encoding="utf-8")
    return resave(source, folder)


def resave(source: Path, folder: Path) -> Path:
    """``source`` (HTML, or a .docx to be rewritten) saved by LibreOffice as .docx in
    ``folder / "lo"``: LibreOffice writes its own WordprocessingML, not ours."""
    out = folder / "lo"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / f"{source.stem}.docx"


def pandoc(layout: Layout, folder: Path) -> Path:
    source = folder / "seed-pandoc.html"
    source.write_text(html_table(layout, rowspan=False), encoding="utf-8")
    target = folder / "seed-pandoc.docx"
    subprocess.run(
        ["pandoc", str(source), "-f", "html", "-o", str(target)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return target


W_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
)


def raw_docx(path: Path, body: str, links: dict[str, str] | None = None, prolog: str = "") -> Path:
    """A .docx whose body is ``body`` (WordprocessingML), made from python-docx's blank document.

    ``links``: relationship id → external URL, for ``w:hyperlink r:id``. ``prolog`` goes before
    the root element (hostile tests put a DOCTYPE there).
    """
    import zipfile

    from docx import Document

    blank = path.with_suffix(".blank.docx")
    Document().save(blank)
    with zipfile.ZipFile(blank) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f"{prolog}<w:document {W_NS}><w:body>{body}</w:body></w:document>"
                ).encode()
            elif info.filename == "word/_rels/document.xml.rels" and links:
                extra = "".join(
                    f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/hyperlink" Target="{html.escape(url)}" '
                    'TargetMode="External"/>'
                    for rid, url in links.items()
                )
                data = data.replace(b"</Relationships>", extra.encode() + b"</Relationships>")
            out.writestr(info, data)
    blank.unlink()
    return path


def p(text: str = "", extra: str = "") -> str:
    """A paragraph; ``extra`` is raw XML put after the text run."""
    run = f'<w:r><w:t xml:space="preserve">{html.escape(text)}</w:t></w:r>' if text else ""
    return f"<w:p>{run}{extra}</w:p>"


def tc(*paras: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paras) or '<w:p/>'}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    return f"<w:tr><w:trPr>{props}</w:trPr>{''.join(cells)}</w:tr>"


def tbl(*rows: str, columns: int = 4) -> str:
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(columns))
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def sdt(content: str, props: str = "") -> str:
    return f"<w:sdt><w:sdtPr>{props}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


_PEAK = (
    "import importlib, resource, sys\n"
    "from pathlib import Path\n"
    "module, name = sys.argv[1].rsplit('.', 1)\n"
    "read = getattr(importlib.import_module(module), name)\n"
    "got = read(Path(sys.argv[2])) if len(sys.argv) > 2 else []\n"
    "count = sum(1 for _ in getattr(got, 'blocks', got))\n"
    "print(count, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
)


def peak_memory(reader: str, path: Path) -> tuple[int, int]:
    """What reading ``path`` with ``reader`` ("module.function", giving an iterable or a
    document's ``blocks``) adds to a fresh Python's peak memory, in MB, and how many items."""
    import sys

    def run(*args: object) -> list[int]:
        done = subprocess.run(
            [sys.executable, "-c", _PEAK, reader, *map(str, args)],
            capture_output=True,
            text=True,
            check=True,
        )
        return [int(x) for x in done.stdout.split()]

    _, baseline = run()
    count, peak = run(path)
    return count, peak - baseline
