"""The strategy: the document the network adopts for its strategy period.

Foreword (the knowledge base's page ``foreword``), an executive summary generated from the
edition's figures, vision and mission, the aspirations with their objectives, the results
framework (one row per KPI), governance in brief (one paragraph per role, pointing to the
handbook for the rest), monitoring and evaluation, the risks from the risk register, the
membership overview and the sources. It holds no handbook text: every reference to something
it does not print names the handbook and its section.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from ..kb.model import Article, KnowledgeBase
from ..network.figures import Figures, KpiFigure
from ..network.model import (
    KPI,
    ROLES,
    Aspiration,
    Cluster,
    Organisation,
    Risk,
    reporting_period,
)
from .common import (
    article_block,
    block,
    by_score,
    date_range,
    long_date,
    md,
    org_name,
    owner_name,
    pick,
    plain_text,
    role_name,
    strategy_period,
    table,
    values_in,
)
from .parts import State, section, sources_section
from .types import NETWORK, DocumentType

if TYPE_CHECKING:
    from ..render import Chart, MarkdownBlock, Picture

FOREWORD = "foreword"
"""Id of the knowledge base's page printed as the foreword."""
HANDBOOK_ROLES = "see the handbook, section “Roles in the network”"
"""Where the roles are described in full (the handbook's part of that heading)."""


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the strategy uses: the foreword, then the role articles whose
    summaries describe the roles in brief."""
    return pick(kb, FOREWORD, *ROLES)


# -- shared helpers ----------------------------------------------------------------------------

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number_word(count: int) -> str:
    return _WORDS[count] if count < len(_WORDS) else str(count)


def aspirations_heading(count: int) -> str:
    """The Heading 1 of the aspirations: ``The four aspirations`` (digits past ten)."""
    if count == 0:
        return "Collective aspirations"
    if count == 1:
        return "The collective aspiration"
    return f"The {_number_word(count)} aspirations"


def _figure_rows(fig: Figures, *names: str) -> list[tuple[str, str]]:
    return [(md(fig[n].label), fig[n].text) for n in names if n in fig.network]


def _current(k: KpiFigure) -> str:
    """The KPI's current value as printed, or why there is none."""
    if k.current is None:
        return "not available"
    return values_in(k.unit, k.current)[0]


def _numbered(aspiration: Aspiration, n: int) -> dict[str, str]:
    """Objective id -> its number as printed (``1.2``) within aspiration ``n``."""
    return {o.id: f"{n}.{i}" for i, o in enumerate(aspiration.objectives, 1)}


FREQUENCIES = {
    "monthly": "Monthly",
    "quarterly": "Quarterly",
    "half-yearly": "Half-yearly",
    "yearly": "Yearly",
    "end-of-period": "End of the strategy period",
}
"""How a KPI's frequency is printed."""


def frequency_name(frequency: str | None) -> str:
    return FREQUENCIES.get(frequency, md(frequency)) if frequency else "not recorded"


# -- cover and foreword ------------------------------------------------------------------------


def cover_lines(s: State) -> tuple[str, str]:
    net = s.data.network
    return (
        f"Strategy {strategy_period(s.data)}",
        f"Shared vision, mission and collective aspirations of {net.short_name}",
    )


def foreword(s: State) -> MarkdownBlock:
    """The foreword page's text (its title is the part's heading)."""
    found = pick(s.kb, FOREWORD)
    if not found:
        return block(
            "_No foreword is written yet: the secretariat writes it in the knowledge base's "
            "page `pages/foreword.md` (id `foreword`)._",
            "foreword",
        )
    # its title is left out (the template prints the part's heading); a link to an article the
    # strategy does not hold names where the handbook has it
    return article_block(s.inputs, found[0], 1, title=False)


# -- executive summary -------------------------------------------------------------------------


