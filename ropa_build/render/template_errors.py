"""Template mistakes said in the template author's words.

Jinja reports an unclosed block where the file ends ("Unexpected end of template") and a missing
attribute by the Python type it was looked up on (``'ropa_build.render.view.RegisterView object'
has no attribute 'titel'``). A user who copied a template to change a heading knows neither the
end of the file nor our classes; they know the tag they opened and the names in the template. So:

- :func:`unclosed_block` finds the tag that opened the block still open where Jinja gave up;
- :class:`Undefined` words a missing field without Python types, and :func:`describe_undefined`
  makes the expression the template itself wrote on that line (``activity``, ``labels.document``)
  its subject and names the closest field there is ("did you mean 'title'?").
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

import jinja2

from ropa_build.errors import did_you_mean

#: Tags that open a block closed by ``end<tag>`` (``set`` only without ``=``: a block set).
_BLOCK_TAGS = frozenset(
    {"for", "if", "block", "macro", "call", "filter", "with", "autoescape", "trans", "set"}
)


def unclosed_block(
    env: jinja2.Environment, source: str, error: jinja2.TemplateSyntaxError
) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) about the innermost block left open where ``error``
    happened; None if the error is of another kind."""
    if "innermost block that needs to be closed" not in (error.message or ""):
        return None
    try:
        tokens = list(env.lex(source))
    except jinja2.TemplateSyntaxError:
        return None
    stack: list[tuple[str, int, int]] = []  # (tag, line, nth such tag on the line)
    closing: tuple[str, int] | None = None
    seen: dict[tuple[str, int], int] = {}
    for i, (line, kind, _) in enumerate(tokens):
        if kind != "block_begin":
            continue
        name = _tag(tokens, i)
        if name is None:
            continue
        nth = seen[(name, line)] = seen.get((name, line), 0) + 1
        if name in _BLOCK_TAGS and not (name == "set" and _assigns(tokens, i)):
            stack.append((name, line, nth))
        elif name.startswith("end"):
            if stack and stack[-1][0] == name[3:]:
                stack.pop()
            else:
                closing = (name, line)
                break
    if not stack:
        return None
    tag, line, nth = stack[-1]
    column = _column(source, line, tag, nth)
    hint = f"add '{{% end{tag} %}}' where the {tag} block should end"
    if closing is None:
        return line, column, f"'{{% {tag} %}}' is never closed", hint
    found, at = closing
    message = f"'{{% {tag} %}}' is not closed before '{{% {found} %}}' on line {at}"
    return line, column, message, hint


def _tag(tokens: list[tuple[int, str, str]], begin: int) -> str | None:
    for _, kind, value in tokens[begin + 1 :]:
        if kind == "whitespace":
            continue
        return value if kind == "name" else None
    return None


def _assigns(tokens: list[tuple[int, str, str]], begin: int) -> bool:
    """Whether the ``set`` tag at ``begin`` assigns (``{% set x = 1 %}``), i.e. is no block."""
    for _, kind, value in tokens[begin + 1 :]:
        if kind == "block_end":
            return False
        if kind == "operator" and value == "=":
            return True
    return False


def _column(source: str, line: int, tag: str, nth: int) -> int:
    lines = source.splitlines()
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    found = list(re.finditer(r"\{%[-+]?\s*" + re.escape(tag) + r"\b", text))
    return found[nth - 1].start() + 1 if len(found) >= nth else 1


class _Missing(str):
    """Jinja's message for a missing field, carrying what was looked up on what."""

    obj: Any
    name: Any


class Undefined(jinja2.StrictUndefined):
    """StrictUndefined (a misspelt name fails the build instead of printing a blank into a legal
    document) whose message names fields, not Python types."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        obj, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or obj is jinja2.utils.missing:
            return super()._undefined_message
        what, _ = _members(obj)
        text = _Missing(f"{_type_words(obj)} has no {what} {name!r}")
        text.obj, text.name = obj, name
        return text


def _members(obj: Any) -> tuple[str, list[str]]:
    """What ``obj`` has ('key', 'element', 'field') and the names of those a template can use."""
    if isinstance(obj, dict):
        return "key", [str(key) for key in obj]
    if isinstance(obj, list | tuple):
        return "element", []
    names = [f.name for f in dataclasses.fields(obj)] if dataclasses.is_dataclass(obj) else []
    names += [n for n in dir(type(obj)) if not n.startswith("_") and n not in names]
    return "field", names


def _type_words(obj: Any) -> str:
    """A value in plain words, for when the template's own expression cannot be found."""
    if isinstance(obj, dict):
        return "this mapping"
    if isinstance(obj, list | tuple):
        return "this list"
    return "this " + re.sub(r"(?<!^)(?=[A-Z])", " ", type(obj).__name__).lower()


def describe_undefined(
    error: jinja2.UndefinedError, line_text: str, variables: list[str]
) -> tuple[str, int, str]:
    """(message, column, hint) for ``error`` on a line reading ``line_text``: the template's
    own expression as the subject when the line shows it (``activity.titel`` → "activity has
    no field 'titel'"), and the closest name there is (of the value's fields, or of the
    template's ``variables``)."""
    message = error.message or str(error)
    otherwise = "fix the template, or restore the built-in one"
    if not isinstance(message, _Missing):
        missing = re.fullmatch(r"'(\w+)' is undefined", message)
        if missing is None:
            return message, 1, otherwise
        name = missing.group(1)
        column = line_text.find(name) + 1 or 1
        hint = did_you_mean(name, variables, f"the variables here are: {', '.join(variables)}")
        return f"there is no variable '{name}' here", column, hint
    what, choices = _members(message.obj)
    hint = did_you_mean(str(message.name), choices, otherwise) if choices else otherwise
    name = re.escape(str(message.name))
    pattern = (
        r"([A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*|\[[^\]]*\])*)"
        rf"(?:\s*\.\s*{name}\b|\[\s*['\"]?{name}['\"]?\s*\])"
    )
    match = re.search(pattern, line_text)
    if match is None:
        return str(message), 1, hint
    subject = re.sub(r"\s+", "", match.group(1))
    return f"{subject} has no {what} {message.name!r}", match.start() + 1, hint
