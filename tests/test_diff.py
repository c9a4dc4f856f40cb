"""``ropa diff`` on a scratch git repository made from the example register.

Each test commits its own changes with real ``git`` and asserts what ``ropa diff`` reports: the
exact set of changes with their codes, in text, Markdown (rendered with cmark-gfm) and JSON
(validated against schema/diff.schema.json), and a clear message for each hard case.
"""

from __future__ import annotations

import contextlib
import html.parser
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from ropa_build.diff.report import COMMENT_LIMIT, SUMMARY_LIMIT

REPO = Path(__file__).resolve().parents[1]
HOSTILE = Path(__file__).resolve().with_name("hostile")
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.dk",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.dk",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=ENV, check=True
    )
    return done.stdout


@pytest.fixture
def repo(register, monkeypatch):
    """The example register, committed as the first commit of branch main."""
    for name, value in ENV.items():
        if name.startswith("GIT_"):
            monkeypatch.setenv(name, value)
    reg = register()
    reg.write(".gitignore", ".ropa-cache/\n")  # ropa diff keeps parsed files there, as a build
    git(reg.root, "init", "-q", "-b", "main")
    commit(reg, "the example register")
    return reg


def commit(reg, message: str) -> None:
    git(reg.root, "add", "-A")
    git(reg.root, "commit", "-q", "--allow-empty", "-m", message)


def changes(result) -> set[tuple[str, str, tuple[str, ...]]]:
    document = json.loads(result.stdout)
    return {(c["code"], c["subject"], tuple(c["path"])) for c in document["changes"]}


