"""The strategy: vision, mission, the collective aspirations with live KPIs, principles."""

from __future__ import annotations

from collections import Counter

from ..kb.model import Article, KnowledgeBase
from ..network.kpis import kpi_values
from .common import (
    Inputs,
    Plan,
    article_block,
    block,
    cover,
    md,
    number,
    of_type,
    org_name,
    organisations,
    percent,
    pick,
    sources,
    table,
)

MONITORING = ("step-7-monitoring-renewal", "glossary-kpi")
USES_DATE = True
"""The document prints values as of the data's date (so it changes when the date does)."""


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the strategy uses: the principles, then the articles on monitoring."""
    return of_type(kb, "principle") + pick(kb, *MONITORING)


def context(inputs: Inputs) -> Plan:
    from . import charts  # matplotlib loads only when a document is drawn

    data, kb = inputs.data, inputs.kb
    strategy = data.strategy
    active = [o for o in data.organisations if o.status == "active"]
    principles = of_type(kb, "principle")
    monitoring = pick(kb, *MONITORING)
    used = articles(kb)

    glance = "\n\n".join(
        [
            f"{md(data.network.name)} ({md(data.network.short_name)}) connects "
            f"{len(active)} active member institutions in {len({o.country for o in active})} "
            f"countries, organised in {len(data.clusters)} clusters. Its secretariat is "
            f"{md(data.network.secretariat)}. This strategy covers {md(strategy.period)} and was "
            f"presented at the annual meeting in {md(data.network.meeting.city)} on "
            f"{data.network.meeting.date.isoformat()}.",
            table(
                ["", "Number"],
                [
                    ("Member institutions (active)", len(active)),
                    (
                        "Member institutions (pending)",
                        sum(o.status == "pending" for o in data.organisations),
                    ),
                    (
                        "Member institutions (inactive)",
                        sum(o.status == "inactive" for o in data.organisations),
                    ),
                    ("Countries", len({o.country for o in data.organisations})),
                    ("Regional clusters", sum(c.kind == "regional" for c in data.clusters)),
                    ("Thematic clusters", sum(c.kind == "thematic" for c in data.clusters)),
                    ("Activities in the action plan", len(data.activities)),
                    ("Partnerships with other institutions", len(data.partnerships)),
                ],
                right=[1],
            ),
        ]
    )
    vision = "\n\n".join(
        [
            "# Shared vision",
            md(strategy.vision),
            "# Mission statement",
            md(strategy.mission),
        ]
    )

    values = {k.id: k for k in kpi_values(data)}
    parts = []
    for n, aspiration in enumerate(strategy.aspirations, 1):
        parts.append(f"# Aspiration {n}: {md(aspiration.title)}")
        if aspiration.description:
            parts.append(md(aspiration.description))
        parts.append("**Objectives**")
        parts.append(
            "\n".join(f"{i}. {md(o.text)}" for i, o in enumerate(aspiration.objectives, 1))
            or "_None._"
        )
        rows = []
        for kpi in aspiration.kpis:
            v = values.get(kpi.id)
            rows.append(
                (
                    md(kpi.name),
                    md(kpi.unit),
                    number(kpi.baseline),
                    number(kpi.target),
                    number(v.current if v else None),
                    percent(v.progress if v else None),
                )
            )
        parts.append(
            f"**Key performance indicators** (current values computed from the "
            f"network data of {inputs.today.isoformat()})"
        )
        parts.append(
            table(
                ["Indicator", "Unit", "Baseline", "Target", "Current", "Progress"],
                rows,
                right=[2, 3, 4, 5],
            )
        )
    aspirations = "\n\n".join(parts) or "_No collective aspirations are recorded._"

    orgs = organisations(data)
    regions = Counter(o.region for o in data.organisations)
    active_regions = Counter(o.region for o in active)
    region_rows = [(md(r), active_regions[r], n) for r, n in sorted(regions.items())]
    cluster_rows = [
        (
            md(c.name),
            md(c.kind),
            org_name(orgs, c.coordinator)
            if c.coordinator
            else (md(c.convener) if c.convener else "not set"),
            sum(orgs[m].status == "active" for m in c.members if m in orgs),
            len(c.members),
        )
        for c in sorted(data.clusters, key=lambda c: (c.kind, c.name))
    ]
    membership = "\n\n".join(
        [
            "# Members per region",
            table(["Region", "Active", "All"], region_rows, right=[1, 2]),
            "# Members per cluster",
            table(
                ["Cluster", "Kind", "Coordinator or convener", "Active", "All"],
                cluster_rows,
                right=[3, 4],
            ),
        ]
    )
    chart_regions = charts.bar_chart(
        list(regions),
        [float(v) for v in regions.values()],
        what="members per region",
        unit="member institutions",
    )
    chart_clusters = charts.bar_chart(
        [c.name for c in data.clusters],
        [float(len(c.members)) for c in data.clusters],
        what="members per cluster",
        unit="member institutions",
        colours=[
            charts.PALETTE[0] if c.kind == "regional" else charts.PALETTE[1] for c in data.clusters
        ],
    )

    kpi_list = [f"**{md(v.name)}** ({md(v.unit)}): {_metric(v.metric)}" for v in values.values()]
    monitoring_text = "\n\n".join(
        [
            "The secretariat monitors the strategy through its key performance indicators. Each "
            "indicator's current value is computed from the network data every time this "
            "document is built, so the figures above always match the data named in the sources.",
            "\n".join(f"- {line}" for line in kpi_list) or "_No indicators._",
            "Clusters report once a year on their contributions; the annual meeting reviews the "
            "indicators and the action plan, and the strategy is renewed at the end of its period. "
            "The knowledge-base articles below describe how.",
        ]
    )
    monitoring_blocks = [block(monitoring_text, "monitoring")] + [
        article_block(a, 2) for a in monitoring
    ]
    net = inputs.data.network
    context = {
        **cover(
            inputs,
            f"Strategy {strategy.period}",
            f"Shared vision, mission and collective aspirations of {net.short_name}",
        ),
        "glance": block(glance, "glance"),
        "vision": block(vision, "vision"),
        "aspirations": block(aspirations, "aspirations"),
        "principles": [article_block(a, 2) for a in principles],
        "membership": block(membership, "membership"),
        "chart_regions": chart_regions,
        "chart_clusters": chart_clusters,
        "monitoring": monitoring_blocks,
        "sources": sources(inputs, used),
    }
    return Plan(context, used)


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
