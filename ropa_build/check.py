"""Stage 3: the linter — what turns valid YAML into a register a DPO can trust.

The rules live in :mod:`ropa_build.rules` (one module per topic, each listing its legal
assumptions); this stage runs the selected ones on a validated register, gives each finding its
rule's code and severity, and drops the warnings accepted with a reason (in a record, in
organisation.yaml, or at a catalogue entry).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

from ropa_build.errors import Problem, did_you_mean
from ropa_build.models import Acceptance
from ropa_build.rules import RULES
from ropa_build.source import Loc, Source
from ropa_build.validate import Register

__all__ = ["RULES", "check"]


def check(
    register: Register,
    today: dt.date,
    *,
    select: set[str] | None = None,
    ignore: set[str] | None = None,
) -> list[Problem]:
    """Every finding of the selected rules, minus warnings accepted with a reason; and an
    acceptance that accepted nothing in this run, since the documents show it as accepted."""
    accepted = _accepted(register)
    used: set[int] = set()
    ran: set[str] = set()
    problems: list[Problem] = []
    for code, spec in RULES.items():
        if (select and code not in select) or (ignore and code in ignore):
            continue
        ran.add(code)
        for found in spec.check(register, today):
            if isinstance(found, Problem):
                problem, loc = dataclasses.replace(found, code=code, severity=spec.severity), ()
            else:
                problem, loc = (
                    found.source.problem(
                        found.loc,
                        code,
                        found.message,
                        found.hint,
                        key=found.key,
                        severity=spec.severity,
                    ),
                    found.loc,
                )
            by = _accepted_by(accepted, problem, loc) if problem.severity == "warning" else None
            if by is None:
                problems.append(problem)
            else:
                used.add(id(by))
    unused = [
        _unused(here)
        for covers in accepted.values()
        for _, here in covers
        if here.item.rule in ran and id(here) not in used
    ]
    return sorted(problems + unused + list(_acceptances(register)))


def accepted_here(register: Register) -> Iterator[Accepted]:
    """Every acceptance: a record's and organisation.yaml's cover their file, a catalogue
    entry's cover that entry."""
    for activity in register.activities:
        for i, item in enumerate(activity.record.accepted):
            yield Accepted(activity.source, ("accepted", i), (), item, True)
    organisation, catalogue = register.sources
    for i, item in enumerate(register.organisation.accepted):
        yield Accepted(organisation, ("accepted", i), (), item, False)
    for key, system in register.catalogue.systems.items():
        for i, item in enumerate(system.accepted):
            yield Accepted(
                catalogue, ("systems", key, "accepted", i), ("systems", key), item, False
            )


@dataclasses.dataclass(frozen=True)
class Accepted:
    """An acceptance (``item``), where it is written (``at`` in ``source``) and the part of the
    file it covers (``covers``: a location prefix, () for the whole file). A record may accept
    only the rules about one record; organisation.yaml and the catalogue any warning about them
    (``unused-catalogue-entry`` of an entry kept for a planned activity)."""

    source: Source
    at: Loc
    covers: Loc
    item: Acceptance
    in_record: bool

    def valid(self) -> bool:
        """A warning rule a record may accept, or any warning rule outside a record."""
        spec = RULES.get(self.item.rule)
        return bool(spec and spec.severity == "warning" and (spec.per_record or not self.in_record))


def _accepted(register: Register) -> dict[tuple[str, str], list[tuple[Loc, Accepted]]]:
    """(file, rule) → the parts of the file in which its warnings are accepted, and by what."""
    accepted: dict[tuple[str, str], list[tuple[Loc, Accepted]]] = {}
    for here in accepted_here(register):
        if here.valid():
            key = (here.source.path, here.item.rule)
            accepted.setdefault(key, []).append((here.covers, here))
    return accepted


def _accepted_by(accepted, problem: Problem, loc: Loc) -> Accepted | None:
    for part, here in accepted.get((problem.path, problem.code), ()):
        if tuple(loc[: len(part)]) == part:
            return here
    return None


def _unused(here: Accepted) -> Problem:
    where = "this entry" if here.covers else "this file"
    return here.source.problem(
        (*here.at, "rule"),
        "acceptance-unused",
        f"nothing in {where} draws '{here.item.rule}', yet the documents show it as accepted",
        "remove the acceptance; a finding in another file is accepted in that file (one in a "
        "record about a catalogue entry, in the record)",
        severity="warning",
    )


def _acceptances(register: Register) -> Iterator[Problem]:
    """An acceptance must name a real rule, and only warnings can be accepted."""
    for here in accepted_here(register):
        loc, rule = (*here.at, "rule"), here.item.rule
        if rule not in RULES:
            hint = did_you_mean(rule, list(RULES), "see docs/rules.md")
            yield here.source.problem(loc, "unknown-rule", f"no rule '{rule}'", hint)
        elif RULES[rule].severity == "error":
            yield here.source.problem(
                loc,
                "cannot-accept",
                f"'{rule}' is an error and cannot be accepted",
                "fix what it reports instead",
            )
        elif not here.valid():
            yield here.source.problem(
                loc,
                "cannot-accept",
                f"'{rule}' is about the register's files, not this activity",
                "accept it in organisation.yaml or at the catalogue entry it is about, or run "
                f"ropa with --ignore {rule}",
            )
