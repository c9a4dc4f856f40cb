"""How tall a row of the activity table is, and a row too long for a page as several.

Word keeps a row that may not split (``cantSplit``) on one page, and must split one taller
than a page; a split row's second half has no section label beside it. So a row is judged in
lines as laid out (a list of short lines is as tall as its count, not as its characters), and
one too tall is written as several rows, each a page or less, its description merged down
them: the page then breaks between them, and ``--format pdf`` repeats the section's label
there (:mod:`ropa_build.render.continued`).
"""

from __future__ import annotations

import dataclasses

from ropa_build.render.rows import Row
from ropa_build.richtext import Block, Break, ListBlock, text_length

#: Lines of a row that surely fit on a page (of about 50 in the reference document), and the
#: characters of a line in the content (3,712 twips of 9 pt Calibri) and description columns.
_LINES_ON_A_PAGE = 36
_CONTENT_LINE = 40
_DESCRIPTION_LINE = 28


def fits_on_a_page(row: Row) -> bool:
    """Short rows may not split across pages; a very long one must (Word would clip it).
    Judged in lines, as laid out: a list of short lines is as tall as its count."""
    words = -(-len(row.description) // _DESCRIPTION_LINE)
    return max(words, _lines(row.content)) <= _LINES_ON_A_PAGE


def parts(row: Row) -> list[tuple[Row, bool]]:
    """The row as the rows it is written as, each with whether it fits on a page (judged once):
    itself if it fits, else several, each as many of its blocks as fit (a bulleted list split
    between its items; a numbered list kept whole, its numbers would restart; a single block
    taller than a page does not fit, and may split)."""
    if fits_on_a_page(row):
        return [(row, True)]
    blocks = [
        piece
        for block in row.content
        for piece in (
            [ListBlock(False, (item,)) for item in block.items]
            if isinstance(block, ListBlock) and not block.ordered
            else [block]
        )
    ]
    chunks: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        height = _lines((block,))
        if chunks[-1] and size + height > _LINES_ON_A_PAGE:
            chunks.append([])
            size = 0
        chunks[-1].append(block)
        size += height
    return [
        (dataclasses.replace(row, content=tuple(chunk)), _lines(tuple(chunk)) <= _LINES_ON_A_PAGE)
        for chunk in chunks
    ]


def _lines(blocks: tuple[Block, ...]) -> int:
    """About how many lines ``blocks`` take in the content column: each paragraph, each line
    after a break and each list item at least one."""
    total = 0
    for block in blocks:
        if isinstance(block, ListBlock):
            total += sum(_lines(item) for item in block.items)
            continue
        line = 0
        for node in (*block.children, Break()):
            if isinstance(node, Break):
                total += max(1, -(-line // _CONTENT_LINE))
                line = 0
            else:
                line += text_length((node,))
    return total
