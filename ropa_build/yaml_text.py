"""What can be wrong with a YAML file's text before its data can be read: its encoding, control
characters Word cannot hold or that would shift every later line number, and a syntax error told
in words a process owner understands (an unclosed quote is named where it opens, not where the
parser gave up)."""

from __future__ import annotations

import re

import yaml

from ropa_build.errors import Problem

# Characters XML 1.0 (and so Word) cannot hold, plus lone surrogates; also DEL and the C1
# controls (XML discourages them; they are mojibake from a Windows-1252 mix-up) and U+2028/U+2029,
# which YAML counts as line breaks while editors do not, so every later line number would be off.
# Bidirectional controls (U+202A–U+202E, U+2066–U+2069) and zero-width characters stay: right-to-
# left scripts need them, and the documents show them as written (tests/hostile/
# right-to-left-override: the PDF prints what the editor shows).
INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def decode(raw: bytes, display: str) -> tuple[str, Problem | None]:
    """UTF-8 only (a BOM is allowed and dropped); an invalid byte is reported where it is."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        return "", Problem(
            display,
            line,
            column,
            "invalid-utf8",
            f"byte 0x{raw[error.start]:02x} is not valid UTF-8",
            "save the file as UTF-8 (in VS Code: 'Save with Encoding')",
        )


def invisible_characters(text: str, display: str) -> list[Problem]:
    """Report raw control characters at their place (libyaml would only give an offset)."""
    problems = []
    for match in INVISIBLE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - text.rfind("\n", 0, match.start())
        problems.append(
            Problem(
                display,
                line,
                column,
                "control-character",
                f"the invisible character U+{ord(match.group()):04X} cannot appear "
                "in a record (nor in a Word document)",
                "delete it (it often comes with copy-paste from another program)",
            )
        )
    return problems


def syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """Point at the cause a user can fix, not where libyaml gave up (often lines later)."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = error.problem or "invalid YAML"
    lines = text.splitlines()
    current = lines[line - 1] if line <= len(lines) else ""
    opened = _open_quote(error, text)
    if opened:
        line, column = opened
        what = "this quoted text is not closed on its line"
        hint = "add the closing quote (for a long text use `|` and indent it below the key)"
    elif current[column - 1 : column] == "\t" or "tab" in what:
        what = "a tab character where YAML expects indentation"
        hint = "YAML indents with spaces only — replace the tab with spaces"
    elif "escape" in what or "hexdecimal" in what:
        column = current.rfind("\\", 0, column) + 1 or column
        if "Unicode" in what:
            what = "this escape is not a character (\\ud800–\\udfff are halves of a pair)"
            hint = "write the character itself instead of the escape"
        else:
            what = "in double quotes a backslash starts an escape such as \\n or \\u00e6"
            hint = "write \\\\ for a backslash, or put the text in single quotes"
    else:
        hint = "check the indentation and quoting around this place"
    return Problem(display, line, column, "yaml-syntax", what, hint)


def _open_quote(error: yaml.MarkedYAMLError, text: str) -> tuple[int, int] | None:
    """Where an unclosed quote opened: libyaml either reaches the end of the file inside it, or
    a later quote closes it and the error appears on that later line."""
    if "quoted scalar" in str(error.context or "") and "end of stream" in str(error.problem):
        mark = error.context_mark
        return (mark.line + 1, mark.column + 1) if mark else None
    problem = error.problem_mark
    if problem is None:
        return None
    spanning = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if token.start_mark.index >= problem.index:
                break
            if getattr(token, "style", None) in ('"', "'") and (
                token.start_mark.line < token.end_mark.line == problem.line
            ):
                spanning = token.start_mark
    except yaml.MarkedYAMLError:
        pass
    return (spanning.line + 1, spanning.column + 1) if spanning else None
