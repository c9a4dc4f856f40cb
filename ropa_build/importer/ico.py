"""Stage 2 of the spreadsheet import: a sheet in the ICO's layout (or any row profile) into records.

One row per activity, or one row per activity × category as the ICO's own template is often
filled in: rows with the same activity (the first paragraph of "Purpose of processing", or the
title column) are one activity, and a row whose activity cell is empty continues the one above
(a merged cell reads as empty after its first row). Each cell is read back from the text the
export writes (:mod:`ropa_build.render.cells`) — "group: categories" lines, "Interne systemer:"
blocks, "Country (CC): recipient", "Name: agreement" — and from looser hand-typed forms where the
meaning is clear ("Article 6(1)(b)", "Contract", a line per group). What is not understood stays
text in the nearest field, with a ``# TODO(import)`` note and a line in the report.

Legal mapping (an assumption, as the export's, docs/exports.md): "Business function" is the
process owner; "Legitimate interests" explains the lawful basis; "Location of personal data"
names each system with the countries it is in; the ICO's words for the Art. 6(1) bases
(consent, contract, legal obligation, vital interests, public task, legitimate interests) are
letters a–f.
"""

from __future__ import annotations

import re
from itertools import chain, islice
from pathlib import Path

from ropa_build.importer import build, fields, states
from ropa_build.importer.catalogue import Catalogue, countries, ident
from ropa_build.importer.cell_text import (
    LOCATION,
    column_name,
    letters,
    para,
    paras,
    party,
    safeguard,
    short,
    title_and_purposes,
    transfer_place,
)
from ropa_build.importer.columns import Layout, activities, layout, profiles
from ropa_build.importer.days import parse_date
from ropa_build.importer.entries import Imported
from ropa_build.importer.labels import Labels
from ropa_build.importer.mapping import Cover
from ropa_build.importer.sheet import read_rows
from ropa_build.importer.text import markdown, normal, plain_lines


def map_sheet(
    path: Path, root: Path, labels: Labels, catalogue: Catalogue, eea: frozenset[str]
) -> tuple[list[Imported], Cover]:
    """Every activity of the sheet at ``path``, and what its contact block says."""
    rows = read_rows(path)
    head = list(islice(rows, 60))
    found = layout(path, head, profiles(root))
    imported, cover = [], Cover()
    for title, block in activities(found, chain(head[found.header :], rows)):
        imported.append(_Reader(path, found, labels, catalogue, eea).read(title, block))
    for activity in imported[:1]:  # the contact block is the register's, stated once
        for who, values in found.contacts.items():
            activity.parties[who] = (party(values, labels), f"the contact block, {who}")
    return imported, cover


