"""The register's schema: what a record, the organisation file and the catalogue may hold.

Every model forbids unknown keys (a misspelt ``retension`` must be an error, not silently
ignored) and every field carries an English and a Danish title and description: they feed the
JSON Schema that editors complete from, and the generated field reference.

Legal mapping (GDPR Art. 30). Controller records (30(1)): (a) ``organisation.yaml`` controller,
joint controller, representative, DPO, overridable per record; (b) ``purposes``; (c)
``data_subjects``; (d) ``recipients``; (e) ``transfers``; (f) ``retention``; (g) ``security``.
Processor records (30(2)): (a) the organisation as processor plus ``controllers``; (b)
``processing``; (c) ``transfers``; (d) ``security``. ``lawful_basis`` is not required by Art. 30
but Datatilsynet and the ICO template ask for it, and Art. 9/10 data cannot be assessed without it.

The models are split by topic: :mod:`.base` (ids, dates, bilingual fields), :mod:`.parties`
(contacts and organisation.yaml), :mod:`.catalogue`, :mod:`.content` (subjects, recipients,
lawful basis), :mod:`.transfers`, :mod:`.retention` and :mod:`.record`. Import from
``ropa_build.models``: every public name is re-exported here.
"""

from ropa_build.models.assessment import Dpia
from ropa_build.models.base import (
    DESTINATION_PATTERN,
    ORGANISATION_PREFIX,
    CountryCode,
    Cvr,
    Day,
    Destination,
    Email,
    FilledText,
    Id,
    RichText,
    Role,
    Strict,
    text,
)
from ropa_build.models.basis import Ground, LawfulBasis, Statute
from ropa_build.models.catalogue import Catalogue, System
from ropa_build.models.content import (
    Acceptance,
    DataSubjects,
    Recipients,
    RecipientUse,
    SubjectGroup,
)
from ropa_build.models.document import (
    Approval,
    OpenPoint,
    RegisterInfo,
    Review,
    VersionEntry,
)
from ropa_build.models.parties import (
    Agreement,
    Contact,
    ControllerParty,
    Organisation,
    Party,
    Registration,
)
from ropa_build.models.record import Record
from ropa_build.models.retention import Retention, RetentionRule
from ropa_build.models.shared import Companion, DocumentRef, Shared, Statement
from ropa_build.models.states import OPEN_STATES, STATES, Explicit, StateKind, given, stateable
from ropa_build.models.transfers import Mechanism, Transfer, Transfers

__all__ = [
    "DESTINATION_PATTERN",
    "OPEN_STATES",
    "ORGANISATION_PREFIX",
    "STATES",
    "Acceptance",
    "Agreement",
    "Approval",
    "Catalogue",
    "Companion",
    "Contact",
    "ControllerParty",
    "CountryCode",
    "Cvr",
    "DataSubjects",
    "Day",
    "Destination",
    "DocumentRef",
    "Dpia",
    "Email",
    "Explicit",
    "FilledText",
    "Ground",
    "Id",
    "LawfulBasis",
    "Mechanism",
    "OpenPoint",
    "Organisation",
    "Party",
    "RecipientUse",
    "Recipients",
    "Record",
    "RegisterInfo",
    "Registration",
    "Retention",
    "RetentionRule",
    "Review",
    "RichText",
    "Role",
    "Shared",
    "StateKind",
    "Statement",
    "Statute",
    "Strict",
    "SubjectGroup",
    "System",
    "Transfer",
    "Transfers",
    "VersionEntry",
    "given",
    "stateable",
    "text",
]
