"""Stage 4: render the validated register into every requested format, into the staging folder.

Nothing here touches the output: files go into the write stage's staging folder, which becomes
the output only when everything is rendered, so a template error in the last format cannot leave
the first one half-updated.

Most of the work is per activity — its view (the rich text parsed), its DOCX table, its own
document — and independent of the others, so it is cached by content and spread over the CPUs
(:mod:`ropa_build.parallel`). The register-wide files are then assembled from those pieces.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ropa_build.cache import Cache, file_digest
from ropa_build.errors import Problem, UserError
from ropa_build.parallel import Progress, beside, spread
from ropa_build.render.templating import Pieces, block
from ropa_build.resources import find, load_data, search_path
from ropa_build.validate import Register
from ropa_build.write import Staging

FORMATS = ("docx", "md", "html")


def render(
    register: Register,
    formats: tuple[str, ...],
    lang: str,
    staging: Staging,
    *,
    created: dt.datetime | None = None,
    cache: Cache | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> None:
    """Write each format in ``formats``, labelled in ``lang``, into ``staging``.

    ``created`` dates the DOCX files; None dates each by its newest record.
    """
    from ropa_build.render.docx import Docx
    from ropa_build.render.html import html_template, render_html
    from ropa_build.render.markdown import markdown_template, render_markdown
    from ropa_build.render.view import register_view

    root, cache, words = register.root, cache or Cache(None), labels(register.root, lang)
    work = _PerActivity(
        register,
        words,
        register_view(register, words, lang, []),
        Docx.load(root) if "docx" in formats else None,
        html_template(root) if "html" in formats else None,
        markdown_template(root) if "md" in formats else None,
        created,
        staging,
        cache,
        cache.key(lang, _inputs_digest(root)),
    )
    done = spread(work, range(len(register.activities)), jobs, progress)
    view = dataclasses.replace(work.header, activities=tuple(d.view for d in done))
    tasks = []
    if work.html is not None:
        pieces = _pieces({d.view.id: d.html for d in done})
        tasks.append(lambda: staging.put("register.html", render_html(view, root, pieces)))
    if work.md is not None:
        pieces_md = _pieces({d.view.id: d.md for d in done})
        tasks.append(lambda: staging.put("register.md", render_markdown(view, root, pieces_md)))
    if work.docx is not None:
        docx, tables = work.docx, [d.table for d in done]
        dated = created or _day(max((a.record.updated for a in register.activities), default=None))
        tasks.append(lambda: staging.put("register.docx", docx.register(view, tables, dated)))
    beside(tasks, jobs)


def _pieces(by_id: dict[str, str | None]) -> Pieces | None:
    """Each activity's block, rendered already; None if the template has no such block."""
    if any(piece is None for piece in by_id.values()):
        return None
    return {"activity": lambda block: by_id[block["activity"].id]}


class _Done(NamedTuple):
    """What one activity contributes to the register-wide outputs."""

    view: Any  # a _Lazy view: its sections are unpickled only if a template asks
    table: Any  # its DOCX table (or None)
    html: str | None  # its block of register.html (None: no such block, or no HTML)
    md: str | None


