"""The build cache: a rebuild reuses work only where nothing it depends on changed.

A stale cache would be worse than none — a register showing last week's catalogue — so these
tests change each kind of input and look for the change in the output, and break the cache to
see that a build does not notice.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ropa_build.cache import Cache
from ropa_build.write import MARKER

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def cached_ropa(tmp_path: Path):
    """``ropa`` in a process, with a cache in tmp_path/cache (and without one if asked)."""

    def run(*args: str, cache: bool = True) -> subprocess.CompletedProcess:
        env = {**os.environ, "ROPA_CACHE_DIR": str(tmp_path / "cache") if cache else "off"}
        done = subprocess.run(
            [sys.executable, "-m", "ropa_build", *args, "--today", "2026-11-25"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        print(done.stderr)
        return done

    return run


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file but the marker (which lists the cache keys the files were made from)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and p.name != MARKER
    }


def document_text(package: Path) -> str:
    with zipfile.ZipFile(package) as docx:
        return docx.read("word/document.xml").decode()


def test_cached_findings_point_at_the_same_lines(register, cached_ropa) -> None:
    reg = register()
    reg.patch("records/support.yaml", "reviewed: 2026-10-01", "reviewed: 2020-01-01")
    fresh = cached_ropa("check", "--root", str(reg.root), cache=False)
    first = cached_ropa("check", "--root", str(reg.root))
    second = cached_ropa("check", "--root", str(reg.root))  # every record from the cache
    assert "records/support.yaml:" in fresh.stderr and "review-overdue" in fresh.stderr
    assert fresh.stderr == first.stderr == second.stderr


def test_each_kind_of_input_reaches_a_cached_rebuild(register, cached_ropa, tmp_path) -> None:
    reg = register()
    out = tmp_path / "out"
    assert cached_ropa("build", "--root", str(reg.root), "--out", str(out)).returncode == 0
    before = outputs(out)

    reg.patch("records/support.yaml", "owner: Kundeservice", "owner: Kundeservice Nord")
    assert cached_ropa("build", "--root", str(reg.root), "--out", str(out)).returncode == 0
    changed = [n for n, data in outputs(out).items() if before.get(n) != data]
    assert sorted(changed) == [  # Support is a processor record: the processor register
        "activities/support.docx",
        "register-processor.docx",
        "register-processor.html",
        "register-processor.md",
    ]

    catalogue = (reg.root / "catalogue.yaml").read_text(encoding="utf-8")
    reg.write("catalogue.yaml", catalogue.replace("name: Zendesk Suite", "name: Zendesk Pro"))
    assert cached_ropa("build", "--root", str(reg.root), "--out", str(out)).returncode == 0
    assert "Zendesk Pro" in document_text(out / "activities" / "supporthenvendelser.docx")

    labels = (REPO / "templates" / "labels" / "da.yaml").read_text(encoding="utf-8")
    reg.write(
        "templates/labels/da.yaml", labels.replace("security: Tekniske", "security: TEKNISKE")
    )
    assert cached_ropa("build", "--root", str(reg.root), "--out", str(out)).returncode == 0
    assert "TEKNISKE" in document_text(out / "activities" / "support.docx")


def test_a_broken_cache_is_ignored(register, cached_ropa, tmp_path) -> None:
    reg = register()
    assert (
        cached_ropa("build", "--root", str(reg.root), "--out", str(tmp_path / "a")).returncode == 0
    )
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert entries
    for i, entry in enumerate(entries):  # truncated, garbage, a valid pickle of the wrong thing
        entry.write_bytes([b"", b"\x80\x05garbage", pickle.dumps(1)][i % 3])
    assert (
        cached_ropa("build", "--root", str(reg.root), "--out", str(tmp_path / "b")).returncode == 0
    )
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_keys_cover_the_code_and_every_part(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("a") == Cache(tmp_path / "elsewhere").key("a")
    cache.put("kind", cache.key("a"), {"value": 1})
    assert cache.get("kind", cache.key("a")) == {"value": 1}
    assert cache.get("kind", cache.key("b")) is None
    assert Cache(None).get("kind", cache.key("a")) is None


def test_unwritable_cache_is_skipped(register, cached_ropa, tmp_path) -> None:
    reg = register()
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be")
    done = cached_ropa("build", "--root", str(reg.root), "--out", str(tmp_path / "out"))
    assert done.returncode == 0
    assert "Traceback" not in done.stderr


def test_findings_from_a_moved_register_come_from_its_new_place(
    register, cached_ropa, tmp_path
) -> None:
    """Positions are read again from the file: after a move, from the file where it is now."""
    reg = register()
    reg.patch("records/support.yaml", "reviewed: 2026-10-01", "reviewed: 2020-01-01")
    first = cached_ropa("check", "--root", str(reg.root))
    moved = reg.root.rename(tmp_path / "moved")
    second = cached_ropa("check", "--root", str(moved))
    assert "review-overdue" in first.stderr
    assert first.stderr == second.stderr


def test_a_template_without_the_activity_block_gets_cached_views(
    register, cached_ropa, tmp_path
) -> None:
    """An older copy of register.md.j2 (no block) renders the same from cached views."""
    reg = register()
    build = ("build", "--root", str(reg.root), "--format", "md", "--out")
    assert cached_ropa(*build, str(tmp_path / "with-block")).returncode == 0
    builtin = (REPO / "templates" / "register.md.j2").read_text(encoding="utf-8")
    without = re.sub(
        r"\{#- One activity.*?\{% block activity scoped %\}\n", "", builtin, flags=re.S
    )
    without = without.replace("{% endblock %}\n", "")
    assert "block" not in without
    reg.write("templates/register.md.j2", without)
    assert cached_ropa(*build, str(tmp_path / "first")).returncode == 0
    assert cached_ropa(*build, str(tmp_path / "cached")).returncode == 0
    expected = (tmp_path / "with-block" / "register.md").read_text(encoding="utf-8")
    assert (tmp_path / "first" / "register.md").read_text(encoding="utf-8") == expected
    assert (tmp_path / "cached" / "register.md").read_text(encoding="utf-8") == expected


def test_a_moved_register_keeps_its_cache(register, cached_ropa, tmp_path) -> None:
    reg = register()
    assert (
        cached_ropa("build", "--root", str(reg.root), "--out", str(tmp_path / "a")).returncode == 0
    )
    entries = sorted((tmp_path / "cache").rglob("*"))
    moved = reg.root.rename(tmp_path / "moved")
    assert cached_ropa("build", "--root", str(moved), "--out", str(tmp_path / "b")).returncode == 0
    assert sorted((tmp_path / "cache").rglob("*")) == entries  # every piece was found again
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_a_rebuild_links_what_did_not_change_and_makes_what_did(
    register, cached_ropa, tmp_path
) -> None:
    """Unchanged files come from the previous output as hard links (the same inode), changed
    ones are made afresh, and a file changed by hand in the output is never trusted."""
    reg = register()
    out = tmp_path / "out"
    build = ("build", "--root", str(reg.root), "--out", str(out))
    assert cached_ropa(*build).returncode == 0
    inodes = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.*")}
    assert cached_ropa(*build).returncode == 0  # nothing changed: every file linked
    again = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.*")}
    assert {n: i for n, i in again.items() if n != MARKER} == {
        n: i for n, i in inodes.items() if n != MARKER
    }

    reg.patch("records/support.yaml", "owner: Kundeservice", "owner: Kundeservice Nord")
    (out / "activities" / "nyhedsbrev.docx").write_bytes(b"edited by hand")
    before = outputs(out)
    assert cached_ropa(*build).returncode == 0
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*.*")}
    made = sorted(n for n in after if n != MARKER and after[n] != again[n])
    assert made == [
        "activities/nyhedsbrev.docx",
        "activities/support.docx",
        "register-processor.docx",
        "register-processor.html",
        "register-processor.md",
    ]
    assert outputs(out)["activities/nyhedsbrev.docx"] != before["activities/nyhedsbrev.docx"]
    with zipfile.ZipFile(out / "activities" / "nyhedsbrev.docx") as document:
        assert document.testzip() is None
