"""The strategy: vision, mission, the collective aspirations with live KPIs, principles."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..kb.model import Article, KnowledgeBase
from ..network.figures import Figures, KpiFigure
from ..network.model import Cluster, Organisation
from .common import (
    article_block,
    block,
    long_date,
    md,
    of_type,
    org_name,
    percent,
    pick,
    table,
    values_in,
)
from .parts import State, section, sources_section
from .types import NETWORK, DocumentType

if TYPE_CHECKING:
    from ..render import Chart, MarkdownBlock

MONITORING = ("step-7-monitoring-renewal", "glossary-kpi")


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the strategy uses: the principles, then the articles on monitoring."""
    return of_type(kb, "principle") + pick(kb, *MONITORING)


def _figure_rows(fig: Figures, *names: str) -> list[tuple[str, str]]:
    return [(md(fig[n].label), fig[n].text) for n in names if n in fig.network]


def kpi_table(kpis: Sequence[KpiFigure]) -> str:
    """The KPI table: each KPI with baseline, target, current value and progress; a KPI whose
    current value or progress cannot be computed is left out, with a sentence saying why."""
    rows = [
        (md(k.name), *values_in(k.unit, k.baseline, k.target, k.current), percent(k.progress))
        for k in kpis
        if k.current is not None and k.progress is not None
    ]
    parts = [
        table(["Indicator", "Baseline", "Target", "Current", "Progress"], rows, right=[1, 2, 3, 4])
        if rows
        else ""
    ]
    parts += [f"{md(k.name)} is not shown: {md(k.reason)}." for k in kpis if k.progress is None]
    return "\n\n".join(p for p in parts if p)


def cover_lines(s: State) -> tuple[str, str]:
    net = s.data.network
    return (
        f"Strategy {s.data.strategy.period}",
        f"Shared vision, mission and collective aspirations of {net.short_name}",
    )


def glance(s: State) -> MarkdownBlock:
    data, fig, strategy = s.data, s.fig, s.data.strategy
    plan = fig.plan()
    text = "\n\n".join(
        [
            f"{md(data.network.name)} ({md(data.network.short_name)}) connects "
            f"{fig['members-active'].text} active member institutions in "
            f"{fig['countries-active'].text} countries (countries with at least one active "
            f"member), organised in {fig['clusters'].text} clusters. Its secretariat is "
            f"{md(data.network.secretariat)}. This strategy covers {md(strategy.period)} and is "
            f"presented at the annual meeting in {md(data.network.meeting.city)} on "
            f"{long_date(s.inputs.meeting)}.",
            table(
                ["", "Number"],
                _figure_rows(
                    fig,
                    "members-active",
                    "members-pending",
                    "members-inactive",
                    "countries-active",
                    "countries",
                    "clusters-regional",
                    "clusters-thematic",
                )
                + [
                    (
                        f"Activities in the action plan {plan.first.year}–{plan.last.year}",
                        fig["activities-in-plan"].text,
                    )
                ]
                + _figure_rows(fig, "partnerships"),
                right=[1],
            ),  # fmt: skip
            f"Figures as of {long_date(s.today)}. Countries are counted once however many "
            "members they have; the first count includes only countries with an active member, "
            "the second every country with a member of any status.",
        ]
    )
    return block(text, "glance")


def vision(s: State) -> MarkdownBlock:
    strategy = s.data.strategy
    text = "\n\n".join(
        [
            "# Shared vision",
            md(strategy.vision),
            "# Mission statement",
            md(strategy.mission),
        ]
    )
    return block(text, "vision")


def aspirations(s: State) -> MarkdownBlock:
    parts = []
    for n, aspiration in enumerate(s.data.strategy.aspirations, 1):
        parts.append(f"# Aspiration {n}: {md(aspiration.title)}")
        if aspiration.description:
            parts.append(md(aspiration.description))
        if aspiration.objectives:
            parts.append("**Objectives**")
            parts.append(
                "\n".join(f"{i}. {md(o.text)}" for i, o in enumerate(aspiration.objectives, 1))
            )
        mine = [k for k in s.fig.kpis if k.aspiration == aspiration.id]
        if mine:
            parts.append(
                f"**Key performance indicators** (current values computed from the network data "
                f"as of {long_date(s.today)})"
            )
            parts.append(kpi_table(mine))
    return block("\n\n".join(parts) or "_No collective aspirations are recorded._", "aspirations")


def principles(s: State) -> list[MarkdownBlock]:
    return [article_block(s.inputs, a, 2) for a in of_type(s.kb, "principle")]


