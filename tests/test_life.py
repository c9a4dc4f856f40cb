"""The register's life in its documents: provenance (version, commit, date) and the change log.

Every test works on a scratch git repository holding a copy of the example register, with
commits dated by the test (GIT_COMMITTER_DATE), never by the clock.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from ropa_build import __version__, changelog
from ropa_build.cache import Cache
from ropa_build.changelog import history
from ropa_build.provenance import provenance

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode, reason="needs git"
)

ENV = {
    "GIT_AUTHOR_NAME": "Mette DPO",
    "GIT_AUTHOR_EMAIL": "mette@example.dk",
    "GIT_COMMITTER_NAME": "Mette DPO",
    "GIT_COMMITTER_EMAIL": "mette@example.dk",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(root: Path, *args: str, day: str = "2026-11-20") -> str:
    when = f"{day}T12:00:00Z"
    env = {**os.environ, **ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def commit(reg, message: str, day: str) -> str:
    git(reg.root, "add", "-A")
    git(reg.root, "commit", "-q", "--allow-empty", "-m", message, day=day)
    return git(reg.root, "rev-parse", "HEAD")


@pytest.fixture
def repo(register):
    reg = register()
    reg.write(".gitignore", ".ropa-cache/\noutput/\n")
    git(reg.root, "init", "-q", "-b", "main")
    commit(reg, "the example register", "2026-11-01")
    return reg


def build(ropa, reg, *args: str, out: str = "output"):
    result = ropa(
        "build", "--root", reg.root, "--out", reg.root / out, "--today", "2026-11-25", *args
    )
    assert result.code == 0, result.stderr
    return reg.root / out


def part(package: Path, name: str) -> str:
    with zipfile.ZipFile(package) as docx:
        return docx.read(name).decode()


# --- provenance -------------------------------------------------------------------------------


def test_version_is_the_nearest_tag_else_the_short_commit(repo):
    first = git(repo.root, "rev-parse", "HEAD")
    made = provenance(repo.root)
    assert made.version == git(repo.root, "rev-parse", "--short", "HEAD")
    assert (made.commit, made.dated_by, made.dirty, made.shallow) == (first, "commit", False, False)
    assert made.date == dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
    assert made.revision == 1 and made.tool == __version__
    git(repo.root, "tag", "v2.0")
    assert provenance(repo.root).version == "v2.0"
    repo.patch("records/support.yaml", "title: Support", "title: Kundesupport")
    commit(repo, "support: a clearer title", "2026-11-02")
    later = provenance(repo.root)
    assert re.fullmatch(r"v2\.0-1-g[0-9a-f]{7,}", later.version)
    assert later.revision == 2 and later.date.day == 2


def test_uncommitted_changes_in_the_register_files_only(repo):
    (repo.root / "output").mkdir()
    (repo.root / "output" / "register.md").write_text("built\n")
    (repo.root / "notes.txt").write_text("not the register\n")
    assert provenance(repo.root).dirty is False
    repo.patch("records/support.yaml", "title: Support", "title: Kundesupport")
    assert provenance(repo.root).dirty is True
    git(repo.root, "checkout", "--", "records/support.yaml")
    repo.write("records/ny.yaml", "title: x\n")  # a new, uncommitted record counts too
    assert provenance(repo.root).dirty is True


def test_outside_git_the_date_is_source_date_epoch_else_the_newest_record(register):
    reg = register()
    epoch = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.UTC)
    made = provenance(reg.root, dt.date(2026, 9, 1), epoch)
    assert (made.version, made.commit, made.date, made.dated_by) == ("", "", epoch, "epoch")
    made = provenance(reg.root, dt.date(2026, 9, 1))
    assert (made.date, made.dated_by) == (dt.datetime(2026, 9, 1, tzinfo=dt.UTC), "records")


def test_a_shallow_clone_says_its_history_is_incomplete(repo, tmp_path, ropa):
    git(repo.root, "tag", "v1")
    repo.patch("records/support.yaml", "title: Support", "title: Kundesupport")
    commit(repo, "support: a clearer title", "2026-11-02")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone))
    made = provenance(clone)
    assert made.shallow and made.version == made.short  # no guess at the nearest tag
    assert made.date == dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)  # the commit is there
    log = history(clone)
    assert log.shallow and log.lines == ()  # the cut is not "every activity added"
    out = ropa("build", "--root", clone, "--today", "2026-11-25", "--format", "md")
    assert out.code == 0, out.stderr
    text = (clone / "output" / "register.md").read_text(encoding="utf-8")
    assert "historikken er ufuldstændig" in text and "Historikken er ufuldstændig" in text
    assert "En ny behandlingsaktivitet" not in text


def test_every_output_is_stamped_with_the_commit(repo, ropa):
    repo.patch("organisation.yaml", '  version: "2.0"\n', "")  # the register states no version
    head = commit(repo, "no version of our own", "2026-11-03")
    git(repo.root, "tag", "v3")
    out = build(ropa, repo)
    docx = out / "register.docx"
    core = part(docx, "docProps/core.xml")
    assert set(re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)) == {
        "2026-11-03T12:00:00Z"
    }
    assert "<cp:revision>2</cp:revision>" in core
    assert "Version v3 · 3. november 2026" in core  # the title: the running header
    custom = part(docx, "docProps/custom.xml")
    assert f'name="RopaCommit"><vt:lpwstr>{head}</vt:lpwstr>' in custom
    assert 'name="RopaVersion"><vt:lpwstr>v3</vt:lpwstr>' in custom
    assert 'name="RopaUncommittedChanges"><vt:lpwstr>false</vt:lpwstr>' in custom
    types = part(docx, "[Content_Types].xml")
    assert 'PartName="/docProps/custom.xml"' in types
    assert "relationships/custom-properties" in part(docx, "_rels/.rels")
    body = part(docx, "word/document.xml")
    assert ">Version v3<" in body and "Version 1<" not in body
    assert f"Git-version v3 · commit {head[:7]} fra 3. november 2026 · ropa-build" in body
    html = (out / "register.html").read_text(encoding="utf-8")
    assert f'<meta name="ropa-build:commit" content="{head}">' in html
    assert '<meta name="dcterms.modified" content="2026-11-03T12:00:00Z">' in html
    assert f"commit {head[:7]} fra 3. november 2026" in html
    first = (out / "register.md").read_text(encoding="utf-8").splitlines()[:6]
    assert first[0] == f"[//]: # (ropa-build {__version__} · commit {head} · 2026-11-03T12:00:00Z)"
    assert any(f"commit {head[:7]}" in line for line in first)


def test_the_same_commit_gives_the_same_bytes_and_a_new_commit_a_new_register(repo, ropa):
    """With the cache on, a rebuild into the same output links the files made from the same
    inputs; after a commit that touched no record it must not link the previous register.docx:
    provenance and change log are part of its key."""
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    names = ("register.docx", "register.md", "register.html", "activities/support.docx")
    out = build(ropa, repo)
    first = {name: (out / name).read_bytes() for name in names}
    inode = (out / "register.docx").stat().st_ino
    build(ropa, repo)
    assert {name: (out / name).read_bytes() for name in names} == first
    assert (out / "register.docx").stat().st_ino == inode  # linked: nothing was made again
    commit(repo, "an empty commit: only the provenance changes", "2026-11-04")
    build(ropa, repo)
    assert (out / "register.docx").stat().st_ino != inode
    for name in names[:3]:
        assert (out / name).read_bytes() != first[name], name
    assert "4. november 2026" in (out / "register.md").read_text(encoding="utf-8")
    assert (out / names[3]).read_bytes() == first[names[3]]  # an activity's own document


# --- the change log ---------------------------------------------------------------------------


def five_commits(reg) -> None:
    """The issue's commits: a new transfer, a changed retention period, a renamed record
    file, a reordered list, an edited DPO e-mail; then a removed activity."""
    reg.patch(
        "records/support.yaml",
        "  items:\n",
        "  items:\n    - country: IN\n      recipient: Supportcenter i Indien\n"
        "      mechanism: scc\n      documentation: Standardkontraktbestemmelser (2021/914).\n",
    )
    commit(reg, "support: a new transfer to India (#12)", "2026-11-05")
    reg.patch("records/kundeforhold.yaml", "slettes 3 år efter", "slettes 5 år efter")
    commit(reg, "kundeforhold: correspondence kept 5 years", "2026-11-06")
    (reg.root / "records/nyhedsbrev.yaml").rename(reg.root / "records/nyhedsbreve.yaml")
    commit(reg, "rename nyhedsbrev to nyhedsbreve", "2026-11-07")
    path = reg.root / "records/supporthenvendelser.yaml"
    text = path.read_text(encoding="utf-8")
    zendesk = (
        "    - ref: zendesk\n      receives:\n        kunder: [identification, communication]\n"
    )
    assert text.count("  internal:\n" + zendesk) == 1
    text = text.replace("  internal:\n" + zendesk, "  internal:\n")
    path.write_text(text.replace("  processors:\n", zendesk + "  processors:\n"), encoding="utf-8")
    commit(reg, "supporthenvendelser: reorder the internal systems", "2026-11-08")
    reg.patch("organisation.yaml", "- dpo@marketingplatform.com", "- privacy@marketingplatform.com")
    commit(reg, "Merge pull request #14 from acme/dpo", "2026-11-09")
    reg.remove("records/rekruttering.yaml")
    commit(reg, "rekruttering: no longer done", "2026-11-10")


def test_the_change_log_lists_each_commit_per_activity_newest_first(repo):
    five_commits(repo)
    log = history(repo.root)
    got = [(line.date.day, line.subject, line.codes, line.pull_request) for line in log.lines]
    assert got[:5] == [
        (10, "rekruttering", ("record-removed",), None),  # a removed activity keeps its line
        (9, "", ("party-changed",), 14),
        (7, "nyhedsbreve", ("record-renamed",), None),  # the reordered list (8th) is no change
        (6, "kundeforhold", ("retention-changed",), None),
        (5, "support", ("transfer-added",), 12),
    ]
    assert {line.codes for line in log.lines[5:]} == {("record-added",)}  # the first commit
    assert len(log.lines[5:]) == 7 and log.total == 12
    assert {line.author for line in log.lines} == {"Mette DPO"}
    assert log.lines[0].title == "Rekruttering"


def test_the_annex_in_every_format_in_the_registers_language(repo, ropa):
    five_commits(repo)
    out = build(ropa, repo)
    md = (out / "register.md").read_text(encoding="utf-8")
    annex = md[md.index("## Ændringslog") :]
    assert "| Dato | Aktivitet | Ændring | Forfatter | Pull request |" in annex
    assert (
        "| 5. november 2026 | Support | En ny overførsel til et tredjeland eller en international "
        "organisation. | Mette DPO | #12 |"
    ) in annex
    assert "| 10. november 2026 | Rekruttering |" in annex
    html = (out / "register.html").read_text(encoding="utf-8")
    assert '<h2 id="changelog-title">Ændringslog</h2>' in html
    cell = '<td style="overflow-wrap: break-word">'
    assert f"{cell}Rekruttering</td>" in html and f"{cell}#14</td>" in html
    body = part(out / "register.docx", "word/document.xml")
    assert body.index(">Ændringslog<") > body.index(">Behandlingsaktiviteter vedrørende Kundefor")
    assert ">Rekruttering<" in body[body.index(">Ændringslog<") :]
    processors = part(out / "register-processor.docx", "word/document.xml")  # the same history
    assert ">Rekruttering<" in processors[processors.index(">Ændringslog<") :]
    english = build(ropa, repo, "--lang", "en", out="en")
    text = (english / "register.md").read_text(encoding="utf-8")
    assert "## Change log" in text and "| 10 November 2026 | Rekruttering |" in text


def test_since_cap_and_off(repo, ropa):
    five_commits(repo)
    by_date = history(repo.root, since="2026-11-09")
    assert [line.date.day for line in by_date.lines] == [10, 9]
    by_revision = history(repo.root, since="HEAD~2")
    assert [line.date.day for line in by_revision.lines] == [10, 9]
    capped = history(repo.root, cap=2)
    assert len(capped.lines) == 2 and capped.total == 12
    out = build(ropa, repo, "--changelog-since", "2026-11-09", "--format", "md")
    text = (out / "register.md").read_text(encoding="utf-8")
    assert "Ændringer siden 2026-11-09." in text and "| 6. november 2026 |" not in text
    off = build(ropa, repo, "--no-changelog", "--format", "md", out="off")
    assert "Ændringslog" not in (off / "register.md").read_text(encoding="utf-8")


def test_a_capped_log_says_so(repo, monkeypatch, ropa):
    five_commits(repo)
    monkeypatch.setattr(changelog, "CAP", 3)
    out = build(ropa, repo, "--format", "md")
    text = (out / "register.md").read_text(encoding="utf-8")
    assert "Viser de nyeste 3 af 12 ændringer; resten findes i git-historikken." in text


def test_a_bad_since_is_a_usage_error(repo, ropa):
    result = ropa("build", "--root", repo.root, "--changelog-since", "nosuchtag")
    assert result.code == 2
    assert "neither a date nor a revision" in result.stderr and "Traceback" not in result.stderr


def test_each_commit_is_compared_once_then_cached(repo, monkeypatch, tmp_path):
    five_commits(repo)
    cache = Cache(tmp_path / "cache")
    first = history(repo.root, cache=cache)

    def no_reading(*args, **kwargs):
        raise AssertionError("a cached commit was read again")

    monkeypatch.setattr(changelog, "read_revision", no_reading)
    assert history(repo.root, cache=cache) == first
    monkeypatch.undo()
    commit(repo, "an empty commit", "2026-11-11")  # touches nothing: not in the log
    repo.patch("records/support.yaml", "title: Support", "title: Kundesupport")
    commit(repo, "support: title", "2026-11-12")
    read = []
    original = changelog.read_revision
    monkeypatch.setattr(
        changelog,
        "read_revision",
        lambda root, c, *rest: read.append(c) or original(root, c, *rest),
    )
    newer = history(repo.root, cache=cache)
    assert len(read) == 2  # the new commit and its parent, nothing older
    assert newer.lines[1:] == first.lines


HOSTILE = "<script>alert(1)</script> | `x` {{ 7*7 }} {% if 1 %}*a*{% endif %} ]]> &amp; </w:t>"


def test_hostile_titles_and_authors_stay_text_in_the_annex(repo, ropa):
    """A title and a commit author are record text: escaped for each reader, never code."""
    path = repo.root / "records/support.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "title: Support", "title: 'SUP " + HOSTILE + "'"
    )
    path.write_text(text, encoding="utf-8")
    git(repo.root, "add", "-A")
    git(repo.root, "-c", f"user.name={HOSTILE}", "commit", "-q", "-m", "hostile", day="2026-11-05")
    subprocess.run(  # the author, as git records it
        [
            "git",
            "-C",
            str(repo.root),
            "commit",
            "-q",
            "--amend",
            "--no-edit",
            "--author",
            f"{HOSTILE.replace('<', '(').replace('>', ')')} <x@example.dk>",
        ],
        env={**os.environ, **ENV, "GIT_COMMITTER_DATE": "2026-11-05T12:00:00Z"},
        check=True,
        capture_output=True,
    )
    out = build(ropa, repo)
    md = (out / "register.md").read_text(encoding="utf-8")
    annex = md[md.index("## Ændringslog") :]
    row = next(line for line in annex.splitlines() if "SUP" in line)
    assert row.startswith("| 5. november 2026 | SUP \\<script\\>")
    assert row.count(" | ") == 4  # five cells: no pipe broke the table
    assert "<script>" not in annex and "49" not in row
    html = (out / "register.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{ 7*7 }}" in html
    body = part(out / "register.docx", "word/document.xml")
    assert "&lt;/w:t&gt;" in body and "]]&gt;" in body


def test_the_bench_history_is_the_register_with_one_change_per_commit(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import bench_history

    root = tmp_path / "history"
    bench_history.make_history(root, 6, 3)
    assert git(root, "rev-list", "--count", "main") == "6"
    assert git(root, "status", "--porcelain") == ""
    log = history(root)
    assert [line.codes for line in log.lines[:5]] == [("owner-changed",)] * 5
    assert [line.pull_request for line in log.lines[:5]] == [5, 4, 3, 2, 1]
    assert log.total == 5 + 3  # and the first commit: three activities added


def test_a_register_with_its_change_log_imports_the_same_activities(repo, ropa, tmp_path):
    """ropa import reads a register.docx up to its change log: the annex is history, not an
    activity (its rows would otherwise become a record full of TODOs)."""
    five_commits(repo)
    out = build(ropa, repo)
    into = tmp_path / "imported"
    result = ropa("import", out / "register.docx", out / "register-processor.docx", "--into", into)
    assert result.code == 0, result.stderr
    records = {p.stem: p.read_text(encoding="utf-8") for p in (into / "records").glob("*.yaml")}
    assert len(records) == 6, sorted(records)  # rekruttering was removed in the history
    leaked = [name for name, text in records.items() if "Mette DPO" in text or "#12" in text]
    assert leaked == []  # no line of the log became part of the last activity
