"""``ropa new "Titel"``: start a record with every field present, explained in Danish and English.

A process owner rarely knows the schema. A file that already holds every key, with a comment on
each and a ``TODO:`` where something must be written, is quicker to fill in than a blank page,
and it loads and validates as it is: placeholders are valid values that are obviously unfinished.
The party overrides (``controller``, ``dpo``, ...) stay commented out, because writing one —
even ``dpo: null`` — replaces what organisation.yaml says for this activity.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

from ropa_build.errors import Problem, UserError
from ropa_build.load import RECORD_SUFFIXES
from ropa_build.models import Role

_HEAD = """\
# yaml-language-server: $schema=../schema/record.schema.json
#
# Behandlingsaktivitet / processing activity. Udfyld hvert "TODO:" / fill in every "TODO:".
# Filnavnet er aktivitetens id / the file name is the activity's id.
# Felterne: docs/fields.md (VS Code med YAML-udvidelsen viser dem mens du skriver / VS Code
# with the YAML extension shows them as you type). Tjek med / check with: ropa check

# Aktivitetens navn / name of the activity
title: {title}
# controller = dataansvarlig (art. 30, stk. 1) · processor = databehandler (art. 30, stk. 2)
role: {role}
# Afdeling eller person, der ejer aktiviteten / department or person owning the activity
owner: "TODO: afdeling / department"
# Senest opdateret / last updated (ÅÅÅÅ-MM-DD / YYYY-MM-DD)
updated: {today}
# Senest gennemgået / last reviewed; ropa check advarer, når en gennemgang er forfalden /
# ropa check warns when a review is overdue
reviewed: {today}
# Med hvem, der gennemgik den / with who reviewed it:
# reviewed:
#   date: {today}
#   by: Navn Navnesen, DPO

# Parterne kommer fra organisation.yaml. Skriv kun en nøgle her, hvis den afviger for denne
# aktivitet (også "dpo: null" erstatter organisationens) / the parties come from
# organisation.yaml; write a key here only where it differs for this activity:
# controller:            # Myndighed/virksomhed / organisation
#   name: ...            # Navn / name
#   title: ...           # Titel foran navnet, fx DPO / title before the name, e.g. DPO
#   cvr: "12345678"      # CVR-nr. (8 cifre / digits)
#   registration:        # Andre landes numre / other countries' registration numbers
#     - kind: Org.nr.
#       number: "912 345 678"
#   contact_person: ...  # Kontaktperson / contact person
#   address: ...         # Adresse / address
#   web: ...             # Hjemmeside / website
#   phone: ...           # Telefon / phone
#   email: ...           # E-mail, en eller flere / one or more
# joint_controller:      # Fælles dataansvarlig (art. 26) / joint controller
#   name: ...
# representative:        # Repræsentant (art. 27) / representative
#   name: ...
# dpo:                   # Databeskyttelsesrådgiver / data protection officer
#   name: ...
"""

_CONTROLLER = """
# Kun for databehandlere / processor records only (art. 30, stk. 2, a-b):
# dataansvarlige, vi behandler for / controllers we act for
controllers: []
#   - name: ...                   # for hver / for each; kontaktoplysninger som / contacts as above
#     representative: {{name: ...}} # Den dataansvarliges repræsentant / its representative
#     agreement:                    # Databehandleraftalen / the processing agreement
#       version: v3
#       date: 2026-01-15
#       status: signed              # draft, signed, terminated
#     onboarded: 2025-06-01         # Kunde siden / customer since
# Kategorier af behandling for dem / categories of processing done for them
processing: null
"""

_PROCESSOR = """
# Hver dataansvarlig, vi behandler for / each controller we act for (art. 30, stk. 2, a)
controllers:
  - name: "TODO: dataansvarlig / controller"   # Navn / name
    # cvr: "12345678"                            # CVR-nr. (8 cifre / digits)
    # address: ...                               # Adresse / address
    # web: ...                                   # Hjemmeside / website
    # phone: ...                                 # Telefon / phone
    # email: ...                                 # E-mail (en eller flere / one or more)
#   - name: ...                   # for hver / for each; kontaktoplysninger som / contacts as above
#     representative: {{name: ...}} # Den dataansvarliges repræsentant / its representative
#     agreement:                    # Databehandleraftalen / the processing agreement
#       version: v3
#       date: 2026-01-15
#       status: signed              # draft, signed, terminated
#     onboarded: 2025-06-01         # Kunde siden / customer since
# Kategorier af behandling / categories of processing (art. 30, stk. 2, b)
processing: |
  TODO: Hvad gør vi for de dataansvarlige? / What do we do for the controllers?
