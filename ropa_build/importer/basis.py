"""The lawful basis row, read back: the Art. 6 and 9 letters and the Art. 10 ground, each in its
own paragraph as the build writes them ("Artikel 6, stk. 1, litra b, c og f"), the statutes
("Lovgrundlag: databeskyttelsesloven § 12, stk. 1; …") and the bases that hold for a part only
("**For nyhedsbreve:** Artikel 6, stk. 1, litra a og/eller f; markedsføringsloven § 10",
:func:`ropa_build.render.extras.basis_lines`); the rest is the description.

A statute is split where its section starts ("§", "artikel", "art."), a trailing "(DK)" is its
country; a part of a ground that names a section ("§") is a statute, any other its ``other``.
"""

from __future__ import annotations

import re

from ropa_build.importer.grid import Para
from ropa_build.importer.labels import Labels
from ropa_build.importer.text import markdown, normal

_SECTION = re.compile(r"\s(§|artikel\b|art\.)", re.I)
_COUNTRY = re.compile(r"^(?P<rest>.+) \((?P<country>[A-Z]{2})\)$")


def lawful_basis(paras: list[Para], labels: Labels) -> dict:
    """Art. 6/9 letters and the Art. 10 ground from their own paragraphs, the statutes and the
    grounds for a part; the rest explains."""
    out: dict = {}
    rest: list[Para] = []
    for para in paras:
        text = " ".join(para.text.split())
        found = _basis_line(text, labels)
        head, colon, value = text.partition(": ")
        if found and found[0] not in out:
            out[found[0]] = found[1]
        elif colon and normal(head) in _words(labels, "statutes") and "statutes" not in out:
            out["statutes"] = [_statute(s) for s in value.split("; ")]
        elif colon and (ground := _ground(para, head, value, labels)):
            out.setdefault("grounds", []).append(ground)
        else:
            rest.append(para)
    description = markdown(rest)
    if description:
        out["description"] = description
    return out


def _words(labels: Labels, key: str) -> set[str]:
    return {normal(data["extra"][key]) for data in labels.by_lang.values()}


def _statute(text: str) -> dict:
    out: dict = {}
    found = _COUNTRY.match(text)
    if found:
        text, out["country"] = found["rest"], found["country"]
    section = _SECTION.search(text)
    if section:
        return {
            "law": text[: section.start()].strip(),
            "section": text[section.start() :].strip(),
            **out,
        }
    return {"law": text.strip(), **out}


def _ground(para: Para, head: str, value: str, labels: Labels) -> dict | None:
    """ "**For <what>:** <art6>; <art9>; <statute>; <other>", the head in bold."""
    if not any(run.bold for run in para.runs[:1]):
        return None
    for data in labels.by_lang.values():
        pattern = re.escape(data["extra"]["applies_to"]).replace(re.escape("{what}"), "(?P<w>.+)")
        found = re.fullmatch(pattern, head)
        if not found:
            continue
        ground: dict = {"applies_to": found["w"]}  # written as text, as the record has it
        for part in value.split("; "):
            either = [f" {d['extra']['and_or']} " for d in labels.by_lang.values()]
            plain = part
            for words in either:
                plain = plain.replace(words, " , ")
            basis = _basis_line(plain, labels)
            if basis and basis[0] in ("art6", "art9") and basis[0] not in ground:
                ground[basis[0]] = basis[1]
                alternatives = any(words in part for words in either)
                ground["alternatives"] = ground.get("alternatives", False) or alternatives
            elif "§" in part:
                ground.setdefault("statutes", []).append(_statute(part))
            else:
                ground["other"] = "; ".join(filter(None, [ground.get("other"), part]))
        if ground.get("alternatives") is False:
            del ground["alternatives"]
        return ground
    return None


def _basis_line(text: str, labels: Labels) -> tuple[str, object] | None:
    for art, forms in labels.basis.items():
        for prefix, _ in forms:
            if not text.lower().startswith(prefix.lower()):
                continue
            tail = text[len(prefix) :].strip()
            if art == "art10":
                return (art, tail) if tail else None
            tokens = [t for t in re.split(r",|\s+og\s+|\s+and\s+|\s+", tail) if t]
            letters = [t.strip("()") for t in tokens]
            allowed = "abcdef" if art == "art6" else "abcdefghij"
            if letters and all(len(x) == 1 and x in allowed for x in letters):
                return art, letters
    return None
