"""The network at a glance: counts per region, cluster, status, aspiration and funding source,
renewals coming up, overdue activities, clusters without a coordinator, KPI values."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from pydantic import BaseModel

from .kpis import KpiValue, kpi_values
from .snapshot import Snapshot


class ClusterRow(BaseModel):
    """One cluster in the summary."""

    id: str
    """Cluster id."""
    name: str
    """Cluster name."""
    kind: str
    """Regional or thematic."""
    coordinator: str | None
    """Id of the coordinating organisation."""
    coordinator_name: str | None
    """Name of the coordinating organisation."""
    convener: str | None
    """Convener of the cluster."""
    members: int
    """Number of member organisations."""
    active_members: int
    """Number of active member organisations."""
    activities: int
    """Number of activities the cluster runs."""


class AspirationRow(BaseModel):
    """Activities of one aspiration."""

    id: str
    """Aspiration id."""
    title: str
    """Aspiration title."""
    activities: int
    """Number of activities serving it."""
    per_status: dict[str, int]
    """Activities per status."""


class Renewal(BaseModel):
    """A membership renewal coming up (or past)."""

    organisation: str
    """Organisation id."""
    name: str
    """Organisation name."""
    country: str
    """Country code."""
    renewal_due: date
    """Day the renewal is due."""
    days_left: int
    """Days from today (negative when past)."""


class OverdueActivity(BaseModel):
    """An activity whose end has passed but which is not done or cancelled."""

    id: str
    """Activity id."""
    title: str
    """Activity title."""
    status: str
    """Its status."""
    end: date
    """Day it should have ended."""
    days_overdue: int
    """Days since ``end``."""


class Summary(BaseModel):
    """What ``netdocs data summary`` prints."""

    network: str
    """Name of the network."""
    short_name: str
    """Short name of the network."""
    edition: str
    """Edition of the data."""
    source: str
    """Where the data was read from."""
    sha256: str
    """sha256 of the data."""
    today: date
    """Day the summary is computed for."""
    organisations: int
    """Number of member organisations."""
    members_per_status: dict[str, int]
    """Organisations per membership status."""
    countries: int
    """Countries with at least one member."""
    members_per_region: dict[str, int]
    """Organisations per region."""
    clusters: list[ClusterRow]
    """Every cluster, with its members."""
    activities: int
    """Number of activities."""
    activities_per_status: dict[str, int]
    """Activities per status."""
    activities_per_aspiration: list[AspirationRow]
    """Activities per aspiration."""
    budget_per_funding: dict[str, dict[str, float]]
    """Total budget of non-cancelled activities per funding source, then per currency."""
    renewals_due: list[Renewal]
    """Renewals due from today to ``today + days``."""
    renewals_overdue: list[Renewal]
    """Renewals of active or pending members whose day has passed."""
    overdue_activities: list[OverdueActivity]
    """Planned or ongoing activities whose end has passed."""
    clusters_without_coordinator: list[ClusterRow]
    """Clusters nobody coordinates."""
    kpis: list[KpiValue]
    """KPIs with their current values."""


def summarise(snapshot: Snapshot, today: date, days: int = 90) -> Summary:
    """Summarise ``snapshot`` as of ``today``; renewals within ``days`` count as due."""
    data = snapshot.network
    orgs = {o.id: o for o in data.organisations}
    per_cluster = Counter(a.cluster for a in data.activities if a.cluster)
    clusters = [
        ClusterRow(
            id=c.id,
            name=c.name,
            kind=c.kind,
            coordinator=c.coordinator,
            coordinator_name=orgs[c.coordinator].name if c.coordinator in orgs else None,
            convener=c.convener,
            members=len(c.members),
            active_members=sum(orgs[m].status == "active" for m in c.members if m in orgs),
            activities=per_cluster[c.id],
        )
        for c in data.clusters
    ]
    aspirations = []
    for a in data.strategy.aspirations:
        mine = [x for x in data.activities if x.aspiration == a.id]
        aspirations.append(
            AspirationRow(
                id=a.id,
                title=a.title,
                activities=len(mine),
                per_status=dict(Counter(x.status for x in mine)),
            )
        )
    budget: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for act in data.activities:
        if act.budget is not None and act.status != "cancelled":
            budget[act.funding or "unspecified"][act.currency] += act.budget
    horizon = today + timedelta(days=days)
    renewals = [
        Renewal(
            organisation=o.id,
            name=o.name,
            country=o.country,
            renewal_due=o.renewal_due,
            days_left=(o.renewal_due - today).days,
        )
        for o in data.organisations
        if o.renewal_due is not None and o.status != "inactive" and o.renewal_due <= horizon
    ]
    renewals.sort(key=lambda r: (r.renewal_due, r.organisation))
    overdue = [
        OverdueActivity(
            id=a.id, title=a.title, status=a.status, end=a.end, days_overdue=(today - a.end).days
        )
        for a in data.activities
        if a.status in ("planned", "ongoing") and a.end < today
    ]
    return Summary(
        network=data.network.name,
        short_name=data.network.short_name,
        edition=data.network.edition,
        source=snapshot.source,
        sha256=snapshot.sha256,
        today=today,
        organisations=len(data.organisations),
        members_per_status=dict(sorted(Counter(o.status for o in data.organisations).items())),
        countries=len({o.country for o in data.organisations}),
        members_per_region=dict(sorted(Counter(o.region for o in data.organisations).items())),
        clusters=clusters,
        activities=len(data.activities),
        activities_per_status=dict(sorted(Counter(a.status for a in data.activities).items())),
        activities_per_aspiration=aspirations,
        budget_per_funding={
            f: {c: float(v) for c, v in sorted(by.items())} for f, by in sorted(budget.items())
        },
        renewals_due=[r for r in renewals if r.days_left >= 0],
        renewals_overdue=[r for r in renewals if r.days_left < 0],
        overdue_activities=sorted(overdue, key=lambda a: (a.end, a.id)),
        clusters_without_coordinator=[c for c in clusters if c.coordinator is None],
        kpis=kpi_values(data),
    )
