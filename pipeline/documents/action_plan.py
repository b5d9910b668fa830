"""The action plan: activities per aspiration, timeline, budget and funding, points to watch.

The plan covers the edition's year and the next (the next one to two years), plus any activity
still open from before (it is flagged as overdue).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from ..kb.model import Article, KnowledgeBase
from ..network.figures import STATUSES, PlanFigures, has_cents, overdue, plan_period
from ..network.model import Activity, Aspiration
from .common import (
    Inputs,
    block,
    iso,
    leader_line,
    long_date,
    md,
    money,
    org_name,
    pick,
    table,
)
from .parts import State, section, sources_section
from .types import CLUSTER, NETWORK, DocumentType

if TYPE_CHECKING:
    from ..render import Chart, MarkdownBlock

EU_FUNDING = re.compile(
    r"erasmus|esf|horizon|interreg|creative europe|\beu\b|european", re.IGNORECASE
)
"""Funding sources that are EU funding programmes (shown apart from other sources)."""
PROMOTION = re.compile(
    r"promot|campaign|awareness|visibility|showcase|skills day|fair\b|video|media|"
    r"communicat|ambassador|open day|competition|attractive",
    re.IGNORECASE,
)
"""Words in an activity's title or outputs that make it a promotion activity."""


Money = Callable[[Decimal], str]


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the action plan uses."""
    return pick(kb, "step-6-action-plans")


def period(inputs: Inputs) -> tuple[date, date]:
    """First and last day the plan covers: the edition's year and the next."""
    return plan_period(inputs.meeting)


def is_eu(source: str | None) -> bool:
    return bool(source and EU_FUNDING.search(source))


NO_SOURCE = "No source named"


def _source(name: str) -> str:
    return md(name) if name else NO_SOURCE


def _total_table(head: str, rows: list[tuple[str, Decimal]], total: str, fmt: Money) -> str:
    """Rows of amounts and, when there are any, their total in bold: the exact sum of the rows
    as printed (amounts are never rounded)."""
    if not rows:
        return ""
    lines = [(label, fmt(amount)) for label, amount in rows]
    lines.append((f"**{total}**", f"**{fmt(sum((a for _l, a in rows), Decimal(0)))}**"))
    return table([head, "Budget"], lines, right=[1])


class ActionPlan(State):
    """What the action plan's parts share: the plan's figures and activities."""

    @cached_property
    def figures(self) -> PlanFigures:
        return self.fig.plan(self.cluster.id if self.cluster else None)

    @cached_property
    def by_id(self) -> dict[str, Activity]:
        return {a.id: a for a in self.data.activities}

    @cached_property
    def acts(self) -> list[Activity]:
        """The plan's activities."""
        return [self.by_id[i] for i in self.figures.activities]

    @cached_property
    def aspirations(self) -> dict[str, Aspiration]:
        return {a.id: a for a in self.data.strategy.aspirations}

    @cached_property
    def cents(self) -> bool:
        """Some budget has cents: every amount is printed with them."""
        return any(has_cents(a.budget) for a in self.acts if a.budget is not None)

    def fmt(self, amount: Decimal, currency: str | None = None) -> str:
        main = self.figures.main_currency
        return money(amount, main if currency is None else currency, self.cents)


def cover_lines(s: ActionPlan) -> tuple[str, str]:
    net, cluster = s.data.network, s.cluster
    title = f"Action plan {s.figures.first.year}–{s.figures.last.year}"
    subtitle = (
        f"{cluster.name}, {leader_line(s.data, cluster)}"
        if cluster
        else f"Promotion of VET and effective use of EU funding in {net.short_name}"
    )
    return title, subtitle


