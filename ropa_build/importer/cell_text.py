"""The text of one spreadsheet cell, read back: paragraphs and list items, a contact, an
activity's title and purposes, a transfer's place, the Art. 6 and 9 letters.

Each reader understands what the export writes (:mod:`ropa_build.render.cells`: "• " items, a
blank line between paragraphs, "USA (US): recipient") and the looser forms a person types in the
ICO's template ("Article 6(1)(b)", "Contract").
"""

from __future__ import annotations

import re

from ropa_build.importer import fields, states
from ropa_build.importer.basis import lawful_basis
from ropa_build.importer.grid import Para, Run
from ropa_build.importer.labels import Labels
from ropa_build.importer.text import markdown, normal, plain_lines

_URL = re.compile(r"https?://[^\s()<>\"'\[\]{}|\\^`]*%[^\s()<>\"'\[\]{}|\\^`]*")
BULLET = re.compile(r"^(\s*)(•|-|\d{1,3}\.)\s+")
LOCATION = re.compile(r"^(?P<name>.+?) \((?P<codes>[A-Z]{2}(?:, [A-Z]{2}|, org:[a-z0-9-]+)*)\)$")
PLACE = re.compile(r"^(?P<place>.+?): (?P<rest>.+)$")
_ARTICLE = {"art6": r"6\s*\(\s*1\s*\)", "art9": r"9\s*\(\s*2\s*\)"}
_ICO_BASES = {
    "consent": "a",
    "contract": "b",
    "legal obligation": "c",
    "vital interests": "d",
    "public task": "e",
    "legitimate interests": "f",
}


def title_and_purposes(text: str) -> tuple[str, str]:
    """ "Title\\n\\nPurposes" as the export writes it; one line is the title alone (no
    purposes: the caller decides)."""
    text = text.strip()
    if "\n\n" in text:
        title, purposes = text.split("\n\n", 1)
        return " ".join(title.split()), purposes.strip()
    first, _, rest = text.partition("\n")
    return " ".join(first.split()), rest.strip()


def party(values: list[str], labels: Labels) -> dict | None:
    name, address, email, phone = values
    stated = states.state_text(name, labels) if name.strip() else None
    if stated:
        return stated
    lines = [name.strip(), *plain_lines([para(address)]), *email.split(), phone.strip()]
    return fields.contact([line for line in lines if line], labels)


def paras(text: str) -> list[Para]:
    """Plain cell text as paragraphs: a blank line ends one, "• " and "1. " start list items
    (indented two spaces a level), other lines are line breaks."""
    out: list[Para] = []
    for block in text.replace("\r", "").split("\n\n"):
        lines: list[str] = []
        for line in block.split("\n"):
            bullet = BULLET.match(line)
            if bullet:
                if lines:
                    out.append(para("\n".join(lines)))
                    lines = []
                kind = "bullet" if bullet.group(2) in "•-" else "ordered"
                item = para(line[bullet.end() :])
                item.list, item.level = kind, len(bullet.group(1)) // 2
                out.append(item)
            elif line.strip():
                lines.append(line.strip())
        if lines:
            out.append(para("\n".join(lines)))
    return out


def para(text: str) -> Para:
    """One paragraph of cell text. A bare web address is linked by the build anyway, shown
    decoded ("%C3%A5" as "å"): one with a "%" is made a link with its text as written."""
    runs, at = [], 0
    for found in _URL.finditer(text):
        url = found.group(0).rstrip(".,;:!?")
        if found.start() > at:
            runs.append(Run(text[at : found.start()]))
        runs.append(Run(url, href=url))
        at = found.start() + len(url)
    if at < len(text) or not runs:
        runs.append(Run(text[at:]))
    return Para(runs)


def transfer_place(line: str, labels: Labels) -> tuple[object, str, str] | None:
    """ "USA (US): recipient", or a state "Skal verificeres — why: recipient": the country (a
    code or a state), the recipient, and the place as written (the safeguard line repeats it)."""
    found = PLACE.match(line.strip())
    if not found:
        return None
    place = found.group("place")
    code = re.fullmatch(r".+ \(([A-Z]{2}|org:[a-z0-9-]+)\)", place)
    if code:
        return code.group(1), found.group("rest"), place
    stated = states.state_text(place, labels)
    return (stated, found.group("rest"), place) if stated else None


def letters(text: str, article: str, labels: Labels) -> list[str] | None:
    """Art. 6/9 letters: as the export writes them, as "6(1)(b)", or the ICO's words."""
    found = lawful_basis(paras(text), labels).get(article)
    if found:
        return found
    letters = re.findall(_ARTICLE[article] + r"\s*\(\s*([a-j])\s*\)", text)
    if article == "art6":
        letters += [x for words, x in _ICO_BASES.items() if re.search(rf"\b{words}\b", text, re.I)]
    return sorted(dict.fromkeys(letters)) or None


def column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "…"


def safeguard(item: dict, line: str, labels: Labels) -> str | None:
    """A safeguards cell's line, "mechanism — documentation" (the place before it taken off),
    into the transfer ``item``; a note for the report where it names no mechanism. A state is
    written "state — why", so a state's second part is its note, any further its
    documentation."""
    said, *rest = line.split(" — ")
    mechanism = labels.mechanisms.get(normal(said))
    stated = states.state_text(said, labels) if not mechanism else None
    note = None
    if mechanism or stated:
        item["mechanism"] = mechanism or stated
        if stated and rest:
            stated["note"] = rest.pop(0)
    elif said.strip() and said.strip() != "?":
        rest.insert(0, said)
        note = f"'{short(said)}' is no mechanism"
    documented = " — ".join(rest)
    if documented.strip():
        item["documentation"] = markdown(paras(documented))
    return note