def summary(s: State) -> MarkdownBlock:
    data, fig, strategy = s.data, s.fig, s.data.strategy
    plan = fig.plan()
    figures = table(
        ["The network", "Number"],
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
    )
    lines = [
        f"{n}. **{md(a.title)}**" + (f": {md(a.description)}" if a.description else "")
        for n, a in enumerate(strategy.aspirations, 1)
    ]
    parts = [
        f"{md(data.network.name)} ({md(data.network.short_name)}) connects "
        f"{fig['members-active'].text} active member institutions in "
        f"{fig['countries-active'].text} countries, organised in {fig['clusters'].text} "
        f"clusters. This strategy sets out what the network wants to achieve in "
        f"{md(strategy_period(data))}: a shared vision, a mission and "
        f"{fig['aspirations'].text} collective aspirations, measured by "
        f"{fig['kpis'].text} key performance indicators.",
        "# The network in figures",
        figures,
        f"Figures as of {long_date(s.today)}. Countries are counted once however many "
        "members they have; the first count includes only countries with an active member, "
        "the second every country with a member of any status.",
        "# Vision",
        md(strategy.vision),
        "# Collective aspirations",
        "\n".join(lines) or "_No collective aspirations are recorded._",
        "# Headline indicators",
        headline_table(s),
    ]
    return block("\n\n".join(parts), "summary")


def headline_kpis(s: State) -> list[KpiFigure]:
    """The first KPI of each aspiration that has one, in the aspirations' order."""
    out = []
    for aspiration in s.data.strategy.aspirations:
        mine = [k for k in s.fig.kpis if k.aspiration == aspiration.id]
        if mine:
            out.append(mine[0])
    return out


def headline_table(s: State) -> str:
    titles = {a.id: a.title for a in s.data.strategy.aspirations}
    kpis = headline_kpis(s)
    rows = [
        (
            md(titles[k.aspiration]),
            md(k.name),
            *values_in(k.unit, k.baseline, k.target),
            _current(k),
        )
        for k in kpis
    ]
    if not rows:
        return "_No key performance indicators are recorded._"
    return "\n\n".join(
        [
            "The first indicator of each aspiration; the results framework below gives every "
            f"indicator, current values as of {long_date(s.today)}.",
            table(
                ["Aspiration", "Headline indicator", "Baseline", "Target", "Current"],
                rows,
                right=[2, 3, 4],
            ),
            *_not_available(kpis),
        ]
    )


def _not_available(kpis: Sequence[KpiFigure]) -> list[str]:
    return [
        f"The current value of {md(k.name)} is not available: {md(k.reason)}."
        for k in kpis
        if k.current is None
    ]


# -- vision, aspirations -----------------------------------------------------------------------


def vision(s: State) -> MarkdownBlock:
    strategy = s.data.strategy
    text = "\n\n".join(
        ["# Shared vision", md(strategy.vision), "# Mission statement", md(strategy.mission)]
    )
    return block(text, "vision")


def aspirations(s: State) -> MarkdownBlock:
    """A Heading 1 naming how many aspirations there are, then each with its objectives."""
    found = s.data.strategy.aspirations
    parts = [f"# {aspirations_heading(len(found))}"]
    if not found:
        parts.append("_No collective aspirations are recorded._")
    for n, aspiration in enumerate(found, 1):
        parts.append(f"## Aspiration {n}: {md(aspiration.title)}")
        if aspiration.description:
            parts.append(md(aspiration.description))
        numbers = _numbered(aspiration, n)
        if aspiration.objectives:
            parts.append("**Objectives**")
            parts.append(
                "\n".join(f"- {numbers[o.id]} {md(o.text)}" for o in aspiration.objectives)
            )
        else:
            parts.append("_No objectives are recorded for this aspiration._")
        names = [md(k.name) for k in aspiration.kpis]
        if names:
            measured = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            parts.append(f"Measured by: {measured} (see the results framework below).")
    return block("\n\n".join(parts), "aspirations", level=1)


# -- results framework -------------------------------------------------------------------------


RESULTS_HEADERS = ("Indicator", "Baseline → target", "Current", "Owner: data source, frequency")
"""The results framework's columns; an aspiration's and an objective's rows name them in the
first column, above their indicators."""


def reporting_cell(s: State, kpi: KPI) -> str:
    """Who owns a KPI, from which data source, how often: ``**Secretariat**: membership
    register, quarterly``."""
    source = md(kpi.source) if kpi.source else "data source not recorded"
    frequency = frequency_name(kpi.frequency)
    return f"**{owner_name(s.orgs, kpi.owner)}**: {source}, {frequency[:1].lower()}{frequency[1:]}"


