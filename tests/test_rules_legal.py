"""The rules of issue 10 beyond one case each: the national-law grounds (CPR numbers, the
Art. 9(2) letters that rest on a law, criminal-offence data), the SCC module and transfer impact
assessment, derogations for occasional transfers only, own staff abroad, and placeholders in
every file of the register.

Like tests/test_check.py, each case patches tests/data/clean (a register with no finding) once
so that the rule fires at exactly the listed places, and once with the nearest thing that is
right, so that it stays quiet; ``test_every_rule_has_a_case`` there counts these cases too.
"""

from __future__ import annotations

import pytest
from conftest import REPO
from test_check import KUNDER, SUPPORT, Case, findings, ids, patched

from ropa_build.check import RULES
from ropa_build.errors import UserError
from ropa_build.labels import load_labels
from ropa_build.models import Transfer
from ropa_build.models.basis import Statute
from ropa_build.render.extras import transfer_lines
from ropa_build.rules.grounds import danish_act_section

CATEGORIES = "      categories: [identification, financial]\n"
WITH_CPR = "      categories: [identification, financial, cpr]\n"
WITH_HEALTH = "      categories: [identification, financial, health_genetic]\n"
WITH_CRIMINAL = "      categories: [identification, financial, criminal_offences]\n"
BASIS = "  art6: [b, c]\n"
PERIOD = "      period: 3 år efter kundeforholdets ophør.\n"


def basis(*lines: str) -> tuple[str, str, str]:
    """kunder.yaml's lawful basis with ``lines`` added under it."""
    return (KUNDER, BASIS, BASIS + "".join(f"  {line}\n" for line in lines))


DBL_11 = "statutes: [{law: databeskyttelsesloven, section: '§ 11, stk. 2, nr. 1'}]"
DBL_12 = "statutes: [{law: databeskyttelsesloven, section: '§ 12, stk. 1'}]"
BOTH = (
    "statutes: [{law: databeskyttelsesloven, section: '§ 11, stk. 2, nr. 1'}, "
    "{law: databeskyttelsesloven, section: '§ 12, stk. 1'}]"
)
MODULE = "      scc_module: 3\n"
TIA = "      tia: Vurdering af overførslen, 2021-03-01.\n"
ZENDESK_SCC = (
    KUNDER,
    "      mechanism: adequacy\n",
    "      mechanism: adequacy\n      alternatives: [scc]\n",
)
DEROGATION = (
    SUPPORT,
    "      mechanism: scc\n",
    "      mechanism: derogation\n      derogation: b\n",
)

