"""Which sections and rows one record has, in the Datatilsynet layout, and what each row shows.

One method per section of the template. Rows the template has are filled in its words; what the
format holds beyond the template (open points, who reviewed) goes in clearly labelled extra
rows, so the document stays Datatilsynet's table. No cell is left empty: a field left out reads
"Ikke udfyldt", an explicit state reads as its words ("Ikke udpeget", "Afventer afklaring").
"""

from __future__ import annotations

from ropa_build.models import Acceptance, Contact, Explicit, OpenPoint, Record, Shared, given
from ropa_build.render.blocks import (
    contact_block,
    contacts,
    join,
    labelled,
    long_date,
    reference,
    rich,
)
from ropa_build.render.blocks import state as state_block
from ropa_build.render.extras import (
    basis_lines,
    controller_lines,
    policy_line,
    retention_detail,
    retention_label,
    transfer_lines,
)
from ropa_build.render.rows import Row, Section
from ropa_build.richtext import Block, Break, Emph, Inline, Para, Strong, Text
from ropa_build.validate import Register


class Sections:
    """Builds the sections of one record; one method per section of the template."""

    def __init__(self, register: Register, record: Record, labels: dict):
        self.register, self.record, self.labels = register, record, labels
        self.section_label, self.row_label = labels["sections"], labels["rows"]
        self.words = labels["content"]

    def controller(self) -> list[Section]:
        return [
            self._parties("controller", "organisation", "representative"),
            self._purposes(),
            self._subjects(),
            self._recipients(),
            self._transfers(),
            self._retention(),
            self._security(),
        ]

    def processor(self) -> list[Section]:
        record = self.record
        controllers = Section(
            self.section_label["controllers"],
            (
                self._row(
                    "controllers",
                    tuple(self._controller(c) for c in record.controllers),
                ),
            ),
        )
        processing = Section(
            self.section_label["processing"],
            (self._row("processing", self._text(record.processing)),),
        )
        optional = [
            self._purposes() if record.purposes or record.lawful_basis else None,
            self._subjects() if record.data_subjects else None,
            self._recipients() if record.recipients else None,
        ]
        return [
            self._parties("processor", "processor_organisation", "processor_representative"),
            controllers,
            processing,
            *[s for s in optional if s],
            self._transfers(),
            *([self._retention()] if record.retention else []),
            self._security(),
        ]

    def _controller(self, party) -> Para:
        block = contact_block(party, self.labels)
        return Para((*block.children, *controller_lines(party, self.labels)))

    def open_points(self) -> Section:
        """The record's open points: each as what it is (an assumption, a question, a fact to
        verify), never as settled fact."""
        return open_points_section(self.record.open_points, self.labels)

    def notes(self) -> Section:
        """Warnings accepted on purpose, in plain words: what was accepted and why (no rule
        codes: the DPO signs the document, not the tool's output)."""
        rows = [
            self._row("accepted", (accepted_para(item, self.labels),))
            for item in self.record.accepted
        ]
        return Section(self.section_label["notes"], tuple(rows))

    def _text(self, value) -> tuple[Block, ...]:
        """Record text; a shared statement as its text, marked as the register's, then what
        holds for this activity only (``also``)."""
        if not isinstance(value, Shared):
            return rich(value, self.labels)
        statement = self.register.organisation.statements.get(value.shared)
        if statement is None:  # the lint reports it (unknown-shared); the document says so
            return (Para((Text(self.labels["states"]["missing"]),)),)
        note = self.words["shared"].format(title=statement.title)
        return (
            *rich(statement.text, self.labels),
            Para((Emph((Text(note),)),)),
            *rich(value.also, self.labels),
        )

    def documents(self) -> Section:
        """The companion documents the activity refers to, as links where they are links."""
        known, rows = self.register.organisation.documents, []
        for ref in self.record.documents:
            found = known.get(ref.ref) if ref.ref else None
            title = ref.title or (found.title if found else ref.ref) or ""
            link = ref.link or (found.link if found else None)
            kind = found.kind if found and found.kind else self.words["document"]
            nodes: list[Inline] = [Text(title)]
            if link:
                nodes += [Break(), reference(link)]
            rows.append(Row(kind[:1].upper() + kind[1:], (Para(tuple(nodes)),)))
        return Section(self.section_label["documents"], tuple(rows))

    def _row(
        self,
        key: str,
        content: tuple[Block, ...] = (),
        mark: bool | None = None,
        empty: str = "missing",
    ) -> Row:
        """A row of the template; with no content it says so in words (``empty``: the state
        shown, "missing" for a field left out), never an empty cell."""
        label = self.row_label[key]
        if not content and mark is None:
            content = (Para((Text(self.labels["states"][empty]),)),)
        if isinstance(label, str):
            return Row(label, content, "", mark)
        return Row(label["text"], content, label.get("hint", ""), mark)

    def _party(self, name: str) -> tuple[Contact | Explicit | None, bool]:
        """The record's own party where it states one, else the organisation's; and whether
        it is stated (``null`` states there is none; a key left out does not)."""
        if name in self.record.model_fields_set:
            return getattr(self.record, name), True
        organisation = self.register.organisation
        return getattr(organisation, name), name in organisation.model_fields_set

    def _party_row(self, key: str, party: str) -> Row:
        value, said = self._party(party)
        return self._row(key, contacts(value, self.labels), empty="none" if said else "missing")

    def _parties(self, section: str, organisation: str, representative: str) -> Section:
        rows = [self._party_row(organisation, "controller")]
        if section == "controller":
            rows.append(self._party_row("joint_controller", "joint_controller"))
        rows += [self._party_row(representative, "representative"), self._party_row("dpo", "dpo")]
        return Section(self.section_label[section], tuple(rows))

    def _purposes(self) -> Section:
        rows = [self._row("purposes", self._text(self.record.purposes))]
        basis = self.record.lawful_basis
        if isinstance(basis, Explicit):
            rows.append(self._row("lawful_basis", (state_block(basis, self.labels),)))
        elif basis:
            words, content = self.words, []
            for article, letters in (("art6", basis.art6), ("art9", basis.art9)):
                if letters:
                    joined = join(
                        [words["letter"].format(letter) for letter in letters], words["and"]
                    )
                    content.append(Para((Text(words[article].format(letters=joined)),)))
            if basis.art10:
                content.append(Para((Text(words["art10"].format(ground=basis.art10)),)))
            content += basis_lines(basis, self.labels)
            rows.append(self._row("lawful_basis", (*content, *self._text(basis.description))))
        return Section(self.section_label["purposes"], tuple(rows))

    def _subjects(self) -> Section:
        subjects = self.record.data_subjects
        if not isinstance(subjects, Explicit | None):
            return self._groups(subjects)
        content = (state_block(subjects, self.labels),) if subjects else ()
        return Section(self.section_label["subjects"], (self._row("subject_categories", content),))

    def _groups(self, subjects) -> Section:
        rows = [self._row("subject_categories", rich(subjects.description, self.labels))]
        vocabulary, names = self.register.vocabulary, self.labels["categories"]
        always = set(vocabulary.always_listed())
        for group in subjects.groups:
            intro = (
                Para((Text(self.row_label["group_intro"]),)),
                *rich(group.details, self.labels),
            )
            rows.append(Row(self.row_label["group"].format(name=group.name), intro))
            rows += [
                Row(
                    "",
                    (Para((Text(group.wording.get(category) or names[category]),)),),
                    mark=category in group.categories,
                )
                for category in vocabulary.categories
                if category in always or category in group.categories
            ]
        return Section(self.section_label["subjects"], tuple(rows))

    def _recipients(self) -> Section:
        stated = self.record.recipients
        recipients = given(stated)
        shared = {p: self.register.shared_uses(self.record, p) for p in ("internal", "processors")}
        if isinstance(stated, Explicit) and not any(shared.values()):
            rows = [self._row("recipients", (state_block(stated, self.labels),))]
            return Section(self.section_label["recipients"], tuple(rows))
        if isinstance(stated, Explicit):  # its own state, and those of every activity below
            description: tuple[Block, ...] = (state_block(stated, self.labels),)
        else:
            description = self._text(stated.description) if stated else ()
        if stated and not description:  # the parts below say it
            description = (Para((Text(self.words["listed_below"]),)),)
        rows = [self._row("recipients", description)]
        for part in ("internal", "processors", "others"):
            uses = getattr(recipients, part, ()) if recipients else ()
            common = shared.get(part, [])
            key = "sub_processors" if part == "processors" and self._processor() else part
            if uses or common or part != "others":
                content = tuple(self._recipient(use) for use in uses)
                content += tuple(self._recipient(use, every_activity=True) for use in common)
                rows.append(self._row(key, content, empty="none"))
        if recipients and recipients.roles:
            roles = tuple(Para((Text(role),)) for role in recipients.roles)
            rows.append(self._row("roles", roles))
        return Section(self.section_label["recipients"], tuple(rows))

    def _processor(self) -> bool:
        return self.record.role == "processor"

    def _recipient(self, use, every_activity: bool = False) -> Para:
        """The recipient's name in bold; for a processor its legal entity, where it processes
        and its processing agreement; then one line per subject group: what it receives, or,
        for one stated once for the whole register, that every activity uses it."""
        system = self.register.catalogue.systems[use.ref]
        name = f"{system.name} ({system.used_for})" if system.used_for else system.name
        nodes: list[Inline] = [Strong((Text(name),))]
        if use.note:
            nodes.append(Text(f" — {use.note}"))
        words = self.words
        if system.kind == "processor" or system.vendor:
            if system.vendor:  # a processor's legal entity; a system's supplier
                who = words["vendor"] if system.kind == "processor" else words["supplier"]
                nodes += [Break(), Text(f"{who}: {system.vendor}")]
            if system.countries:
                places = [self._destination(c) for c in system.countries]
                nodes += [Break(), Text(f"{words['countries']}: {join(places, words['and'])}")]
            if system.established:
                place = self._destination(system.established)
                nodes += [Break(), Text(f"{self.labels['extra']['established']}: {place}")]
            if system.authorisation and self._processor():  # how a sub-processor was allowed
                how = self.labels["extra"]["authorisations"][system.authorisation]
                nodes += [Break(), Text(f"{self.labels['extra']['authorisation']}: {how}")]
            if system.kind == "processor":
                nodes += [Break(), Text(f"{words['dpa']}: ")]
                nodes.append(reference(system.dpa) if system.dpa else self._missing())
        if every_activity:
            nodes += [Break(), Emph((Text(words["every_activity"]),))]
        for group, categories in getattr(use, "receives", {}).items():
            what = self._categories(categories)
            nodes += [
                Break(),
                Text(
                    words["receives_about"].format(group=self._group_name(group), categories=what)
                ),
            ]
        return Para(tuple(nodes))

    def _missing(self) -> Inline:
        return Text(self.labels["states"]["missing"])

    def _destination(self, code: str) -> str:
        name = self.register.vocabulary.destination_name(code, self.labels["locale"])
        return name or code

    def _group_name(self, group_id: str) -> str:
        subjects = given(self.record.data_subjects)
        groups = subjects.groups if subjects else ()
        return next((g.name for g in groups if g.id == group_id), group_id)

    def _categories(self, categories: list[str]) -> str:
        return join([self.labels["categories_short"][c] for c in categories], self.words["and"])

    def _transfers(self) -> Section:
        transfers, words = self.record.transfers, self.words
        if isinstance(transfers, Explicit) or transfers is None:
            content = (state_block(transfers, self.labels),) if transfers else ()
            return Section(self.section_label["transfers"], (self._row("transfers", content),))
        content: list[Block] = list(self._text(transfers.description))
        for item in transfers.items:
            system = self.register.catalogue.systems.get(item.recipient)
            recipient = system.name if system else item.recipient
            if isinstance(item.country, Explicit):
                where = self.labels["states"][item.country.state]
                place: Inline = Strong((Text(f"{words['country']}: {where}"),))
            else:
                place = Strong((Text(f"{self._destination(item.country)} ({item.country})"),))
            if isinstance(item.mechanism, Explicit):
                mechanism = self.labels["states"][item.mechanism.state]
            elif item.mechanism:
                mechanism = self.labels["mechanisms"][item.mechanism]
            else:
                mechanism = self.labels["states"]["missing"]
            notes = [e.note for e in (item.country, item.mechanism) if isinstance(e, Explicit)]
            why = "".join(f" ({note})" for note in notes if note)
            content.append(Para((place, Text(f": {recipient} — {mechanism}{why}"))))
            content += transfer_lines(item, self.labels)
            content += labelled(words["documentation"], rich(item.documentation, self.labels))
        return Section(self.section_label["transfers"], (self._row("transfers", tuple(content)),))

    def _retention(self) -> Section:
        retention = self.record.retention
        if isinstance(retention, Explicit) or retention is None:
            content = (state_block(retention, self.labels),) if retention else ()
            return Section(self.section_label["retention"], (self._row("retention", content),))
        content: list[Block] = [
            *self._text(retention.description),
            *policy_line(retention.policy, self.labels),
        ]
        for rule in retention.rules:
            label = retention_label(rule, self._categories(rule.categories))
            if rule.subjects:
                groups = join([self._group_name(g) for g in rule.subjects], self.words["and"])
                label = f"{groups} – {label}"
            content += labelled(label[:1].upper() + label[1:], rich(rule.period, self.labels))
            content += retention_detail(rule, self.labels)
        return Section(self.section_label["retention"], (self._row("retention", tuple(content)),))

    def _security(self) -> Section:
        content = self._text(self.record.security)
        return Section(self.section_label["security"], (self._row("security", content),))


