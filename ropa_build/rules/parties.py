"""Who keeps the record and in what role: completeness by role, the parties of Art. 30(1)(a)
and 30(2)(a), and the processing agreements of Art. 28(3).

Legal assumptions, written down:

* Art. 30(1)(e), (f), (g) and 30(2)(c), (d) are "where applicable / where possible" items. We
  ask for the key, so an absent item is a conscious statement ("no transfers") rather than a
  forgotten field; stating it in the free-text description is enough.
* A processor processes on its controller's documented instructions (Art. 28(3)(a), 29); the
  lawful basis (Art. 6) is the controller's to choose and to state, and Art. 30(2) does not ask
  for one. A processor record that states its own basis misstates who decides.
* A representative (Art. 27(1)) is needed only by a controller or processor *not established*
  in the Union (read: the EEA, whose members apply the GDPR); public authorities never need one
  (Art. 27(2)(b)). Establishment is read from the organisation's ``country``; a CVR number means
  Denmark. Where neither is given we cannot tell, and do not ask.
* A joint controller (Art. 26) is a controller's arrangement: asked for only when the register
  has a controller record.
* Every processor, and every sub-processor, acts under a contract or other legal act
  (Art. 28(3), 28(4)); the catalogue's ``dpa`` says where it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ropa_build.rules.common import controllers, processors, stated
from ropa_build.rules.registry import RECORD, Example, Finding, rule
from ropa_build.validate import Register

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


@rule(
    "missing-item",
    "warning",
    "Art. 30(1)(a–g), 30(2)(a–d)",
    Example(
        RECORD,
        "transfers:\n",
        "transfers:\n  description: Ingen overførsler til tredjelande.\n",
    ),
)
def _missing_item(register: Register, today: dt.date) -> Iterator[Finding]:
    """Every item Art. 30 lists for the record's role must be there. Items the law asks for
    "where applicable" or "where possible" (transfers, erasure, security) may say that they do
    not apply — "Ingen overførsler til tredjelande" — but must not be left out silently."""
    for activity in register.activities:
        record = activity.record
        for key, letter, what in _REQUIRED[record.role]:
            if not stated(getattr(record, key)):
                yield Finding(
                    activity.source,
                    (),
                    f"Art. {letter}: {what} is missing ('{key}')",
                    f"add `{key}:`; if it does not apply, say so in its description",
                )


@rule(
    "role-mismatch",
    "error",
    "Art. 30(1) vs 30(2)",
    Example(
        RECORD,
        "role: controller\nprocessing: Support til kunderne i deres egen konto.\n",
        "role: processor\ncontrollers:\n  - name: Platformens kunder\n"
        "processing: Support til kunderne i deres egen konto.\n",
    ),
)
def _role_mismatch(register: Register, today: dt.date) -> Iterator[Finding]:
    """A controller record that names controllers on whose behalf it acts, or describes
    processing done for others, is a processor's record (Art. 30(2)): its role decides which
    paragraph applies and which labels the document shows, and a controller's document has no
    place for these keys, so the record cannot be read one way. The seed made this mistake:
    titled "(dataansvarlig)" with a first row "Databehandler"."""
    for activity in controllers(register):
        for key in ("controllers", "processing"):
            if getattr(activity.record, key):
                yield Finding(
                    activity.source,
                    (key,),
                    f"a controller record has '{key}', which only a processor's "
                    "record (Art. 30(2)) has",
                    "set `role: processor`, or remove the key",
                    key=True,
                )


@rule(
    "processor-lawful-basis",
    "warning",
    "Art. 28(3)(a), Art. 29, Art. 30(2)",
    Example(
        RECORD,
        "role: processor\ncontrollers:\n  - name: Platformens kunder\n"
        "processing: Udsendelse af kundernes nyhedsbreve.\nlawful_basis:\n  art6: [b]\n",
        "role: processor\ncontrollers:\n  - name: Platformens kunder\n"
        "processing: Udsendelse af kundernes nyhedsbreve efter databehandleraftalen.\n"
        "lawful_basis: null   # the controller's, not ours\n",
    ),
)
def _processor_lawful_basis(register: Register, today: dt.date) -> Iterator[Finding]:
    """The other side of role-mismatch: a processor record that states a lawful basis of its
    own. A processor acts on the controller's documented instructions (Art. 28(3)(a), 29); the
    lawful basis is the controller's to choose and state, and Art. 30(2) does not ask for it. A
    processor that names one suggests it decides why data is processed — which would make it a
    controller. Refer to the processing agreement under ``processing`` instead."""
    for activity in processors(register):
        if stated(activity.record.lawful_basis):
            yield Finding(
                activity.source,
                ("lawful_basis",),
                "a processor record states a lawful basis, but the basis is the controller's: "
                "a processor acts on the controller's instructions (Art. 28(3)(a), 29)",
                "remove `lawful_basis:`; say under `processing:` that it follows the "
                "processing agreement — or, if you decide the purposes, make it a controller "
                "record",
                key=True,
            )


def _established_in_eea(register: Register) -> bool | None:
    """Whether the organisation is established in the EU/EEA; None when the file cannot say."""
    controller = register.organisation.controller
    country = controller.country or ("DK" if controller.cvr else None)
    return None if country is None else country in register.vocabulary.eea


@rule(
    "party-not-stated",
    "warning",
    "Art. 30(1)(a), 30(2)(a); Art. 26, 27, 37",
    Example(
        "organisation.yaml",
        'controller:\n  name: Eksempel ApS\n  cvr: "12345678"\n'
        "representative: null\ndpo:\n  name: Anne Jensen\n  email: dpo@eksempel.dk\n",
        'controller:\n  name: Eksempel ApS\n  cvr: "12345678"\n'
        "joint_controller: null   # no joint controller\n"
        "representative: null\ndpo:\n  name: Anne Jensen\n  email: dpo@eksempel.dk\n",
    ),
)
def _party_not_stated(register: Register, today: dt.date) -> Iterator[Finding]:
    """The joint controller, representative and DPO are "where applicable" items: write
    ``joint_controller: null`` (etc.) in organisation.yaml to state there is none. Each is asked
    for only where it can apply: the joint controller (Art. 26) when the register has a
    controller record; the representative (Art. 27) only for an organisation not established in
    the EU/EEA (its ``country``; a CVR number means Denmark), never for a public authority
    (Art. 27(2)(b)); the DPO (Art. 37) always."""
    organisation = register.organisation
    asked = {
        "joint_controller": any(controllers(register)),
        "representative": not organisation.public_authority
        and _established_in_eea(register) is False,
        "dpo": True,
    }
    for key, applies in asked.items():
        if applies and key not in organisation.model_fields_set:
            yield Finding(
                register.sources[0],
                (),
                f"organisation.yaml does not say whether there is a {key.replace('_', ' ')}",
                f"add `{key}: null` if there is none",
            )


@rule(
    "controller-without-contact",
    "warning",
    "Art. 30(2)(a)",
    Example(
        RECORD,
        "role: processor\ncontrollers:\n  - name: Platformens kunder\n"
        "processing: Udsendelse af kundernes nyhedsbreve.\n",
        "role: processor\ncontrollers:\n  - name: Platformens kunder\n"
        "    web: https://app.eksempel.dk   # each customer's details are in its account\n"
        "processing: Udsendelse af kundernes nyhedsbreve.\n",
    ),
)
def _controller_without_contact(register: Register, today: dt.date) -> Iterator[Finding]:
    """A processor's record names each controller on whose behalf it acts *with its contact
    details* (Art. 30(2)(a)). A controller with a name only cannot be reached; where the
    controllers are many (every customer of a platform), say where each one's details are kept,
    e.g. ``web:`` of the customer accounts."""
    for activity in processors(register):
        for i, party in enumerate(activity.record.controllers):
            if not (party.address or party.web or party.phone or party.email):
                yield Finding(
                    activity.source,
                    ("controllers", i),
                    f"the controller '{party.name}' has no contact details (Art. 30(2)(a))",
                    "add address, web, phone or email — for many controllers, where each one's "
                    "details are kept",
                )


@rule(
    "processor-without-agreement",
    "warning",
    "Art. 28(3), 28(4)",
    Example(
        "catalogue.yaml",
        "systems:\n  mailservice:\n    name: Mailservice\n    kind: processor\n"
        "    countries: [IE]\n",
        "systems:\n  mailservice:\n    name: Mailservice\n    kind: processor\n"
        "    countries: [IE]\n    dpa: Databehandleraftale af 2026-01-15 (Leverandøraftaler)\n",
    ),
)
def _processor_without_agreement(register: Register, today: dt.date) -> Iterator[Finding]:
    """A processor processes only under a contract or other legal act that sets out the subject
    matter, duration, nature and purpose of the processing and the processor's obligations
    (Art. 28(3)); a sub-processor under the same obligations (Art. 28(4)). Each catalogue entry
    of ``kind: processor`` says where its agreement is (``dpa``). An entry that is the
    organisation's own staff (``same_entity: true``, e.g. employees working from abroad) is no
    other party, so it needs none."""
    for key, system in register.catalogue.systems.items():
        if system.kind == "processor" and not system.dpa and not system.same_entity:
            yield Finding(
                register.sources[1],
                ("systems", key),
                f"the processor '{key}' has no processing agreement (Art. 28(3))",
                "add `dpa:` with where the agreement is (a link or a reference)",
                key=True,
            )
