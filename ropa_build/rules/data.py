"""Data subjects and their data: the Danish linkage requirement, special categories, and the
lawful basis where the data subjects are employees.

Legal assumptions, written down:

* Datatilsynet (guidance on the record, updated 10 August 2020) asks for a clear link between
  which data is processed about which data subjects, and which data goes to which recipient.
* A group of data subjects is treated as *employees* when it is marked with the data category
  ``employment`` (the template's "Oplysninger vedrørende ansættelsesforholdet" line): that is
  the one structured sign the format has, and the group's name is free text in any language.
* Consent is rarely freely given in employment, given the imbalance of power (Art. 7(4),
  recital 43; EDPB Guidelines 05/2020 on consent, §§ 21–24): a warning, not a ban, since it
  can be valid where refusal has no consequence at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ropa_build.models import given
from ropa_build.rules.common import controllers, groups, recipient_uses
from ropa_build.rules.registry import RECORD, Example, Finding, rule
from ropa_build.validate import Activity, Register

EMPLOYMENT = "employment"  # the data category that makes a subject group employees
_STAFF = "    - {id: kunder, name: medarbejdere, categories: [identification, employment]}\n"


def employees(activity: Activity) -> list[str]:
    """Ids of the record's subject groups that are employees (marked ``employment``)."""
    return [g.id for g in groups(activity) if EMPLOYMENT in g.categories]


@rule(
    "duplicate-group",
    "error",
    "Art. 30(1)(c)",
    Example(
        RECORD,
        "data_subjects:\n  groups:\n"
        "    - {id: kunder, name: kunder, categories: [identification]}\n"
        "    - {id: kunder2, name: kunder, categories: [identification, employment]}\n",
        "data_subjects:\n  groups:\n"
        "    - {id: kunder, name: kunder, categories: [identification]}\n"
        "    - {id: medarbejdere, name: medarbejdere, categories: [identification, employment]}\n",
    ),
)
def _duplicate_group(register: Register, today: dt.date) -> Iterator[Finding]:
    """A group of data subjects listed twice makes the record ambiguous: which block is right?
    The seed listed "kunder" twice, the second block being about employees."""
    for activity in register.activities:
        seen: set[str] = set()
        for i, group in enumerate(groups(activity)):
            name = group.name.casefold().strip()
            if name in seen:
                yield Finding(
                    activity.source,
                    ("data_subjects", "groups", i, "name"),
                    f"the subject group '{group.name}' is listed twice",
                    "merge the two blocks, or name the group they really describe",
                )
            seen.add(name)


@rule(
    "group-without-data",
    "warning",
    "Art. 30(1)(c); Datatilsynet 2020",
    Example(
        RECORD,
        "data_subjects:\n  groups:\n    - id: kunder\n      name: kunder\n",
        "data_subjects:\n  groups:\n    - id: kunder\n      name: kunder\n"
        "      categories: [identification]\n",
    ),
)
def _group_without_data(register: Register, today: dt.date) -> Iterator[Finding]:
    """Datatilsynet (2020) asks for a clear link between which data is processed about which
    data subjects: every subject group must be marked with its data categories."""
    for activity in register.activities:
        for i, group in enumerate(groups(activity)):
            if not group.categories:
                yield Finding(
                    activity.source,
                    ("data_subjects", "groups", i),
                    f"the group '{group.name}' has no data categories",
                    "list them under `categories:`",
                )


@rule(
    "recipient-without-data",
    "warning",
    "Art. 30(1)(d); Datatilsynet 2020",
    Example(
        RECORD,
        "recipients:\n  processors:\n    - ref: mailservice\n",
        "recipients:\n  processors:\n    - ref: mailservice\n      receives:\n"
        "        kunder: [identification]\n",
    ),
)
def _recipient_without_data(register: Register, today: dt.date) -> Iterator[Finding]:
    """For every recipient, Datatilsynet (2020) asks which categories of data it receives and
    about which subject groups; a bare list of recipients does not meet that. The categories
    must be ones the named groups actually have."""
    for activity, part, i, use in recipient_uses(register):
        loc = ("recipients", part, i)
        if not any(use.receives.values()):
            yield Finding(
                activity.source,
                loc,
                f"'{use.ref}' does not say which data it receives about whom",
                "add `receives:` with, per subject group id, the categories it receives",
            )
            continue
        held = {g.id: set(g.categories) for g in groups(activity)}
        for group, categories in use.receives.items():
            for j, category in enumerate(categories):
                if category not in held.get(group, {category}):  # unknown groups: validate
                    yield Finding(
                        activity.source,
                        (*loc, "receives", group, j),
                        f"'{use.ref}' receives '{category}' about '{group}', a category that "
                        "group does not have",
                        "add the category to the group, or remove it here",
                    )