"""

_BASIS = """\
# Behandlingsgrundlag / lawful basis (art. 6, 9, 10)
lawful_basis:
  art6: []            # Art. 6, stk. 1, litra a-f / letters a-f, fx / e.g. [b]
  art9: []            # Art. 9, stk. 2, litra a-j, for følsomme oplysninger / special categories
  art10: null         # Hjemmel for strafbare forhold / ground for criminal-offence data
  statutes: []        # Lovgrundlag / national statutes, fx / e.g.:
  #   - law: databeskyttelsesloven
  #     section: § 11, stk. 2
  grounds: []         # Kun for et formål, en gruppe, en kategori / for one part only, fx / e.g.:
  #   - applies_to: offentliggørelse på hjemmesiden / publication on the web
  #     art6: [a]
  #     alternatives: false        # true: og/eller / and/or
  #     other: cookiebekendtgørelsen § 3   # Hjemmel uden for forordningen / outside the GDPR
  description: |      # Forklaring / explanation
    TODO: Fx aftale med kunden / e.g. the contract with the customer."""

# A processor acts on its controller's instructions (Art. 28(3)(a), 29): the basis is the
# controller's, so a processor record states none (rule processor-lawful-basis).
_NO_BASIS = """\
# Behandlingsgrundlag: intet i en databehandlers fortegnelse, grundlaget er den dataansvarliges
# (art. 28, stk. 3, a) / lawful basis: none in a processor record, it is the controller's
# lawful_basis: ..."""

_BODY = """
# Formål / purposes (art. 30, stk. 1, b)
purposes: |
  TODO: Hvorfor behandles oplysningerne? / Why is the data processed?

{basis}
# Registrerede og personoplysninger / data subjects and personal data (art. 30, stk. 1, c)
data_subjects:
  # Hvem behandlingen angår / whom the activity concerns
  description: "TODO: fx kunder og deres kontaktpersoner / e.g. customers and their contacts"
  groups:             # En post pr. gruppe / one entry per group of data subjects
    - id: todo        # Kort id (a-z, 0-9, -) som modtagere henviser til / short id for references
      name: "TODO: fx kunder / e.g. customers"   # Flertal / plural
      # Id'er fra schema/data-categories.yaml / ids from schema/data-categories.yaml
      categories: [identification]
      details: "TODO: fx navn, e-mail / e.g. name, e-mail"   # Beskriv / describe
      # same_data_as: ...  # Samme oplysninger som gruppen / same data list as group (id)
      # wording:           # Egen ordlyd af en tjekliste-linje / own wording of a checklist line
      #   identification: Identifikationsoplysninger, herunder navn og e-mail

# Modtagere / recipients (art. 30, stk. 1, d); ref = id i / in catalogue.yaml
recipients:
  description: "TODO: hvem får oplysningerne? / who receives the data?"   # Generelt / general
  internal: []        # Interne systemer / internal systems
  processors: []      # Databehandlere / processors, fx / e.g.:
  #   - ref: google-workspace          # Katalog-id / catalogue id
  #     receives:                      # Pr. gruppe (id): kategorier / per group id: categories
  #       todo: [identification]
  #     note: ...                      # Bemærkning / note
  others: []          # Andre modtagere / other recipients
  roles: []           # Modtagere efter rolle / by role, fx / e.g. [medarbejdere med behov]

# Tredjelande / third-country transfers (art. 30, stk. 1, e); skriv "ingen" udtrykkeligt /
# state "none" explicitly
transfers:
  # Generel beskrivelse / general statement
  description: "TODO: fx Ingen overførsler til tredjelande / e.g. No third-country transfers"
  items: []           # En post pr. overførsel / one entry per transfer, fx / e.g.:
  #   - country: US                    # ISO 3166-landekode / country code
  #     recipient: google-workspace    # Katalog-id eller tekst / catalogue id or text
  #     mechanism: scc                 # adequacy, scc, bcr, code_of_conduct, certification,
  #                                    # derogation
  #     documentation: ...             # Hvor garantierne er dokumenteret / where documented
  #     alternatives: [scc]            # Alternative grundlag / alternative mechanisms
  #     scc_module: 2                  # SCC-modul 1-4 / SCC module
  #     tia: ...                       # Vurdering af overførslen / transfer impact assessment
  #     measures: ...                  # Supplerende foranstaltninger / supplementary measures
  #     derogation: a                  # Art. 49, stk. 1, litra / letter (mechanism: derogation)
  #     occasional: true               # Lejlighedsvis (art. 49) / occasional, not repeated
  #     same_entity: false             # true: egne medarbejdere / own staff (no transfer)

# Sletning / erasure (art. 30, stk. 1, f)
retention:
  description: |      # Generel regel / general rule
    TODO: Hvornår slettes oplysningerne? / When is the data erased?
  policy: draft       # Slettepolitikkens status / policy status: draft, approved
  rules: []           # Frister pr. kategori / limits per data category, fx / e.g.:
  #   - categories: [identification]   # Kategorier / data categories
  #     subjects: [todo]               # Kun disse grupper / only these groups (default: all)
  #     period: 5 år efter kundeforholdets ophør / 5 years after the customer relationship ends
  #     records: log                   # Eller en type registrering / or a kind of record
  #     counted_from: kundeforholdets ophør   # Regnet fra / counted from
  #     minimum: 5 år                  # Mindst / at least
  #     maximum: 6 år                  # Højst / at most
  #     method: delete                 # delete eller / or anonymise
  #     statute: bogføringsloven § 10  # Hjemmel / statute

# Sikkerhedsforanstaltninger / security measures (art. 30, stk. 1, g)
security: |
  TODO: Fx adgangsstyring, kryptering, logning / e.g. access control, encryption, logging.

# Om aktiviteten / about the activity (ekstra rækker / extra rows):
number: null            # Aktivitetsnummer / activity number, fx / e.g. "3.2"
unit: null              # Organisatorisk enhed / organisation unit, fx / e.g. Salg › Norden
status: active          # planned, active, retired
dpia: null              # Konsekvensanalyse (art. 35) / DPIA, fx / e.g.:
#   required: true
#   status: done        # not-started, in-progress, done
#   risk: high          # low, medium, high
#   date: 2026-01-15
#   link: docs/dpia.pdf
data_source: null       # Kilde, hvis ikke den registrerede (art. 14) / source (Art. 14)
automated_decisions: none   # Automatiske afgørelser (art. 22) / automated decisions

# Eller en fælles tekst fra organisation.yaml / or a statement shared in organisation.yaml:
# security:
#   shared: it-sikkerhed
#   also: Det, der kun gælder her / what holds only here

# Tilknyttede dokumenter / companion documents: et id fra / an id from organisation.yaml, eller /
# or the document itself:
documents: []
#   - ref: dpa-kunder
#   - title: Risikovurdering / risk assessment
#     link: docs/risiko.pdf

# Åbne punkter / open points (antagelser, spørgsmål til DPO, forhold der skal verificeres /
# assumptions, questions for the DPO, facts to be verified); ropa check viser dem / lists them:
open_points: []
#   - kind: question                # assumption, question eller / or to-verify
#     description: Er der indgået en databehandleraftale? / Is there a processing agreement?
#     about: recipients               # afsnittet / the part it concerns
#     raised_by: DPO
#     raised: {today}
# Et felt uden værdi kan have en status / a field without a value can state why, fx / e.g.:
# security:
#   state: to-be-verified    # eller / or: pending, none, not-applicable, not-stated
#   note: Afventer IT / awaiting IT
# (partier / parties: dpo: not-appointed)

# Accepterede advarsler / accepted warnings, med begrundelse / with a reason, fx / e.g.:
accepted: []
#   - rule: retention-indefinite
#     reason: Arkiveres efter arkivloven / archived under the archives act
"""


