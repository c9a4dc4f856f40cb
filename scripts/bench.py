"""Benchmark ropa build at scale: synthetic registers of 100, 1,000 and 10,000 activities.

Why synthetic: the example register has one record. These registers look like real ones (every
section, subject groups, recipients with what they receive, transfers with mechanisms, retention
rules, lists and links in the free text, a catalogue of 50 systems) and are the same on every run
(a fixed random seed), so numbers from two machines or two commits compare.

Each measurement runs in a fresh process (no warm imports, no shared memory) and reports its wall
time and peak resident memory:

* ``cold``: ``ropa build`` of all three formats with an empty cache;
* ``warm``: the same build again after one record changed (the cache from a previous build);
* ``check``: ``ropa check`` alone (empty cache);
* ``floor``: reading the same YAML files with ``yaml.load(..., Loader=yaml.CSafeLoader)`` and
  nothing else — the least any YAML-based tool must spend, so the other numbers are also given
  as multiples of it (machines differ; ratios travel).

Prints a table and writes ``output/bench.json``. ``make bench`` runs it; ``--sizes`` picks the
sizes, ``--keep DIR`` leaves the generated registers there, ``--profile N`` prints where a cold
build of N activities spends its time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from ropa_build.write import MARKER

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"
SEED = 30

# --- generating a register -------------------------------------------------------------------

WORDS = (
    "behandling",
    "oplysninger",
    "kunde",
    "medarbejder",
    "aftale",
    "system",
    "adgang",
    "data",
    "sletning",
    "formål",
    "leverandør",
    "kontrakt",
    "log",
    "sikkerhed",
    "rettighed",
    "henvendelse",
    "platform",
    "konto",
    "faktura",
    "løn",
    "rekruttering",
    "ansøgning",
    "samtykke",
    "markedsføring",
    "nyhedsbrev",
    "statistik",
    "analyse",
    "opbevaring",
    "kryptering",
    "backup",
    "adgangskontrol",
    "revision",
    "dokumentation",
    "politik",
    "proces",
    "afdeling",
    "ledelse",
    "registrering",
    "indberetning",
    "myndighed",
    "bank",
    "pension",
    "forsikring",
    "support",
    "sag",
)
GROUPS = (
    ("kunder", "kunder"),
    ("medarbejdere", "medarbejdere"),
    ("ansogere", "ansøgere"),
    ("tidligere-ansatte", "tidligere ansatte"),
    ("parorende", "pårørende"),
    ("leverandorer", "leverandørers kontaktpersoner"),
    ("borgere", "borgere"),
    ("abonnenter", "abonnenter på nyhedsbrevet"),
)
GENERAL = ("job_application", "employment", "financial", "communication", "usage", "marketing")
ART9 = ("health_genetic", "trade_union", "biometric")
# Countries a system processes data in, with the mechanism a transfer there uses.
PLACES = (
    (["DK"], None),
    (["DK", "SE"], None),
    (["IE", "DE"], None),
    (["FI"], None),
    (["IE", "US"], "adequacy"),
    (["US"], "adequacy"),
    (["GB"], "adequacy"),
    (["MK"], "scc"),
    (["IN"], "bcr"),
    (["NL", "CH"], "adequacy"),
)
SYSTEMS = 50


def generate(folder: Path, count: int, seed: int = SEED) -> None:
    """Write a register of ``count`` activities into ``folder`` (same seed, same files)."""
    rng = random.Random(seed)
    (folder / "records").mkdir(parents=True)
    (folder / "organisation.yaml").write_text(ORGANISATION, encoding="utf-8")
    systems = [_system(rng, i) for i in range(SYSTEMS)]
    (folder / "catalogue.yaml").write_text(
        "systems:\n" + "".join(text for _, text, _ in systems), encoding="utf-8"
    )
    for i in range(count):
        record = _record(rng, i, systems)
        (folder / "records" / f"activity-{i:05d}.yaml").write_text(record, encoding="utf-8")


ORGANISATION = """\
controller:
  name: Eksempel A/S
  cvr: "12345678"
  address: Vestergade 1, 8000 Aarhus C
  web: https://www.eksempel.dk