def results_rows(s: State) -> list[tuple[str, ...]]:
    """The results framework's rows: each aspiration, then each of its objectives with the
    indicators measuring it (the KPIs naming no objective of the aspiration come last, under
    its objectives together), one row per KPI with its baseline, target, current value, owner,
    data source and frequency."""
    figures = {k.id: k for k in s.fig.kpis}
    rows: list[tuple[str, ...]] = []
    blank = ("",) * (len(RESULTS_HEADERS) - 1)
    for n, aspiration in enumerate(s.data.strategy.aspirations, 1):
        rows.append((f"**Aspiration {n}: {md(aspiration.title)}**", *blank))
        numbers = _numbered(aspiration, n)
        measuring = {o.id: [k for k in aspiration.kpis if k.objective == o.id]
                     for o in aspiration.objectives}  # fmt: skip
        for objective in aspiration.objectives:
            title = f"*Objective {numbers[objective.id]}: {md(objective.text)}*"
            if not measuring[objective.id]:
                title += " (no indicator measures it yet)"
            rows.append((title, *blank))
            rows += [_result_row(s, figures[k.id], k) for k in measuring[objective.id]]
        rest = [k for k in aspiration.kpis if k.objective not in measuring]
        if rest:
            if numbers:
                what = "Objective" if len(numbers) == 1 else "Objectives"
                rows.append((f"*{what} {_listed(list(numbers.values()))} together*", *blank))
            rows += [_result_row(s, figures[k.id], k) for k in rest]
    return rows


def _result_row(s: State, k: KpiFigure, kpi: KPI) -> tuple[str, ...]:
    baseline, target = values_in(k.unit, k.baseline, k.target)
    return (md(kpi.name), f"{baseline} → {target}", _current(k), reporting_cell(s, kpi))


def results(s: State) -> MarkdownBlock:
    if not s.fig.kpis:
        return block("_No key performance indicators are recorded._", "results")
    text = "\n\n".join(
        [
            "Each aspiration is pursued through its objectives, and each objective is measured by "
            "indicators with a baseline at the start of the strategy period and a target for its "
            f"end. Current values are computed from the network data as of {long_date(s.today)}. "
            "The owner measures and reports each indicator, from the data source named, as often "
            "as stated.",
            table(RESULTS_HEADERS, results_rows(s), right=[1, 2]),
            *_not_available(s.fig.kpis),
        ]
    )
    return block(text, "results")


# -- governance, monitoring --------------------------------------------------------------------

ROLE_WORDS = {
    "secretariat": "The small permanent team that runs the network day to day, supports the "
    "clusters and gives visibility to their results.",
    "focal-point": "The member of the secretariat's staff assigned to a cluster: its contact "
    "with the secretariat.",
    "cluster-coordinator": "The coordinating centre of a regional cluster, which facilitates its "
    "members' activities and liaises with the cluster's focal point.",
    "centre-coordinator": "The person in each member institution who is its contact with the "
    "network and engages its national network.",
    "convener": "The lead of a thematic cluster, who engages the interested partners and "
    "facilitates the cluster's reporting.",
    "member-institution": "A VET institution that has joined the network; its VET leader "
    "renews the membership and takes part in the annual meeting.",
}
"""What each role is, in brief, when the knowledge base has no article on it."""