def check_schema(text: str) -> dict:
    document = json.loads(text)
    schema = json.loads((REPO / "schema" / "diff.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    return document


NEW_TRANSFER = """    - country: IN
      recipient: Supportcenter i Indien
      mechanism: scc
      documentation: Standardkontraktbestemmelser (2021/914).
"""


def five_commits(reg) -> None:
    """The brief's five commits: a new transfer, a changed retention period, a renamed record
    file, a reordered list, an edited DPO e-mail."""
    reg.patch("records/support.yaml", "  items:\n", "  items:\n" + NEW_TRANSFER)
    commit(reg, "support: a new transfer to India")
    reg.patch("records/kundeforhold.yaml", "slettes 3 år efter", "slettes 5 år efter")
    commit(reg, "kundeforhold: correspondence kept 5 years")
    (reg.root / "records/nyhedsbrev.yaml").rename(reg.root / "records/nyhedsbreve.yaml")
    commit(reg, "rename nyhedsbrev to nyhedsbreve")
    path = reg.root / "records/supporthenvendelser.yaml"
    text = path.read_text(encoding="utf-8")
    zendesk = (
        "    - ref: zendesk\n      receives:\n        kunder: [identification, communication]\n"
    )
    assert text.count("  internal:\n" + zendesk) == 1
    text = text.replace("  internal:\n" + zendesk, "  internal:\n")
    path.write_text(text.replace("  processors:\n", zendesk + "  processors:\n"), encoding="utf-8")
    commit(reg, "supporthenvendelser: reorder the internal systems")
    reg.patch("organisation.yaml", "- dpo@marketingplatform.com", "- privacy@marketingplatform.com")
    commit(reg, "organisation: new DPO address")


EXPECTED = {
    ("party-changed", "", ("dpo", "email")),
    ("transfer-added", "support", ("transfers", "items", "[IN · Supportcenter i Indien]")),
    ("retention-changed", "kundeforhold", ("retention", "rules", "[communication]", "period")),
    ("record-renamed", "nyhedsbreve", ()),
}


def test_the_five_commits_are_reported_exactly_in_json(repo, ropa):
    five_commits(repo)
    result = ropa("diff", "HEAD~5", "HEAD", "--root", repo.root, "--format", "json")
    assert result.code == 0
    assert changes(result) == EXPECTED
    document = check_schema(result.stdout)
    by_code = {c["code"]: c for c in document["changes"]}
    assert by_code["transfer-added"]["significance"] == "review"
    assert by_code["transfer-added"]["after"]["country"] == "IN"
    assert by_code["party-changed"]["before"] == [
        "dataprotection@marketingplatform.com",
        "dpo@marketingplatform.com",
    ]
    assert "privacy@marketingplatform.com" in by_code["party-changed"]["after"]
    assert len(by_code["party-changed"]["reaches"]) == 7  # no record overrides the DPO
    assert by_code["record-renamed"]["renamed_from"] == "nyhedsbrev"
    assert by_code["retention-changed"]["before"].startswith("Korrespondance slettes 3 år")
    assert by_code["retention-changed"]["after"].startswith("Korrespondance slettes 5 år")
    assert document["summary"] == {"changes": 4, "activities": 7, "review": 3}


def test_the_five_commits_in_text_name_each_change_and_its_meaning(repo, ropa):
    five_commits(repo)
    result = ropa("diff", "HEAD~5", "HEAD", "--root", repo.root, "--lang", "en")
    assert result.code == 0
    out = result.stdout
    assert "\033[" not in out  # not a terminal: no colour
    for code, _, _ in EXPECTED:
        assert code in out
    assert "A new transfer to a third country or international organisation." in out
    assert "Third-country transfers › Transfers › IN · Supportcenter i Indien" in out
    assert "Newsletter" not in out and "renamed from nyhedsbrev" in out
    assert "Shown in: every activity" in out
    assert "4 changes affecting 7 activities; 3 need DPO review" in out
    assert "recipient-" not in out  # zendesk moved to the end of its list: no change


def test_organisation_yamls_own_parts_have_their_own_meanings(repo, ropa):
    """Not every change to organisation.yaml is a party's: the register's scope, its recipients
    of every activity, its acceptances, its open points each say what they are."""
    repo.patch(
        "organisation.yaml",
        "document:\n",
        "recipients:\n  processors: [google-cloud]\naccepted:\n"
        "  - {rule: open-point, reason: Vi afventer leverandørerne.}\n"
        "document:\n  scope: Danmark.\n",
    )
    repo.patch("organisation.yaml", "Kontrollér landene", "Kontrollér alle landene")
    commit(repo, "organisation: scope, shared processor, acceptance, open point")
    result = ropa("diff", "HEAD~1", "HEAD", "--root", repo.root, "--format", "json")
    document = check_schema(result.stdout)
    codes = {tuple(c["path"])[:1]: c for c in document["changes"]}
    assert codes[("document",)]["code"] == "document-changed"
    assert codes[("recipients",)]["code"] == "recipient-changed"
    assert len(codes[("recipients",)]["reaches"]) == 7  # every activity lists it
    assert codes[("accepted",)]["code"] == "acceptance-changed"
    assert codes[("open_points",)]["code"] == "open-point-changed"
    assert "party-changed" not in {c["code"] for c in document["changes"]}


def test_one_change_is_counted_in_the_singular(repo, ropa):
    five_commits(repo)  # the last commit changes the DPO's address, shown in every activity
    english = ropa("diff", "HEAD~1", "HEAD", "--root", repo.root, "--lang", "en").stdout
    assert "1 change affecting 7 activities; 1 needs DPO review" in english
    danish = ropa("diff", "HEAD~1", "HEAD", "--root", repo.root, "--lang", "da").stdout
    assert "1 ændring, der berører 7 aktiviteter; 1 kræver DPO'ens gennemgang" in danish


def test_the_five_commits_in_danish_markdown_render_as_tables(repo, ropa):
    five_commits(repo)
    result = ropa("diff", "HEAD~5", "HEAD", "--root", repo.root, "--format", "markdown")
    assert result.code == 0
    page = render(result.stdout)
    assert page.tables == 4  # organisation, kundeforhold, nyhedsbreve, support
    assert all(len(row) == 4 for row in page.rows)
    assert page.rows[0] == ["Felt", "Før", "Efter", "Betydning"]
    body = [row for row in page.rows if row[0] != "Felt"]
    assert len(body) == 4
    assert any("transfer-added" in row[3] and "Kræver DPO'ens gennemgang" in row[3] for row in body)
    assert result.stdout.startswith("<!-- ropa-diff -->\n")
    assert "slettes <del>3</del> år efter" in result.stdout  # the changed word, marked
    assert "slettes <ins>5</ins> år efter" in result.stdout
    again = ropa("diff", "HEAD~5", "HEAD", "--root", repo.root, "--format", "markdown")
    assert again.stdout == result.stdout  # deterministic (the second run reads the cache)


def test_no_change_and_exit_code(repo, ropa):
    assert ropa("diff", "HEAD", "--root", repo.root, "--exit-code").code == 0
    repo.patch("records/support.yaml", "owner: Kundeservice", "owner: Support")
    result = ropa("diff", "HEAD", "--root", repo.root, "--exit-code", "--format", "json")
    assert result.code == 1
    assert changes(result) == {("owner-changed", "support", ("owner",))}
    assert ropa("diff", "HEAD", "--root", repo.root).code == 0  # without --exit-code
    assert ropa("diff", "HEAD", "--root", repo.root, "--long").code == 2  # markdown only


def test_default_base_is_the_merge_base_with_main_and_head_the_working_tree(repo, ropa):
    git(repo.root, "switch", "-q", "-c", "feature")
    repo.patch("records/kundeforhold.yaml", "  art6: [b, c, f]", "  art6: [b, c]")
    commit(repo, "kundeforhold: no longer legitimate interest")
    repo.patch("records/support.yaml", "title: Support", "title: Kundesupport")  # uncommitted
    result = ropa("diff", "--root", repo.root, "--format", "json")
    document = json.loads(result.stdout)
    assert (
        document["base"]["label"]
        == f"main...HEAD ({git(repo.root, 'rev-parse', '--short=7', 'main').strip()})"
    )
    assert document["head"]["commit"] is None
    assert changes(result) == {
        ("lawful-basis-changed", "kundeforhold", ("lawful_basis", "art6")),
        ("wording", "support", ("title",)),
    }


def test_a_changed_vendor_country_is_one_change_with_the_activities_it_reaches(repo, ropa):
    repo.patch("catalogue.yaml", "countries: [DE]", "countries: [DE, US]")  # meistertask
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    (change,) = json.loads(result.stdout)["changes"]
    assert change["code"] == "catalogue-changed"
    assert change["path"] == ["meistertask", "countries"]
    assert change["reaches"] == sorted(change["reaches"])
    assert "supporthenvendelser" in change["reaches"]
    users = [
        p.stem
        for p in (repo.root / "records").glob("*.yaml")
        if "ref: meistertask" in p.read_text()
    ]
    assert set(change["reaches"]) == set(users)


def test_categories_groups_recipients_and_special_categories(repo, ropa):
    record = "records/supporthenvendelser.yaml"
    repo.patch(
        record,
        "      categories: [identification, communication]\n      details: Navn, telefonnummer",
        "      categories: [identification, communication, health_genetic, usage]\n"
        "      details: Navn, telefonnummer",
    )
    repo.patch(
        record,
        "    - id: medarbejdere\n      name: medarbejdere\n      categories: [identification]\n"
        "      details: Navn, adresse, telefonnummer, e-mail.\n",
        "",
    )
    customers = "        kunder: [identification, communication]\n"
    for following in ("    - ref: e-conomic", "    - ref: meistertask"):
        repo.patch(
            record,
            customers + "        medarbejdere: [identification]\n" + following,
            customers + following,
        )
    repo.patch(record, "    - ref: restya\n      receives:\n        kunder: [identification]\n", "")
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    found = changes(result)
    group = ("data_subjects", "groups", "[kunder]", "categories")
    assert ("special-category-added", "supporthenvendelser", group) in found
    assert ("data-category-added", "supporthenvendelser", group) in found
    text = ropa("diff", "HEAD", "--root", repo.root).stdout
    assert "Efter:  helbredsoplysninger (health_genetic)" in text
    assert (
        "subject-group-removed",
        "supporthenvendelser",
        ("data_subjects", "groups", "[medarbejdere]"),
    ) in found
    removed = ("recipients", "internal", "[restya]")
    assert ("recipient-removed", "supporthenvendelser", removed) in found
    assert (
        "recipient-changed",
        "supporthenvendelser",
        ("recipients", "internal", "[google-workspace]", "receives", "medarbejdere"),
    ) in found


def test_an_edited_transfer_is_one_change_and_a_renamed_heavily_edited_file_is_not_a_rename(
    repo, ropa
):
    repo.patch(
        "records/supporthenvendelser.yaml",
        "      recipient: zendesk\n      mechanism: adequacy\n",
        "      recipient: zendesk\n      mechanism: scc\n",
    )
    (repo.root / "records/rekruttering.yaml").rename(repo.root / "records/ansaettelse.yaml")
    path = repo.root / "records/ansaettelse.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(
        "title: Ansættelse\nrole: controller\nowner: HR\nupdated: 2026-11-01\n"
        f"reviewed: 2026-11-01\npurposes: Ansættelse.\nsecurity: {json.dumps(data['title'])}\n",
        encoding="utf-8",
    )
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    found = changes(result)
    assert (
        "transfer-changed",
        "supporthenvendelser",
        ("transfers", "items", "[US · zendesk]", "mechanism"),
    ) in found
    assert ("record-added", "ansaettelse", ()) in found
    assert ("record-removed", "rekruttering", ()) in found
    assert not any(code == "record-renamed" for code, _, _ in found)


def test_a_new_key_is_a_new_transfer_but_a_renamed_group_id_is_the_same_group(repo, ropa):
    repo.patch("records/support.yaml", "    - country: MK\n", "    - country: RS\n")
    text = (repo.root / "records/supporthenvendelser.yaml").read_text(encoding="utf-8")
    (repo.root / "records/supporthenvendelser.yaml").write_text(
        text.replace("id: medarbejdere", "id: ansatte").replace("medarbejdere: [", "ansatte: ["),
        encoding="utf-8",
    )
    repo.patch(
        "organisation.yaml",
        "representative:\n  state: not-applicable\n",
        "representative:\n  name: EU Rep\n  title: Repræsentant\n",
    )
    repo.patch(
        "organisation.yaml", "  note: Virksomheden er etableret i Danmark", "  address: Danmark"
    )
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    found = changes(result)
    items = ("transfers", "items")
    assert ("transfer-added", "support", (*items, "[RS · support-mk]")) in found
    assert ("transfer-removed", "support", (*items, "[MK · support-mk]")) in found
    group = ("data_subjects", "groups", "[ansatte]", "id")
    assert ("subject-group-changed", "supporthenvendelser", group) in found
    assert not any(
        code.startswith("subject-group-") and code != "subject-group-changed"
        for code, _, _ in found
    )
    (party,) = [c for c in json.loads(result.stdout)["changes"] if c["scope"] == "organisation"]
    assert party["path"] == ["representative"] and party["after"]["name"] == "EU Rep"


def test_wording_only_and_dates(repo, ropa):
    repo.patch(
        "records/support.yaml",
        "Alt afhængig af vores kundes behov.",
        "Alt afhængig af vores kundes  behov",
    )
    repo.patch("records/support.yaml", "updated: 2026-12-01", "updated: 2026-12-02")
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    assert changes(result) == {
        ("wording", "support", ("data_subjects", "description")),
        ("dates-changed", "support", ("updated",)),
    }


def test_a_long_text_shows_the_changed_words(repo, ropa):
    repo.patch(
        "records/support.yaml", "alle kontakter senest 30 dage", "alle kontakter senest 60 dage"
    )
    text = ropa("diff", "HEAD", "--root", repo.root).stdout
    assert "± " in text and "senest [-30-]{+60+} dage" in text
    markdown = ropa("diff", "HEAD", "--root", repo.root, "--format", "markdown").stdout
    assert "senest <del>30</del><ins>60</ins> dage" in markdown
    (row,) = [row for row in render(markdown).rows if row[0] != "Felt"]
    assert row[0] == "Sletning › Generel regel"


def test_a_vocabulary_change_reaches_the_activities_with_transfers_there(repo, ropa):
    shutil.copytree(
        REPO / "schema", repo.root / "schema", ignore=shutil.ignore_patterns("*.json", "*.py")
    )
    commit(repo, "own vocabularies")
    text = (repo.root / "schema/adequacy.yaml").read_text(encoding="utf-8")
    assert "\n  US:" in text
    lines = text.split("\n")
    start = lines.index(next(line for line in lines if line.startswith("  US:")))
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    (repo.root / "schema/adequacy.yaml").write_text(
        "\n".join(lines[:start] + lines[end:]), encoding="utf-8"
    )
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    document = json.loads(result.stdout)
    vocab = [c for c in document["changes"] if c["scope"] == "vocabulary"]
    assert [c["path"] for c in vocab] == [["adequacy", "adequate", "US"]]
    assert "support" in vocab[0]["reaches"] and vocab[0]["code"] == "vocabulary-changed"


# --- hard cases -----------------------------------------------------------------------------


def test_a_base_that_no_longer_validates_is_reported_and_still_compared(repo, ropa):
    repo.patch("records/support.yaml", "security: |", "sikkerhed: |")  # unknown key in BASE
    repo.patch("records/kundeforhold.yaml", "owner:", "ejer:")
    commit(repo, "an invalid record")
    repo.patch("records/support.yaml", "sikkerhed: |", "security: |")
    repo.patch("records/nyhedsbrev.yaml", "title: Nyhedsbrev", "title: Nyhedsbreve")
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    assert result.code == 0
    document = check_schema(result.stdout)
    base_problems = {(p["path"], p["code"]) for p in document["problems"] if p["side"] == "base"}
    assert base_problems == {
        ("records/support.yaml", "unknown-key"),
        ("records/kundeforhold.yaml", "unknown-key"),
        ("records/kundeforhold.yaml", "missing-key"),
    }
    found = changes(result)
    assert ("wording", "nyhedsbrev", ("title",)) in found  # the valid records: validated
    assert ("security-changed", "support", ("security",)) in found  # raw: the key came back
    assert ("field-changed", "support", ("sikkerhed",)) in found
    text = ropa("diff", "HEAD", "--root", repo.root, "--lang", "en").stdout
    assert "Problems in BASE, HEAD (" in text and "records/support.yaml" in text
    assert "Traceback" not in text


def test_an_invalid_organisation_is_compared_as_written_without_noise_from_defaults(repo, ropa):
    repo.patch("organisation.yaml", 'cvr: "34217483"', 'cvr: "3421"')
    repo.patch(
        "organisation.yaml", "- dpo@marketingplatform.com", "- privacy@marketingplatform.com"
    )
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    document = check_schema(result.stdout)
    assert [(p["side"], p["code"]) for p in document["problems"]] == [("head", "bad-cvr")]
    assert changes(result) == {
        ("party-changed", "", ("controller", "cvr")),
        ("party-changed", "", ("dpo", "email")),
    }


def test_the_comment_lists_twenty_problems_of_a_side_and_counts_the_rest(repo, ropa):
    for i in range(25):
        repo.write(f"records/gammel-{i:02}.yaml", f"title: Gammel {i}\nrolle: controller\n")
    commit(repo, "25 records that no longer validate")
    for i in range(25):
        repo.remove(f"records/gammel-{i:02}.yaml")
    comment = ropa("diff", "HEAD", "--root", repo.root, "--format", "markdown").stdout
    page = render(comment)
    assert comment.count("\n- records/gammel-") == 20
    problems = len(
        json.loads(ropa("diff", "HEAD", "--root", repo.root, "--format", "json").stdout)["problems"]
    )
    assert f"… og {problems - 20} mere" in comment
    assert len([row for row in page.rows if "record-removed" in row[3]]) == 25


def test_a_shallow_clone_says_how_to_fetch_the_history(repo, ropa, tmp_path):
    repo.patch("records/support.yaml", "owner: Kundeservice", "owner: Support")
    commit(repo, "second")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    result = ropa("diff", "HEAD~1", "--root", clone)
    assert result.code == 2
    assert "shallow" in result.stderr and "fetch-depth: 0" in result.stderr
    assert "Traceback" not in result.stderr
    git(repo.root, "branch", "feature")
    pull = tmp_path / "pull"  # as actions/checkout fetches a pull request: one branch, depth 1
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        "--single-branch",
        "--branch",
        "feature",
        f"file://{repo.root}",
        str(pull),
    )
    result = ropa("diff", "--root", pull)
    assert result.code == 2 and "fetch-depth: 0" in result.stderr


