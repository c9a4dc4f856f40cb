"""References between files: catalogue ids, data categories, subject groups, country codes.

Checked on the raw data, not the validated models, so a record with a misspelt key still gets its
unknown catalogue ids reported in the same run; each unknown id comes with a did-you-mean.
"""

from __future__ import annotations

from typing import Any

import pycountry

from ropa_build.errors import Problem, did_you_mean
from ropa_build.source import Loc, Source
from ropa_build.vocabulary import Vocabulary


def references(source: Source, catalogue: dict, vocabulary: Vocabulary) -> list[Problem]:
    """Check ids against the catalogue, vocabulary and the record's own groups.

    Works on the raw data, not the validated model, so a record with a misspelt key still gets
    its unknown catalogue ids reported in the same run.
    """
    problems: list[Problem] = []
    categories = vocabulary.categories.keys()
    systems = {key for key in catalogue if isinstance(key, str)}

    def check(loc: Loc, value: object, known, code: str, what: str, where: str) -> None:
        if isinstance(value, str) and value not in known:
            problems.append(
                source.problem(
                    loc,
                    code,
                    f"unknown {what} '{value}'",
                    did_you_mean(value, sorted(known), f"see {where}"),
                )
            )

    groups: list[str] = []
    for loc, group in _each(source.data, "data_subjects", "groups", kind=dict):
        group_id = group.get("id")
        if group_id in groups:
            problems.append(
                source.problem(
                    (*loc, "id"),
                    "duplicate-group-id",
                    f"the subject group id '{group_id}' is used twice",
                    "give each group its own id",
                )
            )
        elif isinstance(group_id, str):  # pydantic reports a missing or malformed id
            groups.append(group_id)
        for c_loc, category in _each(group, "categories", at=loc):
            check(
                c_loc,
                category,
                categories,
                "unknown-category",
                "data category",
                "schema/data-categories.yaml",
            )
        wording = group.get("wording")
        for key in wording if isinstance(wording, dict) else ():  # a line's own wording
            check(
                (*loc, "wording", key),
                key,
                categories,
                "unknown-category",
                "data category",
                "schema/data-categories.yaml",
            )
    for part in ("internal", "processors", "others"):
        for loc, use in _each(source.data, "recipients", part, kind=dict):
            check(
                (*loc, "ref"),
                use.get("ref"),
                systems,
                "unknown-ref",
                "catalogue id",
                "catalogue.yaml",
            )
            receives = use.get("receives")
            for group, received in receives.items() if isinstance(receives, dict) else ():
                g_loc = (*loc, "receives", group)
                if isinstance(group, str) and group not in groups:
                    problems.append(
                        source.problem(
                            g_loc,
                            "unknown-group",
                            f"unknown subject group '{group}'",
                            did_you_mean(group, groups, "see data_subjects.groups"),
                            key=True,
                        )
                    )
                for i, category in enumerate(received if isinstance(received, list) else ()):
                    check(
                        (*g_loc, i),
                        category,
                        categories,
                        "unknown-category",
                        "data category",
                        "schema/data-categories.yaml",
                    )
    for loc, rule in _each(source.data, "retention", "rules", kind=dict):
        for s_loc, subject in _each(rule, "subjects", at=loc):
            check(
                s_loc,
                subject,
                groups,
                "unknown-group",
                "subject group",
                "data_subjects.groups in this record",
            )
        for c_loc, category in _each(rule, "categories", at=loc):
            check(
                c_loc,
                category,
                categories,
                "unknown-category",
                "data category",
                "schema/data-categories.yaml",
            )
    for loc, transfer in _each(source.data, "transfers", "items", kind=dict):
        problems += _country(source, (*loc, "country"), transfer.get("country"))
    return problems


def shared_references(source: Source, catalogue: dict) -> list[Problem]:
    """organisation.yaml's recipients of every activity: each a catalogue id (``hosting``) or
    ``{ref: hosting, note: …}``."""
    systems = sorted(key for key in catalogue if isinstance(key, str))
    problems = []
    seen: dict[str, str] = {}
    for part in ("internal", "processors"):
        for loc, use in _each(source.data, "recipients", part, kind=object):
            loc, ref = ((*loc, "ref"), use.get("ref")) if isinstance(use, dict) else (loc, use)
            if isinstance(ref, str) and ref in seen:
                problems.append(
                    source.problem(
                        loc,
                        "duplicate-ref",
                        f"'{ref}' is listed twice (also under {seen[ref]})",
                        "keep it once, where it belongs: internal or processors",
                    )
                )
            elif isinstance(ref, str):
                seen[ref] = part
            if isinstance(ref, str) and ref not in systems:
                problems.append(
                    source.problem(
                        loc,
                        "unknown-ref",
                        f"unknown catalogue id '{ref}'",
                        did_you_mean(ref, systems, "see catalogue.yaml"),
                    )
                )
    return problems


def _each(data: Any, *keys: str, at: Loc = (), kind: type = str) -> list[tuple[Loc, Any]]:
    """The ``kind`` items of the list at ``data[keys...]`` with their locations.

    Anything malformed (not a list, an item of another type) is skipped: pydantic reports it,
    and a reference check must not crash on it.
    """
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        return []
    return [((*at, *keys, i), item) for i, item in enumerate(data) if isinstance(item, kind)]


def catalogue_countries(source: Source) -> list[Problem]:
    """On the raw data, like :func:`_references`: a catalogue with another mistake still gets
    its unknown country codes reported in the same run."""
    systems = source.data.get("systems") if isinstance(source.data, dict) else None
    return [
        problem
        for key, system in (systems.items() if isinstance(systems, dict) else ())
        for loc, code in _each(system, "countries", at=("systems", key))
        for problem in _country(source, loc, code)
    ]


def _country(source: Source, loc: Loc, code: object) -> list[Problem]:
    if not isinstance(code, str) or len(code) != 2 or not code.isupper():
        return []  # not two capitals: the schema's pattern reports it
    if pycountry.countries.get(alpha_2=code) is not None:
        return []
    return [
        source.problem(
            loc,
            "bad-country",
            f"'{code}' is not an ISO 3166 country code",
            "use the two-letter code, e.g. DK, US, MK (North Macedonia)",
        )
    ]
