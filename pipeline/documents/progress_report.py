"""The consolidated progress report of one cluster for a reporting period: its members, planned
versus achieved, the coordinator's narrative, promising practices, the KPIs, points to follow up.

The period is the edition's (:func:`~pipeline.network.model.reporting_period` of the meeting).
The narrative is what the cluster coordinator wrote in the network data for the cluster and
the period, Markdown made safe by :func:`.narrative.safe_markdown`; a section not written is
printed as plainly missing (and ``netdocs publish`` refuses the edition while one is, see
:func:`missing_sections`).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..kb.model import Article, KnowledgeBase
from ..network.figures import RENEWAL_DAYS, STATUSES, ClusterFigures, overdue
from ..network.model import (
    NARRATIVE_SECTIONS,
    Activity,
    Cluster,
    Milestone,
    Narrative,
    NetworkData,
    Organisation,
    Practice,
    ReportingPeriod,
    reporting_period,
)
from .common import (
    Inputs,
    block,
    bullets,
    cluster_activities,
    date_range,
    leader_line,
    long_date,
    md,
    number,
    org_name,
    owner_name,
    percent,
    pick,
    ranged,
    short_date,
    table,
    values_in,
)
from .narrative import safe_markdown
from .parts import State, section, sources_section
from .types import CLUSTER, DocumentType

if TYPE_CHECKING:
    from ..render import Chart, MarkdownBlock, Picture

NEXT_DAYS = 180
"""Planned activities starting within this many days of the as-of date are points to follow up."""


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the progress report uses."""
    return pick(
        kb,
        "practice-consolidated-reporting-template",
        "glossary-consolidated-reporting",
        "step-7-monitoring-renewal",
    )


def in_period(activity: Activity, period: ReportingPeriod) -> bool:
    """Whether ``activity`` runs at some time in ``period`` (starts by its end, ends after its
    start)."""
    return activity.start <= period.end and activity.end >= period.start


def narrative_of(data: NetworkData, cluster: str, period: str) -> Narrative | None:
    """The narrative the coordinator of ``cluster`` wrote for ``period``, if any."""
    return next((n for n in data.narratives if n.cluster == cluster and n.period == period), None)


def missing_sections(
    data: NetworkData, meeting: date, wanted: str | None = None
) -> list[tuple[Cluster, str, str]]:
    """``(cluster, period id, heading)`` of every narrative section not written for the
    edition whose meeting is ``meeting`` (for the period ``wanted``, when given), by cluster
    (regional, then thematic, each by name: :meth:`~pipeline.network.model.NetworkData.
    clusters_in_order`) then section."""
    period = chosen_period(data, meeting, wanted)
    out = []
    for cluster in data.clusters_in_order():
        found = narrative_of(data, cluster.id, period.id)
        headings = found.missing() if found else [h for _, h in NARRATIVE_SECTIONS]
        out += [(cluster, period.id, h) for h in headings]
    return out


def chosen_period(data: NetworkData, meeting: date, wanted: str | None) -> ReportingPeriod:
    """:func:`~pipeline.network.model.reporting_period`; an unknown ``wanted`` period is the
    user's mistake (``--period``), said with the periods there are."""
    try:
        return reporting_period(data, meeting, wanted)
    except ValueError as exc:
        raise UsageError(f"--period: {exc}") from None


class ProgressReport(State):
    """What the progress report's parts share: its cluster, period, activities and figures."""

    def __init__(self, inputs: Inputs) -> None:
        if inputs.cluster is None:
            raise UsageError(
                "a progress report is about one cluster: add --cluster ID (or --all-clusters)"
            )
        super().__init__(inputs)
        self.the_cluster: Cluster = inputs.cluster

    @cached_property
    def period(self) -> ReportingPeriod:
        """The edition's reporting period (or the one ``--period`` names)."""
        return chosen_period(self.data, self.inputs.meeting, self.inputs.settings.period)

    @cached_property
    def acts(self) -> list[Activity]:
        """The cluster's activities, sorted by start and id."""
        return cluster_activities(self.data, self.the_cluster)

    @cached_property
    def planned(self) -> list[Activity]:
        """The cluster's activities that run in the period, sorted by start and id."""
        return [a for a in self.acts if in_period(a, self.period)]

    @cached_property
    def statuses(self) -> Counter[str]:
        """Status -> how many of the period's activities have it."""
        return Counter(str(a.status) for a in self.planned)

    @cached_property
    def milestones(self) -> list[Milestone]:
        """Milestones and deliverables of the period's activities, by due date."""
        ids = {a.id for a in self.planned}
        found = [m for m in self.data.milestones if m.activity in ids]
        return sorted(found, key=lambda m: (m.due, m.id))

    @cached_property
    def narrative(self) -> Narrative | None:
        return narrative_of(self.data, self.the_cluster.id, self.period.id)

    @cached_property
    def practices(self) -> list[Practice]:
        """Promising practices submitted through the cluster in the period, by date."""
        p = self.period
        found = [
            x
            for x in self.data.practices
            if x.cluster == self.the_cluster.id and p.start <= x.submitted <= p.end
        ]
        return sorted(found, key=lambda x: (x.submitted, x.id))

    @cached_property
    def mine(self) -> ClusterFigures:
        return self.fig.clusters[self.the_cluster.id]

    @cached_property
    def member_orgs(self) -> list[Organisation]:
        """The cluster's members that are organisations of the network, by name."""
        orgs = self.orgs
        return sorted(
            (orgs[m] for m in self.the_cluster.members if m in orgs), key=lambda o: o.name
        )

    @cached_property
    def inactive(self) -> list[Organisation]:
        """Members that are not active."""
        return [o for o in self.member_orgs if o.status != "active"]

    @cached_property
    def renewals(self) -> list[Organisation]:
        """Members whose renewal is due within :data:`RENEWAL_DAYS` of the as-of date."""
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


