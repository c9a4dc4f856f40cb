"""GitHub-flavoured Markdown: what a reviewer reads in a pull request.

Each activity is one GFM table. A table cell is a single line, so line breaks become ``<br>``,
list items become "• " or "1. " lines, and every character that could end a cell (``|``) or be
read as markup is backslash-escaped: the columns hold whatever the text contains.
"""

from __future__ import annotations

import re

from ropa_build.render.format import TemplateFormat
from ropa_build.richtext import Block, Break, Emph, Inline, Link, Para, Strong, Text

# Inside a cell only inline syntax matters: emphasis, code, links, HTML, entities, strike-through,
# GitHub math, and the pipe that ends a cell. Block syntax (#, -, 1.) cannot start in a cell.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$!])")


class Markdown(TemplateFormat):
    """``register.md``, from ``register.md.j2`` (its ``activity`` block rendered per activity)."""

    name = "md"
    template_name = "register.md.j2"
    suffix = ".md"
    autoescape = False

    def filters(self) -> dict:
        return {"cell": cell, "md": escape, "slug": _slugs()}


def escape(text: str) -> str:
    """Text as literal Markdown on one line (safe inside a table cell)."""
    return _SPECIAL.sub(r"\\\1", text).replace("\r", "").replace("\n", "<br>")


def cell(blocks: tuple[Block, ...]) -> str:
    return "<br><br>".join(_block(block) for block in blocks)


def _block(block: Block, depth: int = 0) -> str:
    if isinstance(block, Para):
        return _inlines(block.children)
    lines = []
    for number, item in enumerate(block.items, 1):
        bullet = f"{number}." if block.ordered else "•"
        parts = [_block(b, depth + 1) for b in item]
        lines.append("&nbsp;" * 4 * depth + f"{bullet} " + "<br>".join(parts))
    return "<br>".join(lines)


def _inlines(nodes: tuple[Inline, ...]) -> str:
    return "".join(_inline(node) for node in nodes)


def _inline(node: Inline) -> str:
    if isinstance(node, Text):
        return escape(node.text)
    if isinstance(node, Break):
        return "<br>"
    if isinstance(node, Strong | Emph):
        return _delimited("**" if isinstance(node, Strong) else "*", _inlines(node.children))
    assert isinstance(node, Link)
    href = node.href.replace("(", "%28").replace(")", "%29").replace("|", "%7C").replace(" ", "%20")
    return f"[{_inlines(node.children)}](<{href.replace('<', '%3C').replace('>', '%3E')}>)"


def _delimited(mark: str, inner: str) -> str:
    """``**text**`` with surrounding spaces moved outside: ``** text**`` is not bold in GFM."""
    stripped = inner.strip()
    if not stripped:
        return inner
    lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def _slugs():
    """GitHub's heading anchors (lowercase, punctuation dropped, spaces to '-', repeats -1, -2)."""
    seen: dict[str, int] = {}

    def slug(title: str) -> str:
        base = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        count = seen.get(base, 0)
        seen[base] = count + 1
        return f"{base}-{count}" if count else base

    return slug
