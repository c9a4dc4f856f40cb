"""The format holds real registers as they are (issue 9): explicit states, open points, reviews
and approval, contacts beyond a Danish company, per-group wording, companion links — in the
YAML, in the lint, and in every output (issue 10: never an empty cell, no tool jargon).

Each test builds or checks a copy of tests/data/clean (no finding at all) or the example, with
one change, and reads what the DPO would read.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from conftest import DATA, REPO, TODAY

from ropa_build.cli import main
from ropa_build.labels import load_labels
from ropa_build.models import Explicit, Organisation, Record, Review
from ropa_build.pipeline import Options, checked, lint, read_register
from ropa_build.render.view import activity_view, register_view
from ropa_build.rules import RULES

KUNDER = "records/kunder.yaml"
SECURITY = "security: Adgangsstyring og kryptering.\n"
MINIMAL = {"title": "X", "role": "controller", "owner": "O", "updated": "2026-01-01"}


def findings(root: Path) -> list[tuple[str, str]]:
    return [(p.code, p.path) for p in lint(root, Options(today=dt.date.fromisoformat(TODAY)))]


def build(root: Path, out: Path, *args: str) -> Path:
    code = main(["build", "--root", str(root), "--out", str(out), "--today", TODAY, *args])
    assert code == 0
    return out


def outputs(out: Path, activity: str) -> dict[str, str]:
    """The text a reader sees of one activity, per format (Word: every paragraph of the file)."""
    document = docx.Document(str(out / "activities" / f"{activity}.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return {
        "md": (out / "register.md").read_text(encoding="utf-8"),
        "html": (out / "register.html").read_text(encoding="utf-8"),
        "docx": "\n".join([p.text for p in document.paragraphs] + cells),
    }


# --- explicit states ---------------------------------------------------------------------------


def test_a_state_is_written_alone_or_with_a_note_and_the_simple_forms_still_work():
    record = Record.model_validate(
        {
            **MINIMAL,
            "reviewed": "2026-01-02",
            "dpo": "not-appointed",
            "transfers": "none",
            "security": {"state": "pending", "note": "Afventer IT"},
            "purposes": "Drift.",  # plain text stays text
        }
    )
    assert record.dpo == Explicit(state="not-appointed")
    assert record.transfers == Explicit(state="none")
    assert record.security == Explicit(state="pending", note="Afventer IT")
    assert record.purposes == "Drift."
    assert record.reviewed == Review(date=dt.date(2026, 1, 2))
    organisation = Organisation.model_validate(
        {"controller": {"name": "A"}, "dpo": {"name": "Anne", "email": "a@b.dk"}}
    )
    assert organisation.dpo.email == ["a@b.dk"]


def test_a_mistake_in_a_state_or_a_contact_is_reported_once_at_its_own_key(register, ropa):
    reg = register(DATA / "clean")
    reg.patch("organisation.yaml", "  title: DPO\n", "  titel: DPO\n")
    reg.patch("organisation.yaml", "representative: null", "representative: {state: maybe}")
    result = ropa("check", "--root", reg.root, "--today", TODAY)
    assert result.code == 1
    errors = [line for line in result.stderr.splitlines() if "error[" in line]
    assert len(errors) == 2, errors
    assert re.search(r"organisation\.yaml:10:\d+: error\[bad-value\]: 'maybe'", errors[0])
    assert re.search(
        r"organisation\.yaml:12:3: error\[unknown-key\]: unknown key 'titel'", errors[1]
    )
    assert "title" in errors[1]  # did you mean
    assert "<state>" not in result.stderr and "<value>" not in result.stderr


@pytest.mark.parametrize(
    ("security", "expected"),
    [
        ("security: not-applicable\n", []),  # said on purpose: nothing to find
        ("security: {state: none, note: Ingen særlige}\n", []),
        ("security: pending\n", [("open-point", KUNDER)]),  # open until answered
        ("security: {state: to-be-verified}\n", [("open-point", KUNDER)]),
        ("", [("missing-item", KUNDER)]),  # forgotten
    ],
)
def test_a_state_counts_as_stated_and_an_open_one_is_an_open_point(register, security, expected):
    reg = register(DATA / "clean")
    reg.patch(KUNDER, SECURITY, security)
    assert findings(reg.root) == expected


def test_states_read_as_words_in_every_output_never_an_empty_cell(register, tmp_path):
    reg = register(DATA / "clean")
    reg.patch(
        "organisation.yaml",
        "dpo:\n  title: DPO\n  name: Dorte Poulsen\n  email: dpo@eksempel.dk\n",
        "dpo:\n  state: not-appointed\n  note: Artikel 37 gælder ikke.\n",
    )
    reg.patch(KUNDER, "mechanism: adequacy", "mechanism: {state: pending, note: Venter på DPF}")
    reg.patch(KUNDER, "period: 3 år efter kundeforholdets ophør.", "period: to-be-verified")
    out = build(reg.root, tmp_path / "da")
    for form, text in outputs(out, "kunder").items():
        assert "Ikke udpeget" in text and "Artikel 37 gælder ikke." in text, form
        assert "Afventer afklaring (Venter på DPF)" in text, form
        assert "Skal verificeres" in text, form
        assert "not-appointed" not in text and "to-be-verified" not in text, form
    english = outputs(build(reg.root, tmp_path / "en", "--lang", "en"), "kunder")
    assert all("Not appointed" in text and "Pending" in text for text in english.values())


def test_no_content_cell_is_empty_in_the_example():
    out_cells = []
    document = docx.Document(str(_example_out() / "register.docx"))
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells]
            if len(cells) >= 3:
                out_cells.append(cells)
    empty = [cells for cells in out_cells if not cells[2]]
    assert out_cells and empty == []


_EXAMPLE: dict[str, Path] = {}


def _example_out() -> Path:
    if "out" not in _EXAMPLE:
        import tempfile

        _EXAMPLE["out"] = build(REPO, Path(tempfile.mkdtemp()) / "out")
    return _EXAMPLE["out"]


# --- open points -------------------------------------------------------------------------------


def test_open_points_are_a_visible_section_of_the_activity_in_every_output(register, tmp_path):
    reg = register(DATA / "clean")
    reg.patch(
        KUNDER,
        SECURITY,
        SECURITY + "open_points:\n  - kind: question\n    description: Er loggen omfattet?\n"
        "    raised_by: Dorte Poulsen\n    raised: 2026-11-02\n    about: retention\n"
        "  - Hvem godkender sletningen?\n",
    )
    text = outputs(build(reg.root, tmp_path / "out"), "kunder")
    for form, shown in text.items():
        assert "Åbne punkter" in shown, form
        assert "Spørgsmål til databeskyttelsesrådgiveren" in shown, form
        assert "Er loggen omfattet?" in shown and "Hvem godkender sletningen?" in shown, form
        assert "rejst af Dorte Poulsen, den 2. november 2026, vedrører Sletning" in shown, form
    assert findings(reg.root) == [("open-point", KUNDER)] * 2


def test_the_example_holds_the_seeds_open_questions_as_open_points_not_facts():
    support = yaml.safe_load((REPO / "records/support.yaml").read_text(encoding="utf-8"))
    mk = next(t for t in support["transfers"]["items"] if t["country"] == "MK")
    assert mk["mechanism"]["state"] == "to-be-verified" and "documentation" not in mk
    points = [(p["kind"], p["about"]) for p in support["open_points"]]
    assert points[:2] == [
        ("to-verify", "transfers"),
        ("question", "transfers"),
    ]  # mechanism, entity
    # since the split (issue 10) the re-labelled second "kunder" block is in Supporthenvendelser
    requests = yaml.safe_load((REPO / "records/supporthenvendelser.yaml").read_text("utf-8"))
    relabelled = requests["open_points"][0]
    assert relabelled["kind"] == "assumption" and relabelled["about"] == "data_subjects"
    assert "medarbejdere" in relabelled["description"]
    catalogue = (REPO / "catalogue.yaml").read_text(encoding="utf-8")
    assert "DOOEL" not in catalogue  # the seed names no Macedonian company
    assert "DOOEL" not in (REPO / "records/loenadministration.yaml").read_text(encoding="utf-8")
    shown = outputs(_example_out(), "support")["docx"]
    assert "Standardkontraktbestemmelser" not in shown.split("Tekniske og organisatoriske")[0]
    assert "Nordmakedonien (MK): Kundeservice i Nordmakedonien — Skal verificeres" in shown
    # the seed's own wording of the customers' checklist line, where the customers' block went
    requests_shown = outputs(_example_out(), "supporthenvendelser")["docx"]
    assert "Identifikationsoplysninger, herunder navn, telefonnummer og e-mail" in requests_shown
    # null parties are explicit states, shown as words
    org = (REPO / "organisation.yaml").read_text(encoding="utf-8")
    assert "null" not in yaml.safe_load(org).values()
    assert "Ikke relevant — Virksomheden er etableret i Danmark" in shown


def test_the_example_register_is_legally_right():
    """Issue 10's review of the example: the only findings are open points and the one gap the
    seed leaves (no agreement for the staff in North Macedonia); processor records state no basis
    of their own and no employees; both processor records name the same sub-processor as the
    catalogue; the newsletter's tracking rests on consent; the CPR, Art. 9(2)(b) and Art. 10
    grounds are structured; Kundeforhold has no prospects."""
    found = findings(REPO)
    assert {code for code, _ in found} == {"open-point", "processor-without-agreement"}
    assert [p for code, p in found if code != "open-point"] == ["catalogue.yaml"]  # support-mk
    register = _read(REPO)
    records = {a.id: a.record for a in register.activities}
    processors = {i: r for i, r in records.items() if r.role == "processor"}
    assert sorted(processors) == ["kampagneudsendelse", "support"]
    for record in processors.values():
        assert record.lawful_basis is None and record.controllers
        assert all(
            "employment" not in g.categories and g.name != "medarbejdere"
            for g in record.data_subjects.groups
        )
    subs = {i: {u.ref for u in r.recipients.processors} for i, r in processors.items()}
    assert subs["kampagneudsendelse"] == subs["support"] - {"support-mk"} == {"google-cloud"}
    google = register.catalogue.systems["google-cloud"]
    assert (google.kind, google.vendor, google.authorisation) == (
        "processor",
        "Google Ireland Ltd.",
        "general",
    )
    requests = records["supporthenvendelser"]
    assert requests.role == "controller" and requests.lawful_basis.grounds
    newsletter = records["nyhedsbrev"].lawful_basis
    (tracking,) = [g for g in newsletter.grounds if "klik" in g.applies_to]
    assert tracking.art6 == ["a"] and [s.law for s in tracking.statutes] == [
        "cookiebekendtgørelsen"
    ]
    payroll = records["loenadministration"].lawful_basis
    assert {(s.law, s.section) for s in payroll.statutes} == {
        ("databeskyttelsesloven", "§ 11, stk. 2, nr. 1"),
        ("databeskyttelsesloven", "§ 12, stk. 1"),
        ("databeskyttelsesloven", "§ 8, stk. 3"),
    }
    customers = records["kundeforhold"].data_subjects
    said = [customers.description, *(g.name for g in customers.groups)]
    assert not any("prospekt" in str(text).lower() for text in said)


# --- reviews, approval, version --------------------------------------------------------------


def test_who_reviewed_is_shown_and_the_bare_date_still_works(register, tmp_path):
    reg = register(DATA / "clean")
    reg.patch(KUNDER, "reviewed: 2026-06-01", "reviewed: {date: 2026-06-01, by: Dorte Poulsen}")
    text = outputs(build(reg.root, tmp_path / "out"), "kunder")
    for form, shown in text.items():
        assert "Senest gennemgået af Dorte Poulsen: 1. juni 2026" in shown, form
    support = outputs(tmp_path / "out", "support")["docx"]
    assert "Senest gennemgået: 1. juni 2026" in support  # the date alone


def test_the_register_view_has_no_invented_version_and_carries_the_approval(register):
    reg = register(DATA / "clean")
    reg.patch("organisation.yaml", '  version: "1"\n', "")
    labels = load_labels(reg.root, "da")
    view = register_view(_read(reg.root), labels, "da", "controller")
    assert view.version == "" and view.approval == ""
    reg.patch(
        "organisation.yaml",
        "document:\n",
        "document:\n  version: '1.1'\n"
        "  approved: {version: '1.1', date: 2026-06-02, by: Direktionen}\n"
        "  version_log:\n    - {version: '1.1', date: 2026-06-02, by: DPO, changes: Ny sletning}\n"
        "  next_review: 2027-06-01\n  review_triggers: [Nyt system]\n"
        "  introduction: Fortegnelsen dækker hele virksomheden.\n",
    )
    view = register_view(_read(reg.root), labels, "da", "controller")
    assert view.version == "1.1"
    assert view.approval == "Godkendt af Direktionen den 2. juni 2026 (version 1.1)"
    (about,) = view.about
    rows = {row.description: row for row in about.rows}
    assert set(rows) == {
        "Indledning",
        "Godkendelse",
        "Versionslog",
        "Næste gennemgang",
        "Anledninger til gennemgang",
    }
    assert findings(reg.root) == []  # approved after the last change (2026-06-01)


def _read(root: Path):
    return checked(root, Options(today=dt.date.fromisoformat(TODAY)))[0]


# --- contacts --------------------------------------------------------------------------------


def test_a_cvr_with_spaces_other_registrations_and_a_contact_person(register, tmp_path):
    reg = register(DATA / "clean")
    reg.patch(
        "organisation.yaml",
        '  cvr: "12345678"\n',
        '  cvr: "12 34 56 78"\n  registration: [{kind: Org.nr., number: "912 345 678"}]\n'
        "  contact_person: Jens Hansen, direktør\n",
    )
    assert findings(reg.root) == []
    shown = outputs(build(reg.root, tmp_path / "out"), "kunder")["docx"]
    assert "CVR: 12345678" in shown and "Org.nr.: 912 345 678" in shown
    assert "Kontaktperson: Jens Hansen, direktør" in shown


def test_a_placeholder_cvr_is_unfinished_work_not_a_malformed_number(register):
    reg = register(DATA / "clean")
    reg.patch("organisation.yaml", '  cvr: "12345678"\n', '  cvr: "[Indsæt CVR]"\n')
    assert ("todo-left", "organisation.yaml") in findings(reg.root)


# --- links, labels, plain words ----------------------------------------------------------------


def test_a_relative_link_to_a_companion_document_stays_a_link(register, tmp_path):
    reg = register(DATA / "clean")
    reg.patch(
        KUNDER,
        "purposes: Levering af vores ydelser til kunderne.",
        "purposes: Levering af ydelser, se [privatlivspolitikken](docs/privatliv.md) og "
        "[dette](javascript:alert%281%29) og [hint](//evil.example/x).",
    )
    out = build(reg.root, tmp_path / "out")
    assert "](<docs/privatliv.md>)" in (out / "register.md").read_text(encoding="utf-8")
    html = (out / "register.html").read_text(encoding="utf-8")
    assert 'href="docs/privatliv.md"' in html and 'href="javascript' not in html
    with zipfile.ZipFile(out / "register.docx") as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    assert 'Target="docs/privatliv.md" TargetMode="External"' in rels
    assert "javascript" not in rels and "evil" not in rels


def test_each_processor_shows_its_legal_entity_agreement_and_countries():
    shown = outputs(_example_out(), "support")["docx"]
    assert "Juridisk enhed: Google Ireland Ltd." in shown
    assert "Behandles i: Belgien og USA" in shown
    assert "Etableret i: Irland" in shown
    assert "Godkendelse som underdatabehandler: Generel godkendelse" in shown
    # the processor with no agreement shows the gap, not a blank
    mk = shown.split("Kundeservice i Nordmakedonien (support")[1]
    assert mk.split("modtager om")[0].count("Databehandleraftale: Ikke udfyldt") == 1


def test_accepted_findings_are_in_plain_words_without_rule_codes():
    for lang in ("da", "en"):
        plain = load_labels(REPO, lang)["accepted_findings"]
        assert {code for code, r in RULES.items() if r.record_may_accept} <= set(plain), lang
    text = outputs(_example_out(), "nyhedsbrev")
    for form, shown in text.items():
        assert "retention-indefinite" not in shown and "ropa check" not in shown, form
        assert "Oplysninger opbevares uden fast slettefrist" in shown, form


def test_english_labels_follow_article_30s_official_english(tmp_path):
    out = build(REPO, tmp_path / "en", "--lang", "en")
    text = (out / "register.md").read_text(encoding="utf-8")
    assert "Describe:" not in text
    assert "envisaged time limits for erasure of the different categories of data" in text
    assert "uniquely identifying a natural person" in text
    processor = (out / "register-processor.md").read_text(encoding="utf-8")
    assert "Describe:" not in processor
    support = processor.split("Processing activities concerning Support")[-1]
    assert "| Sub-processors |" in support


def test_danish_processor_rows_follow_article_30_2():
    shown = outputs(_example_out(), "support")["docx"]
    assert "på vegne af den enkelte dataansvarlige" in shown


def test_the_view_of_an_activity_has_no_empty_row_content():
    register = _read(REPO)
    labels = load_labels(REPO, "da")
    for activity in register.activities:
        for section in activity_view(register, activity, labels).sections:
            assert all(row.content for row in section.rows), (activity.id, section.label)


# --- register-level content stated once ------------------------------------------------------

STATEMENTS = (
    "statements:\n"
    "  it: {title: IT-sikkerhedspolitik, text: Kryptering og personligt login.}\n"
    "  evigt: {title: Arkiv, text: Gemmes på ubestemt tid.}\n"
    "documents:\n  dpa: {title: Databehandleraftale, link: docs/dpa.pdf, kind: aftale}\n"
    "document:\n"
)


def test_a_shared_statement_is_stated_once_and_shown_where_a_record_refers_to_it(
    register, tmp_path
):
    reg = register(DATA / "clean")
    reg.patch("organisation.yaml", "document:\n", STATEMENTS)
    reg.patch(KUNDER, SECURITY, "security: {shared: it, also: Og log.}\ndocuments: [dpa]\n")
    assert findings(reg.root) == []
    for form, shown in outputs(build(reg.root, tmp_path / "out"), "kunder").items():
        assert "Kryptering og personligt login." in shown, form
        assert "Fælles for fortegnelsen: IT-sikkerhedspolitik" in shown and "Og log." in shown
        assert "Tilknyttede dokumenter" in shown and "docs/dpa.pdf" in shown, form


def test_rules_read_the_shared_text_a_record_refers_to(register):
    reg = register(DATA / "clean")
    reg.patch("organisation.yaml", "document:\n", STATEMENTS)
    reg.patch(KUNDER, "retention:\n", "retention:\n  description: {shared: evigt}\n")
    assert ("retention-indefinite", KUNDER) in findings(reg.root)


# --- the structure real documents need (issue 9, items 5, 10, 11, 12, 13, 14, 15) ---------------

SUPPORT = "records/support.yaml"
RICH_KUNDER = {
    "role: controller\n": "role: controller\nnumber: '3.2'\nunit: Salg › Norden\nstatus: active\n"
    "dpia: {required: true, status: in-progress, risk: high, link: docs/dpia.pdf}\n"
    "data_source: Kundens egen registrering i webshoppen.\nautomated_decisions: none\n",
    "  art6: [b, c]\n": "  art6: [b, c]\n  statutes: [{law: bogføringsloven, section: § 10}]\n"
    "  grounds:\n    - applies_to: nyhedsbreve\n      art6: [a, f]\n      alternatives: true\n"
    "      other: markedsføringsloven § 10\n",
    "  others:\n": "  roles: [Medarbejdere med et arbejdsbetinget behov]\n  others:\n",
    "      mechanism: adequacy\n": "      mechanism: adequacy\n      alternatives: [scc]\n"
    "      scc_module: 2\n      tia: docs/tia-us.pdf\n      same_entity: false\n",
    "      period: 3 år efter kundeforholdets ophør.\n": "      period: 3 år.\n"
    "      counted_from: kundeforholdets ophør\n      minimum: 3 år\n      maximum: 4 år\n"
    "      method: anonymise\n      statute: forældelsesloven § 3\n"
    "    - categories: []\n      records: Sikkerhedskopier\n      period: 35 dage.\n",
}


def test_each_new_field_is_written_in_yaml_checks_clean_and_reads_in_the_document(
    register, tmp_path
):
    reg = register(DATA / "clean")
    for old, new in RICH_KUNDER.items():
        reg.patch(KUNDER, old, new)
    reg.patch(
        SUPPORT,
        "  - {name: Vores kunder, web: https://eksempel.dk/konto}\n",
        "  - name: Vores kunder\n    web: https://eksempel.dk/konto\n"
        "    agreement: {version: v3, date: 2026-01-15, status: signed}\n"
        "    representative: {name: EU-Rep GmbH}\n",
    )
    reg.patch(
        "catalogue.yaml",
        "    countries: [MK]\n",
        "    countries: [MK]\n    established: MK\n    authorisation: general\n",
    )
    assert findings(reg.root) == []
    out = build(reg.root, tmp_path / "out")
    kunder, support = outputs(out, "kunder")["docx"], outputs(out, "support")["docx"]
    for expected in (
        "Supplerende oplysninger",
        "Aktivitetsnummer\n3.2",
        "Salg › Norden",
        "Påkrævet · Status: I gang · Risikoniveau: Høj",
        "Kundens egen registrering i webshoppen.",
        "Automatiske afgørelser, herunder profilering (artikel 22)\nIngen",
        "Lovgrundlag: bogføringsloven § 10",
        "For nyhedsbreve: Artikel 6, stk. 1, litra a og/eller f; markedsføringsloven § 10",
        "Modtagere efter rolle\nMedarbejdere med et arbejdsbetinget behov",
        "Alternativt grundlag: Standardkontraktbestemmelser",
        "Modul: Modul 2 (dataansvarlig til databehandler)",
        "Vurdering af overførslen: docs/tia-us.pdf",
        "Modtageren er en anden juridisk enhed.",
        "Regnet fra: kundeforholdets ophør · Mindst: 3 år · Højst: 4 år · Metode: Anonymisering",
        "Sikkerhedskopier: 35 dage.",
    ):
        assert expected in kunder, expected
    assert "Databehandleraftale: v3, 15. januar 2026, underskrevet" in support
    assert "Repræsentant: EU-Rep GmbH" in support
    assert "Etableret i: Nordmakedonien" in support
    assert "Godkendelse som underdatabehandler: Generel godkendelse" in support


@pytest.mark.parametrize(("same_entity", "found"), [("true", False), ("false", True), ("", True)])
def test_own_staff_abroad_is_no_transfer_and_another_entity_is(register, same_entity, found):
    """EDPB Guidelines 05/2021: the catalogue's same_entity decides; left out, the rule asks."""
    reg = register(DATA / "clean")
    reg.patch(SUPPORT, "transfers:\n  items:\n", "transfers:\n  description: Ingen.\n  old:\n")
    reg.patch(SUPPORT, "  old:\n", "  items: []\n  old:\n")
    text = (reg.root / SUPPORT).read_text(encoding="utf-8")
    (reg.root / SUPPORT).write_text(text.split("  old:\n")[0] + "security: Log.\n")
    if same_entity:
        reg.patch(
            "catalogue.yaml",
            "    countries: [MK]\n",
            f"    countries: [MK]\n    same_entity: {same_entity}\n",
        )
    problems = lint(reg.root, Options(today=dt.date.fromisoformat(TODAY)))
    hits = [p for p in problems if p.code == "unlisted-transfer"]
    assert bool(hits) is found
    if same_entity == "false":
        assert "is another entity: add a transfer" in hits[0].hint
    elif not same_entity and hits:
        assert "same_entity: true" in hits[0].hint


