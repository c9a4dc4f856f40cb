"""The words of the documents: one label file per language, built in, overridable key by key.

A register changes a label by putting ``templates/labels/<lang>.yaml`` in its own folder with only
the keys it changes; they are merged over the built-in file of that language, key by key at every
depth (a register that renames one section must not have to copy two hundred others). A language
with no built-in file is merged over nothing, so it must give every key that Danish — the
reference language, verbatim from Datatilsynet's template — gives.

Label files are user input like records: a key that is not text where text is expected, or a key
the documents do not know, is reported at its line, never a traceback in the middle of a build.

A data category the register adds (:mod:`ropa_build.vocabulary`) is named in the label files too,
under ``categories`` (the checklist line) and ``categories_short`` (in a recipient's list): those
keys are known labels, and a category without them in a language is an error at the category's
line in ``schema/data-categories.yaml``.
"""

from __future__ import annotations

import string
from pathlib import Path

from ropa_build.errors import Problem, UserError, did_you_mean
from ropa_build.resources import BUILT_IN, display_path, search_path
from ropa_build.source import Source, read_yaml
from ropa_build.vocabulary import category_sources

REFERENCE = "da"
#: The label groups that name each data category.
CATEGORY_GROUPS = ("categories", "categories_short")


def languages(root: Path) -> list[str]:
    """Every language with a label file on the search path."""
    return sorted(
        {
            p.stem
            for folder in search_path(root, "templates")
            for p in (folder / "labels").glob("*.yaml")
        }
    )


def load_labels(root: Path, lang: str) -> dict:
    """The labels for ``lang``: the register's own keys over the built-in ones."""
    known = languages(root)
    if lang not in known:
        raise UserError(
            [
                Problem(
                    f"templates/labels/{lang}.yaml",
                    1,
                    1,
                    "unknown-language",
                    f"no labels for language '{lang}'",
                    f"use one of: {', '.join(known)}, or add templates/labels/{lang}.yaml",
                )
            ]
        )
    reference = _read(BUILT_IN["templates"] / "labels" / f"{REFERENCE}.yaml", str(REFERENCE))
    sources = category_sources(root)
    own_categories = sources[-1] if len(sources) > 1 and sources[-1].data else None
    allowed = dict(reference.data)  # the keys a register's label file may give
    if own_categories is not None:
        for group in CATEGORY_GROUPS:
            allowed[group] = {**dict.fromkeys(own_categories.data, ""), **allowed[group]}
    built_in_path = BUILT_IN["templates"] / "labels" / f"{lang}.yaml"
    merged = _read(built_in_path, lang).data if built_in_path.is_file() else {}
    problems: list[Problem] = []
    for folder in reversed(search_path(root, "templates")[:-1]):  # the register's own
        path = folder / "labels" / f"{lang}.yaml"
        if path.is_file():
            own = _read(path, display_path(root, path))
            problems += _unknown(own, allowed, own.data, ())
            merged = _merge(merged, own.data)
    missing = _missing(reference.data, merged)
    if missing:
        shown = display_path(root, _own_path(root, lang) or built_in_path)
        problems += [
            Problem(
                shown,
                1,
                1,
                "missing-label",
                f"label '{key}' is missing",
                f"copy it from the built-in labels/{REFERENCE}.yaml and translate it",
            )
            for key in missing
        ]
    if own_categories is not None:
        problems += _unnamed_categories(own_categories, merged, lang)
    if problems:
        raise UserError(problems)
    return merged


def _unnamed_categories(categories: Source, labels: dict, lang: str) -> list[Problem]:
    """The register's own categories that ``lang``'s labels do not name (the build would have
    no text for their checklist line)."""
    problems = []
    for category in categories.data:
        missing = [g for g in CATEGORY_GROUPS if category not in labels.get(g, {})]
        if missing:
            keys = " and ".join(f"{group}.{category}" for group in missing)
            problems.append(
                categories.problem(
                    (category,),
                    "missing-label",
                    f"data category '{category}' has no label in language '{lang}'",
                    f"add {keys} to templates/labels/{lang}.yaml",
                    key=True,
                )
            )
    return problems


