"""The linter: every rule fires on a failing fixture and stays quiet on a near miss; the options.

Each case patches tests/data/clean (a register with no finding at all) twice: once so the rule
must fire, at exactly the listed places, and once with the nearest thing that is right, so the
rule must stay quiet. ``test_every_rule_has_a_case`` fails when a rule is added without one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass

import pytest
from conftest import DATA, REPO, TODAY

from ropa_build.check import RULES
from ropa_build.errors import UserError
from ropa_build.pipeline import Options, lint, read_register

KUNDER = "records/kunder.yaml"  # a controller record
SUPPORT = "records/support.yaml"  # a processor record


Patch = tuple[str, str, str]  # (file, old text, new text): old must occur exactly once;
# old "" writes a new file (e.g. the register's own schema/adequacy.yaml)


@dataclass
class Case:
    rule: str
    fail: list[Patch]  # makes the rule fire ...
    where: list[tuple[str, int, int]]  # ... at exactly these (path, line, column)
    near_miss: list[Patch]  # looks alike but is right: the rule stays quiet
    today: str = TODAY  # the day both are judged on


SUPPORT_TRANSFERS = """\
transfers:
  items:
    - country: MK
      recipient: support-mk
      mechanism: scc
      documentation: Standardkontraktbestemmelser (2021/914), underskrevet 2021-03-01.
      scc_module: 3
      tia: Vurdering af overførslen, 2021-03-01.
