"""The two kinds of failure: a user's mistake (a :class:`Problem`) and a bug (any other exception).

Library code never exits; it raises :class:`UserError` carrying every problem found, and only the
CLI turns that into a message and exit status 1. Anything else keeps its traceback, because it is
ours to fix.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, anchored at a place in a file a user can open.

    ``line`` and ``column`` are 1-based, as editors show them. The ``hint`` says how to fix it:
    a message that only says what is wrong leaves a process owner stuck.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        text = (
            f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}]: {self.message}"
        )
        return f"{text} — {self.hint}" if self.hint else text


class UserError(Exception):
    """The input is wrong; ``problems`` lists everything found, so one run reports it all."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: list[str], otherwise: str) -> str:
    """A hint: the closest of ``choices`` to a misspelt ``word``, else ``otherwise``."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else otherwise
