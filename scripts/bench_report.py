"""The benchmark's results as ratios and readable tables.

Why ratios: machines differ and this one is shared, so issue 8 states its targets as ratios
measured in one run (a build against the YAML floor, a rebuild against a cold build, ropa
against its peers, t(10,000) against t(1,000)). They are computed here once, written into
``output/bench.json`` and printed beside the target they are judged by.
"""

from __future__ import annotations

from collections.abc import Callable

# Every timed step: its key in bench.json (``<key>_s``, ``cpu_s[key]``, …) and its column head.
STEPS = (
    ("cold", "cold"),
    ("warm_one_changed", "warm, 1 changed"),
    ("warm_unchanged", "warm, none"),
    ("check", "check"),
    ("check_warm", "check warm"),
    ("yaml_floor", "YAML floor"),
    ("docx_only", "docx only"),
    ("docxtpl", "docxtpl"),
    ("pandoc", "pandoc"),
    ("changes_docx", "changes docx"),
)

# name: (numerator step, denominator step)
RATIOS = {
    "cold/floor": ("cold", "yaml_floor"),
    "warm_one/cold": ("warm_one_changed", "cold"),
    "warm_none/cold": ("warm_unchanged", "cold"),
    "check/floor": ("check", "yaml_floor"),
    "check_warm/floor": ("check_warm", "yaml_floor"),
    "docxtpl/docx_only": ("docxtpl", "docx_only"),
    "pandoc/docx_only": ("pandoc", "docx_only"),
    "changes_docx/docx_only": ("changes_docx", "docx_only"),
}

# Issue 8's targets, printed beside the ratios: (size the target is stated at, or None for
# every size; "<=" or ">="; bound).
TARGETS = {
    "cold/floor": [(10_000, "<=", 3)],
    "warm_one/cold": [(None, "<=", 0.1)],
    "warm_none/cold": [(None, "<=", 0.05)],
    "check/floor": [(None, "<=", 1.5)],
    "check_warm/floor": [(None, "<=", 0.3)],
    "docxtpl/docx_only": [(1_000, ">=", 5), (10_000, ">=", 20)],
    "pandoc/docx_only": [(1_000, ">=", 20)],
    "changes_docx/docx_only": [(1_000, "<=", 0.25)],  # issue 13
}
SCALING_TARGET = 10.5  # t(10,000) / t(1,000) for every step
PEAK_RSS_TARGET_MB = 300  # whole tree, at 10,000
STARTUP_TARGET = 5  # ropa check (30 activities, warm) / python -c pass


def wall(row: dict) -> dict[str, float | None]:
    """One size's wall times by step."""
    return {step: row.get(f"{step}_s") for step, _ in STEPS}


def cpu(row: dict) -> dict[str, float | None]:
    """One size's CPU times by step: steadier than wall times when the machine is shared."""
    return row["cpu_s"]


def ratios(times: dict[str, float | None]) -> dict[str, float | None]:
    """The ratios of one size's times by step (``None`` where a step did not run)."""
    return {
        name: _ratio(times.get(top), times.get(bottom)) for name, (top, bottom) in RATIOS.items()
    }


def scaling(
    rows: list[dict], times: Callable[[dict], dict[str, float | None]] = wall
) -> dict[str, dict[str, float | None]]:
    """t(10·N) / t(N) for every step and every pair of sizes ten apart: linear gives ~10."""
    by_size = {row["records"]: times(row) for row in rows}
    return {
        f"{small * 10}/{small}": {
            step: _ratio(by_size[small * 10].get(step), by_size[small].get(step))
            for step, _ in STEPS
        }
        for small in sorted(by_size)
        if small * 10 in by_size
    }


def _ratio(top: float | None, bottom: float | None) -> float | None:
    if top is None or not bottom:
        return None
    return round(top / bottom, 3)