"""
MK_DOCUMENTED = (
    "      mechanism: scc\n"
    "      documentation: Standardkontraktbestemmelser (2021/914), underskrevet 2021-03-01.\n"
)
KUNDER_CATEGORIES = "      categories: [identification, financial]\n"
CVR = '  cvr: "12345678"\n'  # organisation.yaml: a CVR number means a Danish company
SKAT = "        kunder: [financial]\n"
ADEQUACY = (REPO / "schema" / "adequacy.yaml").read_text(encoding="utf-8")
AS_OF = next(line + "\n" for line in ADEQUACY.splitlines() if line.startswith("as_of:"))
AS_OF_LINE = ADEQUACY.splitlines().index(AS_OF.rstrip("\n")) + 1
OWN_ADEQUACY = ("schema/adequacy.yaml", "", ADEQUACY)  # the register's own copy of the list
ORG_UN = (  # an international organisation the register adds (to the built-in ones: epo stays)
    "schema/international-organisations.yaml",
    "",
    "un: {name: {da: De Forenede Nationer, en: United Nations}}\n",
)
KUNDER_SCC = (KUNDER, "mechanism: adequacy", "mechanism: scc\n      documentation: SCC 2021/914")
CUSTOMERS = "  - {name: Vores kunder, web: https://eksempel.dk/konto}\n"  # support's controllers
SUPPORT_DUPLICATE = (  # an error: the same group twice
    SUPPORT,
    "      categories: [identification]\n",
    "      categories: [identification]\n"
    "    - id: kontakter2\n      name: kundernes kontakter\n      categories: [identification]\n",
)
ZENDESK_IN_GB = [
    ("catalogue.yaml", "countries: [US]", "countries: [GB]"),
    ("catalogue.yaml", "    dpf_certified: true\n", ""),
]

OPEN_SECURITY = (
    "security: Adgangsstyring og kryptering.\n"
    "open_points:\n  - Er loggen over log-in omfattet af sletningen?\n"
)
SHARED_SECURITY = "security: {shared: it-sikkerhed, also: Log over adgang.}\n"
STATEMENTS = (
    "statements:\n  it-sikkerhed: {title: IT-sikkerhedspolitik, text: Kryptering og login.}\n"
    "documents:\n  privatliv: {title: Privatlivspolitik, link: https://eksempel.dk/privatliv}\n"
)
APPROVED = '  version: "1"\n  approved: {{version: "1", date: {date}, by: Direktionen}}\n'

CASES = [
    Case(
        "missing-item",
        [(KUNDER, "security: Adgangsstyring og kryptering.\n", "")],
        [(KUNDER, 1, 1)],
        [(KUNDER, "Adgangsstyring og kryptering.", "Ingen ud over de generelle.")],
    ),
    Case(  # an empty mapping states nothing; a sentence saying there is none does
        "missing-item",
        [(SUPPORT, SUPPORT_TRANSFERS, "transfers: {}\n")],
        [(SUPPORT, 1, 1)],
        [(SUPPORT, SUPPORT_TRANSFERS, "transfers:\n  description: Ingen overførsler.\n")],
    ),
    Case(  # a processor's record names the controllers it acts for (Art. 30(2)(a))
        "missing-item",
        [(SUPPORT, "controllers:\n" + CUSTOMERS, "")],
        [(SUPPORT, 1, 1)],
        [(SUPPORT, CUSTOMERS, CUSTOMERS + "  - {name: Partner A/S, phone: 12345678}\n")],
    ),
    Case(
        "role-mismatch",
        [(KUNDER, "purposes:", "processing: Udsendelse af kundernes nyhedsbreve.\npurposes:")],
        [(KUNDER, 6, 1)],
        [(SUPPORT, "processing:", "purposes: Support til kunderne.\nprocessing:")],
    ),
    Case(  # the register has a controller record, so the joint controller is asked for
        "party-not-stated",
        [("organisation.yaml", "joint_controller: null\n", "")],
        [("organisation.yaml", 3, 1)],
        [
            ("organisation.yaml", "joint_controller: null\n", ""),
            (KUNDER, "role: controller", "role: processor"),  # ... but not in processor records
        ],
    ),
    Case(  # a representative only where Art. 27 applies: not established in the EU/EEA
        "party-not-stated",
        [
            ("organisation.yaml", "representative: null\n", ""),
            ("organisation.yaml", CVR, "  country: US\n"),
        ],
        [("organisation.yaml", 3, 1)],
        [("organisation.yaml", "representative: null\n", "")],  # a Danish (CVR) company
    ),
    Case(  # a public authority has no representative (Art. 27(2)(b)): it is not asked for one
        "party-not-stated",
        [
            ("organisation.yaml", "representative: null\n", ""),
            ("organisation.yaml", CVR, "  country: NZ\n"),
        ],
        [("organisation.yaml", 3, 1)],
        [
            ("organisation.yaml", "representative: null\n", "public_authority: true\n"),
            ("organisation.yaml", CVR, "  country: NZ\n"),
        ],
    ),
    Case(  # the basis is the controller's; a processor refers to its instructions
        "processor-lawful-basis",
        [(SUPPORT, "data_subjects:", "lawful_basis:\n  art6: [b]\ndata_subjects:")],
        [(SUPPORT, 9, 1)],
        [(SUPPORT, "kontakter.\n", "kontakter efter databehandleraftalen (art. 28, stk. 3).\n")],
    ),
    Case(  # Art. 30(2)(a): each controller's name *and contact details*
        "controller-without-contact",
        [(SUPPORT, CUSTOMERS, "  - name: Vores kunder\n")],
        [(SUPPORT, 7, 5)],
        [(SUPPORT, CUSTOMERS, "  - {name: Vores kunder, email: support@eksempel.dk}\n")],
    ),
    Case(
        "processor-without-agreement",
        [("catalogue.yaml", "    dpa: https://zendesk.example/dpa\n", "")],
        [("catalogue.yaml", 6, 3)],
        [
            ("catalogue.yaml", "    dpa: https://zendesk.example/dpa\n", ""),
            (
                "catalogue.yaml",
                "    kind: processor\n    countries: [US]",
                "    kind: recipient\n    countries: [US]",
            ),
        ],
    ),
    Case(  # the organisation's own staff abroad are no other party: no agreement to have
        "processor-without-agreement",
        [
            (
                "catalogue.yaml",
                "    dpa: Databehandleraftale af 2021-03-01\n",
                "    same_entity: false\n",
            )
        ],
        [("catalogue.yaml", 12, 3)],
        [
            (
                "catalogue.yaml",
                "    dpa: Databehandleraftale af 2021-03-01\n",
                "    same_entity: true\n",
            )
        ],
    ),
    Case(  # the seed's mistake: "kunder" twice, the second block about employees
        "duplicate-group",
        [
            (
                KUNDER,
                KUNDER_CATEGORIES,
                KUNDER_CATEGORIES + "    - id: ansatte\n      name: Kunder\n"
                "      categories: [identification]\n",
            )
        ],
        [(KUNDER, 16, 13)],
        [
            (
                KUNDER,
                KUNDER_CATEGORIES,
                KUNDER_CATEGORIES + "    - id: ansatte\n      name: ansatte\n"
                "      categories: [identification]\n",
            )
        ],
    ),
    Case(
        "group-without-data",
        [(SUPPORT, "      categories: [identification]\n", "      categories: []\n")],
        [(SUPPORT, 11, 7)],
        [(SUPPORT, "categories: [identification]", "categories: [identification, usage]")],
    ),
    Case(
        "recipient-without-data",
        [(KUNDER, "      receives:\n" + SKAT, "")],
        [(KUNDER, 25, 7)],
        [(KUNDER, SKAT, "        kunder: [identification, financial]\n")],
    ),
    Case(  # a recipient cannot receive a category its group does not have
        "recipient-without-data",
        [(KUNDER, SKAT, "        kunder: [financial, marketing]\n")],
        [(KUNDER, 27, 29)],
        [(KUNDER, SKAT, "        kunder: [financial, identification]\n")],
    ),
    Case(
        "special-without-condition",
        [(KUNDER, KUNDER_CATEGORIES, "      categories: [identification, health_genetic]\n")],
        [(KUNDER, 14, 36)],
        [
            (KUNDER, KUNDER_CATEGORIES, "      categories: [identification, health_genetic]\n"),
            (KUNDER, "  art6: [b, c]\n", "  art6: [b, c]\n  art9: [b]\n"),
        ],
    ),
    Case(  # Art. 10 data needs its own ground; a processor has none of its own (Art. 28, 29)
        "criminal-data-without-ground",
        [(KUNDER, KUNDER_CATEGORIES, "      categories: [identification, criminal_offences]\n")],
        [(KUNDER, 14, 36)],
        [
            (
                SUPPORT,
                "categories: [identification]",
                "categories: [identification, criminal_offences]",
            )
        ],
    ),
    Case(  # employees: a group marked with the data category employment
        "consent-in-employment",
        [
            (
                KUNDER,
                KUNDER_CATEGORIES,
                "      categories: [identification, financial, employment]\n",
            ),
            (KUNDER, "  art6: [b, c]\n", "  art6: [b, a]\n"),
        ],
        [(KUNDER, 8, 13)],
        [(KUNDER, "  art6: [b, c]\n", "  art6: [b, a]\n")],  # customers may consent
    ),
    Case(  # consent stated for the employees' group alone (a grounds entry naming it)
        "consent-in-employment",
        [
            (
                KUNDER,
                KUNDER_CATEGORIES,
                "      categories: [identification, financial, employment]\n",
            ),
            (
                KUNDER,
                "  art6: [b, c]\n",
                "  art6: [b, c]\n  grounds:\n    - {applies_to: Kunder, art6: [a]}\n",
            ),
        ],
        [(KUNDER, 10, 35)],
        [
            (
                KUNDER,
                "  art6: [b, c]\n",
                "  art6: [b, c]\n  grounds:\n    - {applies_to: kunder, art6: [a]}\n",
            )
        ],
    ),
    Case(  # an international organisation is org:<id> with an id the vocabulary knows
        "unknown-destination",
        [(SUPPORT, "country: MK", "country: org:ep0")],
        [(SUPPORT, 21, 16)],
        [(SUPPORT, "country: MK", "country: org:epo")],
    ),
    Case(
        "transfer-without-mechanism",
        [(SUPPORT, "      mechanism: scc\n", "")],
        [(SUPPORT, 21, 7)],
        [(SUPPORT, "      mechanism: scc\n", "      mechanism: bcr\n")],
    ),
    Case(
        "adequacy-not-valid",
        [(SUPPORT, "mechanism: scc", "mechanism: adequacy")],
        [(SUPPORT, 23, 18)],
        [
            (SUPPORT, "country: MK", "country: CH"),
            ("catalogue.yaml", "countries: [MK]", "countries: [CH]"),
            (SUPPORT, MK_DOCUMENTED, "      mechanism: adequacy\n"),
        ],
    ),
    Case(  # the US decision covers only recipients certified under the Data Privacy Framework
        "adequacy-not-valid",
        [("catalogue.yaml", "    dpf_certified: true\n", "")],
        [(KUNDER, 32, 18)],
        [
            ("catalogue.yaml", "    dpf_certified: true\n", ""),
            (KUNDER, "mechanism: adequacy", "mechanism: scc\n      documentation: SCC 2021/914"),
        ],
    ),
    Case(  # the European Patent Organisation: an international organisation with a decision
        "adequacy-not-valid",
        [
            (SUPPORT, "country: MK", "country: org:un"),
            (SUPPORT, MK_DOCUMENTED, "      mechanism: adequacy\n"),
            ("catalogue.yaml", "countries: [MK]", "countries: [org:un]"),
            ORG_UN,
        ],
        [(SUPPORT, 23, 18)],
        [
            (SUPPORT, "country: MK", "country: org:epo"),
            (SUPPORT, MK_DOCUMENTED, "      mechanism: adequacy\n"),
            ("catalogue.yaml", "countries: [MK]", "countries: [org:epo]"),
            ORG_UN,  # the register's own list extends the built-in one: epo is still known
        ],
    ),
    Case(  # Brazil: Implementing Decision (EU) 2026/179
        "adequacy-not-valid",
        [
            (SUPPORT, "country: MK", "country: PY"),
            (SUPPORT, MK_DOCUMENTED, "      mechanism: adequacy\n"),
            ("catalogue.yaml", "countries: [MK]", "countries: [PY]"),
        ],
        [(SUPPORT, 23, 18)],
        [
            (SUPPORT, "country: MK", "country: BR"),
            (SUPPORT, MK_DOCUMENTED, "      mechanism: adequacy\n"),
            ("catalogue.yaml", "countries: [MK]", "countries: [BR]"),
        ],
    ),
    Case(  # the UK decisions, renewed on 2025-12-19, run until 2031-12-27
        "adequacy-expired",
        [(KUNDER, "country: US", "country: GB"), *ZENDESK_IN_GB],
        [(KUNDER, 32, 18)],
        [(KUNDER, "country: US", "country: GB"), *ZENDESK_IN_GB, KUNDER_SCC],
        today="2031-12-28",
    ),
    Case(  # the list is dated: more than 12 months old on the day judged, it may be wrong
        "adequacy-list-stale",
        [OWN_ADEQUACY, ("schema/adequacy.yaml", AS_OF, "as_of: 2025-11-24\n")],
        [("schema/adequacy.yaml", AS_OF_LINE, 8)],
        [OWN_ADEQUACY, ("schema/adequacy.yaml", AS_OF, "as_of: 2025-11-25\n")],
    ),
    Case(
        "transfer-undocumented",
        [(SUPPORT, MK_DOCUMENTED, "      mechanism: scc\n")],
        [(SUPPORT, 21, 7)],
        [
            (SUPPORT, "country: MK", "country: GB"),
            ("catalogue.yaml", "countries: [MK]", "countries: [GB]"),
            (SUPPORT, MK_DOCUMENTED, "      mechanism: adequacy\n"),
        ],
    ),
    Case(  # NO is Norway (YAML 1.1 would have read false): in the EEA, so not a transfer
        "transfer-inside-eea",
        [(KUNDER, "country: US", "country: NO")],
        [(KUNDER, 30, 16)],
        [(KUNDER, "country: US", "country: GB")],
    ),
    Case(  # remote access from a third country is a transfer
        "unlisted-transfer",
        [(SUPPORT, "country: MK", "country: RS")],
        [(SUPPORT, 16, 12)],
        [("catalogue.yaml", "countries: [MK]", "countries: [MK, DK]")],
    ),
    Case(
        "retention-indefinite",
        [(KUNDER, "3 år efter kundeforholdets ophør.", "Gemmes på ubestemt tid.")],
        [(KUNDER, 36, 15)],
        [(KUNDER, "3 år efter kundeforholdets", "Slettes ikke senere end 12 måneder efter")],
    ),
    Case(  # a general rule is read too; a limit negated in its own clause is still a limit
        "retention-indefinite",
        [(KUNDER, "  rules:\n", "  description: Så længe det er nødvendigt.\n  rules:\n")],
        [(KUNDER, 34, 16)],
        [
            (
                KUNDER,
                "  rules:\n",
                "  description: Gemmes ikke på ubestemt tid, men efter reglerne nedenfor.\n"
                "  rules:\n",
            )
        ],
    ),
    Case(
        "retention-missing-category",
        [(KUNDER, "    - categories: [financial]\n", "    - categories: [usage]\n")],
        [(KUNDER, 34, 3)],
        [
            (
                KUNDER,
                "  rules:\n",
                "  description: 3 år efter ophør, hvis ikke andet står her.\n  rules:\n",
            )
        ],
    ),
    Case(
        "review-overdue",
        [(SUPPORT, "reviewed: 2026-06-01", "reviewed: 2025-11-24")],
        [(SUPPORT, 5, 11)],
        [(SUPPORT, "reviewed: 2026-06-01", "reviewed: 2025-11-25")],  # due today
    ),
    Case(
        "adequacy-partial",
        [
            (SUPPORT, "      mechanism: scc\n", "      mechanism: adequacy\n"),
            (SUPPORT, "country: MK", "country: CA"),
        ],
        [(SUPPORT, 23, 18)],
        [
            (SUPPORT, "      mechanism: scc\n", "      mechanism: adequacy\n"),
            (SUPPORT, "country: MK", "country: CH"),
        ],
    ),
    Case(  # notes beside the records are named; the same notes elsewhere are not
        "not-a-record",
        [("records/noter.md", "", "# Noter fra mødet med HR\n")],
        [("records/noter.md", 1, 1)],
        [("docs/noter.md", "", "# Noter fra mødet med HR\n")],
    ),
    Case(
        "todo-left",
        [(SUPPORT, "security: Maskerede data", "security: TODO Maskerede data")],
        [(SUPPORT, 27, 11)],
        [(SUPPORT, "security: Maskerede data", "security: Todo-liste over maskerede data")],
    ),
    Case(  # a form prompt left in organisation.yaml
        "todo-left",
        [("organisation.yaml", "Nørregade 1, 6600 Vejen", "'[Indsæt adresse]'")],
        [("organisation.yaml", 6, 12)],
        [("organisation.yaml", "Nørregade 1, 6600", "Nørregade 1 [bagindgang], 6600")],
    ),
    Case(  # ... or in the catalogue; a Markdown link is not a prompt
        "todo-left",
        [("catalogue.yaml", "name: CRM", "name: CRM [Insert vendor]")],
        [("catalogue.yaml", 3, 11)],
        [(SUPPORT, "og log over adgang.", "og log, se [Dato for gennemgang](https://x.dk/d).")],
    ),
    Case(
        "unused-catalogue-entry",
        [("catalogue.yaml", "  skat:\n", "  e-conomic:\n    name: E-conomic\n  skat:\n")],
        [("catalogue.yaml", 17, 3)],
        [("catalogue.yaml", "    kind: recipient\n", "    kind: recipient\n    used_for: løn\n")],
    ),
    Case(  # an open point, and a value stated as still to be verified: listed until answered
        "open-point",
        [
            (KUNDER, "security: Adgangsstyring og kryptering.\n", OPEN_SECURITY),
            (KUNDER, "period: 3 år efter kundeforholdets ophør.", "period: to-be-verified"),
        ],
        [(KUNDER, 36, 15), (KUNDER, 41, 5)],
        [  # a settled state ("not applicable") is no open point
            (KUNDER, "security: Adgangsstyring og kryptering.\n", "security: not-applicable\n"),
        ],
    ),
    Case(  # a reference to a shared statement or companion document names something real
        "unknown-shared",
        [
            (KUNDER, "security: Adgangsstyring og kryptering.\n", SHARED_SECURITY),
            (KUNDER, "role: controller\n", "role: controller\ndocuments: [privatlivspolitik]\n"),
        ],
        [(KUNDER, 3, 13), (KUNDER, 40, 20)],
        [
            (KUNDER, "security: Adgangsstyring og kryptering.\n", SHARED_SECURITY),
            (KUNDER, "role: controller\n", "role: controller\ndocuments: [privatliv]\n"),
            ("organisation.yaml", "document:\n", STATEMENTS + "document:\n"),
        ],
    ),
    Case(  # an approval older than a record's last update does not cover it
        "approval-outdated",
        [("organisation.yaml", '  version: "1"\n', APPROVED.format(date="2026-05-31"))],
        [("organisation.yaml", 17, 34)],
        [("organisation.yaml", '  version: "1"\n', APPROVED.format(date="2026-06-01"))],
    ),
]


def ids(cases: list[Case]) -> list[str]:
    count: dict[str, int] = {}
    for case in cases:
        count[case.rule] = count.get(case.rule, 0) + 1
    seen: dict[str, int] = {}
    out = []
    for case in cases:
        seen[case.rule] = seen.get(case.rule, 0) + 1
        out.append(case.rule if count[case.rule] == 1 else f"{case.rule}-{seen[case.rule]}")
    return out


def patched(register, patches: list[Patch]):
    reg = register(DATA / "clean")
    for file, old, new in patches:
        if old:
            reg.patch(file, old, new)
        else:
            reg.write(file, new)
    return reg


def findings(root, today: str = TODAY, **options):
    return lint(root, Options(today=dt.date.fromisoformat(today), **options))


def test_the_clean_register_has_no_finding():
    assert findings(DATA / "clean") == []


def test_every_rule_has_a_case():
    from test_rules_legal import LEGAL_CASES  # the national-law grounds and the safeguards

    assert {case.rule for case in [*CASES, *LEGAL_CASES]} == set(RULES)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_rule_fires_where_expected(register, case):
    found = [
        p for p in findings(patched(register, case.fail).root, case.today) if p.code == case.rule
    ]
    assert [(p.path, p.line, p.column) for p in found] == case.where, "\n".join(map(str, found))
    assert all(p.severity == RULES[case.rule].severity and p.message and p.hint for p in found)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_rule_is_quiet_on_a_near_miss(register, case):
    found = findings(patched(register, case.near_miss).root, case.today)
    assert [str(p) for p in found if p.code == case.rule] == []


# --- acceptances ----------------------------------------------------------------------------

ACCEPT = (
    "accepted:\n"
    "  - rule: retention-indefinite\n"
    "    reason: Arkiveres efter arkivloven (art. 89); afleveres til Rigsarkivet.\n"
)


def two_indefinite(register):
    """Both records keep data without limit; only kunder.yaml accepts it."""
    reg = patched(register, [(KUNDER, "3 år efter kundeforholdets ophør.", "Opbevares for altid.")])
    reg.patch(SUPPORT, "security:", "retention:\n  description: Gemmes permanent.\nsecurity:")
    return reg


def test_accepted_warning_is_suppressed_for_that_record_only(register, ropa):
    reg = two_indefinite(register)
    before = ropa("check", "--root", reg.root, "--format", "json")
    assert {(p["path"], p["code"]) for p in json.loads(before.stdout)} == {
        (KUNDER, "retention-indefinite"),
        (SUPPORT, "retention-indefinite"),
    }
    reg.patch(KUNDER, "security:", ACCEPT + "security:")
    after = ropa("check", "--root", reg.root, "--format", "json")
    assert [(p["path"], p["code"]) for p in json.loads(after.stdout)] == [
        (SUPPORT, "retention-indefinite")
    ]
    assert after.code == 0
    assert ropa("check", "--root", reg.root, "--strict").code == 1  # support.yaml's remains


def test_accepted_warning_is_noted_in_every_output(register, ropa, tmp_path):
    reg = two_indefinite(register)
    reg.patch(KUNDER, "security:", ACCEPT + "security:")
    reg.patch(SUPPORT, "retention:\n  description: Gemmes permanent.\n", "")
    out = tmp_path / "out"
    result = ropa("build", "--root", reg.root, "--out", out)
    assert result.code == 0
    reason = "Arkiveres efter arkivloven (art. 89); afleveres til Rigsarkivet."
    assert reason in (out / "register.md").read_text(encoding="utf-8")
    assert reason in (out / "register.html").read_text(encoding="utf-8")
    for docx in (out / "register.docx", out / "activities" / "kunder.docx"):
        assert reason in docx_text(docx), docx
    assert reason not in docx_text(out / "activities" / "support.docx")


def docx_text(path):
    """The document's visible text (w:t runs joined per paragraph)."""
    from docx import Document

    return "\n".join(p.text for p in Document(str(path)).paragraphs) + "\n".join(
        cell.text
        for table in Document(str(path)).tables
        for row in table.rows
        for cell in row.cells
    )


