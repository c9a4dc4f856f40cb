"""``ropa import FILE.xlsx|FILE.csv``: the ICO's spreadsheet layout in, a register out.

Round trips export the example register with ``ropa build --format xlsx`` / ``csv``, import it,
export again and compare the sheets cell by cell: what the ICO profile carries comes back. A
sheet ropa-build did not write is made here with XlsxWriter, its headings verbatim from the
ICO's template; hostile files are made here too (no binaries kept).
"""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import import_fixtures as fx
import pytest
import yaml
from conftest import REPO, TODAY

from ropa_build.importer import sheet


def _cells(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def _export(ropa, root: Path, out: Path, lang: str, *formats: str) -> Path:
    flags = [x for f in formats for x in ("--format", f)]
    result = ropa("build", "--root", root, "--out", out, "--lang", lang, "--today", TODAY, *flags)
    assert result.code == 0
    return out


def _yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_ico_export_imports_and_exports_to_the_same_cells(ropa, tmp_path, lang, kind):
    built = _export(ropa, REPO, tmp_path / "built", lang, kind, "csv")
    sheets = sorted(built.glob(f"register-ico-*.{kind}"))
    assert [p.stem for p in sheets] == ["register-ico-controller", "register-ico-processor"]
    into = tmp_path / "imported"
    result = ropa("import", *sheets, "--into", into)
    assert result.code == 0
    assert len(list((into / "records").glob("*.yaml"))) == len(list((REPO / "records").glob("*")))
    again = _export(ropa, into, tmp_path / "again", lang, "csv")
    for name in ("register-ico-controller.csv", "register-ico-processor.csv"):
        assert _cells(again / name) == _cells(built / name), name
    organisation = _yaml(into / "organisation.yaml")
    if kind == "xlsx":  # the contact block above the rows (a CSV has none)
        example = _yaml(REPO / "organisation.yaml")
        assert organisation["controller"] == example["controller"]
        assert organisation["dpo"] == example["dpo"]
        assert organisation["representative"] == example["representative"]
    else:
        assert organisation["controller"]["name"].startswith("TODO(import)")
    assert ropa("check", "--root", into).code == 0  # warnings only


def test_a_rerun_changes_nothing_and_nothing_is_overwritten(ropa, tmp_path):
    built = _export(ropa, REPO, tmp_path / "built", "da", "csv")
    source = built / "register-ico-controller.csv"
    into = tmp_path / "imported"
    assert ropa("import", source, "--into", into).code == 0
    again = ropa("import", source, "--into", into)
    assert again.code == 0 and "wrote 0 file(s)" in again.stderr
    record = next((into / "records").glob("*.yaml"))
    record.write_text(record.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    clash = ropa("import", source, "--into", into)
    assert clash.code == 1 and "would-overwrite" in clash.stderr
    assert record.read_text(encoding="utf-8").endswith("# mine\n")


# Headings verbatim from the ICO's documentation_controller_template.xlsx (sheet "Template"),
# some as people retype them: another case, doubled spaces, a typographic apostrophe.
ICO_HEADINGS = [
    "Business function",
    "Purpose of processing",
    "Name and contact details of joint controller (if applicable)",
    "Categories of  individuals",
    "CATEGORIES OF PERSONAL DATA",
    "Categories of recipients",
    "Link to contract with processor",
    "Names of third countries or international organisations that personal data are "
    "transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or "
    "international organisations (if applicable)",
    "Retention schedule (if possible)",
    "General description of technical and organisational security measures (if possible)",
    "Article 6 lawful basis for processing personal data",
    "Article 9 condition for processing special category data",
    "Legitimate interests for the processing (if applicable)",
    "Rights available to individuals",
    "Our notes",  # a column of the sheet's own, no profile has it
]


def _hand_made(path: Path) -> Path:
    """An ICO-like workbook typed by a person: the contact block, then one row per activity ×
    category of individuals, the activity's cells merged down its rows; a formula."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet_ = book.add_worksheet("Template")
    sheet_.write_row(2, 1, ["Name", "Address", "Email", "Telephone"])
    sheet_.write_row(3, 0, ["Controller", "Acme Ltd", "1 High Street, York", "info@acme.example"])
    sheet_.write_row(4, 0, ["Data Protection Officer", "Jo Bloggs", "", "dpo@acme.example"])
    sheet_.write_row(8, 0, ICO_HEADINGS)
    merged = book.add_format({"text_wrap": True})
    sheet_.merge_range(9, 0, 10, 0, "HR", merged)
    sheet_.merge_range(9, 1, 10, 1, "Payroll\n\nPaying staff and keeping payroll records.", merged)
    sheet_.write_row(
        9,
        3,
        ["Employees", "Identification data, including name, address, telephone number and e-mail"],
    )
    sheet_.write_row(10, 3, ["Former employees", "Bank details and salary history"])
    sheet_.write(9, 5, "Payroll bureau, HMRC")
    sheet_.write(9, 7, "United States")
    sheet_.write(9, 9, "6 years after the end of the tax year")
    sheet_.write_string(9, 10, '=HYPERLINK("http://evil.example")')  # text, not a formula
    sheet_.write(9, 11, "Contract (Article 6(1)(b)) and legal obligation")
    sheet_.write(9, 14, "Access and erasure")
    sheet_.write_formula(9, 15, '=CONCATENATE("ca","lc")', None, "cached value")
    sheet_.write(11, 1, "Recruitment")
    sheet_.write(11, 3, "Applicants")
    book.close()
    return path


def test_a_hand_made_ico_sheet_imports_into_the_structure(ropa, tmp_path):
    into = tmp_path / "imported"
    result = ropa("import", _hand_made(tmp_path / "ico.xlsx"), "--into", into)
    assert result.code == 0
    organisation = _yaml(into / "organisation.yaml")
    assert organisation["controller"] == {
        "name": "Acme Ltd",
        "address": "1 High Street, York",
        "email": ["info@acme.example"],
    }
    assert organisation["dpo"] == {"name": "Jo Bloggs", "email": ["dpo@acme.example"]}
    payroll = _yaml(into / "records" / "payroll.yaml")
    assert (payroll["title"], payroll["owner"], payroll["role"]) == ("Payroll", "HR", "controller")
    assert payroll["purposes"].startswith("Paying staff and keeping payroll records.")
    groups = payroll["data_subjects"]["groups"]
    assert [(g["name"], g["categories"]) for g in groups] == [
        ("Employees", ["identification"]),
        ("Former employees", []),
    ]
    assert groups[1]["details"] == "Bank details and salary history"  # not a category it knows
    assert payroll["lawful_basis"]["art6"] == ["b", "c"]
    assert payroll["retention"] == {"description": "6 years after the end of the tax year"}
    assert payroll["security"] == '=HYPERLINK("http://evil.example")'  # text, as typed
    assert payroll["transfers"]["items"][0]["country"] == "US"
    # the formula's cached value is read (never the formula); a column with no field is kept
    text = (into / "records" / "payroll.yaml").read_text(encoding="utf-8")
    assert "cached value" in payroll["purposes"] and "CONCATENATE" not in text
    assert "# TODO(import): 'Rights available to individuals' (row 10, column O)" in text
    assert "# TODO(import): 'Our notes' (row 10, column P) has no field: kept here" in text
    assert "**Rights available to individuals:**\n\nAccess and erasure" in payroll["purposes"]
    assert _yaml(into / "records" / "recruitment.yaml")["data_subjects"]["groups"][0]["name"] == (
        "Applicants"
    )
    assert "Rights available to individuals" in result.stdout  # in the report, unmapped
    check = ropa("check", "--root", into)
    assert check.code == 0 and "Traceback" not in check.stderr


def test_a_danish_excel_csv_with_semicolons_and_a_bom_imports(ropa, tmp_path):
    path = tmp_path / "ico.csv"
    rows = [["Forretningsområde", "Formålet med behandlingen", "Kategorier af registrerede"]]
    rows.append(["Økonomi", "Løn\n\nUdbetaling af løn.", "Medarbejdere"])
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)
    into = tmp_path / "imported"
    assert ropa("import", path, "--into", into).code == 0
    record = _yaml(into / "records" / "loen.yaml")
    assert (record["owner"], record["purposes"]) == ("Økonomi", "Udbetaling af løn.")
    assert record["data_subjects"]["groups"][0]["name"] == "Medarbejdere"


def test_each_rows_safeguard_goes_with_that_rows_transfer(ropa, tmp_path):
    """One row per activity × category, each naming its own destination: the same safeguard
    text in both rows is each transfer's, not merged into the first one's."""
    path = tmp_path / "ico.csv"
    purpose, countries, safeguards = (
        "Purpose of processing",
        "Name of third country or international organisation that personal data are transferred "
        "to (if applicable)",
        "Safeguards for exceptional transfers of personal data to third countries or "
        "international organisations (if applicable)",
    )
    rows = [[purpose, countries, safeguards]]
    rows.append(["Support", "United States (US): Zendesk", "Standard contractual clauses"])
    rows.append(["", "India (IN): Freshdesk", "Standard contractual clauses"])
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    into = tmp_path / "imported"
    assert ropa("import", path, "--into", into).code == 0
    (record,) = [_yaml(p) for p in (into / "records").glob("*.yaml")]
    items = record["transfers"]["items"]
    assert [(i["country"], i["recipient"]) for i in items] == [
        ("US", "Zendesk"),
        ("IN", "Freshdesk"),
    ]
    assert all("Standard contractual clauses" in str(i) for i in items), items


def test_headings_without_rows_or_a_document_without_tables_is_an_error(ropa, tmp_path):
    """Nothing to import is said, file by file, and nothing is written (not an empty
    register)."""
    sheet = tmp_path / "ico.csv"
    sheet.write_text("Purpose of processing,Business function\n", encoding="utf-8")
    import docx

    blank = tmp_path / "blank.docx"
    docx.Document().save(str(blank))
    into = tmp_path / "imported"
    result = ropa("import", sheet, blank, "--into", into)
    assert result.code == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[:2] == [
        "blank.docx:1:1: error[no-activities]: the document holds no activity table in "
        "Datatilsynet's layout — import the register's Word file (one table per activity: "
        "section label, description, content, checklist column)",
        "ico.csv:1:1: error[no-activities]: the sheet has its headings but no activity in the "
        "rows below them — fill in one row per activity below the headings",
    ]
    assert not into.exists()


def test_invisible_characters_and_excel_escapes_do_not_reach_the_record(ropa, tmp_path):
    """Control characters are dropped (ropa check would refuse the record): a NUL in a CSV
    cell, and Excel's escapes of them in a workbook (_x0000_, _x0007_)."""
    import xlsxwriter

    path = tmp_path / "ico.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Purpose of processing", "Business function"])
    sheet.write_row(1, 0, ["Support", "Salg"])
    book.close()
    with zipfile.ZipFile(path) as package:
        parts = {n: package.read(n) for n in package.namelist()}
    for name, data in parts.items():
        parts[name] = data.replace(b">Support<", b">Sup_x0000_po_x0007_rt<")
    _workbook(path, parts)
    into = tmp_path / "imported"
    assert ropa("import", path, "--into", into).code == 0
    (record,) = [_yaml(p) for p in (into / "records").glob("*.yaml")]
    assert record["owner"] == "Salg"
    assert record["title"] == "Support"
    assert ropa("check", "--root", into).code == 0
    csv_file = tmp_path / "ico.csv"
    csv_file.write_text("Purpose of processing,Business function\nSupport,Sa\x00lg\n", "utf-8")
    again = tmp_path / "again"
    assert ropa("import", csv_file, "--into", again).code == 0
    (record,) = [_yaml(p) for p in (again / "records").glob("*.yaml")]
    assert record["owner"] == "Salg"