LEGAL_CASES = [
    Case(  # a CPR number with its ground only in free text: not stated structurally
        "cpr-without-ground",
        [(KUNDER, CATEGORIES, WITH_CPR), basis("description: CPR efter § 11, stk. 2, nr. 1.")],
        [(KUNDER, 15, 47)],
        [(KUNDER, CATEGORIES, WITH_CPR), basis(DBL_11)],
    ),
    Case(  # § 12 is not the CPR ground; a grounds entry for the CPR number is
        "cpr-without-ground",
        [(KUNDER, CATEGORIES, WITH_CPR), basis(DBL_12)],
        [(KUNDER, 15, 47)],
        [
            (KUNDER, CATEGORIES, WITH_CPR),
            basis("grounds: [{applies_to: cpr, statutes: [{law: kildeskatteloven}]}]"),
        ],
    ),
    Case(  # a processor states no basis of its own: its CPR numbers are the controller's affair
        "cpr-without-ground",
        [(KUNDER, CATEGORIES, WITH_CPR)],
        [(KUNDER, 14, 47)],
        [(SUPPORT, "categories: [identification]", "categories: [identification, cpr]")],
    ),
    Case(  # Art. 9(2)(h) rests on a law; Art. 9(2)(a) (explicit consent) does not
        "special-without-national-law",
        [(KUNDER, CATEGORIES, WITH_HEALTH), basis("art9: [a, h]")],
        [(KUNDER, 9, 13)],
        [(KUNDER, CATEGORIES, WITH_HEALTH), basis("art9: [a, f]")],
    ),
    Case(  # the CPR section is not a reference for Art. 9(2)(b); § 12 (employment) is
        "special-without-national-law",
        [(KUNDER, CATEGORIES, WITH_HEALTH), basis("art9: [b]", DBL_11)],
        [(KUNDER, 9, 10)],
        [(KUNDER, CATEGORIES, WITH_HEALTH), basis("art9: [b]", BOTH)],
    ),
    Case(  # a letter for part of the activity, with or without its own statute
        "special-without-national-law",
        [
            (KUNDER, CATEGORIES, WITH_HEALTH),
            basis("grounds: [{applies_to: health_genetic, art9: [i]}]"),
        ],
        [(KUNDER, 9, 49)],
        [
            (KUNDER, CATEGORIES, WITH_HEALTH),
            basis(
                "grounds: [{applies_to: health_genetic, art9: [i], "
                "statutes: [{law: Gesundheitsgesetz, country: DE}]}]"
            ),
        ],
    ),
    Case(  # the ground of Art. 10 data: art10 in words, a statute, or a grounds entry
        "criminal-data-without-ground",
        [(KUNDER, CATEGORIES, WITH_CRIMINAL), basis(DBL_11)],
        [(KUNDER, 15, 47)],
        [
            (KUNDER, CATEGORIES, WITH_CRIMINAL),
            basis("statutes: [{law: databeskyttelsesloven, section: '§ 8, stk. 3'}]"),
        ],
    ),
    Case(
        "criminal-data-without-ground",
        [(KUNDER, CATEGORIES, WITH_CRIMINAL), basis("description: Straffeattest.")],
        [(KUNDER, 15, 47)],
        [
            (KUNDER, CATEGORIES, WITH_CRIMINAL),
            basis("grounds: [{applies_to: straffeattest, other: udtrykkeligt samtykke}]"),
        ],
    ),
    Case(
        "scc-without-module",
        [(SUPPORT, MODULE, "")],
        [(SUPPORT, 21, 7)],
        [(SUPPORT, MODULE, "      scc_module: 2\n")],
    ),
    Case(  # SCCs as the fallback beside adequacy are relied on too
        "scc-without-module",
        [ZENDESK_SCC],
        [(KUNDER, 30, 7)],
        [(KUNDER, "      mechanism: adequacy\n", "      mechanism: adequacy\n" + MODULE)],
    ),
    Case(  # own staff abroad is no transfer (EDPB Guidelines 05/2021)
        "scc-without-tia",
        [(SUPPORT, TIA, "")],
        [(SUPPORT, 21, 7)],
        [(SUPPORT, TIA, "      same_entity: true\n")],
    ),
    Case(
        "scc-without-tia",
        [ZENDESK_SCC, (KUNDER, "alternatives: [scc]\n", "alternatives: [scc]\n" + MODULE)],
        [(KUNDER, 30, 7)],
        [ZENDESK_SCC, (KUNDER, "alternatives: [scc]\n", "alternatives: [scc]\n" + MODULE + TIA)],
    ),
    Case(  # not stated: the rule asks
        "derogation-not-occasional",
        [DEROGATION],
        [(SUPPORT, 21, 7)],
        [DEROGATION, (SUPPORT, "derogation: b\n", "derogation: b\n      occasional: true\n")],
    ),
    Case(  # stated regular: the rule says a derogation does not cover it
        "derogation-not-occasional",
        [DEROGATION, (SUPPORT, "derogation: b\n", "derogation: b\n      occasional: false\n")],
        [(SUPPORT, 21, 7)],
        [(SUPPORT, "      mechanism: scc\n", "      mechanism: scc\n      occasional: false\n")],
    ),
    Case(  # a structured maximum is the limit: read instead of the period's text
        "retention-indefinite",
        [(KUNDER, PERIOD, PERIOD + "      maximum: ubegrænset\n")],
        [(KUNDER, 37, 16)],
        [(KUNDER, PERIOD, "      period: Så længe det er nødvendigt.\n      maximum: 3 år\n")],
    ),
    Case(  # no mechanism, and the recipient's employer unknown: the rule asks
        "transfer-without-mechanism",
        [(SUPPORT, "      mechanism: scc\n", "")],
        [(SUPPORT, 21, 7)],
        [
            (SUPPORT, "      mechanism: scc\n", ""),
            (
                "catalogue.yaml",
                "    countries: [MK]\n",
                "    countries: [MK]\n    same_entity: true\n",
            ),
        ],
    ),
]


