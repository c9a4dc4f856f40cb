"""``ropa diff --format docx``: the register at HEAD in Word, every change since BASE a revision.

The DPO opens one file and sees in Word's review pane what a pull request changes, attributed
to the commit that made it, and accepts it as the new version. Both sides are rendered with the
build's own DOCX format (HEAD's templates, labels and reference document), so the layout and
styles are ``register.docx``'s and accepting every change gives HEAD's tables exactly, rejecting
every change BASE's; :mod:`ropa_build.diff.redline` marks the differences.

By default the document holds a first page summing up the changes (the ``ropa diff`` report as
tables) and then only the activities whose rendering changed; ``full`` gives every activity.
Only the activities the change list names are rendered on both sides, so ten changes in a
register of a thousand cost ten renderings, not two thousand.

Who and when: each activity's marks carry the author and date of the newest commit after BASE
that touched its record file, or (for a change that comes from the organisation, the catalogue
or a vocabulary only) the newest that touched that file; uncommitted changes carry ``git config
user.name`` and no date. One author per activity, not per word (``git blame`` per word is more
than a reviewer needs, and would cost a blame per file). Nothing is taken from the clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from markupsafe import Markup

from ropa_build.dates import newest
from ropa_build.diff.authors import Author, authors
from ropa_build.diff.compare import Change
from ropa_build.diff.git import Snapshot
from ropa_build.diff.meanings import Meanings
from ropa_build.diff.redline import Revisions, parse
from ropa_build.diff.redline_rows import RowKey, diff_body
from ropa_build.diff.report import summary_rows
from ropa_build.errors import Problem, UserError
from ropa_build.labels import load_labels
from ropa_build.render.docx import Docx, _link_id
from ropa_build.render.docx_package import FIRST_LIST_NUM_ID, package_docx
from ropa_build.render.format import Job
from ropa_build.render.templating import environment, render, template
from ropa_build.render.view import ActivityView, activity_view, register_view
from ropa_build.richtext import Block, Para, Text
from ropa_build.validate import Activity, Register

_LISTS = re.compile(r'w:val="#N(\d+)"')
_SHARED = {"organisation": "organisation.yaml", "catalogue": "catalogue.yaml"}


def changes_docx(
    root: Path,
    base: Snapshot,
    head: Snapshot,
    changes: list[Change],
    meanings: Meanings,
    lang: str,
    *,
    full: bool = False,
    categories: dict[str, str] | None = None,
) -> bytes:
    """The changes document's bytes. Raises :class:`UserError` if a side does not validate: a
    record with errors cannot be rendered, and leaving it out would show it as removed."""
    _require_valid(base, head)
    assert base.register is not None and head.register is not None
    labels = load_labels(root, lang)
    new_register = dataclasses.replace(head.register, root=root)  # HEAD's templates
    job = Job(new_register, labels, register_view(new_register, labels, lang, "controller"), None)
    docx = Docx(job)
    olds = {a.id: a for a in base.register.activities}
    news = {a.id: a for a in new_register.activities}
    pairs = _pairs(olds, news, changes, full)
    words = meanings.words[lang]
    who = authors(root, base, head, words["working_tree"])
    rev = Revisions()
    lists, links, bodies = 0, set(), []
    for old_id, new_id in pairs:
        old = _side(docx, base.register, olds.get(old_id), labels)
        new = _side(docx, new_register, news.get(new_id), labels)
        if not full and old is not None and new is not None and old[0] == new[0]:
            continue  # changed in the data, not in what the table shows
        author = _author(who, olds.get(old_id), news.get(new_id), changes, new_id or old_id)
        rev.author, rev.date = author.name, _utc(author.date)
        head_lists = new[2] if new else 0
        old_body = parse(_offset(old[0], head_lists)) if old else None
        new_body = parse(new[0]) if new else None
        keys = (old[1] if old else [], new[1] if new else [])
        body = diff_body(old_body, new_body, keys, rev)
        bodies.append(
            _LISTS.sub(lambda m, s=lists: f'w:val="{FIRST_LIST_NUM_ID + s + int(m[1])}"', body)
        )
        lists += head_lists + (old[2] if old else 0)
        links |= (old[3] if old else set()) | (new[3] if new else set())
    line, groups = summary_rows(head, changes, meanings, lang, categories)
    head_label = words["working_tree"] if head.commit is None else head.label
    summary = render(
        template(environment(root, autoescape=True, filters={}), "docx/changes.xml.j2"),
        title=words["title"],
        organisation=job.view.organisation,
        sides=f"{base.label} → {head_label}",
        line=line,
        groups=groups,
        words=words,
    )
    return package_docx(
        docx.reference,
        [summary, *bodies, '<w:p><w:pPr><w:pStyle w:val="RopaNote"/></w:pPr></w:p>'],
        hyperlinks=[(_link_id(url), url) for url in sorted(links)],
        numbered_lists=lists,
        title=f"{words['title']} – {job.view.organisation}",
        created=newest(a.record.updated for a in new_register.activities),
    )


def _require_valid(base: Snapshot, head: Snapshot) -> None:
    problems = [
        dataclasses.replace(p, message=f"in {side.label}: {p.message}")
        for side in (base, head)
        for p in side.problems
        if p.severity == "error"
    ]
    problems += [
        Problem(
            ".",
            1,
            1,
            "no-register",
            f"{side.label} has no valid register, so it cannot be shown in Word",
            "compare revisions that build (`ropa build` passes), or use --format text",
        )
        for side in (base, head)
        if side.register is None and not problems
    ]
    if problems:
        raise UserError(problems)


def _pairs(olds: dict, news: dict, changes: list[Change], full: bool) -> list[tuple]:
    """(BASE id or None, HEAD id or None) of each activity to show, in the register's order
    (by id; a removed activity where its id puts it)."""
    renamed = {c.subject: c.renamed_from for c in changes if c.code == "record-renamed"}
    touched = {c.subject for c in changes if c.scope == "record"}
    touched |= {r for c in changes for r in c.reaches}
    pairs = {}
    for new_id in news:
        old_id = renamed.get(new_id, new_id)
        if full or new_id in touched:
            pairs[new_id] = (old_id if old_id in olds else None, new_id)
    gone = set(olds) - {old for old, _ in pairs.values()} - set(renamed.values()) - set(news)
    for old_id in gone:
        pairs[old_id] = (old_id, None)
    return [pairs[key] for key in sorted(pairs)]


def _side(docx: Docx, register: Register, activity: Activity | None, labels: dict):
    """(body XML, row keys, numbered lists, links) of one activity, or None."""
    if activity is None:
        return None
    view = activity_view(register, activity, labels)
    table = docx.piece(activity, view)
    body = render(docx.templates["activity"], activity=view, table=Markup(table.xml), labels=labels)
    body = body.replace(
        '<w:pStyle w:val="Heading1"/></w:pPr>',
        '<w:pStyle w:val="Heading1"/><w:pageBreakBefore/></w:pPr>',
        1,
    )
    return body, _row_keys(view, table), table.lists, set(table.links)


def _row_keys(view: ActivityView, table) -> list[RowKey]:
    """Each table row's key: its section and description; a checklist line by the description
    above it and its own text; a repeated key numbered; a row the table writes as several
    (``table.parts``: too long for a page) by its part's number too."""
    keys, seen = [], {}
    for section in view.sections:
        described = ""
        for row in section.rows:
            if row.mark is None:
                described = row.description
                name = (section.label, row.description)
            else:
                name = (section.label, described, _text(row.content))
            seen[name] = seen.get(name, 0) + 1
            keys += [(*name, str(seen[name]), str(i)) for i in range(len(table.parts(row)))]
    return keys


