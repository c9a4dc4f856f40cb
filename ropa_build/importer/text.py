"""Text as people type it in Word, made comparable (labels) and made Markdown (field values).

``normal`` is for matching only: Word documents differ from the template's wording in ways that
do not change the meaning — typographic quotes, non-breaking and doubled spaces, "Myndighedens/
virksomhedens" with or without the space, NFKC-equivalent characters. Values keep what was
written; ``markdown`` turns a cell's paragraphs into the Markdown subset records use, escaping
what Markdown would otherwise read as markup, so the built document shows the same text.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from ropa_build.importer.grid import Para, Run

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u00ad": "",
        "\u200b": "",
        "\ufeff": "",
    }
)
_TYPED_BULLET = re.compile(r"^\s*([-–•·*▪◦])\s+")
_MARKUP = re.compile(r"([\\*_\[\]<>])")  # a backtick is text to the build (no code spans)
_LIST_START = re.compile(r"^(\s*)([-+*]|\d{1,9}[.)])(\s)")
MARKS_ON = {"x", "X", "☒", "☑", "✓", "✔", "■", "⊠"}
MARKS_OFF = {"", "☐", "□", "-"}


def normal(text: str) -> str:
    """For comparing labels: NFKC, plain quotes and dashes, single spaces, '/ ' as '/', lower."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = re.sub(r"\s*/\s*", "/", text)
    return " ".join(text.split()).casefold().strip(" :.")


def best(text: str, choices: dict[str, str], cutoff: float) -> tuple[str | None, float]:
    """The key whose text is most like ``text`` (exact after normalising wins outright)."""
    return _best(normal(text), _normalised(choices), cutoff)


_CHOICES: dict[int, tuple[dict, tuple[tuple[str, str], ...]]] = {}


def _normalised(choices: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The choices normalised once (a label set is asked about for every row of a register)."""
    held = _CHOICES.get(id(choices))
    if held is None or held[0] is not choices:
        held = (choices, tuple((key, normal(value)) for key, value in choices.items()))
        _CHOICES[id(choices)] = held
    return held[1]


@lru_cache(maxsize=65536)
def _best(
    wanted: str, choices: tuple[tuple[str, str], ...], cutoff: float
) -> tuple[str | None, float]:
    """Registers repeat their labels on every activity: each distinct text is compared once."""
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(wanted)
    top, score = None, 0.0
    for key, choice in choices:
        if choice == wanted:
            return key, 1.0
        matcher.set_seq1(choice)
        floor = max(score, cutoff)
        if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
            continue
        ratio = matcher.ratio()
        if ratio > score:
            top, score = key, ratio
    return (top, score) if score >= cutoff else (None, score)


def mark(text: str) -> bool | None:
    """A typed checklist mark: True, False (empty or an empty box), None (not a mark)."""
    value = text.strip()
    if value in MARKS_ON:
        return True
    if value in MARKS_OFF:
        return False
    return None


def plain_lines(paras: Iterable[Para]) -> list[str]:
    """The cell's lines of text (a paragraph or a line break ends one), stripped, non-empty."""
    out = []
    for para in paras:
        out += [line.strip() for line in para.text.replace("\t", " ").split("\n")]
    return [line for line in out if line]


def markdown(paras: list[Para]) -> str:
    """Paragraphs as Markdown: lists (Word's or typed bullets), links and line breaks kept."""
    blocks: list[str] = []
    for para in paras:
        kind, level, runs = para.list, para.level, para.runs
        typed = _TYPED_BULLET.match(para.text) if kind is None else None
        if typed:
            kind, runs = "bullet", drop(runs, typed.end())
        body = _inline(runs).strip()
        if not body:
            continue
        if kind:
            marker = "-" if kind == "bullet" else "1."
            indent = "  " * level if kind == "bullet" else "   " * level
            item = f"{indent}{marker} " + body.replace("\n", "\n" + indent + "  ")
            if blocks and blocks[-1].lstrip().startswith(("- ", "1. ")) and blocks[-1] != "":
                blocks[-1] += "\n" + item
                continue
            blocks.append(item)
        else:
            blocks.append(body)
    return "\n\n".join(blocks).strip()


def drop(runs: list[Run], count: int) -> list[Run]:
    """``runs`` without their first ``count`` characters (a typed bullet, a label)."""
    out = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(Run(run.text[count:], run.href, run.bold, run.italic))
        count = 0
    return out


def _inline(runs: list[Run]) -> str:
    """Runs as inline Markdown: bold as **…**, italic as *…*, links as [text](<href>), the rest
    escaped."""
    parts: list[str] = []
    groups: list[tuple[str | None, bool, bool, str]] = []
    for run in runs:
        text = run.text.replace("\t", " ")
        if groups and groups[-1][:3] == (run.href, run.bold, bool(run.italic)):
            groups[-1] = (*groups[-1][:3], groups[-1][3] + text)
        else:
            groups.append((run.href, run.bold, bool(run.italic), text))
    for href, bold, italic, text in groups:
        piece = _escape(text)
        if href and _safe_href(href):
            address = href[7:] if href.lower().startswith("mailto:") else href
            # an autolink shows its address decoded ("%C3%A5" as "å"): one with "%" keeps its text
            same = text.strip() in (href, address) and "%" not in href
            piece = f"<{href}>" if same else f"[{piece}](<{href}>)"
            if text.strip() in (href, address) and href.lower().startswith("mailto:"):
                piece = f"<{address}>"
        for on, mark in ((italic, "*"), (bold, "**")):
            if on and text.strip():
                lead, core, tail = _split_space(piece)
                piece = f"{lead}{mark}{core}{mark}{tail}"
        parts.append(piece)
    text = "".join(parts)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(_guard(line) for line in lines)


def _guard(line: str) -> str:
    """A line that Markdown would read as a list item stays text: '1. ' → '1\\. '."""
    found = _LIST_START.match(line)
    if not found:
        return line
    marker = found.group(2)
    escaped = marker[:-1] + "\\" + marker[-1] if marker[-1] in ".)" else "\\" + marker
    return found.group(1) + escaped + line[found.end(2) :]


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.find(core)
    return text[:start], core, text[start + len(core) :]


def _escape(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text)


def _safe_href(href: str) -> bool:
    return href.lower().startswith(("http://", "https://", "mailto:")) and not any(
        c.isspace() or c in "<>" for c in href
    )
