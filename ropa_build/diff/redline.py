"""Two renderings of the same WordprocessingML → one with Word's own revision marks.

Both sides are rendered by the build's templates (so accepting every change gives exactly what
``ropa build`` makes of HEAD, rejecting every change what it makes of BASE); this module only
compares the XML. A paragraph list (a table cell, the lines above a table) is compared as one
stream of tokens — words, spaces and punctuation of each run (as ``ropa diff`` marks words),
line breaks, and each paragraph's mark (its end, carrying its properties) — so a changed word
is a ``w:del``/``w:ins`` pair inside the cell, not the cell replaced. A word whose text stayed and
whose formatting changed is a ``w:rPrChange``; a paragraph whose properties changed (a list item
made a paragraph) a ``w:pPrChange``.

Tables, rows and whole activities: :mod:`ropa_build.diff.redline_rows`.

Paragraph marks follow ECMA-376 Part 1, 17.13.5 ("Deleted Paragraph"): a deleted mark joins
its paragraph's content to the next paragraph, which keeps its own properties. The last mark of
a cell is always on both sides (Word cannot delete a cell's last paragraph mark): where it
changed, the previous mark is marked instead and the last one carries the properties change.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from itertools import groupby
from xml.sax.saxutils import escape

from lxml import etree

from ropa_build.diff.excerpt import _TOKEN as WORD  # words, spaces, punctuation: one rule

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECLARE = re.compile(r' xmlns:\w+="[^"]*"')
_PLACEHOLDER = re.compile(r"#N\d+")
_DIFF_LIMIT = 20_000  # tokens between the common start and end; beyond, replaced whole
_PARSER = etree.XMLParser(huge_tree=True, remove_blank_text=False, resolve_entities=False)

# A token: (kind, text, properties, link). kind "t" text, "br" a break, "x" any other run
# element, "px" any other paragraph element (a bookmark; kept as XML, unmarked: shown unless
# deleted), "p" a paragraph mark (properties: the pPr's children).
Token = tuple[str, str, str, str]
Item = tuple[str, Token, Token]  # (status, token, its BASE token); status "=", "-", "+", "~"


class Revisions:
    """The attributes of each revision mark: a new ``w:id`` each, the change's author and date."""

    def __init__(self) -> None:
        self.count = 0
        self.author, self.date = "", None

    def attrs(self) -> str:
        self.count += 1
        date = f' w:date="{_attr(self.date)}"' if self.date else ""
        return f'w:id="{self.count}" w:author="{_attr(self.author)}"{date}'


def parse(xml: str) -> list[etree._Element]:
    """A fragment of body XML (with the w: and r: prefixes) → its top-level elements."""
    root = etree.fromstring(f'<root xmlns:w="{W}" xmlns:r="{R}">{xml}</root>', _PARSER)
    return list(root)


def xml(element: etree._Element) -> str:
    return _DECLARE.sub("", etree.tostring(element, encoding="unicode", with_tail=False))


def inner(element: etree._Element | None) -> str:
    return "" if element is None else "".join(xml(child) for child in element)


def tag(element: etree._Element) -> str:
    return etree.QName(element).localname


# --- tokens ---------------------------------------------------------------------------------


def tokens(paragraphs: Sequence[etree._Element]) -> list[Token]:
    out: list[Token] = []
    for p in paragraphs:
        props = ""
        for child in p:
            name = tag(child)
            if name == "pPr":
                props = inner(child)
            elif name == "r":
                out += _run(child, "")
            elif name == "hyperlink":
                link = "".join(f' {_qname(k)}="{_attr(v)}"' for k, v in child.attrib.items())
                for run in child:
                    out += _run(run, link) if tag(run) == "r" else [("px", xml(run), "", link)]
            else:
                out.append(("px", xml(child), "", ""))
        out.append(("p", "", props, ""))
    return out


def _run(run: etree._Element, link: str) -> list[Token]:
    props = inner(run.find(f"{{{W}}}rPr"))
    out: list[Token] = []
    for child in run:
        name = tag(child)
        if name == "t":
            out += [("t", word, props, link) for word in WORD.findall(child.text or "")]
        elif name == "br":
            out.append(("br", "", props, link))
        elif name != "rPr":
            out.append(("x", xml(child), props, link))
    return out


def _key(token: Token) -> Token:
    """What must be equal for two tokens to be the same: numbered lists compare as lists (each
    side numbers its own)."""
    kind, text, props, link = token
    return (kind, text, _PLACEHOLDER.sub("#N", props), link) if kind == "p" else token


# --- the diff of a paragraph list -----------------------------------------------------------


