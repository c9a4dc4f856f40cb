"""``ropa import``: Word registers in, a register that checks and builds to the same content out.

Round trips import what ``ropa build`` wrote and compare the rebuilt Markdown with the original,
byte for byte. Documents ropa-build did not write are made here (tests/import_fixtures.py) with
python-docx, LibreOffice and pandoc, from the seed's own text split across tables as the seed is;
the hard cases and hostile files are written as raw WordprocessingML.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import zipfile
from pathlib import Path

import import_fixtures as fx
import pytest
import yaml
from conftest import REPO, TODAY

from ropa_build.importer import grid
from ropa_build.scaffold import slug

LABELS = yaml.safe_load((REPO / "templates/labels/da.yaml").read_text(encoding="utf-8"))
EN = yaml.safe_load((REPO / "templates/labels/en.yaml").read_text(encoding="utf-8"))
SEED_FAULTS = {"duplicate-group", "transfer-without-mechanism"}
# Rules another branch makes warnings; a bare recipient list (as the seed has) hits them.
BECOMING_WARNINGS = {"recipient-without-data", "group-without-data", "missing-item"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The example register (explicit states, open points, processors' details and all), built
    in Danish and in English, from a copy outside git: the rebuilt register is outside git too,
    so both carry the same provenance line."""
    from conftest import copy_register

    from ropa_build.cli import main

    out = {}
    root = copy_register(REPO, tmp_path_factory.mktemp("example") / "register")
    for lang in ("da", "en"):
        folder = tmp_path_factory.mktemp(f"built-{lang}")
        argv = ["build", "--root", str(root), "--out", str(folder), "--today", TODAY]
        assert main([*argv, "--lang", lang]) == 0
        out[lang] = folder
    return out


def _import(ropa, files, into: Path, *extra):
    return ropa("import", *files, "--into", into, *extra)


def _problems(ropa, root: Path, *leave: str) -> list[tuple[str, str]]:
    """(severity, code) of every finding of ``ropa check``, but those in the files ``leave``."""
    result = ropa("check", "--root", root, "--format", "json")
    import json

    return [(p["severity"], p["code"]) for p in json.loads(result.stdout) if p["path"] not in leave]


def _rebuild(ropa, root: Path, lang: str = "da", *ignore: str) -> str:
    """The rebuilt registers' Markdown: the controller register, then the processor one."""
    flags = [x for code in ignore for x in ("--ignore", code)]
    result = ropa(
        "build", "--root", root, "--out", root / "out", "--format", "md", "--lang", lang, *flags
    )
    assert result.code == 0
    return _markdown(root / "out")


def _markdown(out: Path) -> str:
    return "".join(
        (out / name).read_text(encoding="utf-8")
        for name in ("register.md", "register-processor.md")
        if (out / name).is_file()
    )


def _registers(out: Path) -> list[Path]:
    return [p for p in (out / "register.docx", out / "register-processor.docx") if p.is_file()]


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_our_register_docx_round_trips_to_the_same_markdown(ropa, built, tmp_path, lang):
    into = tmp_path / "imported"
    result = _import(ropa, _registers(built[lang]), into, "--report", tmp_path / "r.md")
    assert result.code == 0
    titles = [yaml.safe_load(p.read_text("utf-8"))["title"] for p in (REPO / "records").iterdir()]
    assert sorted(p.name for p in (into / "records").iterdir()) == sorted(
        f"{slug(title)}.yaml" for title in titles
    )
    assert _problems(ropa, into) == _problems(ropa, REPO)
    assert _rebuild(ropa, into, lang) == _markdown(built[lang])
    assert "## Support → records/support.yaml" in (tmp_path / "r.md").read_text(encoding="utf-8")


@pytest.mark.skipif(not shutil.which("soffice"), reason="no LibreOffice")
def test_our_register_resaved_by_libreoffice_round_trips(ropa, built, tmp_path):
    """LibreOffice rewrites every part of the file (its own styles, numbering, merges)."""
    documents = [fx.resave(docx, tmp_path) for docx in _registers(built["da"])]
    into = tmp_path / "imported"
    assert _import(ropa, documents, into).code == 0
    assert _rebuild(ropa, into) == _markdown(built["da"])


@pytest.mark.skipif(not shutil.which("soffice"), reason="no LibreOffice")
def test_a_register_laid_out_for_pdf_round_trips(ropa, register, tmp_path):
    """--format pdf repeats a section's label where it goes on over a page ("… (fortsat)") and
    writes a row too long for a page as several rows, its description merged down them."""
    built = tmp_path / "built"
    argv = ["--root", register().root, "--out", built, "--today", TODAY]  # outside git
    assert ropa("build", *argv, "--format", "docx", "--format", "pdf", "--format", "md").code == 0
    with zipfile.ZipFile(built / "register.docx") as package:
        assert "(fortsat)" in package.read("word/document.xml").decode()
    into = tmp_path / "imported"
    assert _import(ropa, _registers(built), into).code == 0
    assert _rebuild(ropa, into) == _markdown(built)