def period_line(period: ReportingPeriod) -> str:
    """``Reporting period 2025–26: 1 October 2025 – 30 September 2026`` (plain text)."""
    return f"Reporting period {ranged(period.id)}: {date_range(period.start, period.end)}"


def cover_lines(s: ProgressReport) -> tuple[str, str]:
    cluster = s.the_cluster
    kind = "Regional" if cluster.kind == "regional" else "Thematic"
    return (cluster.name, f"{kind} cluster of {s.data.network.short_name}, "
                          f"{leader_line(s.data, cluster)}")  # fmt: skip


def members(s: ProgressReport) -> MarkdownBlock:
    cluster, orgs, mine, acts = s.the_cluster, s.orgs, s.mine, s.acts
    member_rows = [
        (
            org_name(orgs, m),
            md(orgs[m].country) if m in orgs else "not a member",
            str(mine.led[m]),
            str(mine.partnered[m]),
            ", ".join(md(a.id) for a in acts if a.lead == m or m in a.partners) or "none",
        )
        for m in sorted(cluster.members, key=lambda m: orgs[m].name if m in orgs else m)
    ]
    text = "\n\n".join(
        [
            f"This report of the {md(s.data.network.short_name)} covers the reporting period "
            f"{md(ranged(s.period.id))}, from {long_date(s.period.start)} to "
            f"{long_date(s.period.end)}. "
            f"The {md(cluster.name)} ({md(cluster.kind)}) "
            f"is {md(leader_line(s.data, cluster))}. It has {mine.members} member institutions "
            f"({mine.active_members} active), "
            f"of which {mine.contributing} lead or partner in at least one of its "
            f"{mine.activities} activities (of any year or status).",
            _focus(cluster),
            table(
                ["Member institution", "Country", "Led", "Partnered", "Activities"],
                member_rows,
                right=[2, 3],
            ),
        ]
    )
    return block(text, "members")


def membership(s: ProgressReport) -> MarkdownBlock:
    period, members_here = s.period, s.member_orgs
    counts = Counter(o.status for o in members_here)
    joined = sorted(
        (o for o in members_here if o.joined and period.start <= o.joined <= period.end),
        key=lambda o: (o.joined, o.name),
    )
    by = s.today + timedelta(days=RENEWAL_DAYS)
    text = "\n\n".join(
        [
            f"On {long_date(s.today)} the cluster has {len(members_here)} member "
            f"institutions: {_count(counts['active'], 'active')}, "
            f"{_count(counts['inactive'], 'inactive')} and {_count(counts['pending'], 'pending')}"
            + (" (" + "; ".join(f"{md(o.name)}: {md(o.status)}" for o in s.inactive) + ")"
               if s.inactive else "")
            + ".",
            f"# New members in {md(ranged(period.id))}",
            f"Joined between {long_date(period.start)} and {long_date(period.end)}:\n\n"
            + bullets([f"{md(o.name)} ({md(o.country)}), joined {long_date(o.joined)}"
                       for o in joined if o.joined])
            if joined
            else f"_No member joined the cluster between {long_date(period.start)} and "
            f"{long_date(period.end)}._",
            "# Renewals due",
            f"Memberships to renew within {RENEWAL_DAYS} days of {long_date(s.today)}, "
            f"that is by {long_date(by)}.",
            bullets(
                [f"{md(o.name)}: due {long_date(o.renewal_due)}"
                 for o in s.renewals if o.renewal_due],
                "_No renewal is due._",
            ),
        ]
    )  # fmt: skip
    return block(text, "membership")


def _count(n: int, status: str) -> str:
    return f"{n} {status}" if n else f"no {status}"


