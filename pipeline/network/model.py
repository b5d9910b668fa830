"""The network's data model: one typed, validated description of the whole network.

Every source (a folder of CSV/YAML, a workbook, a database, an HTTP API, a snapshot) is read
into plain dicts and validated into :class:`NetworkData`; every writer and document starts
from it. Cross-references (a cluster's coordinator is a known organisation, ...) are checked
in :mod:`pipeline.network.checks`, where each problem can be located in its source.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from .countries import COUNTRIES
from .currencies import (
    MINOR_UNITS,
    canonical,
    is_currency,
    minor_unit_problem,
    unknown_currency,
)

LIST_SEPARATOR = "|"
"""Separates the items of a list written in one spreadsheet cell (``org-001|org-002``)."""


Id = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]*$", max_length=100)]
if TYPE_CHECKING:
    CountryCode = str
else:  # a Literal is checked by pydantic-core itself: 10,000 rows cost nothing
    CountryCode = Literal[tuple(COUNTRIES)]
"""ISO 3166 alpha-2 code (see :mod:`.countries`)."""
Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
Url = Annotated[str, Field(pattern=r"^https?://\S+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Required text: surrounding spaces dropped, must not be empty."""
Item = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^[^|]*$")]
"""A list item: surrounding spaces are dropped, as when a cell says ``a | b``."""


def _known_currency(code: str) -> str:
    if not is_currency(code):
        raise ValueError(unknown_currency(code))
    return code


def decimal_text(value: Decimal) -> str:
    """A Decimal as JSON writes it: the exact decimal string (``"37000.50"``), never a float."""
    return format(value, "f")


Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$"), AfterValidator(_known_currency)]
"""ISO 4217 code of a currency netdocs knows the minor unit of (see :mod:`.currencies`)."""
Number = Annotated[
    Decimal,
    Field(max_digits=15),
    PlainSerializer(decimal_text, return_type=str, when_used="json"),
]
"""An exact number (a KPI's value); JSON carries it as a decimal string."""
Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=15),
    PlainSerializer(decimal_text, return_type=str, when_used="json"),
]
"""An exact, non-negative amount, to its currency's minor unit; JSON carries it as a decimal
string (``"37000.50"``), so no reader ever sees a float."""


def exact_amount(value: Decimal | None, unit: object) -> Decimal | None:
    """``value`` in its canonical form: to the minor unit when ``unit`` is a currency (an error
    when it is finer than that), else without trailing zeros."""
    if value is None:
        return None
    if isinstance(unit, str) and is_currency(unit):
        problem = minor_unit_problem(value, unit)
        if problem:
            raise ValueError(problem)
        return canonical(value, MINOR_UNITS[unit])
    return canonical(value)


Region = Literal[
    "Africa",
    "Arab States",
    "Asia-Pacific",
    "Europe and North America",
    "Latin America and the Caribbean",
]
OrganisationType = Literal[
    "vet-provider", "ministry", "agency", "national-network", "research", "social-partner", "other"
]
MemberStatus = Literal["active", "inactive", "pending"]
ClusterKind = Literal["regional", "thematic"]
ActivityStatus = Literal["planned", "ongoing", "done", "cancelled"]
Metric = Literal[
    "active-members",
    "countries",
    "member-participation",
    "activities-done",
    "funding-mobilised",
    "partnerships",
    "manual",
]


class Record(BaseModel):
    """Base of every model: unknown keys are errors, numbers are accepted where text is."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class Meeting(Record):
    """The annual meeting the edition is prepared for."""

    date: date
    """Day of the meeting."""
    venue: Text
    """Name of the venue."""
    city: Text
    """City the meeting takes place in."""
    country: CountryCode
    """Country of the meeting, ISO 3166 alpha-2."""


class NetworkInfo(Record):
    """The network itself."""

    name: Text
    """Full name of the network."""
    short_name: Text
    """Short name or acronym used in running text."""
    secretariat: Text
    """Body that runs the network day to day."""
    edition: Text
    """Edition of the documents this data is for, e.g. ``2026-annual-meeting``."""
    website: Url | None = None
    """Public website of the network."""
    meeting: Meeting
    """The annual meeting."""


class Organisation(Record):
    """A member organisation of the network."""

    id: Id
    """Stable id other records refer to, e.g. ``org-001``."""
    name: Text
    """Official name, in English or the organisation's usual Latin-script name."""
    name_local: str | None = None
    """Name in the organisation's own language and script, if different."""
    country: CountryCode
    """Country, ISO 3166 alpha-2 code."""
    region: Region
    """World region the organisation belongs to."""
    type: OrganisationType
    """Kind of organisation: VET provider, ministry, agency, national network, ..."""
    status: MemberStatus
    """Membership status: active, inactive or pending."""
    joined: date | None = None
    """Day the organisation joined the network."""
    renewal_due: date | None = None
    """Day the membership must be renewed."""
    website: Url | None = None
    """Public website."""
    contact_name: str | None = None
    """Contact person for the network."""
    contact_email: Email | None = None
    """E-mail address of the contact person."""


class Cluster(Record):
    """A regional or thematic cluster of members."""

    id: Id
    """Stable id, short kebab-case, e.g. ``greening-tvet``."""
    name: Text
    """Name of the cluster."""
    kind: ClusterKind
    """Regional or thematic."""
    coordinator: Id | None = None
    """Id of the coordinating organisation."""
    convener: str | None = None
    """Person who convenes the cluster."""
    focus_areas: list[Item] = []
    """Focus areas the cluster works on."""
    priorities: list[Item] = []
    """Priorities of action for the current period."""
    members: list[Id] = []
    """Ids of the member organisations."""


