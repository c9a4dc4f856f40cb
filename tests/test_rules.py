"""The rules' building blocks, beyond one case each: the retention phrase list, placeholders,
the adequacy list's facts and dates, international organisations, employees under the DPF.

tests/test_check.py proves each rule fires at its place and stays quiet on a near miss; here
the phrase lists are tested phrase by phrase, and the adequacy data against its sources
(DOMAIN.md §4), so a careless edit of schema/adequacy.yaml fails a test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DATA, REPO

from ropa_build.pipeline import Options, lint
from ropa_build.rules.hygiene import placeholder
from ropa_build.rules.retention import says_indefinite
from ropa_build.vocabulary import load_vocabulary

KUNDER = "records/kunder.yaml"


@pytest.mark.parametrize(
    "text",
    [
        "Gemmes på ubestemt tid.",
        "Oplysningerne opbevares indtil videre.",
        "Så længe det er nødvendigt.",
        "Vi gemmer dem, så længe det er nødvendigt for formålet.",
        "Opbevares permanent i arkivet.",
        "Oplysningerne slettes ikke.",
        "Kept indefinitely.",
        "Stored until further notice.",
        "For as long as necessary.",
        "Retained permanently.",
        "Backups are kept forever.",
        "Vi sletter ikke kunder, de gemmes på ubestemt tid.",  # negation in another clause
        "Gemmes på ubestemt tid. Log slettes senest efter 30 dage.",  # a bound in another sentence
    ],
)
def test_phrases_without_a_time_limit_warn(text):
    assert says_indefinite(text)


@pytest.mark.parametrize(
    "text",
    [
        "Slettes ikke senere end 12 måneder efter ophør.",
        "Slettes ikke før regnskabsårets udløb, og senest 5 år efter.",
        "Slettes ikke, før sagen er afsluttet.",
        "Slettes permanent efter 30 dage.",
        "Slettes altid efter 5 år.",
        "Deleted permanently after 30 days.",
        "Until deleted by the customer.",
        "30 dage efter, at abonnementet er udløbet.",
        "Gemmes ikke på ubestemt tid, men slettes efter 2 år.",
        "Data is not kept indefinitely: it is erased after 13 months.",
        "Indtil kunden sletter kontoen.",
        "Så længe det er nødvendigt, dog højst 6 år efter ophør.",
        "As long as necessary, at most 2 years after the contract ends.",
    ],
)
def test_phrases_with_a_limit_do_not_warn(text):
    assert not says_indefinite(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("TODO: beskriv", "TODO"),
        ("Navn: [Indsæt navn]", "[Indsæt navn]"),
        ("[Dato]", "[Dato]"),
        ("[Insert the vendor's address]", "[Insert the vendor's address]"),
        ("[indsæt …]", "[indsæt …]"),
        ("Todo-liste over opgaver", None),
        ("Nørregade 1 [bagindgang]", None),
        ("Se [Dato for gennemgang](https://eksempel.dk/d).", None),
        ("Artikel 6, stk. 1 [litra b]", None),
    ],
)
def test_placeholders_are_found_and_ordinary_brackets_are_not(text, found):
    assert placeholder(text) == found


# --- the adequacy list (schema/adequacy.yaml), as of December 2026 ------------------------


@pytest.fixture(scope="module")
def vocabulary():
    return load_vocabulary(REPO)


def test_the_list_is_dated_december_2026(vocabulary):
    assert vocabulary.adequacy_as_of == "2026-12-01"


def test_each_decision_has_its_reference_and_date(vocabulary):
    for code, spec in vocabulary.adequate.items():
        assert spec.get("decision") and isinstance(spec.get("adopted"), dt.date), code


@pytest.mark.parametrize(
    ("code", "facts"),
    [
        ("BR", {"adopted": dt.date(2026, 1, 26), "review": dt.date(2030, 1, 26)}),
        ("GB", {"adopted": dt.date(2025, 12, 19), "expires": dt.date(2031, 12, 27)}),
        ("org:epo", {"adopted": dt.date(2025, 7, 15)}),
        ("US", {"adopted": dt.date(2023, 7, 10), "requires": "dpf_certified"}),
        ("KR", {"adopted": dt.date(2021, 12, 17)}),
        ("JP", {"adopted": dt.date(2019, 1, 23)}),
    ],
)
def test_decisions_as_the_sources_give_them(vocabulary, code, facts):
    spec = vocabulary.adequate[code]
    assert {key: spec.get(key) for key in facts} == facts
    assert "2026/179" in vocabulary.adequate["BR"]["decision"]


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("CA", "PIPEDA"),
        ("JP", "APPI"),
        ("KR", "Credit Information Act"),
        ("US", "HR data"),
    ],
)
def test_partial_decisions_say_their_scope(vocabulary, code, words):
    assert words in vocabulary.adequate[code]["scope"]


def test_the_us_decision_carries_its_watch_note(vocabulary):
    assert "T-553/23" in vocabulary.adequate["US"]["note"]


def test_an_international_organisation_is_a_destination_with_a_name(vocabulary):
    assert vocabulary.third_country("org:epo")
    assert vocabulary.destination_name("org:epo", "da") == "Den Europæiske Patentorganisation"
    assert vocabulary.destination_name("org:epo", "en") == "European Patent Organisation"
    assert vocabulary.destination_name("MK", "en") == "North Macedonia"
    assert vocabulary.destination_name("org:nowhere", "en") is None


# --- rules on the clean register, judged on chosen days ----------------------------------


def found(root, code, today="2026-11-25"):
    """(path, line, message) of the rule's findings (other rules, e.g. review-overdue on a
    far-off day, are not this test's business)."""
    problems = lint(root, Options(dt.date.fromisoformat(today)))
    return [(p.path, p.line, p.message) for p in problems if p.code == code]