# The section a record's key belongs to (an open point's ``about: transfers``).
SECTION_OF = {
    "purposes": "purposes",
    "lawful_basis": "purposes",
    "data_subjects": "subjects",
    "recipients": "recipients",
    "transfers": "transfers",
    "retention": "retention",
    "security": "security",
    "processing": "processing",
    "controllers": "controllers",
}


def accepted_para(item: Acceptance, labels: dict, about: str = "") -> Para:
    """What was accepted, in plain words (no rule code; ``about``: the catalogue entry it
    concerns), then why: "Et punkt, som artikel 30 nævner, er ikke beskrevet: …"."""
    what = labels["accepted_findings"].get(item.rule, item.rule)
    what = f"{what[:1].upper()}{what[1:]}" + (f" ({about})" if about else "")
    return Para((Strong((Text(f"{what}: "),)), Text(item.reason)))


def open_points_section(points: list[OpenPoint], labels: dict) -> Section:
    """One row per open point: its kind ("Spørgsmål", "Antagelse"), what is open, and who
    raised it and when."""
    kinds, words = labels["open_points"], labels["content"]
    rows = []
    for point in points:
        content: list[Block] = list(rich(point.description, labels))
        raised = []
        if point.raised_by:
            raised.append(words["raised_by"].format(by=point.raised_by))
        if point.raised:
            day = long_date(point.raised, labels)
            raised.append(words["raised_on"].format(date=day))
        if point.about:  # a record's key reads as its section's name
            key = SECTION_OF.get(point.about, "")
            about = labels["sections"].get(key, point.about)
            raised.append(words["about"].format(about=about))
        if raised:
            content.append(Para((Text(", ".join(raised)),)))
        rows.append(Row(kinds[point.kind], tuple(content)))
    return Section(labels["sections"]["open_points"], tuple(rows))