def governance(s: State) -> MarkdownBlock:
    described = {a.id: a for a in pick(s.kb, *ROLES)}
    paragraphs = [
        f"The network keeps its structures light. The members meet once a year at the annual "
        f"meeting, which adopts the strategy and the action plan and reviews the results. The "
        f"work happens in {s.fig['clusters'].text} clusters, {s.fig['clusters-regional'].text} "
        f"regional and {s.fig['clusters-thematic'].text} thematic, with the support of the "
        f"secretariat. {_number_word(len(ROLES)).capitalize()} roles carry the strategy:"
    ]
    for role in ROLES:
        article = described.get(role)
        text = (
            md(plain_text(s.inputs, article.meta.summary))
            if article is not None and article.meta.summary
            else md(ROLE_WORDS[role])
        )
        paragraphs.append(f"**{md(role_name(role))}.** {text}")
    paragraphs.append(
        "The responsibilities of each role, what it gains and how it communicates with the "
        f"others are set out in full in the network's handbook ({HANDBOOK_ROLES})."
    )
    return block("\n\n".join(paragraphs), "governance")


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reporting_rows(s: State) -> list[tuple[str, str, str, str]]:
    """Who reports what, to whom, how often: the KPIs by owner and frequency, then the
    clusters' reports to the secretariat and the secretariat's to the annual meeting."""
    groups: dict[tuple[str, str], list[str]] = {}
    for aspiration in s.data.strategy.aspirations:
        for kpi in aspiration.kpis:
            key = (kpi.owner or "", kpi.frequency or "")
            groups.setdefault(key, []).append(f"*{md(kpi.name)}*")
    rows = []
    owners = list(dict.fromkeys(owner for owner, _frequency in groups))
    order = list(FREQUENCIES)
    for owner, frequency in sorted(
        groups,
        key=lambda g: (owners.index(g[0]), order.index(g[1]) if g[1] in order else len(order)),
    ):
        names = groups[(owner, frequency)]
        to = "Annual meeting, in the annual report" if owner == "secretariat" else "Secretariat"
        what = "The indicator" if len(names) == 1 else "The indicators"
        rows.append(
            (owner_name(s.orgs, owner or None), f"{what} {_listed(names)}", to,
             frequency_name(frequency or None))
        )  # fmt: skip
    period = reporting_period(s.data, s.inputs.meeting)
    rows += [
        (
            "Cluster coordinators and conveners",
            "The cluster's progress report: activities planned and achieved, achievements, "
            "impact, challenges, lessons learned and next steps",
            "Secretariat, through the cluster's focal point",
            f"Once per reporting period (now {date_range(period.start, period.end)})",
        ),
        (
            "Secretariat",
            "The network's annual report, consolidating the clusters' reports, with every "
            "indicator's current value",
            "Annual meeting",
            "Yearly, at the annual meeting",
        ),
    ]
    return rows


def monitoring(s: State) -> MarkdownBlock:
    fig = s.fig
    measured = [f"**{md(k.name)}** ({md(k.unit)}): {_metric(k.metric)}" for k in fig.kpis]
    text = "\n\n".join(
        [
            "Reporting follows the network's structure: members report to their cluster, the "
            "clusters to the secretariat, and the secretariat to the annual meeting, which "
            "reviews the results and adjusts the action plan.",
            "# Who reports what",
            table(["Who reports", "What", "To whom", "How often"], reporting_rows(s)),
            "# How the indicators are measured",
            f"The {fig['kpis'].text} indicators' current values are computed from the network "
            "data each time this document is built, so they always match the data named in the "
            "sources:",
            "\n".join(f"- {line}" for line in measured) or "_No indicators are recorded._",
            "# Evaluation and renewal",
            "Each year the annual meeting compares the indicators with their targets and "
            "adjusts the action plan. In the fourth year of the strategy period a new baseline "
            "is taken and the strategy is renewed, with the members, for the next five years.",
        ]
    )
    return block(text, "monitoring")


METRICS = {
    "active-members": "the number of active member institutions",
    "countries": "the number of countries with an active member",
    "member-participation": "the share of active members leading or partnering in an ongoing "
    "or completed activity",
    "activities-done": "the number of completed activities under the aspiration (of the "
    "KPI's category, when it names one)",
    "funding-mobilised": "the budget of ongoing and completed activities funded by the "
    "named sources",
    "partnerships": "the number of partnerships with other institutions",
    "manual": "a value entered by the secretariat",
}


def _metric(metric: str) -> str:
    return METRICS.get(metric, md(metric))


# -- risks -------------------------------------------------------------------------------------

RISK_STATUSES = {"open": "Open", "monitored": "Monitored", "closed": "Closed"}
RISK_HEADERS = ("Risk", "Score (likelihood × impact)", "Mitigation", "Owner", "Status")


def sorted_risks(s: State) -> list[Risk]:
    """The risk register by score, highest first (then by likelihood, then id)."""
    return by_score(s.data.risks)


