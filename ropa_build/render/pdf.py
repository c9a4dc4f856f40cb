"""PDF: the register as LibreOffice prints it, and register.docx with its page numbers filled in.

A DOCX's table of contents is a TOC field whose page numbers are PAGEREF fields; Word shows
their cached results and computes them only when told to (F9), and nothing but a layout engine
can know on which page a heading lands. So this format lets LibreOffice lay the register out
(``soffice --headless --convert-to pdf``, offline, with its own throwaway profile so that
builds side by side never share one), reads from the PDF on which page each bookmark of the
document was printed (LibreOffice exports bookmarks as the PDF's named destinations), renders
register.docx again with those pages as the PAGEREF results, and prints that DOCX: the PDF and
the DOCX show the same numbers. Writing a number can move what follows it (a title that no
longer fits its line), so it lays out again until the numbers stand still — twice, in practice.

The numbers are LibreOffice's layout. Word lays out a little differently, and its own update
(F9, or printing with "update fields") still works: the field codes are untouched, only their
results are filled in. A page's number is its position in the document: the built-in reference
document numbers pages from 1 and never restarts.

When docx is built too, this format's register.docx is *the* register.docx (``supersedes``):
the docx format's assembly is skipped, its activities/<id>.docx are still its own.

Reproducible: the DOCX is the docx format's, byte for byte, plus the numbers, so two builds with
the same LibreOffice and fonts give the same bytes. LibreOffice stamps the PDF with the clock
(its CreationDate) and a random file identifier; both are replaced in place, keeping their
lengths so the PDF's cross-reference offsets stay right: the date by the register's own, the
identifier by a digest of the PDF itself.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import unescape

from ropa_build.errors import Problem, UserError
from ropa_build.render.continued import FIRST_ID, PREFIX, continued_rows, laid_out, rows_of
from ropa_build.render.docx import Docx
from ropa_build.render.format import Format, Job, Output
from ropa_build.render.view import ActivityView, RegisterView
from ropa_build.validate import Activity

#: Layouts tried before the page numbers and continued labels must have settled (each one a
#: LibreOffice run).
LAYOUTS = 6
#: LibreOffice's PDF export (its options as JSON: LibreOffice 7.4+): each bookmark a named
#: destination, for :func:`_printed_pages`; tagged, so a screen reader can follow the headings
#: and tables; relative links kept relative.
_EXPORT = "pdf:writer_pdf_Export:" + json.dumps(
    {
        "ExportBookmarksToPDFDestination": {"type": "boolean", "value": "true"},
        # a relative link (docs/dpia.pdf) stays relative, to beside register.pdf, instead of
        # an absolute one into the folder the DOCX was printed in (gone, and another each run)
        "ExportLinksRelativeFsys": {"type": "boolean", "value": "true"},
        "UseTaggedPDF": {"type": "boolean", "value": "true"},
    },
    separators=(",", ":"),
)
_CHUNK = 1 << 20  # of the DOCX's body read at a time, looking for bookmarks
_BOOKMARK = re.compile(rb'<w:bookmarkStart\b[^>]*?\bw:name="([^"]*)"')
_CREATED = re.compile(rb"/CreationDate\(D:\d{14}Z'\)")  # as LibreOffice writes it in UTC
_DIGEST = re.compile(rb"(?<=[</])[0-9A-F]{32}(?=[>\s])")  # /ID's two halves, /DocChecksum


class Pdf(Format):
    """The PDF format: register.pdf, and register.docx with its table of contents' pages."""

    name = "pdf"
    trial = False  # its templates are the DOCX format's (tried there); it needs LibreOffice
    supersedes = "docx"

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        self.docx = Docx(job)  # the DOCX is the docx format's own, only with the pages filled in

    def piece(self, activity: Activity, view: ActivityView) -> Any:
        return self.docx.piece(activity, view)

    def made_with(self) -> str:
        """LibreOffice's version: another one lays out, and numbers pages, differently."""
        run = subprocess.run(
            [_soffice(), "--version"], capture_output=True, text=True, timeout=120, check=False
        )
        return run.stdout.strip()

    def summary(self, piece: Any) -> Any:
        return self.docx.summary(piece)

    def assemble(
        self, view: RegisterView, pieces: Sequence[Any], summaries: Sequence[Any]
    ) -> Iterator[Output]:
        """``register.docx`` with the pages LibreOffice printed its bookmarks on, and the PDF."""
        soffice = _soffice()
        tables = [*pieces, self.docx.about(view)]  # the register's own section is one too
        xmls = [_xml(table) for table in tables]
        rows = [rows_of(xml) for xml in xmls]
        firsts = list(itertools.accumulate((len(r.starts) for r in rows), initial=FIRST_ID))
        words = view.labels["document"]["continued"]

        def render(continued: dict[int, frozenset[int]], pages: dict, marks: bool):
            *laid, about = [
                dataclasses.replace(
                    table,
                    xml=laid_out(
                        xml,
                        rows[i],
                        i,
                        continued.get(i, frozenset()),
                        words,
                        firsts[i] if marks else None,
                    ),
                    deflated=None,
                )
                for i, (table, xml) in enumerate(zip(tables, xmls, strict=True))
            ]
            return self.docx.register(view, laid, summaries, pages, about)

        with tempfile.TemporaryDirectory(prefix="ropa-pdf-") as folder:
            work = Path(folder)
            pages: dict[str, int] = {}
            continued: dict[int, frozenset[int]] = {}
            # The continued labels follow the layout while it moves; should they not settle
            # (a label that moves its own row), they are kept as they are and only the page
            # numbers are laid out again, which always settles.
            for layout in range(2 * LAYOUTS):
                name, docx = render(continued, pages, True)
                pdf = _print(soffice, name, docx, work)
                printed = _printed_pages(pdf, _bookmarks(docx), name)
                now = continued_rows(printed, len(tables), rows) if layout < LAYOUTS else continued
                printed = {k: v for k, v in printed.items() if not k.startswith(PREFIX)}
                if (printed, now) == (pages, continued):
                    break
                pages, continued = printed, now
            else:  # a bug: the page numbers alone settle in two layouts
                raise RuntimeError(f"{name}: the layout did not settle in {2 * LAYOUTS} layouts")
        name, docx = render(continued, pages, False)
        yield name, docx
        yield f"{view.stem}.pdf", reproducible(pdf, self.docx.created(view.role, view.provenance))


