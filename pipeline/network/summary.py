"""The network at a glance, for ``netdocs data summary``: every number comes from the edition's
:class:`~pipeline.network.figures.Figures`, so the summary prints what the documents print."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from .figures import Figures, json_number
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
    """Member institutions, any status."""
    active_members: int
    """Active member institutions."""
    activities: int
    """Activities the cluster runs, of every year and status."""


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
    """Days from the as-of date (negative when past)."""


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
    """Days from ``end`` to the as-of date."""


class Summary(BaseModel):
    """What ``netdocs data summary`` prints; numbers in ``--json`` are exact (money and
    percentages as decimal strings)."""

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
    as_of: date
    """Day the figures are computed for."""
    figures: list[dict[str, Any]]
    """Every figure of the network: name, label, definition, unit, exact value, printed text."""
    members_per_status: dict[str, int]
    """Organisations per membership status."""
    members_per_region: dict[str, dict[str, int]]
    """Region -> active members and members of any status."""
    clusters: list[ClusterRow]
    """Every cluster, with its members: regional ones, then thematic ones, each by name
    (:meth:`~pipeline.network.model.NetworkData.clusters_in_order`)."""
    activities_per_status: dict[str, int]
    """Activities of every year, per status."""
    activities_per_aspiration: dict[str, dict[str, int]]
    """Activities of every year, per aspiration id, per status."""
    budget_per_funding: dict[str, dict[str, str]]
    """Budgets of activities of every year that are not cancelled: funding source ('' when
    none is named) -> currency -> exact total."""
    renewals_due: list[Renewal]
    """Renewals due from the as-of date to ``days`` later."""
    renewals_overdue: list[Renewal]
    """Renewals of active or pending members whose day has passed."""
    overdue_activities: list[OverdueActivity]
    """Planned or ongoing activities whose end has passed."""
    clusters_without_lead: list[ClusterRow]
    """Regional clusters without a coordinator, thematic clusters without a convener (in the
    order of :attr:`clusters`)."""
    kpis: list[dict[str, Any]]
    """KPIs with their exact current values and progress."""


def summarise(snapshot: Snapshot, figures: Figures, days: int = 90) -> Summary:
    """Summarise ``snapshot`` with the edition's ``figures``; renewals within ``days`` of their
    as-of date count as due."""
    data = snapshot.network
    fig = figures
    orgs = {o.id: o for o in data.organisations}
    clusters = [
        ClusterRow(
            id=c.id,
            name=c.name,
            kind=c.kind,
            coordinator=c.coordinator,
            coordinator_name=orgs[c.coordinator].name if c.coordinator in orgs else None,
            convener=c.convener,
            members=fig.clusters[c.id].members,
            active_members=fig.clusters[c.id].active_members,
            activities=fig.clusters[c.id].activities,
        )
        for c in data.clusters_in_order()
    ]
    renewals = [
        Renewal(
            organisation=r.organisation,
            name=orgs[r.organisation].name,
            country=orgs[r.organisation].country,
            renewal_due=r.due,
            days_left=r.days_left,
        )
        for r in fig.renewals
        if r.days_left <= days
    ]
    acts = {a.id: a for a in data.activities}
    overdue = sorted(
        (
            OverdueActivity(
                id=i, title=acts[i].title, status=acts[i].status, end=acts[i].end, days_overdue=days
            )
            for i, days in fig.days_overdue.items()
        ),
        key=lambda a: (a.end, a.id),
    )
    statuses = ("active", "pending", "inactive")
    return Summary(
        network=data.network.name,
        short_name=data.network.short_name,
        edition=data.network.edition,
        source=snapshot.source,
        sha256=snapshot.sha256,
        as_of=fig.as_of,
        figures=[f.as_dict() for f in fig.network.values()],
        members_per_status={s: fig[f"members-{s}"].value for s in statuses},  # type: ignore[misc]
        members_per_region={
            r: {"active": active, "all": every}
            for r, (active, every) in fig.members_per_region.items()
        },
        clusters=clusters,
        activities_per_status=fig.activities_per_status,
        activities_per_aspiration=fig.activities_per_aspiration,
        budget_per_funding={
            f: {c: str(json_number(v)) for c, v in by.items()}
            for f, by in fig.budget_by_funding.items()
        },
        renewals_due=[r for r in renewals if r.days_left >= 0],
        renewals_overdue=[r for r in renewals if r.days_left < 0],
        overdue_activities=overdue,
        clusters_without_lead=[
            c
            for c in clusters
            if (c.kind == "regional" and not c.coordinator)
            or (c.kind == "thematic" and not c.convener)
        ],  # fmt: skip
        kpis=[k.as_dict() for k in fig.kpis],
    )
