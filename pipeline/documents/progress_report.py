"""The consolidated progress report of one cluster: members, activities, KPIs, gaps, next steps."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from ..errors import UsageError
from ..kb.model import Article, KnowledgeBase
from ..network.figures import RENEWAL_DAYS, overdue
from ..network.model import Cluster
from .common import (
    Inputs,
    Plan,
    block,
    bullets,
    cluster_activities,
    cover,
    iso,
    leader_line,
    long_date,
    md,
    number,
    org_name,
    organisations,
    percent,
    pick,
    sources,
    table,
    values_in,
)

NEXT_DAYS = 180


USES_DATE = True
"""Gaps, renewals and next steps depend on the edition's as-of date."""


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

    mine = inputs.fig.clusters[cluster.id]
    member_rows = [
        (
            org_name(orgs, m),
            md(orgs[m].country) if m in orgs else "not a member",
            md(orgs[m].status) if m in orgs else "not a member",
            str(mine.led[m]),
            str(mine.partnered[m]),
            ", ".join(md(a.id) for a in acts if a.lead == m or m in a.partners) or "none",
        )
        for m in sorted(cluster.members, key=lambda m: orgs[m].name if m in orgs else m)
    ]
    members = "\n\n".join(
        [
            f"The {md(cluster.name)} ({md(cluster.kind)}) is {md(leader_line(data, cluster))}. "
            f"It has {mine.members} member institutions ({mine.active_members} active), of "
            f"which {mine.contributing} lead or partner in at least one of its {mine.activities} "
            "activities (of any year or status).",
            _focus(cluster),
            table(
                ["Member institution", "Country", "Status", "Led", "Partnered", "Activities"],
                member_rows,
                right=[3, 4],
            ),
        ]
    )

    statuses = mine.per_status
    activity_rows = [
        (
            f"{md(a.id)} {md(a.title)}",
            org_name(orgs, a.lead),
            iso(a.start),
            iso(a.end),
            md(a.status) + (" (**overdue**)" if overdue(a, today) else ""),
            "; ".join(md(o) for o in a.outputs) or "none recorded",
        )
        for a in acts
    ]
    activities = "\n\n".join(
        [
            "Status as of "
            + long_date(today)
            + ": "
            + (", ".join(f"{n} {s}" for s, n in sorted(statuses.items()) if n) or "no activities")
            + ".",
            table(["Activity", "Lead", "Start", "End", "Status", "Outputs"], activity_rows)
            if activity_rows
            else "_The cluster has no activities recorded._",
        ]
    )
    order = ("planned", "ongoing", "done", "cancelled")
    status_chart = charts.bar_chart(
        [s for s in order if statuses[s]],
        [Decimal(statuses[s]) for s in order if statuses[s]],
        what=f"activities of the {cluster.name} per status",
        unit="activities",
        colours=[charts.STATUS_COLOURS[s] for s in order if statuses[s]],
        width_mm=120,
    )

    counts = [k for k in mine.kpis if k.share is not None]
    rates = [k for k in mine.kpis if k.share is None]
    kpi_parts = [
        "For each indicator of the strategy, the network's current value and the part that "
        "comes from this cluster's members and activities.",
        table(
            ["Indicator", "Network", "This cluster", "Cluster's share"],
            [
                (md(k.kpi.name), *values_in(k.kpi.unit, k.network, k.cluster), percent(k.share))
                for k in counts if k.share is not None
            ],
            right=[1, 2, 3],
        )
        if counts
        else "",
    ]  # fmt: skip
    if rates:
        kpi_parts += [
            "Rates are compared rather than shared: the cluster's rate is computed over its own "
            "active members.",
            table(
                ["Indicator", "Network", "This cluster"],
                [
                    (md(k.kpi.name), number(k.network, k.kpi.unit), number(k.cluster, k.kpi.unit))
                    for k in rates
                ],
                right=[1, 2],
            ),  # fmt: skip
        ]
    if mine.kpis_left_out:
        kpi_parts.append(
            " ".join(
                f"{md(k.name)} is not shown for the cluster: {md(why)}."
                for k, why in mine.kpis_left_out
            )
        )
    kpis = "\n\n".join(p for p in kpi_parts if p)

    inactive = [orgs[m] for m in cluster.members if m in orgs and orgs[m].status != "active"]
    members_here = set(cluster.members)
    renewals = [
        orgs[r.organisation]
        for r in inputs.fig.renewals_within(RENEWAL_DAYS)
        if r.organisation in members_here
    ]
    late = [a for a in acts if overdue(a, today)]
    gaps = "\n\n".join(
        [
            "# Inactive or pending members",
            bullets(
                [f"{md(o.name)} ({md(o.country)}): {md(o.status)}" for o in inactive],
                "_None: every member is active._",
            ),
            f"# Renewals due in the next {RENEWAL_DAYS} days",
            bullets(
                [f"{md(o.name)}: due {iso(o.renewal_due)}" for o in renewals if o.renewal_due],
                "_None._",
            ),
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
        f"Follow up the renewal of {md(o.name)} before {iso(o.renewal_due)}."
        for o in renewals
        if o.renewal_due
    ]
    steps += [
        f"Close or re-plan {md(a.id)} {md(a.title)}, which ended on {iso(a.end)}." for a in late
    ]
    if inactive:
        steps.append(
            f"Contact the {mine.not_active} inactive or pending member(s) personally "
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
    return " ".join(parts) or "The cluster has not recorded its focus areas and priorities yet."