def intro(s: ActionPlan) -> MarkdownBlock:
    data, cluster, figures, acts = s.data, s.cluster, s.figures, s.acts
    first, last = figures.first, figures.last
    scope = f"the {md(cluster.name)}" if cluster else f"the whole of {md(data.network.name)}"
    statuses = figures.per_status
    main = figures.main_currency
    main_total = figures.budget_by_currency.get(main, Decimal(0))
    elsewhere = [(c, v) for c, v in figures.budget_by_currency.items() if c != main]
    if cluster:
        count_label = f"Activities of this cluster, {first.year}–{last.year}"
        budget_rows = [("Total budget of this cluster's activities (not counting cancelled)",
                        s.fmt(main_total, main))]  # fmt: skip
    else:
        count_label = s.fig["activities-in-plan"].label + f" {first.year}–{last.year}"
        budget_rows = [(s.fig["budget-in-plan"].label, s.fmt(main_total, main))]
    if elsewhere:
        budget_rows.append(
            ("Budget in other currencies (not counting cancelled)",
             "; ".join(s.fmt(v, c) for c, v in elsewhere))
        )  # fmt: skip
    text = "\n\n".join(
        [
            f"This action plan covers {scope} from {long_date(first)} to {long_date(last)}. It "
            f"turns the collective aspirations of the strategy ({md(data.strategy.period)}) into "
            f"{len(acts)} concrete activities, each with a lead organisation, partners, timing, "
            "budget and funding source, with a focus on the promotion of VET and the effective "
            "use of EU funding.",
            table(
                ["", "Value"],
                [
                    (count_label, str(len(acts))),
                    (
                        "Planned / ongoing / done / cancelled",
                        " / ".join(str(statuses[st]) for st in STATUSES),
                    ),
                    *budget_rows,
                    ("Figures as of", long_date(s.today)),
                ],
            ),
        ]
        + ([f"The cluster is {md(leader_line(data, cluster))}."] if cluster else [])
    )
    return block(text, "intro")


def activities(s: ActionPlan) -> MarkdownBlock:
    groups: dict[str, list[Activity]] = defaultdict(list)
    for a in s.acts:
        groups[a.aspiration].append(a)
    headers = ["Activity", "Lead", "Partners", "Start", "End", "Status", "Budget", "Funding"]
    sections = []
    for n, (aid, aspiration) in enumerate(s.aspirations.items(), 1):
        rows = [_row(a, s.orgs, s.today, s.cents) for a in groups.get(aid, [])]
        sections.append(f"# Aspiration {n}: {md(aspiration.title)}")
        sections.append(
            table(headers, rows, right=[6])
            if rows
            else "_No activities under this aspiration in this period._"
        )
    orphans = [a for a in s.acts if a.aspiration not in s.aspirations]
    if orphans:
        sections += [
            "# Not linked to an aspiration",
            table(headers, [_row(a, s.orgs, s.today, s.cents) for a in orphans], right=[6]),
        ]
    return block("\n\n".join(sections), "activities")


def timeline(s: ActionPlan) -> MarkdownBlock:
    text = (
        f"Each bar runs from an activity's start to its end; the red line marks "
        f"{long_date(s.today)}, the date the figures are as of."
        if s.acts
        else "_There are no activities to show._"
    )
    return block(text, "timeline")


def gantt_chart(s: ActionPlan) -> Chart | str:
    from . import charts  # matplotlib loads only when a document is drawn

    return charts.gantt(s.acts, s.today)


def budget(s: ActionPlan) -> MarkdownBlock:
    figures, aspirations = s.figures, s.aspirations
    main_currency = figures.main_currency
    by_source = figures.budget_by_source
    eu = [(_source(k), v) for k, v in by_source.items() if is_eu(k)]
    other = [(_source(k), v) for k, v in by_source.items() if not is_eu(k)]
    per_aspiration = [
        (md(aspirations[k].title if k in aspirations else k), v)
        for k, v in figures.budget_by_aspiration.items()
    ]
    others = [c for c in figures.currencies if c != main_currency]
    budget_parts = [
        f"Budgets of activities that are not cancelled, in {md(main_currency)}"
        + (
            f" (activities in {', '.join(md(c) for c in others)} are listed in the tables "
            "above and counted in the total budget there)."
            if others
            else "."
        )
        + " Every amount is printed exactly, so each total is the sum of the rows above it.",
        "# EU funding programmes",
        _total_table("Funding source", eu, "All EU programmes", s.fmt)
        or "_No activity in this plan is funded by an EU programme._",
        "# Other sources",
        _total_table("Funding source", other, "All other sources", s.fmt)
        or "_Every budget in this plan comes from an EU programme._",
        "# Per aspiration",
        _total_table("Aspiration", per_aspiration, "All aspirations", s.fmt)
        or "_No budgets are recorded._",
    ]
    return block("\n\n".join(budget_parts), "budget")