def test_activity_documents_round_trip_except_what_only_the_register_shows(ropa, built, tmp_path):
    """The per-activity documents have no cover page and no section about the register, so the
    register's version and its own open points are not in them: the rebuilt register states
    neither (outside git there is no version to show, and none is invented) — the only
    difference."""
    into = tmp_path / "imported"
    files = sorted((built["da"] / "activities").glob("*.docx"))
    assert _import(ropa, files, into).code == 0
    original = _markdown(built["da"])
    assert original.count(" · Version 2.0") == 2 and original.count("## Om fortegnelsen") == 2
    expected = re.sub(r"\n## Om fortegnelsen\n.*?(?=\n## Indhold)", "", original, flags=re.S)
    assert _rebuild(ropa, into) == expected.replace(" · Version 2.0", "")


def test_import_never_overwrites_and_a_rerun_changes_nothing(ropa, built, tmp_path):
    into = tmp_path / "imported"
    source = built["da"] / "activities" / "support.docx"
    assert _import(ropa, [source], into).code == 0
    again = _import(ropa, [source], into)
    assert again.code == 0 and "wrote 0 file(s)" in again.stderr
    record = into / "records" / "support.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "# edited by the DPO\n", "utf-8")
    clash = _import(ropa, [source], into)
    assert clash.code == 1
    assert "would-overwrite" in clash.stderr and "Traceback" not in clash.stderr
    assert record.read_text(encoding="utf-8").endswith("# edited by the DPO\n")


# --- the seed, written by other programs ----------------------------------------------------


def _writer_list():
    yield pytest.param("python-docx", id="python-docx")
    yield pytest.param(
        "libreoffice",
        id="libreoffice",
        marks=pytest.mark.skipif(not shutil.which("soffice"), reason="no LibreOffice"),
    )
    yield pytest.param(
        "pandoc",
        id="pandoc",
        marks=pytest.mark.skipif(not shutil.which("pandoc"), reason="no pandoc"),
    )


WRITERS = list(_writer_list())


def _write_seed(writer: str, folder: Path) -> Path:
    layout = fx.seed()
    if writer == "python-docx":
        return fx.python_docx(layout, folder / "seed.docx")
    return getattr(fx, writer)(layout, folder)


@pytest.mark.parametrize("writer", WRITERS)
def test_the_seed_imports_with_its_faults_as_findings(ropa, tmp_path, writer):
    document = _write_seed(writer, tmp_path)
    into = tmp_path / "imported"
    result = _import(ropa, [document], into)
    assert result.code == 0
    record = yaml.safe_load((into / "records" / "support.yaml").read_text(encoding="utf-8"))
    groups = record["data_subjects"]["groups"]
    assert [(g["id"], g["name"], g["categories"]) for g in groups] == [
        ("kunder", "kunder", ["identification"]),
        ("kunder-2", "kunder", ["identification"]),
    ]
    assert [t["country"] for t in record["transfers"]["items"]] == ["MK"]
    assert record["security"].startswith("- Kunden kan se alt data")
    assert record["role"] == "controller"  # as the title says; the contradiction is noted
    problems = _problems(ropa, into)
    errors = {code for severity, code in problems if severity == "error"}
    assert {code for _, code in problems} >= SEED_FAULTS  # errors or warnings (issue 9's grading)
    assert errors <= SEED_FAULTS | BECOMING_WARNINGS
    text = ropa("check", "--root", into).stderr
    assert re.search(r"warning\[todo-left\]: TODO\(import\): role controller .* processor", text)
    for block in ("ansøgere", "tidligere ansatte", "pårørende", "politikere"):
        assert f"empty template block '{block}' left out" in result.stdout
    assert "- zendesk-suite, zendesk: one system?" in result.stdout  # kept apart, reported


@pytest.mark.parametrize("writer", WRITERS)
def test_the_built_seed_shows_every_value_of_the_original(ropa, tmp_path, writer):
    document = _write_seed(writer, tmp_path)
    into = tmp_path / "imported"
    assert _import(ropa, [document], into).code == 0
    shown = _plain(_rebuild(ropa, into, "da", *SEED_FAULTS, *BECOMING_WARNINGS))
    missing = [v for v in _seed_values() if not _shows(shown, v)]
    assert missing == []


