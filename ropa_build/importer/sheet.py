"""Stage 1 of the spreadsheet import: an .xlsx or .csv file someone sent us, as rows of text.

An .xlsx is a zip of XML parts, hostile in the ways a .docx can be (:mod:`.package`): every part
is streamed once before openpyxl opens the file — its declared and its actual size capped (a zip
bomb), a DOCTYPE or an entity declaration refused (entity expansion, external entities; Excel
writes none), a part not in UTF-8 refused (a DOCTYPE could hide in UTF-16). Then openpyxl reads
the first sheet in read-only mode (streamed; ``data_only``: a formula cell gives the value Excel
last calculated, or nothing — a formula is never evaluated, and never imported as one).

A .csv is read with the csv module: UTF-8 with or without a BOM (what the CSV export writes, and
Excel's "CSV UTF-8"), comma, semicolon (Excel in a Danish locale) or tab, the field size capped.

Both are capped in rows and columns, so memory follows the caps, not the file; the one part
openpyxl holds whole, the shared strings, is capped on its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from ropa_build.errors import UserError
from ropa_build.importer.package import CHUNK, OLE2, chunks, first_bytes, refuse
from ropa_build.yaml_text import INVISIBLE

MAX_ROWS = 20_000
MAX_COLUMNS = 200
MAX_CELL = 100_000  # characters; Excel's own limit is 32,767
MAX_SHEET_BYTES = 256 << 20  # a part that is streamed (a sheet)
MAX_SHARED_BYTES = 64 << 20  # the shared strings, which openpyxl holds in memory
MAX_PARTS_BYTES = 512 << 20  # all the parts together, unpacked
MAX_CSV_BYTES = 64 << 20


def read_rows(path: Path) -> Iterator[list[str]]:
    """The first sheet's rows as text ("" for an empty cell), trailing empty cells dropped.

    A :class:`UserError` for a file that is not safe or not a spreadsheet; raised before the
    first row for the file as a whole, or as the rows are read for a cap reached."""
    if path.suffix.lower() == ".csv":
        return _capped(path, _csv_rows(path))
    return _capped(path, _xlsx_rows(path))


def _capped(path: Path, rows: Iterator[list[str]]) -> Iterator[list[str]]:
    for number, row in enumerate(rows, 1):
        if number > MAX_ROWS:
            raise _too_big(path, f"more than {MAX_ROWS} rows")
        if len(row) > MAX_COLUMNS and any(row[MAX_COLUMNS:]):
            raise _too_big(path, f"row {number} has more than {MAX_COLUMNS} columns")
        # characters no register may hold (NUL, bidi overrides, zero-width): never content
        row = [INVISIBLE.sub("", cell) for cell in row[:MAX_COLUMNS]]
        while row and not row[-1]:
            row.pop()
        if any(len(cell) > MAX_CELL for cell in row):
            raise _too_big(path, f"row {number} has a cell over {MAX_CELL} characters")
        yield row


def _too_big(path: Path, what: str) -> UserError:
    return refuse(
        path,
        "too-large",
        f"the sheet has {what}: refused (not a register, or one to split)",
        "split the register into several files",
    )


def _csv_rows(path: Path) -> Iterator[list[str]]:
    head = first_bytes(path)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise _too_big(path, f"more than {MAX_CSV_BYTES >> 20} MB")
    if head == OLE2 or head.startswith(b"PK"):
        raise refuse(
            path,
            "not-csv",
            "this is a workbook (.xlsx or .xls), not a CSV file",
            "name it .xlsx, or save the sheet as CSV UTF-8",
        )
    return _csv_reader(path)


def _csv_reader(path: Path) -> Iterator[list[str]]:
    csv.field_size_limit(MAX_CELL)
    with path.open("r", encoding="utf-8-sig", newline="") as file:
        try:
            sample = file.read(CHUNK)
            try:
                dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            file.seek(0)
            if file.read(1) != "\ufeff":
                file.seek(0)
            reader = csv.reader(file, delimiter=dialect.delimiter, quotechar='"', strict=True)
            for row in reader:
                yield [cell.strip("\r") for cell in row]
        except UnicodeDecodeError:
            raise refuse(
                path,
                "not-utf8",
                "the CSV file is not UTF-8",
                "save it from Excel as 'CSV UTF-8 (comma delimited)'",
            ) from None
        except csv.Error as error:
            raise refuse(
                path,
                "bad-csv",
                f"the CSV file cannot be read near line {reader.line_num}: {error}",
                'close the quote that opens a cell there (a quote inside a cell is written "")',
            ) from None


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    _check_package(path)
    return _workbook_rows(path)


def _check_package(path: Path) -> None:
    """Refuse what openpyxl should never see: not a zip, a bomb, a DOCTYPE, not UTF-8."""
    if first_bytes(path) == OLE2:
        raise refuse(
            path,
            "not-xlsx",
            "this is an Excel 97–2003 workbook (.xls) or a password-protected .xlsx",
            "open it in Excel and save it as .xlsx (Excel Workbook), without a password",
        )
    if not zipfile.is_zipfile(path):
        raise refuse(
            path,
            "not-xlsx",
            "this is not an Excel workbook (.xlsx): it is not a zip file",
            "save the sheet as .xlsx, or as CSV UTF-8 (.csv)",
        )
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if "xl/workbook.xml" not in {info.filename for info in infos}:
                raise refuse(
                    path,
                    "not-xlsx",
                    "the zip holds no xl/workbook.xml, so it is not an Excel workbook",
                    "save the sheet as .xlsx, or as CSV UTF-8 (.csv)",
                )
            if sum(info.file_size for info in infos) > MAX_PARTS_BYTES:
                raise _too_big(path, f"parts that unpack to more than {MAX_PARTS_BYTES >> 20} MB")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    _scan(package, info.filename, path)
    except zipfile.BadZipFile as error:
        raise refuse(path, "not-xlsx", f"the zip file is damaged: {error}", "") from None


def _scan(package: zipfile.ZipFile, name: str, path: Path) -> None:
    """Stream the part: refused past its cap, for a DOCTYPE or ENTITY, or if not UTF-8."""
    tail = b""
    limit = MAX_SHARED_BYTES if name.endswith("sharedStrings.xml") else MAX_SHEET_BYTES
    for number, block in enumerate(chunks(package, name, path, limit)):
        if number == 0 and (block.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\0" in block[:64]):
            raise refuse(
                path,
                "unsafe-xml",
                f"{name} is not UTF-8 XML, which Excel always writes: refused",
                "open the file in Excel and save it again as .xlsx",
            )
        window = tail + block
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise refuse(
                path,
                "unsafe-xml",
                f"{name} declares a DOCTYPE or an entity, which Excel never writes (entity "
                "expansion or external entities): refused",
                "open the file in Excel and save it again as .xlsx",
            )
        tail = window[-16:]


def _workbook_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise refuse(path, "not-xlsx", f"the workbook cannot be read: {error}", "") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return
        for row in sheet.iter_rows(values_only=True):
            yield [_text(value) for value in row[: MAX_COLUMNS + 1]]
    except (KeyError, ValueError, zipfile.BadZipFile) as error:  # a damaged sheet part
        raise refuse(path, "not-xlsx", f"the sheet cannot be read: {error}", "") from None
    finally:
        book.close()


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescaped(match: re.Match) -> str:
    """openpyxl turns Excel's ``_xHHHH_`` escapes into their characters, except those XML 1.0
    cannot hold (``_x0000_``, ``_x0007_``): those are no text, so they go."""
    return "" if INVISIBLE.match(chr(int(match[1], 16))) else match[0]


def _text(value) -> str:
    """A cell's value as the text a register holds: a date as ISO, 2.0 as "2"; an escaped
    control character left by openpyxl dropped."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return (value.date() if value.time() == dt.time() else value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = _EXCEL_ESCAPE.sub(_unescaped, str(value))
    return text.replace("\r\n", "\n").replace("\r", "\n")
