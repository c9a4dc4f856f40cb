"""The Jinja environment every format renders with, and template errors as user errors.

A misspelt variable in a template fails the build instead of printing a blank into a legal
document (:class:`~ropa_build.render.template_errors.Undefined`, which also says what was missing
in the template's own words). Templates are looked up in the register's own ``templates/`` first
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
from ropa_build.render.template_errors import Undefined, describe_undefined, unclosed_block
from ropa_build.resources import search_path


def environment(root: Path, *, autoescape: bool, filters: dict[str, Any]) -> jinja2.Environment:
    """A fresh environment per build (no module-level cache: builds must not share state)."""
    folders = [str(folder) for folder in search_path(root, "templates")]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        autoescape=autoescape,
        undefined=Undefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update({name: _strict(function) for name, function in filters.items()})
    return env


def _strict(function: Callable[..., Any]) -> Callable[..., Any]:
    """Our filters are Python: given a missing value they would fail with a TypeError far from
    the template; this reports the missing value itself (``activity.titel | md``)."""

    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, jinja2.Undefined):
            value._fail_with_undefined_error()
        return function(value, *args, **kwargs)

    return checked


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
        line, column = error.lineno or 1, 1
        message, hint = (
            error.message or "syntax error",
            "fix the template (see the Jinja documentation)",
        )
        block = unclosed_block(env, error.source or "", error) if error.source else None
        if block is not None:
            line, column, message, hint = block
        raise UserError(
            [Problem(error.filename or name, line, column, "template-syntax", message, hint)]
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
    yield from _errors_named(tmpl, tmpl.root_render_func(run), list(context))


def block(tmpl: jinja2.Template, name: str, **context: Any) -> str | None:
    """The template's block ``name`` rendered on its own; None if the template has no such block."""
    if name not in tmpl.blocks:
        return None
    return "".join(_errors_named(tmpl, tmpl.blocks[name](tmpl.new_context(context)), list(context)))


def _errors_named(
    tmpl: jinja2.Template, pieces: Iterator[str], variables: list[str]
) -> Iterator[str]:
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
        message, column, hint = str(error), 1, "fix the template, or restore the built-in one"
        if isinstance(error, jinja2.UndefinedError):
            message, column, hint = describe_undefined(error, _line(path, line), variables)
        raise UserError([Problem(path, line, column, "template-error", message, hint)]) from None


def _line(path: str, line: int) -> str:
    """The template's text on ``line`` (empty if the file cannot be read again)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return ""
    return lines[line - 1] if 0 < line <= len(lines) else ""
