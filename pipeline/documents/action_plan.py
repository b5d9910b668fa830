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

from ..kb.model import Article, KnowledgeBase
from ..network.figures import STATUSES, has_cents, overdue, plan_period
from ..network.model import Activity
from .common import (
    Inputs,
    Plan,
    block,
    cover,
    iso,
    leader_line,
    long_date,
    md,
    money,
    org_name,
    organisations,
    pick,
    sources,
    table,
)

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


USES_DATE = True
"""Overdue flags and the timeline depend on the edition's as-of date."""

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


def context(inputs: Inputs) -> Plan:
    from . import charts  # matplotlib loads only when a document is drawn

    data, today, cluster = inputs.data, inputs.today, inputs.cluster
    figures = inputs.fig.plan(cluster.id if cluster else None)
    orgs = organisations(data)
    first, last = figures.first, figures.last
    by_id = {a.id: a for a in data.activities}
    acts = [by_id[i] for i in figures.activities]
    used = articles(inputs.kb)
    aspirations = {a.id: a for a in data.strategy.aspirations}
    cents = any(has_cents(a.budget) for a in acts if a.budget is not None)

    def fmt(amount: Decimal, currency: str = figures.main_currency) -> str:
        return money(amount, currency, cents)

    scope = f"the {md(cluster.name)}" if cluster else f"the whole of {md(data.network.name)}"
    statuses = figures.per_status
    main = figures.main_currency
    main_total = figures.budget_by_currency.get(main, Decimal(0))
    elsewhere = [(c, v) for c, v in figures.budget_by_currency.items() if c != main]
    if cluster:
        count_label = f"Activities of this cluster, {first.year}–{last.year}"
        budget_rows = [("Total budget of this cluster's activities (not counting cancelled)",
                        fmt(main_total, main))]  # fmt: skip
    else:
        count_label = inputs.fig["activities-in-plan"].label + f" {first.year}–{last.year}"
        budget_rows = [(inputs.fig["budget-in-plan"].label, fmt(main_total, main))]
    if elsewhere:
        budget_rows.append(
            ("Budget in other currencies (not counting cancelled)",
             "; ".join(fmt(v, c) for c, v in elsewhere))
        )  # fmt: skip
    intro = "\n\n".join(
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
                        " / ".join(str(statuses[s]) for s in STATUSES),
                    ),
                    *budget_rows,
                    ("Figures as of", long_date(today)),
                ],
            ),
        ]
        + ([f"The cluster is {md(leader_line(data, cluster))}."] if cluster else [])
    )

    groups: dict[str, list[Activity]] = defaultdict(list)
    for a in acts:
        groups[a.aspiration].append(a)
    headers = ["Activity", "Lead", "Partners", "Start", "End", "Status", "Budget", "Funding"]
    sections = []
    for n, (aid, aspiration) in enumerate(aspirations.items(), 1):
        rows = [_row(a, orgs, today, cents) for a in groups.get(aid, [])]
        sections.append(f"# Aspiration {n}: {md(aspiration.title)}")
        sections.append(
            table(headers, rows, right=[6])
            if rows
            else "_No activities under this aspiration in this period._"
        )
    orphans = [a for a in acts if a.aspiration not in aspirations]
    if orphans:
        sections += [
            "# Not linked to an aspiration",
            table(headers, [_row(a, orgs, today, cents) for a in orphans], right=[6]),
        ]

    timeline = (
        f"Each bar runs from an activity's start to its end; the red line marks "
        f"{long_date(today)}, the date the figures are as of."
        if acts
        else "_There are no activities to show._"
    )

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
        _total_table("Funding source", eu, "All EU programmes", fmt)
        or "_No activity in this plan is funded by an EU programme._",
        "# Other sources",
        _total_table("Funding source", other, "All other sources", fmt)
        or "_Every budget in this plan comes from an EU programme._",
        "# Per aspiration",
        _total_table("Aspiration", per_aspiration, "All aspirations", fmt)
        or "_No budgets are recorded._",
    ]
    sources_sorted = sorted(by_source.items(), key=lambda kv: (not is_eu(kv[0]), kv[0]))
    budget_chart = charts.bar_chart(
        [k or NO_SOURCE for k, _ in sources_sorted],
        [v for _, v in sources_sorted],
        what=f"budget per funding source in {main_currency} (EU programmes in blue)",
        unit=main_currency,
        colours=[charts.PALETTE[0] if is_eu(k) else charts.PALETTE[3] for k, _ in sources_sorted],
        currency=main_currency,
    )

    promo = [a for a in acts if PROMOTION.search(" ".join([a.title, *a.outputs]))]
    promotion = "\n\n".join(
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

    late = [by_id[i] for i in figures.overdue]
    no_lead = [a for a in acts if a.lead not in orgs or orgs[a.lead].status != "active"]
    flags = "\n\n".join(
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
                        str(inputs.fig.days_overdue[a.id]),
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

    net = data.network
    title = f"Action plan {first.year}–{last.year}"
    subtitle = (
        f"{cluster.name}, {leader_line(data, cluster)}"
        if cluster
        else f"Promotion of VET and effective use of EU funding in {net.short_name}"
    )
    context = {
        **cover(inputs, title, subtitle),
        "intro": block(intro, "intro"),
        "activities": block("\n\n".join(sections), "activities"),
        "timeline": block(timeline, "timeline"),
        "gantt_chart": charts.gantt(acts, today),
        "budget": block("\n\n".join(budget_parts), "budget"),
        "budget_chart": budget_chart,
        "promotion": block(promotion, "promotion"),
        "flags": block(flags, "flags"),
        "sources": sources(inputs, used),
    }
    return Plan(context, used)


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
