"""The register as spreadsheet cells: one plain-text value per field of a profile's column.

A spreadsheet cell holds text, not paragraphs: rich text becomes plain lines (a list item as
"• item", a link as "text (address)" where they differ), and a list of things (groups,
recipients, transfers) becomes one line each inside the cell. Values are made per activity in
the render workers; escaping for the reader (formula neutralising, Excel's cell limit) is left
to each format, which knows its reader.

Legal mapping to the ICO's columns (an assumption, written in docs/exports.md too): "Business
function" is the process owner; "Purpose of processing" starts with the activity's title, so a
row says which activity it is; "Legitimate interests" is the lawful-basis explanation when
Art. 6(1)(f) is among the bases; "Location of personal data" is where the systems holding the
data are (the catalogue's countries of the internal systems and processors).
"""

from __future__ import annotations

from collections.abc import Callable

from ropa_build.models import Contact, Explicit, RecipientUse, Record, Shared, given
from ropa_build.models.shared import SharedUse
from ropa_build.render.blocks import join, state
from ropa_build.render.extras import retention_detail, retention_label
from ropa_build.richtext import Block, Break, Inline, Link, Para, Text, parse
from ropa_build.validate import Activity, Register


def values(register: Register, activity: Activity, labels: dict, fields: list[str]) -> tuple:
    """The cells of ``fields`` for ``activity``, as plain text ("" where there is nothing)."""
    cells = _Cells(register, activity, labels)
    return tuple(cells.value(field) for field in fields)


def plain(blocks: tuple[Block, ...], depth: int = 0) -> str:
    """Rich text as plain lines: paragraphs apart by a blank line, list items one a line."""
    parts = []
    for block in blocks:
        if isinstance(block, Para):
            parts.append(_inlines(block.children))
            continue
        lines = []
        for number, item in enumerate(block.items, 1):
            bullet = f"{number}." if block.ordered else "•"
            inner = "\n".join(plain((b,), depth + 1) for b in item)
            lines.append("  " * depth + f"{bullet} {inner.lstrip()}")
        parts.append("\n".join(lines))
    return ("\n" if depth else "\n\n").join(parts)


def _inlines(nodes: tuple[Inline, ...]) -> str:
    out = []
    for node in nodes:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Break):
            out.append("\n")
        elif isinstance(node, Link):
            label = _inlines(node.children)
            shown = node.href.removeprefix("mailto:")
            out.append(label if label in (node.href, shown) else f"{label} ({shown})")
        else:  # Strong, Emph: a cell has no emphasis
            out.append(_inlines(node.children))
    return "".join(out)


def _rich(text: str | None) -> str:
    return plain(parse(text)) if text else ""


def _lines(items) -> str:
    return "\n".join(item for item in items if item)


def contact(party: Contact | Explicit | None, labels: dict) -> tuple[str, str, str, str]:
    """A party as the ICO's contact block has it: name, address, e-mail, telephone; an explicit
    state ("Ikke udpeget") in words, in the name's place."""
    if isinstance(party, Explicit):
        return (plain((state(party, labels),)), "", "", "")
    if party is None:
        return ("", "", "", "")
    name = f"{party.title}, {party.name}" if party.title else party.name
    address = _lines([party.address, f"CVR: {party.cvr}" if party.cvr else "", party.web])
    return (name, address, "\n".join(party.email), party.phone or "")


def _contact_text(party: Contact | Explicit | None, labels: dict) -> str:
    return _lines(contact(party, labels))