@pytest.mark.parametrize(
    ("rule", "code"),
    [("retention-indefnite", "unknown-rule"), ("duplicate-group", "cannot-accept")],
)
def test_acceptance_must_name_a_warning_rule(register, rule, code):
    reg = patched(register, [(KUNDER, "security:", ACCEPT + "security:")])
    reg.patch(KUNDER, "rule: retention-indefinite", f"rule: {rule}")
    found = findings(reg.root)
    assert [(p.path, p.line, p.column, p.code, p.severity) for p in found] == [
        (KUNDER, 40, 11, code, "error")
    ]
    if code == "unknown-rule":
        assert found[0].hint == "did you mean 'retention-indefinite'?"


def test_an_error_stays_even_if_accepted(register):
    reg = patched(
        register,
        [
            SUPPORT_DUPLICATE,
            (
                SUPPORT,
                "security:",
                ACCEPT.replace("retention-indefinite", "duplicate-group") + "security:",
            ),
        ],
    )
    assert {p.code for p in findings(reg.root)} == {"duplicate-group", "cannot-accept"}


NO_DPA = ("catalogue.yaml", "    dpa: Databehandleraftale af 2021-03-01\n", "")
SECOND_NO_DPA = ("catalogue.yaml", "    dpa: https://zendesk.example/dpa\n", "")
UNUSED = ("catalogue.yaml", "  skat:\n", "  arkiv:\n    name: Arkivsystem\n  skat:\n")


