"""Same inputs, same bytes: whatever the time zone, locale, clock, process count or cache.

A register is kept in git and its outputs are diffed and signed off, so a rebuild that changes
nothing in the YAML must change nothing in the files. Each build here runs as its own process
with its own environment, the way two colleagues or CI would run it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from ropa_build.write import MARKER

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"


def build(root: Path, out: Path, *formats: str, **env: str) -> Path:
    """``ropa build`` (of ``formats``, default the documents) in a fresh process with ``env`` on
    top of a clean environment."""
    base = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "TZ", "LC_ALL")}
    command = ["build", "--root", str(root), "--out", str(out), "--today", TODAY]
    command += ["--format", *formats] if formats else []
    done = subprocess.run(
        [sys.executable, "-m", "ropa_build", *command],
        env={**base, "ROPA_CACHE_DIR": "off", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return out


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def core_dates(package: Path) -> set[str]:
    with zipfile.ZipFile(package) as docx:
        core = docx.read("docProps/core.xml").decode()
    return set(re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core))


def test_time_zone_locale_and_clock_do_not_change_a_byte(tmp_path: Path) -> None:
    first = build(REPO, tmp_path / "a", TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    time.sleep(1.1)  # a later second on the clock, too
    second = build(
        REPO, tmp_path / "b", TZ="Pacific/Auckland", LANG="da_DK.UTF-8", LC_ALL="da_DK.UTF-8"
    )
    a, b = files(first), files(second)
    assert {"register.docx", "register.md", "register.html"} <= set(a)
    assert any(name.startswith("activities/") for name in a)
    assert a.keys() == b.keys()
    assert [name for name in a if a[name] != b[name]] == []


def test_workers_and_cache_give_the_bytes_of_a_plain_serial_build(
    tmp_path: Path, synthetic
) -> None:
    root = synthetic(tmp_path / "register", 80)  # above parallel.MIN_ITEMS
    serial = files(build(root, tmp_path / "serial", ROPA_JOBS="1"))
    cache = str(tmp_path / "cache")
    cold = files(build(root, tmp_path / "cold", ROPA_JOBS="2", ROPA_CACHE_DIR=cache))
    warm = files(build(root, tmp_path / "warm", ROPA_JOBS="2", ROPA_CACHE_DIR=cache))
    assert len(serial) == 80 + 6 + 1  # activities, two registers of three files, the marker
    # The marker lists the cache keys files were made from (none without a cache): bookkeeping
    # for the next build, the same for the same inputs, code and cache setting.
    assert [n for n in serial if serial[n] != cold.get(n) and n != MARKER] == []
    assert [n for n in serial if serial[n] != warm.get(n) and n != MARKER] == []
    assert cold[MARKER] == warm[MARKER]


def test_source_date_epoch_dates_every_document(tmp_path: Path, register) -> None:
    """Outside git (a copy of the example); inside git the register is dated by its commit
    (tests/test_life.py)."""
    out = build(register().root, tmp_path / "out", SOURCE_DATE_EPOCH="1700000000")
    for package in [out / "register.docx", *(out / "activities").glob("*.docx")]:
        assert core_dates(package) == {"2023-11-14T22:13:20Z"}, package.name


def test_without_source_date_epoch_documents_carry_their_records_date(
    tmp_path: Path, register
) -> None:
    """Outside git, the register is as new as its newest record; an activity's document as its
    record."""
    out = build(register().root, tmp_path / "out")
    updated = {
        path.stem: re.search(r"^updated: (\S+)", path.read_text(encoding="utf-8"), re.M)[1]
        for path in (REPO / "records").glob("*.yaml")
    }
    newest = max(dt.date.fromisoformat(day) for day in updated.values())
    assert core_dates(out / "register.docx") == {f"{newest.isoformat()}T00:00:00Z"}
    for record, day in updated.items():
        assert core_dates(out / "activities" / f"{record}.docx") == {f"{day}T00:00:00Z"}


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> list[Path]:
    out = build(REPO, tmp_path_factory.mktemp("zip") / "out")
    return [out / "register.docx", *sorted((out / "activities").glob("*.docx"))]


def test_zip_entries_have_fixed_order_time_and_attributes(packages: list[Path]) -> None:
    with zipfile.ZipFile(REPO / "templates" / "reference.docx") as reference:
        order = [n for n in reference.namelist() if n != "[Content_Types].xml"]
    for package in packages:
        with zipfile.ZipFile(package) as docx:
            infos = docx.infolist()
            assert docx.testzip() is None
        names = [i.filename for i in infos]
        assert names[0] == "[Content_Types].xml", package.name
        if package.name == "register.docx":  # the provenance, a part the reference lacks
            assert names.pop() == "docProps/custom.xml"
        assert names[1:] == [n for n in order if n in names], package.name
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {(i.create_system, i.external_attr) for i in infos} == {(0, 0)}
        assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
