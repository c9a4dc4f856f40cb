"""Read the content of one row into the record's structure: contacts, recipients, transfers,
retention rules and accepted warnings (the lawful basis: :mod:`.basis`).

Each reader understands what the build writes (so a register round-trips) and the looser forms
people type; what it cannot read stays text in the field's description, never dropped. Phrases
come from the label files (:mod:`ropa_build.importer.labels`), both languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ropa_build.importer import states
from ropa_build.importer.extras import transfer_line
from ropa_build.importer.grid import Para
from ropa_build.importer.labels import Labels
from ropa_build.importer.text import drop, markdown, normal, plain_lines

EMAIL = re.compile(r"^[^@\s<>\"/,;]+@[^@\s<>\"/,;]+\.[^@\s<>\"/,;]+$")
_CVR = re.compile(r"\bCVR(?:-nr\.?|-nummer|\s*nr\.?)?\s*[:.]?\s*(\d{8})\b", re.I)
_WEB = re.compile(r"^(https?://\S+|www\.\S+|[\w-]+(\.[\w-]+)+\.[a-z]{2,}(/\S*)?)$", re.I)
_PHONE = re.compile(r"^(?:(?:tlf|tel|telefon|phone)\.?:?\s*)?\+?[\d\s().-]{6,}$", re.I)
_ITEM = re.compile(r"^(?P<country>.+?) \((?P<code>[A-Z]{2})\): (?P<recipient>.+?) — (?P<mech>.+)$")
_STATED = re.compile(r"^(?P<word>[^:]+): (?P<state>[^:]+): (?P<recipient>.+?) — (?P<mech>.+)$")
_ACCEPTED = re.compile(
    r"^(?P<rule>[a-z0-9][a-z0-9-]*)(?: \((?P<provision>.*?)\))?: (?P<reason>.+)$"
)
_REGISTRATION = re.compile(r"^(?=.*\d)[A-Z0-9][A-Z0-9 .-]{3,}$")  # "DK12345678", "556677-8899"
_HEAD = re.compile(r"^\*\*(?P<label>[^*]+?):\*\*\s*")


def contact(lines: list[str], labels: Labels | None = None) -> dict | None:
    """Name first, then CVR, registration numbers ("VAT: DK12345678"), the contact person (its
    label from ``labels``), website, phone and e-mail lines recognised; the rest is address."""
    if not lines:
        return None
    if len(lines) == 1:
        lines = _unflatten(lines[0])
    head, rest = lines[0], lines[1:]
    out: dict = {}
    title, _, name = head.partition(", ")
    if name and len(title.split()) <= 3 and "(" not in title and len(title) <= 30:
        out["title"], out["name"] = title, name
    else:
        out["name"] = head
    address: list[str] = []
    emails: list[str] = []
    for line in rest:
        found = _CVR.search(line)
        if found and "cvr" not in out:
            out["cvr"] = found.group(1)
            line = (line[: found.start()] + line[found.end() :]).strip(" ,;")
            if not line:
                continue
        kind, colon, value = line.partition(": ")
        if colon and labels is not None and normal(kind) in labels.person_words:
            out.setdefault("contact_person", value.strip())
            continue
        if colon and _REGISTRATION.match(value) and len(kind) <= 25 and not re.search(r"\d", kind):
            out.setdefault("registration", []).append({"kind": kind, "number": value})
            continue
        parts = [p for p in re.split(r"[\s/,;]+", line.removeprefix("mailto:")) if p]
        if parts and all(EMAIL.match(p) for p in parts):
            emails += parts
        elif _WEB.match(line) and "web" not in out:
            out["web"] = line
        elif _PHONE.match(line) and sum(c.isdigit() for c in line) >= 6 and "phone" not in out:
            out["phone"] = line
        else:
            address.append(line)
    if address:
        out["address"] = ", ".join(address)
    if emails:
        out["email"] = emails
    order = ("name", "title", "cvr", "registration", "contact_person", "address", "web", "phone")
    order += ("email",)
    return {k: out[k] for k in order if k in out}


_PIECES = (
    (
        "email",
        re.compile(
            r"[^@\s<>\"/,;]+@[^@\s<>\"/,;]+\.[A-Za-z]{2,}(?:\s*/\s*[^@\s<>\"/,;]+@"
            r"[^@\s<>\"/,;]+\.[A-Za-z]{2,})*"
        ),
    ),
    ("web", re.compile(r"\b(?:https?://|www\.)\S+")),
    ("cvr", _CVR),
    ("phone", re.compile(r"(?:\+\s?\d{2}\s?)?\b\d{2}(?:\s?\d{2}){3}\b")),
    (
        "address",
        re.compile(r"\b[A-ZÆØÅ][\wæøå.-]+\s+\d+\s?[a-zA-Z]?,?\s+\d{4}\s+[A-ZÆØÅ][\wæøå-]+"),
    ),
)


def _unflatten(line: str) -> list[str]:
    """A contact typed on one line ("Firma ApS Gade 12 6600 By CVR: 12345678") into its lines."""
    found: list[str] = []
    rest = line
    for kind, pattern in _PIECES:
        match = pattern.search(rest)
        if match:
            piece = f"CVR: {match.group(1)}" if kind == "cvr" else match.group(0).strip()
            found.append(piece)
            rest = (rest[: match.start()] + " " + rest[match.end() :]).strip(" ,;")
            rest = " ".join(rest.split())
    if not found or not rest:
        return [line]
    order = {"address": 0, "cvr": 1, "web": 2, "phone": 3, "email": 4}
    return [rest, *sorted(found, key=lambda p: order[_kind(p)])]


def _kind(piece: str) -> str:
    if piece.startswith("CVR: "):
        return "cvr"
    if "@" in piece:
        return "email"
    if piece.startswith(("http", "www.")):
        return "web"
    return "phone" if piece.lstrip("+").replace(" ", "").isdigit() else "address"


def split_names(text: str, names: dict[str, str]) -> list[str] | None:
    """'a, b og c' into the keys of ``names`` (normalised name → key); None if any is unknown.

    Names may themselves hold ', ' or ' og ' ("brugs- og logoplysninger"), so the text is
    matched name by name, longest first, with a separator between.
    """
    text = normal(text)
    ordered = sorted(names, key=len, reverse=True)

    def parse(i: int) -> list[str] | None:
        if i == len(text):
            return []
        for name in ordered:
            if text.startswith(name, i):
                j = i + len(name)
                if j == len(text):
                    return [names[name]]
                for sep in (", ", " og ", " and ", " & "):
                    if text.startswith(sep, j):
                        rest = parse(j + len(sep))
                        if rest is not None:
                            return [names[name], *rest]
        return None

    return parse(0) if text else None


@dataclass
class Use:
    name: str
    used_for: str | None
    note: str | None
    receives: dict[str, list[str]]
    unread: list[str]
    details: dict[str, str] = field(default_factory=dict)  # "vendor" → "Visma Enterprise A/S"
    every: bool = False  # "Fælles for alle aktiviteter i fortegnelsen": the register's own


def recipients(paras: list[Para], labels: Labels, groups: dict[str, str]) -> list[Use]:
    """A name line "Name (used for) — note", the catalogue's detail lines ("Juridisk enhed: …",
    "Behandles i: …", "Databehandleraftale: …"), then "modtager om <group>: <categories>"."""
    uses: list[Use] = []
    for line in plain_lines(paras):
        if uses and normal(line) in labels.every:
            uses[-1].every = True
            continue
        word, colon, value = line.partition(": ")
        detail = labels.details.get(normal(word)) if colon and uses else None
        if detail and detail not in uses[-1].details and not uses[-1].receives:
            uses[-1].details[detail] = value.strip()
            continue
        received = _receives(line, labels, groups)
        if received is not None and uses:
            group, categories = received
            if group and categories is not None:
                uses[-1].receives.setdefault(group, []).extend(categories)
            else:
                uses[-1].unread.append(line)
            continue
        head, _, note = line.partition(" — ")
        name, used_for = split_used_for(head.strip())
        uses.append(Use(name, used_for, note.strip() or None, {}, []))
    return uses


def _receives(line: str, labels: Labels, groups: dict[str, str]):
    for pattern in labels.receives:
        found = pattern.match(line)
        if found:
            group = groups.get(normal(found.group("group")))
            return group, split_names(found.group("c"), labels.short)
    return None


def split_used_for(text: str) -> tuple[str, str | None]:
    """'Name (what it is used for)': the last balanced parenthesis at the end is the use."""
    if not text.endswith(")"):
        return text, None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            name = text[:i].strip()
            return (name, text[i + 1 : -1].strip() or None) if name else (text, None)
    return text, None


@dataclass
class Item:
    country: str | dict
    recipient: str
    mechanism: str | dict | None
    documentation: list[Para] = field(default_factory=list)
    said: str = ""  # the mechanism as written, where it is none the import knows
    detail: dict = field(default_factory=dict)  # scc_module, tia, measures, … (extras.py)


def transfers(paras: list[Para], labels: Labels) -> tuple[list[Para], list[Item]]:
    """The general statement, then "Country (CC): recipient — mechanism" items as we write;
    a country or mechanism may be a state ("Land: Ikke oplyst", "Skal verificeres (why)")."""
    description: list[Para] = []
    items: list[Item] = []
    for para in paras:
        text = " ".join(para.text.split())
        found = _ITEM.match(text) or _STATED.match(text)
        country = found and (found.groupdict().get("code") or _country_state(found, labels))
        if country:
            mechanism, notes = _mechanism(found.group("mech"), labels)
            if notes and isinstance(country, dict):  # the country's note is written first
                country["note"] = notes.pop(0)
            if notes and isinstance(mechanism, dict):
                mechanism["note"] = notes.pop(0)
            said = (
                "" if mechanism or normal(found.group("mech")) in labels.missing else found["mech"]
            )
            items.append(Item(country, found.group("recipient"), mechanism, said=said))
        elif items and (detail := transfer_line(para, labels)):
            items[-1].detail.setdefault(detail[0], detail[1])
        elif items:
            items[-1].documentation.append(_unlabel(para, labels.documentation))
        else:
            description.append(para)
    return description, items


def _country_state(found: re.Match, labels: Labels) -> dict | None:
    if normal(found.group("word")) not in labels.country_words:
        return None
    return states.state_text(found.group("state"), labels)


def _mechanism(text: str, labels: Labels) -> tuple[str | dict | None, list[str]]:
    """The mechanism (a key, or a state), and the notes written after it in parentheses."""
    clean = " ".join(text.split())
    for name, key in labels.mechanisms.items():
        if normal(clean) == name:
            return key, []
        if normal(clean).startswith(f"{name} (") and clean.endswith(")"):
            return key, [clean[len(name) + 2 : -1]]
    return states.with_notes(clean, labels)


def _unlabel(para: Para, words: list[str]) -> Para:
    """The paragraph without its leading "Dokumentation: " label."""
    for word in words:
        if para.text.lstrip().startswith(f"{word}: "):
            return drop_head(para, len(para.text) - len(para.text.lstrip()) + len(word) + 2)
    return para


def drop_head(para: Para, count: int) -> Para:
    """The paragraph without its first ``count`` characters (a label before the value)."""
    return Para(drop(para.runs, count), para.style, para.list, para.level, para.checked)


def retention(paras: list[Para], labels: Labels, groups: dict[str, str]) -> dict:
    """The general rule, then "Categories: period" (or "Groups – categories: period", or a kind
    of record: "Sikkerhedskopier: period") rules, each with its detail line ("Regnet fra: … ·
    Metode: … · Hjemmel: …", as :func:`ropa_build.render.extras.retention_detail` writes it)."""
    description: list[Para] = []
    rules: list[tuple[dict, list[Para]]] = []
    for para in paras:
        detail = _retention_detail(para.text.strip(), labels)
        if detail and rules:
            rules[-1][0].update(detail)
            continue
        label, _, _ = para.text.strip().partition(": ")
        parsed = _rule_label(label, labels, groups, bool(rules)) if ": " in para.text else None
        period = drop_head(para, para.text.find(": ") + 2) if parsed else None
        if parsed and markdown([period]):
            rules.append((parsed, [period]))
        elif rules:
            rules[-1][1].append(para)
        else:
            description.append(para)
    out: dict = {}
    if markdown(description):
        out["description"] = markdown(description)
    out["rules"] = [{**rule, "period": markdown(period)} for rule, period in rules]
    if not out["rules"]:
        del out["rules"]
    return out


def _rule_label(label: str, labels: Labels, groups: dict[str, str], after: bool) -> dict | None:
    """A rule's label: its groups and categories; or the kind of record it is about (logs,
    backups), with its categories after a dash — taken so only as a short name, or after a rule
    (a sentence with a colon in the general rule stays text)."""
    who, dash, what = label.partition(" – ")
    if not dash:
        who, what = "", label
    categories = split_names(what, labels.short)
    if not categories:
        if dash or not (after or len(label) <= 40) or label.rstrip().endswith("."):
            return None
        return {"records": label.strip()}
    rule: dict = {"categories": categories}
    if who:
        subjects = split_names(who, groups)
        if subjects:
            rule["subjects"] = subjects
        else:
            rule = {"records": who.strip(), **rule}
    return rule


_DETAIL = ("counted_from", "minimum", "maximum", "method", "statute")


def _retention_detail(text: str, labels: Labels) -> dict | None:
    """ "Regnet fra: … · Metode: Sletning · Hjemmel: …" as fields; None if it is not one."""
    words = {normal(data["extra"][key]): key for data in labels.by_lang.values() for key in _DETAIL}
    methods = {
        normal(word): method
        for data in labels.by_lang.values()
        for method, word in data["extra"]["methods"].items()
    }
    out: dict = {}
    for part in text.split(" · "):
        head, colon, value = part.partition(": ")
        key = words.get(normal(head)) if colon else None
        if key is None or not value.strip():
            return None
        out[key] = methods.get(normal(value), value.strip()) if key == "method" else value.strip()
    if "method" in out and out["method"] not in ("delete", "anonymise"):
        return None
    return out or None


def accepted(paras: list[Para], labels: Labels) -> tuple[list[dict], list[Para]]:
    """Accepted findings: "**What was accepted, in words:** why" as the build writes them (or
    "rule (provision): why"); the paragraphs read as neither, for the caller to keep."""
    out, unread = [], []
    for para in paras:
        head = para.text.partition(": ")[0] if ": " in para.text else ""
        rule = states.finding(head, labels) if head else None
        found = _ACCEPTED.match(" ".join(para.text.split()))
        if rule:
            out.append({"rule": rule, "reason": markdown([drop_head(para, len(head) + 2)])})
        elif found:
            reason = _HEAD.sub("", markdown([para]), count=1)
            if reason == markdown([para]):  # not bold: drop the plain "rule (provision): "
                reason = markdown([drop_head(para, para.text.find(": ") + 2)])
            out.append({"rule": found.group("rule"), "reason": reason})
        elif para.text.strip():
            unread.append(para)
    return out, unread
