"""Transfers to third countries and international organisations (Chapter V, Art. 30(1)(e)).

Legal assumptions, written down:

* A destination is a third country or an international organisation (Art. 44); records spell an
  international organisation ``org:<id>`` (``schema/international-organisations.yaml``), and
  every one of them is outside the EEA for Chapter V, wherever its seat.
* Remote access from a third country is a transfer when the one accessing is another entity
  (EDPB Guidelines 05/2021); a catalogue entry that processes data in a third country therefore
  needs a transfer in every record that uses it.
* The adequacy list (``schema/adequacy.yaml``) is dated data. An adequacy decision for the US
  covers only recipients certified under the EU–US Data Privacy Framework, and HR data only
  where the certification covers HR data (DPF Principles, Supplemental Principle 9); Canada's,
  Japan's and Korea's cover part of their recipients (the ``scope`` there), which the register
  cannot verify: a warning to confirm and accept.
* A list not checked for more than 12 months may miss a decision adopted, renewed or struck
  down; a decision past its ``expires`` date no longer covers a transfer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ropa_build.errors import did_you_mean
from ropa_build.models import ORGANISATION_PREFIX, given
from ropa_build.rules.common import add_months, own_staff, transfers, uses_in
from ropa_build.rules.data import employees
from ropa_build.rules.registry import RECORD, Example, Finding, rule
from ropa_build.validate import Register

STALE_AFTER_MONTHS = 12

_MK_SCC = (
    "transfers:\n  items:\n    - country: MK\n      recipient: Support i Nordmakedonien\n"
    "      mechanism: scc\n"
    "      documentation: Standardkontraktbestemmelser (2021/914), bilag 3 til aftalen.\n"
)


@rule(
    "transfer-without-mechanism",
    "warning",
    "Art. 30(1)(e); Art. 44–49",
    Example(
        RECORD,
        "transfers:\n  items:\n    - country: MK\n      recipient: Support i Nordmakedonien\n",
        _MK_SCC,
    ),
)
def _transfer_without_mechanism(register: Register, today: dt.date) -> Iterator[Finding]:
    """A transfer outside the EU/EEA needs a legal mechanism: an adequacy decision (Art. 45),
    appropriate safeguards such as standard contractual clauses or binding corporate rules
    (Art. 46–47), or a documented derogation (Art. 49). The seed described support staff in
    North Macedonia accessing data but named none. A recipient stated to be your own staff
    abroad (``same_entity: true``, on the transfer or in the catalogue) is no transfer (EDPB
    Guidelines 05/2021) and needs none."""
    for activity, i, transfer in transfers(register):
        if transfer.mechanism is None and not own_staff(register, transfer):
            yield Finding(
                activity.source,
                ("transfers", "items", i),
                f"the transfer to {transfer.country} names no mechanism",
                "add `mechanism:` (adequacy, scc, bcr, code_of_conduct, certification or "
                "derogation); if the recipient is your own staff abroad, say `same_entity: true`",
            )


@rule(
    "unknown-destination",
    "error",
    "Art. 30(1)(e); Art. 4(26)",
    Example(
        RECORD,
        "transfers:\n  items:\n    - country: org:ep0\n      recipient: Patentansøgninger\n"
        "      mechanism: adequacy\n",
        "transfers:\n  items:\n    - country: org:epo\n      recipient: Patentansøgninger\n"
        "      mechanism: adequacy\n",
    ),
)
def _unknown_destination(register: Register, today: dt.date) -> Iterator[Finding]:
    """An international organisation is named ``org:<id>`` with an id from
    ``schema/international-organisations.yaml`` (a register can add its own there); an id not
    in that list names no known destination, so the transfer cannot be assessed."""
    known = list(register.vocabulary.organisations)
    places = [
        (a.source, ("transfers", "items", i, "country"), t.country)
        for a, i, t in transfers(register)
        if isinstance(t.country, str)  # a country still to be verified names nothing yet
    ]
    places += [
        (register.sources[1], ("systems", key, "countries", j), code)
        for key, system in register.catalogue.systems.items()
        for j, code in enumerate(system.countries)
    ]
    for source, loc, code in places:
        ident = code.removeprefix(ORGANISATION_PREFIX)
        if code.startswith(ORGANISATION_PREFIX) and ident not in known:
            yield Finding(
                source,
                loc,
                f"'{code}' is not an international organisation in "
                "schema/international-organisations.yaml",
                did_you_mean(
                    code,
                    [ORGANISATION_PREFIX + k for k in known],
                    "add it to schema/international-organisations.yaml in the register",
                ),
            )


@rule(
    "adequacy-not-valid",
    "warning",
    "Art. 45",
    Example(
        RECORD,
        "transfers:\n  items:\n    - country: MK\n      recipient: Support i Nordmakedonien\n"
        "      mechanism: adequacy\n",
        _MK_SCC,
    ),
)
def _adequacy_not_valid(register: Register, today: dt.date) -> Iterator[Finding]:
    """An adequacy decision covers only the destinations in ``schema/adequacy.yaml`` (dated;
    update it when the Commission adopts or a court strikes down a decision). For the United
    States it covers only recipients certified under the EU–US Data Privacy Framework
    (``dpf_certified: true`` in the catalogue)."""
    vocabulary, systems = register.vocabulary, register.catalogue.systems
    for activity, i, transfer in transfers(register):
        if transfer.mechanism != "adequacy" or not isinstance(transfer.country, str):
            continue  # an unknown country is an open point (rule open-point)
        loc = ("transfers", "items", i, "mechanism")
        spec = vocabulary.adequate.get(transfer.country)
        system = systems.get(transfer.recipient)
        if spec is None:
            yield Finding(
                activity.source,
                loc,
                f"there is no adequacy decision for "
                f"{transfer.country} (list of {vocabulary.adequacy_as_of})",
                "use another mechanism, e.g. scc",
            )
        elif spec.get("requires") == "dpf_certified" and not (system and system.dpf_certified):
            yield Finding(
                activity.source,
                loc,
                f"adequacy for {transfer.country} covers only "
                "recipients certified under the EU–US Data Privacy "
                "Framework",
                "set `dpf_certified: true` on the catalogue entry, or use scc",
            )


@rule(
    "adequacy-partial",
    "warning",
    "Art. 45",
    Example(
        RECORD,
        "transfers:\n  items:\n    - country: CA\n      recipient: Canadisk leverandør\n"
        "      mechanism: adequacy\n",
        "transfers:\n  items:\n    - country: CA\n      recipient: Canadisk leverandør\n"
        "      mechanism: adequacy\n"
        "accepted:\n  - rule: adequacy-partial\n"
        "    reason: Leverandøren er et kommercielt selskab omfattet af PIPEDA (bekræftet 2026).\n",
    ),
)
def _adequacy_partial(register: Register, today: dt.date) -> Iterator[Finding]:
    """Some adequacy decisions cover only part of a destination's recipients (the ``scope`` in
    ``schema/adequacy.yaml``): Canada's only commercial organisations subject to PIPEDA, Japan's
    business operators under the APPI, Korea's not credit information under the Credit
    Information Act. The register cannot tell whether the recipient is covered: confirm it, then
    accept the warning in the record with the reason. For the United States the certification
    is checked (adequacy-not-valid); its HR-data condition is asked only where the recipient
    receives data about employees (a group marked ``employment``) and the catalogue entry does
    not say ``dpf_hr_data: true``."""
    vocabulary, systems = register.vocabulary, register.catalogue.systems
    for activity, i, transfer in transfers(register):
        spec = vocabulary.adequate.get(transfer.country)
        if transfer.mechanism != "adequacy" or not spec or not spec.get("scope"):
            continue
        loc = ("transfers", "items", i, "mechanism")
        if spec.get("requires") != "dpf_certified":
            yield Finding(
                activity.source,
                loc,
                f"the adequacy decision for {transfer.country} covers only {spec['scope']}",
                "confirm the recipient is covered and accept the warning with the reason, or "
                "use scc",
            )
            continue
        staff = set(employees(activity))
        system = systems.get(transfer.recipient)
        about = {
            group
            for _, _, use in uses_in(activity)
            if use.ref == transfer.recipient
            for group, categories in use.receives.items()
            if categories and group in staff
        }
        shared = {
            use.ref
            for p in ("internal", "processors")
            for use in register.shared_uses(activity.record, p)
        }
        if transfer.recipient in shared:  # a recipient of every activity receives it all
            about |= staff
        if about and not (system and system.dpf_hr_data):
            yield Finding(
                activity.source,
                loc,
                f"'{transfer.recipient}' receives employees' data ({', '.join(sorted(about))}), "
                "which the Data Privacy Framework covers only where the certification covers "
                "HR data",
                "check the recipient's entry on the DPF list and set `dpf_hr_data: true` in the "
                "catalogue, or use scc",
            )


@rule(
    "adequacy-expired",
    "warning",
    "Art. 45(3), 45(5)",
    Example(
        RECORD,
        "transfers:\n  items:\n"
        "    - country: GB\n      recipient: Britisk leverandør\n      mechanism: adequacy\n",
        "transfers:\n  items:\n"
        "    - country: GB\n      recipient: Britisk leverandør\n      mechanism: scc\n"
        "      documentation: Standardkontraktbestemmelser (2021/914), modul 2.\n",
        today=dt.date(2032, 1, 15),  # the UK decisions ran until 2031-12-27
    ),
)
def _adequacy_expired(register: Register, today: dt.date) -> Iterator[Finding]:
    """An adequacy decision may run for a fixed period (the United Kingdom's, renewed on
    19 December 2025, until 27 December 2031); after its ``expires`` date in
    ``schema/adequacy.yaml`` it covers no transfer. Check whether the Commission renewed it
    (then update the list), or move the transfer to another mechanism."""
    for activity, i, transfer in transfers(register):
        spec = register.vocabulary.adequate.get(transfer.country) or {}
        expires = spec.get("expires")
        if transfer.mechanism == "adequacy" and expires and expires < today:
            yield Finding(
                activity.source,
                ("transfers", "items", i, "mechanism"),
                f"the adequacy decision for {transfer.country} expired on {expires.isoformat()}",
                "check whether it was renewed (update schema/adequacy.yaml), or use scc",
            )


@rule(
    "adequacy-list-stale",
    "warning",
    "Art. 45(5); accountability",
    Example(
        "schema/adequacy.yaml",
        "as_of: 2025-06-01   # judged on 2026-11-25\n",
        "as_of: 2026-11-20   # checked against the Commission's list that day\n",
    ),
)
def _adequacy_list_stale(register: Register, today: dt.date) -> Iterator[Finding]:
    """The adequacy list is dated (``as_of`` in ``schema/adequacy.yaml``). Decisions are
    adopted, renewed and struck down (Privacy Shield in 2020); a list checked more than
    12 months before the day ``ropa check`` judges on may be wrong. Update the tool, or check
    the Commission's list and update the register's own copy and its ``as_of``."""
    vocabulary = register.vocabulary
    as_of = dt.date.fromisoformat(vocabulary.adequacy_as_of)
    if add_months(as_of, STALE_AFTER_MONTHS) < today:
        yield Finding(
            vocabulary.adequacy_source,
            ("as_of",),
            f"the adequacy list is of {as_of.isoformat()}, more than {STALE_AFTER_MONTHS} "
            "months old",
            "check the European Commission's list of adequacy decisions, update "
            "schema/adequacy.yaml and its `as_of` (or update ropa-build)",
        )


@rule(
    "transfer-undocumented",
    "warning",
    "Art. 30(1)(e); Art. 49(1)",
    Example(
        RECORD,
        "transfers:\n  items:\n    - country: MK\n      recipient: Support i Nordmakedonien\n"
        "      mechanism: scc\n",
        _MK_SCC,
    ),
)
def _transfer_undocumented(register: Register, today: dt.date) -> Iterator[Finding]:
    """For transfers on appropriate safeguards (SCCs, BCRs, codes, certification) or a
    derogation, the record must say where the safeguards are documented; Art. 30(1)(e) requires
    the documentation explicitly for derogations under Art. 49(1), second subparagraph."""
    mechanisms = register.vocabulary.mechanisms
    for activity, i, transfer in transfers(register):
        needs = mechanisms.get(transfer.mechanism or "", {}).get("needs_documentation")
        if needs and not transfer.documentation and not own_staff(register, transfer):
            yield Finding(
                activity.source,
                ("transfers", "items", i),
                f"the {transfer.mechanism} transfer to {transfer.country} has no documentation",
                "add `documentation:` (where the clauses or the assessment are kept)",
            )


@rule(
    "transfer-inside-eea",
    "warning",
    "Art. 44",
    Example(
        RECORD,
        "transfers:\n  items:\n    - country: DE\n      recipient: mailservice\n"
        "      mechanism: adequacy\n",
        "transfers:\n  description: Ingen overførsler til tredjelande (Tyskland er i EU).\n"
        "  items: []\n",
    ),
)
def _transfer_inside_eea(register: Register, today: dt.date) -> Iterator[Finding]:
    """EU and EEA countries (EU-27, Iceland, Liechtenstein, Norway) are not third countries:
    listing them as transfers suggests a misunderstanding or a wrong country code."""
    for activity, i, transfer in transfers(register):
        if isinstance(transfer.country, str) and not register.vocabulary.third_country(
            transfer.country
        ):
            yield Finding(
                activity.source,
                ("transfers", "items", i, "country"),
                f"{transfer.country} is in the EU/EEA: this is not a third-country transfer",
                "remove the entry",
            )


@rule(
    "unlisted-transfer",
    "warning",
    "Art. 30(1)(e); Art. 44",
    Example(
        RECORD,
        "recipients:\n  processors:\n"
        "    - {ref: helpdesk, receives: {kunder: [identification]}}\n"
        "transfers:\n  description: Ingen overførsler til tredjelande.\n",
        "recipients:\n  processors:\n"
        "    - {ref: helpdesk, receives: {kunder: [identification]}}\n"
        "transfers:\n  items:\n    - country: US\n      recipient: helpdesk\n"
        "      mechanism: adequacy   # helpdesk has dpf_certified: true in the catalogue\n",
    ),
)
def _unlisted_transfer(register: Register, today: dt.date) -> Iterator[Finding]:
    """A catalogue entry that processes data in a third country or is an international
    organisation (including remote access from there) makes every activity that uses it
    transfer data there, when the entry is another entity — a vendor, a subsidiary (EDPB
    Guidelines 05/2021). Each such activity needs a transfer entry for that destination and
    recipient. The catalogue's ``same_entity`` says whether an entry is your own company: true
    (its employees working from abroad) is no transfer, though still a risk to record, and
    draws nothing; false (another entity) is one; left out, the rule asks. An entry
    organisation.yaml lists for every activity counts for each activity that does not name it."""
    systems = register.catalogue.systems
    for activity in register.activities:
        record = activity.record
        transfers = given(record.transfers)
        listed = {(t.country, t.recipient) for t in (transfers.items if transfers else ())}
        own = [(("recipients", part, i, "ref"), use.ref) for part, i, use in uses_in(activity)]
        named = {ref for _, ref in own}
        # a recipient of every activity: reported at the record's transfers (or recipients)
        at = next((key,) for key in ("transfers", "recipients", "title") if getattr(record, key))
        shared = [
            (at, use.ref)
            for part in ("internal", "processors")
            for use in register.shared_uses(record, part)
        ]
        for loc, ref in own + shared:
            system = systems.get(ref)
            if system is None or system.same_entity:  # own staff abroad: no transfer (05/2021)
                continue
            for country in system.countries:
                if register.vocabulary.third_country(country) and (country, ref) not in listed:
                    yield Finding(
                        activity.source,
                        loc,
                        f"'{ref}' processes data in {country}, but no transfer to {country} "
                        "names it"
                        + (
                            ""
                            if ref in named
                            else " (organisation.yaml lists it for every activity)"
                        ),
                        f"'{ref}' is another entity: add a transfer (country {country}, "
                        f"recipient {ref}) and its mechanism"
                        if system.same_entity is False
                        else f"if '{ref}' is another entity (a vendor, a subsidiary), add a "
                        f"transfer: country {country}, recipient {ref}, and its mechanism; if it "
                        "is your own staff abroad, say `same_entity: true` in the catalogue",
                        key=ref not in named,  # at the record's `transfers:` key
                    )
