"""What every output shows, decided once: the register as sections of rows of rich text.

The three formats differ only in markup, so the legal content — which rows a controller or a
processor record has, which checklist lines are listed, how a recipient shows what it receives —
is built here from the validated register and the label file, and each format's templates only
lay it out. A row is one line of Datatilsynet's table: a description (with an italic hint), the
content, and for checklist lines a mark.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_date

from ropa_build.models import Contact, Record
from ropa_build.provenance import Provenance
from ropa_build.richtext import (
    Block,
    Break,
    Inline,
    Link,
    Para,
    Strong,
    Text,
    lines,
    linkable,
    parse,
)
from ropa_build.validate import Activity, Register
from ropa_build.vocabulary import country_name


@dataclass(frozen=True)
class Row:
    description: str
    content: tuple[Block, ...] = ()
    hint: str = ""
    mark: bool | None = None  # None: not a checklist line


@dataclass(frozen=True)
class Section:
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class ActivityHead:
    """What the register-wide parts of a document show of an activity (its contents line)."""

    id: str
    title: str
    month: str
    meta: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ActivityView(ActivityHead):
    """One activity's table; its head is all the register-wide templates see of it, except
    inside the block that renders the activity itself."""

    sections: tuple[Section, ...]

    @property
    def head(self) -> ActivityHead:
        return ActivityHead(self.id, self.title, self.month, self.meta)


@dataclass(frozen=True)
class LogRow:
    """One line of the change log annex (:mod:`ropa_build.changelog`), worded: plain text that
    each format escapes."""

    date: str
    activity: str
    what: str
    author: str
    pull_request: str  # "#123", or ""


@dataclass(frozen=True)
class Annex:
    rows: tuple[LogRow, ...]  # newest first
    notes: tuple[str, ...]  # since when, how many are left out, an incomplete history


@dataclass(frozen=True)
class RegisterView:
    lang: str
    role: str  # "controller" (Art. 30(1)) or "processor" (Art. 30(2)): a register is one or other
    stem: str  # the register's file names: register.docx, register-processor.md, …
    title: str
    organisation: str
    version: str
    date: str
    labels: dict
    activities: Sequence[ActivityHead]  # heads, or whole views where a template needs them
    provenance: Provenance | None = None  # version, commit, short, date, dirty, shallow, tool
    stamp: tuple[str, ...] = ()  # the provenance worded: the cover's line(s)
    built: str = ""  # the provenance's date (the commit's), worded
    changelog: Annex | None = None  # the change log annex; None: none (--no-changelog)

    def key(self) -> str:
        """What the register-wide files show besides the activities and the input files: the
        provenance and the change log (their cache key must change with them)."""
        return repr((self.provenance, self.stamp, self.built, self.changelog))


#: Each role's register and the stem of its file names; an organisation that is both controller
#: and processor keeps two records (Art. 30(1) and (2); CNIL says so explicitly), so that either
#: can be handed to the authority alone.
STEMS = {"controller": "register", "processor": "register-processor"}


def register_view(
    register: Register,
    labels: dict,
    lang: str,
    role: str,
    provenance: Provenance | None = None,
    changelog: Annex | None = None,
) -> RegisterView:
    """One role's register, without its activities (the render stage adds them as they are made);
    its date is its newest record's, so a rebuild never changes it.

    The version is the organisation's ``document.version`` where it gives one, else the git
    version (a register that states none is never shown as an invented "1")."""
    days = [a.record.updated for a in register.activities if a.record.role == role]
    document = register.organisation.document
    version = document.version if "version" in document.model_fields_set else ""
    return RegisterView(
        lang=lang,
        role=role,
        stem=STEMS[role],
        title=f"{labels['document']['register_title']} ({labels['roles'][role]})",
        organisation=register.organisation.controller.name,
        version=version or (provenance.version if provenance else ""),
        date=_date(max(days, default=dt.date(1970, 1, 1)), labels),
        labels=labels,
        activities=(),
        provenance=provenance,
        stamp=_stamp(provenance, labels),
        built=_date(provenance.date.date(), labels) if provenance else "",
        changelog=changelog,
    )


def _stamp(provenance: Provenance | None, labels: dict) -> tuple[str, ...]:
    """The provenance line, and a line per caveat (uncommitted changes, a shallow clone)."""
    if provenance is None:
        return ()
    words = labels["provenance"]
    day = _date(provenance.date.date(), labels)
    if not provenance.commit:
        first = words["outside"].format(date=day)
    elif provenance.version == provenance.short or provenance.version == provenance.commit:
        first = words["commit"].format(commit=provenance.short, date=day)  # no tag to name
    else:
        first = words["line"].format(version=provenance.version, commit=provenance.short, date=day)
    lines = [f"{first} · {words['tool'].format(version=provenance.tool)}"]
    lines += [words[flag] for flag in ("dirty", "shallow") if getattr(provenance, flag)]
    return tuple(lines)


def activity_view(register: Register, activity: Activity, labels: dict) -> ActivityView:
    """One activity's table, laid out for its role (Art. 30(1) or 30(2))."""
    record, doc = activity.record, labels["document"]
    build = _Sections(register, record, labels)
    sections = build.processor() if record.role == "processor" else build.controller()
    title = doc["activity_title"].format(title=record.title, role=labels["roles"][record.role])
    month = format_date(record.updated, labels["month_format"], locale=labels["locale"])
    meta = (
        (doc["owner"], record.owner),
        (doc["updated"], _date(record.updated, labels)),
        (doc["reviewed"], _date(record.reviewed, labels)),
    )
    return ActivityView(
        activity.id,
        title,
        month[:1].upper() + month[1:],
        meta,
        tuple(s for s in [*sections, build.notes()] if s.rows),
    )


