"""The network's data model: one typed, validated description of the whole network.

Every source (a folder of CSV/YAML, a workbook, a database, an HTTP API, a snapshot) is read
into plain dicts and validated into :class:`NetworkData`; every writer and document starts
from it. Cross-references (a cluster's coordinator is a known organisation, ...) are checked
in :mod:`pipeline.network.checks`, where each problem can be located in its source.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal, get_args

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


def _not_before_start(end: date, info: ValidationInfo) -> date:
    start = info.data.get("start")
    if start is not None and end < start:
        raise ValueError(f"ends ({end}) before it starts ({start})")
    return end


EndDay = Annotated[date, AfterValidator(_not_before_start)]
"""The last day of something that has a ``start`` (declared before it): not before it."""

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
ORGANISATION_TYPE_NAMES: dict[str, str] = {
    "vet-provider": "VET provider",
    "ministry": "ministry",
    "agency": "agency",
    "national-network": "national network",
    "research": "research institute",
    "social-partner": "social partner",
    "other": "other",
}
"""How documents print each organisation type (the data holds the ids)."""
MemberStatus = Literal["active", "inactive", "pending"]
ClusterKind = Literal["regional", "thematic"]
CLUSTER_KINDS: tuple[str, ...] = ("regional", "thematic")
"""The kinds of cluster, in the order listings group them."""
ActivityStatus = Literal["planned", "ongoing", "done", "cancelled"]
Role = Literal[
    "secretariat",
    "focal-point",
    "cluster-coordinator",
    "centre-coordinator",
    "convener",
    "member-institution",
]
"""The network's roles (one knowledge-base article each in ``kb/roles/``)."""
ROLES: tuple[str, ...] = get_args(Role)
Category = Literal[
    "promotion",
    "capacity-building",
    "peer-learning",
    "funding",
    "networking",
    "research",
    "governance",
]
"""What kind of work an activity is; ``promotion`` activities are the action plan's
promotion activities."""
CATEGORIES: tuple[str, ...] = get_args(Category)
Frequency = Literal["monthly", "quarterly", "half-yearly", "yearly", "end-of-period"]
"""How often a KPI is measured and reported."""
Scale = Annotated[int, Field(ge=1, le=5)]
"""A rating on the 1-5 scale of the risk register (1 lowest, 5 highest)."""
RiskStatus = Literal["open", "monitored", "closed"]
MilestoneKind = Literal["milestone", "deliverable"]
MilestoneStatus = Literal["planned", "achieved", "missed", "cancelled"]
RaciLetter = Literal["R", "A", "C", "I"]
"""Responsible, Accountable, Consulted, Informed."""
DocumentState = Literal["draft", "adopted"]
Cofinancer = Literal["own", "partner"]
NARRATIVE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("achievements", "Achievements"),
    ("impact", "Impact"),
    ("challenges", "Challenges"),
    ("lessons", "Lessons learned"),
    ("next_steps", "Next steps"),
)
"""The sections of a progress report's narrative: field name and heading, in order."""
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
    category: Category | None = None
    """For ``activities-done``: only the activities of this category are counted (all the
    aspiration's activities when absent)."""
    current: Number | None = None
    """For ``manual``: the current value, entered by the secretariat (exact, like ``baseline``)."""
    objective: Id | None = None
    """Id of the objective it measures, one of its aspiration's objectives (``a1-o1``)."""
    owner: Id | None = None
    """Who measures and reports it: an organisation id or a role (``secretariat``)."""
    source: str | None = None
    """Where its values come from (``membership register``, ``activity reports``)."""
    frequency: Frequency | None = None
    """How often it is measured and reported."""

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
    end: EndDay
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
    category: Category | None = None
    """What kind of work it is (``promotion``, ``capacity-building``, ...)."""

    @field_validator("budget")
    @classmethod
    def _exact_budget(cls, budget: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return exact_amount(budget, info.data.get("currency"))


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


class Risk(Record):
    """An entry of the risk register."""

    id: Id
    """Stable id, e.g. ``r-01``."""
    risk: Text
    """What could happen and what it would cause."""
    likelihood: Scale
    """How likely it is, 1 (rare) to 5 (almost certain)."""
    impact: Scale
    """How much it would hurt, 1 (minor) to 5 (severe)."""
    mitigation: Text
    """What is done to make it less likely or less harmful."""
    owner: Id
    """Who watches it: an organisation id or a role (``secretariat``)."""
    status: RiskStatus
    """Open, monitored or closed."""
    aspiration: Id | None = None
    """Id of the aspiration it threatens, if one."""
    cluster: Id | None = None
    """Id of the cluster it concerns, if one (none: the whole network)."""

    @property
    def score(self) -> int:
        """Likelihood times impact, 1 to 25."""
        return self.likelihood * self.impact


class Milestone(Record):
    """A milestone or deliverable of the action plan."""

    id: Id
    """Stable id, e.g. ``m-01``."""
    title: Text
    """What is reached or delivered."""
    kind: MilestoneKind = "milestone"
    """A milestone (a point reached) or a deliverable (something handed over)."""
    activity: Id | None = None
    """Id of the activity it belongs to, if one."""
    due: date
    """Day it is due."""
    owner: Id
    """Who delivers it: an organisation id or a role (``secretariat``)."""
    status: MilestoneStatus
    """Planned, achieved, missed or cancelled."""


class BudgetLine(Record):
    """One line of an activity's budget, with the part co-financed by the members."""

    activity: Id
    """Id of the activity."""
    line: Text
    """Budget line, e.g. ``Travel and subsistence``."""
    amount: Money
    """Cost of the line, in the activity's currency (exact to its minor unit)."""
    cofinancing: Money = Decimal(0)
    """Part of ``amount`` paid by the members' own or a partner's contribution; the rest is
    paid by the activity's funding source (the grant)."""
    cofinanced_by: Cofinancer | None = Field(default=None, validate_default=True)
    """Who pays ``cofinancing``: ``own`` (the lead and members) or ``partner``."""

    @field_validator("cofinancing")
    @classmethod
    def _cofinancing_within_amount(cls, cofinancing: Decimal, info: ValidationInfo) -> Decimal:
        amount = info.data.get("amount")
        if amount is not None and cofinancing > amount:
            raise ValueError(
                f"co-financing {decimal_text(cofinancing)} is greater than the line's amount "
                f"{decimal_text(amount)}: it is the part of the amount that members or a "
                "partner pay, at most the whole amount"
            )
        return cofinancing

    @field_validator("cofinanced_by")
    @classmethod
    def _cofinancer_given(cls, who: str | None, info: ValidationInfo) -> str | None:
        if who is None and info.data.get("cofinancing"):
            raise ValueError(
                "co-financing is given but not who pays it: set cofinanced_by to own or partner"
            )
        return who

    @property
    def grant(self) -> Decimal:
        """The part paid by the activity's funding source."""
        return self.amount - self.cofinancing


class Assignment(Record):
    """One cell of the RACI matrix: a role's part in an activity."""

    activity: Id
    """Id of the activity."""
    role: Role
    """The role (``secretariat``, ``cluster-coordinator``, ...)."""
    assignment: RaciLetter
    """``R`` responsible, ``A`` accountable, ``C`` consulted, ``I`` informed."""


class ReportingPeriod(Record):
    """A period clusters report on (from one annual meeting to the next)."""

    id: Id
    """Stable id, e.g. ``2025-26``."""
    start: date
    """First day."""
    end: EndDay
    """Last day (not before ``start``)."""


class Narrative(Record):
    """What a cluster coordinator writes for the cluster's progress report of one period:
    Markdown text, one field per section (an empty one is not written yet)."""

    cluster: Id
    """Id of the cluster."""
    period: Id
    """Id of the reporting period."""
    achievements: str | None = None
    """What the cluster achieved in the period."""
    impact: str | None = None
    """The impact of its activities on members, learners and systems."""
    challenges: str | None = None
    """What stood in the way."""
    lessons: str | None = None
    """Lessons learned."""
    next_steps: str | None = None
    """What the cluster does next."""

    def missing(self) -> list[str]:
        """Headings of the sections with no text."""
        return [
            heading
            for name, heading in NARRATIVE_SECTIONS
            if not (getattr(self, name) or "").strip()
        ]


class DocumentStatus(Record):
    """Whether a document of the edition is a draft or adopted, and when it was adopted."""

    document: Id
    """The document type's name (``strategy``, ``action-plan``)."""
    status: DocumentState
    """``draft`` or ``adopted``."""
    adopted: date | None = Field(default=None, validate_default=True)
    """Day it was adopted (required when adopted)."""

    @field_validator("adopted")
    @classmethod
    def _adopted_has_a_day(cls, adopted: date | None, info: ValidationInfo) -> date | None:
        status = info.data.get("status")
        if status == "adopted" and adopted is None:
            raise ValueError("an adopted document needs the day it was adopted ('adopted')")
        if status == "draft" and adopted is not None:
            raise ValueError(
                "a draft has no adoption day: clear 'adopted' or set the status to adopted"
            )
        return adopted


class Practice(Record):
    """A promising practice a member submitted to the network."""

    id: Id
    """Stable id, e.g. ``pp-01``."""
    title: Text
    """Name of the practice."""
    organisation: Id
    """Id of the member organisation that submitted it."""
    cluster: Id | None = None
    """Id of the cluster it was submitted through, if any."""
    submitted: date
    """Day it was submitted."""
    summary: str | None = None
    """What the practice is, in a sentence or two."""


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
    risks: list[Risk] = []
    """The risk register."""
    milestones: list[Milestone] = []
    """Milestones and deliverables."""
    budget_lines: list[BudgetLine] = []
    """Budget lines of activities, with co-financing."""
    raci: list[Assignment] = []
    """RACI assignments of roles to activities (activities without any get the rule of
    :func:`raci_for`)."""
    periods: list[ReportingPeriod] = []
    """Reporting periods of the progress reports."""
    narratives: list[Narrative] = []
    """Progress-report narratives, one per cluster and period."""
    documents: list[DocumentStatus] = []
    """Status (draft or adopted) of the edition's documents."""
    practices: list[Practice] = []
    """Promising practices submitted by members."""

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
                "risks": by_id(self.risks),
                "milestones": by_id(self.milestones),
                "budget_lines": sorted(self._exact_lines(), key=lambda b: (b.activity, b.line)),
                "raci": sorted(self.raci, key=lambda r: (r.activity, ROLES.index(r.role))),
                "periods": by_id(self.periods),
                "narratives": sorted(self.narratives, key=lambda n: (n.cluster, n.period)),
                "documents": by_id(self.documents, "document"),
                "practices": by_id(self.practices),
            }
        )

    def _exact_lines(self) -> list[BudgetLine]:
        """Budget lines with amounts in the canonical form of their activity's currency
        (``59800.5`` in EUR is ``59800.50``), so every source gives the same data."""
        currency = {a.id: a.currency for a in self.activities}
        out = []
        for line in self.budget_lines:
            unit = currency.get(line.activity)
            if (
                unit is None
                or minor_unit_problem(line.amount, unit)
                or (minor_unit_problem(line.cofinancing, unit))
            ):
                out.append(line)  # checks.records reports it
                continue
            places = MINOR_UNITS.get(unit)
            update = {
                "amount": canonical(line.amount, places),
                "cofinancing": canonical(line.cofinancing, places),
            }
            out.append(line.model_copy(update=update))
        return out

    def organisation(self, org_id: str) -> Organisation | None:
        """The organisation with this id, or ``None``."""
        return next((o for o in self.organisations if o.id == org_id), None)

    def document_status(self, name: str) -> DocumentStatus | None:
        """The recorded status of the document type ``name``, or ``None``."""
        return next((d for d in self.documents if d.document == name), None)

    def clusters_in_order(self) -> list[Cluster]:
        """The clusters as every listing shows them (summary, directory, landing page):
        regional ones first, then thematic ones, each group sorted by name (case-insensitive,
        then by id for equal names)."""
        return sorted(self.clusters, key=cluster_order)


