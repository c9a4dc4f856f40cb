"""A build replaces the whole output or nothing: never a mix, never half a file.

The output is what a DPO hands to the authority; a failed, broken or killed build must leave
the last good one exactly as it was, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-11-25"


def command(root: Path, out: Path, *extra: str) -> list[str]:
    args = ["build", "--root", str(root), "--out", str(out), "--today", TODAY, *extra]
    return [sys.executable, "-m", "ropa_build", *args]


def run(root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        command(root, out, *extra),
        env={**os.environ, "ROPA_CACHE_DIR": "off"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def snapshot(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """Staging or swap folders beside the output."""
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*") if p.is_dir())


@pytest.fixture
def example(tmp_path: Path) -> Path:
    root = tmp_path / "register"
    root.mkdir()
    for name in ("organisation.yaml", "catalogue.yaml"):
        shutil.copyfile(REPO / name, root / name)
    shutil.copytree(REPO / "records", root / "records")
    return root


@pytest.fixture
def built(example: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """The example register built once: the 'previous output' every test must keep."""
    out = tmp_path / "output"
    done = run(example, out)
    assert done.returncode == 0, done.stderr
    return out, snapshot(out)


def test_template_error_after_other_formats_rendered_keeps_previous_output(
    example: Path, built
) -> None:
    out, before = built
    (example / "templates").mkdir()
    (example / "templates" / "register.html.j2").write_text(
        "<html>{{ view.title }}{{ view.no_such_field.deeper }}</html>\n", encoding="utf-8"
    )
    done = run(example, out)
    assert done.returncode == 1
    assert (
        "register.html.j2:1:26: error[template-error]: view has no field 'no_such_field'"
        in done.stderr
    )
    assert "Traceback" not in done.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_invalid_record_keeps_previous_output(example: Path, built) -> None:
    out, before = built
    (example / "records" / "broken.yaml").write_text("title: Broken\nrole: owner\n")
    done = run(example, out)
    assert done.returncode == 1
    assert "records/broken.yaml" in done.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_killed_build_keeps_previous_output_complete(tmp_path: Path, built, synthetic) -> None:
    out, before = built
    large = synthetic(tmp_path / "large", 400)
    process = subprocess.Popen(
        command(large, out),
        env={**os.environ, "ROPA_CACHE_DIR": "off", "ROPA_JOBS": "2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches the workers too
    )
    try:
        staging = _wait_for_staging(out, process)
        while not list(staging.rglob("*.docx")) and process.poll() is None:
            time.sleep(0.01)  # mid-build: some files written, most not
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert snapshot(out) == before

    again = run(tmp_path / "register", out)  # the next build sweeps the dead one's folder
    assert again.returncode == 0, again.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def _wait_for_staging(out: Path, process: subprocess.Popen) -> Path:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        found = list(out.parent.glob(f".{out.name}.new-*"))
        if found:
            return found[0]
        time.sleep(0.005)
    raise AssertionError("the build never started writing")


def test_two_builds_at_once_both_succeed_and_output_is_one_of_them(
    example: Path, tmp_path: Path, built
) -> None:
    out, _ = built
    expected = {}
    for lang in ("da", "en"):
        done = run(example, tmp_path / f"alone-{lang}", "--lang", lang)
        assert done.returncode == 0, done.stderr
        expected[lang] = snapshot(tmp_path / f"alone-{lang}")
    assert expected["da"] != expected["en"]
    processes = [
        subprocess.Popen(
            command(example, out, "--lang", lang),
            env={**os.environ, "ROPA_CACHE_DIR": "off"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for lang in ("da", "en")
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    assert snapshot(out) in (expected["da"], expected["en"])
    assert leftovers(out) == []
