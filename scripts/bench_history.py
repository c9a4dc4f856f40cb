"""The change log's cost: a register with a generated git history of many commits.

The change log annex (``ropa_build.changelog``) walks ``git log`` once and compares each commit
that touched the register with its parent, cached by commit ids. Measured here, each in a fresh
process, building Markdown only (the annex is the same in every format; the formats' own costs
are the main benchmark's):

* ``no_changelog``: ``ropa build --no-changelog``, empty cache — the build without the annex;
* ``cold``: ``ropa build`` with the annex, empty cache: every commit compared once;
* ``warm``: the same build again: every commit's changes from the cache;
* ``one_new_commit``: after one more commit: one comparison, the rest cached.

The history is made with ``git fast-import`` (a thousand ``git commit`` calls would measure
git): a register of ``records`` activities from ``bench_generate``, then one commit per step,
each changing one record's ``owner`` (a content change ``ropa diff`` reports), dated one hour
apart from a fixed start, so every run makes the same repository.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench_generate import generate
from bench_measure import Measured, measure

START = 1_767_225_600  # 2026-01-01 00:00 UTC
TODAY = "2026-11-25"
_GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def make_history(root: Path, commits: int, records: int) -> None:
    """``root``: a git repository whose main branch holds ``commits`` commits of a register."""
    generate(root, records)
    files = sorted(p for p in root.rglob("*.yaml"))
    names = sorted(p.name for p in (root / "records").glob("*.yaml"))
    stream: list[bytes] = []

    def data(text: bytes) -> None:
        stream.append(b"data %d\n" % len(text) + text + b"\n")

    def header(i: int, message: str) -> None:
        stream.append(b"commit refs/heads/main\nmark :%d\n" % (i + 1))
        stream.append(b"committer Bench <bench@example.dk> %d +0000\n" % (START + 3600 * i))
        data(message.encode())
        if i:
            stream.append(b"from :%d\n" % i)

    header(0, "the register")
    for path in files:
        stream.append(f"M 100644 inline {path.relative_to(root).as_posix()}\n".encode())
        data(path.read_bytes())
    for i in range(1, commits):
        name = names[i % len(names)]
        record = (root / "records" / name).read_text(encoding="utf-8")
        changed = record.replace("owner: ", f"owner: Ejer {i} – ", 1)
        (root / "records" / name).write_text(changed, encoding="utf-8")
        header(i, f"{name}: new owner (#{i})")
        stream.append(f"M 100644 inline records/{name}\n".encode())
        data(changed.encode())
    _git(root, "init", "-q", "-b", "main")
    _git(root, "fast-import", "--quiet", stdin=b"".join(stream))
    _git(root, "reset", "-q", "--hard", "main")


def bench_history(work: Path, commits: int, records: int) -> dict:
    """The four measurements, as one object of bench.json."""
    root = work / f"history-{commits}"
    if not root.exists():
        make_history(root, commits, records)
    out, cache = work / "history-out", work / "history-cache"
    env = {"ROPA_CACHE_DIR": str(cache)}
    build = [sys.executable, "-m", "ropa_build", "build", "--root", str(root), "--out", str(out)]
    build += ["--today", TODAY, "--format", "md"]
    runs: dict[str, Measured] = {"no_changelog": measure([*build, "--no-changelog"], env)}
    _remove(cache, out)
    runs["cold"] = measure(build, env)
    runs["warm"] = measure(build, env)
    name = sorted((root / "records").glob("*.yaml"))[0]
    name.write_text(name.read_text(encoding="utf-8").replace("owner: ", "owner: Ny ", 1))
    _git(root, "commit", "-q", "-am", "one more", "--date", f"@{START + 3600 * commits} +0000")
    try:
        runs["one_new_commit"] = measure(build, env)
    finally:
        _git(root, "reset", "-q", "--hard", "HEAD~1")
        _remove(cache, out)
    return {
        "commits": commits,
        "records": records,
        **{f"{step}_s": round(run.seconds, 3) for step, run in runs.items()},
        "cpu_s": {step: round(run.cpu_s, 3) for step, run in runs.items()},
        "peak_rss_mb": round(max(run.rss_mb for run in runs.values()), 1),
        "per_commit_cold_ms": round(
            1000 * (runs["cold"].seconds - runs["no_changelog"].seconds) / commits, 2
        ),
    }


def table(row: dict) -> str:
    steps = ("no_changelog", "cold", "warm", "one_new_commit")
    head = f"change log: {row['commits']:,} commits, {row['records']} activities (seconds)"
    lines = [head, "  " + "  ".join(f"{s:>15}" for s in steps)]
    lines.append("  " + "  ".join(f"{row[f'{s}_s']:>15.2f}" for s in steps))
    lines.append(f"  cold, per commit: {row['per_commit_cold_ms']} ms")
    return "\n".join(lines)


def _git(root: Path, *args: str, stdin: bytes | None = None) -> None:
    env = {**os.environ, **_GIT_ENV, "GIT_COMMITTER_NAME": "Bench"}
    env |= {"GIT_COMMITTER_EMAIL": "bench@example.dk", "GIT_AUTHOR_NAME": "Bench"}
    env |= {"GIT_AUTHOR_EMAIL": "bench@example.dk"}
    subprocess.run(["git", "-C", str(root), *args], input=stdin, env=env, check=True)


def _remove(*paths: Path) -> None:
    import shutil

    for path in paths:
        shutil.rmtree(path, ignore_errors=True)