def test_a_catalogue_entry_accepts_warnings_about_itself_only(register, ropa, tmp_path):
    reg = patched(register, [NO_DPA, SECOND_NO_DPA, UNUSED])
    before = [(p.code, p.line) for p in findings(reg.root)]
    assert before == [
        ("processor-without-agreement", 6),
        ("processor-without-agreement", 11),
        ("unused-catalogue-entry", 15),
    ]
    reason = "Aftalen <underskrives> i december & {{ x }}."
    reg.patch(
        "catalogue.yaml",
        "    countries: [MK]\n",
        "    countries: [MK]\n    accepted:\n"
        f"      - {{rule: processor-without-agreement, reason: '{reason}'}}\n",
    )
    reg.patch(
        "catalogue.yaml",
        "    name: Arkivsystem\n",
        "    name: Arkivsystem\n    accepted:\n"
        "      - {rule: unused-catalogue-entry, reason: Til den planlagte arkivering.}\n",
    )
    assert [(p.code, p.line) for p in findings(reg.root)] == [("processor-without-agreement", 6)]
    out = tmp_path / "out"
    assert ropa("build", "--root", reg.root, "--out", out, "--format", "md", "docx").code == 0
    what = "En databehandler uden angivet databehandleraftale (Kundeservice i Nordmakedonien):"
    for name in ("register.md", "register-processor.md"):  # the register's own notes, escaped
        markdown = (out / name).read_text(encoding="utf-8")
        assert f"**{what}** Aftalen \\<underskrives\\> i december \\& {{{{ x }}}}." in markdown
    assert f"{what} {reason}" in docx_text(out / "register.docx")