@dataclass(frozen=True)
class _PerActivity:
    """One activity's share of every format (returned) and its own document (written), cached.

    The cache key covers everything an activity's output depends on: its record file, and — as
    one digest — the organisation and catalogue files, the vocabularies, the templates and label
    files and the language. Change any of those and every activity is rendered afresh.
    """

    register: Register
    labels: dict
    header: Any  # the RegisterView without activities (templates' `view` in a block)
    docx: Any
    html: Any  # register.html.j2, or None
    md: Any
    created: dt.datetime | None
    staging: Staging
    cache: Cache
    context: str

    def __call__(self, index: int) -> _Done:
        activity = self.register.activities[index]
        record = self.register.root / activity.source.path
        key = self.cache.key(self.context, activity.id, record.read_bytes(), self._formats())
        found, view = self.cache.get("activity", key, tuple), None
        if found is None:
            fresh = self._render(activity)
            view = fresh.view
            sections = pickle.dumps(view.sections)
            found = (dataclasses.replace(view, sections=()), sections, *fresh[1:])
            self.cache.put("activity", key, found)
        head, sections, table, html, md = found
        if self.docx:
            self._document(activity, view or _Lazy(head, sections), table, key)
        # Packed, the sections take a third of the memory and travel from a worker faster.
        return _Done(_Lazy(head, sections), table, html, md)

    def _formats(self) -> str:
        return "".join(str(int(t is not None)) for t in (self.docx, self.html, self.md))

    def _render(self, activity) -> _Done:
        from ropa_build.render.view import activity_view

        view = activity_view(self.register, activity, self.labels)
        context = {"activity": view, "labels": self.labels, "view": self.header}
        return _Done(
            view,
            self.docx.table(view, self.labels) if self.docx else None,
            block(self.html, "activity", **context) if self.html else None,
            block(self.md, "activity", **context) if self.md else None,
        )

    def _document(self, activity, view, table, key: str) -> None:
        """``activities/<id>.docx``, dated by its own record unless a date is given."""
        created = self.created or _day(activity.record.updated)
        dated = self.cache.key(key, created.isoformat())
        document = self.cache.get("docx", dated, bytes)
        if document is None:
            document = self.docx.activity(view, table, self.labels, created)
            self.cache.put("docx", dated, document)
        self.staging.put(f"activities/{activity.id}.docx", document)


class _Lazy:
    """An activity's view from the cache: the sections are unpickled only if a template asks.

    The built-in templates splice in each activity's cached block and never ask; a template
    without the block still works, just slower.
    """

    def __init__(self, head: Any, sections: bytes):
        self._head, self._sections = head, sections

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # pickle and copy probe for these; never the head's
            raise AttributeError(name)
        if name == "sections":
            self.__dict__["sections"] = pickle.loads(self._sections)
            return self.__dict__["sections"]
        return getattr(self._head, name)


def _inputs_digest(root: Path) -> str:
    """Every file besides the records that a rendered activity depends on."""
    files = [(name, root / name) for name in ("organisation.yaml", "catalogue.yaml")]
    for kind in ("templates", "schema"):
        for rank, folder in enumerate(search_path(root, kind)):  # the register's own first
            found = (p for p in folder.rglob("*") if "__pycache__" not in p.parts)
            files += [
                (f"{kind}/{rank}/{p.relative_to(folder).as_posix()}", p)
                for p in sorted(found)
                if p.is_file()
            ]
    return file_digest((name, path) for name, path in files if path.is_file())


def _day(day: dt.date | None) -> dt.datetime:
    return dt.datetime.combine(day or dt.date(1980, 1, 1), dt.time(), tzinfo=dt.UTC)


def languages(root: Path) -> list[str]:
    """Every language with a label file on the search path."""
    return sorted(
        {
            p.stem
            for folder in search_path(root, "templates")
            for p in (folder / "labels").glob("*.yaml")
        }
    )


def labels(root: Path, lang: str) -> dict:
    """The label file for ``lang``; a key missing compared with Danish is a user error."""
    if lang not in languages(root):
        raise UserError(
            [
                Problem(
                    f"labels/{lang}.yaml",
                    1,
                    1,
                    "unknown-language",
                    f"no labels for language '{lang}'",
                    f"use one of: {', '.join(languages(root))}, or add "
                    f"templates/labels/{lang}.yaml",
                )
            ]
        )
    found = load_data(root, "templates", f"labels/{lang}.yaml")
    missing = sorted(_missing(load_data(root, "templates", "labels/da.yaml"), found))
    if missing:
        path = str(find(root, "templates", f"labels/{lang}.yaml"))
        raise UserError(
            [
                Problem(
                    path,
                    1,
                    1,
                    "missing-label",
                    f"label '{key}' is missing",
                    "copy it from labels/da.yaml and translate it",
                )
                for key in missing
            ]
        )
    return found


def _missing(reference: dict, labels: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, value in reference.items():
        if key not in labels:
            keys.append(prefix + key)
        elif isinstance(value, dict) and isinstance(labels[key], dict):
            keys += _missing(value, labels[key], f"{prefix}{key}.")
    return keys