def _in_grounds(basis, activity: Activity, group, category: str) -> bool:
    """An Art. 9(2) condition stated for part of the activity (a ``grounds`` entry) that covers
    this group's category: one naming the group (id or name) or the category (id), or one
    naming no group or category of the record (a purpose: taken as covering it). One naming
    another group or category does not."""
    names = {n.casefold() for g in groups(activity) for n in (g.id, g.name)}
    names |= {c.casefold() for g in groups(activity) for c in g.categories}
    mine = {group.id.casefold(), group.name.casefold(), category.casefold()}
    return any(
        ground.art9 and (applies in mine or applies not in names)
        for ground in basis.grounds
        for applies in [ground.applies_to.strip().casefold()]
    )


@rule(
    "special-without-condition",
    "warning",
    "Art. 9(2)",
    Example(
        RECORD,
        "lawful_basis:\n  art6: [b]\ndata_subjects:\n  groups:\n"
        "    - {id: kunder, name: kunder, categories: [identification, health_genetic]}\n",
        "lawful_basis:\n  art6: [b]\n  art9: [h]   # health care\ndata_subjects:\n"
        "  groups:\n"
        "    - {id: kunder, name: kunder, categories: [identification, health_genetic]}\n",
    ),
)
def _special_without_condition(register: Register, today: dt.date) -> Iterator[Finding]:
    """Special categories (Art. 9(1)) may only be processed under one of the conditions of
    Art. 9(2), on top of an Art. 6 basis: name it under ``lawful_basis.art9``
    (criminal-offence data has its own rule, criminal-data-without-ground). Only a controller
    has a legal basis: a processor acts on its controller's (Art. 28(3)(a), 29), and Art. 30(2)
    does not ask for one."""
    vocabulary = register.vocabulary
    for activity in controllers(register):
        basis = given(activity.record.lawful_basis)
        for i, group in enumerate(groups(activity)):
            for j, category in enumerate(group.categories):
                kind = vocabulary.categories.get(category, {}).get("kind")
                loc = ("data_subjects", "groups", i, "categories", j)
                covered = basis and (basis.art9 or _in_grounds(basis, activity, group, category))
                if kind == "art9" and not covered:
                    yield Finding(
                        activity.source,
                        loc,
                        f"'{category}' is a special category "
                        "(Art. 9) but no Art. 9(2) condition is given",
                        "add `lawful_basis: {art9: [...]}`",
                    )


@rule(
    "consent-in-employment",
    "warning",
    "Art. 6(1)(a), 7(4), 9(2)(a); EDPB Guidelines 05/2020",
    Example(
        RECORD,
        "lawful_basis:\n  art6: [a]\ndata_subjects:\n  groups:\n" + _STAFF,
        "lawful_basis:\n  art6: [b, c]   # the employment contract; the law\n"
        "data_subjects:\n  groups:\n" + _STAFF,
    ),
)
def _consent_in_employment(register: Register, today: dt.date) -> Iterator[Finding]:
    """Consent must be freely given (Art. 4(11), 7(4)); between employer and employee it rarely
    is, because refusing may be feared to have consequences (recital 43; EDPB Guidelines 05/2020
    on consent, §§ 21–24). A record about employees — a subject group marked with the data
    category ``employment`` — that relies on consent (Art. 6(1)(a), or explicit consent under
    Art. 9(2)(a)) should rest on another basis (the contract, a legal obligation, legitimate
    interest; for special categories Art. 9(2)(b) with databeskyttelsesloven § 12). A basis
    stated for the employees' group alone (a ``grounds`` entry naming the group by id or name)
    counts too. Where consent really is free (refusing has no consequence), accept the warning
    with the reason."""
    for activity in controllers(register):
        basis = given(activity.record.lawful_basis)
        staff = employees(activity)
        if not (basis and staff):
            continue
        for article in ("art6", "art9"):
            letters = getattr(basis, article)
            if "a" in letters:
                yield Finding(
                    activity.source,
                    ("lawful_basis", article, letters.index("a")),
                    f"consent ({article.replace('art', 'Art. ')}, letter a) for employees' data "
                    f"({', '.join(staff)}): consent is rarely freely given in employment",
                    "use another basis (b, c or f; for special categories Art. 9(2)(b)), or "
                    "accept the warning with why refusing has no consequence",
                )
        named = {g.id for g in groups(activity) if g.id in staff}
        named |= {g.name.casefold() for g in groups(activity) if g.id in staff}
        for i, ground in enumerate(basis.grounds):  # a basis for the employees' group alone
            if ground.applies_to.strip().casefold() not in {n.casefold() for n in named}:
                continue
            for article in ("art6", "art9"):
                letters = getattr(ground, article)
                if "a" in letters:
                    yield Finding(
                        activity.source,
                        ("lawful_basis", "grounds", i, article, letters.index("a")),
                        f"consent ({article.replace('art', 'Art. ')}, letter a) for the "
                        f"employees' group '{ground.applies_to}': consent is rarely freely "
                        "given in employment",
                        "use another basis (b, c or f; for special categories Art. 9(2)(b)), "
                        "or accept the warning with why refusing has no consequence",
                    )