def cluster_order(cluster: Cluster) -> tuple[int, str, str]:
    """Sort key of :meth:`NetworkData.clusters_in_order`: kind (regional, then thematic),
    then name, then id."""
    return (CLUSTER_KINDS.index(cluster.kind), cluster.name.casefold(), cluster.id)


def raci_for(data: NetworkData, activity: Activity) -> dict[str, str]:
    """Role -> R/A/C/I for ``activity``: its rows of ``raci`` when it has any, else the rule.

    The rule (for activities without RACI rows): the lead institution's centre coordinator is
    Responsible; the cluster's coordinator (regional) or convener (thematic) is Accountable, or
    the secretariat for an activity outside any cluster; the partners (member institutions) are
    Consulted; the secretariat, when not Accountable, and the focal points are Informed.
    """
    rows: dict[str, str] = {r.role: r.assignment for r in data.raci if r.activity == activity.id}
    if rows:
        return rows
    cluster = next((c for c in data.clusters if c.id == activity.cluster), None)
    out: dict[str, str] = {"centre-coordinator": "R"}
    if cluster is None:
        out["secretariat"] = "A"
    else:
        out["cluster-coordinator" if cluster.kind == "regional" else "convener"] = "A"
        out["secretariat"] = "I"
    if activity.partners:
        out["member-institution"] = "C"
    out["focal-point"] = "I"
    return out


