"""The exports (``--format xlsx``, ``csv``, ``json``), read back the way their readers read them.

XLSX through openpyxl (cell types, frozen header, sheet names) and through LibreOffice Calc
(``soffice --convert-to csv``: what a spreadsheet user sees), CSV through Python's csv module,
JSON against its published schema. A hostile value in a record must reach every spreadsheet as
text, never as a formula; the same inputs must give the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from clients import require_client
from lxml import etree
from test_determinism import build

from ropa_build.models import Record
from ropa_build.render.cells import FORMULA_LEADS
from ropa_build.render.json_export import schema_text
from ropa_build.render.profiles import FieldName, Profile
from ropa_build.render.xlsx import CELL_LIMIT, cut, sheet_name

REPO = Path(__file__).resolve().parents[1]
XSD = Path("/work/shared/ooxml-xsd")  # ECMA-376 schemas, shared with the DOCX validation
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TODAY = "2026-11-25"

# The ICO's controller template, sheet "Template", row 9, columns A–AD (ico.org.uk,
# documentation_controller_template.xlsx), typed here from the ICO's workbook: the profile file
# must say exactly this, in this order.
ICO_CONTROLLER = [
    "Business function",
    "Purpose of processing",
    "Name and contact details of joint controller (if applicable)",
    "Categories of individuals",
    "Categories of personal data",
    "Categories of recipients",
    "Link to contract with processor",
    "Names of third countries or international organisations that personal data are "
    "transferred to (if applicable)",
    "Safeguards for exceptional transfers of personal data to third countries or international "
    "organisations (if applicable)",
    "Retention schedule (if possible)",
    "General description of technical and organisational security measures (if possible)",
    "Article 6 lawful basis for processing personal data",
    "Article 9 condition for processing special category data",
    "Legitimate interests for the processing (if applicable)",
    "Link to record of legitimate interests assessment (if applicable)",
    "Rights available to individuals",
    "Existence of automated decision-making, including profiling (if applicable)",
    "The source of the personal data (if applicable)",
    "Link to record of consent",
    "Location of personal data",
    "Data Protection Impact Assessment required?",
    "Data Protection Impact Assessment progress",
    "Link to Data Protection Impact Assessment",
    "Has a personal data breach occurred?",
    "Link to record of personal data breach",
    "Data Protection Act 2018 Schedule 1 Condition for processing",
    "GDPR Article 6 lawful basis for processing",
    "Link to retention and erasure policy document",
    "Is personal data retained and erased in accordance with the policy document?",
    "Reasons for not adhering to policy document (if applicable)",
]

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1", "-1+1", "@SUM(A1)", "\tcalc", "=1+1"]


def _titles(role: str) -> list[str]:
    """The example register's activity titles of ``role``, read from the YAML itself."""
    titles = []
    for path in sorted((REPO / "records").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if re.search(rf"^role: {role}$", text, re.M):
            titles.append(re.search(r"^title: (.+)$", text, re.M).group(1))
    return titles


def _build(ropa, root: Path, out: Path, *formats: str, lang: str = "en") -> Path:
    result = ropa("build", "--root", root, "--out", out, "--format", *formats, "--lang", lang)
    assert result.code == 0, result.stderr
    return out


def _header(sheet) -> tuple[int, list[str]]:
    """The row of the column headings (the frozen one) and its texts."""
    top = int(re.match(r"[A-Z]+(\d+)", sheet.freeze_panes).group(1)) - 1
    return top, [c.value for c in sheet[top]]


def _with_hostile_records(register) -> Path:
    """The example register plus one controller record per hostile value, as title and owner."""
    reg = register()
    base = (REPO / "records" / "nyhedsbrev.yaml").read_text(encoding="utf-8")
    for number, value in enumerate(HOSTILE):
        text = base.replace("title: Nyhedsbrev\n", f"title: {json.dumps(value)}\n")
        text = text.replace("owner: Marketing\n", f"owner: {json.dumps(value)}\n")
        reg.write(f"records/hostile-{number}.yaml", text)
    return reg.root


# --- XLSX -------------------------------------------------------------------------------------


def test_ico_controller_workbook_holds_every_controller_activity(ropa, register, tmp_path):
    out = _build(ropa, register().root, tmp_path / "out", "xlsx")
    book = openpyxl.load_workbook(out / "register-ico-controller.xlsx")
    sheet = book.worksheets[0]
    top, headings = _header(sheet)
    assert headings == ICO_CONTROLLER
    assert sheet.cell(1, 1).value == "Controller record of processing activities"
    block = [[c.value for c in row] for row in sheet.iter_rows(min_row=2, max_row=top)]
    assert block[2][:2] == ["Controller", "MarketingPlatform ApS"]  # the contact block, on top
    assert any(row[0] == "Data Protection Officer" and row[1] for row in block)
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=top + 1)]
    purposes = [row[1].split("\n")[0] for row in rows]
    assert purposes == _titles("controller")  # one row per activity, in the register's order
    recruiting = rows[purposes.index("Rekruttering")]
    assert "\n" in recruiting[4]  # lists joined with line breaks inside the cell
    assert sheet.cell(top + 2, 2).alignment.wrap_text
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width
    assert sheet.auto_filter.ref  # the header row filters


