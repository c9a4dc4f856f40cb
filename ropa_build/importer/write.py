"""Stage 3 of the import: the register's files and the import report, written without overwriting.

The parties (organisation, joint controller, representative, DPO) are stated once in
``organisation.yaml``: the first activity that has a row for a party gives its value, and an
activity whose row differs keeps its own value as an override in its record (so the build shows
what its document showed) and the report says so. Catalogue entries come from the recipients
named. Each record's id is its title through the rule ``ropa new`` uses.

Files are emitted with ``yaml.safe_dump`` (quoting what YAML would otherwise read as a number,
a boolean or a date), one top-level key at a time so that a ``# TODO(import)`` comment can stand
above the key it is about. An existing file is never replaced: identical content is left alone
(re-running an import changes nothing), different content stops the run before anything is
written.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ropa_build.errors import Problem, UserError
from ropa_build.importer.catalogue import Catalogue
from ropa_build.importer.mapping import Cover, Imported
from ropa_build.importer.text import normal
from ropa_build.scaffold import slug  # the id rule of `ropa new`, reused
from ropa_build.yaml_text import INVISIBLE

PARTIES = ("controller", "joint_controller", "representative", "dpo")
_DPF = re.compile(r"privacy framework|\bDPF\b", re.I)


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter: fast
    def ignore_aliases(self, data) -> bool:  # the reader refuses anchors and aliases
        return True


def _text(dumper, data: str) -> yaml.ScalarNode:
    """Every text the import writes: without the characters no register may hold (a NUL, a
    bidi override, a zero-width space from the source file: never content, and ropa check
    would refuse the record), a multi-line one as a block."""
    data = INVISIBLE.sub("", data)
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


@dataclass
class Plan:
    """Every file the import would write (path relative to the register → text), and the report."""

    files: dict[str, str] = field(default_factory=dict)
    report: str = ""


def plan(activities: list[Imported], covers: list[Cover], catalogue: Catalogue) -> Plan:
    out = Plan()
    organisation, differing = _organisation(activities, covers, catalogue)
    _dpf(activities, catalogue)
    ids: list[str] = []
    for activity in activities:
        base = slug(activity.title.replace("TODO(import)", "")) or "activity"
        ident, n = base, 1
        while ident in ids:
            n += 1
            ident = f"{base}-{n}"
        ids.append(ident)
        out.files[f"records/{ident}.yaml"] = _record_text(activity)
    out.files["organisation.yaml"] = _emit(
        organisation,
        "# yaml-language-server: $schema=schema/organisation.schema.json\n"
        "# Imported by `ropa import`: who keeps the register, from the activities' first rows.\n",
        {},
    )
    out.files["catalogue.yaml"] = _emit(
        {"systems": catalogue.entries},
        "# yaml-language-server: $schema=schema/catalogue.schema.json\n"
        "# Imported by `ropa import`: the systems and recipients the documents name. Add kind,\n"
        "# vendor, countries and dpa where the documents did not say.\n",
        {},
    )
    about = [note for cover in covers for note in cover.notes]
    out.report = _report(activities, ids, differing) + _alike(catalogue) + _about(about)
    return out


def write(root: Path, planned: Plan, report: Path | None) -> list[str]:
    """Write what is new; refuse (writing nothing) if an existing file would change."""
    files = dict(planned.files)
    targets = {root / name: text for name, text in files.items()}
    if report is not None:
        targets[report] = planned.report
    clashes = [
        Problem(
            str(path),
            1,
            1,
            "would-overwrite",
            "the file exists with other content; the import never overwrites",
            "import into an empty folder (--into DIR), or move the file away",
        )
        for path, text in targets.items()
        if path.exists() and path.read_text(encoding="utf-8") != text
    ]
    if clashes:
        raise UserError(clashes)
    written = []
    for path, text in targets.items():
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        written.append(str(path))
    return written


def _organisation(
    activities: list[Imported], covers: list[Cover], catalogue: Catalogue
) -> tuple[dict, list[str]]:
    organisation: dict = {}
    differing: list[str] = []
    for party in PARTIES:
        stated = [(a, a.parties[party]) for a in activities if party in a.parties]
        if not stated:
            continue
        value = stated[0][1][0]
        organisation[party] = value
        for activity, (other, where) in stated[1:]:
            if other != value:
                activity.record[party] = other
                differing.append(
                    f"{activity.title}: {party} differs from the first activity's ({where}); "
                    "kept in the record"
                )
    if not organisation.get("controller"):
        organisation["controller"] = {"name": "TODO(import): the organisation's name"}
    version = next((c.version for c in covers if c.version), None)
    document, points, accepted = {"version": version} if version else {}, [], []
    for cover in covers:  # the register's own section: the first document that has one
        if cover.document or cover.open_points or cover.accepted:
            document.update(cover.document)
            points, accepted = cover.open_points, cover.accepted
            break
    if document:
        organisation["document"] = document
    if points:
        organisation["open_points"] = points
    every: dict[str, list[str]] = {}
    for activity in activities:  # recipients of every activity, stated once
        for part, refs in activity.every.items():
            every.setdefault(part, []).extend(r for r in refs if r not in every.get(part, []))
    if every:
        organisation["recipients"] = every
    for name, item in accepted:  # at a catalogue entry where it names one
        found = catalogue.named(name, []) if name else None
        holder = catalogue.entries[found] if found else organisation
        holder.setdefault("accepted", []).append(item)
    documents = {k: v for a in activities for k, v in a.documents.items()}
    if documents:
        organisation["documents"] = documents
    return organisation, differing


def _dpf(activities: list[Imported], catalogue: Catalogue) -> None:
    """A US recipient the document says is certified under the Data Privacy Framework."""
    for activity in activities:
        transfers = activity.record.get("transfers") or {}
        for item in transfers.get("items", []):
            said = f"{item.get('documentation', '')} {transfers.get('description', '')}"
            entry = catalogue.entries.get(item["recipient"])
            adequacy = item["country"] == "US" and item.get("mechanism") == "adequacy"
            if adequacy and entry and _DPF.search(said):
                entry["dpf_certified"] = True


def _record_text(activity: Imported) -> str:
    record = dict(activity.record)
    head = {k: record.pop(k) for k in ("title", "role", "owner", "updated", "reviewed")}
    overrides = {k: record.pop(k) for k in PARTIES if k in record}
    ordered = {**head, **overrides, **record}
    notes: dict[str, list[str]] = {}
    for key, message in activity.notes:
        notes.setdefault(key if key in ordered else "title", []).append(message)
    return _emit(
        ordered,
        "# yaml-language-server: $schema=../schema/record.schema.json\n"
        f"# Imported by `ropa import` from {activity.source.name}; each TODO(import) below is\n"
        "# a value the import could not place with confidence (see the import report).\n",
        notes,
    )


def _emit(data: dict, head: str, notes: dict[str, list[str]]) -> str:
    parts = [head]
    for key, value in data.items():
        for message in notes.get(key, []):
            lines = textwrap.wrap(f"TODO(import): {message}", 96, subsequent_indent="  ")
            parts.append("".join(f"# {line}\n" for line in lines))
        parts.append(
            yaml.dump(
                {key: value},
                Dumper=_Dumper,
                allow_unicode=True,
                sort_keys=False,
                width=1 << 20,  # long texts on one line, as people write records
                default_flow_style=False,
            )
        )
    return "".join(parts)


def _report(activities: list[Imported], ids: list[str], differing: list[str]) -> str:
    out = ["# Import report", ""]
    sources = sorted({a.source.name for a in activities})
    out += [f"Read {len(activities)} activities from {', '.join(sources) or 'no file'}.", ""]
    for activity, ident in zip(activities, ids, strict=True):
        out += [
            f"## {activity.title} → records/{ident}.yaml",
            "",
            f"From {activity.source.name}.",
            "",
        ]
        out += ["| Field | From |", "|---|---|"]
        for field_name, where in activity.placed:
            out.append(f"| {field_name} | {where} |")
        for party, (_, where) in activity.parties.items():
            out.append(f"| {party} (organisation.yaml, or the record where it differs) | {where} |")
        out.append("")
        placeholders = [k for k, v in activity.record.items() if "TODO(import)" in str(v)]
        if activity.notes or placeholders:
            out += ["To check (marked `TODO(import)` in the record):", ""]
            out += [f"- {key}: {message}" for key, message in activity.notes]
            out += [f"- {key}: a placeholder, not in the document" for key in placeholders]
            out.append("")
        if activity.unmapped:
            out += ["Left unmapped:", ""]
            out += [f"- {where}: {_one_line(text)}" for where, text in activity.unmapped]
            out.append("")
    if differing:
        out += ["## Parties that differ between activities", ""]
        out += [f"- {line}" for line in differing] + [""]
    return "\n".join(out)


def _alike(catalogue: Catalogue) -> str:
    """Catalogue entries whose names suggest one system written two ways ("Zendesk" and
    "Zendesk Suite"): the import keeps both, as the documents wrote them; the DPO decides."""
    names = {ident: normal(entry["name"]) for ident, entry in catalogue.entries.items()}
    pairs = [
        f"- {a}, {b}: one system? Merge the entries and their references if so"
        for i, (a, x) in enumerate(names.items())
        for b, y in list(names.items())[i + 1 :]
        if x == y or _extends(x, y) or _extends(y, x)
    ]
    out = []
    if pairs:
        out += ["", "## Catalogue entries that may be one system", "", *pairs]
    if catalogue.differing:
        out += [
            "",
            "## Catalogue details the documents state differently",
            "",
            *catalogue.differing,
        ]
    return "\n".join([*out, ""]) if out else ""


def _about(notes: list[str]) -> str:
    if not notes:
        return ""
    return "\n".join(["", "## The register's own section (organisation.yaml)", "", *notes, ""])


def _extends(short: str, long: str) -> bool:
    return any(long.startswith(short + sep) for sep in (" ", ",", "/"))


def _one_line(text: str) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= 200 else text[:197] + "…"
