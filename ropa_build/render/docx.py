"""DOCX: what the DPO opens — Datatilsynet's table per activity, in the reference document's look.

The body is WordprocessingML rendered by Jinja (autoescaped) and written into a copy of
``templates/reference.docx`` (:mod:`ropa_build.render.docx_package`). Building tables through
python-docx is quadratic (``Table.cell()``), and docxtpl grows superlinearly; streamed XML is
linear and fast (see the README's measurements).

Each activity's table is rendered once and used twice: in ``register.docx`` and in its own
``activities/<id>.docx``. That works because a table does not depend on the document it lands in:
hyperlink relationship ids are derived from the URL, and numbered lists carry placeholders that
are numbered per document when the body is assembled.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from ropa_build.dates import midnight, newest
from ropa_build.errors import Problem, UserError
from ropa_build.provenance import Provenance
from ropa_build.render.docx_package import FIRST_LIST_NUM_ID, package_docx
from ropa_build.render.docx_reference import prepare
from ropa_build.render.format import Format, Job, Output
from ropa_build.render.ooxml_zip import Deflated, deflate_piece
from ropa_build.render.row_parts import fits_on_a_page, parts
from ropa_build.render.templating import environment, render, stream, template
from ropa_build.render.view import ActivityHead, ActivityView, RegisterView, Row
from ropa_build.resources import display_path, find
from ropa_build.richtext import (
    Block,
    Break,
    Emph,
    Inline,
    Link,
    Para,
    Strong,
    Text,
)
from ropa_build.validate import Activity

BULLETS = 1  # numId of the reference document's bullet list
_LIST_PLACEHOLDER = re.compile(r'w:val="#N(\d+)"')
_SPLICE = "<ropa-build:deflated-table/>"  # never in record text: that is escaped
_STYLE = re.compile(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"{]+)"')


class Docx(Format):
    """The DOCX format: each activity's table (the piece), its own document, the register."""

    name = "docx"

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        root = job.register.root
        env = environment(root, autoescape=True, filters={})
        self.templates = {
            name: template(env, f"docx/{name}.xml.j2")
            for name in ("activity-table", "activity", "register")
        }
        path = find(root, "templates", "reference.docx")
        self.reference = path.read_bytes()
        used = {"RopaCell", "Hyperlink"}  # besides those the templates name: see _Table
        for name in env.list_templates(filter_func=lambda name: name.startswith("docx/")):
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            used.update(_STYLE.findall(source))
        _check_reference(self.reference, display_path(root, path), used)
        # A Word saved in another language names built-in styles its own way; the body is then
        # renamed as one text, so its tables cannot be deflated ahead.
        self.deflate_ahead = not prepare(self.reference).style_aliases

    def piece(self, activity: Activity, view: ActivityView) -> _Table:
        """The activity's table; the same in its own document and in the register."""
        table = _Table()
        table.xml = render(
            self.templates["activity-table"], activity=view, table=table, labels=self.job.labels
        )
        if self.deflate_ahead and not table.lists:  # no list numbers that depend on its place
            table.deflated = deflate_piece(table.xml.encode())
        return table

    def summary(self, table: _Table) -> tuple[int, frozenset[str]]:
        return table.lists, frozenset(table.links)

    def files(self, activity: Activity, view: ActivityView, table: _Table) -> Iterator[Output]:
        """``activities/<id>.docx``: one activity as its own document, like the seed; dated by its
        own record unless the build gives a date."""
        body = render(
            self.templates["activity"],
            activity=view,
            table=table.numbered_from(0),
            labels=self.job.labels,
        )
        yield (
            f"activities/{activity.id}.docx",
            package_docx(
                self.reference,
                body,
                hyperlinks=table.relationships(),
                numbered_lists=table.lists,
                title=view.title,
                created=self.job.created or midnight(activity.record.updated),
            ),
        )

    def assemble(
        self, view: RegisterView, pieces: Sequence[_Table], summaries: Sequence[Any]
    ) -> Iterator[Output]:
        yield self.register(view, pieces, summaries)

    def register(
        self,
        view: RegisterView,
        pieces: Sequence[_Table],
        summaries: Sequence[Any],
        pages: Mapping[str, int] | None = None,
        about: _Table | None = None,
    ) -> Output:
        """``register.docx``: every table, its numbered lists renumbered to stay distinct.

        ``pages`` is the page each bookmark is printed on, written as the cached results of the
        table of contents' PAGEREF fields (the pdf format has them from LibreOffice's layout);
        without it the results are empty, for Word to fill in (F9). ``about``: the register's
        own section as the pdf format laid it out (else made here).
        """
        placed = _Placed(view.activities, pieces, [lists for lists, _ in summaries])
        about = about if about is not None else self.about(view)
        body = placed.spliced(
            stream(
                self.templates["register"],
                view=view,
                labels=view.labels,
                activities=placed,
                about=about.numbered_from(placed.lists) if view.about else "",
                pages=pages or {},
            )
        )
        links = sorted({link for _, table_links in summaries for link in table_links} | about.links)
        made = view.provenance
        title = f"{view.title} – {view.organisation}"
        dated = made is not None and bool(made.commit)  # by the commit; else as before
        return (
            f"{view.stem}.docx",
            package_docx(
                self.reference,
                body,
                hyperlinks=[(_link_id(url), url) for url in links],
                numbered_lists=placed.lists + about.lists,
                # the running header shows the title (a TITLE field): with version and date
                title=f"{title} · {_version(view)}{view.built if dated else view.date}",
                created=self.created(view.role, made),
                revision=max(made.revision, 1) if made else 1,
                properties=_properties(made) if made else (),
            ),
        )

    def about(self, view: RegisterView) -> _Table:
        """What the register says of itself, in the activities' table layout; its numbered
        lists come after every activity's."""
        table = _Table()
        if view.about:
            table.xml = render(
                self.templates["activity-table"],
                activity={"sections": view.about},
                table=table,
                labels=view.labels,
            )
        return table

    def created(self, role: str, made: Provenance | None = None) -> dt.datetime:
        """A register's date: its commit's in git (``made``), else the build's, else its newest
        record's (never the clock)."""
        if made is not None and made.commit:
            return made.date
        activities = self.job.register.activities
        return self.job.created or newest(
            a.record.updated for a in activities if a.record.role == role
        )