def test_an_acceptance_that_accepts_nothing_is_a_warning(register, ropa):
    """The documents show an acceptance as accepted: one that suppresses nothing (the finding
    is gone, it is in another file, or the rule is accepted twice) says so, at its line; a run
    that does not select the rule says nothing of it."""
    reg = patched(register, [(KUNDER, "security:", ACCEPT + "security:")])  # nothing to accept
    reg.patch(
        "catalogue.yaml",
        "    countries: [MK]\n",
        "    countries: [MK]\n    accepted:\n      - {rule: unlisted-transfer, reason: Egne.}\n",
    )
    found = [(p.path, p.line, p.code, p.severity) for p in findings(reg.root)]
    assert found == [
        ("catalogue.yaml", 17, "acceptance-unused", "warning"),
        (KUNDER, 40, "acceptance-unused", "warning"),
    ]
    assert findings(reg.root, select={"review-overdue"}) == []


def test_organisation_yaml_accepts_warnings_about_it(register, ropa):
    no_dpo = (
        "organisation.yaml",
        "dpo:\n  title: DPO\n  name: Dorte Poulsen\n  email: dpo@eksempel.dk\n",
        "",
    )
    reg = patched(register, [no_dpo])
    assert [p.code for p in findings(reg.root)] == ["party-not-stated"]
    reg.patch(
        "organisation.yaml",
        "document:",
        "accepted:\n  - {rule: party-not-stated, reason: 'Vi vurderer, om vi udpeger en.'}\n"
        "  - {rule: retention-indefnite, reason: x}\n  - {rule: duplicate-group, reason: y}\n"
        "document:",
    )
    assert [(p.path, p.line, p.code) for p in findings(reg.root)] == [
        ("organisation.yaml", 13, "unknown-rule"),
        ("organisation.yaml", 14, "cannot-accept"),
    ]


