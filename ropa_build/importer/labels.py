"""What the import recognises, read from the label files the build writes with.

The row descriptions, section names, checklist lines, recipient phrases and mechanism names are
those of ``templates/labels/da.yaml`` and ``en.yaml`` (a register's own copies win): one fact in
one place, so a label corrected for the build is recognised by the import too. Both languages
are always tried, so a register in the English template imports as well as a Danish one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.dates import get_month_names

from ropa_build.importer.text import best, normal
from ropa_build.render.sections import SECTION_OF  # an open point's "about", as the build says
from ropa_build.resources import load_data

LANGS = ("da", "en")
# Row keys a party's contact details come from, per party of organisation.yaml.
PARTY_ROWS = {
    "organisation": "controller",
    "processor_organisation": "controller",
    "joint_controller": "joint_controller",
    "representative": "representative",
    "processor_representative": "representative",
    "dpo": "dpo",
}
_ROW_KEYS = (
    *PARTY_ROWS,
    "controllers",
    "purposes",
    "lawful_basis",
    "processing",
    "subject_categories",
    "recipients",
    "internal",
    "processors",
    "others",
    "roles",
    "transfers",
    "retention",
    "accepted",
    "security",
)


@dataclass
class Labels:
    rows: dict[str, str] = field(default_factory=dict)  # "<lang>:<key>[+hint]" → text
    sections: dict[str, str] = field(default_factory=dict)  # "<lang>:<key>" → text
    categories: dict[str, str] = field(default_factory=dict)  # "<lang>:<id>" → checklist line
    short: dict[str, str] = field(default_factory=dict)  # short name (normal) → category id
    mechanisms: dict[str, str] = field(default_factory=dict)  # name (normal) → mechanism
    roles: dict[str, str] = field(default_factory=dict)  # "dataansvarlig" → "controller"
    titles: list[re.Pattern] = field(default_factory=list)
    group_prefixes: list[str] = field(default_factory=list)
    intros: list[str] = field(default_factory=list)
    receives: list[re.Pattern] = field(default_factory=list)
    basis: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # art → (prefix, fmt)
    documentation: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # "procesejer" → "owner"
    months: dict[str, int] = field(default_factory=dict)
    version: list[str] = field(default_factory=list)
    states: dict[str, str] = field(default_factory=dict)  # "ikke relevant" → "not-applicable"
    missing: set[str] = field(default_factory=set)  # "ikke udfyldt": a field left out
    points: dict[str, str] = field(default_factory=dict)  # "<lang>:<kind>" → open point label
    findings: dict[str, str] = field(default_factory=dict)  # accepted finding (words) → rule
    details: dict[str, str] = field(default_factory=dict)  # "juridisk enhed" → "vendor"
    authorisations: dict[str, str] = field(default_factory=dict)  # words → general/specific
    raised: list[re.Pattern] = field(default_factory=list)  # "rejst af …, den …, vedrører …"
    about: dict[str, str] = field(default_factory=dict)  # a section's name → the record key
    country_words: set[str] = field(default_factory=set)  # "land": a transfer's country state
    reviewed_by: list[re.Pattern] = field(default_factory=list)  # "Senest gennemgået af {by}"
    every: set[str] = field(default_factory=set)  # a recipient of every activity, so marked
    person_words: set[str] = field(default_factory=set)  # "kontaktperson": a contact's person
    continued: list[re.Pattern] = field(default_factory=list)  # "{label} (fortsat)"
    by_lang: dict[str, dict] = field(default_factory=dict)

    def row(self, text: str) -> tuple[str | None, float]:
        key, score = best(text, self.rows, 0.78)
        return (key.split(":")[1].split("+")[0], score) if key else (None, score)

    def section(self, text: str) -> str | None:
        """The section a label names; "Åbne punkter (fortsat)" (a section going on over a page,
        in a layout for PDF) names the section it continues."""
        for pattern in self.continued:
            found = pattern.fullmatch(" ".join(text.split()))
            text = found["label"] if found else text
        key, _ = best(text, self.sections, 0.8)
        return key.split(":")[1] if key else None

    def category(self, text: str) -> tuple[str | None, float]:
        key, score = best(text, self.categories, 0.8)
        return (key.split(":")[1] if key else None), score

    def point(self, text: str) -> str | None:
        """The kind of open point a row's label names ("Antagelse (ikke bekræftet)")."""
        key, _ = best(text, self.points, 0.85)
        return key.split(":")[1] if key else None

    def group(self, text: str) -> str | None:
        """The group's name in "Oplysninger, som behandles om <name>", or None."""
        clean = " ".join(text.split())
        for prefix in self.group_prefixes:
            head = clean[: len(prefix)]
            if normal(head) == normal(prefix) or (
                len(clean) > len(prefix) and best(head, {"p": prefix}, 0.88)[0]
            ):
                name = clean[len(prefix) :].strip(" :")
                return name or None
        return None

    def title(self, text: str) -> tuple[str, str | None] | None:
        clean = " ".join(text.replace("\t", " ").split())
        for pattern in self.titles:
            found = pattern.match(clean)
            if found:
                role = found.groupdict().get("role")
                return found.group("title").strip(), self.roles.get(normal(role or ""))
        return None