def test_one_data_list_for_several_groups_keeps_each_groups_linkage(register, tmp_path, ropa):
    reg = register(DATA / "clean")
    reg.patch(
        KUNDER,
        "      categories: [identification, financial]\n",
        "      categories: [identification, financial]\n"
        "    - id: prospekter\n      name: prospekter\n      same_data_as: kunder\n",
    )
    reg.patch(
        KUNDER,
        "        kunder: [financial]\n",
        "        kunder: [financial]\n        prospekter: [financial]\n",
    )
    assert findings(reg.root) == []  # prospekter has kunder's categories, so skat may get them
    shown = outputs(build(reg.root, tmp_path / "out"), "kunder")["docx"]
    assert "Oplysninger, som behandles om prospekter" in shown
    assert "modtager om prospekter: økonomiske oplysninger" in shown
    reg.patch(KUNDER, "same_data_as: kunder", "same_data_as: kundr")
    result = ropa("check", "--root", reg.root, "--today", TODAY)
    assert result.code == 1 and "same_data_as 'kundr' names no group" in result.stderr


@pytest.mark.parametrize(
    ("dpo", "expected"),
    [
        ("", [("party-not-stated", "organisation.yaml")]),  # forgotten
        ("dpo: not-appointed\n", []),
        ("dpo: {state: not-stated, note: Dokumentet nævner ingen}\n", []),
        ("dpo: {state: to-be-verified}\n", [("open-point", "organisation.yaml")]),
    ],
)
def test_a_party_stated_as_a_state_draws_no_party_not_stated(register, dpo, expected):
    reg = register(DATA / "clean")
    reg.patch(
        "organisation.yaml",
        "dpo:\n  title: DPO\n  name: Dorte Poulsen\n  email: dpo@eksempel.dk\n",
        dpo,
    )
    assert findings(reg.root) == expected