def test_a_csv_with_an_open_quote_is_refused_at_its_line(ropa, tmp_path):
    path = tmp_path / "ico.csv"
    path.write_text('Purpose of processing,Business function\nSupport,Salg\n"open,x\n', "utf-8")
    result = ropa("import", path, "--into", tmp_path / "imported")
    assert result.code == 1 and not (tmp_path / "imported").exists()
    assert "error[bad-csv]: the CSV file cannot be read near line 3" in result.stderr


# --- hostile files --------------------------------------------------------------------------


def _workbook(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return path


_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_BOOK = b'<?xml version="1.0"?><workbook xmlns="' + _MAIN + b'"/>'


def _hostile(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.xlsx"
    if kind == "not-a-zip":
        path.write_text("Purpose of processing,Business function\n", encoding="utf-8")
    elif kind == "xls":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    elif kind == "no-workbook":
        _workbook(path, {"word/document.xml": b"<x/>"})
    elif kind == "entity":
        laughs = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaa">]><sst>&a;</sst>'
        _workbook(path, {"xl/workbook.xml": _BOOK, "xl/sharedStrings.xml": laughs})
    elif kind == "utf16":
        _workbook(path, {"xl/workbook.xml": "<workbook/>".encode("utf-16")})
    elif kind == "zip-bomb":
        _workbook(path, {"xl/workbook.xml": _BOOK, "xl/worksheets/sheet1.xml": b" " * (3 << 20)})
    elif kind == "huge-sheet":
        return _huge(folder / "huge.csv")
    elif kind == "not-utf8":
        path = folder / "latin1.csv"
        path.write_bytes("Formålet med behandlingen\nLøn\n".encode("latin-1"))
    elif kind == "unknown-layout":
        path = folder / "other.csv"
        path.write_text("Name,Colour\nAlice,Blue\n", encoding="utf-8")
    return path


def _huge(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Business function", "Purpose of processing"])
        writer.writerows([["HR", f"Activity {n}"] for n in range(300)])
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("not-a-zip", "not a zip file"),
        ("xls", "save it as .xlsx"),
        ("no-workbook", "no xl/workbook.xml"),
        ("entity", "DOCTYPE"),
        ("utf16", "not UTF-8 XML"),
        ("zip-bomb", "unpacks to more than 1 MB"),
        ("huge-sheet", "more than 200 rows"),
        ("not-utf8", "not UTF-8"),
        ("unknown-layout", "column headings of a known profile"),
    ],
)
def test_hostile_sheets_are_refused_with_a_message(ropa, tmp_path, monkeypatch, kind, message):
    monkeypatch.setattr(sheet, "MAX_SHEET_BYTES", 1 << 20)  # the bomb need not be large
    monkeypatch.setattr(sheet, "MAX_ROWS", 200)
    result = ropa("import", _hostile(kind, tmp_path), "--into", tmp_path / "imported")
    assert result.code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "imported").exists()


