"""The Jinja environment every format renders with, and template errors as user errors.

``StrictUndefined``: a misspelt variable in a template fails the build instead of printing a
blank into a legal document. Templates are looked up in the register's own ``templates/`` first
and the built-ins last, so a user overrides one file without copying the rest. Record text only
ever reaches a template as data, never as template source, so ``{{ 7*7 }}`` in a record stays
literally that.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2

from ropa_build.errors import Problem, UserError
from ropa_build.resources import search_path


def environment(root: Path, *, autoescape: bool, filters: dict[str, Any]) -> jinja2.Environment:
    """A fresh environment per build (no module-level cache: builds must not share state)."""
    folders = [str(folder) for folder in search_path(root, "templates")]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update(filters)
    return env


def template(env: jinja2.Environment, name: str) -> jinja2.Template:
    """Load a template; a syntax error or a missing file is reported with where it was."""
    try:
        return env.get_template(name)
    except jinja2.TemplateNotFound:
        searched = ", ".join(env.loader.searchpath)  # type: ignore[union-attr]
        raise UserError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "template-missing",
                    f"template '{name}' not found",
                    f"searched {searched}",
                )
            ]
        ) from None
    except jinja2.TemplateSyntaxError as error:
        raise UserError(
            [
                Problem(
                    error.filename or name,
                    error.lineno or 1,
                    1,
                    "template-syntax",
                    error.message or "syntax error",
                    "fix the template (see the Jinja documentation)",
                )
            ]
        ) from None


def render(tmpl: jinja2.Template, **context: Any) -> str:
    """Render; a template's runtime error names the template file and line."""
    return "".join(stream(tmpl, **context))


Pieces = dict[str, Callable[[Any], str]]  # block name → its text, given the block's context


def stream(tmpl: jinja2.Template, *, pieces: Pieces | None = None, **context: Any) -> Iterator[str]:
    """Render piece by piece, so a register-sized output never has to be one string.

    ``pieces``: for a block of the template, a function from the block's context to its text
    already rendered (see :func:`block`) — a build renders each activity's block once, caches
    it, and splices it in here instead of rendering it again.
    """
    run = tmpl.new_context(context)
    for name, piece in (pieces or {}).items():
        if name in run.blocks:
            run.blocks[name] = [lambda block, piece=piece: iter((piece(block),))]
    yield from _errors_named(tmpl, tmpl.root_render_func(run))


def block(tmpl: jinja2.Template, name: str, **context: Any) -> str | None:
    """The template's block ``name`` rendered on its own; None if the template has no such block."""
    if name not in tmpl.blocks:
        return None
    return "".join(_errors_named(tmpl, tmpl.blocks[name](tmpl.new_context(context))))


def _errors_named(tmpl: jinja2.Template, pieces: Iterator[str]) -> Iterator[str]:
    try:
        try:
            yield from pieces
        except Exception:
            tmpl.environment.handle_exception()  # re-raises with the template's own lines
    except (jinja2.UndefinedError, jinja2.TemplateError) as error:
        path, line = tmpl.filename or tmpl.name or "template", 1
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename.endswith(".j2"):
                path, line = frame.filename, frame.lineno or 1
        raise UserError(
            [
                Problem(
                    path,
                    line,
                    1,
                    "template-error",
                    str(error),
                    "fix the template, or restore the built-in one",
                )
            ]
        ) from None
