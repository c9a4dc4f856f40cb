"""Which profile a sheet is laid out in, and which of its columns holds which field.

The profiles are the exports' (``templates/profiles/*.yaml``, :mod:`ropa_build.render.profiles`:
the ICO's controller and processor templates, and a register's own): one fact in one place, so a
heading corrected for the export is recognised by the import. A heading is matched in every
language the profile names, tolerant of case, spacing, smart quotes and small typos; the header
row is the first row where a profile's headings are most of the row; the rows below it with the same
activity (title) are one activity (:func:`activities`). Above it the ICO sheet has
a contact block — a row of contact headings (Name, Address, Email, Telephone) and one row per
party (Controller, Data Protection Officer, Representative) — read here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ropa_build.errors import Problem, UserError
from ropa_build.importer.cell_text import title_and_purposes
from ropa_build.importer.text import best, normal
from ropa_build.render.profiles import Profile, profile_names
from ropa_build.resources import load_source

_LOOK = 60  # rows searched for the header row
_CUTOFF = 0.88


@dataclass
class Layout:
    """A sheet's profile, its header row, and the field of each column (by index)."""

    name: str
    profile: Profile
    header: int  # 1-based row number
    fields: dict[int, str]  # column index → field ("none": a column the register has no field)
    headings: dict[int, str]  # column index → the heading as the sheet writes it
    unknown: dict[int, str] = field(default_factory=dict)  # headings no profile has
    contacts: dict[str, list[str]] = field(default_factory=dict)  # party → name, address, …


def profiles(root: Path) -> dict[str, Profile]:
    out = {}
    for name in profile_names(root):
        source = load_source(root, "templates", f"profiles/{name}.yaml", Profile)
        profile = Profile.model_validate(source.data)
        if profile.layout == "rows":  # CNIL's one sheet per activity is not read back (yet)
            out[name] = profile
    return out


def layout(path: Path, rows: list[list[str]], known: dict[str, Profile]) -> Layout:
    """The layout of ``rows`` (the sheet's first rows); a :class:`UserError` if no profile fits."""
    best_found: tuple[int, str, int, dict[int, str]] | None = None
    for number, row in enumerate(rows[:_LOOK], 1):
        filled = [i for i, cell in enumerate(row) if cell.strip()]
        if len(filled) < 2:
            continue
        for name, profile in known.items():
            matched = _match(row, profile)
            most = len(matched) >= 2 and len(matched) * 2 >= len(filled)
            if most and (best_found is None or len(matched) > best_found[0]):
                best_found = (len(matched), name, number, matched)
        if best_found is not None:
            break
    if best_found is None:
        raise UserError(
            [
                Problem(
                    str(path),
                    1,
                    1,
                    "unknown-layout",
                    "no row of the sheet has the column headings of a known profile "
                    f"({', '.join(sorted(known))})",
                    "use the ICO's template headings (English or Danish), or add a profile "
                    "in templates/profiles/ with your sheet's headings",
                )
            ]
        )
    _, name, number, matched = best_found
    profile = known[name]
    header = rows[number - 1]
    found = Layout(name, profile, number, matched, {i: header[i] for i in matched})
    found.unknown = {i: cell for i, cell in enumerate(header) if cell.strip() and i not in matched}
    found.contacts = _contacts(rows[: number - 1], profile)
    return found


def _choices(headings: list[dict[str, str]]) -> dict[str, str]:
    return {f"{n}:{lang}": text for n, h in enumerate(headings) for lang, text in h.items()}


def _match(row: list[str], profile: Profile) -> dict[int, str]:
    choices = _choices([column.heading for column in profile.columns])
    out: dict[int, str] = {}
    taken: set[int] = set()
    for i, cell in enumerate(row):
        if not cell.strip():
            continue
        key, _ = best(cell, choices, _CUTOFF)
        if key is None:
            continue
        column = int(key.split(":")[0])
        if column not in taken:
            taken.add(column)
            out[i] = profile.columns[column].value
    return out


def _contacts(rows: list[list[str]], profile: Profile) -> dict[str, list[str]]:
    """party → [name, address, email, phone], from the block above the header row."""
    if profile.contact_headings is None or not profile.contacts:
        return {}
    heads = profile.contact_headings
    wanted = {"name": heads.name, "address": heads.address, "email": heads.email}
    wanted["phone"] = heads.phone
    positions: dict[str, int] = {}
    parties = _choices([party.heading for party in profile.contacts])
    out: dict[str, list[str]] = {}
    for row in rows:
        cells = {i: c for i, c in enumerate(row) if c.strip()}
        heading_row = {
            key: i
            for key, heading in wanted.items()
            for i, cell in cells.items()
            if normal(cell) in {normal(t) for t in heading.values()}
        }
        if len(heading_row) >= 2:
            positions = heading_row
            continue
        if not positions or not cells:
            continue
        first = min(cells)
        key, _ = best(cells[first], parties, _CUTOFF)
        if key is None:
            continue
        party = profile.contacts[int(key.split(":")[0])].party
        values = [
            row[positions[k]] if k in positions and positions[k] < len(row) else ""
            for k in ("name", "address", "email", "phone")
        ]
        if any(v.strip() for v in values):
            out[party] = values
    return out


def activities(found: Layout, rows) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """(title, rows) per activity, rows with the same title merged, in the sheet's order."""
    keys = [i for i, f in found.fields.items() if f in ("title", "title_purposes")]
    out: dict[str, list[tuple[int, list[str]]]] = {}
    current = None
    for number, row in enumerate(rows, found.header + 1):
        if not any(cell.strip() for cell in row):
            continue
        cell = next((row[i] for i in keys if i < len(row) and row[i].strip()), "")
        title = title_and_purposes(cell)[0] if cell else current
        if title is None:
            title = "TODO(import) activity without a title"
        current = title
        out.setdefault(normal(title), []).append((number, row))
    return [(_originaltitle_and_purposes(block, keys) or key, block) for key, block in out.items()]


def _originaltitle_and_purposes(block, keys) -> str | None:
    for _, row in block:
        for i in keys:
            if i < len(row) and row[i].strip():
                return title_and_purposes(row[i])[0]
    return None