def tables(result: dict) -> str:
    """Everything in ``result`` (as written to bench.json) as Markdown tables and lines."""
    rows = result["sizes"]
    ran = [(step, head) for step, head in STEPS if any(r.get(f"{step}_s") for r in rows)]
    code = result["code"]
    parts = [
        f"ropa_build from {code['path']} at {code['commit']}"
        + (" with local changes" if code["local_changes"] else "")
        + f"; templates from {code['templates']}, schema from {code['schema']}",
        "Wall time (s):",
        _table(
            ["activities", *(head for _, head in ran)],
            [[f"{r['records']:,}", *(_num(r.get(f"{s}_s")) for s, _ in ran)] for r in rows],
        ),
        "CPU time of the process tree, user + system (s):",
        _table(
            ["activities", *(head for _, head in ran)],
            [[f"{r['records']:,}", *(_num(r["cpu_s"].get(s)) for s, _ in ran)] for r in rows],
        ),
        "Peak memory of the process tree (sum of VmRSS, MB; largest process in brackets):",
        _table(
            ["activities", *(head for _, head in ran)],
            [
                [
                    f"{r['records']:,}",
                    *(_mb(r["rss_mb"].get(s), r["rss_largest_mb"].get(s)) for s, _ in ran),
                ]
                for r in rows
            ],
        ),
        f"Ratios (issue 8's target in brackets; peak RSS target ≤ {PEAK_RSS_TARGET_MB} MB at "
        "10,000):",
        _table(
            ["activities", *RATIOS, "peak RSS"],
            [
                [
                    f"{r['records']:,}",
                    *(_judged(name, r["records"], r["ratios"][name]) for name in RATIOS),
                    _mb(r["peak_rss_mb"], r["peak_rss_largest_mb"]),
                ]
                for r in rows
            ],
        ),
    ]
    parts += [
        "Ratios of CPU time (the same, less moved by other load on the machine):",
        _table(
            ["activities", *RATIOS],
            [[f"{r['records']:,}", *(_num(r["cpu_ratios"][n]) for n in RATIOS)] for r in rows],
        ),
    ]
    for key, what in (("scaling", "wall"), ("cpu_scaling", "CPU")):
        for pair, steps in result[key].items():
            big, small = (int(n) for n in pair.split("/"))
            shown = ", ".join(f"{step} {value:.1f}" for step, value in steps.items() if value)
            parts.append(f"t({big:,}) / t({small:,}), {what} (target ≤ {SCALING_TARGET}): {shown}")
    parts.append(
        "Load average (1 min) before → after each size: "
        + ", ".join(
            f"{r['records']:,}: {r['load_avg'][0]:.1f} → {r['load_avg'][1]:.1f}" for r in rows
        )
        + f" ({result['code']['cpus']} CPUs; above that, other work shared them)"
    )
    startup = result.get("startup")
    if startup:
        parts.append(
            f"Start-up: ropa check, {startup['records']} activities, warm: "
            f"{startup['check_warm_s'] * 1000:.0f} ms; python -c pass: "
            f"{startup['python_s'] * 1000:.0f} ms; ratio {startup['ratio']:.1f} "
            f"(target ≤ {STARTUP_TARGET}; medians of {startup['runs']} runs)"
        )
    parts += [f"Note ({step}): {note}" for step, note in result.get("notes", {}).items()]
    for row in rows:
        for step, note in row["notes"].items():
            parts.append(f"Note ({row['records']:,}, {step}): {note}")
    return "\n\n".join(parts) + "\n"


def _table(head: list[str], body: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in [head, *body]) for i in range(len(head))]
    lines = [head, ["-" * (w - 1) + ":" for w in widths], *body]
    return "\n".join(
        "| " + " | ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    )


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _mb(tree: float | None, largest: float | None) -> str:
    if not tree:
        return "–"
    return f"{tree:,.0f} ({largest:,.0f})"


def _judged(name: str, size: int, value: float | None) -> str:
    """A ratio with the target that applies at this size, e.g. ``11.60 (≤ 3)``."""
    if value is None:
        return "–"
    bounds = [
        f"{'≤' if sign == '<=' else '≥'} {bound:g}"
        for at, sign, bound in TARGETS.get(name, [])
        if at in (None, size)
    ]
    return f"{value:.2f}" + (f" ({', '.join(bounds)})" if bounds else "")