class _Reader:
    """One activity's rows into a record, field by field."""

    def __init__(self, path, found: Layout, labels, catalogue, eea):
        self.path, self.found, self.labels = path, found, labels
        self.catalogue, self.eea = catalogue, eea

    def cells(self, field: str, block) -> list[tuple[str, str]]:
        """(where, text) of every distinct non-empty cell of ``field`` in the rows."""
        seen, out = set(), []
        for number, row in block:
            for i, name in self.found.fields.items():
                if name == field and i < len(row) and row[i].strip() and row[i] not in seen:
                    seen.add(row[i])
                    out.append((f"row {number}, column {column_name(i)}", row[i]))
        return out

    def read(self, title: str, block) -> Imported:
        imported = Imported(self.path, title, {})
        self.imported = imported
        rec: dict = {"title": title, "role": self.found.profile.roles[0]}
        owner = self.cells("owner", block)
        meta = {"owner": owner[0][1].strip()} if owner else {}
        for key in ("updated", "reviewed"):
            day = [parse_date(text, self.labels) for _, text in self.cells(key, block)]
            if day and day[0]:
                meta[key] = day[0]
        rows = f"row {block[0][0]}" + (f"–{block[-1][0]}" if len(block) > 1 else "")
        build.meta_fields(rec, imported, meta, rows)
        imported.placed.append(("title", rows))
        self.rows = rows
        self._purposes(rec, block)
        self._texts(rec, block)
        groups = self._subjects(rec, block)
        self._basis(rec, block)
        self._recipients(rec, block, groups)
        self._transfers(rec, block)
        names = {normal(g["name"]): g["id"] for g in groups}
        retention = self.cells("retention", block)  # every row's, none dropped
        if retention:
            text = "\n\n".join(text for _, text in retention)
            rec["retention"] = fields.retention(paras(text), self.labels, names)
            imported.placed += [("retention", where) for where, _ in retention]
        self._location(rec, block)
        for where, text in self.cells("joint_controller", block):
            joint = states.state_text(text, self.labels)
            joint = joint or fields.contact(plain_lines([para(text)]), self.labels)
            imported.parties.setdefault("joint_controller", (joint, where))
        self._unplaced(rec, block)
        return _finish(rec, imported)

    def _purposes(self, rec, block) -> None:
        texts = []
        for where, text in self.cells("title_purposes", block):
            title, purposes = title_and_purposes(text)
            if not purposes and rec["role"] == "controller":  # Art. 30(1)(b): the purpose
                purposes = title  # "Purpose of processing" said in one line: title and purpose
                self.imported.notes.append(
                    ("purposes", f"the sheet's purpose ({where}) is also the title: check both")
                )
            texts.append(markdown(paras(purposes)))
            self.imported.placed.append(("purposes", where))
        for where, text in self.cells("purposes", block):
            texts.append(markdown(paras(text)))
            self.imported.placed.append(("purposes", where))
        if any(texts):
            rec["purposes"] = "\n\n".join(dict.fromkeys(t for t in texts if t))

    def _texts(self, rec, block) -> None:
        for key in ("processing", "security"):
            found = self.cells(key, block)
            if found:
                value = "\n\n".join(markdown(paras(text)) for _, text in found)
                rec[key] = states.state(paras(found[0][1]), self.labels) or value
                self.imported.placed += [(key, where) for where, _ in found]
        found = self.cells("controllers", block)
        if found:
            rec["controllers"] = [
                fields.contact(plain_lines([para(one)]), self.labels)
                for _, text in found
                for one in text.split("\n\n")
                if one.strip()
            ]
            self.imported.placed += [("controllers", where) for where, _ in found]

    def _subjects(self, rec, block) -> list[dict]:
        """Groups from "Categories of individuals" (bullets, or a line per group), their
        categories from "Categories of personal data" ("group: categories" lines, or the
        row's categories for the row's groups)."""
        groups: dict[str, dict] = {}
        described: list[str] = []
        for number, row in block:
            own = self._row(row, "subject_groups")
            names: list[str] = []
            for piece in paras(own):
                if piece.list or ("\n" not in piece.text and not piece.text.rstrip().endswith(".")):
                    names += [piece.text.strip()]
                else:
                    described.append(markdown([piece]))
            for name in names:
                groups.setdefault(normal(name), {"name": name, "categories": [], "details": []})
            self._categories(groups, names, self._row(row, "data_categories"), number)
        if described:
            rec.setdefault("data_subjects", {})["description"] = "\n\n".join(
                dict.fromkeys(described)
            )
        out = []
        for group in groups.values():
            base, n = ident(group["name"], "group"), 1
            while any(g["id"] == (base if n == 1 else f"{base}-{n}") for g in out):
                n += 1
            made = {"id": base if n == 1 else f"{base}-{n}", "name": group["name"]}
            made["categories"] = group["categories"]
            if group["details"]:
                made["details"] = "\n\n".join(dict.fromkeys(group["details"]))
            out.append(made)
        if out:
            rec.setdefault("data_subjects", {})["groups"] = out
            self.imported.placed.append(("data_subjects.groups", self.rows))
        return out

    def _categories(self, groups: dict, names: list[str], text: str, number: int) -> None:
        for block in text.split("\n\n") if text.strip() else []:
            head, _, rest = block.partition("\n")
            label, colon, listed = head.partition(": ")
            target = groups.get(normal(label)) if colon else None
            if target is None:
                listed, rest = head, rest
                targets = [groups[normal(n)] for n in names] or list(groups.values())
            else:
                targets = [target]
            found = fields.split_names(listed, self.labels.short) or self._long(listed)
            details = markdown(paras(rest if found else block))
            if not found:
                self.imported.notes.append(
                    (
                        "data_subjects",
                        f"'{short(head)}' (row {number}) names no data category the import "
                        "knows: kept in the group's details; choose its categories",
                    )
                )
            if not targets:
                targets = [groups.setdefault("", {"name": "TODO(import)", "categories": []})]
                targets[0].setdefault("details", [])
            for group in targets:
                group["categories"] += [c for c in found or [] if c not in group["categories"]]
                if details:
                    group["details"].append(details)

    def _long(self, text: str) -> list[str] | None:
        """Categories written out, one a line or separated by ';' (the checklist's words)."""
        parts = [p for p in re.split(r"\n|;", text) if p.strip()]
        found = [self.labels.category(p)[0] for p in parts]
        return found if parts and all(found) else None

    def _row(self, row, field: str) -> str:
        return "\n\n".join(
            row[i] for i, name in self.found.fields.items() if name == field and i < len(row)
        ).strip()

    def _basis(self, rec, block) -> None:
        basis: dict = {}
        for key in ("art6", "art9"):
            for where, text in self.cells(key, block):
                found = letters(text, key, self.labels)
                if found:
                    basis[key] = [
                        *basis.get(key, []),
                        *(x for x in found if x not in basis.get(key, [])),
                    ]
                    self.imported.placed.append((f"lawful_basis.{key}", where))
                else:
                    basis.setdefault("description", []).append(text)
                    self.imported.notes.append(
                        ("lawful_basis", f"'{short(text)}' ({where}) was not understood")
                    )
        for where, text in self.cells("legitimate_interests", block):
            basis.setdefault("description", []).append(text)
            self.imported.placed.append(("lawful_basis.description", where))
        if "description" in basis:
            basis["description"] = markdown(paras("\n\n".join(basis["description"])))
        if basis:
            rec["lawful_basis"] = basis

    def _recipients(self, rec, block, groups) -> None:
        parts = {"recipients_internal": "internal", "recipients_processors": "processors"}
        parts["recipients_others"] = "others"
        out: dict = {}
        described = []
        for where, text in self.cells("recipients", block):
            for para_text in text.split("\n\n"):
                head, _, rest = para_text.partition("\n")
                part = self._part(head)
                if part and rest.strip():
                    out.setdefault(part, []).extend(self._uses(rest, part))
                else:
                    described.append(para_text)
            self.imported.placed.append(("recipients", where))
        if described:
            out["description"] = markdown(paras("\n\n".join(dict.fromkeys(described))))
        for field, part in parts.items():
            for where, text in self.cells(field, block):
                out.setdefault(part, []).extend(self._uses(text, part))
                self.imported.placed.append((f"recipients.{part}", where))
        for part in ("internal", "processors", "others"):  # rows of one activity list alike
            first: dict[str, dict] = {}
            for use in out.get(part, []):
                first.setdefault(use["ref"], use)
            if part in out:
                out[part] = list(first.values())
        for where, text in self.cells("processor_contracts", block):
            for line in plain_lines([para(text)]):
                name, _, dpa = line.partition(": ")
                found = self.catalogue.named(name, [u["ref"] for u in out.get("processors", [])])
                if found and dpa.strip():
                    self.catalogue.describe(found, {"dpa": dpa.strip()}, self.labels, where)
        if out:
            rec["recipients"] = out

    def _part(self, head: str) -> str | None:
        key, _ = self.labels.row(head.rstrip(":"))
        return key if key in ("internal", "processors", "others") else None

    def _uses(self, text: str, part: str) -> list[dict]:
        kind = {"internal": "system", "processors": "processor", "others": "recipient"}[part]
        uses = []
        for line in plain_lines([para(text)]):
            head, _, note = line.partition(" — ")
            name, used_for = fields.split_used_for(head.strip())
            use = {"ref": self.catalogue.ref(name, used_for, kind)}
            if note.strip():
                use["note"] = note.strip()
            uses.append(use)
        return uses

    def _transfers(self, rec, block) -> None:
        """Each row's destinations with that row's safeguards: the line that names the place
        (as the export writes them), else the one in the same position in the row."""
        out: dict = {}
        described, items, seen = [], [], set()
        used = [
            u["ref"]
            for uses in (rec.get("recipients") or {}).values()
            if isinstance(uses, list)
            for u in uses
        ]
        for number, row in block:
            guards = [
                line
                for _, t in self.cells("transfer_safeguards", [(number, row)])
                for line in t.split("\n")
            ]
            for where, text in self.cells("transfer_countries", [(number, row)]):
                self.imported.placed.append(("transfers", where))
                for part in text.split("\n\n"):
                    read = [transfer_place(line, self.labels) for line in part.split("\n")]
                    if not all(read):
                        described += [part] if part not in described else []
                        continue
                    for n, (country, recipient, place) in enumerate(read):
                        line = guards[n] if n < len(guards) else None
                        if not (line or "").startswith(f"{place}: "):  # the one naming it
                            line = next((g for g in guards if g.startswith(f"{place}: ")), line)
                        key = repr((country, recipient, line))  # a country may be a state
                        if key not in seen:
                            seen.add(key)
                            items.append((country, recipient, place, line))
        for country, recipient, place, line in items:
            item = {"country": country}
            item["recipient"] = self.catalogue.named(recipient, used) or recipient
            if line is not None:
                note = safeguard(item, line.removeprefix(f"{place}: "), self.labels)
                self.imported.notes += [("transfers", note)] if note else []
            out.setdefault("items", []).append(item)
        if described:
            text = "\n\n".join(described)
            out["description"] = markdown(paras(text))
            if not items:
                for code, word in countries(text, self.eea):
                    out.setdefault("items", []).append(
                        {"country": code, "recipient": f"TODO(import): who in {code}?"}
                    )
                    self.imported.notes.append(
                        ("transfers", f"'{word}' ({code}) is named, with no recipient: complete it")
                    )
        if out:
            rec["transfers"] = out

    def _location(self, rec, block) -> None:
        """Each system's countries; and, where no column lists the internal systems (the ICO's
        processor sheet), those of the location column that are not processors: the export
        writes the internal systems first, then the processors not among them."""
        named: list[str] = []
        for _, text in self.cells("location", block):
            for line in plain_lines([para(text)]):
                found = LOCATION.match(line)
                name = found.group("name") if found else line
                ident = self.catalogue.named(name, []) or self.catalogue.ref(name, None, "system")
                if found and "countries" not in self.catalogue.entries[ident]:
                    self.catalogue.entries[ident]["countries"] = found.group("codes").split(", ")
                named.append(ident)
        listed = set(self.found.fields.values())
        if not named or listed & {"recipients", "recipients_internal"}:
            return
        recipients = rec.setdefault("recipients", {})
        processors = [u["ref"] for u in recipients.get("processors", [])]
        for size in range(len(named) + 1):
            internal = named[:size]
            if internal + [p for p in processors if p not in internal] == named:
                break
        if internal:
            recipients["internal"] = [{"ref": ref} for ref in internal]

    def _unplaced(self, rec, block) -> None:
        """Columns the register has no field for, or no profile knows: kept in the purposes."""
        columns = {i: h for i, h in self.found.headings.items() if self.found.fields[i] == "none"}
        columns |= self.found.unknown
        for number, row in block:
            for i, heading in columns.items():
                if i < len(row) and row[i].strip():
                    text = f"**{markdown([para(heading)])}:**\n\n{markdown(paras(row[i]))}"
                    rec["purposes"] = "\n\n".join(filter(None, [rec.get("purposes"), text]))
                    where = f"row {number}, column {column_name(i)}"
                    self.imported.notes.append(
                        ("purposes", f"'{short(heading)}' ({where}) has no field: kept here")
                    )
                    self.imported.unmapped.append((where, f"column '{heading}' (kept in purposes)"))


def _finish(rec: dict, imported: Imported) -> dict:
    imported.record = build.ordered(rec)
    return imported