def planned(s: ProgressReport) -> MarkdownBlock:
    orgs, period = s.orgs, s.period
    rows = [
        (
            f"{md(a.id)} {md(a.title)}",
            org_name(orgs, a.lead),
            date_range(a.start, a.end, short=True),
            md(a.status) + (" (**overdue**)" if overdue(a, s.today) else ""),
            _outputs(a),
        )
        for a in s.planned
    ]
    statuses = s.statuses
    done_so_far = ", ".join(f"{statuses[st]} {st}" for st in STATUSES if statuses[st])
    parts = [
        (f"The {len(rows)} activities" if len(rows) != 1 else "The one activity")
        + " of the cluster planned to run in the period "
        f"({long_date(period.start)} to {long_date(period.end)}), with their status as of "
        f"{long_date(s.today)}"
        + (f": {done_so_far}" if rows else "")
        + ".",
        table(["Activity", "Lead", "Planned dates", "Status", "Outputs"], rows)
        if rows
        else "_The cluster planned no activity for the period._",
    ]  # fmt: skip
    if s.milestones:
        parts += [
            "# Milestones and deliverables",
            table(
                ["Milestone or deliverable", "Activity", "Due", "Owner", "Status"],
                [
                    (
                        md(m.title) + (" (deliverable)" if m.kind == "deliverable" else ""),
                        md(m.activity or ""),
                        short_date(m.due),
                        owner_name(orgs, m.owner),
                        md(m.status),
                    )
                    for m in s.milestones
                ],
            ),
        ]
    elif rows:
        parts.append("_No milestone or deliverable is recorded for these activities._")
    return block("\n\n".join(parts), "planned")


def _outputs(activity: Activity) -> str:
    if not activity.outputs:
        return "none recorded"
    listed = "; ".join(md(o) for o in activity.outputs)
    if activity.status == "done":
        return f"delivered: {listed}"
    if activity.status == "cancelled":
        return f"not delivered (cancelled): {listed}"
    return f"planned: {listed}"


def status_chart(s: ProgressReport) -> Chart | Picture | str:
    from . import charts  # matplotlib loads only when a document is drawn

    statuses = s.statuses
    order = ("planned", "ongoing", "done", "cancelled")
    return charts.bar_chart(
        [st for st in order if statuses[st]],
        [Decimal(statuses[st]) for st in order if statuses[st]],
        what=f"activities of the {s.the_cluster.name} in {ranged(s.period.id)} per status",
        unit="activities",
        colours=[charts.STATUS_COLOURS[st] for st in order if statuses[st]],
        width_mm=120,
    )


def writer_of(cluster: Cluster) -> str:
    """Who writes a cluster's narrative: the cluster coordinator of a regional cluster, the
    convener of a thematic one."""
    return "cluster coordinator" if cluster.kind == "regional" else "convener"


def narrative(s: ProgressReport) -> MarkdownBlock:
    written = s.narrative
    period = md(ranged(s.period.id))
    writer = writer_of(s.the_cluster)
    parts = [f"Written by the {writer} for the reporting period {period}."]
    for name, heading in NARRATIVE_SECTIONS:
        text = safe_markdown(getattr(written, name) or "", top=2) if written else ""
        parts += [
            f"# {heading}",
            text or f"**Not written yet:** the {writer} has not written this section for {period}.",
        ]
    return block("\n\n".join(parts), "narrative")


def practices(s: ProgressReport) -> MarkdownBlock:
    orgs, period = s.orgs, s.period
    rows = [
        (
            md(p.title),
            org_name(orgs, p.organisation),
            short_date(p.submitted),
            md(p.summary) if p.summary and p.summary.strip() else "no summary given",
        )
        for p in s.practices
    ]
    text = (
        "\n\n".join(
            [
                f"Promising practices members submitted through the cluster between "
                f"{long_date(period.start)} and {long_date(period.end)}.",
                table(["Practice", "Submitted by", "Date", "Summary"], rows),
            ]
        )
        if rows
        else "_No promising practice was submitted through the cluster in the period._"
    )
    return block(text, "practices")


