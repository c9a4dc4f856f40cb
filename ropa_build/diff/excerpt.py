"""The words that changed in a long text, so a reviewer need not compare two paragraphs.

A word-level diff (``difflib`` on words, spaces and punctuation, like ``git diff --word-diff``)
cut to a few words of context around each change. The caller marks removed and added text: the
Markdown report with ``<del>``/``<ins>``, the terminal with ``[-…-]{+…+}``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from typing import Any

Mark = Callable[[str], str]

_CONTEXT = 8  # tokens (words, spaces, punctuation) kept around each change
_EXCERPT_CHARS = 400  # of the texts' characters shown in an excerpt
_EXCERPT_TOKENS = 10_000  # longer texts are not word-diffed (difflib is quadratic)
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


def changed_words(
    before: Any, after: Any, marks: tuple[Mark, Mark, Mark], *, whole: bool = False
) -> str | None:
    """The words that changed between two texts, with a little context: "…slettes <del>3
    </del><ins>5</ins> år efter…" (``whole``: all of the text, marked). ``marks`` format
    unchanged, removed and added text (each escapes its text for its reader). None if a value
    is not text, or too long to compare."""
    if not (isinstance(before, str) and isinstance(after, str)):
        return None
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    if len(a) + len(b) > _EXCERPT_TOKENS:
        return None
    same, gone, came = marks
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    out, budget = [], len(before) + len(after) if whole else _EXCERPT_CHARS
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal" and whole:
            pieces = [("same", "".join(a[i1:i2]))]
        elif op == "equal":
            pieces = _context(a[i1:i2], first=n == 0, last=n == len(opcodes) - 1)
        else:
            pieces = [("gone", "".join(a[i1:i2])), ("came", "".join(b[j1:j2]))]
        for kind, text in pieces:
            if not text:
                continue
            if budget <= 0:
                return "".join(out) + "…"
            text, budget = text[:budget], budget - len(text)
            out.append(
                "…" if kind == "cut" else {"same": same, "gone": gone, "came": came}[kind](text)
            )
    return "".join(out)


def _context(run: list[str], *, first: bool, last: bool) -> list[tuple[str, str]]:
    """An unchanged run, shortened to _CONTEXT tokens beside each change."""
    keep_head = run[:_CONTEXT] if not first else []
    keep_tail = run[-_CONTEXT:] if not last else []
    if len(keep_head) + len(keep_tail) >= len(run):
        return [("same", "".join(run))]
    return [("same", "".join(keep_head)), ("cut", "…"), ("same", "".join(keep_tail))]
