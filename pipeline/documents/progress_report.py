"""The consolidated progress report of one cluster: members, activities, KPIs, gaps, next steps."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..kb.model import Article, KnowledgeBase
from ..network.figures import RENEWAL_DAYS, ClusterFigures, overdue
from ..network.model import Activity, Cluster, Organisation
from .common import (
    Inputs,
    block,
    bullets,
    cluster_activities,
    iso,
    leader_line,
    long_date,
    md,
    number,
    org_name,
    percent,
    pick,
    table,
    values_in,
)
from .parts import State, section, sources_section
from .types import CLUSTER, DocumentType

if TYPE_CHECKING:
    from ..render import Chart, MarkdownBlock

NEXT_DAYS = 180


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the progress report uses."""
    return pick(
        kb,
        "practice-consolidated-reporting-template",
        "glossary-consolidated-reporting",
        "step-7-monitoring-renewal",
    )


class ProgressReport(State):
    """What the progress report's parts share: its cluster, its activities and figures."""

    def __init__(self, inputs: Inputs) -> None:
        if inputs.cluster is None:
            raise UsageError(
                "a progress report is about one cluster: add --cluster ID (or --all-clusters)"
            )
        super().__init__(inputs)
        self.the_cluster: Cluster = inputs.cluster

    @cached_property
    def acts(self) -> list[Activity]:
        """The cluster's activities, sorted by start and id."""
        return cluster_activities(self.data, self.the_cluster)

    @cached_property
    def mine(self) -> ClusterFigures:
        return self.fig.clusters[self.the_cluster.id]

    @cached_property
    def inactive(self) -> list[Organisation]:
        """Members that are not active."""
        orgs, members = self.orgs, self.the_cluster.members
        return [orgs[m] for m in members if m in orgs and orgs[m].status != "active"]

    @cached_property
    def renewals(self) -> list[Organisation]:
        """Members whose renewal is due within :data:`RENEWAL_DAYS`."""
        members_here = set(self.the_cluster.members)
        return [
            self.orgs[r.organisation]
            for r in self.fig.renewals_within(RENEWAL_DAYS)
            if r.organisation in members_here
        ]

    @cached_property
    def late(self) -> list[Activity]:
        """Activities past their end date and not done."""
        return [a for a in self.acts if overdue(a, self.today)]


def cover_lines(s: ProgressReport) -> tuple[str, str]:
    cluster, net = s.the_cluster, s.data.network
    return (
        f"Progress report: {cluster.name}",
        f"{cluster.name}, {leader_line(s.data, cluster)} · {net.short_name}",
    )


