"""Parties and the organisation file: who keeps the register (Art. 30(1)(a), 30(2)(a))."""

from __future__ import annotations

from typing import Any

from pydantic import field_validator

from ropa_build.models.base import CountryCode, Cvr, Email, Strict, text


class Contact(Strict):
    """A party and how to reach it (Art. 30(1)(a): "name and contact details")."""

    name: str = text(
        "Name",
        "Navn",
        "Name of the organisation or person.",
        "Myndighedens/virksomhedens eller personens navn.",
        min_length=1,
    )
    title: str | None = text(
        "Title",
        "Titel",
        "Role shown before the name, e.g. 'DPO'.",
        "Rolle foran navnet, fx 'DPO'.",
        default=None,
    )
    cvr: Cvr | None = text(
        "CVR number",
        "CVR-nr.",
        "Danish company number: 8 digits.",
        "Virksomhedens CVR-nummer: 8 cifre.",
        default=None,
    )
    address: str | None = text(
        "Address", "Adresse", "Postal address.", "Postadresse.", default=None
    )
    web: str | None = text("Website", "Hjemmeside", "Website address.", "Hjemmeside.", default=None)
    phone: str | None = text(
        "Phone", "Telefonnummer", "Phone number.", "Telefonnummer.", default=None
    )
    email: list[Email] = text(
        "E-mail",
        "E-mail",
        "One or more e-mail addresses.",
        "En eller flere e-mailadresser.",
        default_factory=list,
    )
    country: CountryCode | None = text(
        "Country",
        "Land",
        "ISO 3166 code of the country where the party is established, e.g. DK. Decides whether "
        "an EU representative is needed (Art. 27); a CVR number implies DK.",
        "ISO 3166-landekode for det land, hvor parten er etableret, fx DK. Afgør, om der skal "
        "være en repræsentant i EU (art. 27); et CVR-nr. betyder DK.",
        default=None,
    )

    @field_validator("email", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class RegisterInfo(Strict):
    """Facts about the register document itself (its cover page)."""

    version: str = text(
        "Version",
        "Version",
        "Version of the register, shown on the cover.",
        "Fortegnelsens version, vises på forsiden.",
        default="1",
    )
    review_interval_months: int = text(
        "Review interval (months)",
        "Gennemgangsinterval (måneder)",
        "How often each activity must be reviewed; older reviews draw a warning.",
        "Hvor ofte hver aktivitet skal gennemgås; ældre gennemgange giver en advarsel.",
        default=12,
        ge=1,
        le=60,
    )


class Organisation(Strict):
    """``organisation.yaml``: who keeps the register; shown in every activity's first section."""

    controller: Contact = text(
        "Organisation",
        "Myndighed/virksomhed",
        "The organisation keeping the register (the controller, or the processor for processor "
        "records).",
        "Myndigheden/virksomheden, der fører fortegnelsen.",
    )
    joint_controller: Contact | None = text(
        "Joint controller",
        "Fælles dataansvarlig",
        "Where applicable (Art. 26).",
        "Hvis relevant (art. 26).",
        default=None,
    )
    representative: Contact | None = text(
        "Representative",
        "Repræsentant",
        "EU representative of a controller outside the EU (Art. 27); public authorities have none.",
        "Repræsentant i EU for en dataansvarlig uden for EU (art. 27).",
        default=None,
    )
    dpo: Contact | None = text(
        "Data protection officer",
        "Databeskyttelsesrådgiver",
        "The DPO (Art. 37).",
        "Databeskyttelsesrådgiveren (art. 37).",
        default=None,
    )
    public_authority: bool = text(
        "Public authority",
        "Offentlig myndighed",
        "Public authorities need no representative (Art. 27(2)(b)).",
        "Offentlige myndigheder er ikke omfattet af art. 27.",
        default=False,
    )
    document: RegisterInfo = text(
        "Register document",
        "Fortegnelsen",
        "Version and review interval of the register.",
        "Fortegnelsens version og gennemgangsinterval.",
        default_factory=RegisterInfo,
    )
