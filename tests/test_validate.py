"""Validation: every mistake reported at its line and column, all in one run.

Cases are data: ``tests/data/validate/<case>.yaml`` is a bad file and ``<case>.expected`` lists
what must be reported, one ``path:line:column: code`` per line, optionally ``-> word`` for the
did-you-mean the hint must offer. A case named ``organisation-*`` replaces organisation.yaml,
``catalogue-*`` replaces catalogue.yaml, any other is the record ``records/x.yaml``; the rest of
the register is tests/data/clean, which is valid.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import DATA

from ropa_build.errors import UserError
from ropa_build.pipeline import read_register

CASES = sorted((DATA / "validate").glob("*.yaml"))
EXPECTED = re.compile(r"^(?P<where>\S+:\d+:\d+): (?P<code>[\w-]+)(?: -> (?P<suggest>\S+))?$")


def problems_of(root: Path):
    with pytest.raises(UserError) as raised:
        read_register(root)
    return raised.value.problems


def target(case: Path) -> str:
    for prefix in ("organisation", "catalogue"):
        if case.stem.startswith(prefix + "-"):
            return f"{prefix}.yaml"
    return "records/x.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_case_reports_exactly_the_expected_problems(register, case):
    reg = register(DATA / "clean")
    reg.write(target(case), case.read_text(encoding="utf-8"))
    expected = [
        EXPECTED.match(line).groupdict()
        for line in case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    found = problems_of(reg.root)
    assert sorted(f"{p.path}:{p.line}:{p.column}: {p.code}" for p in found) == sorted(
        f"{e['where']}: {e['code']}" for e in expected
    ), "\n".join(map(str, found))
    for want in expected:
        if want["suggest"]:
            hints = [p.hint for p in found if f"{p.path}:{p.line}:{p.column}" == want["where"]]
            assert f"did you mean '{want['suggest']}'?" in hints, (want, hints)
    assert all(p.severity == "error" and p.message and p.hint for p in found)


def test_every_case_has_its_expected_list():
    assert CASES
    assert all(case.with_suffix(".expected").is_file() for case in CASES)


def test_done_when_three_precise_messages_in_one_run(register, ropa):
    """The issue's acceptance test, through the command a user runs."""
    reg = register(DATA / "clean")
    reg.write("records/x.yaml", (DATA / "validate" / "done-when.yaml").read_text("utf-8"))
    result = ropa("check", "--root", reg.root)
    assert result.code == 1
    assert result.stderr.splitlines() == [
        "records/x.yaml:6:10: error[bad-date]: '2021-13-01' is not a date"
        " — write the date as YYYY-MM-DD, e.g. 2021-03-10",
        "records/x.yaml:16:12: error[unknown-ref]: unknown catalogue id 'zendeks'"
        " — did you mean 'zendesk'?",
        "records/x.yaml:21:1: error[unknown-key]: unknown key 'retension'"
        " — did you mean 'retention'?",
        "3 error(s), 0 warning(s)",
    ]
    assert result.stdout == ""


def test_type_errors_name_the_place_in_words(register):
    reg = register(DATA / "clean")
    reg.write("records/x.yaml", (DATA / "validate" / "types.yaml").read_text("utf-8"))
    by_line = {p.line: p for p in problems_of(reg.root)}
    assert "item 1 of 'groups'" in by_line[12].message
    assert "'purposes': expected text" in by_line[8].message


# --- the register folder ------------------------------------------------------------------


def test_missing_organisation_yaml(register, ropa):
    reg = register(DATA / "clean")
    reg.remove("organisation.yaml")
    result = ropa("check", "--root", reg.root)
    assert result.code == 1
    assert "error[no-register]" in result.stderr
    assert "organisation.yaml" in result.stderr.splitlines()[0]
    assert "--root" in result.stderr  # the hint says how to point at the register


def test_missing_catalogue_is_an_empty_catalogue(register):
    reg = register(DATA / "clean")
    reg.remove("catalogue.yaml")
    found = problems_of(reg.root)
    assert {p.code for p in found} == {"unknown-ref"}
    assert {p.path for p in found} == {"records/kunder.yaml", "records/support.yaml"}


def test_record_ids_that_collide(register):
    reg = register(DATA / "clean")
    (reg.root / "records" / "kunder.yml").write_bytes(
        (reg.root / "records" / "kunder.yaml").read_bytes()
    )
    (reg.root / "records" / "Support.yaml").write_bytes(
        (reg.root / "records" / "support.yaml").read_bytes()
    )
    found = problems_of(reg.root)
    assert [(p.path, p.line, p.column, p.code) for p in found] == [
        ("records/kunder.yml", 1, 1, "duplicate-id"),
        ("records/support.yaml", 1, 1, "duplicate-id"),
    ]
    assert "records/kunder.yaml" in found[0].message


