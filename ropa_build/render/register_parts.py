"""The register's own content, stated once: its approval, introduction, scope, roles, version
log, review, and the open points of the register as a whole.

Given to the templates as plain data on the register view (``approval``, ``about``); where a
template places them (the cover, an opening section) is the template's business.
"""

from __future__ import annotations

from ropa_build.render.blocks import long_date as _date
from ropa_build.render.blocks import rich
from ropa_build.render.rows import Row, Section
from ropa_build.render.sections import accepted_para, open_points_section
from ropa_build.richtext import Block, ListBlock, Para, Text
from ropa_build.validate import Register


def approval_line(register: Register, labels: dict) -> str:
    """ "Godkendt af Direktionen den 1. marts 2026 (version 2.0)", or "" when not approved."""
    approved = register.organisation.document.approved
    if approved is None:
        return ""
    words = labels["register"]
    line = words["approved_line"].format(by=approved.by, date=_date(approved.date, labels))
    return (
        f"{line} ({words['version_of'].format(version=approved.version)})"
        if (approved.version)
        else line
    )


def about_sections(register: Register, labels: dict) -> tuple[Section, ...]:
    """The register-level sections that have content: about the register, its open points."""
    document, words = register.organisation.document, labels["register"]
    rows: list[Row] = []

    def add(key: str, content: tuple[Block, ...]) -> None:
        if content:
            rows.append(Row(words[key], content))

    add("introduction", rich(document.introduction, labels))
    add("scope", rich(document.scope, labels))
    add("roles", rich(document.roles, labels))
    if document.approved:
        add("approved", (Para((Text(approval_line(register, labels)),)),))
    for entry in document.version_log:
        head = words["version_entry"].format(version=entry.version, date=_date(entry.date, labels))
        text = " — ".join(filter(None, [head, entry.by, entry.changes]))
        add("version_log", (Para((Text(text),)),))
    if document.next_review:
        add("next_review", (Para((Text(_date(document.next_review, labels)),)),))
    triggers = tuple((Para((Text(t),)),) for t in document.review_triggers)
    add("review_triggers", (ListBlock(False, triggers),) if triggers else ())
    sections = [Section(labels["sections"]["about"], tuple(rows))]
    sections.append(open_points_section(register.organisation.open_points, labels))
    sections.append(_accepted(register, labels))
    return tuple(s for s in sections if s.rows)


def _accepted(register: Register, labels: dict) -> Section:
    """Warnings accepted in organisation.yaml and at catalogue entries, as a record's are in
    its notes: what and why, in plain words."""
    label = labels["rows"]["accepted"]
    accepted = [accepted_para(item, labels) for item in register.organisation.accepted]
    accepted += [
        accepted_para(item, labels, system.name)
        for system in register.catalogue.systems.values()
        for item in system.accepted
    ]
    rows = tuple(Row(label["text"], (para,), label.get("hint", "")) for para in accepted)
    return Section(labels["sections"]["notes"], rows)
