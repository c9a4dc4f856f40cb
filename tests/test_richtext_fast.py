"""The parser's shortcuts give exactly what markdown-it gives (a property test).

``richtext.parse`` skips markdown-it for text with nothing that could be markup, and skips
linkify where no link can be found; both must be invisible. Thousands of generated texts —
plain words, Danish letters, every punctuation mark the shortcuts let through or refuse, line
breaks, blank lines, indentation, list-like starts, links and e-mail addresses — are parsed both
ways and compared.
"""

from __future__ import annotations

import random

from ropa_build import richtext

PIECES = [
    "ord",
    "Kunde",
    "æøå",
    "ÆØÅ",
    " ",
    "  ",
    "\n",
    "\n\n",
    "\n\n\n",
    "\n ",
    " \n",
    ".",
    ",",
    ";",
    "!",
    "?",
    "(",
    ")",
    "'",
    '"',
    "/",
    "%",
    "=",
    "#",
    "$",
    "§",
    "–",
    "1",
    "2.",
    "3)",
    "-",
    "+",
    "*",
    "_",
    "[",
    "]",
    "<",
    ">",
    "`",
    "&",
    "&amp;",
    "\\",
    "\t",
    "\r\n",
    ":",
    "@",
    "https://example.dk",
    "mailto:dpo@example.dk",
    "a@b.dk",
    "www.example.dk",
    "- punkt",
    "1. punkt",
    "**fed**",
    "*kursiv*",
    "[link](https://x.dk)",
    "\u00a0",
    "\u200b",
    "~",
    "|",
]


def _full(source: str) -> tuple:
    tokens = richtext._PARSER.parse(source.replace("\r\n", "\n"))
    blocks, _ = richtext._blocks(tokens, 0, None)
    return tuple(blocks)


def _texts(seed: int, count: int):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 14)))


def test_the_plain_shortcut_equals_markdown_it() -> None:
    taken = 0
    for source in _texts(1, 20000):
        plain = richtext._plain(source)
        if plain is not None:
            taken += 1
            assert plain == _full(source), repr(source)
    assert taken > 1000  # the shortcut is taken often enough to be tested


def test_parsing_without_linkify_equals_parsing_with_it_where_it_is_skipped() -> None:
    skipped = 0
    for source in _texts(2, 20000):
        richtext.parse.cache_clear()
        assert richtext.parse(source) == _full(source), repr(source)
        skipped += ":" not in source and "@" not in source
    assert skipped > 1000