def new_record(root: Path, title: str, role: Role, today: dt.date) -> Path:
    """Write ``records/<slug>.yaml`` for ``title``; never overwrite an existing record."""
    record_id = slug(title)
    folder = root / "records"
    taken = [
        p
        for p in (folder.rglob("*") if record_id and folder.is_dir() else ())
        if p.suffix.lower() in RECORD_SUFFIXES and p.stem.casefold() == record_id
    ]
    if not record_id or taken:
        raise UserError([_refusal(folder, title, record_id, taken)])
    part = _PROCESSOR if role == "processor" else _CONTROLLER
    text = (_HEAD + part + _BODY).format(
        title=json.dumps(title.strip(), ensure_ascii=False),
        role=role,
        today=today.isoformat(),
        basis=_NO_BASIS if role == "processor" else _BASIS,
    )
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record_id}.yaml"
    with path.open("x", encoding="utf-8", newline="\n") as file:  # "x": a race cannot overwrite
        file.write(text)
    return path


def slug(title: str) -> str:
    """'Løn og pension' → 'loen-og-pension': Danish letters spelt out, the rest ASCII."""
    text = title.strip().lower()
    for letter, spelt in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        text = text.replace(letter, spelt)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:64].rstrip("-")


def _refusal(folder: Path, title: str, slug: str, taken: list[Path]) -> Problem:
    if not slug:
        return Problem(
            "records/",
            1,
            1,
            "bad-title",
            f"the title {title!r} gives no file name",
            'use a title with letters or digits, e.g. ropa new "Løn"',
        )
    existing = taken[0].relative_to(folder.parent).as_posix()
    return Problem(
        existing,
        1,
        1,
        "record-exists",
        f"{existing} already exists",
        "edit that file, or choose another title",
    )