class _Cells:
    """One activity's values; one method per field of :data:`profiles.FieldName`."""

    def __init__(self, register: Register, activity: Activity, labels: dict):
        self.register, self.activity, self.labels = register, activity, labels
        self.record: Record = activity.record
        self.words = labels["content"]

    def _say(self, value) -> str:
        """Record text as plain lines; an explicit state in words; a shared statement as its
        text (then what holds for this activity only)."""
        if isinstance(value, Explicit):
            return plain((state(value, self.labels),))
        if isinstance(value, Shared):
            statement = self.register.organisation.statements.get(value.shared)
            shared = statement.text if statement else None
            # two texts: paragraphs apart, as the paragraphs within one are
            return "\n\n".join(t for t in (self._say(shared), self._say(value.also)) if t)
        return _rich(value)

    def value(self, field: str) -> str:
        method: Callable[[], str] = getattr(self, f"_{field}")
        return method()

    def _none(self) -> str:
        return ""

    def _id(self) -> str:
        return self.activity.id

    def _title(self) -> str:
        return self.record.title

    def _title_purposes(self) -> str:
        return _lines([self.record.title, self._say(self.record.purposes)]).replace("\n", "\n\n", 1)

    def _owner(self) -> str:
        return self.record.owner

    def _updated(self) -> str:
        return self.record.updated.isoformat()

    def _reviewed(self) -> str:
        review = self.record.reviewed  # the date, and who reviewed it where the record says
        by = f" ({review.by})" if review.by else ""
        return review.date.isoformat() + by

    def _role(self) -> str:
        return self.labels["roles"][self.record.role]

    def _purposes(self) -> str:
        return self._say(self.record.purposes)

    def _party(self, name: str) -> Contact | Explicit | None:
        """The record's own party where it states one, else the organisation's (as the view)."""
        if name in self.record.model_fields_set:
            return getattr(self.record, name)
        return getattr(self.register.organisation, name)

    def _joint_controller(self) -> str:
        return _contact_text(self._party("joint_controller"), self.labels)

    def _representative(self) -> str:
        return _contact_text(self._party("representative"), self.labels)

    def _dpo(self) -> str:
        return _contact_text(self._party("dpo"), self.labels)

    def _controllers(self) -> str:
        return "\n\n".join(_contact_text(c, self.labels) for c in self.record.controllers)

    def _processing(self) -> str:
        return self._say(self.record.processing)

    def _groups(self):
        subjects = given(self.record.data_subjects)
        return subjects.groups if subjects else []

    def _subject_groups(self) -> str:
        subjects = self.record.data_subjects
        if isinstance(subjects, Explicit):
            return self._say(subjects)
        described = self._say(subjects.description) if subjects else ""
        names = _lines(f"• {group.name}" for group in self._groups())
        return "\n\n".join(part for part in (described, names) if part)

    def _short(self, categories: list[str]) -> str:
        names = self.labels["categories_short"]
        return join([names.get(c, c) for c in categories], self.words["and"])

    def _data_categories(self) -> str:
        parts = []
        for group in self._groups():
            head = f"{group.name}: {self._short(group.categories)}"
            parts.append(_lines([head, self._say(group.details)]))
        return "\n\n".join(parts)

    def _sensitive(self) -> str:
        """The special categories (Art. 9, 10 and the CPR number) any group is marked with."""
        kinds = self.register.vocabulary.categories
        used = [c for g in self._groups() for c in g.categories]
        special = [c for c in dict.fromkeys(used) if kinds.get(c, {}).get("kind") != "general"]
        return _lines(self.labels["categories"].get(c, c) for c in special)

    def _uses(self, part: str) -> list[RecipientUse | SharedUse]:
        """The record's recipients in ``part``, then those of every activity (organisation)."""
        recipients = given(self.record.recipients)
        uses: list[RecipientUse | SharedUse] = list(getattr(recipients, part)) if recipients else []
        return uses + self.register.shared_uses(self.record, part)

    def _recipient(self, use: RecipientUse) -> str:
        system = self.register.catalogue.systems[use.ref]
        name = f"{system.name} ({system.used_for})" if system.used_for else system.name
        return f"{name} — {use.note}" if use.note else name

    def _recipients_part(self, part: str) -> str:
        return _lines(self._recipient(use) for use in self._uses(part))

    def _recipients(self) -> str:
        recipients = self.record.recipients
        if isinstance(recipients, Explicit):  # its state; then those of every activity, if any
            parts = [self._say(recipients)]
        else:
            parts = [self._say(recipients.description) if recipients else ""]
        for part in ("internal", "processors", "others"):
            listed = self._recipients_part(part)
            if listed:
                parts.append(f"{self.labels['rows'][part]}:\n{listed}")
        return "\n\n".join(p for p in parts if p)

    def _recipients_internal(self) -> str:
        return self._recipients_part("internal")

    def _recipients_processors(self) -> str:
        return self._recipients_part("processors")

    def _recipients_others(self) -> str:
        return self._recipients_part("others")

    def _processor_contracts(self) -> str:
        systems = self.register.catalogue.systems
        seen = dict.fromkeys(use.ref for use in self._uses("processors"))
        return _lines(f"{systems[r].name}: {systems[r].dpa}" for r in seen if systems[r].dpa)

    def _transfer_items(self):
        transfers = given(self.record.transfers)
        return transfers.items if transfers else []

    def _destination(self, code) -> str:
        if isinstance(code, Explicit):
            return self._say(code)
        name = self.register.vocabulary.destination_name(code, self.labels["locale"])
        return f"{name} ({code})" if name else code

    def _transfer_countries(self) -> str:
        transfers = self.record.transfers
        if isinstance(transfers, Explicit | Shared):
            return self._say(transfers)
        described = self._say(transfers.description) if transfers else ""
        systems = self.register.catalogue.systems
        listed = _lines(
            f"{self._destination(item.country)}: "
            f"{systems[item.recipient].name if item.recipient in systems else item.recipient}"
            for item in self._transfer_items()
        )
        return "\n\n".join(part for part in (listed, described) if part)

    def _transfer_safeguards(self) -> str:
        lines = []
        for item in self._transfer_items():
            if isinstance(item.mechanism, Explicit):
                mechanism = self._say(item.mechanism)
            else:
                mechanism = self.labels["mechanisms"][item.mechanism] if item.mechanism else "?"
            documented = self._say(item.documentation)
            line = f"{self._destination(item.country)}: {mechanism}"
            lines.append(f"{line} — {documented}" if documented else line)
        return "\n".join(lines)

    def _retention(self) -> str:
        retention = self.record.retention
        if retention is None:
            return ""
        if isinstance(retention, Explicit | Shared):
            return self._say(retention)
        parts = [self._say(retention.description)]
        names = {g.id: g.name for g in self._groups()}
        for rule in retention.rules:  # named as the documents name it (backups: their kind)
            label = retention_label(rule, self._short(rule.categories))
            if rule.subjects:
                groups = join([names.get(s, s) for s in rule.subjects], self.words["and"])
                label = f"{groups} – {label}"
            detail = plain(retention_detail(rule, self.labels))
            period = "\n\n".join(t for t in (self._say(rule.period), detail) if t)
            parts.append(f"{label[:1].upper()}{label[1:]}: {period}")
        return "\n\n".join(p for p in parts if p)

    def _security(self) -> str:
        return self._say(self.record.security)

    def _letters(self, article: str) -> str:
        basis = given(self.record.lawful_basis)
        letters = getattr(basis, article) if basis else []
        if not letters:
            return ""
        joined = join([self.words["letter"].format(x) for x in letters], self.words["and"])
        return self.words[article].format(letters=joined)

    def _art6(self) -> str:
        return self._letters("art6")

    def _art9(self) -> str:
        return self._letters("art9")

    def _art10(self) -> str:
        basis = given(self.record.lawful_basis)
        return self.words["art10"].format(ground=basis.art10) if basis and basis.art10 else ""

    def _legitimate_interests(self) -> str:
        basis = given(self.record.lawful_basis)
        return self._say(basis.description) if basis and "f" in basis.art6 else ""

    def _location(self) -> str:
        systems = self.register.catalogue.systems
        refs = dict.fromkeys(u.ref for part in ("internal", "processors") for u in self._uses(part))
        return _lines(
            f"{systems[r].name} ({', '.join(systems[r].countries)})"
            if systems[r].countries
            else systems[r].name
            for r in refs
        )

    def _accepted(self) -> str:
        return _lines(f"{item.rule}: {item.reason}" for item in self.record.accepted)


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): a cell starting
#: with one of these is written so that no reader evaluates it (each format says how).
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r", "\n")


def formula_like(text: str) -> bool:
    return text.startswith(FORMULA_LEADS)