def uk_transfer(register):
    reg = register(DATA / "clean")
    reg.patch(KUNDER, "country: US", "country: GB")
    reg.patch("catalogue.yaml", "countries: [US]", "countries: [GB]")
    reg.patch("catalogue.yaml", "    dpf_certified: true\n", "")
    return reg


def test_the_uk_decisions_apply_on_their_last_day_and_not_after(register):
    reg = uk_transfer(register)
    assert found(reg.root, "adequacy-expired", "2031-12-27") == []
    assert found(reg.root, "adequacy-expired", "2031-12-28") == [
        (KUNDER, 32, "the adequacy decision for GB expired on 2031-12-27")
    ]


def test_the_built_in_list_goes_stale_a_year_after_its_date(register):
    reg = register(DATA / "clean")
    assert found(reg.root, "adequacy-list-stale", "2027-12-01") == []
    ((path, _, message),) = found(reg.root, "adequacy-list-stale", "2027-12-02")
    assert path.endswith("adequacy.yaml")
    assert message == "the adequacy list is of 2026-12-01, more than 12 months old"


@pytest.mark.parametrize("country", ["JP", "KR", "CA"])
def test_a_partial_decision_asks_to_confirm_the_recipient(register, country):
    reg = register(DATA / "clean")
    reg.patch("records/support.yaml", "country: MK", f"country: {country}")
    reg.patch("catalogue.yaml", "countries: [MK]", f"countries: [{country}]")
    reg.patch(
        "records/support.yaml",
        "      mechanism: scc\n      documentation: Standardkontraktbestemmelser (2021/914), "
        "underskrevet 2021-03-01.\n",
        "      mechanism: adequacy\n",
    )
    found = lint(reg.root, Options(dt.date(2026, 11, 25)))
    assert [p.code for p in found] == ["adequacy-partial"]
    assert "covers only" in found[0].message


def staff_in_us(register):
    """kunder.yaml's customers become employees (the category employment), sent to Zendesk."""
    reg = register(DATA / "clean")
    reg.patch(
        KUNDER,
        "      categories: [identification, financial]\n",
        "      categories: [identification, financial, employment]\n",
    )
    return reg


def test_employees_data_under_the_dpf_needs_hr_certification(register):
    reg = staff_in_us(register)
    ((path, line, message),) = found(reg.root, "adequacy-partial")
    assert (path, line) == (KUNDER, 32) and "HR data" in message
    reg.patch(
        "catalogue.yaml", "dpf_certified: true\n", "dpf_certified: true\n    dpf_hr_data: true\n"
    )
    assert found(reg.root, "adequacy-partial") == []


def test_customers_data_under_the_dpf_needs_no_hr_certification(register):
    assert lint(register(DATA / "clean").root, Options(dt.date(2026, 11, 25))) == []