class _Placed(Sequence):
    """(activity, table) pairs, each table numbered after the lists before it — made when the
    template reaches it, so the register never holds a second copy of every table.

    A table deflated ahead reaches the template as a mark, which :meth:`spliced` replaces in the
    template's output by the deflated table: a rebuild copies the compressed bytes of every table
    that did not change, instead of compressing 400 MB of XML again.
    """

    def __init__(
        self, activities: Sequence[ActivityHead], tables: Sequence[_Table], lists: Sequence[int]
    ):
        self.activities, self.tables = activities, tables
        self.starts = list(itertools.accumulate(lists, initial=0))
        self.lists = self.starts.pop()
        self.pending: collections.deque[Deflated] = collections.deque()

    def __len__(self) -> int:
        return len(self.tables)

    def __getitem__(self, index):  # a slice is not needed by any template
        table = self.tables[index]
        if table.deflated is not None:
            self.pending.append(table.deflated)
            return self.activities[index], Markup(_SPLICE)
        return self.activities[index], table.numbered_from(self.starts[index])

    def spliced(self, chunks: Iterator[str]) -> Iterator[str | Deflated]:
        """The template's output with each mark replaced by its table, deflated."""
        for chunk in chunks:
            if _SPLICE not in chunk:
                yield chunk
                continue
            first, *rest = chunk.split(_SPLICE)
            yield first
            for after in rest:
                yield self.pending.popleft()
                yield after