def members(s: ProgressReport) -> MarkdownBlock:
    cluster, orgs, mine, acts = s.the_cluster, s.orgs, s.mine, s.acts
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
    text = "\n\n".join(
        [
            f"The {md(cluster.name)} ({md(cluster.kind)}) is {md(leader_line(s.data, cluster))}. "
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
    return block(text, "members")


def activities(s: ProgressReport) -> MarkdownBlock:
    orgs, statuses = s.orgs, s.mine.per_status
    activity_rows = [
        (
            f"{md(a.id)} {md(a.title)}",
            org_name(orgs, a.lead),
            iso(a.start),
            iso(a.end),
            md(a.status) + (" (**overdue**)" if overdue(a, s.today) else ""),
            "; ".join(md(o) for o in a.outputs) or "none recorded",
        )
        for a in s.acts
    ]
    text = "\n\n".join(
        [
            "Status as of "
            + long_date(s.today)
            + ": "
            + (", ".join(f"{n} {st}" for st, n in sorted(statuses.items()) if n)
               or "no activities")
            + ".",
            table(["Activity", "Lead", "Start", "End", "Status", "Outputs"], activity_rows)
            if activity_rows
            else "_The cluster has no activities recorded._",
        ]
    )  # fmt: skip
    return block(text, "activities")


def status_chart(s: ProgressReport) -> Chart | str:
    from . import charts  # matplotlib loads only when a document is drawn

    statuses = s.mine.per_status
    order = ("planned", "ongoing", "done", "cancelled")
    return charts.bar_chart(
        [st for st in order if statuses[st]],
        [Decimal(statuses[st]) for st in order if statuses[st]],
        what=f"activities of the {s.the_cluster.name} per status",
        unit="activities",
        colours=[charts.STATUS_COLOURS[st] for st in order if statuses[st]],
        width_mm=120,
    )


def kpis(s: ProgressReport) -> MarkdownBlock:
    mine = s.mine
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
    return block("\n\n".join(p for p in kpi_parts if p), "kpis")


def gaps(s: ProgressReport) -> MarkdownBlock:
    text = "\n\n".join(
        [
            "# Inactive or pending members",
            bullets(
                [f"{md(o.name)} ({md(o.country)}): {md(o.status)}" for o in s.inactive],
                "_None: every member is active._",
            ),
            f"# Renewals due in the next {RENEWAL_DAYS} days",
            bullets(
                [f"{md(o.name)}: due {iso(o.renewal_due)}" for o in s.renewals if o.renewal_due],
                "_None._",
            ),
            "# Activities past their end date but not done",
            bullets(
                [
                    f"{md(a.id)} {md(a.title)}: ended {iso(a.end)}, still {md(a.status)}"
                    for a in s.late
                ],
                "_None._",
            ),
        ]
    )
    return block(text, "gaps")


def next_steps(s: ProgressReport) -> MarkdownBlock:
    today, orgs = s.today, s.orgs
    upcoming = [
        a
        for a in s.acts
        if a.status == "planned" and today <= a.start <= today + timedelta(days=NEXT_DAYS)
    ]
    steps = [
        f"Start {md(a.id)} {md(a.title)} on {iso(a.start)} (lead: {org_name(orgs, a.lead)})."
        for a in upcoming
    ]
    steps += [
        f"Follow up the renewal of {md(o.name)} before {iso(o.renewal_due)}."
        for o in s.renewals
        if o.renewal_due
    ]
    steps += [
        f"Close or re-plan {md(a.id)} {md(a.title)}, which ended on {iso(a.end)}." for a in s.late
    ]
    if s.inactive:
        steps.append(
            f"Contact the {s.mine.not_active} inactive or pending member(s) personally "
            "to re-engage them."
        )
    text = bullets(steps, "_No actions are due: keep the cluster's activities on track._")
    return block(text, "next_steps")


def _focus(cluster: Cluster) -> str:
    parts = []
    if cluster.focus_areas:
        parts.append("Focus areas: " + "; ".join(md(f) for f in cluster.focus_areas) + ".")
    if cluster.priorities:
        parts.append("Priorities: " + "; ".join(md(p) for p in cluster.priorities) + ".")
    return " ".join(parts) or "The cluster has not recorded its focus areas and priorities yet."


DOCUMENT = DocumentType(
    name="progress-report",
    title="Progress report",
    description="one cluster's consolidated progress report",
    summary="Consolidated progress report of one cluster.",
    scopes=(CLUSTER,),
    accent="9A4A12",
    cover=cover_lines,
    state=ProgressReport,
    articles=articles,
    sections=(
        section("The cluster and its members", "members", "block",
                "The cluster's members and what each contributed.", members),
        section("Activities", "activities", "block", "Status of the cluster's activities.",
                activities),
        section(None, "status_chart", "chart", "Chart of activities per status.", status_chart,
                "Figure 1. Activities per status"),
        section("Contribution to the KPIs", "kpis", "block", "The cluster's share of the KPIs.",
                kpis),
        section("Gaps", "gaps", "block", "Inactive members, renewals due, overdue activities.",
                gaps),
        section("Next steps", "next_steps", "block", "What the cluster does next.", next_steps),
        sources_section(articles),
    ),
)  # fmt: skip
"""The progress report's record in :data:`~.registry.REGISTRY`."""
