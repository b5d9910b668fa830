"""The action plan: activities per aspiration, timeline, budget and funding, points to watch.

The plan covers the edition's year and the next (the next one to two years), plus any activity
still open from before (it is flagged as overdue).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal

from ..kb.model import Article, KnowledgeBase
from ..network.model import Activity
from .common import (
    Inputs,
    Plan,
    block,
    cluster_activities,
    cover,
    iso,
    leader_line,
    md,
    money,
    org_name,
    organisations,
    overdue,
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
"""Overdue flags and the timeline depend on the data's date."""


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the action plan uses."""
    return pick(kb, "step-6-action-plans")


def period(inputs: Inputs) -> tuple[date, date]:
    """First and last day the plan covers: the edition's year and the next."""
    year = inputs.data.network.meeting.date.year
    return date(year, 1, 1), date(year + 1, 12, 31)


def in_plan(activity: Activity, first: date, last: date, today: date) -> bool:
    return (activity.end >= first and activity.start <= last) or overdue(activity, today)


def is_eu(source: str | None) -> bool:
    return bool(source and EU_FUNDING.search(source))


def context(inputs: Inputs) -> Plan:
    from . import charts  # matplotlib loads only when a document is drawn

    data, today, cluster = inputs.data, inputs.today, inputs.cluster
    orgs = organisations(data)
    first, last = period(inputs)
    acts = [a for a in cluster_activities(data, cluster) if in_plan(a, first, last, today)]
    used = articles(inputs.kb)
    aspirations = {a.id: a for a in data.strategy.aspirations}

    scope = f"the {md(cluster.name)}" if cluster else f"the whole of {md(data.network.name)}"
    total = sum((a.budget or Decimal(0)) for a in acts if a.status != "cancelled")
    currencies = sorted({a.currency for a in acts})
    intro = "\n\n".join(
        [
            f"This action plan covers {scope} from {first.isoformat()} to {last.isoformat()}. It "
            f"turns the collective aspirations of the strategy ({md(data.strategy.period)}) into "
            f"{len(acts)} concrete activities, each with a lead organisation, partners, timing, "
            "budget and funding source, with a focus on the promotion of VET and the effective "
            "use of EU funding.",
            table(
                ["", "Value"],
                [
                    ("Activities", len(acts)),
                    (
                        "Planned / ongoing / done / cancelled",
                        " / ".join(
                            str(sum(a.status == s for a in acts))
                            for s in ("planned", "ongoing", "done", "cancelled")
                        ),
                    ),
                    (
                        "Total budget (not counting cancelled)",
                        money(total, currencies[0])
                        if len(currencies) == 1
                        else "; ".join(
                            money(
                                sum(
                                    (a.budget or 0)
                                    for a in acts
                                    if a.currency == c and a.status != "cancelled"
                                ),
                                c,
                            )
                            for c in currencies
                        )
                        if currencies
                        else "not set",
                    ),
                    ("Status of the data", f"as read on {today.isoformat()}"),
                ],
            ),
        ]
        + ([f"The cluster is {md(leader_line(data, cluster))}."] if cluster else [])
    )

    groups: dict[str, list[Activity]] = defaultdict(list)
    for a in acts:
        groups[a.aspiration].append(a)
    sections = []
    for n, (aid, aspiration) in enumerate(aspirations.items(), 1):
        rows = [_row(a, orgs, today) for a in groups.get(aid, [])]
        sections.append(f"# Aspiration {n}: {md(aspiration.title)}")
        sections.append(
            table(
                ["Activity", "Lead", "Partners", "Start", "End", "Status", "Budget", "Funding"],
                rows,
                right=[6],
            )
            if rows
            else "_No activities under this aspiration in this period._"
        )
    orphans = [a for a in acts if a.aspiration not in aspirations]
    if orphans:
        sections += [
            "# Not linked to an aspiration",
            table(
                ["Activity", "Lead", "Partners", "Start", "End", "Status", "Budget", "Funding"],
                [_row(a, orgs, today) for a in orphans],
                right=[6],
            ),
        ]

    timeline = (
        f"Each bar runs from an activity's start to its end; the red line marks "
        f"{today.isoformat()}, the date of the data."
        if acts
        else "_There are no activities to show._"
    )

    by_source: dict[str, Decimal] = defaultdict(Decimal)
    by_aspiration: dict[str, Decimal] = defaultdict(Decimal)
    main_currency = currencies[0] if currencies else "EUR"
    for a in acts:
        if a.budget is None or a.status == "cancelled" or a.currency != main_currency:
            continue
        by_source[a.funding or "not set"] += a.budget
        by_aspiration[a.aspiration] += a.budget
    eu = {k: v for k, v in by_source.items() if is_eu(k)}
    other = {k: v for k, v in by_source.items() if not is_eu(k)}
    budget_parts = [
        f"Budgets of activities that are not cancelled, in {md(main_currency)}"
        + (
            " (activities in other currencies are listed in the tables above)."
            if len(currencies) > 1
            else "."
        ),
        "# EU funding programmes",
        table(
            ["Funding source", "Budget"],
            [(md(k), money(v, main_currency)) for k, v in sorted(eu.items())]
            + (
                [("**All EU programmes**", f"**{money(sum(eu.values()), main_currency)}**")]
                if eu
                else []
            ),
            right=[1],
        ),
        "# Other sources",
        table(
            ["Funding source", "Budget"],
            [(md(k), money(v, main_currency)) for k, v in sorted(other.items())]
            + (
                [("**All other sources**", f"**{money(sum(other.values()), main_currency)}**")]
                if other
                else []
            ),
            right=[1],
        ),
        "# Per aspiration",
        table(
            ["Aspiration", "Budget"],
            [
                (md(aspirations[k].title if k in aspirations else k), money(v, main_currency))
                for k, v in sorted(by_aspiration.items())
            ],
            right=[1],
        ),
    ]
    sources_sorted = sorted(by_source.items(), key=lambda kv: (not is_eu(kv[0]), kv[0]))
    budget_chart = charts.bar_chart(
        [k for k, _ in sources_sorted],
        [float(v) for _, v in sources_sorted],
        what=f"budget per funding source in {main_currency} (EU programmes in blue)",
        unit=main_currency,
        colours=[charts.PALETTE[0] if is_eu(k) else charts.PALETTE[3] for k, _ in sources_sorted],
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
                        "; ".join(md(o) for o in a.outputs) or "not set",
                    )
                    for a in promo
                ],
            ),
        ]
    )

    late = [a for a in acts if overdue(a, today)]
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
                        (today - a.end).days,
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


def _row(a: Activity, orgs: dict, today: date) -> tuple[str, ...]:  # type: ignore[type-arg]
    status = md(a.status) + (" (**overdue**)" if overdue(a, today) else "")
    partners = ", ".join(org_name(orgs, p) for p in a.partners) or "none"
    return (
        f"{md(a.id)} {md(a.title)}",
        org_name(orgs, a.lead),
        partners,
        iso(a.start),
        iso(a.end),
        status,
        money(a.budget, a.currency),
        md(a.funding),
    )