def _text(blocks: tuple[Block, ...]) -> str:
    return " ".join(_plain(b.children) for b in blocks if isinstance(b, Para))


def _plain(nodes) -> str:
    return "".join(
        n.text if isinstance(n, Text) else _plain(getattr(n, "children", ())) for n in nodes
    )


def _offset(xml: str, start: int) -> str:
    """BASE's numbered lists after HEAD's, so that the two never share a number."""
    return re.sub(r'w:val="#N(\d+)"', lambda m: f'w:val="#N{start + int(m[1])}"', xml)


def _author(who: dict[str, Author], old, new, changes: list[Change], subject: str) -> Author:
    paths = [a.source.path for a in (old, new) if a is not None]
    for path in paths:
        if path in who:
            return who[path]
    shared = [
        _SHARED.get(c.scope, "schema/")
        for c in changes
        if c.scope != "record" and subject in c.reaches
    ]
    found = [
        author
        for path, author in who.items()
        if any(path == s or (s.endswith("/") and path.startswith(s)) for s in shared)
    ]
    return max(found, key=lambda a: a.date or "", default=Author("ropa diff", None))


def _utc(date: str | None) -> str | None:
    """git's ISO date in UTC with a Z, as Word writes it."""
    if not date:
        return None
    return dt.datetime.fromisoformat(date).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
