"""Stage 4: render the validated register into every requested format, in memory.

Nothing is written here: the write stage puts all outputs in place at once, so a template error
in the last format cannot leave the first one half-updated.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ropa_build.errors import Problem, UserError
from ropa_build.resources import find, load_data, search_path
from ropa_build.validate import Register

FORMATS = ("docx", "md", "html")


def render(
    register: Register, formats: tuple[str, ...], lang: str, created: dt.datetime
) -> dict[str, bytes]:
    """Output path → bytes for each format in ``formats``, with labels in ``lang``."""
    from ropa_build.render.docx import render_docx
    from ropa_build.render.html import render_html
    from ropa_build.render.markdown import render_markdown
    from ropa_build.render.view import register_view

    view = register_view(register, labels(register.root, lang), lang)
    outputs: dict[str, bytes] = {}
    if "docx" in formats:
        outputs.update(render_docx(view, register.root, created))
    if "md" in formats:
        outputs["register.md"] = render_markdown(view, register.root)
    if "html" in formats:
        outputs["register.html"] = render_html(view, register.root)
    return outputs


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