def _xml(piece: Any) -> str:
    """A table's XML, also where the cache kept only its deflated bytes."""
    if piece.xml or piece.deflated is None:
        return piece.xml
    return zlib.decompressobj(-zlib.MAX_WBITS).decompress(piece.deflated.data).decode()


def reproducible(pdf: bytes, created: dt.datetime) -> bytes:
    """LibreOffice's PDF with its clock date replaced by ``created`` and its random identifier
    by a digest of the rest, each in place (same length: the cross-reference table stays
    right)."""
    # LibreOffice's ``Z'`` is not quite the PDF's form (pypdf cannot read it); the space keeps
    # the length of the ``'`` that ``Z`` is written without.
    stamp = created.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ").encode()
    pdf = _CREATED.sub(lambda _: b"/CreationDate(" + stamp + b") ", pdf)
    head, mark, trailer = pdf.rpartition(b"trailer")
    blank = _DIGEST.sub(lambda m: b"0" * len(m[0]), trailer)
    digest = hashlib.md5(head + mark + blank, usedforsecurity=False).hexdigest().upper()
    return head + mark + _DIGEST.sub(lambda m: digest.encode()[: len(m[0])], trailer)


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise UserError(
            [
                Problem(
                    ".",
                    1,
                    1,
                    "no-libreoffice",
                    "--format pdf prints the register with LibreOffice, and there is no "
                    "`soffice` on PATH",
                    "install LibreOffice (Debian: libreoffice-writer-nogui) or drop --format pdf",
                )
            ]
        )
    return found