joint_controller: null
representative: null
dpo:
  title: DPO
  name: Anne Jensen
  phone: +45 70 10 20 30
  email: [dpo@eksempel.dk]
document:
  version: "3.1"
  review_interval_months: 12
"""


def _system(rng: random.Random, i: int) -> tuple[str, str, tuple[list[str], str | None]]:
    key = f"system-{i:02d}"
    countries, mechanism = PLACES[i % len(PLACES)]
    kind = ("processor", "system", "recipient")[i % 3]
    lines = [
        f"  {key}:",
        f"    name: {_words(rng, 2).title()} {i}",
        f"    used_for: {_words(rng, 3)}",
        f"    kind: {kind}",
        f"    vendor: {_words(rng, 1).title()} ApS",
        f"    countries: [{', '.join(countries)}]",
    ]
    if "US" in countries:
        lines.append("    dpf_certified: true")
    if kind == "processor":
        lines.append(f"    dpa: https://vendor{i}.example.com/dpa")
    return key, "\n".join(lines) + "\n", (countries, mechanism)


def _record(rng: random.Random, i: int, systems: list) -> str:
    processor = rng.random() < 0.2
    groups = rng.sample(GROUPS, rng.randint(1, 4))
    special = rng.random() < 0.15
    criminal = rng.random() < 0.05
    held: dict[str, list[str]] = {}
    for gid, _ in groups:
        cats = ["identification", *rng.sample(GENERAL, rng.randint(0, 3))]
        if special:
            cats.append(rng.choice(ART9))
        if criminal and gid == groups[0][0]:
            cats.append("criminal_offences")
        held[gid] = cats
    out = [
        f"# Activity {i}: generated by scripts/bench.py",
        f"title: {_words(rng, rng.randint(2, 5)).capitalize()} {i}",
        f"role: {'processor' if processor else 'controller'}",
        f"owner: {_words(rng, 1).capitalize()}afdelingen",
        f"updated: 20{rng.randint(21, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"reviewed: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
    ]
    if processor:
        out += [
            "controllers:",
            f"  - name: {_words(rng, 2).title()} A/S",
            f"    web: https://kunde{i}.example.dk",
            f"    email: kontakt@kunde{i}.example.dk",
            "processing: |",
            *_block(rng, 4),
        ]
    out += ["purposes: |", *_block(rng, 4), "lawful_basis:", f"  art6: [{rng.choice('abcf')}]"]
    if special:
        out.append("  art9: [b]")
    if criminal:
        out.append("  art10: databeskyttelsesloven § 8, stk. 3")
    out += [f"  description: {_sentence(rng)}", "data_subjects:"]
    out += [f"  description: {_sentence(rng)}", "  groups:"]
    for gid, name in groups:
        out += [
            f"    - id: {gid}",
            f"      name: {name}",
            f"      categories: [{', '.join(held[gid])}]",
            "      details: |",
            *_block(rng, 8, lists=False),
        ]
    out += ["recipients:", f"  description: {_sentence(rng)}"]
    used = rng.sample(systems, rng.randint(2, 8))
    for part, chunk in (
        ("internal", used[0::3]),
        ("processors", used[1::3]),
        ("others", used[2::3]),
    ):
        if chunk:
            out.append(f"  {part}:")
        for key, _, _ in chunk:
            out += [f"    - ref: {key}", "      receives:"]
            for gid in rng.sample(list(held), rng.randint(1, len(held))):
                cats = rng.sample(held[gid], rng.randint(1, len(held[gid])))
                out.append(f"        {gid}: [{', '.join(cats)}]")
            if rng.random() < 0.3:
                out.append(f"      note: {_sentence(rng)}")
    transfers = [
        (country, key, mechanism)
        for key, _, (countries, mechanism) in used
        for country in countries
        if mechanism and country not in EEA
    ]
    out += ["transfers:"]
    if not transfers:
        out.append("  description: Ingen overførsler til tredjelande.")
    else:
        out += ["  description: |", *_block(rng, 4), "  items:"]
        for country, key, mechanism in transfers:
            out += [f"    - country: {country}", f"      recipient: {key}"]
            out += [f"      mechanism: {mechanism}", f"      documentation: {_sentence(rng)}"]
    categories = sorted({c for cats in held.values() for c in cats})
    out += ["retention:"]
    if rng.random() < 0.5:
        out += ["  description: |", *_block(rng, 4)]
    out.append("  rules:")
    for category in categories:
        months = rng.choice((3, 6, 12, 24, 60))
        out += [f"    - categories: [{category}]", f"      period: {months} måneder efter ophør."]
    out += ["security: |", *_block(rng, 2, lists=True, width=8)]
    return "\n".join(out) + "\n"


EEA = {"DK", "SE", "IE", "DE", "FI", "NL"}


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def _sentence(rng: random.Random) -> str:
    return _words(rng, rng.randint(5, 18)).capitalize() + "."


def _block(rng: random.Random, indent: int, *, lists: bool = True, width: int = 4) -> list[str]:
    """Markdown free text: paragraphs, sometimes a list, a link or bold words; varied lengths."""
    pad, lines = " " * indent, []
    for p in range(rng.randint(1, 3)):
        if p:
            lines.append("")
        sentences = [_sentence(rng) for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.3:
            sentences.append(
                f"Se [politikken](https://intra.example.dk/politik/{rng.randint(1, 99)})."
            )
        if rng.random() < 0.3:
            sentences[0] = f"**{sentences[0]}**"
        lines.append(pad + " ".join(sentences))
    if lists and rng.random() < 0.6:
        lines.append("")
        marker = rng.choice(("-", "1."))
        lines += [f"{pad}{marker} {_sentence(rng)}" for _ in range(rng.randint(2, width))]
    return lines


# --- measuring -------------------------------------------------------------------------------

FLOOR = """
import sys, yaml
from pathlib import Path
root = Path(sys.argv[1])
for path in [root / "organisation.yaml", root / "catalogue.yaml",
             *sorted((root / "records").glob("*.yaml"))]:
    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run ``command`` in a fresh process and measure it.

    The command runs under a small Python parent that reports the largest resident set of its
    descendants (getrusage RUSAGE_CHILDREN), so each measurement sees only its own memory.
    """
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "elapsed = time.perf_counter() - start\n"
        "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(elapsed, use.ru_maxrss, use.ru_utime + use.ru_stime, code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *command],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed, rss, cpu, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed (exit {code}):\n{result.stderr}")
    return Measured(float(elapsed), int(rss) / 1024, float(cpu))  # ru_maxrss is in KiB


class Measured(NamedTuple):
    """Wall time (s), peak resident memory of the largest process (MB), CPU time of all (s)."""

    seconds: float
    rss_mb: float
    cpu_s: float


def ropa(*args: str) -> list[str]:
    return [sys.executable, "-m", "ropa_build", *args]


def bench_size(work: Path, count: int) -> dict:
    """Every measurement for one register size."""
    root = work / f"register-{count}"
    if not root.exists():
        generate(root, count)
    out, cache = work / f"out-{count}", work / f"cache-{count}"
    for path in (out, cache):
        shutil.rmtree(path, ignore_errors=True)
    env = {"ROPA_CACHE_DIR": str(cache)}
    build = ropa("build", "--root", str(root), "--out", str(out), "--today", TODAY)
    cold = measure(build, env)
    shutil.rmtree(cache, ignore_errors=True)
    check = measure(ropa("check", "--root", str(root), "--today", TODAY), env)
    shutil.rmtree(cache, ignore_errors=True)
    measure(build, env)  # fill the cache
    changed = sorted((root / "records").glob("*.yaml"))[count // 2]
    original = changed.read_text(encoding="utf-8")
    changed.write_text(original.replace("owner: ", "owner: Ny ", 1), encoding="utf-8")
    try:
        warm = measure(build, env)
    finally:
        changed.write_text(original, encoding="utf-8")
    floor = measure([sys.executable, "-c", FLOOR, str(root)])
    return {
        "records": count,
        "cold_s": round(cold.seconds, 2),
        "warm_one_changed_s": round(warm.seconds, 2),
        "check_s": round(check.seconds, 2),
        "yaml_floor_s": round(floor.seconds, 2),
        "peak_rss_mb": round(max(cold.rss_mb, warm.rss_mb, check.rss_mb), 1),
        "cpu_s": {
            "cold": round(cold.cpu_s, 2),
            "warm_one_changed": round(warm.cpu_s, 2),
            "check": round(check.cpu_s, 2),
            "yaml_floor": round(floor.cpu_s, 2),
        },
        "rss_mb": {
            "cold": round(cold.rss_mb, 1),
            "warm_one_changed": round(warm.rss_mb, 1),
            "check": round(check.rss_mb, 1),
            "yaml_floor": round(floor.rss_mb, 1),
        },
    }


def table(rows: list[dict]) -> str:
    """The results as a Markdown table, with the ratios the targets are stated in."""
    head = (
        "| activities | cold build | warm (1 changed) | check | YAML floor "
        "| cold / floor | warm / cold | peak RSS |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    lines = [
        f"| {r['records']:,} | {r['cold_s']:.2f} s | {r['warm_one_changed_s']:.2f} s "
        f"| {r['check_s']:.2f} s | {r['yaml_floor_s']:.2f} s "
        f"| {r['cold_s'] / r['yaml_floor_s']:.2f} | {r['warm_one_changed_s'] / r['cold_s']:.2f} "
        f"| {r['peak_rss_mb']:.0f} MB |"
        for r in rows
    ]
    return head + "\n".join(lines) + "\n"


def scaling(rows: list[dict]) -> str:
    """t(10×N) / t(N) for each step: linear work gives about 10."""
    lines = []
    by_size = {r["records"]: r for r in rows}
    for small in sorted(by_size):
        big = by_size.get(small * 10)
        if big:
            ratios = ", ".join(
                f"{key[:-2]} {big[key] / by_size[small][key]:.1f}"
                for key in ("cold_s", "warm_one_changed_s", "check_s", "yaml_floor_s")
            )
            lines.append(f"t({small * 10:,}) / t({small:,}): {ratios}")
    return "\n".join(lines)


def profile(count: int, work: Path) -> None:
    """Where a cold build spends its time (cProfile, top functions by cumulative time)."""
    root = work / f"register-{count}"
    if not root.exists():
        generate(root, count)
    out, cache = work / f"profile-out-{count}", work / f"profile-cache-{count}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
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


def _write_json(path: Path, rows: list[dict]) -> None:
    """Write the results; a new output/ gets ropa build's marker so a build may replace it."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
        (path.parent / MARKER).write_text("made by scripts/bench.py for ropa build\n")
    path.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--keep", type=Path, help="generate the registers here and keep them")
    parser.add_argument("--profile", type=int, metavar="N", help="profile a cold build of N")
    parser.add_argument("--json", type=Path, default=REPO / "output" / "bench.json")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="ropa-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        if args.profile:
            profile(args.profile, work)
            return 0
        rows = []
        for count in args.sizes:
            started = time.perf_counter()
            rows.append(bench_size(work, count))
            print(
                f"{count:,} activities measured in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        print(table(rows))
        print(scaling(rows))
        _write_json(args.json, rows)
        print(f"wrote {args.json}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
