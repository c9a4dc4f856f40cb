"""Stage 3: the linter — what turns valid YAML into a register a DPO can trust.

Each rule has a stable code, a severity, the provision it enforces and an explanation (rendered
into ``docs/rules.md``). A rule is a function from the register to problems; registering it with
:func:`rule` is all it takes to add one.

Legal assumptions, written down:

* Art. 30(1)(e), (f), (g) and 30(2)(c), (d) are "where applicable / where possible" items. We
  require the key to be present, so an absent item is a conscious statement ("no transfers")
  rather than a forgotten field. Stating it in the free-text description is enough.
* Remote access from a third country is a transfer (EDPB Guidelines 05/2021); a catalogue entry
  that processes data in a third country therefore needs a transfer in every record that uses it.
* An adequacy decision for the US covers only recipients certified under the EU–US Data
  Privacy Framework (the catalogue says which are); for Canada only organisations under PIPEDA
  (a warning, adequacy-partial: the register cannot tell).
* A retention "indefinitely" is not unlawful in itself (archives, Art. 89) but needs a reason:
  a warning that can be accepted per record.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ropa_build.errors import Problem, Severity
from ropa_build.validate import Activity, Register


@dataclass(frozen=True)
class Rule:
    code: str
    severity: Severity
    provision: str
    explanation: str
    check: Callable[[Register, dt.date], Iterator[Problem]]


RULES: dict[str, Rule] = {}


def rule(code: str, severity: Severity, provision: str):
    """Register a rule; its docstring is the explanation shown in docs/rules.md."""

    def register(func: Callable[[Register, dt.date], Iterator[Problem]]):
        explanation = " ".join((func.__doc__ or "").split())
        RULES[code] = Rule(code, severity, provision, explanation, func)
        return func

    return register


def check(
    register: Register,
    today: dt.date,
    *,
    select: set[str] | None = None,
    ignore: set[str] | None = None,
) -> list[Problem]:
    """Every finding of the selected rules, minus warnings a record accepted with a reason."""
    problems: list[Problem] = []
    for code, spec in RULES.items():
        if (select and code not in select) or (ignore and code in ignore):
            continue
        for found in spec.check(register, today):
            problems.append(
                Problem(
                    found.path,
                    found.line,
                    found.column,
                    code,
                    found.message,
                    found.hint,
                    spec.severity,
                )
            )
    accepted = {
        (a.source.path, item.rule)
        for a in register.activities
        for item in a.record.accepted
        if RULES.get(item.rule) and RULES[item.rule].severity == "warning"
    }
    problems = [
        p for p in problems if not (p.severity == "warning" and (p.path, p.code) in accepted)
    ]
    return sorted(problems + list(_acceptances(register)))


def _acceptances(register: Register) -> Iterator[Problem]:
    """An acceptance must name a real rule, and only warnings can be accepted."""
    for activity in register.activities:
        for i, item in enumerate(activity.record.accepted):
            loc = ("accepted", i, "rule")
            if item.rule not in RULES:
                close = difflib.get_close_matches(item.rule, list(RULES), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "see docs/rules.md"
                yield activity.source.problem(loc, "unknown-rule", f"no rule '{item.rule}'", hint)
            elif RULES[item.rule].severity == "error":
                yield activity.source.problem(
                    loc,
                    "cannot-accept",
                    f"'{item.rule}' is an error and cannot be accepted",
                    "fix the record instead",
                )


def _stated(value: object) -> bool:
    """Says something: ``transfers: {}`` or a section of empty fields states nothing."""
    if isinstance(value, BaseModel):
        return any(_stated(item) for _, item in value)
    return bool(value)


def _controllers(register: Register) -> Iterator[Activity]:
    return (a for a in register.activities if a.record.role == "controller")


# --- completeness by role -------------------------------------------------------------------

_REQUIRED = {
    "controller": [
        ("purposes", "30(1)(b)", "the purposes of the processing"),
        ("data_subjects", "30(1)(c)", "the categories of data subjects and data"),
        ("recipients", "30(1)(d)", "the categories of recipients"),
        ("transfers", "30(1)(e)", "transfers to third countries, or that there are none"),
        ("retention", "30(1)(f)", "the time limits for erasure"),
        ("security", "30(1)(g)", "the security measures"),
    ],
    "processor": [
        ("controllers", "30(2)(a)", "each controller on whose behalf you act"),
        ("processing", "30(2)(b)", "the categories of processing"),
        ("transfers", "30(2)(c)", "transfers to third countries, or that there are none"),
        ("security", "30(2)(d)", "the security measures"),
    ],
}


@rule("missing-item", "error", "Art. 30(1)(a–g), 30(2)(a–d)")
def _missing_item(register: Register, today: dt.date) -> Iterator[Problem]:
    """Every item Art. 30 lists for the record's role must be there. Items the law asks for
    "where applicable" or "where possible" (transfers, erasure, security) may say that they do
    not apply — "Ingen overførsler til tredjelande" — but must not be left out silently."""
    for activity in register.activities:
        record = activity.record
        for key, letter, what in _REQUIRED[record.role]:
            if not _stated(getattr(record, key)):
                yield activity.source.problem(
                    (),
                    "",
                    f"Art. {letter}: {what} is missing ('{key}')",
                    f"add `{key}:`; if it does not apply, say so in its description",
                )


@rule("role-mismatch", "error", "Art. 30(1) vs 30(2)")
def _role_mismatch(register: Register, today: dt.date) -> Iterator[Problem]:
    """A controller record that names controllers on whose behalf it acts, or describes
    processing done for others, is a processor's record (Art. 30(2)): its role decides which
    paragraph applies and which labels the document shows. The seed made this mistake: titled
    "(dataansvarlig)" with a first row "Databehandler"."""
    for activity in _controllers(register):
        for key in ("controllers", "processing"):
            if getattr(activity.record, key):
                yield activity.source.problem(
                    (key,),
                    "",
                    f"a controller record has '{key}', which only a processor's "
                    "record (Art. 30(2)) has",
                    "set `role: processor`, or remove the key",
                    key=True,
                )


@rule("party-not-stated", "warning", "Art. 30(1)(a)")
def _party_not_stated(register: Register, today: dt.date) -> Iterator[Problem]:
    """The joint controller, representative and DPO are "where applicable" items: write
    ``joint_controller: null`` (etc.) in organisation.yaml to state there is none. A public
    authority never has a representative (Art. 27(2)(b)), so it is not asked for one."""
    organisation = register.organisation
    source = register.sources[0]
    for key in ("joint_controller", "representative", "dpo"):
        if key == "representative" and organisation.public_authority:
            continue
        if key not in organisation.model_fields_set:
            yield source.problem(
                (),
                "",
                f"organisation.yaml does not say whether there is a {key.replace('_', ' ')}",
                f"add `{key}: null` if there is none",
            )


# --- data subjects and the Danish linkage requirement ---------------------------------------


@rule("duplicate-group", "error", "Art. 30(1)(c)")
def _duplicate_group(register: Register, today: dt.date) -> Iterator[Problem]:
    """A group of data subjects listed twice makes the record ambiguous: which block is right?
    The seed listed "kunder" twice, the second block being about employees."""
    for activity in register.activities:
        seen: set[str] = set()
        for i, group in enumerate(_groups(activity)):
            name = group.name.casefold().strip()
            if name in seen:
                yield activity.source.problem(
                    ("data_subjects", "groups", i, "name"),
                    "",
                    f"the subject group '{group.name}' is listed twice",
                    "merge the two blocks, or name the group they really describe",
                )
            seen.add(name)


@rule("group-without-data", "error", "Art. 30(1)(c); Datatilsynet 2020")
def _group_without_data(register: Register, today: dt.date) -> Iterator[Problem]:
    """Datatilsynet (2020) asks for a clear link between which data is processed about which
    data subjects: every subject group must be marked with its data categories."""
    for activity in register.activities:
        for i, group in enumerate(_groups(activity)):
            if not group.categories:
                yield activity.source.problem(
                    ("data_subjects", "groups", i),
                    "",
                    f"the group '{group.name}' has no data categories",
                    "list them under `categories:`",
                )


@rule("recipient-without-data", "error", "Art. 30(1)(d); Datatilsynet 2020")
def _recipient_without_data(register: Register, today: dt.date) -> Iterator[Problem]:
    """For every recipient, Datatilsynet (2020) asks which categories of data it receives and
    about which subject groups; a bare list of recipients does not meet that. The categories
    must be ones the named groups actually have."""
    for activity, part, i, use in _recipient_uses(register):
        loc = ("recipients", part, i)
        if not any(use.receives.values()):
            yield activity.source.problem(
                loc,
                "",
                f"'{use.ref}' does not say which data it receives about whom",
                "add `receives:` with, per subject group id, the categories it receives",
            )
            continue
        held = {g.id: set(g.categories) for g in _groups(activity)}
        for group, categories in use.receives.items():
            for j, category in enumerate(categories):
                if category not in held.get(group, {category}):  # unknown groups: validate
                    yield activity.source.problem(
                        (*loc, "receives", group, j),
                        "",
                        f"'{use.ref}' receives '{category}' about '{group}', a category that "
                        "group does not have",
                        "add the category to the group, or remove it here",
                    )


@rule("special-without-condition", "error", "Art. 9(2), Art. 10")
def _special_without_condition(register: Register, today: dt.date) -> Iterator[Problem]:
    """Special categories (Art. 9(1)) may only be processed under one of the conditions of
    Art. 9(2), on top of an Art. 6 basis; criminal-offence data (Art. 10) needs its own legal
    ground (in Denmark databeskyttelsesloven § 8). Name them under ``lawful_basis``. Only a
    controller has a legal basis: a processor acts on its controller's (Art. 28(3)(a), 29), and
    Art. 30(2) does not ask for one."""
    vocabulary = register.vocabulary
    for activity in _controllers(register):
        basis = activity.record.lawful_basis
        for i, group in enumerate(_groups(activity)):
            for j, category in enumerate(group.categories):
                kind = vocabulary.categories.get(category, {}).get("kind")
                loc = ("data_subjects", "groups", i, "categories", j)
                if kind == "art9" and not (basis and basis.art9):
                    yield activity.source.problem(
                        loc,
                        "",
                        f"'{category}' is a special category "
                        "(Art. 9) but no Art. 9(2) condition is given",
                        "add `lawful_basis: {art9: [...]}`",
                    )
                if kind == "art10" and not (basis and basis.art10):
                    yield activity.source.problem(
                        loc,
                        "",
                        "criminal-offence data (Art. 10) without its legal ground",
                        "add `lawful_basis: {art10: ...}`",
                    )


# --- transfers ------------------------------------------------------------------------------


@rule("transfer-without-mechanism", "error", "Art. 30(1)(e); Art. 44–49")
def _transfer_without_mechanism(register: Register, today: dt.date) -> Iterator[Problem]:
    """A transfer outside the EU/EEA needs a legal mechanism: an adequacy decision (Art. 45),
    appropriate safeguards such as standard contractual clauses or binding corporate rules
    (Art. 46–47), or a documented derogation (Art. 49). The seed described support staff in
    North Macedonia accessing data but named none."""
    for activity, i, transfer in _transfers(register):
        if transfer.mechanism is None:
            yield activity.source.problem(
                ("transfers", "items", i),
                "",
                f"the transfer to {transfer.country} names no mechanism",
                "add `mechanism:` (adequacy, scc, bcr, "
                "code_of_conduct, certification or derogation)",
            )


@rule("adequacy-not-valid", "error", "Art. 45")
def _adequacy_not_valid(register: Register, today: dt.date) -> Iterator[Problem]:
    """An adequacy decision covers only the countries in ``schema/adequacy.yaml`` (dated; update
    it when the Commission adopts or a court strikes down a decision). For the United States it
    covers only recipients certified under the EU–US Data Privacy Framework
    (``dpf_certified: true`` in the catalogue)."""
    vocabulary, systems = register.vocabulary, register.catalogue.systems
    for activity, i, transfer in _transfers(register):
        if transfer.mechanism != "adequacy":
            continue
        loc = ("transfers", "items", i, "mechanism")
        condition = vocabulary.adequate.get(transfer.country, {}).get("condition")
        system = systems.get(transfer.recipient)
        if transfer.country not in vocabulary.adequate:
            yield activity.source.problem(
                loc,
                "",
                f"there is no adequacy decision for "
                f"{transfer.country} (list of {vocabulary.adequacy_as_of})",
                "use another mechanism, e.g. scc",
            )
        elif condition == "dpf" and not (system and system.dpf_certified):
            yield activity.source.problem(
                loc,
                "",
                f"adequacy for {transfer.country} covers only "
                "recipients certified under the EU–US Data Privacy "
                "Framework",
                "set `dpf_certified: true` on the catalogue entry, or use scc",
            )


@rule("adequacy-partial", "warning", "Art. 45")
def _adequacy_partial(register: Register, today: dt.date) -> Iterator[Problem]:
    """Some adequacy decisions cover only part of a country's recipients — Canada's only
    commercial organisations subject to PIPEDA (the ``condition`` in ``schema/adequacy.yaml``).
    The register cannot tell whether the recipient is covered: confirm it, then accept the
    warning in the record with the reason."""
    for activity, i, transfer in _transfers(register):
        condition = register.vocabulary.adequate.get(transfer.country, {}).get("condition")
        if transfer.mechanism == "adequacy" and condition and condition != "dpf":
            yield activity.source.problem(
                ("transfers", "items", i, "mechanism"),
                "",
                f"the adequacy decision for {transfer.country} covers only {condition}",
                "confirm the recipient is covered and accept the warning with the reason, or "
                "use scc",
            )


@rule("transfer-undocumented", "error", "Art. 30(1)(e); Art. 49(1)")
def _transfer_undocumented(register: Register, today: dt.date) -> Iterator[Problem]:
    """For transfers on appropriate safeguards (SCCs, BCRs, codes, certification) or a
    derogation, the record must say where the safeguards are documented; Art. 30(1)(e) requires
    the documentation explicitly for derogations under Art. 49(1), second subparagraph."""
    mechanisms = register.vocabulary.mechanisms
    for activity, i, transfer in _transfers(register):
        needs = mechanisms.get(transfer.mechanism or "", {}).get("needs_documentation")
        if needs and not transfer.documentation:
            yield activity.source.problem(
                ("transfers", "items", i),
                "",
                f"the {transfer.mechanism} transfer to {transfer.country} has no documentation",
                "add `documentation:` (where the clauses or the assessment are kept)",
            )


@rule("transfer-inside-eea", "warning", "Art. 44")
def _transfer_inside_eea(register: Register, today: dt.date) -> Iterator[Problem]:
    """EU and EEA countries (EU-27, Iceland, Liechtenstein, Norway) are not third countries:
    listing them as transfers suggests a misunderstanding or a wrong country code."""
    for activity, i, transfer in _transfers(register):
        if not register.vocabulary.third_country(transfer.country):
            yield activity.source.problem(
                ("transfers", "items", i, "country"),
                "",
                f"{transfer.country} is in the EU/EEA: this is not a third-country transfer",
                "remove the entry",
            )


@rule("unlisted-transfer", "error", "Art. 30(1)(e); Art. 44")
def _unlisted_transfer(register: Register, today: dt.date) -> Iterator[Problem]:
    """A catalogue entry that processes data in a third country (including remote access from
    there) makes every activity that uses it transfer data there; each such activity needs a
    transfer entry for that country and recipient."""
    systems = register.catalogue.systems
    for activity, part, i, use in _recipient_uses(register):
        system = systems.get(use.ref)
        listed = {
            (t.country, t.recipient)
            for t in (activity.record.transfers.items if activity.record.transfers else ())
        }
        for country in system.countries if system else ():
            if register.vocabulary.third_country(country) and (country, use.ref) not in listed:
                yield activity.source.problem(
                    ("recipients", part, i, "ref"),
                    "",
                    f"'{use.ref}' processes data in {country}, but no "
                    f"transfer to {country} names it",
                    f"add a transfer: country {country}, recipient {use.ref}, and its mechanism",
                )


# --- retention, review, catalogue -----------------------------------------------------------

# Not bare "permanent" or "altid": "slettes permanent efter 30 dage" and "slettes altid efter
# 5 år" set a limit.
_INDEFINITE = re.compile(
    r"\b(indefinite\w*|forever|(kept|stored) permanently|no (time )?limit|ubegrænset|"
    r"uendelig\w*|for altid|(opbevares|gemmes) permanent\w*|ingen sletning|slettes ikke)\b",
    re.I,
)


@rule("retention-indefinite", "warning", "Art. 5(1)(e), Art. 30(1)(f)")
def _retention_indefinite(register: Register, today: dt.date) -> Iterator[Problem]:
    """Keeping data "indefinitely" conflicts with storage limitation (Art. 5(1)(e)) unless
    there is a reason, such as archiving in the public interest (Art. 89). If there is one,
    accept the warning in the record with the reason; the document then shows it."""
    for activity in register.activities:
        retention = activity.record.retention
        texts = [(("retention", "description"), retention.description)] if retention else []
        texts += [
            (("retention", "rules", i, "period"), r.period)
            for i, r in enumerate(retention.rules if retention else ())
        ]
        for loc, text in texts:
            if text and _INDEFINITE.search(text):
                yield activity.source.problem(
                    loc,
                    "",
                    "data is kept without a time limit",
                    "state when it is erased, or accept the warning with a reason",
                )


@rule("retention-missing-category", "warning", "Art. 30(1)(f)")
def _retention_missing_category(register: Register, today: dt.date) -> Iterator[Problem]:
    """Art. 30(1)(f) asks for time limits "for the different categories of data". Without a
    general rule, every data category the record processes needs a retention rule."""
    for activity in register.activities:
        retention = activity.record.retention
        if retention is None or retention.description:
            continue
        covered = {
            (g, c)
            for r in retention.rules
            for c in r.categories
            for g in (r.subjects or [g.id for g in _groups(activity)])
        }
        used = [(g.id, c) for g in _groups(activity) for c in g.categories]
        missing = [f"{c} ({g})" for g, c in used if (g, c) not in covered]
        if missing:
            yield activity.source.problem(
                ("retention",),
                "",
                "no time limit for: " + ", ".join(missing),
                "add a rule for them, or a general `description:`",
            )


@rule("review-overdue", "warning", "Art. 5(2), Art. 24(1)")
def _review_overdue(register: Register, today: dt.date) -> Iterator[Problem]:
    """A register must be kept up to date (accountability, Art. 5(2) and 24(1)). Each activity
    is reviewed at least every ``document.review_interval_months`` (organisation.yaml; default
    12). "Today" is given to the checker from outside, so results are reproducible."""
    months = register.organisation.document.review_interval_months
    for activity in register.activities:
        due = _add_months(activity.record.reviewed, months)
        if due < today:
            yield activity.source.problem(
                ("reviewed",),
                "",
                f"the review was due on {due.isoformat()}",
                "review the activity and set `reviewed:` to the date",
            )


@rule("unused-catalogue-entry", "warning", "accountability")
def _unused_catalogue_entry(register: Register, today: dt.date) -> Iterator[Problem]:
    """A catalogue entry no activity uses is either stale or a sign that an activity forgot a
    recipient; keeping the catalogue and the records in step keeps the register from drifting
    away from the list of sub-processors."""
    used = {use.ref for _, _, _, use in _recipient_uses(register)}
    used |= {t.recipient for _, _, t in _transfers(register)}
    for key in register.catalogue.systems:
        if key not in used:
            yield register.sources[1].problem(
                ("systems", key),
                "",
                f"the catalogue entry '{key}' is not used by any activity",
                "remove it, or add it where it is used",
                key=True,
            )


@rule("todo-left", "warning", "Art. 30 (a register, not a draft)")
def _todo_left(register: Register, today: dt.date) -> Iterator[Problem]:
    """``ropa new`` fills every field with a ``TODO:`` placeholder. One left in a record would
    reach the DPO's Word document as if it were the register's content. ``ropa import`` marks
    what it could not place with confidence with a ``# TODO(import): …`` comment above the key;
    those are reported too, with what to check."""
    for activity in register.activities:
        for loc, text in _texts(activity.source.data, ()):
            if "TODO" in text:
                yield activity.source.problem(
                    loc,
                    "",
                    "a TODO placeholder is left in the record",
                    "write the real content, or remove the field",
                )
        for line, column, text in _import_todos(activity.source.file):
            hint = "check it, fix the record, then delete the comment"
            yield Problem(activity.source.path, line, column, "", text, hint)


# --- helpers --------------------------------------------------------------------------------

_IMPORT_TODO = re.compile(r"^\s*#\s*(TODO\(import\):.*)$")


def _import_todos(path: Path | None) -> Iterator[tuple[int, int, str]]:
    """``# TODO(import): …`` comments (continued on ``#   `` lines), with line and column."""
    try:
        text = path.read_text(encoding="utf-8") if path else ""
    except (OSError, UnicodeDecodeError):
        return
    if "TODO(import)" not in text:
        return
    lines = text.splitlines()
    for number, line in enumerate(lines, 1):
        found = _IMPORT_TODO.match(line)
        if found:
            message = found.group(1)
            for more in lines[number:]:
                if not more.startswith("#   "):
                    break
                message += " " + more[1:].strip()
            yield number, line.index("#") + 1, message


def _texts(data: object, loc: tuple) -> Iterator[tuple[tuple, str]]:
    """Every string in raw record data, with its location."""
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _texts(value, (*loc, index))


def _groups(activity: Activity):
    subjects = activity.record.data_subjects
    return subjects.groups if subjects else []


def _recipient_uses(register: Register):
    for activity in register.activities:
        recipients = activity.record.recipients
        for part in ("internal", "processors", "others"):
            for i, use in enumerate(getattr(recipients, part, ()) if recipients else ()):
                yield activity, part, i, use


def _transfers(register: Register):
    for activity in register.activities:
        transfers = activity.record.transfers
        for i, transfer in enumerate(transfers.items if transfers else ()):
            yield activity, i, transfer


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")