def kpis(s: ProgressReport) -> MarkdownBlock:
    mine = s.mine
    counts = [k for k in mine.kpis if k.share is not None]
    rates = [k for k in mine.kpis if k.share is None]
    kpi_parts = [
        "For each indicator of the strategy, its baseline and target, the network's current "
        "value and the part that comes from this cluster's members and activities.",
        table(
            ["Indicator", "Baseline → target", "Network", "This cluster", "Cluster's share"],
            [
                (md(k.kpi.name), _span(*values_in(k.kpi.unit, k.kpi.baseline, k.kpi.target)),
                 *values_in(k.kpi.unit, k.network, k.cluster), percent(k.share))
                for k in counts if k.share is not None
            ],
            right=[1, 2, 3, 4],
        )
        if counts
        else "",
    ]  # fmt: skip
    if rates:
        kpi_parts += [
            "Rates are compared rather than shared: the cluster's rate is computed over its own "
            "active members.",
            table(
                ["Indicator", "Baseline → target", "Network", "This cluster"],
                [
                    (md(k.kpi.name),
                     _span(number(k.kpi.baseline, k.kpi.unit), number(k.kpi.target, k.kpi.unit)),
                     number(k.network, k.kpi.unit), number(k.cluster, k.kpi.unit))
                    for k in rates
                ],
                right=[1, 2, 3],
            ),
        ]  # fmt: skip
    if mine.kpis_left_out:
        kpi_parts.append(
            " ".join(
                f"{md(k.name)} is not shown for the cluster: {md(why)}."
                for k, why in mine.kpis_left_out
            )
        )
    return block("\n\n".join(p for p in kpi_parts if p), "kpis")


def _span(baseline: str, target: str) -> str:
    """A KPI's baseline and target in one cell (it may wrap after the arrow)."""
    return f"{baseline} → {target}"


def follow_up(s: ProgressReport) -> MarkdownBlock:
    today, orgs = s.today, s.orgs
    upcoming = [
        a
        for a in s.acts
        if a.status == "planned" and today <= a.start <= today + timedelta(days=NEXT_DAYS)
    ]
    points = [
        f"Start {md(a.id)} {md(a.title)} on {long_date(a.start)} (lead: {org_name(orgs, a.lead)})."
        for a in upcoming
    ]
    points += [
        f"Close or re-plan {md(a.id)} {md(a.title)}, which ended on {long_date(a.end)} and is "
        f"still {md(a.status)}."
        for a in s.late
    ]
    points += [
        f"Account for the missed {md(m.kind)} {md(m.title)} (due {long_date(m.due)})."
        for m in s.milestones
        if m.status == "missed"
    ]
    points += [
        f"Follow up the renewal of {md(o.name)} before {long_date(o.renewal_due)}."
        for o in s.renewals
        if o.renewal_due
    ]
    points += [
        f"Contact {md(o.name)} ({md(o.country)}, {md(o.status)}) personally to re-engage it."
        for o in s.inactive
    ]
    text = "\n\n".join(
        [
            f"What the data shows needs the cluster's attention as of {long_date(today)}: "
            f"activities starting within {NEXT_DAYS} days, activities past their end date but "
            "not done, missed milestones, renewals due and members not active.",
            bullets(points, "_Nothing to follow up: the cluster's activities are on track._"),
        ]
    )
    return block(text, "follow_up")


def _focus(cluster: Cluster) -> str:
    parts = []
    if cluster.focus_areas:
        parts.append("Focus areas: " + "; ".join(md(f) for f in cluster.focus_areas) + ".")
    if cluster.priorities:
        parts.append("Priorities: " + "; ".join(md(p) for p in cluster.priorities) + ".")
    return " ".join(parts) or "The cluster has not recorded its focus areas and priorities yet."


def _sources_note(s: ProgressReport) -> str:
    return (
        f"The narrative is the {writer_of(s.the_cluster)}'s, from the network data (table "
        "narratives, "
        f"cluster {md(s.the_cluster.id)}, period {md(s.period.id)}); every other section is "
        "computed from the network data."
    )


DOCUMENT = DocumentType(
    name="progress-report",
    title="Progress report",
    description="one cluster's consolidated progress report for the reporting period",
    summary="Consolidated progress report of one cluster for the reporting period.",
    scopes=(CLUSTER,),
    accent="9A4A12",
    cover=cover_lines,
    period=lambda s: period_line(s.period),
    reports_on_a_period=True,
    state=ProgressReport,
    articles=articles,
    sections=(
        section("The cluster and its members", "members", "block",
                "The cluster's members and what each contributed.", members),
        section("Membership statistics", "membership", "block",
                "Active, inactive and pending members, new members, renewals due.", membership),
        section("Planned versus achieved", "planned", "block",
                "The activities planned for the period, their status, outputs and milestones.",
                planned),
        section(None, "status_chart", "chart", "Chart of the period's activities per status.",
                status_chart, "Figure 1. Activities of the period per status"),
        section("Narrative", "narrative", "block",
                "The coordinator's achievements, impact, challenges, lessons and next steps.",
                narrative),
        section("Promising practices", "practices", "block",
                "Promising practices submitted in the period.", practices),
        section("Contribution to the KPIs", "kpis", "block",
                "The cluster's share of the KPIs, with baseline and target.", kpis),
        section("Points to follow up", "follow_up", "block",
                "Upcoming and overdue activities, missed milestones, renewals, inactive members.",
                follow_up),
        sources_section(articles, _sources_note),
    ),
)  # fmt: skip
"""The progress report's record in :data:`~.registry.REGISTRY`."""
