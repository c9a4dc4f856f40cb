"""What a transfer on standard contractual clauses or a derogation must also say: the SCC
module, the transfer impact assessment, and that a derogation is occasional (Chapter V).

Legal assumptions, written down:

* The standard contractual clauses of Commission Implementing Decision (EU) 2021/914 come in
  four modules (1 controller to controller, 2 controller to processor, 3 processor to processor,
  4 processor to controller); which one was signed says who owes what to whom, so a record
  relying on SCCs names it (``scc_module``).
* Since Schrems II (CJEU C-311/18, 16 July 2020), an exporter relying on SCCs assesses whether
  the law and practice of the destination let the importer comply, and adds supplementary
  measures where they do not (EDPB Recommendations 01/2020): the record says where that
  transfer impact assessment is (``tia``). The same holds for the other Art. 46 tools; the rule
  asks only for SCCs, where the format has the field and the practice is settled.
* SCCs named as a fallback (``alternatives: [scc]``, e.g. beside adequacy under the Data
  Privacy Framework) are relied on as well: both rules read them.
* Art. 49 derogations are exceptions for occasional, non-repetitive transfers: recital 111 says
  so for (1)(b), (c) and (e), the second subparagraph of Art. 49(1) for compelling legitimate
  interests, and the EDPB reads all of them restrictively so that the exception does not become
  the rule (Guidelines 2/2018, section 1). A regular, repeated transfer needs Art. 45–47. The
  record says whether the transfer is occasional (``occasional``); where it does not, the rule
  asks rather than asserts.
* A transfer whose recipient is stated to be the organisation's own staff (``same_entity``) is
  no transfer (EDPB Guidelines 05/2021): none of these rules reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ropa_build.models import Transfer
from ropa_build.rules.common import own_staff, transfers
from ropa_build.rules.registry import RECORD, Example, Finding, rule
from ropa_build.validate import Register

_MK = "transfers:\n  items:\n    - country: MK\n      recipient: Support i Nordmakedonien\n"
_SCC = (
    "      mechanism: scc\n"
    "      documentation: Standardkontraktbestemmelser (2021/914), bilag 3 til aftalen.\n"
)
_TIA = "      tia: Vurdering af overførslen til Nordmakedonien, 2026-03-01 (Leverandøraftaler)\n"
_DEROGATION = (
    "    - country: US\n      recipient: Amerikansk advokat\n      mechanism: derogation\n"
    "      derogation: e   # legal claims\n"
    "      documentation: Sagsmappe 2026-17.\n"
)


def on_scc(transfer: Transfer) -> bool:
    """The transfer relies on standard contractual clauses: as its mechanism or a fallback."""
    return transfer.mechanism == "scc" or "scc" in transfer.alternatives


@rule(
    "scc-without-module",
    "warning",
    "Art. 46(2)(c); Decision (EU) 2021/914",
    Example(RECORD, _MK + _SCC + _TIA, _MK + _SCC + "      scc_module: 3\n" + _TIA),
)
def _scc_without_module(register: Register, today: dt.date) -> Iterator[Finding]:
    """The standard contractual clauses (Commission Decision (EU) 2021/914) have four modules:
    1 controller to controller, 2 controller to processor, 3 processor to processor, 4 processor
    to controller. Which one was signed says who owes what to whom; a transfer that relies on
    the clauses — as its mechanism, or as a fallback under ``alternatives`` — names it
    (``scc_module``). A controller sending data to its processor abroad uses module 2; a
    processor passing it on to a sub-processor, module 3."""
    for activity, i, transfer in transfers(register):
        if on_scc(transfer) and transfer.scc_module is None and not own_staff(register, transfer):
            yield Finding(
                activity.source,
                ("transfers", "items", i),
                f"the transfer to {transfer.country} relies on standard contractual clauses but "
                "does not say which module",
                "add `scc_module:` (1 controller–controller, 2 controller–processor, "
                "3 processor–processor, 4 processor–controller)",
            )


@rule(
    "scc-without-tia",
    "warning",
    "Art. 46(1); CJEU C-311/18; EDPB Recommendations 01/2020",
    Example(
        RECORD,
        _MK + _SCC + "      scc_module: 3\n",
        _MK + _SCC + "      scc_module: 3\n" + _TIA,
    ),
)
def _scc_without_tia(register: Register, today: dt.date) -> Iterator[Finding]:
    """Standard contractual clauses bind the importer, not the destination's authorities. Since
    the Court of Justice's Schrems II judgment (C-311/18), the exporter assesses whether the
    law and practice there let the importer keep the clauses, and adds supplementary measures
    where they do not (EDPB Recommendations 01/2020). A transfer that relies on the clauses —
    as its mechanism or as a fallback — says where that transfer impact assessment is and its
    date (``tia``); the measures it led to go under ``measures``."""
    for activity, i, transfer in transfers(register):
        if on_scc(transfer) and not transfer.tia and not own_staff(register, transfer):
            yield Finding(
                activity.source,
                ("transfers", "items", i),
                f"the transfer to {transfer.country} relies on standard contractual clauses "
                "without a transfer impact assessment",
                "add `tia:` with where the assessment is and its date (and `measures:` for the "
                "supplementary measures it led to)",
            )


@rule(
    "derogation-not-occasional",
    "warning",
    "Art. 49(1); recital 111; EDPB Guidelines 2/2018",
    Example(
        RECORD,
        "transfers:\n  items:\n" + _DEROGATION,
        "transfers:\n  items:\n" + _DEROGATION + "      occasional: true   # this one case\n",
    ),
)
def _derogation_not_occasional(register: Register, today: dt.date) -> Iterator[Finding]:
    """A derogation under Art. 49 (explicit consent, a contract, legal claims, vital interests
    ...) is an exception for occasional transfers that are not repeated: recital 111 says so for
    contracts and legal claims, and the EDPB reads every derogation so that the exception does
    not become the rule (Guidelines 2/2018). A regular, repeated transfer needs an adequacy
    decision or appropriate safeguards (Art. 45–47), such as standard contractual clauses. The
    record says whether the transfer is occasional: ``occasional: true``; when it says
    ``false``, move the transfer to another mechanism; when it says nothing, the rule asks."""
    for activity, i, transfer in transfers(register):
        derogation = transfer.mechanism == "derogation" or "derogation" in transfer.alternatives
        if not derogation or transfer.occasional or own_staff(register, transfer):
            continue
        yield Finding(
            activity.source,
            ("transfers", "items", i),
            f"the transfer to {transfer.country} relies on an Art. 49 derogation but is stated "
            "to be regular: a derogation is for occasional transfers only (recital 111; the "
            "EDPB's Guidelines 2/2018 read every letter so)"
            if transfer.occasional is False
            else f"the transfer to {transfer.country} relies on an Art. 49 derogation: is it "
            "occasional? A derogation does not cover regular, repeated transfers (recital 111; "
            "EDPB Guidelines 2/2018)",
            "use an adequacy decision or safeguards (e.g. scc) for a regular transfer"
            if transfer.occasional is False
            else "if it is occasional and not repeated, say `occasional: true`; if it is "
            "regular, use an adequacy decision or safeguards (e.g. scc)",
        )