def reporting_period(
    data: NetworkData, meeting: date, wanted: str | None = None
) -> ReportingPeriod:
    """The reporting period of an edition whose annual meeting is on ``meeting``.

    ``wanted``: that period (``ValueError`` naming the known ones when there is none). Else the
    latest recorded period that has ended by the meeting (a period recorded ahead, starting
    just before it, is next year's); else the latest that started before it; else the year before
    the meeting (from the same day a year earlier to the day before), with the id
    ``YYYY-YY`` of its years (no narrative can name it: they name recorded periods).
    """
    if wanted is not None:
        found = next((p for p in data.periods if p.id == wanted), None)
        if found is None:
            known = ", ".join(p.id for p in data.periods) or "none is recorded"
            raise ValueError(f"no reporting period '{wanted}' (known: {known})")
        return found
    ended = [p for p in data.periods if p.end <= meeting]
    before = ended or [p for p in data.periods if p.start < meeting]
    if before:
        return max(before, key=lambda p: (p.start, p.id))
    try:
        start = meeting.replace(year=meeting.year - 1)
    except ValueError:  # 29 February
        start = meeting.replace(year=meeting.year - 1, day=28)
    end = date.fromordinal(meeting.toordinal() - 1)
    return ReportingPeriod(id=f"{start.year}-{end.year % 100:02d}", start=start, end=end)