def risks(s: State) -> MarkdownBlock:
    numbers = {a.id: n for n, a in enumerate(s.data.strategy.aspirations, 1)}
    clusters = {c.id: c.name for c in s.data.clusters}
    rows = []
    for r in sorted_risks(s):
        concerns = []
        if r.aspiration:
            concerns.append(
                f"aspiration {numbers[r.aspiration]}"
                if r.aspiration in numbers
                else md(r.aspiration)
            )
        if r.cluster:
            concerns.append(md(clusters.get(r.cluster, r.cluster)))
        what = md(r.risk) + (f" ({'; '.join(concerns)})" if concerns else "")
        rows.append(
            (what, f"**{r.score}** ({r.likelihood}\u00a0×\u00a0{r.impact})", md(r.mitigation),
             owner_name(s.orgs, r.owner), RISK_STATUSES.get(r.status, md(r.status)))
        )  # fmt: skip
    if not rows:
        return block("_No risks are recorded in the risk register._", "risks")
    text = "\n\n".join(
        [
            "The risks that could keep the network from reaching its aspirations, from the "
            "network's risk register. Likelihood and impact are each rated from 1 (rare, minor) "
            "to 5 (almost certain, severe); the score is their product, from 1 to 25, and the "
            "risks are listed from the highest score down.",
            table(
                list(RISK_HEADERS),
                rows,
            ),
        ]
    )
    return block(text, "risks")


# -- membership --------------------------------------------------------------------------------


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
        for c in data.clusters_in_order()
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


def chart_regions(s: State) -> Chart | Picture | str:
    from . import charts  # matplotlib loads only when a document is drawn

    return charts.bar_chart(
        list(s.fig.members_per_region),
        [Decimal(every) for _active, every in s.fig.members_per_region.values()],
        what="member institutions per region (any status)",
        unit="member institutions",
    )


def chart_clusters(s: State) -> Chart | Picture | str:
    from . import charts

    clusters = s.data.clusters_in_order()
    return charts.bar_chart(
        [c.name for c in clusters],
        [Decimal(s.fig.clusters[c.id].members) for c in clusters],
        what="member institutions per cluster (any status)",
        unit="member institutions",
        colours=[
            charts.PALETTE[0] if c.kind == "regional" else charts.PALETTE[1] for c in clusters
        ],
        legend={"regional cluster": charts.PALETTE[0], "thematic cluster": charts.PALETTE[1]},
    )


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


DOCUMENT = DocumentType(
    name="strategy",
    title="Strategy",
    description="the 5-year strategy: vision, mission, aspirations, results framework, risks",
    summary="The network's 5-year strategy: foreword, executive summary, shared vision and "
    "mission, collective aspirations, results framework, governance, monitoring and risks.",
    scopes=(NETWORK,),
    accent="1F4E79",
    cover=cover_lines,
    period=lambda s: f"Strategy period {strategy_period(s.data)}",
    articles=articles,
    sections=(
        section("Foreword", "foreword", "block",
                "The secretariat's foreword: the knowledge base's page 'foreword', without its "
                "title.", foreword),
        section("Executive summary", "summary", "block",
                "The network in figures, the vision, each aspiration in one line and the "
                "headline KPIs (the first of each aspiration).", summary),
        section("Vision and mission", "vision", "block",
                "The shared vision and the mission statement.", vision),
        section(None, "aspirations", "block",
                "Its own Heading 1 naming how many aspirations there are ('The four "
                "aspirations'), then each aspiration with its objectives.", aspirations),
        section("Results framework", "results", "block",
                "One table, one row per KPI: aspiration, objective, indicator, baseline, "
                "target, current value, owner, data source and frequency.", results),
        section("Governance in brief", "governance", "block",
                "One paragraph per role, and where the handbook describes them.", governance),
        section("Monitoring and evaluation", "monitoring", "block",
                "Who reports what, to whom and how often; how the KPIs are measured.",
                monitoring),
        section("Risks to the strategy", "risks", "block",
                "The risk register, sorted by score (likelihood times impact).", risks),
        section("Membership overview", "membership", "block", "Membership overview tables.",
                membership),
        section(None, "chart_regions", "chart", "Chart of members per region.", chart_regions,
                "Figure 1. Members per region"),
        section(None, "chart_clusters", "chart", "Chart of members per cluster.", chart_clusters,
                "Figure 2. Members per cluster"),
        sources_section(articles),
    ),
)  # fmt: skip
"""The strategy's record in :data:`~.registry.REGISTRY`."""