def membership(s: State) -> MarkdownBlock:
    data, fig = s.data, s.fig
    region_rows = [
        (md(r), str(active), str(every)) for r, (active, every) in s.fig.members_per_region.items()
    ]
    region_rows.append(
        ("**All regions**", f"**{fig['members-active'].text}**", f"**{fig['members'].text}**")
    )
    cluster_rows = [
        (
            md(c.name),
            md(c.kind),
            _leader(s.orgs, c),
            str(fig.clusters[c.id].active_members),
            str(fig.clusters[c.id].members),
        )
        for c in sorted(data.clusters, key=lambda c: (c.kind, c.name))
    ]
    text = "\n\n".join(
        [
            "# Members per region",
            table(["Region", "Active", "All"], region_rows, right=[1, 2]),
            "# Members per cluster",
            "Members choose the clusters they join: "
            f"{fig['members-in-regional-cluster'].text} of the {fig['members'].text} member "
            f"institutions belong to a regional cluster and "
            f"{fig['members-in-thematic-cluster'].text} take part in a thematic cluster. A member "
            "may belong to several clusters, so the clusters' members add up to more than the "
            "network's.",
            table(
                ["Cluster", "Kind", "Coordinator or convener", "Active", "All"],
                cluster_rows,
                right=[3, 4],
            ),
        ]
    )
    return block(text, "membership")


def chart_regions(s: State) -> Chart | str:
    from . import charts  # matplotlib loads only when a document is drawn

    return charts.bar_chart(
        list(s.fig.members_per_region),
        [Decimal(every) for _active, every in s.fig.members_per_region.values()],
        what="member institutions per region (any status)",
        unit="member institutions",
    )


def chart_clusters(s: State) -> Chart | str:
    from . import charts

    clusters = s.data.clusters
    return charts.bar_chart(
        [c.name for c in clusters],
        [Decimal(s.fig.clusters[c.id].members) for c in clusters],
        what="member institutions per cluster (any status)",
        unit="member institutions",
        colours=[
            charts.PALETTE[0] if c.kind == "regional" else charts.PALETTE[1] for c in clusters
        ],
    )


def monitoring(s: State) -> list[MarkdownBlock]:
    fig = s.fig
    kpi_list = [f"**{md(k.name)}** ({md(k.unit)}): {_metric(k.metric)}" for k in fig.kpis]
    text = "\n\n".join(
        [
            f"The secretariat monitors the strategy through its {fig['kpis'].text} key "
            "performance indicators. Each indicator's current value is computed from the network "
            "data every time this document is built, so the figures above always match the data "
            "named in the sources.",
            "\n".join(f"- {line}" for line in kpi_list) or "_No indicators are recorded._",
            "Clusters report once a year on their contributions; the annual meeting reviews the "
            "indicators and the action plan, and the strategy is renewed at the end of its period. "
            "The knowledge-base articles below describe how.",
        ]
    )
    return [block(text, "monitoring")] + [
        article_block(s.inputs, a, 2) for a in pick(s.kb, *MONITORING)
    ]


def _leader(orgs: dict[str, Organisation], cluster: Cluster) -> str:
    """Who leads a cluster: the coordinating organisation of a regional one, the convener of a
    thematic one (either, when only that is recorded)."""
    if cluster.kind == "thematic" and cluster.convener:
        return f"{md(cluster.convener)} (convener)"
    if cluster.coordinator:
        return org_name(orgs, cluster.coordinator)
    if cluster.convener:
        return f"{md(cluster.convener)} (convener)"
    return "no coordinator or convener yet"


METRICS = {
    "active-members": "the number of active member institutions",
    "countries": "the number of countries with an active member",
    "member-participation": "the share of active members leading or partnering in an ongoing "
    "or completed activity",
    "activities-done": "the number of completed activities under the aspiration",
    "funding-mobilised": "the budget of ongoing and completed activities funded by the "
    "named sources",
    "partnerships": "the number of partnerships with other institutions",
    "manual": "a value entered by the secretariat",
}


def _metric(metric: str) -> str:
    return METRICS.get(metric, md(metric))


DOCUMENT = DocumentType(
    name="strategy",
    title="Strategy",
    description="the 5-year strategy: vision, mission, aspirations with live KPIs",
    summary="The network's 5-year strategy: shared vision, mission, collective aspirations "
    "with their KPIs.",
    scopes=(NETWORK,),
    accent="1F4E79",
    cover=cover_lines,
    articles=articles,
    sections=(
        section("The network at a glance", "glance", "block",
                "The network, its clusters and members in figures.", glance),
        section("Shared vision and mission", "vision", "block",
                "The shared vision and the mission statement.", vision),
        section("Collective aspirations", "aspirations", "block",
                "Each aspiration with its objectives and KPI table (baseline, target, current).",
                aspirations),
        section("Guiding principles", "principles", "loop",
                "The guiding principles from the knowledge base, one block each.", principles),
        section("Membership", "membership", "block", "Membership overview tables.", membership),
        section(None, "chart_regions", "chart", "Chart of members per region.", chart_regions,
                "Figure 1. Members per region"),
        section(None, "chart_clusters", "chart", "Chart of members per cluster.", chart_clusters,
                "Figure 2. Members per cluster"),
        section("How the strategy is monitored", "monitoring", "loop",
                "How the KPIs are computed, then the KB articles on monitoring and renewal.",
                monitoring),
        sources_section(articles),
    ),
)  # fmt: skip
"""The strategy's record in :data:`~.registry.REGISTRY`."""