def test_every_bad_sheet_is_reported_in_one_run(ropa_process, tmp_path):
    files = [_hostile(kind, tmp_path) for kind in ("not-a-zip", "xls", "entity", "not-utf8")]
    result = ropa_process("import", *files, "--into", tmp_path / "imported")
    assert result.code == 1
    assert result.stderr.count("error[") == 4 and "Traceback" not in result.stderr


def test_the_golden_register_sheet_round_trips(ropa, register, tmp_path):
    """The golden register has explicit states in transfers, a link whose address is
    percent-encoded and a shared statement followed by the activity's own text (a paragraph
    apart): every cell comes back."""
    root = register(REPO / "tests/golden/register").root
    built = _export(ropa, root, tmp_path / "built", "da", "xlsx", "csv")
    into = tmp_path / "imported"
    assert ropa("import", built / "register-ico-controller.xlsx", "--into", into).code == 0
    again = _export(ropa, into, tmp_path / "again", "da", "csv")
    before, after = (_cells(d / "register-ico-controller.csv") for d in (built, again))
    assert after == before
    # and into the structure, not only the same text: a rule about backups by their kind,
    # a rule's detail (counted from, method, statute) as its fields
    (record,) = [_yaml(p) for p in (into / "records").glob("*.yaml")]
    original = _yaml(root / "records" / "kunder.yaml")
    assert record["retention"]["rules"] == original["retention"]["rules"]


