"""HTML: one self-contained page for the intranet (inline CSS, no scripts, no external requests).

Autoescaping is on for the whole template; record text reaches the page only through
:func:`rich`, which escapes every text node and writes links for safe schemes only.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from pathlib import Path

import jinja2
from markupsafe import Markup

from ropa_build.render.templating import Pieces, environment, stream, template
from ropa_build.render.view import RegisterView
from ropa_build.richtext import Block, Break, Emph, Inline, Link, Para, Strong, Text


def render_html(view: RegisterView, root: Path, pieces: Pieces | None = None) -> Iterator[str]:
    """The register as ``register.html``, in pieces (it can be hundreds of megabytes).

    ``pieces``: blocks already rendered (:func:`ropa_build.render.templating.stream`).
    """
    return stream(html_template(root), pieces=pieces, view=view, labels=view.labels)


def html_template(root: Path) -> jinja2.Template:
    """``register.html.j2``; its ``activity`` block is also rendered alone, per activity."""
    env = environment(root, autoescape=True, filters={"rich": rich})
    return template(env, "register.html.j2")


def rich(blocks: tuple[Block, ...]) -> Markup:
    return Markup("".join(_block(block) for block in blocks))


def _block(block: Block) -> str:
    if isinstance(block, Para):
        return f"<p>{_inlines(block.children)}</p>"
    tag = "ol" if block.ordered else "ul"
    items = "".join(f"<li>{''.join(_block(b) for b in item)}</li>" for item in block.items)
    return f"<{tag}>{items}</{tag}>"


def _inlines(nodes: tuple[Inline, ...]) -> str:
    return "".join(_inline(node) for node in nodes)


def _inline(node: Inline) -> str:
    if isinstance(node, Text):
        return escape(node.text, quote=False)
    if isinstance(node, Break):
        return "<br>"
    if isinstance(node, Strong):
        return f"<strong>{_inlines(node.children)}</strong>"
    if isinstance(node, Emph):
        return f"<em>{_inlines(node.children)}</em>"
    assert isinstance(node, Link)
    return f'<a href="{escape(node.href)}">{_inlines(node.children)}</a>'
