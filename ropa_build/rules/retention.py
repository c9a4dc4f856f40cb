"""Time limits for erasure (Art. 5(1)(e), Art. 30(1)(f)).

Legal assumptions, written down:

* Keeping data "indefinitely" is not unlawful in itself (archiving in the public interest,
  Art. 89; a suppression list that keeps an objection effective, Art. 21(3)) but needs a
  reason: a warning that can be accepted per record.
* "Until the customer deletes it", "30 days after the subscription ends" and "slettes ikke
  senere end 12 måneder" set a limit (DOMAIN.md §4); "så længe det er nødvendigt" / "as long as
  necessary" restates Art. 5(1)(e) instead of giving one, so it draws the warning too.
* A retention rule's structured ``maximum`` ("Opbevares højst") is its limit: where it is
  stated, the rule reads it and not the ``period`` text (which may then say "så længe det er
  nødvendigt" and explain the maximum). Where no maximum is stated, the rule reads the free
  text with the tested phrase list below (Danish and English); a phrase negated in its own
  clause ("opbevares ikke på ubestemt tid"), or followed in its sentence by a bound ("så længe
  det er nødvendigt, dog højst 6 år", "as long as necessary, at most 2 years"), does not count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ropa_build.models import given
from ropa_build.rules.common import groups, shared_text
from ropa_build.rules.registry import RECORD, Example, Finding, rule
from ropa_build.validate import Register

# Each phrase says "no time limit". Not bare "permanent(ly)" or "altid": "slettes permanent
# efter 30 dage", "deleted permanently after 30 days" and "slettes altid efter 5 år" set one;
# not "slettes ikke" before "senere end", "før", "inden" or "efter", which bound it (a minimum
# period, "slettes ikke, før regnskabsåret er udløbet", is a bound the author wrote on purpose).
INDEFINITE_PHRASES = (
    # Danish
    r"på ubestemt tid",
    r"tidsubegrænset",
    r"uden (tids)?begrænsning",
    r"ubegrænset",
    r"uendelig\w*",
    r"for altid",
    r"indtil videre",
    r"så længe (det|de|den|oplysningerne)? ?(er )?(nødvendigt?|relevant|påkrævet)",
    r"(opbevares|gemmes|bevares|beholdes) permanent\w*",
    r"permanent (opbevar|gem)\w*",
    r"ingen sletning",
    r"slettes ikke(?!,? (senere|før|inden|efter))",
    r"slettes aldrig",
    # English
    r"indefinite\w*",
    r"forever",
    r"until further notice",
    r"(for )?as long as (is |it is |they are )?(necessary|needed|required)",
    r"(kept|stored|retained|held|archived) permanently",
    r"permanently (kept|stored|retained|held|archived)",
    r"no (time )?limit",
    r"without (a )?time limit",
    r"never deleted",
)
_INDEFINITE = re.compile(r"\b(" + "|".join(INDEFINITE_PHRASES) + r")(?!\w)", re.I)
_CLAUSE_START = re.compile(r"[.,;:!?\n]")
_NEGATION = re.compile(r"\b(ikke|aldrig|not|never)\b", re.I)
# A bound after the phrase, in the same sentence: "…, dog højst 6 år", "…, at most 2 years".
_BOUND = re.compile(
    r"\b(højst|senest|maksimalt|ikke længere end|at most|no later than|"
    r"no longer than|not longer than|up to|a maximum of)\s+\S*\d",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?\n]")


def says_indefinite(text: str) -> bool:
    """The text keeps data without a time limit (a phrase of the list, not negated in its own
    clause)."""
    for match in _INDEFINITE.finditer(text):
        before = text[: match.start()]
        clause = _CLAUSE_START.split(before)[-1]
        rest = _SENTENCE_END.split(text[match.end() :])[0]
        if not _NEGATION.search(clause) and not _BOUND.search(rest):
            return True
    return False


@rule(
    "retention-indefinite",
    "warning",
    "Art. 5(1)(e), Art. 30(1)(f)",
    Example(
        RECORD,
        "retention:\n  rules:\n    - categories: [identification]\n"
        "      period: Opbevares på ubestemt tid.\n",
        "retention:\n  rules:\n    - categories: [identification]\n"
        "      period: Slettes ikke senere end 12 måneder efter kundeforholdets ophør.\n",
    ),
)
def _retention_indefinite(register: Register, today: dt.date) -> Iterator[Finding]:
    """Keeping data "indefinitely" conflicts with storage limitation (Art. 5(1)(e)) unless
    there is a reason, such as archiving in the public interest (Art. 89). The rule reads the
    retention texts for phrases that set no limit, in Danish and English ("på ubestemt tid",
    "indtil videre", "så længe det er nødvendigt", "opbevares permanent"; "indefinitely",
    "until further notice", "as long as necessary", "kept permanently"); a bound such as
    "slettes ikke senere end 12 måneder" is a limit, and so is a bound later in the sentence
    ("så længe det er nødvendigt, dog højst 6 år"). Where a rule states its ``maximum``, that is
    read instead of its ``period``. If there is a reason, accept the warning in
    the record with it; the document then shows it."""
    for activity in register.activities:
        retention = given(activity.record.retention)
        if retention is None:
            continue
        texts = [(("retention", "description"), shared_text(register, retention.description))]
        texts += [  # the structured maximum is the limit where it is stated
            (("retention", "rules", i, "maximum"), r.maximum)
            if r.maximum
            else (("retention", "rules", i, "period"), r.period)
            for i, r in enumerate(retention.rules)
        ]
        for loc, text in texts:
            if isinstance(text, str) and says_indefinite(text):
                yield Finding(
                    activity.source,
                    loc,
                    "data is kept without a time limit",
                    "state when it is erased, or accept the warning with a reason",
                )


@rule(
    "retention-missing-category",
    "warning",
    "Art. 30(1)(f)",
    Example(
        RECORD,
        "data_subjects:\n  groups:\n"
        "    - {id: kunder, name: kunder, categories: [identification, usage]}\n"
        "retention:\n  rules:\n    - categories: [identification]\n"
        "      period: 2 år efter kundeforholdets ophør.\n",
        "data_subjects:\n  groups:\n"
        "    - {id: kunder, name: kunder, categories: [identification, usage]}\n"
        "retention:\n  rules:\n    - categories: [identification]\n"
        "      period: 2 år efter kundeforholdets ophør.\n"
        "    - categories: [usage]\n      period: 13 måneder efter registreringen.\n",
    ),
)
def _retention_missing_category(register: Register, today: dt.date) -> Iterator[Finding]:
    """Art. 30(1)(f) asks for time limits "for the different categories of data". Without a
    general rule, every data category the record processes needs a retention rule."""
    for activity in register.activities:
        retention = given(activity.record.retention)
        if retention is None or retention.description:
            continue
        covered = {
            (g, c)
            for r in retention.rules
            for c in r.categories
            for g in (r.subjects or [g.id for g in groups(activity)])
        }
        used = [(g.id, c) for g in groups(activity) for c in g.categories]
        missing = [f"{c} ({g})" for g, c in used if (g, c) not in covered]
        if missing:
            yield Finding(
                activity.source,
                ("retention",),
                "no time limit for: " + ", ".join(missing),
                "add a rule for them, or a general `description:`",
            )