def budget_chart(s: ActionPlan) -> Chart | str:
    from . import charts

    main_currency = s.figures.main_currency
    by_source = s.figures.budget_by_source
    sources_sorted = sorted(by_source.items(), key=lambda kv: (not is_eu(kv[0]), kv[0]))
    return charts.bar_chart(
        [k or NO_SOURCE for k, _ in sources_sorted],
        [v for _, v in sources_sorted],
        what=f"budget per funding source in {main_currency} (EU programmes in blue)",
        unit=main_currency,
        colours=[charts.PALETTE[0] if is_eu(k) else charts.PALETTE[3] for k, _ in sources_sorted],
        currency=main_currency,
    )


def promotion(s: ActionPlan) -> MarkdownBlock:
    orgs = s.orgs
    promo = [a for a in s.acts if PROMOTION.search(" ".join([a.title, *a.outputs]))]
    text = "\n\n".join(
        [
            "Activities that promote VET and the network: campaigns, events, media and other "
            "visibility work (recognised by their title or outputs).",
            table(
                ["Activity", "Lead", "Start", "End", "Status", "Outputs"],
                [
                    (
                        f"{md(a.id)} {md(a.title)}",
                        org_name(orgs, a.lead),
                        iso(a.start),
                        iso(a.end),
                        md(a.status),
                        "; ".join(md(o) for o in a.outputs) or "none recorded",
                    )
                    for a in promo
                ],
            )
            if promo
            else "_No promotion activity is planned in this period._",
        ]
    )
    return block(text, "promotion")


def flags(s: ActionPlan) -> MarkdownBlock:
    orgs = s.orgs
    late = [s.by_id[i] for i in s.figures.overdue]
    no_lead = [a for a in s.acts if a.lead not in orgs or orgs[a.lead].status != "active"]
    text = "\n\n".join(
        [
            "# Past their end date but not done",
            table(
                ["Activity", "Lead", "End", "Status", "Days overdue"],
                [
                    (
                        f"{md(a.id)} {md(a.title)}",
                        org_name(orgs, a.lead),
                        iso(a.end),
                        md(a.status),
                        str(s.fig.days_overdue[a.id]),
                    )
                    for a in late
                ],
                right=[4],
            )
            if late
            else "_None: every activity past its end date is done or cancelled._",
            "# Without an active lead",
            table(
                ["Activity", "Lead", "Lead's status"],
                [
                    (
                        f"{md(a.id)} {md(a.title)}",
                        org_name(orgs, a.lead),
                        md(orgs[a.lead].status) if a.lead in orgs else "not a member",
                    )
                    for a in no_lead
                ],
            )
            if no_lead
            else "_None: every activity has an active lead organisation._",
        ]
    )
    return block(text, "flags")


def _row(a: Activity, orgs: dict, today: date, cents: bool) -> tuple[str, ...]:  # type: ignore[type-arg]
    status = md(a.status) + (" (**overdue**)" if overdue(a, today) else "")
    partners = ", ".join(org_name(orgs, p) for p in a.partners) or "none"
    return (
        f"{md(a.id)} {md(a.title)}",
        org_name(orgs, a.lead),
        partners,
        iso(a.start),
        iso(a.end),
        status,
        money(a.budget, a.currency, cents) if a.budget is not None else "no budget",
        _source(a.funding or ""),
    )


DOCUMENT = DocumentType(
    name="action-plan",
    title="Action plan",
    description="the 1-2 year action plan: activities, Gantt chart, budget, funding",
    summary="Activities for the next one to two years, with leads, timeline, budget and "
    "funding.",
    scopes=(NETWORK, CLUSTER),
    accent="2E6B30",
    landscape=True,
    cover=cover_lines,
    state=ActionPlan,
    articles=articles,
    sections=(
        section("About this action plan", "intro", "block",
                "Scope, period, cluster and key figures of the plan.", intro),
        section("Activities by aspiration", "activities", "block",
                "One table of activities per collective aspiration.", activities),
        section("Timeline", "timeline", "block", "Introduction to the Gantt chart.", timeline),
        section(None, "gantt_chart", "chart", "Gantt chart of the activities.", gantt_chart,
                "Figure 1. Activities over time"),
        section("Budget and funding", "budget", "block",
                "Budget totals per funding source and per aspiration.", budget),
        section(None, "budget_chart", "chart", "Chart of the budget per funding source.",
                budget_chart, "Figure 2. Budget per funding source"),
        section("Promotion activities", "promotion", "block", "Activities that promote VET.",
                promotion),
        section("Points to watch", "flags", "block",
                "Activities without a lead, or past their end date and not done.", flags),
        sources_section(articles),
    ),
)  # fmt: skip
"""The action plan's record in :data:`~.registry.REGISTRY`."""