@dataclass
class _Table:
    """One activity's table as XML, with the hyperlinks and numbered lists it uses."""

    xml: str = ""
    links: set[str] = field(default_factory=set)
    lists: int = 0
    deflated: Deflated | None = None  # for the register, when the table is position-free

    def __getstate__(self) -> dict:
        """Stored and spilled without its XML once it is deflated: the register needs only the
        deflated bytes, and the activity's own document was made before it was stored."""
        state = dict(self.__dict__)
        if self.deflated is not None:
            state["xml"] = ""
        return state

    def numbered_from(self, start: int) -> Markup:
        if not self.lists:
            return Markup(self.xml)
        return Markup(
            _LIST_PLACEHOLDER.sub(
                lambda m: f'w:val="{FIRST_LIST_NUM_ID + start + int(m[1])}"', self.xml
            )
        )

    def relationships(self) -> list[tuple[str, str]]:
        return [(_link_id(url), url) for url in sorted(self.links)]

    def fits_on_a_page(self, row: Row) -> bool:
        """Short rows may not split across pages; a very long one must (Word would clip it)."""
        return fits_on_a_page(row)

    def parts(self, row: Row) -> list[tuple[Row, bool]]:
        """The rows ``row`` is written as, each with whether it fits on a page: a row too long
        for a page as several that each fit (:mod:`.row_parts`)."""
        return parts(row)

    def rich(self, blocks: tuple[Block, ...], style: str = "RopaCell") -> Markup:
        """Blocks as paragraphs; a table cell must hold at least one paragraph."""
        xml = "".join(self._block(block, style, 0) for block in blocks)
        return Markup(xml or f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>')

    def _block(self, block: Block, style: str, depth: int) -> str:
        if isinstance(block, Para):
            return _paragraph(style, "", self._inlines(block.children, ""))
        num_id = f"#N{self.lists}" if block.ordered else str(BULLETS)
        self.lists += block.ordered
        level = f'<w:numPr><w:ilvl w:val="{min(depth, 2)}"/><w:numId w:val="{num_id}"/></w:numPr>'
        parts = []
        for item in block.items:
            for i, inner in enumerate(item):
                if isinstance(inner, Para):
                    parts.append(
                        _paragraph(
                            style, level if i == 0 else "", self._inlines(inner.children, "")
                        )
                    )
                else:
                    parts.append(self._block(inner, style, depth + 1))
        return "".join(parts)

    def _inlines(self, nodes: tuple[Inline, ...], props: str) -> str:
        return "".join(self._inline(node, props) for node in nodes)

    def _inline(self, node: Inline, props: str) -> str:
        if isinstance(node, Text):
            rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
            return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(node.text)}</w:t></w:r>'
        if isinstance(node, Break):
            return "<w:r><w:br/></w:r>"
        if isinstance(node, Strong):
            return self._inlines(node.children, props + "<w:b/>")
        if isinstance(node, Emph):
            return self._inlines(node.children, props + "<w:i/>")
        assert isinstance(node, Link)
        self.links.add(node.href)
        runs = self._inlines(node.children, '<w:rStyle w:val="Hyperlink"/>' + props)
        return f'<w:hyperlink r:id="{_link_id(node.href)}" w:history="1">{runs}</w:hyperlink>'


def _paragraph(style: str, numbering: str, runs: str) -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{numbering}</w:pPr>{runs}</w:p>'


def _check_reference(reference: bytes, display: str, styles: Iterable[str]) -> None:
    """A register's own reference document, checked before anything is rendered with it: a file
    that is not a Word document, or lacks a style the templates use, is the user's to fix."""
    try:
        ref = prepare(reference)
    except ValueError as error:
        raise UserError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "bad-reference-docx",
                    str(error),
                    "save it from Word as a .docx, or delete it to use the built-in one",
                )
            ]
        ) from None
    missing = sorted(set(styles) - ref.style_ids - set(ref.style_aliases))
    if missing:
        raise UserError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "reference-style-missing",
                    f"the reference document has no style {', '.join(missing)}",
                    "add the styles in Word (Styles pane → New Style, with exactly these names), "
                    "or start from the built-in templates/reference.docx",
                )
            ]
        )


def _version(view: RegisterView) -> str:
    return f"{view.labels['document']['version']} {view.version} · " if view.version else ""


def _properties(made: Provenance) -> tuple[tuple[str, str], ...]:
    """``docProps/custom.xml``: the build's provenance, for tools and File → Properties."""
    return (
        ("RopaVersion", made.version),
        ("RopaCommit", made.commit),
        ("RopaCommitDate", made.date.strftime("%Y-%m-%dT%H:%M:%SZ") if made.commit else ""),
        ("RopaDatedBy", made.dated_by),
        ("RopaUncommittedChanges", "true" if made.dirty else "false"),
        ("RopaHistoryComplete", "false" if made.shallow else "true"),
        ("RopaBuild", made.tool),
    )


def _link_id(url: str) -> str:
    """A relationship id that depends only on the URL, so a table fits any document."""
    return "rIdL" + hashlib.sha1(url.encode()).hexdigest()[:16]
