"""The consolidated progress report of one cluster: members, activities, KPIs, gaps, next steps."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal

from ..errors import UsageError
from ..kb.model import Article, KnowledgeBase
from ..network.kpis import participating
from ..network.model import KPI, Activity, Cluster, NetworkData
from .common import (
    Inputs,
    Plan,
    block,
    bullets,
    cluster_activities,
    cover,
    iso,
    leader_line,
    md,
    number,
    org_name,
    organisations,
    overdue,
    percent,
    pick,
    sources,
    table,
)

RENEWAL_DAYS = 90
NEXT_DAYS = 180


USES_DATE = True
"""Gaps, renewals and next steps depend on the data's date."""


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the progress report uses."""
    return pick(
        kb,
        "practice-consolidated-reporting-template",
        "glossary-consolidated-reporting",
        "step-7-monitoring-renewal",
    )


def context(inputs: Inputs) -> Plan:
    from . import charts  # matplotlib loads only when a document is drawn

    cluster = inputs.cluster
    if cluster is None:
        raise UsageError(
            "a progress report is about one cluster: add --cluster ID (or --all-clusters)"
        )
    data, today = inputs.data, inputs.today
    orgs = organisations(data)
    acts = cluster_activities(data, cluster)
    used = articles(inputs.kb)

    led: Counter[str] = Counter()
    partnered: Counter[str] = Counter()
    for a in acts:
        led[a.lead] += 1
        for p in a.partners:
            partnered[p] += 1
    member_rows = [
        (
            org_name(orgs, m),
            md(orgs[m].country) if m in orgs else "not set",
            md(orgs[m].status) if m in orgs else "not a member",
            led[m],
            partnered[m],
            ", ".join(md(a.id) for a in acts if a.lead == m or m in a.partners) or "none",
        )
        for m in sorted(cluster.members, key=lambda m: orgs[m].name if m in orgs else m)
    ]
    contributing = sum(1 for m in cluster.members if led[m] or partnered[m])
    members = "\n\n".join(
        [
            f"The {md(cluster.name)} ({md(cluster.kind)}) is {md(leader_line(data, cluster))}. "
            f"It has {len(cluster.members)} member institutions, of which {contributing} lead or "
            f"partner in at least one of its {len(acts)} activities.",
            _focus(cluster),
            table(
                ["Member institution", "Country", "Status", "Led", "Partnered", "Activities"],
                member_rows,
                right=[3, 4],
            ),
        ]
    )

    statuses: Counter[str] = Counter(str(a.status) for a in acts)
    activity_rows = [
        (
            f"{md(a.id)} {md(a.title)}",
            org_name(orgs, a.lead),
            iso(a.start),
            iso(a.end),
            md(a.status) + (" (**overdue**)" if overdue(a, today) else ""),
            "; ".join(md(o) for o in a.outputs) or "not set",
        )
        for a in acts
    ]
    activities = "\n\n".join(
        [
            "Status on "
            + today.isoformat()
            + ": "
            + (", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "no activities")
            + ".",
            table(["Activity", "Lead", "Start", "End", "Status", "Outputs"], activity_rows),
        ]
    )
    order = ("planned", "ongoing", "done", "cancelled")
    status_chart = charts.bar_chart(
        [s for s in order if statuses[s]],
        [float(statuses[s]) for s in order if statuses[s]],
        what=f"activities of the {cluster.name} per status",
        unit="activities",
        colours=[charts.STATUS_COLOURS[s] for s in order if statuses[s]],
        width_mm=120,
    )

    kpi_rows = []
    for aspiration in data.strategy.aspirations:
        for kpi in aspiration.kpis:
            network_value, cluster_value = _share(kpi, aspiration.id, data, cluster, acts)
            share = (
                100 * cluster_value / network_value
                if cluster_value is not None
                and network_value
                and kpi.metric != "member-participation"
                else None
            )  # a rate has no share
            kpi_rows.append(
                (
                    md(kpi.name),
                    md(kpi.unit),
                    number(network_value),
                    number(cluster_value),
                    percent(share),
                )
            )
    kpis = "\n\n".join(
        [
            "For each indicator of the strategy, the network's current value and the part that "
            "comes from this cluster's members and activities. Indicators measured for the "
            "network as a whole show 'not set' for the cluster.",
            table(
                ["Indicator", "Unit", "Network", "This cluster", "Share"], kpi_rows, right=[2, 3, 4]
            ),
        ]
    )

    inactive = [orgs[m] for m in cluster.members if m in orgs and orgs[m].status != "active"]
    soon = today + timedelta(days=RENEWAL_DAYS)
    due = [
        (o.renewal_due, o)
        for m in cluster.members
        if (o := orgs.get(m)) is not None
        and o.renewal_due is not None
        and today <= o.renewal_due <= soon
    ]
    renewals = [o for _when, o in sorted(due, key=lambda pair: (pair[0], pair[1].id))]
    late = [a for a in acts if overdue(a, today)]
    gaps = "\n\n".join(
        [
            "# Inactive or pending members",
            bullets(
                [f"{md(o.name)} ({md(o.country)}): {md(o.status)}" for o in inactive],
                "_None: every member is active._",
            ),
            f"# Renewals due in the next {RENEWAL_DAYS} days",
            bullets([f"{md(o.name)}: due {iso(o.renewal_due)}" for o in renewals], "_None._"),
            "# Activities past their end date but not done",
            bullets(
                [
                    f"{md(a.id)} {md(a.title)}: ended {iso(a.end)}, still {md(a.status)}"
                    for a in late
                ],
                "_None._",
            ),
        ]
    )

    upcoming = [
        a
        for a in acts
        if a.status == "planned" and today <= a.start <= today + timedelta(days=NEXT_DAYS)
    ]
    steps = [
        f"Start {md(a.id)} {md(a.title)} on {iso(a.start)} (lead: {org_name(orgs, a.lead)})."
        for a in upcoming
    ]
    steps += [
        f"Follow up the renewal of {md(o.name)} before {iso(o.renewal_due)}." for o in renewals
    ]
    steps += [
        f"Close or re-plan {md(a.id)} {md(a.title)}, which ended on {iso(a.end)}." for a in late
    ]
    if inactive:
        steps.append(
            f"Contact the {len(inactive)} inactive or pending member(s) personally "
            "to re-engage them."
        )
    next_steps = bullets(steps, "_No actions are due: keep the cluster's activities on track._")

    net = data.network
    context = {
        **cover(
            inputs,
            f"Progress report: {cluster.name}",
            f"{cluster.name}, {leader_line(data, cluster)} · {net.short_name}",
        ),
        "members": block(members, "members"),
        "activities": block(activities, "activities"),
        "status_chart": status_chart,
        "kpis": block(kpis, "kpis"),
        "gaps": block(gaps, "gaps"),
        "next_steps": block(next_steps, "next_steps"),
        "sources": sources(inputs, used),
    }
    return Plan(context, used)


def _focus(cluster: Cluster) -> str:
    parts = []
    if cluster.focus_areas:
        parts.append("Focus areas: " + "; ".join(md(f) for f in cluster.focus_areas) + ".")
    if cluster.priorities:
        parts.append("Priorities: " + "; ".join(md(p) for p in cluster.priorities) + ".")
    return " ".join(parts) or "Focus areas: not set."


def _share(
    kpi: KPI, aspiration: str, data: NetworkData, cluster: Cluster, acts: list[Activity]
) -> tuple[float | None, float | None]:
    """(network value, this cluster's part) of a KPI, where a cluster part makes sense."""
    from ..network.kpis import current_value

    asp = next(a for a in data.strategy.aspirations if a.id == aspiration)
    network = current_value(kpi, asp, data)
    orgs = organisations(data)
    members = [orgs[m] for m in cluster.members if m in orgs]
    active = [o for o in members if o.status == "active"]
    if kpi.metric == "active-members":
        return network, float(len(active))
    if kpi.metric == "countries":
        return network, float(len({o.country for o in active}))
    if kpi.metric == "member-participation":
        involved = participating(data)
        return network, (
            round(100 * sum(o.id in involved for o in active) / len(active), 1) if active else None
        )
    if kpi.metric == "activities-done":
        return network, float(sum(a.status == "done" and a.aspiration == aspiration for a in acts))
    if kpi.metric == "funding-mobilised":
        total = sum(
            (
                a.budget
                for a in acts
                if a.budget is not None
                and a.status in ("ongoing", "done")
                and (not kpi.funding or a.funding in kpi.funding)
            ),
            Decimal(0),
        )
        return network, float(total)
    return network, None