def _print(soffice: str, name: str, docx: bytes, work: Path) -> bytes:
    """The DOCX printed to PDF by LibreOffice, in ``work`` (with its own profile there).

    TZ=UTC: LibreOffice writes its date in local time, whose form (``Z`` or ``+01'00'``) would
    change the date's length; in UTC it is always the one :func:`reproducible` replaces.
    """
    source, target = work / name, (work / name).with_suffix(".pdf")
    source.write_bytes(docx)
    target.unlink(missing_ok=True)
    command = [
        soffice,
        f"-env:UserInstallation={(work / 'profile').resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nolockcheck",
        "--convert-to",
        _EXPORT,
        "--outdir",
        str(work),
        str(source),
    ]
    timeout = 600 + len(docx) // 1_000  # a guard against a hang: 1,000 s more per MB of DOCX
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "TZ": "UTC"},
        start_new_session=True,  # soffice starts soffice.bin: a hang ends the whole group
    ) as run:
        try:
            said, _ = run.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(run.pid, signal.SIGKILL)
            run.communicate()
            raise _failed(name, f"LibreOffice took more than {timeout} s to print it") from None
    # soffice exits 0 even when it could not convert: the PDF itself is the proof.
    if not target.is_file() or not target.read_bytes().startswith(b"%PDF-"):
        output = said.decode(errors="replace").strip() or "no output"
        raise _failed(name, f"LibreOffice did not print it (exit {run.returncode}: {output})")
    return target.read_bytes()


def _failed(name: str, what: str) -> UserError:
    return UserError(
        [
            Problem(
                ".",
                1,
                1,
                "pdf-failed",
                f"{name} could not be made a PDF: {what}",
                f"check that `soffice --headless --convert-to pdf {name}` works on this machine "
                "(no other LibreOffice dialog open), or drop --format pdf",
            )
        ]
    )


def _bookmarks(docx: bytes) -> list[str]:
    """The names of every bookmark in the DOCX's body, read as a stream (a register's body can
    be hundreds of megabytes)."""
    names, rest = [], b""
    with zipfile.ZipFile(io.BytesIO(docx)) as package, package.open("word/document.xml") as body:
        while chunk := body.read(_CHUNK):
            text = rest + chunk
            cut = text.rfind(b"<")  # a tag may go on in the next chunk: keep it for then
            names += _BOOKMARK.findall(text, 0, cut)
            rest = text[cut:]
        names += _BOOKMARK.findall(rest)
    return [unescape(name.decode(), {"&quot;": '"'}) for name in names]


def _printed_pages(pdf: bytes, bookmarks: list[str], name: str) -> dict[str, int]:
    """The page each bookmark was printed on, from the PDF's named destinations."""
    from pypdf import PdfReader  # only a PDF build needs it

    reader = PdfReader(io.BytesIO(pdf))
    where = {
        str(dest_name).lstrip("/"): reader.get_destination_page_number(dest) + 1
        for dest_name, dest in reader.named_destinations.items()
    }
    pages = {b: where[_destination(b)] for b in bookmarks if _destination(b) in where}
    if bookmarks and not pages:
        raise _failed(
            name,
            "LibreOffice exported no bookmarks, so the pages of the contents are unknown "
            "(--format pdf needs LibreOffice 7.4 or newer)",
        )
    return pages


def _destination(bookmark: str) -> str:
    """A bookmark's name as LibreOffice names its PDF destination: letters, digits and ``-``
    kept, any other character written as its code in hex (appendDestinationName in
    LibreOffice's vcl/source/gdi/pdfwriter_impl.cxx)."""
    out = []
    for char in bookmark:
        if char.isascii() and (char.isalnum() or char == "-"):
            out.append(char)
            continue
        code = ord(char)
        if 0 < (code >> 8) & 0xFF < 0x80:  # LibreOffice's high byte is a signed 8-bit value
            out.append(f"{(code >> 8) & 0xFF:02X}")
        out.append(f"{code & 0xFF:02X}")
    return "".join(out)
