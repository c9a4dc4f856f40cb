"""HTML: one self-contained page for the intranet (inline CSS, no scripts, no external requests).

Autoescaping is on for the whole template; record text reaches the page only through
:func:`rich`, which escapes every text node and writes links for safe schemes only.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from ropa_build.render.format import TemplateFormat
from ropa_build.richtext import Block, Break, Emph, Inline, Link, Para, Strong, Text


class Html(TemplateFormat):
    """``register.html``, from ``register.html.j2`` (its ``activity`` block is rendered per
    activity)."""

    name = "html"
    template_name = "register.html.j2"
    suffix = ".html"
    autoescape = True

    def filters(self) -> dict:
        return {"rich": rich}


def rich(blocks: tuple[Block, ...]) -> Markup:
    return Markup("".join(_block(block) for block in blocks))


def _block(block: Block) -> str:
    if isinstance(block, Para):
        return f"<p>{_inlines(block.children)}</p>"
    tag = "ol" if block.ordered else "ul"
    items = "".join(f"<li>{''.join(_block(b) for b in item)}</li>" for item in block.items)
    return f"<{tag}>{items}</{tag}>"


def _inlines(nodes: tuple[Inline, ...], in_link: bool = False) -> str:
    return "".join(_inline(node, in_link) for node in nodes)


def _inline(node: Inline, in_link: bool = False) -> str:
    if isinstance(node, Text):
        text = escape(node.text, quote=False)
        # In a link, a long address may break after a slash, never inside a name.
        return text.replace("/", "/<wbr>") if in_link else text
    if isinstance(node, Break):
        return "<br>"
    if isinstance(node, Strong):
        return f"<strong>{_inlines(node.children, in_link)}</strong>"
    if isinstance(node, Emph):
        return f"<em>{_inlines(node.children, in_link)}</em>"
    assert isinstance(node, Link)
    return f'<a href="{escape(node.href)}">{_inlines(node.children, True)}</a>'
