"""National-law grounds behind the lawful basis: CPR numbers, the Art. 9(2) letters that need a
law, and criminal-offence data (Art. 10), with the Danish databeskyttelsesloven behind each.

Legal assumptions, written down (the sections as read on elov.dk and gdpr.dk, December 2026):

* § 11: public authorities may process CPR numbers for unique identification or as a file
  number (stk. 1); private parties only where it follows from law, with consent, for research
  or statistics, for a disclosure that is a natural part of the business, or where § 7 is met
  (stk. 2, nr. 1–4). A CPR number therefore needs a ground of its own on top of Art. 6; the
  rule asks for it *structured* — a statute ``{law: databeskyttelsesloven, section: § 11 …}`` or
  a ``grounds`` entry that applies to the CPR number and names its statute or other ground —
  because free text cannot be checked. We do not count § 12 as the CPR ground: its stk. 1 is
  about Art. 6(1) and 9(1) data; write § 11 (or the § 12 stk. the register relies on, as a
  ``grounds`` entry for the CPR number).
* Art. 9(2)(b), (g), (h), (i) and (j) each require a basis in Union or Member State law (for
  (b) also a collective agreement); (a), (c), (d), (e) and (f) do not (databeskyttelsesloven
  § 7, stk. 1 lifts the ban for those directly). In Denmark the law is databeskyttelsesloven
  § 7, stk. 2 (b), stk. 3 (h), stk. 4 (g), § 10 (research and statistics) and, for employment,
  § 12; a sectoral act (sundhedsloven, a foreign statute with its ``country``) counts too. Of
  databeskyttelsesloven only those sections count (§ 6 is the Art. 6 provision, § 8 and § 11
  are about other data); any other act is taken as the reference: the format does not link a
  statute to a letter, and we do not judge whether the act named really authorises the
  processing (so an Art. 6(1)(c) act such as bogføringsloven named at the top level silences
  the rule too — name the statutes a letter rests on in the ``grounds`` entry for it).
* Art. 10 data may be processed only under official authority or where Union or Member State
  law authorises it. In Denmark: databeskyttelsesloven § 8 (stk. 1 public authorities, stk. 3
  private parties: explicit consent or a legitimate interest that clearly outweighs), § 12 in
  employment, §§ 9–10 for legal information systems and research; a sectoral act (e.g. the
  act on child-protection certificates) can authorise it too. The ground is ``art10`` (text), a
  statute (of databeskyttelsesloven §§ 8, 9, 10 or 12 only), or a ``grounds`` entry for the
  criminal-offence data.
* Only a controller states a basis; a processor acts on its controller's (Art. 28(3)(a), 29),
  so none of these rules reads a processor record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator

from ropa_build.models import given
from ropa_build.models.basis import LawfulBasis, Statute
from ropa_build.rules.common import controllers, groups
from ropa_build.rules.registry import RECORD, Example, Finding, rule
from ropa_build.validate import Activity, Register

NEEDS_LAW = ("b", "g", "h", "i", "j")  # the Art. 9(2) letters that rest on Union or national law
_SECTION = re.compile(r"(?:§+|\bsection|\bsec\.)\s*(\d+)", re.I)
# databeskyttelsesloven by its short name, its English name or its full title; "DBL" as written
_DBL = ("databeskyttelseslov", "data protection act", "supplerende bestemmelser til forordning")
_DBL_SHORT = re.compile(r"^dbl\b", re.I)
#: databeskyttelsesloven's sections that can be the law behind Art. 9(2)(b), (g)–(j) data
#: (§ 7 stk. 2–4, § 10 research, § 12 employment), and behind Art. 10 data (§ 8, § 9 legal
#: information systems, § 10, § 12).
_SPECIAL_SECTIONS = (7, 10, 12)
_CRIMINAL_SECTIONS = (8, 9, 10, 12)
_CPR_WORDS = ("cpr", "personnummer", "personal identification number")
_CRIMINAL_WORDS = ("strafbar", "straffeattest", "criminal", "offence", "offense")

_CPR_GROUPS = (
    "data_subjects:\n  groups:\n"
    "    - {id: kunder, name: kunder, categories: [identification, cpr]}\n"
)


def danish_act_section(statute: Statute) -> int | None:
    """The § number cited of databeskyttelsesloven (Danish law, its name in either language),
    or None when the statute is another act."""
    if statute.country not in (None, "DK"):
        return None
    law = statute.law.casefold()
    if not (any(name in law for name in _DBL) or _DBL_SHORT.match(law.strip())):
        return None
    found = _SECTION.search(f"{statute.law} {statute.section or ''}")
    return int(found.group(1)) if found else 0


def _all_statutes(basis: LawfulBasis) -> list[Statute]:
    return [*basis.statutes, *(s for g in basis.grounds for s in g.statutes)]


def _ground_for(basis: LawfulBasis, words: tuple[str, ...]) -> bool:
    """A ``grounds`` entry that applies to the data (its id or its name in words) and names
    the statute or other ground behind it."""
    return any(
        (ground.statutes or ground.other)
        and any(word in ground.applies_to.casefold() for word in words)
        for ground in basis.grounds
    )


def _without_ground(
    register: Register, kind: str, grounded: Callable[[LawfulBasis, set[str]], bool]
) -> Iterator[tuple[Activity, tuple, list[str]]]:
    """Controller records that mark a category of ``kind`` whose basis is not ``grounded``:
    each with the place of the first such category and the groups marked with one."""
    ids = {c for c, spec in register.vocabulary.categories.items() if spec.get("kind") == kind}
    for activity in controllers(register):
        where, named = None, []
        for i, group in enumerate(groups(activity)):
            for j, category in enumerate(group.categories):
                if category in ids:
                    where = where or ("data_subjects", "groups", i, "categories", j)
                    named.append(group.id)
                    break
        basis = given(activity.record.lawful_basis) or LawfulBasis()
        if where and not grounded(basis, ids):
            yield activity, where, named


@rule(
    "cpr-without-ground",
    "warning",
    "databeskyttelsesloven § 11",
    Example(
        RECORD,
        "lawful_basis:\n  art6: [b, c]\n" + _CPR_GROUPS,
        "lawful_basis:\n  art6: [b, c]\n  statutes:\n"
        "    - {law: databeskyttelsesloven, section: '§ 11, stk. 2, nr. 1'}   # hvidvaskloven\n"
        + _CPR_GROUPS,
    ),
)
def _cpr_without_ground(register: Register, today: dt.date) -> Iterator[Finding]:
    """A CPR number (the Danish personal identification number) may be processed only on a
    ground in databeskyttelsesloven § 11, on top of the Art. 6 basis: for a public authority to
    identify someone or as a file number (stk. 1); for a private party where it follows from
    law, with consent, for research or statistics, or where § 7 is met (stk. 2). Name it
    structured under ``lawful_basis``: a statute ``{law: databeskyttelsesloven, section: § 11,
    stk. 2, nr. 1}``, or a ``grounds`` entry that applies to the CPR number with its statute. A
    ground written only in the free-text explanation cannot be checked."""

    def grounded(basis: LawfulBasis, ids: set[str]) -> bool:
        cited = any(danish_act_section(s) == 11 for s in _all_statutes(basis))
        return cited or _ground_for(basis, (*ids, *_CPR_WORDS))

    for activity, where, named in _without_ground(register, "cpr", grounded):
        yield Finding(
            activity.source,
            where,
            f"the CPR number is processed ({', '.join(named)}) but its ground in "
            "databeskyttelsesloven § 11 is not stated",
            "add under `lawful_basis:` `statutes: [{law: databeskyttelsesloven, section: "
            "'§ 11, stk. 2, nr. 1'}]` (or the stk. and nr. that apply)",
        )


def _names_a_law(statutes: list[Statute], sections: tuple[int, ...]) -> bool:
    """A statute that can be the Union or national law the GDPR refers to: another act, or
    one of databeskyttelsesloven's ``sections`` about these data (§ 6, the Art. 6 provision,
    or § 11 on CPR numbers is no ground for them); databeskyttelsesloven without a section is
    taken as meant."""
    return any(danish_act_section(s) in (None, 0, *sections) for s in statutes)


@rule(
    "special-without-national-law",
    "warning",
    "Art. 9(2)(b), (g)–(j); databeskyttelsesloven §§ 7, 12",
    Example(
        RECORD,
        "lawful_basis:\n  art6: [b, c]\n  art9: [b]\n",
        "lawful_basis:\n  art6: [b, c]\n  art9: [b]\n  statutes:\n"
        "    - {law: databeskyttelsesloven, section: '§ 12, stk. 1'}\n",
    ),
)
def _special_without_national_law(register: Register, today: dt.date) -> Iterator[Finding]:
    """Art. 9(2)(b) (employment and social security), (g) (substantial public interest), (h)
    (health and social care), (i) (public health) and (j) (archiving, research, statistics) allow
    special categories only on the basis of Union or Member State law (for (b) also a collective
    agreement). The record names that law. In Denmark databeskyttelsesloven § 7, stk. 2 and
    § 12 for employment (b), § 7, stk. 3 for health care by professionals bound to secrecy (h),
    § 7, stk. 4 for substantial public interest (g; a private party needs Datatilsynet's
    permission), § 10 for research and statistics (j); or a sectoral act, or a foreign one with
    its ``country``. Add it under ``lawful_basis.statutes`` (or the ``statutes`` of the
    ``grounds`` entry that has the letter)."""
    for activity in controllers(register):
        basis = given(activity.record.lawful_basis)
        if basis is None:
            continue
        places = [(("lawful_basis", "art9"), basis.art9, _all_statutes(basis))]
        places += [
            (("lawful_basis", "grounds", i, "art9"), g.art9, [*basis.statutes, *g.statutes])
            for i, g in enumerate(basis.grounds)
        ]
        for loc, letters, statutes in places:
            if _names_a_law(statutes, _SPECIAL_SECTIONS):
                continue
            for k, letter in enumerate(letters):
                if letter in NEEDS_LAW:
                    yield Finding(
                        activity.source,
                        (*loc, k),
                        f"Art. 9(2)({letter}) rests on Union or national law, but no statute "
                        "is named",
                        "add `statutes:` under `lawful_basis`, e.g. {law: databeskyttelsesloven, "
                        "section: '§ 12, stk. 1'} for employment, § 7, stk. 3 for health care "
                        "(a foreign act with its `country`)",
                    )


@rule(
    "criminal-data-without-ground",
    "warning",
    "Art. 10; databeskyttelsesloven § 8",
    Example(
        RECORD,
        "lawful_basis:\n  art6: [b, c]\ndata_subjects:\n  groups:\n"
        "    - {id: kunder, name: kunder, categories: [identification, criminal_offences]}\n",
        "lawful_basis:\n  art6: [b, c]\n"
        "  art10: databeskyttelsesloven § 8, stk. 3 (udtrykkeligt samtykke)\n"
        "data_subjects:\n  groups:\n"
        "    - {id: kunder, name: kunder, categories: [identification, criminal_offences]}\n",
    ),
)
def _criminal_data_without_ground(register: Register, today: dt.date) -> Iterator[Finding]:
    """Data about criminal convictions and offences (Art. 10) may be processed only under
    official authority or where Union or Member State law authorises it. In Denmark that is
    databeskyttelsesloven § 8: a public authority where it is necessary for its tasks (stk. 1);
    a private party with the person's explicit consent, or where it is necessary for a
    legitimate interest that clearly outweighs the person's (stk. 3); in employment also § 12.
    Name the ground under ``lawful_basis``: ``art10`` in words, a statute, or a ``grounds``
    entry for the criminal-offence data."""

    def grounded(basis: LawfulBasis, ids: set[str]) -> bool:
        # §§ 7, 11 of databeskyttelsesloven are about other data (special categories, CPR)
        cited = _names_a_law(basis.statutes, _CRIMINAL_SECTIONS)
        return bool(basis.art10) or cited or _ground_for(basis, (*ids, *_CRIMINAL_WORDS))

    for activity, where, named in _without_ground(register, "art10", grounded):
        # Until December 2026 special-without-condition covered Art. 10 data too: a record
        # that accepted it then is told how to carry its acceptance over.
        moved = any(a.rule == "special-without-condition" for a in activity.record.accepted)
        yield Finding(
            activity.source,
            where,
            f"criminal-offence data (Art. 10) is processed ({', '.join(named)}) without its "
            "legal ground",
            "add `art10:` under `lawful_basis`, e.g. 'databeskyttelsesloven § 8, stk. 3', or the "
            "statute that authorises it"
            + (
                "; this record accepts special-without-condition, which no longer covers "
                "Art. 10 data: if that acceptance was for them, accept "
                "criminal-data-without-ground instead"
                if moved
                else ""
            ),
        )