class Objective(Record):
    """An objective under a collective aspiration."""

    id: Id
    """Stable id, e.g. ``a1-o1``."""
    text: Text
    """What is to be achieved."""


class KPI(Record):
    """A key performance indicator of an aspiration and how its current value is obtained."""

    id: Id
    """Stable id, e.g. ``a1-k1``."""
    name: Text
    """What is measured."""
    unit: Text
    """Unit of the values: ``members``, ``%``, ``activities``, ``EUR``, ..."""
    baseline: Number
    """Value at the start of the strategy period (exact; to the minor unit if ``unit`` is a
    currency code)."""
    target: Number
    """Value to reach by the end of the strategy period (exact, like ``baseline``)."""
    metric: Metric
    """How the current value is computed from the data (``manual``: taken from ``current``)."""
    funding: list[Item] = []
    """For ``funding-mobilised``: funding sources counted (all when empty)."""
    current: Number | None = None
    """For ``manual``: the current value, entered by the secretariat (exact, like ``baseline``)."""

    @field_validator("baseline", "target", "current")
    @classmethod
    def _exact(cls, value: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return exact_amount(value, info.data.get("unit"))


class Aspiration(Record):
    """A collective aspiration of the strategy."""

    id: Id
    """Stable id, e.g. ``a1``."""
    title: Text
    """Short title."""
    description: str | None = None
    """What the network aspires to, in a sentence or two."""
    objectives: list[Objective] = []
    """Objectives that make the aspiration concrete."""
    kpis: list[KPI] = []
    """Indicators that measure progress."""


class Strategy(Record):
    """The network's strategy: vision, mission and collective aspirations."""

    period: Text
    """Years the strategy covers, e.g. ``2025-2029``."""
    vision: Text
    """Where the network wants to be."""
    mission: Text
    """What the network does to get there."""
    aspirations: list[Aspiration] = []
    """The collective aspirations."""


class Activity(Record):
    """An activity of the action plan."""

    id: Id
    """Stable id, e.g. ``act-001``."""
    title: Text
    """Title of the activity."""
    aspiration: Id
    """Id of the aspiration the activity serves."""
    cluster: Id | None = None
    """Id of the cluster that runs it, if any."""
    lead: Id
    """Id of the lead organisation."""
    partners: list[Id] = []
    """Ids of the partner organisations."""
    start: date
    """First day."""
    end: date
    """Last day (not before ``start``)."""
    status: ActivityStatus
    """Planned, ongoing, done or cancelled."""
    currency: Currency = "EUR"
    """ISO 4217 code of the budget's currency (before ``budget``: it says how exact that is)."""
    budget: Money | None = None
    """Budget, in ``currency``, exact to its minor unit (cents for EUR, whole yen for JPY)."""
    funding: str | None = None
    """Funding source, e.g. ``Erasmus+ KA2``, ``Erasmus+ KA3``, ``national``."""
    outputs: list[Item] = []
    """Expected or delivered outputs."""

    @field_validator("budget")
    @classmethod
    def _exact_budget(cls, budget: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return exact_amount(budget, info.data.get("currency"))

    @field_validator("end")
    @classmethod
    def _end_not_before_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"ends ({end}) before it starts ({start})")
        return end


class Partnership(Record):
    """A partnership of the network with another institution."""

    id: Id
    """Stable id, e.g. ``p-01``."""
    partner: Text
    """Name of the partner institution."""
    country: CountryCode | None = None
    """Country of the partner, if it has one (international bodies do not)."""
    scope: Text
    """What the partnership covers."""
    since: date
    """Day the partnership started."""


class NetworkData(Record):
    """Everything netdocs knows about the network, validated."""

    network: NetworkInfo
    """The network itself and its annual meeting."""
    strategy: Strategy
    """Vision, mission, aspirations, objectives and KPIs."""
    organisations: list[Organisation] = []
    """Member organisations."""
    clusters: list[Cluster] = []
    """Regional and thematic clusters."""
    activities: list[Activity] = []
    """Activities of the action plan."""
    partnerships: list[Partnership] = []
    """Partnerships with other institutions."""

    def normalised(self) -> NetworkData:
        """The same data in canonical order: every list of records sorted by id."""

        def by_id(items: list, key: str = "id") -> list:  # type: ignore[type-arg]
            return sorted(items, key=lambda item: getattr(item, key))

        aspirations = [
            a.model_copy(update={"objectives": by_id(a.objectives), "kpis": by_id(a.kpis)})
            for a in by_id(self.strategy.aspirations)
        ]
        clusters = [c.model_copy(update={"members": sorted(c.members)}) for c in self.clusters]
        return self.model_copy(
            update={
                "strategy": self.strategy.model_copy(update={"aspirations": aspirations}),
                "organisations": by_id(self.organisations),
                "clusters": by_id(clusters),
                "activities": by_id(self.activities),
                "partnerships": by_id(self.partnerships),
            }
        )

    def organisation(self, org_id: str) -> Organisation | None:
        """The organisation with this id, or ``None``."""
        return next((o for o in self.organisations if o.id == org_id), None)