def test_bad_file_name(register):
    reg = register(DATA / "clean")
    reg.write("records/løn og personale.yaml", "title: x\n")
    [problem] = problems_of(reg.root)
    assert (problem.path, problem.line, problem.column, problem.code) == (
        "records/løn og personale.yaml",
        1,
        1,
        "bad-file-name",
    )
    assert "løn-og-personale.yaml" in problem.hint


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_outside_the_register(register, tmp_path):
    reg = register(DATA / "clean")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("title: a\ntitle: b\n")  # read, it would give duplicate-key
    (reg.root / "records" / "linked.yaml").symlink_to(outside)
    (reg.root / "records" / "secrets.yaml").symlink_to("/etc/passwd")
    (reg.root / "records" / "alias.yml").symlink_to(reg.root / "records" / "support.yaml")
    found = problems_of(reg.root)
    assert [(p.path, p.code) for p in found] == [
        ("records/linked.yaml", "outside-register"),
        ("records/secrets.yaml", "outside-register"),
    ]


def test_all_files_reported_in_one_run(register):
    reg = register(DATA / "clean")
    reg.patch("organisation.yaml", 'cvr: "12345678"', 'cvr: "1234"')
    reg.patch("records/kunder.yaml", "ref: crm", "ref: cmr")
    reg.patch("records/support.yaml", "country: MK", "country: XK")
    reg.write("records/broken.yaml", "title: a\ntitle: b\n")  # and no other key
    found = problems_of(reg.root)
    assert {(p.path, p.code) for p in found} == {
        ("organisation.yaml", "bad-cvr"),
        ("records/kunder.yaml", "unknown-ref"),
        ("records/support.yaml", "bad-country"),
        ("records/broken.yaml", "duplicate-key"),
        ("records/broken.yaml", "missing-key"),
    }


# --- a register's own vocabularies (schema/) ------------------------------------------------

BUILT_IN = DATA.parents[1] / "schema"
ADEQUACY = """\
as_of: 2025-06-01
eea: [AT, BE, BG, HR, CY, CZ, DK, EE, FI, FR, DE, GR, HU, IE, IT, LV, LT, LU, MT, NL, PL, PT, RO,
      SK, SI, ES, SE, IS, LI, NO]
adequate:
  CH: {}
  US: {requires: dpf_certified}
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ADEQUACY, []),
        (ADEQUACY + "  uk: {}\n", [(7, 3, "bad-country")]),
        (ADEQUACY.replace("{requires:", "{requries:"), [(6, 8, "unknown-key")]),
        (
            ADEQUACY.replace("eea: [AT,", "eea: AT\nx: [AT,"),
            [(2, 6, "wrong-type"), (3, 1, "unknown-key")],
        ),
        (ADEQUACY.replace("as_of: 2025-06-01\n", ""), [(1, 1, "missing-key")]),
    ],
    ids=["valid", "country", "key", "type", "missing"],
)
def test_a_registers_adequacy_list_is_checked_at_its_lines(register, text, expected):
    """The adequacy list is the user's to update when the law changes: a slip there must be a
    problem at its line, not a traceback in the linter."""
    reg = register(DATA / "clean")
    reg.write("schema/adequacy.yaml", text)
    if not expected:
        adequate = read_register(reg.root).vocabulary.adequate
        assert adequate == {"CH": {}, "US": {"requires": "dpf_certified"}}
        return
    found = problems_of(reg.root)
    assert [(p.path, p.line, p.column, p.code) for p in found] == [
        ("schema/adequacy.yaml", *where) for where in expected
    ], "\n".join(map(str, found))


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("data-categories.yaml", "identification: {kind: general, listed: sometimes}\n", (1, 41)),
        ("data-categories.yaml", "identification: general\n", (1, 17)),
        ("transfer-mechanisms.yaml", 'scc: {article: "46", needs_documentation: ja}\n', (1, 43)),
    ],
)
def test_a_registers_own_vocabularies_are_checked(register, name, text, where):
    reg = register(DATA / "clean")
    reg.write(f"schema/{name}", (BUILT_IN / name).read_text(encoding="utf-8") + "\n")
    body = (reg.root / "schema" / name).read_text(encoding="utf-8")
    first_key = text.split(":")[0]
    kept = [line for line in body.splitlines() if not line.startswith(first_key + ":")]
    reg.write(f"schema/{name}", text + "\n".join(kept) + "\n")
    found = problems_of(reg.root)
    assert [(p.path, p.line, p.column) for p in found] == [(f"schema/{name}", *where)]
