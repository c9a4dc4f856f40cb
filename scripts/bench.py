"""Benchmark ropa build at scale: synthetic registers of 100, 1,000 and 10,000 activities.

The registers come from ``bench_generate.generate`` (fixed seed: the same files on every run, so
numbers from two commits compare). Each measurement runs in a fresh process
(``bench_measure.measure``: wall time, CPU time of the process tree, peak memory of the tree and
of its largest process). Per size:

* ``cold``: ``ropa build`` of all formats, empty cache and no previous output;
* ``warm_unchanged``: the same build again, nothing changed (the cache of the cold build);
* ``warm_one_changed``: the same build again after one record's ``owner`` changed;
* ``check`` / ``check_warm``: ``ropa check`` with an empty cache, then again with its cache;
* ``docx_only``: ``ropa build --format docx``, empty cache;
* ``yaml_floor``: reading the same files with libyaml's ``CSafeLoader`` and nothing else — the
  least any YAML tool must spend;
* the peers (``bench_peers``): ``docxtpl`` making one document of the same records, ``pandoc``
  converting our ``register.md`` to DOCX;
* ``changes_docx``: ``ropa diff HEAD~1 HEAD --format docx`` on a git copy of the register whose
  last commit changed 10 records (their purposes), with an empty cache (issue 13: at most a
  quarter of ``docx_only``).

Plus ``startup``: ``ropa check`` on 30 activities, warm, against a bare ``python -c pass``
(medians): what a pre-commit hook pays on every commit; and ``history``
(``bench_history``): the change log annex of a register with a generated git history,
``--history N`` commits (default 200; the issue's figure is ``--history 1000``; 0: skip).

Prints tables and writes ``output/bench.json``. ``make bench`` runs it (``make bench
BENCH_ARGS=--quick``); ``--quick`` for 100 and 1,000 only, ``--sizes`` for others,
``--no-peers`` without docxtpl and pandoc, ``--keep DIR`` leaves the registers there,
``--profile N`` prints where a cold build of N activities spends its time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the bench_* modules beside this one

import bench_history
import bench_peers
import bench_report
from bench_generate import generate  # re-exported: tests/conftest.py generates with it
from bench_measure import Measured, measure

from ropa_build.write import MARKER

__all__ = ["generate", "main"]

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"
PANDOC_MAX = 1_000  # issue 8 compares with pandoc at 1,000; at 10,000 it took 260 s and 14.7 GB
STARTUP_RECORDS = 30
STARTUP_RUNS = 9
HISTORY_COMMITS, HISTORY_RECORDS = 200, 20  # the change log's bench: commits, activities

FLOOR = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
for path in [root / "organisation.yaml", root / "catalogue.yaml",
             *sorted((root / "records").glob("*.yaml"))]:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def ropa(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "ropa_build", *map(str, args)]


def bench_size(work: Path, count: int, *, peers: bool, pandoc_max: int) -> dict:
    """Every measurement for one register size, as one object of bench.json."""
    load_before = os.getloadavg()[0]
    root = _register(work, count)
    out, cache = work / f"out-{count}", work / f"cache-{count}"
    _remove(out, cache)
    env = {"ROPA_CACHE_DIR": str(cache)}
    build = ropa("build", "--root", root, "--out", out, "--today", TODAY)
    runs: dict[str, Measured] = {"cold": measure(build, env)}
    markdown = work / f"register-{count}.md"  # the cold build's, for pandoc
    shutil.copyfile(out / "register.md", markdown)
    runs["warm_unchanged"] = measure(build, env)
    changed = sorted((root / "records").glob("*.yaml"))[count // 2]
    original = changed.read_text(encoding="utf-8")
    changed.write_text(original.replace("owner: ", "owner: Ny ", 1), encoding="utf-8")
    try:
        runs["warm_one_changed"] = measure(build, env)
    finally:
        changed.write_text(original, encoding="utf-8")
    _remove(out, cache)
    check = ropa("check", "--root", root, "--today", TODAY)
    runs["check"] = measure(check, env)
    runs["check_warm"] = measure(check, env)
    _remove(cache)
    docx = ropa("build", "--root", root, "--out", out, "--today", TODAY, "--format", "docx")
    runs["docx_only"] = measure(docx, env)
    _remove(out, cache)
    runs["yaml_floor"] = measure([sys.executable, "-c", FLOOR, str(root)])
    runs["changes_docx"] = _changes_docx(work, root, cache)
    notes = {}
    if peers:
        runs["docxtpl"] = _docxtpl(work, root)
        notes["docxtpl"] = (
            f"one document, a table of {bench_peers.docxtpl_rows(root):.1f} rows per activity"
        )
        pandoc, notes["pandoc"] = _pandoc(work, markdown, count, pandoc_max)
        if pandoc:
            runs["pandoc"] = pandoc
    markdown.unlink()
    row = _row(count, runs, notes)
    row["load_avg"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return row


def _changes_docx(work: Path, root: Path, cache: Path, changed: int = 10) -> Measured:
    """``ropa diff --format docx`` over a commit that edits ``changed`` records' purposes."""
    repo = work / f"changes-{root.name}"
    _remove(repo, cache)
    shutil.copytree(root, repo)
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.dk"}
    env |= {"GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.dk"}

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)

    (repo / ".gitignore").write_text(".ropa-cache/\n", encoding="utf-8")
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    records = sorted((repo / "records").glob("*.yaml"))
    for path in records[:: len(records) // changed][:changed]:
        text = path.read_text(encoding="utf-8")
        text = text.replace("purposes: |\n    ", "purposes: |\n    Nyt formål: ", 1)
        path.write_text(text, encoding="utf-8")
    git("commit", "-q", "-a", "-m", f"{changed} changed")
    out = work / "register-changes.docx"
    command = ropa("diff", "HEAD~1", "HEAD", "--root", repo, "--format", "docx", "--out", out)
    try:
        return measure(command, {"ROPA_CACHE_DIR": str(cache)})
    finally:
        _remove(repo, cache)
        out.unlink(missing_ok=True)


def _docxtpl(work: Path, root: Path) -> Measured:
    template = bench_peers.docxtpl_template(work / "docxtpl-template.docx")
    out = work / "docxtpl.docx"
    result = measure(
        [sys.executable, bench_peers.__file__, "docxtpl", *map(str, (root, template, out))]
    )
    out.unlink()
    return result


def _pandoc(work: Path, markdown: Path, count: int, limit: int) -> tuple[Measured | None, str]:
    """pandoc's run and a note on what ran, or None and why it did not."""
    if count > limit:
        return None, (
            f"skipped above --pandoc-max {limit:,} activities (at 10,000 it took 260 s and "
            "14.7 GB in the measurement of 1 December 2026)"
        )
    command = bench_peers.pandoc_command(markdown, work / "pandoc.docx")
    if not command:
        return None, "pandoc is not installed (.ci/run installs it from Debian)"
    result = measure(command)
    (work / "pandoc.docx").unlink()
    return result, "pandoc --from gfm --to docx of the cold build's register.md"


def _row(count: int, runs: dict[str, Measured], notes: dict[str, str]) -> dict:
    """One size's object: seconds per step, CPU and memory per step, the ratios."""
    steps = [step for step, _ in bench_report.STEPS]
    ropa_steps = [step for step in runs if step not in ("yaml_floor", "docxtpl", "pandoc")]
    row: dict = {"records": count}
    row |= {f"{step}_s": _round(runs, step, "seconds", 3) for step in steps}
    row["peak_rss_mb"] = round(max(runs[step].rss_mb for step in ropa_steps), 1)
    row["peak_rss_largest_mb"] = round(max(runs[step].rss_largest_mb for step in ropa_steps), 1)
    row["cpu_s"] = {step: _round(runs, step, "cpu_s", 3) for step in steps}
    row["rss_mb"] = {step: _round(runs, step, "rss_mb", 1) for step in steps}
    row["rss_largest_mb"] = {step: _round(runs, step, "rss_largest_mb", 1) for step in steps}
    row["ratios"] = bench_report.ratios(bench_report.wall(row))
    row["cpu_ratios"] = bench_report.ratios(bench_report.cpu(row))
    row["notes"] = notes
    return row


def _round(runs: dict[str, Measured], step: str, field: str, digits: int) -> float | None:
    return round(getattr(runs[step], field), digits) if step in runs else None


def startup(work: Path, runs: int = STARTUP_RUNS) -> dict:
    """``ropa check`` on a small register with a warm cache against a bare interpreter.

    Medians of ``runs`` alternating runs (start-up times on a shared machine vary by tens of
    milliseconds); memory is not sampled, so nothing else runs in the measuring process.
    """
    root = _register(work, STARTUP_RECORDS)
    env = {"ROPA_CACHE_DIR": str(work / f"cache-{STARTUP_RECORDS}")}
    check = ropa("check", "--root", root, "--today", TODAY)
    measure(check, env, sample=False)  # fill the cache
    checks, pythons = [], []
    for _ in range(runs):
        pythons.append(measure([sys.executable, "-c", "pass"], sample=False).seconds)
        checks.append(measure(check, env, sample=False).seconds)
    check_s, python_s = statistics.median(checks), statistics.median(pythons)
    return {
        "records": STARTUP_RECORDS,
        "check_warm_s": round(check_s, 4),
        "python_s": round(python_s, 4),
        "ratio": round(check_s / python_s, 2),
        "runs": runs,
        "check_warm_runs_s": [round(s, 4) for s in checks],
        "python_runs_s": [round(s, 4) for s in pythons],
    }


def _register(work: Path, count: int) -> Path:
    root = work / f"register-{count}"
    if not root.exists():
        generate(root, count)
    return root


def _remove(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def profile(count: int, work: Path) -> None:
    """Where a cold build spends its time (cProfile, top functions by cumulative time)."""
    root = _register(work, count)
    out, cache = work / f"profile-out-{count}", work / f"profile-cache-{count}"
    _remove(out, cache)
    code = (
        "import cProfile, pstats, sys\n"
        "from ropa_build.cli import main\n"
        "cProfile.run('main(sys.argv[1:])', sys.argv[0] + '.prof')\n"
        "stats = pstats.Stats(sys.argv[0] + '.prof')\n"
        "stats.sort_stats('cumulative').print_stats(40)\n"
        "stats.sort_stats('tottime').print_stats(25)\n"
    )
    subprocess.run(
        [sys.executable, "-c", code, *("build", "--root", root, "--out", out, "--today", TODAY)],
        env={**os.environ, "ROPA_CACHE_DIR": str(cache), "ROPA_JOBS": "1"},  # one process
        check=True,
        cwd=work,
    )


def _code() -> dict:
    """Which ropa-build was measured: its folder, commit, whether it had local changes, and
    where its templates and schema files came from — with ``PYTHONPATH`` pointing at another
    checkout, the editable install still maps those two to the installed checkout's folders."""
    import ropa_build.schema
    import ropa_build.templates

    folder = Path(ropa_build.__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {
        "path": str(folder),
        "commit": git("rev-parse", "--short", "HEAD") or None,
        "local_changes": bool(git("status", "--porcelain", "--", "ropa_build", "templates")),
        "templates": str(Path(next(iter(ropa_build.templates.__path__))).resolve()),
        "schema": str(Path(next(iter(ropa_build.schema.__path__))).resolve()),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }


def _write_json(path: Path, result: dict) -> None:
    """Write the results; a new output/ gets ropa build's marker so a build may replace it."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
        (path.parent / MARKER).write_text("made by scripts/bench.py for ropa build\n")
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[100, 1_000, 10_000],
        metavar="N",
        help="register sizes in activities (default: 100 1000 10000)",
    )
    sizes.add_argument(
        "--quick", action="store_const", const=[100, 1_000], dest="sizes", help="100 and 1,000"
    )
    parser.add_argument(
        "--peers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure docxtpl and pandoc too (default: yes; docxtpl takes minutes at 10,000)",
    )
    parser.add_argument(
        "--pandoc-max",
        type=int,
        default=PANDOC_MAX,
        metavar="N",
        help=f"run pandoc only up to N activities (default: {PANDOC_MAX:,})",
    )
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="generate the registers here and keep them"
    )
    parser.add_argument("--profile", type=int, metavar="N", help="profile a cold build of N")
    parser.add_argument(
        "--history",
        type=int,
        default=HISTORY_COMMITS,
        metavar="N",
        help=f"time the change log over N generated commits (default: {HISTORY_COMMITS}; 0: skip)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=REPO / "output" / "bench.json",
        help="where to write the results (default: output/bench.json)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="ropa-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.profile:
            profile(args.profile, work)
            return 0
        result: dict = {"code": _code(), "sizes": []}
        for count in args.sizes:
            started = time.perf_counter()
            result["sizes"].append(
                bench_size(work, count, peers=args.peers, pandoc_max=args.pandoc_max)
            )
            print(
                f"{count:,} activities measured in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        result["scaling"] = bench_report.scaling(result["sizes"])
        result["cpu_scaling"] = bench_report.scaling(result["sizes"], bench_report.cpu)
        result["startup"] = startup(work)
        if args.history:
            result["history"] = bench_history.bench_history(work, args.history, HISTORY_RECORDS)
            print(bench_history.table(result["history"]))
        print(bench_report.tables(result))
        _write_json(args.json, result)
        print(f"wrote {args.json}", file=sys.stderr)
    finally:
        if not args.keep:
            _remove(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