def test_a_large_workbook_is_read_in_bounded_memory(tmp_path):
    """20,000 rows of 30 long cells (about 65 MB of text): read-only openpyxl streams the sheet,
    so reading adds little to what starting Python costs (measured: 10 MB)."""
    import xlsxwriter

    path = tmp_path / "big.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    page = book.add_worksheet()
    for row in range(20_000):
        page.write_row(row, 0, [f"{row} {column} " + "x" * 100 for column in range(30)])
    book.close()

    rows, added = fx.peak_memory("ropa_build.importer.sheet.read_rows", path)
    assert rows == 20_000
    assert added < 40  # MB; holding the rows would take several hundred


def test_a_hand_made_ico_processor_sheet_imports(ropa, tmp_path):
    """The ICO's processor template: "Processor" in the contact block is the organisation, a
    typographic apostrophe in a heading, the controllers and sub-processors one a line."""
    import xlsxwriter

    path = tmp_path / "processor.xlsx"
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet()
    page.write_row(1, 1, ["Name", "Address", "Email", "Telephone"])
    page.write_row(2, 0, ["Processor", "Host Ltd", "2 Low Road, Leeds", "", "0113 496 0000"])
    headings = [
        "Name and contact details of controller",
        "Name and contact details of controller\u2019s representative (if applicable)",
        "Processing activity",
        "Categories of processing",
        "Sub-processors",
    ]
    page.write_row(5, 0, headings)
    page.write_row(6, 0, ["Shop Ltd\ninfo@shop.example", "", "Hosting", "Storage and backup"])
    page.write(6, 4, "Cloud Co (servers)\nBackup Co")
    book.close()
    into = tmp_path / "imported"
    assert ropa("import", path, "--into", into).code == 0
    organisation = _yaml(into / "organisation.yaml")
    assert organisation["controller"]["name"] == "Host Ltd"
    record = _yaml(into / "records" / "hosting.yaml")
    assert record["role"] == "processor" and "purposes" not in record  # the title only
    assert record["controllers"] == [{"name": "Shop Ltd", "email": ["info@shop.example"]}]
    assert record["processing"] == "Storage and backup"
    catalogue = _yaml(into / "catalogue.yaml")["systems"]
    assert [
        (catalogue[u["ref"]]["name"], catalogue[u["ref"]]["kind"])
        for u in record["recipients"]["processors"]
    ] == [
        ("Cloud Co", "processor"),
        ("Backup Co", "processor"),
    ]
