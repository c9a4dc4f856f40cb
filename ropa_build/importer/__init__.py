"""``ropa import``: registers written in Datatilsynet's Word template, read into YAML records.

Three stages, one module each: :mod:`.grid` reads a .docx safely into paragraphs and table grids,
:mod:`.mapping` (with :mod:`.build` and :mod:`.fields`) recognises the rows by their labels and
assembles records, :mod:`.write` writes the register and the import report.
"""

from __future__ import annotations

from pathlib import Path

from ropa_build.errors import UserError
from ropa_build.importer.build import Catalogue
from ropa_build.importer.grid import Changes, read_grid
from ropa_build.importer.labels import load_labels
from ropa_build.importer.mapping import map_document
from ropa_build.importer.write import Plan, plan


def import_documents(files: list[Path], into: Path, changes: Changes = "refuse") -> Plan:
    """What importing ``files`` (in order) into the register folder ``into`` would write.

    Every file is read before anything is written, so one run reports the problems of all.
    """
    from ropa_build.vocabulary import load_vocabulary

    labels = load_labels(into)
    eea = load_vocabulary(into).eea
    catalogue = Catalogue()
    activities, covers, problems = [], [], []
    for path in files:
        try:
            found, cover = map_document(read_grid(path, changes), labels, catalogue, eea)
        except UserError as error:
            problems += error.problems
            continue
        activities += found
        covers.append(cover)
    if problems:
        raise UserError(problems)
    return plan(activities, covers, catalogue)