# --- review dates ---------------------------------------------------------------------------


def test_review_overdue_names_the_due_date_and_uses_today_from_outside(register, ropa):
    reg = patched(register, [(SUPPORT, "reviewed: 2026-06-01", "reviewed: 2024-02-29")])
    late = ropa("check", "--root", reg.root, "--today", "2025-03-01")
    assert (
        "records/support.yaml:5:11: warning[review-overdue]: the review was due on 2025-02-28"
        in late.stderr
    )
    assert (
        ropa("check", "--root", reg.root, "--today", "2025-02-28").stderr
        == "ok: 2 activities, 0 problems\n"
    )


def test_review_interval_comes_from_organisation(register):
    reg = patched(
        register, [("organisation.yaml", "review_interval_months: 12", "review_interval_months: 3")]
    )
    found = findings(reg.root)
    assert [(p.path, p.code, p.message) for p in found] == [
        (KUNDER, "review-overdue", "the review was due on 2026-09-01"),
        (SUPPORT, "review-overdue", "the review was due on 2026-09-01"),
    ]


# --- options and exit codes -----------------------------------------------------------------


@pytest.fixture
def warned(register):
    """Two warnings (review-overdue, unused-catalogue-entry), no error."""
    return patched(
        register,
        [
            (SUPPORT, "reviewed: 2026-06-01", "reviewed: 2025-01-01"),
            ("catalogue.yaml", "  skat:\n", "  e-conomic:\n    name: E-conomic\n  skat:\n"),
        ],
    )


def codes(result):
    return sorted(re.findall(r"\[([a-z-]+)\]", result.stderr))


def test_warnings_exit_0_and_strict_makes_them_fail(warned, ropa):
    plain = ropa("check", "--root", warned.root)
    assert (plain.code, codes(plain)) == (0, ["review-overdue", "unused-catalogue-entry"])
    assert plain.stderr.splitlines()[-1] == "0 error(s), 2 warning(s)"
    assert ropa("check", "--root", warned.root, "--strict").code == 1


def test_strict_says_the_warnings_fail_the_run(warned, ropa):
    strict = ropa("check", "--root", warned.root, "--strict")
    assert strict.code == 1
    last = "0 error(s), 2 warning(s) — the run fails because of the warnings (--strict)"
    assert strict.stderr.splitlines()[-1] == last
    github = ropa("check", "--root", warned.root, "--strict", "--format", "github")
    assert github.code == 1
    assert github.stdout.splitlines()[-1] == (
        "::error title=ropa check --strict::2 warning(s): "
        "the run fails because of the warnings (--strict)"
    )
    assert "--strict" not in ropa("check", "--root", warned.root, "--format", "github").stdout


def test_clean_register_exits_0_even_strict_with_one_line(register, ropa):
    result = ropa("check", "--root", register(DATA / "clean").root, "--strict")
    assert (result.code, result.stdout, result.stderr) == (0, "", "ok: 2 activities, 0 problems\n")


@pytest.mark.parametrize(("output_format", "stdout"), [("json", "[]\n"), ("github", "")])
def test_clean_register_prints_no_summary_for_machines(register, ropa, output_format, stdout):
    result = ropa("check", "--root", register(DATA / "clean").root, "--format", output_format)
    assert (result.code, result.stdout, result.stderr) == (0, stdout, "")


@pytest.mark.parametrize("day", ["2026-13-01", "25-11-2026", "20261125", "i dag"])
def test_a_bad_today_is_a_usage_error_in_plain_words(register, ropa, day):
    result = ropa("check", "--root", register(DATA / "clean").root, "--today", day)
    assert result.code == 2
    assert f"argument --today: '{day}' is not a date — write YYYY-MM-DD" in result.stderr
    assert "fromisoformat" not in result.stderr