def load_labels(root: Path) -> Labels:
    labels = Labels()
    for lang in LANGS:
        data = load_data(root, "templates", f"labels/{lang}.yaml")
        labels.by_lang[lang] = data
        _rows(labels, lang, data)
        for key, text in data["sections"].items():
            labels.sections[f"{lang}:{key}"] = text
        for key, text in data["categories"].items():
            labels.categories[f"{lang}:{key}"] = text
        for key, text in data["categories_short"].items():
            labels.short[normal(text)] = key
        for key, text in data["mechanisms"].items():
            labels.mechanisms[normal(text)] = key
        for key, text in data["roles"].items():
            labels.roles[normal(text)] = key
        title = re.escape(data["document"]["activity_title"])
        title = title.replace(r"\{title\}", "(?P<title>.+?)").replace(
            r"\{role\}", "(?P<role>[^()]+)"
        )
        labels.titles.append(re.compile(f"^{title}$", re.I))
        bare = re.escape(data["document"]["activity_title"].split("{title}")[0])
        labels.titles.append(re.compile(f"^{bare}(?P<title>[^()]+)$", re.I))
        labels.group_prefixes.append(data["rows"]["group"].split("{name}")[0])
        labels.intros.append(data["rows"]["group_intro"])
        receive = re.escape(data["content"]["receives_about"])
        receive = receive.replace(r"\{group\}", "(?P<group>.+?)")
        labels.receives.append(re.compile("^" + receive.replace(r"\{categories\}", "(?P<c>.+)$")))
        content = data["content"]
        for art in ("art6", "art9"):
            prefix = content[art].split("{letters}")[0]
            labels.basis.setdefault(art, []).append((prefix, content.get("letter", "{}")))
        labels.basis.setdefault("art10", []).append((content["art10"].split("{ground}")[0], ""))
        labels.documentation.append(content["documentation"])
        document = data["document"]
        for key in ("owner", "updated", "reviewed"):
            labels.meta[normal(document[key])] = key
        labels.version.append(document["version"])
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=data["locale"]).items():
                labels.months[normal(name)] = number
        _written(labels, lang, data)
    return labels


def _written(labels: Labels, lang: str, data: dict) -> None:
    """What the build writes beyond the template's rows: states in words, open points, accepted
    findings in plain words, a recipient's detail lines, an open point's closing line."""
    for key, text in data["states"].items():
        if key == "missing":
            labels.missing.add(normal(text))
        else:
            labels.states[normal(text)] = key
    for key, text in data["open_points"].items():
        labels.points[f"{lang}:{key}"] = text
    for key, text in data["accepted_findings"].items():
        labels.findings[normal(text)] = key
    content, extra = data["content"], data["extra"]
    for key in ("vendor", "supplier", "countries", "dpa"):
        labels.details[normal(content[key])] = key
    labels.country_words.add(normal(content["country"]))
    labels.every.add(normal(content["every_activity"]))
    labels.person_words.add(normal(content["contact_person"]))
    more = re.escape(data["document"]["continued"]).replace(re.escape("{label}"), "(?P<label>.+)")
    labels.continued.append(re.compile(more))
    by = re.escape(data["document"]["reviewed_by"]).replace(re.escape("{by}"), "(?P<by>.+)")
    labels.reviewed_by.append(re.compile(by, re.I))
    for key in ("established", "authorisation"):
        labels.details[normal(extra[key])] = key
    for key, text in extra["authorisations"].items():
        labels.authorisations[normal(text)] = key
    parts = [
        re.escape(content[key]).replace(re.escape(f"{{{name}}}"), f"(?P<{name}>.+?)")
        for key, name in (("raised_by", "by"), ("raised_on", "date"), ("about", "about"))
    ]
    labels.raised.append(
        re.compile(f"^(?:{parts[0]})?(?:(?:, )?{parts[1]})?(?:(?:, )?{parts[2]})?$")
    )
    for key, section in SECTION_OF.items():  # the first key of a section wins ("purposes")
        labels.about.setdefault(normal(data["sections"][section]), key)


def _rows(labels: Labels, lang: str, data: dict) -> None:
    # A processor's register calls its processors "Sub-processors": the same field.
    labels.rows[f"{lang}:processors+sub"] = data["rows"]["sub_processors"]
    for key in _ROW_KEYS:
        label = data["rows"].get(key)
        if label is None:
            continue
        if isinstance(label, str):
            labels.rows[f"{lang}:{key}"] = label
            continue
        labels.rows[f"{lang}:{key}"] = label["text"]
        if label.get("hint"):
            labels.rows[f"{lang}:{key}+hint"] = f"{label['text']} {label['hint']}"