def diff_paragraphs(
    old: Sequence[etree._Element], new: Sequence[etree._Element], rev: Revisions
) -> str:
    """The paragraphs of ``new`` with the changes from ``old`` marked (both non-empty)."""
    a, b = tokens(old), tokens(new)
    ka, kb = [_key(t) for t in a], [_key(t) for t in b]
    start = 0
    while start < min(len(a), len(b)) and ka[start] == kb[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and ka[-1 - end] == kb[-1 - end]:
        end += 1
    items: list[Item] = [("=", b[i], a[i]) for i in range(start)]
    mid_a, mid_b = slice(start, len(a) - end), slice(start, len(b) - end)
    if len(a[mid_a]) + len(b[mid_b]) <= _DIFF_LIMIT:
        matcher = difflib.SequenceMatcher(None, ka[mid_a], kb[mid_b], autojunk=False)
        opcodes = matcher.get_opcodes()
    else:
        opcodes = [("replace", 0, len(a[mid_a]), 0, len(b[mid_b]))]
    for op, i1, i2, j1, j2 in opcodes:
        olds, news = a[mid_a][i1:i2], b[mid_b][j1:j2]
        if op == "equal":
            items += [("=", n, o) for n, o in zip(news, olds, strict=True)]
        elif op == "replace" and _restyled(olds, news):
            items += [("~", n, o) for n, o in zip(news, olds, strict=True)]
        else:
            items += [("-", o, o) for o in olds] + [("+", n, n) for n in news]
    items += [("=", b[len(b) - end + k], a[len(a) - end + k]) for k in range(end)]
    return _emit(_last_mark_common(items), rev)


def _restyled(olds: list[Token], news: list[Token]) -> bool:
    """The same text, only its formatting (a run's rPr, a paragraph's pPr) changed."""
    return len(olds) == len(news) and all(
        o[0] == n[0] and o[1] == n[1] and o[3] == n[3] and o[0] in ("t", "br", "p")
        for o, n in zip(olds, news, strict=True)
    )


def _last_mark_common(items: list[Item]) -> list[Item]:
    """Make the cell's last paragraph mark one that both sides have (see the module's note)."""
    in_a = [i for i, (s, t, _) in enumerate(items) if s != "+" and t[0] == "p"]
    in_b = [i for i, (s, t, _) in enumerate(items) if s != "-" and t[0] == "p"]
    last_a, last_b = in_a[-1], in_b[-1]
    if last_a == last_b:
        return items
    old, new = items[last_a][2], items[last_b][1]
    fixed = list(items)
    status_a, status_b = items[last_a][0], items[last_b][0]
    fixed[last_a] = ("+", items[last_a][1], items[last_a][1]) if status_a != "-" else None
    fixed[last_b] = ("-", items[last_b][2], items[last_b][2]) if status_b != "+" else None
    last = ("=", new, old) if _key(new) == _key(old) else ("~", new, old)
    return [item for item in fixed if item is not None] + [last]


def marked(paragraphs: Sequence[etree._Element], status: str, rev: Revisions) -> str:
    """Paragraphs wholly inserted (``status`` "+") or deleted ("-")."""
    return _emit([(status, t, t) for t in tokens(paragraphs)], rev)


# --- XML out --------------------------------------------------------------------------------


def _emit(items: list[Item], rev: Revisions) -> str:
    out, content = [], []
    for item in items:
        if item[1][0] != "p":
            content.append(item)
            continue
        status, token, was = item
        props = token[2]
        if status in ("+", "-"):
            mark = "ins" if status == "+" else "del"
            props += f"<w:rPr><w:{mark} {rev.attrs()}/></w:rPr>"
        elif status == "~":
            props += f"<w:pPrChange {rev.attrs()}><w:pPr>{was[2]}</w:pPr></w:pPrChange>"
        out.append(f"<w:p><w:pPr>{props}</w:pPr>{_content(content, rev)}</w:p>")
        content = []
    return "".join(out)


def _content(items: list[Item], rev: Revisions) -> str:
    out = []
    for link, in_link in groupby(items, key=lambda item: item[1][3]):
        runs = []
        for (status, raw), group in groupby(in_link, key=lambda i: (i[0], i[1][0] == "px")):
            if raw:
                runs += [i[1][1] for i in group if status != "-"]
            else:
                runs.append(_status_group(list(group), rev))
        joined = "".join(runs)
        out.append(f"<w:hyperlink{link}>{joined}</w:hyperlink>" if link else joined)
    return "".join(out)


def _status_group(items: list[Item], rev: Revisions) -> str:
    status = items[0][0]
    deleted = status == "-"
    runs = []
    for (props, was), group in groupby(
        items, key=lambda i: (i[1][2], i[2][2] if i[0] == "~" else "")
    ):
        if status == "~" and props != was:
            props += f"<w:rPrChange {rev.attrs()}><w:rPr>{was}</w:rPr></w:rPrChange>"
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        runs.append(f"<w:r>{rpr}{_children([i[1] for i in group], deleted)}</w:r>")
    joined = "".join(runs)
    if status in ("+", "-"):
        mark = "ins" if status == "+" else "del"
        return f"<w:{mark} {rev.attrs()}>{joined}</w:{mark}>"
    return joined


def _children(run: list[Token], deleted: bool) -> str:
    out = []
    for kind, group in groupby(run, key=lambda t: t[0]):
        group = list(group)
        if kind == "t":
            text = escape("".join(t[1] for t in group))
            name = "w:delText" if deleted else "w:t"
            out.append(f'<{name} xml:space="preserve">{text}</{name}>')
        elif kind == "br":
            out.append("<w:br/>" * len(group))
        else:
            for token in group:
                text = token[1]
                if deleted:
                    text = text.replace("<w:instrText", "<w:delInstrText")
                    text = text.replace("</w:instrText>", "</w:delInstrText>")
                out.append(text)
    return "".join(out)


_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _attr(value: str) -> str:
    """An attribute value: escaped, and the characters XML cannot hold (a git author name may
    have any) replaced."""
    return _ILLEGAL.sub("\ufffd", value).translate(_ATTR).replace("\n", "&#10;")


def _qname(name: str) -> str:
    qname = etree.QName(name)
    prefix = {W: "w", R: "r"}.get(qname.namespace or "", "")
    return f"{prefix}:{qname.localname}" if prefix else qname.localname