def _read(path: Path, display: str) -> Source:
    source, problems = read_yaml(path, display)
    if problems:
        raise UserError(problems)
    if not isinstance(source.data, dict):
        raise UserError(
            [
                Problem(
                    display,
                    1,
                    1,
                    "wrong-type",
                    "a label file must be a mapping of keys to texts",
                    "write `key: text` lines, as in the built-in labels",
                )
            ]
        )
    return source


def _merge(base: dict, own: dict) -> dict:
    merged = dict(base)
    for key, value in own.items():
        inner = merged.get(key)
        merged[key] = (
            _merge(inner, value) if isinstance(inner, dict) and isinstance(value, dict) else value
        )
    return merged


def _unknown(source: Source, reference: dict, own: dict, loc: tuple) -> list[Problem]:
    """Keys the documents never read (a typo would silently change nothing), and a text given
    where the reference has a group of keys, or the other way round."""
    problems = []
    for key, value in own.items():
        here = (*loc, key)
        if key not in reference:
            hint = did_you_mean(str(key), [str(k) for k in reference], "remove it")
            problems.append(
                source.problem(here, "unknown-label", f"unknown label '{key}'", hint, key=True)
            )
        elif isinstance(reference[key], dict) != isinstance(value, dict):
            what = "a group of labels" if isinstance(reference[key], dict) else "a text"
            problems.append(
                source.problem(
                    here,
                    "wrong-type",
                    f"label '{key}' must be {what}",
                    f"see the built-in labels/{REFERENCE}.yaml",
                )
            )
        elif isinstance(value, dict):
            problems += _unknown(source, reference[key], value, here)
        elif isinstance(reference[key], str):
            problems += _text(source, here, key, reference[key], value)
    return problems


def _text(source: Source, here: tuple, key: str, reference: str, value: object) -> list[Problem]:
    """A text where the reference has one; where the reference has placeholders (it is
    filled in), no placeholder the documents do not fill in (``{titl}`` for ``{title}`` would
    stop the build) and no unclosed brace."""
    if not isinstance(value, str):
        return [
            source.problem(
                here,
                "wrong-type",
                f"label '{key}' must be a text",
                f'write it in quotes, e.g. {key}: "{reference}"',
            )
        ]
    known = _fields(reference)
    if not known:  # printed as it is: any brace is text
        return []
    given = _fields(value)
    if given is None:
        return [
            source.problem(
                here,
                "bad-label",
                f"label '{key}' has a brace that does not close",
                "write a literal brace as {{ or }}; its placeholders are "
                + ", ".join(f"{{{f}}}" for f in sorted(known)),
            )
        ]
    return [
        source.problem(
            here,
            "bad-label",
            f"label '{key}' has the placeholder {{{name}}}, which is not filled in here",
            did_you_mean(name, sorted(known), "")
            or "use " + ", ".join(f"{{{f}}}" for f in sorted(known)),
        )
        for name in sorted(given - known)
    ]


def _fields(text: str) -> set[str] | None:
    """The placeholders of a format string ("{label} (fortsat)" → {"label"}); None if it is
    not one (an unclosed brace)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return None


def _missing(reference: dict, labels: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, value in reference.items():
        if key not in labels:
            keys.append(prefix + key)
        elif isinstance(value, dict) and isinstance(labels[key], dict):
            keys += _missing(value, labels[key], f"{prefix}{key}.")
    return keys


def _own_path(root: Path, lang: str) -> Path | None:
    for folder in search_path(root, "templates")[:-1]:
        if (folder / "labels" / f"{lang}.yaml").is_file():
            return folder / "labels" / f"{lang}.yaml"
    return None