def test_not_a_git_repository(register, ropa):
    reg = register()
    result = ropa("diff", "--root", reg.root)
    assert result.code == 2
    assert "not inside a git repository" in result.stderr
    assert ropa("check", "--root", reg.root, "--against", "HEAD").code == 1


def test_a_revision_that_does_not_exist(repo, ropa):
    result = ropa("diff", "mian", "--root", repo.root)
    assert result.code == 2
    assert "no revision 'mian'" in result.stderr and "did you mean 'main'?" in result.stderr
    assert ropa("diff", "--root", repo.root, "HEAD", "no-such").code == 2


def test_a_record_added_and_removed_in_the_range_is_no_change(repo, ropa):
    shutil.copyfile(repo.root / "records/support.yaml", repo.root / "records/midlertidig.yaml")
    commit(repo, "add")
    (repo.root / "records/midlertidig.yaml").unlink()
    commit(repo, "remove")
    result = ropa("diff", "HEAD~2", "HEAD", "--root", repo.root, "--exit-code", "--format", "json")
    assert result.code == 0
    assert changes(result) == set()
    assert (
        ropa("diff", "HEAD~2", "HEAD~1", "--root", repo.root, "--format", "json").stdout.count(
            '"record-added"'
        )
        == 1
    )


def test_links_in_git_are_read_as_a_checkout_would(repo, ropa):
    (repo.root / "records/hjaelp.yaml").symlink_to("support.yaml")
    (repo.root / "records/ude.yaml").symlink_to("/etc/hostname")
    commit(repo, "two links")
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "json")
    document = json.loads(result.stdout)
    assert document["changes"] == []  # the link inside is a record on both sides
    problems = {(p["side"], p["path"], p["code"]) for p in document["problems"]}
    assert problems == {
        ("base", "records/ude.yaml", "outside-register"),
        ("head", "records/ude.yaml", "outside-register"),
    }