def test_danish_headings_with_lang_da(ropa, register, tmp_path):
    out = _build(ropa, register().root, tmp_path / "out", "xlsx", lang="da")
    sheet = openpyxl.load_workbook(out / "register-ico-controller.xlsx").worksheets[0]
    _, headings = _header(sheet)
    assert headings[:2] == ["Forretningsområde", "Formålet med behandlingen"]
    assert sheet.title == "Dataansvarlig"


def test_processor_and_cnil_workbooks(ropa, register, tmp_path):
    out = _build(ropa, register().root, tmp_path / "out", "xlsx")
    processor = openpyxl.load_workbook(out / "register-ico-processor.xlsx").worksheets[0]
    top, headings = _header(processor)
    assert headings[0] == "Name and contact details of controller"
    titles = [row[2].value.split("\n")[0] for row in processor.iter_rows(min_row=top + 1)]
    assert titles == _titles("processor")
    cnil = openpyxl.load_workbook(out / "register-cnil.xlsx")
    summary = cnil.worksheets[0]
    top, _ = _header(summary)
    listed = [row[0].value for row in summary.iter_rows(min_row=top + 1)]
    assert listed == _titles("controller")
    assert len(cnil.worksheets) == 1 + len(listed)  # a summary, then one sheet per activity
    assert all(len(name) <= 31 for name in cnil.sheetnames)
    first = cnil.worksheets[1]
    assert first["A1"].value == listed[0]
    assert [first.cell(r, 1).value for r in (3, 4)] == [
        "Name of the activity",
        "Date of last update",
    ]


def test_only_profiles_whose_role_the_register_has(ropa, register, tmp_path):
    reg = register()
    for path in (reg.root / "records").glob("*.yaml"):
        if "role: processor" in path.read_text(encoding="utf-8"):
            path.unlink()
    out = _build(ropa, reg.root, tmp_path / "out", "xlsx", "csv")
    names = sorted(p.name for p in out.glob("register-*"))
    assert "register-ico-processor.xlsx" not in names
    assert {"register-ico-controller.xlsx", "register-cnil.xlsx"} <= set(names)


def test_a_hostile_value_reaches_the_workbook_as_text(ropa, register, tmp_path):
    out = _build(ropa, _with_hostile_records(register), tmp_path / "out", "xlsx")
    for name in ("register-ico-controller.xlsx", "register-cnil.xlsx"):
        book = openpyxl.load_workbook(out / name)
        found = {}
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_LEADS):
                        found.setdefault(cell.value, []).append(cell)
        for value in HOSTILE:
            cells = found.get(value, [])
            assert cells, f"{value!r} missing from {name}"
            for cell in cells:
                assert cell.data_type == "s", (name, cell.coordinate, cell.data_type)
                assert cell.quotePrefix  # editing the cell in Excel keeps it text
    with zipfile.ZipFile(out / "register-ico-controller.xlsx") as package:
        sheets = [n for n in package.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in package.read(n) for n in sheets)  # no formula anywhere


