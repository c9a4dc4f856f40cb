"""The rich text of free-text fields: a small Markdown subset parsed once into a tiny tree.

Writers use paragraphs, bullet and numbered lists, **bold**, *italic* and links, and line breaks
as they typed them (a single newline is a line break, as a non-programmer expects). Everything
else — headings, code, tables, images and raw HTML — stays literal text: markdown-it-py runs with
only those rules enabled and ``html=False``. Only ``http``, ``https`` and ``mailto`` links become
clickable; ``javascript:`` or ``data:`` stay text.

The tree (not HTML) is the interface, so each output format renders it with its own escaping:
DOCX runs and numbering, HTML elements, GFM table cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Break:
    """A line break inside a paragraph."""


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emph:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Para:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Block, ...], ...]


Inline = Text | Break | Strong | Emph | Link
Block = Para | ListBlock


def _parser(linkify: bool) -> MarkdownIt:
    parser = MarkdownIt("zero", {"html": False, "linkify": linkify, "breaks": True})
    parser.enable(["list", "emphasis", "link", "autolink", "newline", "escape"])
    if linkify:
        parser.enable("linkify")
        parser.linkify.set({"fuzzy_link": False})  # "app.example.com" stays text, as written
    return parser


_PARSER, _WITHOUT_LINKIFY = _parser(True), _parser(False)
# What can start markup in the rules enabled — emphasis, links, autolinks, escapes, entities —
# and characters markdown-it rewrites (NUL, tabs, CR); list markers count only at a line's start.
_MARKUP = frozenset("*_[]<>\\`&\0\t\r\x0b\x0c")
_LIST_START = frozenset("-+*0123456789")


@lru_cache(maxsize=4096)
def parse(source: str) -> tuple[Block, ...]:
    """Parse a field's text into blocks; identical texts (common in big registers) parse once.

    Two shortcuts, each proven equal to the full parser by a property test: text with nothing
    that could be markup is split into paragraphs and lines directly; and linkify — a fifth of
    the time of parsing — runs only where a link can be found (it needs a ":" or an "@").
    """
    plain = _plain(source)
    if plain is not None:
        return plain
    parser = _PARSER if (":" in source or "@" in source) else _WITHOUT_LINKIFY
    tokens = parser.parse(source.replace("\r\n", "\n"))
    blocks, _ = _blocks(tokens, 0, None)
    return tuple(blocks)


def _plain(source: str) -> tuple[Block, ...] | None:
    """Paragraphs of plain lines, or None if the text has anything the parser might read as
    markup, or whitespace it would trim."""
    if ":" in source or "@" in source or not _MARKUP.isdisjoint(source):
        return None
    paragraphs = []
    for paragraph in source.split("\n\n"):
        lines_ = paragraph.split("\n")
        if not all(line and line == line.strip() and line[0] not in _LIST_START for line in lines_):
            return None  # a list marker, blank-looking lines, indentation: let the parser decide
        paragraphs.append(Para(lines(lines_)))
    return tuple(paragraphs)


def lines(parts: list[str] | tuple[str, ...]) -> tuple[Inline, ...]:
    """Inline nodes for several lines of plain text."""
    out: list[Inline] = []
    for part in parts:
        if out:
            out.append(Break())
        out.append(Text(part))
    return tuple(out)


def text_length(nodes: tuple) -> int:
    """How many characters of text a tree holds (to judge how much room it takes)."""
    total = 0
    for node in nodes:
        if isinstance(node, Text):
            total += len(node.text)
        elif isinstance(node, ListBlock):
            total += sum(text_length(item) for item in node.items)
        elif not isinstance(node, Break):
            total += text_length(node.children)
    return total


def _blocks(tokens: list, i: int, close: str | None) -> tuple[list[Block], int]:
    blocks: list[Block] = []
    while i < len(tokens):
        token = tokens[i]
        if token.type == close:
            return blocks, i + 1
        if token.type == "inline":
            blocks.append(Para(_inlines(token.children or [])))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            items, i = _items(tokens, i + 1, token.type.replace("_open", "_close"))
            blocks.append(ListBlock(token.type == "ordered_list_open", tuple(items)))
            continue
        i += 1
    return blocks, i


def _items(tokens: list, i: int, close: str) -> tuple[list[tuple[Block, ...]], int]:
    items = []
    while tokens[i].type != close:
        if tokens[i].type == "list_item_open":
            content, i = _blocks(tokens, i + 1, "list_item_close")
            items.append(tuple(content))
        else:
            i += 1
    return items, i + 1


def _inlines(tokens: list) -> tuple[Inline, ...]:
    stack: list[tuple[str, str, list[Inline]]] = [("", "", [])]
    for token in tokens:
        kind = token.type
        if kind in ("text", "code_inline", "html_inline"):
            stack[-1][2].append(Text(token.content))
        elif kind in ("softbreak", "hardbreak"):
            stack[-1][2].append(Break())
        elif kind in ("strong_open", "em_open", "link_open"):
            stack.append((kind, str(token.attrs.get("href", "")), []))
        elif kind in ("strong_close", "em_close", "link_close"):
            opened, href, children = stack.pop()
            stack[-1][2].extend(_close(opened, href, tuple(children)))
    return _merge(stack[0][2])


def _close(opened: str, href: str, children: tuple[Inline, ...]) -> tuple[Inline, ...]:
    if opened == "strong_open":
        return (Strong(children),)
    if opened == "em_open":
        return (Emph(children),)
    if linkable(href):
        return (Link(href, children),)
    return children  # a link to anything else (ftp:, file:, ...) keeps its text, not its target


def linkable(href: str) -> bool:
    """Whether ``href`` may be a clickable link: ``mailto:``, http(s) that a browser can open, or
    a relative reference to a companion document (``docs/dpa.pdf``, ``../politikker/sletning.md``).

    A safe scheme is not enough: ``https://javascript:alert(1)`` has one, but its "port" is not
    a number, so no browser opens it and the HTML checker rejects the page.
    """
    if any(c.isspace() or ord(c) < 32 or c == "\\" for c in href):
        return False
    if _relative(href):
        return True
    if not href.lower().startswith(SAFE_SCHEMES):
        return False
    if href.lower().startswith("mailto:"):
        return True
    try:
        parts = urlsplit(href)
        return bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port that is not a number, a malformed IPv6 address
        return False


def _relative(href: str) -> bool:
    """A path relative to the document: no scheme (``javascript:``, ``file:``), no host
    (``//evil.example``), not from the file system's root, and a letter, digit, ``.`` or ``_``
    first. It opens beside the document (the register's files travel together)."""
    parts = urlsplit(href)
    return (
        bool(href)
        and not parts.scheme
        and not parts.netloc
        and ":" not in href.split("/", 1)[0]
        and (href[0].isalnum() or href[0] in "._")
    )


def _merge(nodes: list[Inline]) -> tuple[Inline, ...]:
    """Join adjacent text nodes (markdown-it splits text at every special character)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text) and not node.text:
            continue
        if isinstance(node, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)