def _seed_values() -> list[str]:
    """Every text in the seed's content column. Labels are the template's, not values, and so
    is an unmarked checklist line: it offers a category the activity does not process (the build
    lists Art. 9/10 lines always and the others only where marked: data-categories.yaml)."""
    values = []
    for rows in fx.seed().tables:
        for row in rows:
            checklist = len(row) == 4 and not row[1]
            if checklist and not row[3]:
                continue
            for paragraph in row[2] if len(row) > 2 else []:
                text = paragraph[0] if isinstance(paragraph, tuple) else paragraph
                values += [line.removeprefix("- ") for line in text.split("\n")]
    return [v for v in values if v]


def _plain(markdown: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\(<[^>]*>\)", r"\1", markdown)
    text = text.replace("<br>", " ").replace("**", "").replace("•", " ").replace("\\", "")
    return " ".join(text.split())


def _shows(shown: str, value: str) -> bool:
    """The value as written, or (a contact the seed ran together) every word of it in order."""
    value = " ".join(value.split())
    if value in shown:
        return True
    words = [w for w in re.split(r"[\s/]+", value) if w]
    at = 0
    for word in words:
        at = shown.find(word, at)
        if at < 0:
            return False
    return True


# --- hard cases -----------------------------------------------------------------------------


def _label(key: str, labels: dict = LABELS) -> str:
    row = labels["rows"][key]
    return row if isinstance(row, str) else row["text"]


def _typed(text: str) -> str:
    """A label as people retype it: no space after '/', non-breaking and doubled spaces."""
    return text.replace("/ ", "/").replace(" ", "\u00a0", 2).replace("og ", "og  ")


def _row(section: str, description: str, content: str, mark: str = "", box: str = "") -> str:
    """A template row; ``mark`` typed in the checklist column, or ``box``: a checkbox there."""
    checklist = fx.tc(fx.p(mark, box))
    return fx.tr(fx.tc(fx.p(section)), fx.tc(fx.p(description)), content, checklist)


CHECKED_W14 = fx.sdt(
    "<w:r><w:t>☒</w:t></w:r>",
    '<w14:checkbox><w14:checked w14:val="1"/></w14:checkbox>',
)
UNCHECKED_W14 = fx.sdt(
    "<w:r><w:t>☐</w:t></w:r>",
    '<w14:checkbox><w14:checked w14:val="0"/></w14:checkbox>',
)
LEGACY_CHECKED = (
    '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:default w:val="1"/>'
    "</w:checkBox></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText>"
    '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
)


def _hard_case_body(title: str) -> str:
    categories = LABELS["categories"]
    section = LABELS["sections"]
    purpose = fx.tc(fx.p("Kundeservice for \u201cSkarpe\u201d kunder\u00a0 med  ekstra mellemrum"))
    rows = [
        _row(section["controller"], _typed(_label("organisation")), fx.tc(fx.p("Firma A/S"))),
        # a row wrapped in a content control, and a cell wrapped in one
        fx.sdt(_row("", _typed(_label("dpo")), fx.tc(fx.p("Jens Jensen"), fx.p("dpo@firma.dk")))),
        fx.tr(
            fx.tc(fx.p(section["purposes"])),
            fx.sdt(fx.tc(fx.p(_label("purposes").replace("formål", "formaal")))),
            purpose,
            fx.tc(fx.p()),
        ),
        _row(section["subjects"], _label("subject_categories"), fx.tc(fx.p("Kunder."))),
        _row("", LABELS["rows"]["group"].format(name="kunder"), fx.tc(fx.p("Navn og e-mail."))),
        _row("", "", fx.tc(fx.p(categories["identification"])), "X"),
        _row("", "", fx.tc(fx.p(categories["communication"])), "✓"),
        _row("", "", fx.tc(fx.p(categories["usage"])), box=CHECKED_W14),
        _row("", "", fx.tc(fx.p(categories["cpr"])), "☐"),
        _row("", "", fx.tc(fx.p(categories["financial"])), box=UNCHECKED_W14),
        # gridBefore: the row starts in the second column
        fx.tr(
            fx.tc(fx.p()),
            fx.tc(fx.p(categories["marketing"])),
            fx.tc(fx.p("", LEGACY_CHECKED)),
            props='<w:gridBefore w:val="1"/>',
        ),
        _row("", "", fx.tc(fx.p(categories["health_genetic"])), "☑"),
        _row(
            section["security"],
            _label("security"),
            fx.tc(
                '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr>'
                "<w:r><w:t>Adgangsstyring</w:t></w:r></w:p>",
                '<w:p><w:hyperlink r:id="rIdX"><w:r><w:t>politikken</w:t></w:r></w:hyperlink>'
                "</w:p>",
                fx.sdt("", "<w:showingPlcHdr/>"),
                fx.p("", fx.sdt("<w:r><w:t>Kryptering</w:t></w:r>")),
                fx.sdt(fx.p("Logning")),  # a content control around a paragraph in the cell
            ),
        ),
    ]
    return fx.p(title) + fx.tbl(*rows)


def test_hard_cases_content_controls_checkboxes_typed_labels(ropa, tmp_path):
    title = LABELS["document"]["activity_title"].format(title="Kundeservice", role="dataansvarlig")
    document = fx.raw_docx(
        tmp_path / "hard.docx", _hard_case_body(title), {"rIdX": "https://firma.dk/politik"}
    )
    into = tmp_path / "imported"
    assert _import(ropa, [document], into).code == 0
    record = yaml.safe_load((into / "records" / "kundeservice.yaml").read_text(encoding="utf-8"))
    organisation = yaml.safe_load((into / "organisation.yaml").read_text(encoding="utf-8"))
    assert organisation["controller"] == {"name": "Firma A/S"}
    assert organisation["dpo"] == {"name": "Jens Jensen", "email": ["dpo@firma.dk"]}
    assert (
        record["purposes"]
        == "Kundeservice for \u201cSkarpe\u201d kunder\u00a0 med  ekstra mellemrum"
    )
    (group,) = record["data_subjects"]["groups"]
    assert group["categories"] == [
        "identification",
        "communication",
        "usage",
        "marketing",
        "health_genetic",
    ]
    # numId 7 is a decimal list in python-docx's numbering.xml: an ordered item
    assert record["security"] == (
        "1. Adgangsstyring\n\n[politikken](<https://firma.dk/politik>)\n\nKryptering\n\nLogning"
    )
    problems = _problems(ropa, into)
    assert {c for s, c in problems if s == "error"} <= {
        "special-without-condition",
        *BECOMING_WARNINGS,
    }


def test_english_labels_are_recognised(ropa, tmp_path):
    title = EN["document"]["activity_title"].format(title="Payroll", role="controller")
    rows = [
        _row(EN["sections"]["controller"], _label("organisation", EN), fx.tc(fx.p("Firm Ltd"))),
        _row(EN["sections"]["purposes"], _label("purposes", EN), fx.tc(fx.p("Paying staff."))),
        _row(EN["sections"]["retention"], _label("retention", EN), fx.tc(fx.p("Five years."))),
    ]
    # a three-column table whose checklist lines stand in the description column, marks after
    three = [
        fx.tr(fx.tc(fx.p(EN["sections"]["subjects"])), fx.tc(fx.p(group)), fx.tc(fx.p("Names.")))
        for group in [EN["rows"]["group"].format(name="staff")]
    ] + [
        fx.tr(fx.tc(fx.p()), fx.tc(fx.p(EN["categories"][key])), fx.tc(fx.p(box)))
        for key, box in (("identification", "☒"), ("trade_union", "☐"), ("financial", "x"))
    ]
    body = fx.p(title) + fx.tbl(*rows) + fx.tbl(*three, columns=3)
    document = fx.raw_docx(tmp_path / "en.docx", body)
    into = tmp_path / "imported"
    assert _import(ropa, [document], into).code == 0
    record = yaml.safe_load((into / "records" / "payroll.yaml").read_text(encoding="utf-8"))
    assert (record["role"], record["purposes"]) == ("controller", "Paying staff.")
    assert record["retention"] == {"description": "Five years."}
    (group,) = record["data_subjects"]["groups"]
    assert (group["name"], group["categories"]) == ("staff", ["identification", "financial"])


TRACKED = (
    '<w:p><w:r><w:t xml:space="preserve">Slettes efter </w:t></w:r>'
    '<w:ins w:id="1" w:author="A"><w:r><w:t>fem</w:t></w:r></w:ins>'
    '<w:del w:id="2" w:author="A"><w:r><w:delText>tre</w:delText></w:r></w:del>'
    '<w:r><w:t xml:space="preserve"> år.</w:t></w:r></w:p>'
)


@pytest.mark.parametrize(
    ("flag", "expected"),
    [("--accept-changes", "Slettes efter fem år."), ("--reject-changes", "Slettes efter tre år.")],
)
def test_tracked_changes_are_refused_unless_told(ropa, tmp_path, flag, expected):
    title = LABELS["document"]["activity_title"].format(title="Løn", role="dataansvarlig")
    row = fx.tr(
        fx.tc(fx.p(LABELS["sections"]["retention"])),
        fx.tc(fx.p(_label("retention"))),
        fx.tc(TRACKED),
    )
    document = fx.raw_docx(tmp_path / "tracked.docx", fx.p(title) + fx.tbl(row, columns=3))
    refused = _import(ropa, [document], tmp_path / "refused")
    assert refused.code == 1
    assert "tracked-changes" in refused.stderr and "--accept-changes" in refused.stderr
    assert not (tmp_path / "refused" / "records").exists()
    into = tmp_path / flag
    assert _import(ropa, [document], into, flag).code == 0
    record = yaml.safe_load((into / "records" / "loen.yaml").read_text(encoding="utf-8"))
    assert record["retention"]["description"] == expected


# --- hostile files --------------------------------------------------------------------------

BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
)
EXTERNAL = '<!DOCTYPE w:document [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def _hostile(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.docx"
    if kind == "not-a-zip":
        path.write_text("Fortegnelse over behandlingsaktiviteter\n", encoding="utf-8")
    elif kind == "doc":
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    elif kind == "entity-expansion":
        fx.raw_docx(path, fx.p("&d;"), prolog=BILLION_LAUGHS)
    elif kind == "external-entity":
        fx.raw_docx(path, fx.p("&secret;"), prolog=EXTERNAL)
    elif kind == "late-doctype":  # past the first chunk the prolog is scanned in
        fx.raw_docx(path, fx.p("&secret;"), prolog="<!--" + " " * 100_000 + "-->" + EXTERNAL)
    elif kind == "zip-bomb":
        fx.raw_docx(path, fx.p("x" * 10) + "<w:p/>" * (3 << 20))  # ~18 MB of XML, 20 kB zipped
    elif kind == "declared-bomb":  # the directory claims 3.75 GB: refused before unpacking
        fx.raw_docx(path, fx.p("x"))
        _lie_about_size(path, "word/document.xml", 0xF0000000)
    elif kind == "lying-size":
        fx.raw_docx(path, "<w:p/>" * 200_000)
        _lie_about_size(path, "word/document.xml", 100)
    return path


