"""The rule registry: what a rule is, and the one decorator that adds one.

A rule is a function from the register (and the day it is judged on) to :class:`Finding` s. A
finding says only what the rule knows — where, what is wrong, how to fix it; the checker adds
the rule's code and severity when it turns findings into problems, so no rule can mislabel one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ropa_build.errors import Problem, Severity
from ropa_build.source import Loc, Source

if TYPE_CHECKING:
    from ropa_build.validate import Register


@dataclass(frozen=True)
class Finding:
    """A place in a file (``key``: the key itself, not its value) and what is wrong there."""

    source: Source
    loc: Loc
    message: str
    hint: str
    key: bool = False


@dataclass(frozen=True)
class Example:
    """A rule's example for docs/rules.md: ``file`` is ``records/<id>.yaml`` or a vocabulary in
    ``schema/`` (a fragment merged into a record or into the built-in file) or
    ``organisation.yaml`` / ``catalogue.yaml`` (the whole file). The docs tests run both, judged
    on ``today`` where the example needs another day: ``before`` must draw the rule, ``after``
    must clear it."""

    file: str
    before: str
    after: str
    today: dt.date | None = None
    moved_to: str | None = None  # a file whose fix is to move it (``after``: its text there)


RECORD = "records/<id>.yaml"

# A finding, or a problem already placed (about a file that was never read as a record).
Check = Callable[["Register", dt.date], Iterator["Finding | Problem"]]


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    provision: str
    explanation: str
    check: Check
    example: Example | None = None
    per_record: bool = True  # its findings are about one record, which may accept a warning

    @property
    def record_may_accept(self) -> bool:
        """A warning about one record, which that record may accept (the rules about the
        register's files are accepted in organisation.yaml or the catalogue)."""
        return self.severity == "warning" and self.per_record


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    severity: Severity,
    provision: str,
    example: Example | None = None,
    *,
    per_record: bool = True,
):
    """Register a rule; its docstring is the explanation shown in docs/rules.md."""

    def register(func: Check) -> Check:
        explanation = " ".join((func.__doc__ or "").split())
        RULES[code] = Rule(code, severity, provision, explanation, func, example, per_record)
        return func

    return register