def test_a_register_in_a_subfolder_and_a_revision_without_it(repo, ropa, tmp_path):
    top = tmp_path / "top"
    (top / "registers").mkdir(parents=True)
    git(top, "init", "-q", "-b", "main")
    (top / "README").write_text("x")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "before the register")
    shutil.copytree(repo.root, top / "registers" / "dk", ignore=shutil.ignore_patterns(".git"))
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "the register")
    result = ropa("diff", "HEAD~1", "--root", top / "registers" / "dk", "--format", "json")
    document = json.loads(result.stdout)
    assert sum(c["code"] == "record-added" for c in document["changes"]) == 7
    assert [p["code"] for p in document["problems"]] == ["no-register"]


# --- escaping and size ----------------------------------------------------------------------


class _Page(html.parser.HTMLParser):
    """What cmark-gfm made of the Markdown: tags used, table rows (cell texts)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.rows: list[list[str]] = []
        self.tables = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.tables += tag == "table"
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


SAFE_TAGS = {"h3", "h4", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "br"}
SAFE_TAGS |= {"details", "summary", "blockquote", "ul", "li", "del", "ins"}


def render(markdown: str) -> _Page:
    """cmark-gfm as GitHub runs it, but --unsafe: any raw HTML a value let through would show."""
    done = subprocess.run(
        ["cmark-gfm", "-e", "table", "--unsafe"],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
    )
    page = _Page()
    page.feed(done.stdout)
    assert page.tags <= SAFE_TAGS, page.tags - SAFE_TAGS
    return page


def _payloads() -> list[str]:
    found = []
    for path in sorted(HOSTILE.glob("*/case.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        if spec.get("builds") and isinstance(spec.get("payload"), str):
            found.append(spec["payload"])
    return found


def test_hostile_payloads_appear_literally_in_the_markdown(repo, ropa):
    payloads = _payloads()
    assert len(payloads) > 30
    quoted = [json.dumps(p, ensure_ascii=False) for p in payloads]  # YAML double-quoted
    items = "".join(
        f"    - country: US\n      recipient: {q}\n      mechanism: scc\n      documentation: {q}\n"
        for q in quoted
    )
    repo.patch("records/support.yaml", "  items:\n", "  items:\n" + items)
    repo.patch(
        "records/support.yaml",
        "title: Support",
        f"title: {quoted[0]}",
    )
    result = ropa("diff", "HEAD", "--root", repo.root, "--format", "markdown", "--long")
    assert result.code == 0
    page = render(result.stdout)
    assert all(len(row) == 4 for row in page.rows)
    cells = " ".join(" ".join(row) for row in page.rows)
    flat = " ".join(cells.split())
    labels = " ".join(" ".join(row[0].split()) for row in page.rows)
    for payload in payloads:
        assert " ".join(payload.split()) in flat, payload
        assert f"US · {' '.join(payload.split())}" in labels, payload  # in the key, too
    short = ropa("diff", "HEAD", "--root", repo.root, "--format", "markdown")
    assert all(len(row) == 4 for row in render(short.stdout).rows)


def test_the_comment_is_cut_under_64_kb_with_a_visible_line_and_the_long_form_holds_all(repo, ropa):
    long_text = "Formålet er beskrevet i bilaget | med `kode` og <b>tags</b>. " * 40
    for i in range(60):
        repo.write(
            f"records/aktivitet-{i:02}.yaml",
            f"title: Aktivitet {i}\nrole: controller\nowner: HR\nupdated: 2026-11-01\n"
            "reviewed: 2026-11-01\npurposes: Kort.\n",
        )
    commit(repo, "sixty activities")
    for i in range(60):
        repo.patch(
            f"records/aktivitet-{i:02}.yaml",
            "purposes: Kort.",
            f"purposes: {json.dumps(long_text + str(i))}",
        )
    comment = ropa("diff", "HEAD", "--root", repo.root, "--format", "markdown").stdout
    assert len(comment.encode("utf-8")) <= COMMENT_LIMIT
    assert "Afkortet:" in comment and "se artefaktet" in comment
    page = render(comment)
    assert all(len(row) == 4 for row in page.rows)
    shown = len([row for row in page.rows if row[0] != "Felt"])
    assert 0 < shown < 60
    assert f"Afkortet: {60 - shown} ændringer mere" in comment
    long = ropa("diff", "HEAD", "--root", repo.root, "--format", "markdown", "--long").stdout
    assert len(long.encode("utf-8")) <= SUMMARY_LIMIT
    assert "Afkortet" not in long
    assert len([row for row in render(long).rows if row[0] != "Felt"]) == 60


def test_one_huge_value_is_cut_inside_its_cell(repo, ropa):
    huge = "ord | `x` " * 150_000  # 1.5 MB of text in one field
    repo.patch("records/support.yaml", "owner: Kundeservice", f"owner: {json.dumps(huge)}")
    for long in ((), ("--long",)):
        out = ropa("diff", "HEAD", "--root", repo.root, "--format", "markdown", *long).stdout
        assert len(out.encode("utf-8")) <= (SUMMARY_LIMIT if long else COMMENT_LIMIT)
        assert "(afkortet; hele teksten står i den lange rapport)" in out
        assert all(len(row) == 4 for row in render(out).rows)


def test_colour_only_on_a_terminal(repo, ropa_process):
    repo.patch("records/support.yaml", "owner: Kundeservice", "owner: Support")
    result = ropa_process("diff", "HEAD", "--root", repo.root)
    assert result.code == 0 and "owner-changed" in result.stdout and "\033[" not in result.stdout
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "ropa_build", "diff", "HEAD", "--root", str(repo.root)],
        stdout=follower,
        stderr=subprocess.DEVNULL,
    ) as child:
        os.close(follower)
        out = b""
        with contextlib.suppress(OSError):  # EIO once the child has closed the terminal
            while chunk := os.read(leader, 65536):
                out += chunk
    os.close(leader)
    assert child.returncode == 0
    assert b"\033[33m~ owner-changed\033[0m" in out


def test_control_and_direction_characters_are_shown_not_obeyed_in_the_terminal(repo, ropa):
    repo.patch("records/support.yaml", "owner: Kundeservice", 'owner: "Kunde\u202eservice"')
    out = ropa("diff", "HEAD", "--root", repo.root).stdout
    assert "Kunde\\u202eservice" in out and "\u202e" not in out


# --- ropa check --against -------------------------------------------------------------------


def test_check_against_warns_when_content_changed_but_updated_did_not(repo, ropa):
    repo.patch("records/support.yaml", "owner: Kundeservice", "owner: Support")
    repo.patch("records/kundeforhold.yaml", "slettes 3 år efter", "slettes 5 år efter")
    repo.patch("records/kundeforhold.yaml", "updated: ", "updated: 2026-11-24\n# was: ")
    result = ropa("check", "--root", repo.root, "--against", "HEAD", "--format", "json")
    found = [p for p in json.loads(result.stdout) if p["code"] == "updated-not-changed"]
    assert [(p["path"], p["severity"]) for p in found] == [("records/support.yaml", "warning")]
    line = (
        repo.root.joinpath("records/support.yaml")
        .read_text()
        .split("\n")
        .index("updated: 2026-12-01")
    )
    assert found[0]["line"] == line + 1
    assert ropa("check", "--root", repo.root, "--against", "HEAD", "--strict").code == 1


def test_every_code_compare_can_give_is_documented_and_every_documented_code_is_given():
    from ropa_build.diff.meanings import load_meanings

    documented = set(load_meanings(REPO).codes)
    source = (REPO / "ropa_build" / "diff" / "compare.py").read_text(encoding="utf-8")
    quoted = set(re.findall(r'"([a-z]+(?:-[a-z]+)+|wording)"', source))
    given = quoted & documented | {q for q in quoted if q.endswith(("-changed", "-added"))}
    assert given - documented == set()
    assert documented - quoted == set()
