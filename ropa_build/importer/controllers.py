"""The processor register's controllers, read back: each one's contact, then the lines the build
writes after it (:func:`ropa_build.render.extras.controller_lines`) — the processing agreement
("Databehandleraftale: 2.1, 1. marts 2026, underskrevet"), since when it is a customer ("Kunde
siden: …") and its representative ("Repræsentant: …", a name).
"""

from __future__ import annotations

from ropa_build.importer import fields
from ropa_build.importer.days import parse_date
from ropa_build.importer.grid import Para
from ropa_build.importer.labels import Labels
from ropa_build.importer.text import normal, plain_lines


def controllers(paras: list[Para], labels: Labels) -> list[dict]:
    """One controller per paragraph when paragraphs hold line breaks (as we write), else one."""
    if any("\n" in p.text.strip() for p in paras):
        found = [_controller(plain_lines([p]), labels) for p in paras]
    else:
        found = [_controller(plain_lines(paras), labels)]
    return [c for c in found if c]


def _controller(lines: list[str], labels: Labels) -> dict | None:
    words = _words(labels)
    own: dict = {}
    rest = []
    for line in lines:
        head, colon, value = line.partition(": ")
        key = words.get(normal(head)) if colon and rest else None
        read = _detail(key, value.strip(), labels) if key and key not in own else None
        if read is None:
            rest.append(line)
        else:
            own[key] = read
    found = fields.contact(rest, labels)
    return {**found, **own} if found else None


def _words(labels: Labels) -> dict[str, str]:
    return {
        normal(data["extra"][key]): key
        for data in labels.by_lang.values()
        for key in ("agreement", "onboarded", "representative")
    }


def _detail(key: str, value: str, labels: Labels):
    if key == "representative":
        return {"name": value} if value else None
    if key == "onboarded":
        return parse_date(value, labels)
    statuses = {
        normal(text): status
        for data in labels.by_lang.values()
        for status, text in data["extra"]["agreement_statuses"].items()
    }
    agreement: dict = {}
    for part in value.split(", "):
        day = parse_date(part, labels)
        if day and "date" not in agreement:
            agreement["date"] = day
        elif normal(part) in statuses and "status" not in agreement:
            agreement["status"] = statuses[normal(part)]
        elif "version" not in agreement and not agreement:
            agreement["version"] = part
        else:
            return None  # not as the build writes it: left in the contact's text
    return agreement or None