def test_the_approval_is_on_every_documents_cover(register, ropa):
    """The DPO's signature, where the register carries it: on the cover of the Word file, and
    the first lines of the Markdown and the HTML."""
    reg = register(DATA / "clean")
    reg.patch(
        "organisation.yaml",
        "document:\n",
        "document:\n  approved: {version: '1.1', date: 2026-06-02, by: Direktionen}\n",
    )
    assert ropa("build", "--root", reg.root, "--format", "docx", "md", "html").code == 0
    line = "Godkendt af Direktionen den 2. juni 2026 (version 1.1)"
    out = reg.root / "output"
    cover = [p.text for p in docx.Document(str(out / "register.docx")).paragraphs[:8]]
    assert line in cover
    assert f"**{line}**" in (out / "register.md").read_text(encoding="utf-8").split("## ")[0]
    html = (out / "register.html").read_text(encoding="utf-8")
    assert f"<strong>{line}</strong>" in html.split("</header>")[0]


def test_activities_are_in_the_order_of_their_numbers(register, ropa):
    """A register that numbers its activities is shown in that order ("2" before "10"); the
    unnumbered ones follow, by file name."""
    reg = register(DATA / "clean")
    reg.patch("records/support.yaml", "title: Support\n", "title: Support\nnumber: '2'\n")
    reg.patch("records/kunder.yaml", "title: Kundeforhold\n", "title: Kundeforhold\nnumber: '10'\n")
    assert ropa("build", "--root", reg.root, "--format", "md").code == 0
    text = (reg.root / "output" / "register.md").read_text(encoding="utf-8")
    processor = (reg.root / "output" / "register-processor.md").read_text(encoding="utf-8")
    assert "Support" in processor and "Kunde" in text  # each in its role's register
    assert [a.id for a in read_register(reg.root).activities] == ["support", "kunder"]
