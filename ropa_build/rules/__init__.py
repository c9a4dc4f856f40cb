"""The lint rules, grouped by topic, and their registry (:data:`RULES`).

Each rule has a stable code, a severity, the provision it enforces, an explanation (its
docstring) and an example; ``docs/rules.md`` is generated from them. Adding a rule is writing
one function in the topic's module with :func:`~ropa_build.rules.registry.rule` on it. Each
module's docstring lists the legal assumptions its rules make.

The severity of a rule follows :data:`SEVERITY_POLICY` (issue 9): an error only where the
register cannot be read unambiguously, a warning for every finding about its legal content.
"""

from __future__ import annotations

from importlib import import_module

from ropa_build.rules.registry import RECORD, RULES, Example, Finding, Rule, rule

# Each module registers its rules when imported, in this order (the order of docs/rules.md).
TOPICS = (
    "parties",
    "data",
    "grounds",
    "transfers",
    "safeguards",
    "retention",
    "hygiene",
    "document",
)
for _topic in TOPICS:
    import_module(f"{__name__}.{_topic}")

SEVERITY_POLICY = (
    "**Severity.** An **error** means the register cannot be read unambiguously: a record "
    "whose keys contradict its role, a group of data subjects listed twice, a destination "
    "that names nothing known (the schema's own errors — syntax, types, unknown keys or ids, "
    "a date that is not a date — are errors too). Every finding about the register's legal "
    "content is a **warning**: the DPO sees it, `ropa check --strict` fails on it in CI, and "
    "it is never resolved by making the author invent data — an open point stays open, and a "
    "warning that is right for one activity is accepted in that record with the reason."
)

__all__ = ["RECORD", "RULES", "SEVERITY_POLICY", "Example", "Finding", "Rule", "rule"]