def _date(day: dt.date, labels: dict) -> str:
    return format_date(day, labels["date_format"], locale=labels["locale"])


class _Sections:
    """Builds the sections of one record; one method per section of the template."""

    def __init__(self, register: Register, record: Record, labels: dict):
        self.register, self.record, self.labels = register, record, labels
        self.section_label, self.row_label = labels["sections"], labels["rows"]

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
            (self._row("controllers", tuple(_contact(c) for c in record.controllers)),),
        )
        processing = Section(
            self.section_label["processing"], (self._row("processing", _rich(record.processing)),)
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

    def notes(self) -> Section:
        """Lint warnings accepted on purpose, with their reasons: shown, not hidden."""
        from ropa_build.check import RULES

        rows = []
        for item in self.record.accepted:
            provision = RULES[item.rule].provision if item.rule in RULES else ""
            head = f"{item.rule} ({provision}): " if provision else f"{item.rule}: "
            rows.append(self._row("accepted", (Para((Strong((Text(head),)), Text(item.reason))),)))
        return Section(self.section_label["notes"], tuple(rows))

    def _row(self, key: str, content: tuple[Block, ...] = (), mark: bool | None = None) -> Row:
        label = self.row_label[key]
        if isinstance(label, str):
            return Row(label, content, "", mark)
        return Row(label["text"], content, label.get("hint", ""), mark)

    def _party(self, name: str) -> Contact | None:
        """The record's own party where it states one, else the organisation's."""
        if name in self.record.model_fields_set:
            return getattr(self.record, name)
        return getattr(self.register.organisation, name)

    def _parties(self, section: str, organisation: str, representative: str) -> Section:
        rows = [self._row(organisation, _contacts(self._party("controller")))]
        if section == "controller":
            rows.append(self._row("joint_controller", _contacts(self._party("joint_controller"))))
        rows += [
            self._row(representative, _contacts(self._party("representative"))),
            self._row("dpo", _contacts(self._party("dpo"))),
        ]
        return Section(self.section_label[section], tuple(rows))

    def _purposes(self) -> Section:
        rows = [self._row("purposes", _rich(self.record.purposes))]
        basis = self.record.lawful_basis
        if basis:
            words, content = self.labels["content"], []
            for article, letters in (("art6", basis.art6), ("art9", basis.art9)):
                if letters:
                    joined = _join(
                        [words["letter"].format(letter) for letter in letters], words["and"]
                    )
                    content.append(Para((Text(words[article].format(letters=joined)),)))
            if basis.art10:
                content.append(Para((Text(words["art10"].format(ground=basis.art10)),)))
            rows.append(self._row("lawful_basis", (*content, *_rich(basis.description))))
        return Section(self.section_label["purposes"], tuple(rows))

    def _subjects(self) -> Section:
        subjects = self.record.data_subjects
        if subjects is None:
            return Section(self.section_label["subjects"], (self._row("subject_categories"),))
        rows = [self._row("subject_categories", _rich(subjects.description))]
        vocabulary, names = self.register.vocabulary, self.labels["categories"]
        always = set(vocabulary.always_listed())
        for group in subjects.groups:
            intro = (Para((Text(self.row_label["group_intro"]),)), *_rich(group.details))
            rows.append(Row(self.row_label["group"].format(name=group.name), intro))
            rows += [
                Row("", (Para((Text(names[category]),)),), mark=category in group.categories)
                for category in vocabulary.categories
                if category in always or category in group.categories
            ]
        return Section(self.section_label["subjects"], tuple(rows))

    def _recipients(self) -> Section:
        recipients = self.record.recipients
        rows = [self._row("recipients", _rich(recipients.description) if recipients else ())]
        for part in ("internal", "processors", "others"):
            uses = getattr(recipients, part, ()) if recipients else ()
            if uses or part != "others":
                rows.append(self._row(part, tuple(self._recipient(use) for use in uses)))
        return Section(self.section_label["recipients"], tuple(rows))

    def _recipient(self, use) -> Para:
        """The recipient's name in bold, then one line per subject group: what it receives."""
        system = self.register.catalogue.systems[use.ref]
        name = f"{system.name} ({system.used_for})" if system.used_for else system.name
        nodes: list[Inline] = [Strong((Text(name),))]
        if use.note:
            nodes.append(Text(f" — {use.note}"))
        template = self.labels["content"]["receives_about"]
        for group, categories in use.receives.items():
            what = self._categories(categories)
            nodes += [
                Break(),
                Text(template.format(group=self._group_name(group), categories=what)),
            ]
        return Para(tuple(nodes))

    def _group_name(self, group_id: str) -> str:
        groups = self.record.data_subjects.groups if self.record.data_subjects else ()
        return next((g.name for g in groups if g.id == group_id), group_id)

    def _categories(self, categories: list[str]) -> str:
        return _join(
            [self.labels["categories_short"][c] for c in categories], self.labels["content"]["and"]
        )

    def _transfers(self) -> Section:
        transfers, words = self.record.transfers, self.labels["content"]
        content: list[Block] = list(_rich(transfers.description) if transfers else ())
        for item in transfers.items if transfers else ():
            country = country_name(item.country, self.labels["locale"]) or item.country
            system = self.register.catalogue.systems.get(item.recipient)
            recipient = system.name if system else item.recipient
            mechanism = self.labels["mechanisms"][item.mechanism] if item.mechanism else "?"
            content.append(
                Para(
                    (
                        Strong((Text(f"{country} ({item.country})"),)),
                        Text(f": {recipient} — {mechanism}"),
                    )
                )
            )
            content += _labelled(words["documentation"], _rich(item.documentation))
        return Section(self.section_label["transfers"], (self._row("transfers", tuple(content)),))

    def _retention(self) -> Section:
        retention = self.record.retention
        content: list[Block] = list(_rich(retention.description) if retention else ())
        for rule in retention.rules if retention else ():
            label = self._categories(rule.categories)
            if rule.subjects:
                groups = _join(
                    [self._group_name(g) for g in rule.subjects], self.labels["content"]["and"]
                )
                label = f"{groups} – {label}"
            content += _labelled(label[:1].upper() + label[1:], _rich(rule.period))
        return Section(self.section_label["retention"], (self._row("retention", tuple(content)),))

    def _security(self) -> Section:
        return Section(
            self.section_label["security"], (self._row("security", _rich(self.record.security)),)
        )


def _rich(text: str | None) -> tuple[Block, ...]:
    return parse(text) if text else ()


def _join(items: list[str], and_word: str) -> str:
    """'a', 'a og b', 'a, b og c' — as a sentence lists things."""
    return ", ".join(items[:-1]) + f" {and_word} {items[-1]}" if len(items) > 1 else "".join(items)


def _labelled(label: str, blocks: tuple[Block, ...]) -> list[Block]:
    """``label: text`` — the label in bold, joined to the first paragraph when there is one."""
    head = Strong((Text(f"{label}: "),))
    if blocks and isinstance(blocks[0], Para):
        return [Para((head, *blocks[0].children)), *blocks[1:]]
    return [Para((head,)), *blocks] if blocks else []


def _contacts(contact: Contact | None) -> tuple[Block, ...]:
    return (_contact(contact),) if contact else ()


def _contact(contact: Contact) -> Para:
    """Name, address, CVR, web, phone and e-mail, one per line; web and e-mail clickable."""
    name = f"{contact.title}, {contact.name}" if contact.title else contact.name
    nodes: list[Inline] = list(lines([name, *filter(None, [contact.address])]))
    if contact.cvr:
        nodes += [Break(), Text(f"CVR: {contact.cvr}")]
    if contact.web:
        nodes += [Break(), _web(contact.web)]
    if contact.phone:
        nodes += [Break(), Text(contact.phone)]
    for email in contact.email:
        nodes += [Break(), Link(f"mailto:{email}", (Text(email),))]
    return Para(tuple(nodes))


def _web(web: str) -> Inline:
    """A website as a link ("example.com" to https://example.com) when a browser can open it.

    "javascript:alert(1)" has no "://", so it would become https://javascript:alert(1): text.
    """
    href = web if "://" in web else f"https://{web}"
    return Link(href, (Text(web),)) if linkable(href) else Text(web)
