"""Stage 3: the linter — what turns valid YAML into a register a DPO can trust.

The rules live in :mod:`ropa_build.rules` (one module per topic, each listing its legal
assumptions); this stage runs the selected ones on a validated register, gives each finding its
rule's code and severity, and drops the warnings a record accepted with a reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from ropa_build.errors import Problem, did_you_mean
from ropa_build.rules import RULES
from ropa_build.validate import Register

__all__ = ["RULES", "check"]


def check(
    register: Register,
    today: dt.date,
    *,
    select: set[str] | None = None,
    ignore: set[str] | None = None,
) -> list[Problem]:
    """Every finding of the selected rules, minus warnings a record accepted with a reason."""
    problems: list[Problem] = []
    for code, spec in RULES.items():
        if (select and code not in select) or (ignore and code in ignore):
            continue
        for found in spec.check(register, today):
            if isinstance(found, Problem):
                problems.append(dataclasses.replace(found, code=code, severity=spec.severity))
                continue
            problem = found.source.problem(
                found.loc, code, found.message, found.hint, key=found.key, severity=spec.severity
            )
            problems.append(problem)
    accepted = {
        (a.source.path, item.rule)
        for a in register.activities
        for item in a.record.accepted
        if RULES.get(item.rule) and RULES[item.rule].acceptable
    }
    problems = [
        p for p in problems if not (p.severity == "warning" and (p.path, p.code) in accepted)
    ]
    return sorted(problems + list(_acceptances(register)))


def _acceptances(register: Register) -> Iterator[Problem]:
    """An acceptance must name a real rule, and only warnings can be accepted."""
    for activity in register.activities:
        for i, item in enumerate(activity.record.accepted):
            loc = ("accepted", i, "rule")
            if item.rule not in RULES:
                hint = did_you_mean(item.rule, list(RULES), "see docs/rules.md")
                yield activity.source.problem(loc, "unknown-rule", f"no rule '{item.rule}'", hint)
            elif RULES[item.rule].severity == "error":
                yield activity.source.problem(
                    loc,
                    "cannot-accept",
                    f"'{item.rule}' is an error and cannot be accepted",
                    "fix the record instead",
                )
            elif not RULES[item.rule].acceptable:
                yield activity.source.problem(
                    loc,
                    "cannot-accept",
                    f"'{item.rule}' is about the register's files, not this activity",
                    f"fix the files, or run ropa with --ignore {item.rule}",
                )