def test_an_unknown_language_is_a_usage_error_and_a_register_may_add_one(register, ropa):
    reg = register(DATA / "clean")
    result = ropa("build", "--root", reg.root, "--lang", "fr")
    assert result.code == 2
    assert "no labels for the language 'fr' — use da or en" in result.stderr
    assert not (reg.root / "output").exists()
    labels = REPO / "templates" / "labels" / "en.yaml"
    reg.write("templates/labels/fr.yaml", labels.read_text(encoding="utf-8"))
    assert ropa("build", "--root", reg.root, "--lang", "fr", "--format", "md").code == 0


HOSTING = ("catalogue.yaml", "  skat:\n", "  hosting:\n    name: Hosting\n  skat:\n")


def test_an_entry_stated_once_for_every_activity_is_used(register, ropa):
    """A processor organisation.yaml lists for every activity is in use (no
    unused-catalogue-entry), and every activity's document lists it, marked as the register's."""
    # without the line in organisation.yaml it would be unused (test_warnings_exit_0_...)
    every = patched(
        register,
        [
            HOSTING,
            ("organisation.yaml", "document:", "recipients:\n  processors: [hosting]\ndocument:"),
        ],
    )
    assert ropa("check", "--root", every.root, "--strict").code == 0
    assert ropa("build", "--root", every.root, "--format", "md", "csv").code == 0
    sheet = (every.root / "output" / "register-ico-controller.csv").read_text(encoding="utf-8")
    *_, row = csv.reader(io.StringIO(sheet))  # the one controller activity, after the headings
    assert "CRM (DK)\nZendesk Suite (US)\nHosting" in row  # after its own processors
    markdown = (every.root / "output" / "register.md").read_text(encoding="utf-8")
    assert markdown.count("**Hosting**<br>*Fælles for alle aktiviteter i fortegnelsen*") == 1
    processor = (every.root / "output" / "register-processor.md").read_text(encoding="utf-8")
    assert "**Hosting**<br>*Fælles for alle aktiviteter i fortegnelsen*" in processor


def test_a_processor_stated_once_abroad_needs_each_activitys_transfer(register):
    """Zendesk (US) listed for every activity: kunder.yaml names it and lists the transfer;
    support.yaml does not, so it lacks one (reported at its transfers)."""
    every = ("organisation.yaml", "document:", "recipients:\n  processors: [zendesk]\ndocument:")
    found = findings(patched(register, [every]).root)
    assert [(p.path, p.line, p.code) for p in found] == [(SUPPORT, 19, "unlisted-transfer")]
    assert "(organisation.yaml lists it for every activity)" in found[0].message


EVERY_ZENDESK = (
    "organisation.yaml",
    "document:",
    "recipients:\n  processors: [zendesk]\ndocument:",
)


def test_a_processor_of_every_activity_receives_the_employees_data_too(register):
    """Zendesk (US, DPF) of every activity, and kunder.yaml's group marked employment: it asks
    about the certification's HR data, as it does for a processor the record names."""
    staff = (
        KUNDER,
        KUNDER_CATEGORIES,
        "      categories: [identification, financial, employment]\n",
    )
    drop = (
        KUNDER,
        "  processors:\n    - ref: zendesk\n      receives:\n        kunder: [identification]\n",
        "",
    )
    found = findings(patched(register, [EVERY_ZENDESK, staff, drop]).root)
    assert [(p.path, p.code) for p in found if p.code == "adequacy-partial"] == [
        (KUNDER, "adequacy-partial")
    ]


def test_a_stated_state_and_the_recipients_of_every_activity_are_both_shown(register, ropa):
    reg = patched(register, [EVERY_ZENDESK])
    text = (reg.root / KUNDER).read_text(encoding="utf-8")
    start, end = text.index("recipients:\n"), text.index("transfers:\n")
    reg.write(
        KUNDER,
        text[:start] + "recipients:\n  state: none\n  note: Kun fælles systemer.\n" + text[end:],
    )
    assert ropa("build", "--root", reg.root, "--format", "md", "csv").code == 0
    markdown = (reg.root / "output" / "register.md").read_text(encoding="utf-8")
    assert "**Ingen** — Kun fælles systemer." in markdown
    assert "**Zendesk Suite**<br>Behandles i: USA" in markdown
    *_, row = csv.reader(
        io.StringIO((reg.root / "output" / "register-ico-controller.csv").read_text("utf-8-sig"))
    )
    (cell,) = [c for c in row if c.startswith("Ingen — Kun fælles systemer.")]  # recipients
    assert "Zendesk Suite" in cell


def test_a_recipient_of_every_activity_listed_twice_is_an_error(register):
    twice = (
        "organisation.yaml",
        "document:",
        "recipients:\n  processors: [zendesk, crm]\n  internal: [{ref: crm}]\ndocument:",
    )
    with pytest.raises(UserError) as raised:
        read_register(patched(register, [twice]).root)
    problems = raised.value.problems
    assert [(p.code, p.line, p.message) for p in problems] == [
        ("duplicate-ref", 16, "'crm' is listed twice (also under internal)")
    ]


def test_an_unknown_id_stated_once_is_an_error_at_its_place(register, ropa):
    reg = patched(
        register,
        [
            (
                "organisation.yaml",
                "document:",
                "recipients:\n  processors:\n    - zendesk\n    - {ref: hostng}\ndocument:",
            )
        ],
    )
    result = ropa("check", "--root", reg.root)
    assert result.code == 1
    assert result.stderr.splitlines()[0] == (
        "organisation.yaml:18:13: error[unknown-ref]: unknown catalogue id 'hostng' — "
        "see catalogue.yaml"
    )


