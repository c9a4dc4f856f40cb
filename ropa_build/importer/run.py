"""``ropa import``'s one public function: documents in, a plan of the files to write out."""

from __future__ import annotations

from pathlib import Path

from ropa_build.errors import Problem, UserError
from ropa_build.importer.catalogue import Catalogue, place_names
from ropa_build.importer.grid import Changes, read_grid
from ropa_build.importer.ico import map_sheet
from ropa_build.importer.labels import load_labels
from ropa_build.importer.mapping import map_document
from ropa_build.importer.write import Plan, plan

SHEETS = (".xlsx", ".xlsm", ".csv")  # the rest is read as Word


def import_documents(files: list[Path], into: Path, changes: Changes = "refuse") -> Plan:
    """What importing ``files`` (in order) into the register folder ``into`` would write: Word
    documents in Datatilsynet's template, and spreadsheets (.xlsx, .csv) in a row profile.

    Every file is read before anything is written, so one run reports the problems of all.
    """
    from ropa_build.vocabulary import load_vocabulary

    labels = load_labels(into)
    vocabulary = load_vocabulary(into)
    eea = vocabulary.eea
    catalogue = Catalogue(place_names(vocabulary.organisations))
    activities, covers, problems = [], [], []
    for path in files:
        try:
            if path.suffix.lower() in SHEETS:
                found, cover = map_sheet(path, into, labels, catalogue, eea)
            else:
                found, cover = map_document(read_grid(path, changes), labels, catalogue, eea)
        except UserError as error:
            problems += error.problems
            continue
        if not found:  # nothing to import is a mistake to say, not an empty register to write
            problems.append(_nothing(path))
            continue
        activities += found
        covers.append(cover)
    if problems:
        raise UserError(problems)
    return plan(activities, covers, catalogue)


def _nothing(path: Path) -> Problem:
    sheet = path.suffix.lower() in SHEETS
    return Problem(
        path.name,
        1,
        1,
        "no-activities",
        "the sheet has its headings but no activity in the rows below them"
        if sheet
        else "the document holds no activity table in Datatilsynet's layout",
        "fill in one row per activity below the headings"
        if sheet
        else "import the register's Word file (one table per activity: section label, "
        "description, content, checklist column)",
    )
