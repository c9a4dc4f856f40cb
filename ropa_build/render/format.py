"""The seam every output format plugs into: what it makes per activity, and how it assembles.

A format is one class (Sphinx's builders and scriv's formats are shaped the same way):

* :meth:`Format.piece` — the activity's share of the register-wide files, made in a worker
  process from the activity's view; it must pickle, because the runner caches it and spills it
  to disk instead of holding ten thousand of them in memory;
* :meth:`Format.files` — the files the activity has of its own (``activities/<id>.docx``);
* :meth:`Format.summary` — the little of a piece the assembly needs up front (kept in memory for
  every activity; a DOCX needs its tables' list counts and links before it streams the tables);
* :meth:`Format.assemble` — the register-wide files, from the register's view and the pieces in
  order, streamed: for a document once per role's register (Art. 30(1) and 30(2) are two
  records), for an export (``per_role = False``) once over every activity.

The runner (:mod:`ropa_build.render`) owns caching, worker processes, spilling and writing; a
format never sees them, and views, templates and pieces are plain data. A format's constructor
runs once in the parent, before any worker starts, so a broken template or reference document is
reported once, as a user error, and workers start with it loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import jinja2

from ropa_build.render.templating import block, environment, stream, template
from ropa_build.render.view import ActivityView, RegisterView
from ropa_build.validate import Activity, Register

Output = tuple[str, bytes | Iterable[str]]  # a file's name in the output and its bytes or text


@dataclass(frozen=True)
class Job:
    """What every format of one build shares, read once in the parent."""

    register: Register
    labels: dict
    view: RegisterView  # a register's own lines (in a block: no activities, either role's title)
    created: dt.datetime | None  # fixed document dates (SOURCE_DATE_EPOCH); None: the records'


class Format:
    """One output format; subclasses set ``name`` and override what they make."""

    name: ClassVar[str]
    #: Assembled once per role's register (the documents: register.*, register-processor.*),
    #: or once over every activity (an export, which sorts activities into its own files).
    per_role: ClassVar[bool] = True
    #: The format whose register-wide files this one's assembly writes too, made better: the pdf
    #: format writes register.docx with its page numbers. When both are built, the runner skips
    #: that format's assembly (its per-activity files are still its own), so a file has one maker.
    supersedes: ClassVar[str | None] = None
    #: Tried on one activity by ``ropa check`` when a register has its own templates (a format
    #: that needs an outside program, or whose templates another format tries, says False).
    trial: ClassVar[bool] = True

    def __init__(self, job: Job) -> None:
        self.job = job

    def piece(self, activity: Activity, view: ActivityView) -> Any:
        raise NotImplementedError

    def files(self, activity: Activity, view: ActivityView, piece: Any) -> Iterable[Output]:
        return ()

    def summary(self, piece: Any) -> Any:
        return None

    def assemble(
        self, view: RegisterView, pieces: Sequence[Any], summaries: Sequence[Any]
    ) -> Iterable[Output]:
        raise NotImplementedError

    def made_with(self) -> str:
        """What else its register-wide files depend on, for their cache key: the version of an
        outside program that lays them out (the pdf format's LibreOffice)."""
        return ""


class TemplateFormat(Format):
    """A format that is one Jinja template of the whole register (Markdown, HTML).

    Its ``activity`` block is rendered alone per activity (the piece) and spliced into the
    register when it is assembled. A template without that block gets each activity's whole
    view instead, read back from the spill one at a time as the template reaches it.
    """

    template_name: ClassVar[str]
    suffix: ClassVar[str]  # of the file written: ``<stem><suffix>``, e.g. register.md
    autoescape: ClassVar[bool]

    def __init__(self, job: Job) -> None:
        super().__init__(job)
        env = environment(job.register.root, autoescape=self.autoescape, filters=self.filters())
        self.template: jinja2.Template = template(env, self.template_name)
        self.has_block = "activity" in self.template.blocks

    def filters(self) -> dict[str, Any]:
        return {}

    def piece(self, activity: Activity, view: ActivityView) -> Any:
        if not self.has_block:
            return view
        context = {"activity": view, "labels": self.job.labels, "view": self.job.view}
        return block(self.template, "activity", **context)

    def assemble(
        self, view: RegisterView, pieces: Sequence[Any], summaries: Sequence[Any]
    ) -> Iterator[Output]:
        if not self.has_block:
            view = dataclasses.replace(view, activities=pieces)
            yield view.stem + self.suffix, stream(self.template, view=view, labels=view.labels)
            return
        place = {head.id: i for i, head in enumerate(view.activities)}
        spliced = {"activity": lambda context: pieces[place[context["activity"].id]]}
        yield (
            view.stem + self.suffix,
            stream(self.template, pieces=spliced, view=view, labels=view.labels),
        )
