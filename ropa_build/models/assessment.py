"""What a DPO needs around an activity besides Art. 30's letters: its place in the organisation,
its status, its DPIA (Art. 35), where the data comes from (Art. 14) and automated decisions
(Art. 22). Shown in clearly labelled extra rows: Datatilsynet's template has no row for them.
"""

from __future__ import annotations

from typing import Literal

from ropa_build.models.base import Day, Strict, text


class Dpia(Strict):
    """The data protection impact assessment (Art. 35): whether one is required, its status."""

    required: bool | None = text(
        "Required",
        "Påkrævet",
        "Whether Art. 35 requires one (true/false); left out: not assessed.",
        "Om art. 35 kræver en (true/false); udeladt: ikke vurderet.",
        default=None,
    )
    status: Literal["not-started", "in-progress", "done"] | None = text(
        "Status",
        "Status",
        "not-started, in-progress or done.",
        "Ikke påbegyndt, i gang, udført.",
        default=None,
    )
    risk: Literal["low", "medium", "high"] | None = text(
        "Risk level",
        "Risikoniveau",
        "low, medium or high.",
        "Lav, middel eller høj.",
        default=None,
    )
    date: Day | None = text(
        "Date", "Dato", "Date of the assessment.", "Vurderingens dato.", default=None
    )
    link: str | None = text(
        "Link", "Link", "Where the assessment is.", "Hvor vurderingen findes.", default=None
    )