def _lie_about_size(path: Path, name: str, size: int) -> None:
    """Rewrite the zip's directory to declare ``size`` bytes for ``name`` (a crafted bomb)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        info = package.getinfo(name)
    central = data.find(b"PK\x01\x02", 0)
    while central >= 0:
        length = int.from_bytes(data[central + 28 : central + 30], "little")
        if data[central + 46 : central + 46 + length].decode() == name:
            data[central + 24 : central + 28] = size.to_bytes(4, "little")
        central = data.find(b"PK\x01\x02", central + 4)
    data[info.header_offset + 22 : info.header_offset + 26] = size.to_bytes(4, "little")
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("not-a-zip", "not a zip file"),
        ("doc", "save it as .docx"),
        ("entity-expansion", "DOCTYPE"),
        ("external-entity", "DOCTYPE"),
        ("late-doctype", "DOCTYPE"),
        ("zip-bomb", "unpacks to more than 1 MB"),
        ("lying-size", "damaged"),
        ("declared-bomb", "unpacks to more than 1024 MB"),
    ],
)
def test_hostile_files_are_refused_with_a_message(ropa, tmp_path, monkeypatch, kind, message):
    if kind != "declared-bomb":
        monkeypatch.setattr(grid, "MAX_MAIN_BYTES", 1 << 20)  # the bomb need not be a gigabyte
    document = _hostile(kind, tmp_path)
    result = _import(ropa, [document], tmp_path / "imported")
    assert result.code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "imported").exists()


def test_every_bad_file_is_reported_in_one_run_without_a_traceback(ropa_process, tmp_path):
    files = [_hostile(kind, tmp_path) for kind in ("not-a-zip", "doc", "external-entity")]
    result = ropa_process("import", *files, "--into", tmp_path / "imported")
    assert result.code == 1
    assert result.stderr.count("error[") == 3 and "Traceback" not in result.stderr


def test_a_50_mb_document_is_read_in_bounded_memory(tmp_path):
    """40 MB of table XML plus a 40 MB picture: the body is streamed (a finished table is
    freed) and the picture is never read, so reading adds little to what importing costs."""
    import os

    row = fx.tr(*(fx.tc(fx.p(letter * 200)) for letter in "abc"))
    path = fx.raw_docx(tmp_path / "big.docx", fx.tbl(row, columns=3) * 40_000)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as package:
        package.writestr("word/media/image1.png", os.urandom(40 << 20))
    assert path.stat().st_size > 40 << 20

    blocks, added = fx.peak_memory("ropa_build.importer.grid.read_grid", path)
    assert blocks == 40_000
    assert added < 60  # MB; keeping the parsed tree (not freeing tables) adds ~70


def test_parties_are_stated_once_and_an_unknown_row_is_kept_with_a_todo(ropa, tmp_path):
    section = LABELS["sections"]

    def activity(title: str, dpo: str, extra: str = "") -> str:
        heading = LABELS["document"]["activity_title"].format(title=title, role="dataansvarlig")
        rows = [
            _row(section["controller"], _label("organisation"), fx.tc(fx.p("Firma A/S"))),
            _row("", _label("dpo"), fx.tc(fx.p(dpo))),
            _row(section["purposes"], _label("purposes"), fx.tc(fx.p(f"{title}."))),
        ]
        return fx.p(heading) + fx.tbl(*rows, extra)

    odd = _row("", "Noget helt andet, som skabelonen ikke kender", fx.tc(fx.p("Vigtig tekst")))
    body = activity("Løn", "Jens Jensen") + activity("Kunder", "Hanne Hansen", odd)
    document = fx.raw_docx(tmp_path / "two.docx", body)
    into = tmp_path / "imported"
    result = _import(ropa, [document], into)
    assert result.code == 0
    organisation = yaml.safe_load((into / "organisation.yaml").read_text(encoding="utf-8"))
    assert organisation["dpo"] == {"name": "Jens Jensen"}
    first = yaml.safe_load((into / "records" / "loen.yaml").read_text(encoding="utf-8"))
    second_text = (into / "records" / "kunder.yaml").read_text(encoding="utf-8")
    second = yaml.safe_load(second_text)
    assert "dpo" not in first and second["dpo"] == {"name": "Hanne Hansen"}
    assert "Kunder: dpo differs from the first activity's" in result.stdout
    assert second["purposes"] == (
        "Kunder.\n\n**Noget helt andet, som skabelonen ikke kender:**\n\nVigtig tekst"
    )
    assert "# TODO(import): the row 'Noget helt andet" in second_text
    assert "table 2, row 4, column 3: row 'Noget helt andet" in result.stdout
    warnings = ropa("check", "--root", into).stderr
    assert "warning[todo-left]: TODO(import): the row 'Noget helt andet" in warnings


def test_the_seed_import_agrees_with_the_hand_transcription(ropa, tmp_path):
    """tests/data/seed-as-is is the seed typed into YAML by hand; the import of the seed laid
    out in the template gives the same texts (the ids and catalogue references are ours)."""
    document = _write_seed("python-docx", tmp_path)
    into = tmp_path / "imported"
    assert _import(ropa, [document], into).code == 0
    ours = yaml.safe_load((into / "records" / "support.yaml").read_text(encoding="utf-8"))
    typed = yaml.safe_load(
        (REPO / "tests/data/seed-as-is/records/support.yaml").read_text(encoding="utf-8")
    )
    for path in (
        ("purposes",),
        ("data_subjects", "description"),
        ("transfers", "description"),
        ("retention", "description"),
        ("security",),
    ):
        mine, theirs = ours, typed
        for key in path:
            mine, theirs = mine[key], theirs[key]
        assert mine.strip() == theirs.strip(), path
    # The seed's groups have no description, only a checklist line in its own words: the
    # typist wrote that line as the details (with a full stop the seed does not have); the
    # import keeps it as the line's wording, which the build shows in the checklist.
    pairs = [
        (g["name"], g["categories"], g["wording"]["identification"])
        for g in ours["data_subjects"]["groups"]
    ]
    typed_groups = typed["data_subjects"]["groups"]
    assert pairs == [(g["name"], g["categories"], g["details"][:-1]) for g in typed_groups]
    assert all("details" not in g for g in ours["data_subjects"]["groups"])


def test_a_second_row_for_a_one_value_field_is_kept_not_dropped(ropa, tmp_path):
    title = LABELS["document"]["activity_title"].format(title="Løn", role="dataansvarlig")
    section = LABELS["sections"]
    rows = [
        _row(section["controller"], _label("dpo"), fx.tc(fx.p("Jens Jensen"))),
        _row("", _label("dpo"), fx.tc(fx.p("Hanne Hansen"))),
        _row(section["retention"], _label("retention"), fx.tc(fx.p("Fem år."))),
        _row("", _label("retention"), fx.tc(fx.p("Ti år."))),
    ]
    document = fx.raw_docx(tmp_path / "twice.docx", fx.p(title) + fx.tbl(*rows))
    into = tmp_path / "imported"
    assert _import(ropa, [document], into).code == 0
    text = (into / "records" / "loen.yaml").read_text(encoding="utf-8")
    record = yaml.safe_load(text)
    assert record["retention"]["description"].endswith(
        "Fem år.\n\n**" + _label("retention") + ":**\n\nTi år."
    )
    assert "Hanne Hansen" in record["purposes"]
    assert text.count("# TODO(import): the row") == 2


def test_a_title_in_a_row_across_the_table_starts_the_activity(ropa, tmp_path):
    title = LABELS["document"]["activity_title"].format(title="Kantine", role="dataansvarlig")
    across = fx.tr(fx.tc(fx.p(title), props='<w:gridSpan w:val="3"/>'))
    purposes = fx.tr(
        fx.tc(fx.p(LABELS["sections"]["purposes"])),
        fx.tc(fx.p(_label("purposes"))),
        fx.tc(fx.p("Frokostordning.")),
    )
    document = fx.raw_docx(tmp_path / "across.docx", fx.tbl(across, purposes, columns=3))
    into = tmp_path / "imported"
    result = _import(ropa, [document], into)
    assert result.code == 0
    record = yaml.safe_load((into / "records" / "kantine.yaml").read_text(encoding="utf-8"))
    assert (record["title"], record["purposes"]) == ("Kantine", "Frokostordning.")
    assert "| title | table 1, row 1, column 1 |" in result.stdout


def test_states_open_points_and_processor_details_round_trip(ropa, register, tmp_path):
    """What the example does not show: a party stated as null, a registration number and a
    contact person, a controller's agreement, customer date and representative, a transfer
    whose country and mechanism are states, an open point with who raised it and when (and, as
    the example does, a processor's establishment and authorisation). Built, imported,
    rebuilt: the same."""
    reg = register()
    reg.patch("organisation.yaml", "joint_controller:\n  state: none\n", "joint_controller:\n")
    reg.patch(
        "organisation.yaml",
        "  web: https://www.marketingplatform.com\n# Explicit",
        "  web: https://www.marketingplatform.com\n  registration: [{kind: EORI, number: "
        "DK34217483}]\n  contact_person: Jens Jensen\n# Explicit",
    )
    reg.patch(
        "organisation.yaml", "  note: Ingen fælles dataansvarlig for virksomheden som helhed.\n", ""
    )
    reg.patch(
        "records/nyhedsbrev.yaml",
        "      documentation: Google LLC er certificeret under EU-US Data Privacy Framework.\n",
        "      documentation: Google LLC er certificeret under EU-US Data Privacy Framework.\n"
        "    - country: {state: not-stated, note: landet fremgår ikke af aftalen}\n"
        "      recipient: google-cloud\n"
        "      mechanism: {state: pending, note: afventer svar fra Google}\n"
        "      occasional: true\n",
    )
    reg.patch(
        "records/loenadministration.yaml",
        "    about: retention\n",
        "    about: retention\n    raised_by: Kia Maria Davidsen\n    raised: 2026-10-02\n"
        "  - kind: question\n    description: Gælder fristen også vikarer?\n"
        "    about: vikarbureauets aftale\n",
    )
    reg.patch(
        "records/kampagneudsendelse.yaml",
        "    web: https://app.marketingplatform.com\n",
        "    web: https://app.marketingplatform.com\n"
        "    agreement: {version: '2.1', date: 2026-03-01, status: signed}\n"
        "    onboarded: 2024-05-01\n    representative: {name: Rep Ltd}\n",
    )
    built = tmp_path / "built"
    argv = ["--root", reg.root, "--today", TODAY, "--ignore", "transfer-without-mechanism"]
    assert ropa("build", *argv, "--out", built).code == 0
    into = tmp_path / "imported"
    assert _import(ropa, _registers(built), into).code == 0
    organisation = yaml.safe_load((into / "organisation.yaml").read_text(encoding="utf-8"))
    assert organisation["joint_controller"] is None
    assert organisation["controller"]["registration"] == [{"kind": "EORI", "number": "DK34217483"}]
    assert organisation["controller"]["contact_person"] == "Jens Jensen"
    catalogue = yaml.safe_load((into / "catalogue.yaml").read_text(encoding="utf-8"))
    cloud = catalogue["systems"]["google-cloud"]
    assert (cloud["kind"], cloud["countries"], cloud["established"]) == (
        "processor",
        ["BE", "US"],
        "IE",
    )
    assert cloud["authorisation"] == "general"
    record = yaml.safe_load((into / "records/nyhedsbrev.yaml").read_text(encoding="utf-8"))
    assert record["transfers"]["items"][-1] == {
        "country": {"state": "not-stated", "note": "landet fremgår ikke af aftalen"},
        "recipient": "google-cloud",
        "mechanism": {"state": "pending", "note": "afventer svar fra Google"},
        "occasional": True,
    }
    loen = yaml.safe_load(
        (into / "records/loenadministration-og-personaleadministration.yaml").read_text("utf-8")
    )
    assert [(p["kind"], p.get("about"), p.get("raised_by")) for p in loen["open_points"]] == [
        ("assumption", "retention", "Kia Maria Davidsen"),
        ("question", "vikarbureauets aftale", None),
    ]
    assert str(loen["open_points"][0]["raised"]) == "2026-10-02"
    (customers,) = yaml.safe_load(
        (into / "records/kampagneudsendelse.yaml").read_text(encoding="utf-8")
    )["controllers"]
    assert customers["agreement"] == {
        "version": "2.1",
        "date": dt.date(2026, 3, 1),
        "status": "signed",
    }
    assert (customers["onboarded"], customers["representative"]) == (
        dt.date(2024, 5, 1),
        {"name": "Rep Ltd"},
    )
    rebuilt = tmp_path / "rebuilt"
    argv = ["--root", into, "--ignore", "transfer-without-mechanism", "--format", "md"]
    assert ropa("build", *argv, "--out", rebuilt).code == 0
    assert _markdown(rebuilt) == _markdown(built)


ABOUT = """document:
  version: "3.1"
  review_interval_months: 12
  introduction: |
    Fortegnelsen dækker **hele** virksomheden, jf. [artikel 30](https://eur-lex.europa.eu/eli/reg/2016/679/oj).

    1. Én post pr. behandlingsaktivitet
    2. Fælles oplysninger angives én gang
  scope: Virksomheden og dens danske filialer.
  roles: Direktionen ejer fortegnelsen; DPO'en gennemgår den.
  approved: {by: Direktionen, date: 2026-03-01, version: "3.0"}
  version_log:
    - {version: "2.0", date: 2025-11-01, by: Kia Maria Davidsen, changes: Første udkast}
    - {version: "3.0", date: 2026-01-15, changes: Godkendt}
  next_review: 2027-01-15
  review_triggers: [Nyt system, Ny leverandør]
"""


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_registers_own_section_comes_back_into_organisation_yaml(
    ropa, register, tmp_path, lang
):
    reg = register()
    reg.patch(
        "organisation.yaml", 'document:\n  version: "2.0"\n  review_interval_months: 12\n', ABOUT
    )
    built = tmp_path / "built"
    assert ropa("build", "--root", reg.root, "--out", built, "--lang", lang).code == 0
    into = tmp_path / "imported"
    result = _import(ropa, _registers(built), into)
    assert result.code == 0
    imported = yaml.safe_load((into / "organisation.yaml").read_text(encoding="utf-8"))
    original = yaml.safe_load((reg.root / "organisation.yaml").read_text(encoding="utf-8"))
    del original["document"]["review_interval_months"]  # not shown: the default comes back
    # the introduction comes back as the Markdown the import writes, shown alike (below)
    assert imported["document"].pop("introduction").startswith("Fortegnelsen dækker **hele**")
    del original["document"]["introduction"]
    assert imported["document"] == original["document"]
    assert imported["open_points"] == original["open_points"]
    rebuilt = tmp_path / "rebuilt"
    assert (
        ropa("build", "--root", into, "--out", rebuilt, "--lang", lang, "--format", "md").code == 0
    )
    assert _markdown(rebuilt) == _markdown(built)


def test_a_long_part_of_the_registers_own_section_comes_back_whole(ropa, register, tmp_path):
    """A part too long for a page is written as several rows (its description merged down
    them): every paragraph comes back, in order."""
    scope = "\n\n".join(f"Afsnit {i}: " + "Filialen i byen er omfattet. " * 10 for i in range(40))
    reg = register()
    reg.patch("organisation.yaml", "document:\n", f"document:\n  scope: {json.dumps(scope)}\n")
    built = tmp_path / "built"
    assert ropa("build", "--root", reg.root, "--out", built, "--format", "docx").code == 0
    xml = zipfile.ZipFile(built / "register.docx").read("word/document.xml").decode()
    assert xml.count("Afsnit 0:") == 1 and xml.count('<w:vMerge w:val="restart"/>') > 10
    into = tmp_path / "imported"
    assert _import(ropa, _registers(built), into).code == 0
    imported = yaml.safe_load((into / "organisation.yaml").read_text(encoding="utf-8"))
    assert imported["document"]["scope"].split("\n\n") == [p.strip() for p in scope.split("\n\n")]


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_golden_register_every_part_of_the_layout_round_trips(ropa, register, tmp_path, lang):
    """tests/golden/register exercises every part of the layout: italics, a review by someone,
    shared statements, recipients of every activity, the extra section, companion documents,
    transfer details, accepted findings at the register and at a catalogue entry."""
    root = register(REPO / "tests/golden/register").root
    built = tmp_path / "built"
    assert ropa("build", "--root", root, "--out", built, "--lang", lang, "--today", TODAY).code == 0
    into = tmp_path / "imported"
    assert _import(ropa, _registers(built), into).code == 0
    organisation = yaml.safe_load((into / "organisation.yaml").read_text(encoding="utf-8"))
    assert organisation["recipients"] == {"processors": ["drift-hosting"]}
    assert organisation["documents"]["vilkaar"]["kind"] == "aftalevilkår"
    record = yaml.safe_load(next((into / "records").glob("*.yaml")).read_text(encoding="utf-8"))
    assert record["reviewed"]["by"] == "Dorte Rådgiver"
    assert (record["number"], record["status"]) == ("1.1", "active")
    assert _rebuild(ropa, into, lang) == _markdown(built)