def test_select_and_ignore(warned, ropa):
    only = ropa("check", "--root", warned.root, "--select", "review-overdue", "--strict")
    assert (only.code, codes(only)) == (1, ["review-overdue"])
    rest = ropa("check", "--root", warned.root, "--ignore", "review-overdue")
    assert codes(rest) == ["unused-catalogue-entry"]
    none = ropa(
        "check",
        "--root",
        warned.root,
        "--ignore",
        "review-overdue",
        "--ignore",
        "unused-catalogue-entry",
        "--strict",
    )
    assert (none.code, none.stderr) == (0, "ok: 2 activities, 0 problems\n")


def test_errors_exit_1(register, ropa):
    reg = patched(register, [SUPPORT_DUPLICATE])
    result = ropa("check", "--root", reg.root)
    assert result.code == 1
    assert "records/support.yaml:15:13: error[duplicate-group]" in result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--select", "revew-overdue"],
        ["check", "--ignore", "no-such-rule"],
        ["check", "--format", "xml"],
        ["check", "--today", "25-11-2026"],
        ["check", "--no-such-option"],
        ["frobnicate"],
        [],
    ],
    ids=["select-typo", "ignore-unknown", "format", "today", "option", "command", "nothing"],
)
def test_bad_usage_exits_2(ropa, argv):
    result = ropa(*argv, "--root", DATA / "clean") if argv[:1] == ["check"] else ropa(*argv)
    assert result.code == 2
    assert "Traceback" not in result.stderr


def test_misspelt_select_suggests_the_rule(ropa):
    result = ropa("check", "--root", DATA / "clean", "--select", "revew-overdue")
    assert "did you mean 'review-overdue'?" in result.stderr


def test_json_format(warned, ropa):
    result = ropa("check", "--root", warned.root, "--format", "json")
    found = json.loads(result.stdout)
    assert isinstance(found, list)
    assert [{k: p[k] for k in ("path", "line", "column", "code", "severity")} for p in found] == [
        {
            "path": "catalogue.yaml",
            "line": 17,
            "column": 3,
            "code": "unused-catalogue-entry",
            "severity": "warning",
        },
        {"path": SUPPORT, "line": 5, "column": 11, "code": "review-overdue", "severity": "warning"},
    ]
    assert all(p["message"] and p["hint"] for p in found)


def test_json_format_reports_validation_errors_too(register, ropa):
    reg = patched(register, [(KUNDER, "ref: crm", "ref: cmr")])
    result = ropa("check", "--root", reg.root, "--format", "json")
    assert result.code == 1
    assert [
        (p["path"], p["line"], p["column"], p["code"], p["severity"])
        for p in json.loads(result.stdout)
    ] == [(KUNDER, 17, 12, "unknown-ref", "error")]


def test_json_of_a_clean_register_is_an_empty_list(ropa):
    result = ropa("check", "--root", DATA / "clean", "--format", "json")
    assert (result.code, json.loads(result.stdout)) == (0, [])


def test_github_format(register, ropa, monkeypatch):
    reg = patched(
        register,
        [
            (SUPPORT, "reviewed: 2026-06-01", "reviewed: 2025-01-01"),
            SUPPORT_DUPLICATE,
        ],
    )
    monkeypatch.chdir(reg.root)  # as in GitHub Actions: run in the repository's folder
    result = ropa("check", "--root", ".", "--format", "github")
    lines = result.stdout.splitlines()
    assert result.code == 1
    assert len(lines) == 2
    assert lines[0].startswith("::warning file=records/support.yaml,line=5,col=11,")
    assert lines[1].startswith("::error file=records/support.yaml,line=15,col=13,")
    # a register in a subfolder of the repository: paths stay repository-relative
    monkeypatch.chdir(reg.root.parent)
    lines = ropa("check", "--root", reg.root.name, "--format", "github").stdout.splitlines()
    assert lines[1].startswith(f"::error file={reg.root.name}/records/support.yaml,line=15,")
    assert "review-overdue" in lines[0] and "duplicate-group" in lines[1]


# --- the seed, as it was written --------------------------------------------------------------


# The role contradicting the keys and the duplicate block make the record ambiguous (errors); a
# missing transfer mechanism is a legal gap the DPO must close (a warning: no invented SCCs).
SEED_SEVERITY = [
    ("role-mismatch", "error"),
    ("duplicate-group", "error"),
    ("transfer-without-mechanism", "warning"),
]


def test_the_seed_as_it_is_gets_its_three_mistakes_reported(ropa):
    """tests/data/seed-as-is transcribes the seed with its mistakes (see the comments there)."""
    result = ropa("check", "--root", DATA / "seed-as-is", "--format", "json")
    assert result.code == 1
    found = json.loads(result.stdout)
    seed_mistakes = [
        (p["line"], p["column"], p["code"])
        for p in found
        if p["code"] in ("role-mismatch", "duplicate-group", "transfer-without-mechanism")
    ]
    assert seed_mistakes == [
        (18, 1, "role-mismatch"),  # controllers: (the customers) in a controller record
        (33, 13, "duplicate-group"),  # the second "kunder"
        (58, 7, "transfer-without-mechanism"),  # staff in North Macedonia
    ]
    assert {(p["code"], p["severity"]) for p in found if p["code"] in dict(SEED_SEVERITY)} == set(
        SEED_SEVERITY
    )
    assert all(p["path"] == "records/support.yaml" for p in found)
    # Everything else is also the seed's: recipients without data, a review due since 2022.
    others = {p["code"] for p in found} - {c for _, _, c in seed_mistakes}
    assert others == {"recipient-without-data", "review-overdue"}
    assert "due on 2022-03-10" in next(p["message"] for p in found if p["code"] == "review-overdue")