def test_calc_shows_hostile_values_literally_and_every_activity(ropa, register, tmp_path):
    out = _build(ropa, _with_hostile_records(register), tmp_path / "out", "xlsx")
    text = _calc_csv(out / "register-ico-controller.xlsx", tmp_path)
    rows = list(csv.reader(io.StringIO(text)))
    cells = {cell for row in rows for cell in row}
    for value in HOSTILE:
        assert value in cells, f"LibreOffice did not show {value!r} as written"
    assert "x" not in cells and "2" not in cells  # no formula was evaluated
    firsts = {cell.split("\n")[0] for row in rows for cell in row}
    assert set(_titles("controller")) <= firsts


def test_a_value_over_the_cell_limit_is_cut_with_a_note(ropa, register, tmp_path):
    reg = register()
    reg.patch(
        "records/rekruttering.yaml", "\nsecurity: |\n", "\nsecurity: |\n  " + "å" * 40_000 + "\n"
    )
    out = _build(ropa, reg.root, tmp_path / "out", "xlsx")
    sheet = openpyxl.load_workbook(out / "register-ico-controller.xlsx").worksheets[0]
    top, headings = _header(sheet)
    column = headings.index(ICO_CONTROLLER[10]) + 1
    values = [sheet.cell(r, column).value or "" for r in range(top + 1, sheet.max_row + 1)]
    long = max(values, key=len)
    assert len(long) <= CELL_LIMIT
    assert long.startswith("å" * 1000) and long.endswith("the full text is in the record.]")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_cut_counts_as_excel_does():
    note = "[cut: {more} more]"
    assert cut("short", note) == "short"
    emoji = "😀" * 20_000  # two UTF-16 units each: 40,000 as Excel counts
    cut_text = cut(emoji, note)
    assert len(cut_text.encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert cut_text.endswith(f"[cut: {20_000 - cut_text.count('😀')} more]")


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    names = []
    wanted_names = ["A/B: [x]*?\\", "x" * 40, "x" * 40, "'quoted'", "History", "", "X" * 40]
    for wanted in [*wanted_names, "🔒 Sikker behandling 👍🏽 👨‍👩‍👧 🇩🇰"]:
        name = sheet_name(wanted, taken)
        taken.add(name.casefold())
        names.append(name)
    assert names[0] == "A B   x"
    assert all(_utf16(n) <= 31 and not re.search(r"[\[\]:*?/\\]", n) for n in names)
    assert len({n.casefold() for n in names}) == len(names)  # unique, as Excel compares
    assert names[2].endswith(" (2)") and names[6].endswith(" (3)")
    assert names[3] == "quoted" and names[4] != "History" and names[5] == "Sheet"


@pytest.mark.skipif(not (XSD / "sml.xsd").is_file(), reason="ECMA-376 schemas not in " + str(XSD))
def test_workbook_parts_are_valid_spreadsheetml(ropa, register, tmp_path):
    out = _build(ropa, _with_hostile_records(register), tmp_path / "out", "xlsx")
    schemas = {
        "sml": etree.XMLSchema(etree.parse(str(XSD / "sml.xsd"))),
        "types": etree.XMLSchema(etree.parse(str(XSD / "opc-xsd/opc-contentTypes.xsd"))),
        "rels": etree.XMLSchema(etree.parse(str(XSD / "opc-xsd/opc-relationships.xsd"))),
        "app": etree.XMLSchema(etree.parse(str(XSD / "shared-documentPropertiesExtended.xsd"))),
    }
    checked = 0
    for book in sorted(out.glob("*.xlsx")):
        with zipfile.ZipFile(book) as package:
            for part in package.namelist():
                kind = _schema_of(part)
                if kind is None:
                    continue
                schema, tree = schemas[kind], etree.fromstring(package.read(part))
                # xml:space="preserve" on <t>: what Excel itself writes, and readers expect, though
                # the schema's ST_Xstring type has no attributes; the one known departure.
                for node in tree.iter(f"{{{SML}}}t"):
                    node.attrib.pop(XML_SPACE, None)
                assert schema.validate(tree), f"{book.name}:{part}: {schema.error_log.last_error}"
                checked += 1
    assert checked >= 3 * 7


def _schema_of(part: str) -> str | None:
    if part == "[Content_Types].xml":
        return "types"
    if part.endswith(".rels"):
        return "rels"
    if part == "docProps/app.xml":
        return "app"
    return "sml" if part.startswith("xl/") and part.endswith(".xml") else None


# --- CSV --------------------------------------------------------------------------------------


def test_csv_matches_the_workbook_and_is_excel_friendly(ropa, register, tmp_path):
    out = _build(ropa, _with_hostile_records(register), tmp_path / "out", "xlsx", "csv")
    data = (out / "register-ico-controller.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert data.endswith(b"\r\n") and data.count(b"\r\n") == len(_titles("controller")) + 7
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    sheet = openpyxl.load_workbook(out / "register-ico-controller.xlsx").worksheets[0]
    top, headings = _header(sheet)
    assert rows[0] == headings
    expected = [
        [("'" + v if v.startswith(FORMULA_LEADS) else v) for v in (c.value or "" for c in row)]
        for row in sheet.iter_rows(min_row=top + 1)
    ]
    assert rows[1:] == expected  # a line break inside a cell stays inside its quotes
    owners = {row[0] for row in rows[1:]}
    assert {"'" + value for value in HOSTILE} <= owners  # OWASP: quoted, shown as text


# --- JSON -------------------------------------------------------------------------------------


def test_json_is_the_register_and_valid_against_its_schema(ropa, register, tmp_path):
    reg = register()
    out = _build(ropa, reg.root, tmp_path / "out", "json")
    document = json.loads((out / "register.json").read_text(encoding="utf-8"))
    schema = json.loads((REPO / "schema" / "register-export.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    ids = [entry["id"] for entry in document["activities"]]
    assert ids == sorted(p.stem for p in (reg.root / "records").glob("*.yaml"))
    for entry in document["activities"]:  # every field survives: the record reads back equal
        assert (
            Record.model_validate(entry["record"]).model_dump()
            == Record.model_validate(_yaml(reg.root / entry["file"])).model_dump()
        )
    assert document["organisation"]["controller"]["name"] == "MarketingPlatform ApS"
    broken = {**document, "activities": [{"id": "x"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def _yaml(path: Path):
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_published_json_schema_is_current():
    published = (REPO / "schema" / "register-export.schema.json").read_text(encoding="utf-8")
    assert published == schema_text(), "run: python -m ropa_build.render.json_export"


# --- profiles are user input ------------------------------------------------------------------


def test_every_field_a_profile_may_name_has_a_value():
    from ropa_build.render.cells import _Cells

    names = FieldName.__args__
    assert all(hasattr(_Cells, f"_{name}") for name in names)


def test_a_broken_user_profile_is_a_user_error_at_its_line(ropa, register, tmp_path):
    reg = register()
    reg.write(
        "templates/profiles/mine.yaml",
        """
        title: {en: Mine}
        sheet: {en: Mine}
        roles: [controller]
        columns:
          - {value: title, heading: {en: Title}}
          - {value: purpose, heading: {en: Purposes}}
        """,
    )
    for command in ("check", "build"):
        result = ropa(
            command, "--root", reg.root, *(["--out", tmp_path / "o"] * (command == "build"))
        )
        assert result.code == 1
        assert "templates/profiles/mine.yaml:6:" in result.stderr + result.stdout
        assert "did you mean 'purposes'?" in result.stderr + result.stdout
    assert not (tmp_path / "o").exists()


def test_every_profile_mistake_is_reported_in_one_run(ropa, register):
    reg = register()
    reg.write(
        "templates/profiles/danish-only.yaml",
        """
        title: {da: Kun dansk}
        sheet: {en: X}
        roles: [controller]
        columns: [{value: title, heading: {en: Title}}]
        """,
    )
    reg.write(
        "templates/profiles/no-summary.yaml",
        """
        title: {en: X}
        sheet: {en: X}
        roles: [processor]
        layout: sheets
        columns: [{value: title, heading: {en: Title}}]
        """,
    )
    result = ropa("check", "--root", reg.root)
    assert result.code == 1
    assert "templates/profiles/danish-only.yaml:1:8:" in result.stderr
    assert "needs an `en:` text" in result.stderr
    assert "templates/profiles/no-summary.yaml:1:1:" in result.stderr
    assert "needs `summary:` columns" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_user_profile_is_written(ropa, register, tmp_path):
    reg = register()
    reg.write(
        "templates/profiles/audit.yaml",
        """
        title: {en: Audit list}
        sheet: {en: Audit}
        roles: [controller, processor]
        columns:
          - {value: id, heading: {en: Id}}
          - {value: reviewed, heading: {en: Reviewed}, width: 12}
        """,
    )
    out = _build(ropa, reg.root, tmp_path / "out", "csv")
    rows = list(csv.reader(io.StringIO((out / "register-audit.csv").read_text("utf-8-sig"))))
    assert rows[0] == ["Id", "Reviewed"]
    assert [row[0] for row in rows[1:]] == sorted(p.stem for p in (reg.root / "records").glob("*"))


def test_built_in_profiles_are_valid():
    import yaml

    for path in sorted((REPO / "templates" / "profiles").glob("*.yaml")):
        Profile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


# --- determinism ------------------------------------------------------------------------------


def _process_build(root: Path, out: Path, **env: str) -> dict[str, bytes]:
    """A whole ``ropa build`` in its own process (as the determinism tests run it): the exports."""
    every = ("docx", "md", "html", "xlsx", "csv", "json")
    return {p.name: p.read_bytes() for p in build(root, out, *every, **env).glob("register*.*")}


def test_exports_are_byte_identical_across_time_zones_and_locales(tmp_path):
    first = _process_build(REPO, tmp_path / "a", TZ="UTC", LC_ALL="C.UTF-8")
    second = _process_build(
        REPO, tmp_path / "b", TZ="Pacific/Auckland", LANG="da_DK.UTF-8", LC_ALL="da_DK.UTF-8"
    )
    exports = {n for n in first if n.endswith((".xlsx", ".csv", ".json"))}
    assert len(exports) == 7 and first == second
    with zipfile.ZipFile(tmp_path / "a" / "register-ico-controller.xlsx") as package:
        core = package.read("docProps/core.xml").decode()
    newest = max(re.findall(r"^updated: (\S+)$", _all_records(), re.M))
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{newest}T00:00:00Z' in core


def test_source_date_epoch_dates_the_workbooks(tmp_path):
    files = _process_build(REPO, tmp_path / "a", SOURCE_DATE_EPOCH="1700000000")
    with zipfile.ZipFile(io.BytesIO(files["register-cnil.xlsx"])) as package:
        core = package.read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core


def _all_records() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in (REPO / "records").glob("*.yaml"))


# --- LibreOffice ------------------------------------------------------------------------------


def _calc_csv(book: Path, workdir: Path) -> str:
    """The workbook's first sheet as LibreOffice Calc saves it as CSV (UTF-8, every cell as
    shown). Skipped where soffice is missing or has no Calc (libreoffice-calc)."""
    require_client("libreoffice")
    outdir = Path(tempfile.mkdtemp(dir=workdir))
    profile = Path(tempfile.mkdtemp(dir=workdir))
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(outdir),
            str(book.resolve()),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        start_new_session=True,
    )
    shutil.rmtree(profile, ignore_errors=True)
    made = outdir / f"{book.stem}.csv"
    if not made.is_file():
        if "could not be loaded" in done.stderr and not os.environ.get("CI"):
            pytest.skip("LibreOffice has no Calc here (install libreoffice-calc)")
        raise AssertionError(f"LibreOffice did not convert {book}: {done.stdout}{done.stderr}")
    return made.read_text(encoding="utf-8")


def test_a_workbook_of_many_sheets_stays_within_the_open_file_limit(tmp_path, synthetic):
    """CNIL's layout has a sheet per activity: more activities than the process may open files
    (here 200 against a limit of 128) must still build, as on a machine with the usual limits."""
    root = synthetic(tmp_path / "register", 200)
    limited = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, (128, 128)); "
        "from ropa_build.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    out = tmp_path / "out"
    command = [
        "build",
        "--root",
        str(root),
        "--out",
        str(out),
        "--today",
        TODAY,
        "--format",
        "xlsx",
    ]
    done = subprocess.run(
        [sys.executable, "-c", limited, *command],
        env={**os.environ, "ROPA_CACHE_DIR": "off", "ROPA_JOBS": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    book = openpyxl.load_workbook(out / "register-cnil.xlsx", read_only=True)
    controllers = len(list(book.worksheets[0].iter_rows())) - _header_row(book.worksheets[0])
    assert len(book.sheetnames) == 1 + controllers > 128


def _header_row(sheet) -> int:
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if row and row[0] == "Behandlingsaktivitet":
            return number
    raise AssertionError("no header row")
