"""What the outputs say: golden files, the seed's values in their places, labels by role and
language, and record text that stays text.

The golden register (tests/golden/register) exercises every part of the layout; its expected
outputs are in tests/golden/expected. After an intended change, regenerate them with
``pytest tests/test_render.py --update-golden`` and review the diff like any other change.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import copy_register

from ropa_build.cli import main

TESTS = Path(__file__).parent
REPO = TESTS.parent
GOLDEN = TESTS / "golden"
# A copy of ../shared/seed/000_a1c645633e18b20a.txt: CI runs on a clone without ../shared.
SEED = TESTS / "data" / "seed" / "000_a1c645633e18b20a.txt"


def build(root: Path, out: Path, *args: str) -> Path:
    code = main(["build", "--root", str(root), "--out", str(out), "--today", "2026-11-25", *args])
    assert code == 0, f"ropa build failed with exit status {code}"
    return out


def outside_git(root: Path, folder: Path) -> Path:
    """A copy of the register outside any git repository: its outputs carry no commit and no
    change log (the register's own history is tested in test_life.py), so the golden files
    stay the same from one commit of ropa-build to the next."""
    return copy_register(root, folder / "register")


@pytest.fixture(scope="module")
def golden_out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("golden")
    return build(outside_git(GOLDEN / "register", folder), folder / "out")


@pytest.fixture(scope="module")
def example_out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("example")
    return build(outside_git(REPO, folder), folder / "out")


def document_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode()


@pytest.mark.parametrize(
    ("register", "stem"),
    [("golden", "register"), ("example", "register"), ("example", "register-processor")],
)
@pytest.mark.parametrize("suffix", [".md", ".html", ".document.xml"])
def test_golden(
    golden_out: Path, example_out: Path, register: str, stem: str, suffix: str, request
) -> None:
    """The golden register (tests/golden/expected) and the example register (…/example): the
    controller register and the processor register of each."""
    out, name = golden_out if register == "golden" else example_out, stem + suffix
    actual = (
        document_xml(out / f"{stem}.docx")
        if name.endswith(".xml")
        else (out / name).read_text(encoding="utf-8")
    )
    expected = GOLDEN / ("expected" if register == "golden" else "example") / name
    if request.config.getoption("update_golden", default=False):
        expected.parent.mkdir(exist_ok=True)
        expected.write_text(actual, encoding="utf-8")
    assert actual == expected.read_text(encoding="utf-8"), (
        f"{name} differs from {expected}; if the change is intended, run pytest --update-golden"
    )


# --- the seed ---------------------------------------------------------------------------------


def cell_texts(path: Path) -> list[str]:
    """Every table cell's text, in reading order (merged cells once)."""
    texts = []
    for table in docx.Document(str(path)).tables:
        for row in table.rows:
            for cell in row.cells:
                if not texts or texts[-1] != cell.text:
                    texts.append(cell.text)
    return texts


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# The seed's Support document was split (issue 10): support on the customer's behalf inside their
# account stayed in "support" (processor), the support requests themselves and the systems that
# hold them went to "supporthenvendelser" (controller). The seed's rows by the record they are in.
SPLIT = {
    "Oplysninger, som behandles om kunder": "supporthenvendelser",
    "Interne systemer": "supporthenvendelser",
    "Underleverandører / systemer": "supporthenvendelser",
}


def seed_cells() -> dict[str, list[str]]:
    """The seed's values by the row (description column) they belong in, read from the seed."""
    seed = SEED.read_text(encoding="utf-8")
    purpose = re.search(r"\| (Håndtering af vores kunders data.*?ansvaret\.) \|", seed).group(1)
    transfer = re.search(r"Alle i kundeservice.*?gdpr/", seed).group()
    deletion = re.search(r"Ved opsigelse af abonnement.*?direkte\.", seed).group()
    security = [
        item.strip() for item in re.findall(r" - ([^-<][^<]*?)(?= - |<p>)", seed) if len(item) > 20
    ]
    assert len(security) >= 5  # items (some split at their own " - ", each piece checked)
    return {
        "Databehandlerens navn, CVR-nr. og kontaktoplysninger": [
            "MarketingPlatform ApS",
            "Nørregade 12a",
            "6600 Vejen",
            "CVR: 34217483",
        ],
        "Myndighedens/ virksomhedens databeskyttelsesrådgiver samt dennes kontaktoplysninger": [
            "DPO, Kia Maria Davidsen",
            "www.marketingplatform.com",
            "72 44 44 44",
            "dpo@marketingplatform.com",
            "dataprotection@marketingplatform.com",
        ],
        "Behandlingens eller behandlingernes formål": [purpose],
        "Kategori af registrerede personer": ["Alt afhængig af vores kundes behov."],
        "Oplysninger, som behandles om kunder": [
            "Oplysninger, som indgår i den specifikke behandling. Beskriv:"
        ],
        "Interne systemer": [
            "Zendesk Suite (chat og tickets (mail))",
            "Google Workspace",
            "MeisterTask (projekthåndtering, kunder)",
            "Restya",
            "PandaDoc (digitale kontrakter og aftaler)",
            "E-conomic (økonomisystem)",
            "Visma",
        ],
        "Underleverandører / systemer": [
            "Zendesk",
            "Google Workspace",
            "E-conomic",
            "MeisterTask",
            "Visma",
        ],
        # Google Cloud hosts the platform, where the customers' data are: Support's sub-processor.
        "Underleverandører / systemer (support)": ["Google Cloud"],
        "Oplysninger om overførsel af personoplysninger til tredjelande eller internationale "
        "organisationer": [transfer],
        "Tidspunkt for sletning af oplysninger": [deletion],
        "Generel beskrivelse af tekniske og organisatoriske sikkerhedsforanstaltninger": [
            *security,
            "Hvis kunden ønsker at slette en kontakt eller en liste på deres platform",
        ],
    }


def test_seed_values_sit_in_their_cells(example_out: Path) -> None:
    """Each of the seed's values is in the content cell of the row it belonged to in the seed, in
    the document of the record the split put that row in (SPLIT; the rest stayed in Support)."""

    def cells(record: str) -> list[tuple[str, str]]:
        """(description, content) per row; a long row written as several (its description
        merged down them) as one."""
        table = docx.Document(str(example_out / "activities" / f"{record}.docx")).tables[0]
        out: list[tuple[str, str]] = []
        for row in table.rows:
            described, content = row.cells[1], normalise(row.cells[2].text)
            if out and row._tr.tc_lst[1].vMerge == "continue":
                out[-1] = (out[-1][0], f"{out[-1][1]} {content}")
            else:
                out.append((normalise(described.text), content))
        return out

    rows = {record: cells(record) for record in ("support", "supporthenvendelser")}
    misplaced = {}
    for key, values in seed_cells().items():
        wanted, _, record = key.partition(" (")
        record = record.rstrip(")") or SPLIT.get(wanted, "support")
        content = next((v for d, v in rows[record] if d.startswith(wanted)), "")
        if missing := [v for v in values if normalise(v) not in content]:
            misplaced[key] = (record, missing)
    assert not misplaced, misplaced


def test_support_document_title_and_month(example_out: Path) -> None:
    paragraphs = [
        p.text for p in docx.Document(str(example_out / "activities" / "support.docx")).paragraphs
    ]
    assert paragraphs[:2] == [
        "Behandlingsaktiviteter vedrørende Support (databehandler)",
        "December 2026",  # the month it was last updated (the split); the seed's was March 2021
    ]


def test_seed_checklist_marks(example_out: Path) -> None:
    """The seed's two checklist blocks (in Supporthenvendelser since the split) list every
    always-listed category; identification is marked, the customers' in the seed's wording
    (SubjectGroup.wording), and the customers' correspondence (the chats and tickets)."""
    document = example_out / "activities" / "supporthenvendelser.docx"
    table = docx.Document(str(document)).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    checklist = [r for r in rows if r[1] == "" and r[2] != r[3]]
    marked = [r[2] for r in checklist if r[3] == "x"]
    # two groups × (identification + 6 Art. 9 lines + Art. 10), and the customers' correspondence
    assert len(checklist) == 2 * 8 + 1
    assert marked == [  # the customers' line in the seed's own wording (no address), then staff's
        "Identifikationsoplysninger, herunder navn, telefonnummer og e-mail",
        "Korrespondance og henvendelser",
        "Identifikationsoplysninger, herunder navn, adresse, telefonnummer og e-mail",
    ]


# --- the DOCX layout --------------------------------------------------------------------------


def test_docx_table_layout(golden_out: Path) -> None:
    xml = document_xml(golden_out / "register.docx")
    first = xml.index("<w:tbl>", xml.index('w:name="_Toc1"'))  # the first activity's table
    table = xml[first : xml.index("</w:tbl>", first)]
    assert table.count("<w:gridCol ") == 4
    sections = [
        "Dataansvarlig",
        "Formål (-ene)",
        "Kategorierne af registrerede",
        "Modtagerne af personoplysningerne",
        "Tredjelande og internationale",
        "Sletning",
        "Tekniske og organisatoriske",
        "Supplerende oplysninger",
        "Tilknyttede dokumenter",
        "Åbne punkter",
        "Bemærkninger",
    ]
    assert table.count('<w:vMerge w:val="restart"/>') == len(sections)
    for label in sections:
        assert label in table
    assert '<w:pageBreakBefore/></w:pPr><w:bookmarkStart w:id="1" w:name="_Toc1"/>' in xml
    assert 'TOC \\o "1-1" \\h \\z \\u' in xml


def test_docx_lists_and_links(golden_out: Path) -> None:
    path = golden_out / "register.docx"
    xml = document_xml(path)
    # bullets: 2 in details, 4 in security, 2 review triggers in the register's own section
    assert xml.count('<w:numId w:val="1"/>') == 8
    assert xml.count('<w:numId w:val="100"/>') == 2  # the numbered list restarts on its own id
    assert '<w:ilvl w:val="1"/>' in xml  # nested bullets keep their level
    with zipfile.ZipFile(path) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
        numbering = package.read("word/numbering.xml").decode()
    assert 'Target="https://eksempel.dk/vilk%C3%A5r?a=1&amp;b=2" TargetMode="External"' in rels
    assert '<w:num w:numId="100">' in numbering
    # the introduction's numbered list, after the activities' one: a list of its own
    assert xml.count('<w:numId w:val="101"/>') == 2 and '<w:num w:numId="101">' in numbering


def test_docx_cover_and_properties(golden_out: Path) -> None:
    document = docx.Document(str(golden_out / "register.docx"))
    first = [p.text for p in document.paragraphs[:5]]
    assert first[:2] == ["Fortegnelse over behandlingsaktiviteter (dataansvarlig)", "Eksempel A/S"]
    assert "Version 1.0" in first and "Dato: 29. februar 2024" in first
    core = document.core_properties
    # the running header shows the title (a TITLE field), with the version and the date
    assert core.title == (
        "Fortegnelse over behandlingsaktiviteter (dataansvarlig) – Eksempel A/S · Version 1.0 · "
        "29. februar 2024"
    )
    assert core.created.isoformat().startswith("2024-02-29T00:00:00")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_a_controller_and_a_processor_register_each_hold_their_own(
    golden_out: Path, example_out: Path
) -> None:
    """Art. 30(1) and 30(2) are two records: each role's activities in its own document, with
    its own title; a register with one role writes only that one."""
    roles = {p.stem: yaml_role(p) for p in (REPO / "records").glob("*.yaml")}
    for stem, role, title in [
        ("register", "controller", "(dataansvarlig)"),
        ("register-processor", "processor", "(databehandler)"),
    ]:
        text = (example_out / f"{stem}.md").read_text(encoding="utf-8")
        title_line = text.split("\n", 1)[1]  # after the provenance line
        assert title_line.startswith(f"# Fortegnelse over behandlingsaktiviteter {title}")
        listed = {i for i in roles if f"(#{i})" in text or f'"activity-{i}"' in text}
        shown = {i for i, r in roles.items() if f"vedrørende {title_of(i)} (" in text}
        assert shown == {i for i, r in roles.items() if r == role}, listed
        document = docx.Document(str(example_out / f"{stem}.docx"))
        assert document.paragraphs[0].text.endswith(title)
    assert not list(golden_out.glob("register-processor.*"))  # the golden register: one role


def yaml_role(path: Path) -> str:
    return "processor" if "\nrole: processor" in path.read_text(encoding="utf-8") else "controller"


def title_of(record_id: str) -> str:
    for line in (REPO / "records" / f"{record_id}.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("title: "):
            return line.removeprefix("title: ").strip().strip('"')
    raise AssertionError(record_id)


def test_activity_documents_one_per_record(example_out: Path) -> None:
    ids = sorted(p.stem for p in (REPO / "records").glob("*.yaml"))
    assert sorted(p.stem for p in (example_out / "activities").glob("*.docx")) == ids


# --- labels: role and language ----------------------------------------------------------------


def test_role_decides_title_and_first_section(golden_out: Path, example_out: Path) -> None:
    controller = (golden_out / "register.md").read_text(encoding="utf-8")
    assert "(dataansvarlig)" in controller and "| **Dataansvarlig** |" in controller
    processor = docx.Document(str(example_out / "activities" / "support.docx"))
    assert (
        processor.paragraphs[0].text == "Behandlingsaktiviteter vedrørende Support (databehandler)"
    )
    assert processor.tables[0].rows[0].cells[0].text == "Databehandler"
    assert "Dataansvarlige" in [row.cells[0].text for row in processor.tables[0].rows]


def test_english_labels(tmp_path: Path) -> None:
    out = build(REPO, tmp_path / "en", "--lang", "en")
    document = docx.Document(str(out / "activities" / "support.docx"))
    assert document.paragraphs[0].text == "Processing activities concerning Support (processor)"
    assert document.paragraphs[1].text == "December 2026"
    html = (out / "register-processor.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Record of processing activities (processor)" in html
    assert "<strong>North Macedonia (MK)</strong>" in html  # country names follow the language


def test_unknown_language_is_a_usage_error(tmp_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["build", "--root", str(REPO), "--out", str(tmp_path), "--lang", "xx"])
    assert exited.value.code == 2
    assert "no labels for the language 'xx'" in capsys.readouterr().err
    assert not tmp_path.joinpath("register.docx").exists()


def test_register_can_override_a_template(tmp_path: Path) -> None:
    root = tmp_path / "register"
    shutil.copytree(GOLDEN / "register", root)
    (root / "templates").mkdir()
    (root / "templates" / "register.md.j2").write_text("Own template: {{ view.organisation }}\n")
    out = build(root, tmp_path / "out", "--format", "md")
    assert (out / "register.md").read_text() == "Own template: Eksempel A/S\n"


# --- record text is data ----------------------------------------------------------------------


def test_record_text_is_never_markup(golden_out: Path) -> None:
    html = (golden_out / "register.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in html and ">49<" not in html
    assert "&lt;b&gt;html&lt;/b&gt;" in html and "<b>html" not in html
    assert "Kunder &amp; &lt;aftaler&gt;" in html
    xml = document_xml(golden_out / "register.docx")
    assert "{{ 7*7 }}" in xml and "&lt;b&gt;html&lt;/b&gt;" in xml


def test_markdown_table_keeps_its_columns(golden_out: Path) -> None:
    from markdown_it import MarkdownIt

    text = (golden_out / "register.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("gfm-like").parse(text)
    tables, row = [], 0
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = 0
        elif token.type in ("th_open", "td_open"):
            row += 1
        elif token.type == "tr_close":
            tables[-1].append(row)
    # the register's own section (no checklist column), then each activity's table
    assert [set(widths) for widths in tables] == [{3}] + [{4}] * (len(tables) - 1)
    assert len(tables) > 1
    assert "en \\| pibe" in text


def test_docx_is_readable_by_python_docx(golden_out: Path) -> None:
    data = (golden_out / "register.docx").read_bytes()
    document = docx.Document(io.BytesIO(data))
    about, activity = document.tables  # the register's own section, then the activity
    assert about.cell(0, 0).text == "Om fortegnelsen" and about.cell(0, 1).text == "Indledning"
    assert activity.cell(0, 0).text == "Dataansvarlig"
