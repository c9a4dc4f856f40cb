"""Shared fixtures: a scratch copy of a register, and the ``ropa`` command run against it.

``register()`` copies the example register (or any folder under tests/data) into tmp_path; the
test then writes or patches files in it. ``ropa(...)`` runs the CLI in-process and prints what it
printed, so a failing assertion shows the command's output; ``ropa_process(...)`` runs it as a
real process, for what only a process shows (a traceback on stderr).

``pytest --update-golden`` rewrites golden files instead of comparing against them; tests read
it with ``request.config.getoption("update_golden")``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from ropa_build.cli import main

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
# Reviews are judged against this day, never the real clock (review-overdue would flip one day).
TODAY = "2026-11-25"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        dest="update_golden",
        help="rewrite golden files from the current output instead of comparing with them",
    )


@dataclass
class Register:
    """A register folder a test may change freely."""

    root: Path

    def write(self, name: str, text: str) -> Path:
        """Write ``name`` (relative to the root), dedenting ``text`` so tests can indent it."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def patch(self, name: str, old: str, new: str) -> Path:
        """Replace the one occurrence of ``old`` in ``name``: a patch that misses fails loudly."""
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")
        return path

    def remove(self, name: str) -> None:
        (self.root / name).unlink()


@pytest.fixture
def register(tmp_path: Path):
    """``register(base=REPO)``: a copy of organisation.yaml, catalogue.yaml and records/."""

    def make(base: Path = REPO, name: str = "register") -> Register:
        return Register(copy_register(base, tmp_path / name))

    return make


def copy_register(base: Path, root: Path) -> Path:
    """organisation.yaml, catalogue.yaml and records/ of ``base`` copied into a new ``root``."""
    root.mkdir()
    for file in ("organisation.yaml", "catalogue.yaml"):
        if (base / file).exists():
            shutil.copyfile(base / file, root / file)
    if (base / "records").is_dir():
        shutil.copytree(base / "records", root / "records")
    return root


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


def _argv(args: tuple[object, ...]) -> list[str]:
    """Add ``--today`` to check and build unless the test sets it."""
    argv = [str(a) for a in args]
    if argv[:1] in (["check"], ["build"]) and "--today" not in argv:
        argv += ["--today", TODAY]
    return argv


def _show(argv: list[str], result: Result) -> Result:
    print(f"$ ropa {' '.join(argv)}\n--> exit {result.code}")
    print(f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}")
    return result


@pytest.fixture
def ropa():
    """``ropa("check", "--root", path, ...)`` in-process → Result(code, stdout, stderr)."""

    def run(*args: object) -> Result:
        argv = _argv(args)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as error:  # argparse's usage errors
                code = error.code if isinstance(error.code, int) else 1
        return _show(argv, Result(code, out.getvalue(), err.getvalue()))

    return run


@pytest.fixture
def ropa_process():
    """``ropa`` as ``python -m ropa_build`` in a child process (same Result)."""

    def run(*args: object) -> Result:
        argv = _argv(args)
        done = subprocess.run(
            [sys.executable, "-m", "ropa_build", *argv],
            capture_output=True,
            encoding="utf-8",
            env={**os.environ, "PYTHONUTF8": "1"},
            timeout=120,
            check=False,
        )
        return _show(argv, Result(done.returncode, done.stdout, done.stderr))

    return run


@pytest.fixture(scope="session")
def synthetic():
    """``synthetic(folder, count)``: a register of ``count`` generated activities, as the
    benchmark makes them (scripts/bench.py) — for what only shows at scale (worker processes,
    a build long enough to be killed midway)."""
    spec = importlib.util.spec_from_file_location("bench", REPO / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    def make(folder: Path, count: int) -> Path:
        bench.generate(folder, count)
        return folder

    return make
