"""The small pieces of content every section is made of: record text, a state in words, a contact.

Kept apart from the sections (:mod:`ropa_build.render.sections`) so that each says one thing:
here how one value becomes rich text, there which rows a record has.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date

from ropa_build.models import Contact, Explicit
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


def rich(value: str | Explicit | None, labels: dict) -> tuple[Block, ...]:
    """Record text as rich text; an explicit state as its words; nothing as nothing."""
    if isinstance(value, Explicit):
        return (state(value, labels),)
    return parse(value) if value else ()


def state(value: Explicit, labels: dict) -> Para:
    """ "Ikke udpeget — Virksomheden er ikke forpligtet (art. 37)": the state in words, bold,
    then its note. An open state reads as open ("Afventer afklaring"), never as a fact."""
    nodes: list[Inline] = [Strong((Text(labels["states"][value.state]),))]
    if value.note:
        nodes.append(Text(f" — {value.note}"))
    return Para(tuple(nodes))


def long_date(day: dt.date, labels: dict) -> str:
    """ "1. oktober 2026" / "1 October 2026", in the labels' language."""
    return format_date(day, labels["date_format"], locale=labels["locale"])


def words(text: str) -> Para:
    return Para((Text(text),))


def join(items: list[str], and_word: str) -> str:
    """'a', 'a og b', 'a, b og c' — as a sentence lists things."""
    return ", ".join(items[:-1]) + f" {and_word} {items[-1]}" if len(items) > 1 else "".join(items)


def labelled(label: str, blocks: tuple[Block, ...]) -> list[Block]:
    """``label: text`` — the label in bold, joined to the first paragraph when there is one."""
    head = Strong((Text(f"{label}: "),))
    if blocks and isinstance(blocks[0], Para):
        return [Para((head, *blocks[0].children)), *blocks[1:]]
    return [Para((head,)), *blocks] if blocks else []


def contacts(contact: Contact | Explicit | None, labels: dict) -> tuple[Block, ...]:
    if isinstance(contact, Explicit):
        return (state(contact, labels),)
    return (contact_block(contact, labels),) if contact else ()


def contact_block(contact: Contact, labels: dict) -> Para:
    """Name, contact person, address, registration number, web, phone and e-mail, one per
    line; web and e-mail clickable."""
    name = f"{contact.title}, {contact.name}" if contact.title else contact.name
    nodes: list[Inline] = list(lines([name, *filter(None, [contact.address])]))
    if contact.cvr:
        nodes += [Break(), Text(f"CVR: {contact.cvr}")]
    for number in contact.registration:
        nodes += [Break(), Text(f"{number.kind}: {number.number}")]
    if contact.contact_person:
        nodes += [Break(), Text(f"{labels['content']['contact_person']}: {contact.contact_person}")]
    if contact.web:
        nodes += [Break(), web(contact.web)]
    if contact.phone:
        nodes += [Break(), Text(contact.phone)]
    for email in contact.email:
        nodes += [Break(), Link(f"mailto:{email}", (Text(email),))]
    return Para(tuple(nodes))


def web(address: str) -> Inline:
    """A website as a link ("example.com" to https://example.com) when a browser can open it.

    "javascript:alert(1)" has no "://", so it would become https://javascript:alert(1): text.
    """
    href = address if "://" in address else f"https://{address}"
    return Link(href, (Text(address),)) if linkable(href) else Text(address)


def reference(text: str) -> Inline:
    """Where a document is (a processing agreement, a policy): a link when it is one (an http(s)
    address or a relative path beside the register), else the words as written."""
    return (
        Link(text, (Text(text),))
        if linkable(text) and ("://" in text or "/" in text)
        else (Text(text))
    )