@pytest.mark.parametrize("case", LEGAL_CASES, ids=ids(LEGAL_CASES))
def test_rule_fires_where_expected(register, case):
    found = [
        p for p in findings(patched(register, case.fail).root, case.today) if p.code == case.rule
    ]
    assert [(p.path, p.line, p.column) for p in found] == case.where, "\n".join(map(str, found))
    assert all(p.severity == RULES[case.rule].severity == "warning" for p in found)
    assert all(p.message and p.hint for p in found)


@pytest.mark.parametrize("case", LEGAL_CASES, ids=ids(LEGAL_CASES))
def test_rule_is_quiet_on_a_near_miss(register, case):
    found = findings(patched(register, case.near_miss).root, case.today)
    assert [str(p) for p in found if p.code == case.rule] == []


FIRST = {case.rule: case for case in reversed(LEGAL_CASES)}  # each rule's first case


@pytest.mark.parametrize("code", sorted(FIRST))
def test_each_new_rule_can_be_accepted_in_its_record(register, code):
    case = FIRST[code]
    reg = patched(register, case.fail)
    (path,) = {path for path, _, _ in case.where}
    accept = f"accepted:\n  - rule: {code}\n    reason: Vurderet af DPO'en.\nsecurity:"
    reg.patch(path, "security:", accept)
    assert [str(p) for p in findings(reg.root) if p.code == code] == []


def test_a_derogation_not_stated_occasional_is_asked_not_asserted(register):
    reg = patched(register, [DEROGATION])
    (asked,) = [p for p in findings(reg.root) if p.code == "derogation-not-occasional"]
    assert "is it occasional?" in asked.message and "occasional: true" in asked.hint
    reg.patch(SUPPORT, "derogation: b\n", "derogation: b\n      occasional: false\n")
    (said,) = [p for p in findings(reg.root) if p.code == "derogation-not-occasional"]
    assert "stated to be regular" in said.message and "?" not in said.message


def test_the_criminal_ground_is_no_longer_special_without_condition(register):
    reg = patched(register, [(KUNDER, CATEGORIES, WITH_CRIMINAL)])
    codes = {p.code for p in findings(reg.root)}
    assert "criminal-data-without-ground" in codes and "special-without-condition" not in codes


def test_an_acceptance_of_the_old_rule_says_how_to_migrate(register):
    """A record that accepted special-without-condition for its Art. 10 data (before it moved
    to its own rule) is told to accept criminal-data-without-ground instead."""
    old = "accepted:\n  - {rule: special-without-condition, reason: Straffeattest efter aftale.}\n"
    reg = patched(register, [(KUNDER, CATEGORIES, WITH_CRIMINAL)])
    (plain,) = [p for p in findings(reg.root) if p.code == "criminal-data-without-ground"]
    reg.patch(KUNDER, "recipients:", old + "recipients:")
    (said,) = [p for p in findings(reg.root) if p.code == "criminal-data-without-ground"]
    assert "accept criminal-data-without-ground instead" in said.hint
    assert "instead" not in plain.hint


@pytest.mark.parametrize(
    ("section", "quiet"),
    [("§ 6", False), ("§ 11, stk. 2", False), ("§ 12, stk. 1", True), ("§ 7, stk. 2", True)],
)
def test_only_databeskyttelseslovens_sections_about_the_data_are_their_law(
    register, section, quiet
):
    """§ 6 (the Art. 6 provision) and § 11 (CPR numbers) are no law behind Art. 9(2)(b) or
    Art. 10 data; § 12 (employment) is behind both, § 7 behind Art. 9 only."""
    reg = patched(
        register,
        [
            (
                KUNDER,
                CATEGORIES,
                "      categories: [identification, health_genetic, criminal_offences]\n",
            ),
            basis("art9: [b]", f"statutes: [{{law: databeskyttelsesloven, section: '{section}'}}]"),
        ],
    )
    codes = {p.code for p in findings(reg.root)}
    assert ("special-without-national-law" not in codes) is quiet
    assert ("criminal-data-without-ground" not in codes) is (quiet and section.startswith("§ 12"))


@pytest.mark.parametrize(
    ("applies_to", "covered"),
    [("ansatte", False), ("kunder", True), ("health_genetic", True), ("Sygefravær", True)],
)
def test_a_condition_for_another_group_does_not_cover_this_one(register, applies_to, covered):
    """kunder holds health data; a condition for another group (ansatte) does not cover it,
    one for kunder, for the category, or for a purpose (no group or category named) does."""
    staff = "    - {id: ansatte, name: ansatte, categories: [identification]}\n"
    reg = patched(
        register,
        [
            (KUNDER, CATEGORIES, WITH_HEALTH + staff),
            basis(f"grounds: [{{applies_to: {applies_to}, art9: [a]}}]"),
        ],
    )
    codes = [p.code for p in findings(reg.root)]
    assert ("special-without-condition" not in codes) is covered, codes


