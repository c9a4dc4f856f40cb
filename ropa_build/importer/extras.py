"""The rows the build writes beyond Datatilsynet's template, read back: the section "Supplerende
oplysninger" (activity number, unit, status, DPIA, source of the data, automated decisions;
:func:`ropa_build.render.extras.about_activity`). The words are the label files' ``extra``
group, both languages.
"""

from __future__ import annotations

from ropa_build.importer import states
from ropa_build.importer.days import parse_date
from ropa_build.importer.grid import Para
from ropa_build.importer.labels import Labels
from ropa_build.importer.text import best, drop, markdown, normal, plain_lines

KEYS = ("number", "unit", "status", "dpia", "data_source", "automated_decisions")


def extra_key(text: str, labels: Labels) -> str | None:
    """The field an extra row's label names ("Aktivitetsnummer" → number)."""
    choices = {
        f"{lang}:{key}": data["extra"][key] for lang, data in labels.by_lang.items() for key in KEYS
    }
    key, _ = best(text, choices, 0.9)
    return key.split(":")[1] if key else None


def extra_value(key: str, paras: list[Para], labels: Labels):
    """The row's value for the record; None when it is not as the build writes it."""
    lines = plain_lines(paras)
    if key in ("number", "unit"):
        return " ".join(lines) or None
    if key == "status":
        return _reverse(labels, "statuses").get(normal(" ".join(lines)))
    if key in ("data_source", "automated_decisions"):
        return states.text_or_state(paras, labels) or None
    return _dpia(lines, labels)


def _reverse(labels: Labels, group: str) -> dict[str, str]:
    return {
        normal(text): key
        for data in labels.by_lang.values()
        for key, text in data["extra"][group].items()
    }


def _dpia(lines: list[str], labels: Labels) -> dict | None:
    """ "Påkrævet · Status: Udført · Risikoniveau: Middel · 10. januar 2024", then the link."""
    if not lines:
        return None
    dpia: dict = {}
    required = {
        normal(data["extra"][key]): key == "dpia_required"
        for data in labels.by_lang.values()
        for key in ("dpia_required", "dpia_not_required")
    }
    status, risks = _reverse(labels, "dpia_statuses"), _reverse(labels, "risks")
    words = {
        normal(data["extra"][k]): k for data in labels.by_lang.values() for k in ("status", "risk")
    }
    parts = lines[0].split(" · ")
    if len(lines) == 1 and len(parts) == 1 and normal(parts[0]) not in required:
        return {"link": lines[0]}  # a link alone
    for part in parts:
        head, _, value = part.partition(": ")
        said = words.get(normal(head)) if value else None
        if normal(part) in required:
            dpia["required"] = required[normal(part)]
        elif said == "status" and normal(value) in status:
            dpia["status"] = status[normal(value)]
        elif said == "risk" and normal(value) in risks:
            dpia["risk"] = risks[normal(value)]
        elif parse_date(part, labels):
            dpia["date"] = parse_date(part, labels)
        else:
            return None
    if len(lines) > 1:
        dpia["link"] = " ".join(lines[1:])
    return dpia


def roles(paras: list[Para]) -> list[str]:
    """ "Modtagere efter rolle": one role a paragraph."""
    return [markdown([p]) for p in paras if p.text.strip()]


def transfer_line(para: Para, labels: Labels) -> tuple[str, object] | None:
    """A transfer's detail line as the build writes it (:func:`ropa_build.render.extras.
    transfer_lines`): "**Alternativt grundlag:** …", "**Modul:** …", "**Undtagelse:** art. 49,
    stk. 1, litra a", "**Vurdering af overførslen:** …", "**Supplerende foranstaltninger:** …",
    or the sentences saying whether the recipient is the organisation's own staff and whether
    the transfer is occasional."""
    text = " ".join(para.text.split())
    for data in labels.by_lang.values():
        words = data["extra"]
        for key, yes in (("same_entity", "own"), ("occasional", "occasional")):
            for said, sentence in words[key].items():
                if normal(text) == normal(sentence):
                    return key, said == yes
        head, colon, value = text.partition(": ")
        key = {normal(words[k]): k for k in ("alternatives", "scc_module", "derogation", "tia")}
        key[normal(words["measures"])] = "measures"
        found = key.get(normal(head)) if colon else None
        if found == "alternatives":
            names = {normal(t): m for m, t in data["mechanisms"].items()}
            split = [names.get(normal(n)) for n in value.split(f" {words['or']} ")]
            return ("alternatives", split) if all(split) else None
        if found == "scc_module":
            modules = {normal(t): int(n) for n, t in words["modules"].items()}
            return ("scc_module", modules[normal(value)]) if normal(value) in modules else None
        if found == "derogation":
            letter = value.rsplit(" ", 1)[-1]
            return ("derogation", letter) if letter in "abcdefg" and len(letter) == 1 else None
        if found == "tia":
            return "tia", value
        if found == "measures":
            return "measures", markdown([_after(para, len(head) + 2)])
    return None


def _after(para: Para, count: int) -> Para:
    return Para(drop(para.runs, count), para.style, para.list, para.level, para.checked)
