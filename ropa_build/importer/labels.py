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
    by_lang: dict[str, dict] = field(default_factory=dict)

    def row(self, text: str) -> tuple[str | None, float]:
        key, score = best(text, self.rows, 0.78)
        return (key.split(":")[1].split("+")[0], score) if key else (None, score)

    def section(self, text: str) -> str | None:
        key, _ = best(text, self.sections, 0.8)
        return key.split(":")[1] if key else None

    def category(self, text: str) -> tuple[str | None, float]:
        key, score = best(text, self.categories, 0.8)
        return (key.split(":")[1] if key else None), score

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
    return labels


def _rows(labels: Labels, lang: str, data: dict) -> None:
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
