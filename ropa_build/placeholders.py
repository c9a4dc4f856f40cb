"""Placeholders left in a register: "TODO", and the bracketed prompts of Word templates.

Defined once: the lint rule ``todo-left`` finds them in every file, and the models read a
placeholder where a formatted value belongs (``cvr: "[Indsæt CVR]"``) as not yet filled in, so
that the lint — not a schema error — tells the author.
"""

from __future__ import annotations

import re

# "TODO" as a word in capitals (not "Todo-liste"); a bracketed form prompt: "[Indsæt navn]",
# "[Dato]", "[Insert date]", "[TBD]" — not a Markdown link "[Dato](https://…)".
_TODO = re.compile(r"\bTODO\b")
_BRACKETED = re.compile(
    r"\[\s*(indsæt|insert|dato|date|navn|name|tbd|udfyld|fill in|xx+|\.\.\.|…)[^\]\n]*\](?!\()",
    re.I,
)


def placeholder(text: str) -> str | None:
    """The first placeholder left in ``text``, or None."""
    found = [m for m in (_TODO.search(text), _BRACKETED.search(text)) if m]
    return min(found, key=lambda m: m.start()).group(0) if found else None