def test_a_condition_for_part_of_the_activity_is_a_condition(register):
    reg = patched(
        register,
        [
            (KUNDER, CATEGORIES, WITH_HEALTH),
            basis("grounds: [{applies_to: health_genetic, art9: [a]}]"),
        ],
    )
    special = {"special-without-condition", "special-without-national-law"}
    assert [str(p) for p in findings(reg.root) if p.code in special] == []


# --- todo-left in every file of the register ----------------------------------------------


def test_bracketed_placeholders_are_found_in_every_file_of_the_register(register):
    reg = patched(
        register,
        [
            (KUNDER, "Levering af vores ydelser", "Levering fra [Dato] af vores ydelser"),
            (SUPPORT, "Maskerede data og log over adgang.", "'[Indsæt beskrivelse]'"),
            ("organisation.yaml", "Nørregade 1, 6600 Vejen", "'[Indsæt adresse]'"),
            ("catalogue.yaml", "name: CRM", "name: '[Indsæt systemets navn]'"),
        ],
    )
    found = [p for p in findings(reg.root) if p.code == "todo-left"]
    assert sorted((p.path, p.message) for p in found) == [
        ("catalogue.yaml", "a placeholder is left here: '[Indsæt systemets navn]'"),
        ("organisation.yaml", "a placeholder is left here: '[Indsæt adresse]'"),
        (KUNDER, "a placeholder is left here: '[Dato]'"),
        (SUPPORT, "a placeholder is left here: '[Indsæt beskrivelse]'"),
    ]


@pytest.mark.parametrize(
    ("law", "section", "number"),
    [
        ("databeskyttelsesloven", "§ 11, stk. 2, nr. 1", 11),
        ("Databeskyttelseslovens § 11", None, 11),
        ("DBL", "§ 12, stk. 1", 12),
        ("Danish Data Protection Act", "section 8(3)", 8),
        ("databeskyttelsesloven", None, 0),  # named, with no section to read
        (
            "Lov om supplerende bestemmelser til forordning om beskyttelse af fysiske personer",
            "§ 8, stk. 3",
            8,
        ),
        ("bogføringsloven", "§ 10", None),
        ("dblogger-loven", "§ 11", None),
    ],
)
def test_databeskyttelsesloven_and_its_section_are_read_in_the_forms_registers_use(
    law, section, number
):
    assert danish_act_section(Statute(law=law, section=section)) == number


def test_a_foreign_act_is_never_databeskyttelsesloven():
    statute = Statute(law="Data Protection Act 2018", section="§ 11", country="GB")
    assert danish_act_section(statute) is None


@pytest.mark.parametrize(
    ("lang", "occasional", "words"),
    [
        ("da", True, "Overførslen er lejlighedsvis og gentages ikke."),
        ("da", False, "Overførslen er regelmæssig."),
        ("en", True, "The transfer is occasional and not repeated."),
    ],
)
def test_the_document_says_whether_a_transfer_is_occasional(lang, occasional, words):
    item = Transfer(
        country="US", recipient="Advokat", mechanism="derogation", occasional=occasional
    )
    shown = transfer_lines(item, load_labels(REPO, lang))
    assert words in repr(shown)
    unknown = transfer_lines(item.model_copy(update={"occasional": None}), load_labels(REPO, lang))
    assert "occasional" not in repr(unknown) and "lejlighedsvis" not in repr(unknown)


def test_an_scc_module_in_quotes_is_that_module(register):
    """`scc_module: "3"` reads as module 3 (as written unquoted); a statute's country is a
    country code (its name is an error, not text shown as a code)."""
    reg = patched(register, [])
    text = (reg.root / "records" / "support.yaml").read_text(encoding="utf-8")
    assert "scc_module: 3" in text
    reg.patch("records/support.yaml", "scc_module: 3", 'scc_module: "3"')
    assert [p.code for p in findings(reg.root) if p.code.startswith("scc")] == []
    reg.patch(KUNDER, BASIS, BASIS + "  statutes: [{law: Ley 3/2018, country: Spanien}]\n")
    with pytest.raises(UserError):
        findings(reg.root)
