"""The benchmark's peers: what other tools spend making a DOCX of the same content.

Why peers: a wall time alone says little on a shared 2-core machine; "ropa build --format docx is
N× faster than docxtpl making one document of the same records" travels between machines.

* **docxtpl** (python-docx-template, a dev dependency): one document, one heading and one
  two-column table per activity, a row per field (~18 per activity) holding the field's text.
  The template is built here with python-docx (no binary file in the repository); the timed
  process reads the same YAML files (libyaml ``CSafeLoader``), renders and saves — the same
  start and end as ``ropa build --format docx``. Run as ``python bench_peers.py docxtpl ROOT
  TEMPLATE OUT``. The text is plain (line breaks kept, no Markdown): docxtpl has no Markdown.
* **pandoc**: converts our own ``register.md`` (GFM) to DOCX, so it does the whole layout's
  work from our Markdown; ``None`` where pandoc is not installed (``.ci/run`` installs it from
  Debian).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

TABLE_STYLE = "Table Grid"


def docxtpl_template(path: Path) -> Path:
    """Write the docxtpl template: per activity a heading and a table of label/text rows.

    ``{%p …%}`` and ``{%tr …%}`` are docxtpl's paragraph- and row-level tags: the paragraph or
    table row holding one is replaced by the Jinja tag, so the loop repeats the heading and
    table, and the middle row once per field.
    """
    from docx import Document

    document = Document()
    document.add_heading("Fortegnelse over behandlingsaktiviteter", level=1)
    document.add_paragraph("{%p for activity in activities %}")
    document.add_heading("{{ activity.title }}", level=2)
    table = document.add_table(rows=3, cols=2)
    table.style = TABLE_STYLE
    table.cell(0, 0).text = "{%tr for row in activity.rows %}"
    table.cell(1, 0).text = "{{ row.label }}"
    table.cell(1, 1).text = "{{ row.text }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    document.add_paragraph("{%p endfor %}")
    document.save(path)
    return path


def rows(record: dict) -> list[dict]:
    """A record as label/text rows: a top-level field is a row, a mapping's keys each a row
    (``data_subjects · groups``), lists and nested mappings flattened to lines of text; the
    title is the heading instead."""
    out = []
    for key, value in record.items():
        if key == "title":  # the heading above the table
            continue
        if isinstance(value, dict):
            out += [{"label": f"{key} · {sub}", "text": _text(v)} for sub, v in value.items()]
        else:
            out.append({"label": key, "text": _text(value)})
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value).strip()


def run_docxtpl(root: Path, template: Path, out: Path) -> int:
    """Read the register's records and render them into one document; returns the row count.

    Record text goes in as data (``Listing``: escaped, line breaks kept) with autoescape on,
    never as template source.
    """
    import yaml
    from docxtpl import DocxTemplate, Listing

    activities, count = [], 0
    for path in sorted((root / "records").glob("*.yaml")):
        record = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        table = [{"label": r["label"], "text": Listing(r["text"])} for r in rows(record)]
        activities.append({"title": str(record.get("title", path.stem)), "rows": table})
        count += len(table)
    document = DocxTemplate(template)
    document.render({"activities": activities}, autoescape=True)
    document.save(out)
    return count


def docxtpl_rows(root: Path) -> float:
    """Rows per activity in the docxtpl document (the table's size, for the report)."""
    import yaml

    paths = sorted((root / "records").glob("*.yaml"))
    total = sum(len(rows(yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader))) for p in paths)
    return total / max(len(paths), 1)


def pandoc_command(markdown: Path, out: Path) -> list[str] | None:
    """``pandoc`` converting our ``register.md`` to DOCX, or ``None`` where pandoc is absent."""
    pandoc = shutil.which("pandoc")
    if not pandoc:
        return None
    return [pandoc, "--from", "gfm", "--to", "docx", "--output", str(out), str(markdown)]


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] != "docxtpl":
        raise SystemExit("usage: python bench_peers.py docxtpl ROOT TEMPLATE OUT")
    run_docxtpl(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
