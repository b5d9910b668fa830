"""The action plan: summary, activities per aspiration, timeline, milestones, budget and its
co-financing, RACI matrix, risk register, promotion activities, points to watch.

The plan covers the edition's year and the next (the next one to two years), plus any activity
still open from before (it is flagged as overdue). The budget tables are
:mod:`.plan_budget`'s; the milestones, the RACI matrix and the risks :mod:`.plan_registers`'.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from ..kb.model import Article, KnowledgeBase
from ..network.figures import STATUSES, PlanFigures, has_cents, overdue, plan_period
from ..network.model import ROLES, Activity, Aspiration, Milestone, Risk
from . import plan_budget, plan_registers
from .common import (
    Inputs,
    block,
    leader_line,
    long_date,
    md,
    money,
    org_name,
    pick,
    short_date,
    strategy_period,
    table,
)
from .parts import State, section, sources_section
from .plan_budget import NO_SOURCE, PlanBudget, is_eu
from .types import CLUSTER, NETWORK, DocumentType

if TYPE_CHECKING:
    from ..render import Chart, MarkdownBlock, Picture
    from ..render.values import Pictures

PROMOTION = "promotion"
"""The category of the plan's promotion activities."""


def articles(kb: KnowledgeBase) -> list[Article]:
    """The KB articles the action plan uses: step 6, and the roles (the RACI's names)."""
    return pick(kb, "step-6-action-plans", *ROLES)


def period(inputs: Inputs) -> tuple[date, date]:
    """First and last day the plan covers: the edition's year and the next."""
    return plan_period(inputs.meeting)


def category_text(a: Activity) -> str:
    """An activity's category in words (``capacity building``)."""
    return a.category.replace("-", " ") if a.category else "none recorded"


class ActionPlan(State):
    """What the action plan's parts share: the plan's figures, activities and registers."""

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
    def budget(self) -> PlanBudget:
        """The plan's budget in its main currency, split into grant and co-financing."""
        ids = set(self.figures.activities)
        lines = [line for line in self.data.budget_lines if line.activity in ids]
        return plan_budget.plan_budget(self.acts, lines, self.figures.main_currency)

    @cached_property
    def milestones(self) -> list[Milestone]:
        return plan_registers.plan_milestones(self)

    @cached_property
    def risks(self) -> list[Risk]:
        return plan_registers.plan_risks(self)

    @cached_property
    def role_articles(self) -> dict[str, Article]:
        """The KB's article of each role (their titles name the roles)."""
        return {a.id: a for a in pick(self.kb, *ROLES)}

    @cached_property
    def cents(self) -> bool:
        """Some budget or budget line has cents: every amount is printed with them."""
        budgets = [a.budget for a in self.acts if a.budget is not None]
        return any(has_cents(v) for v in [*budgets, *self.budget.amounts])

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


def period_line(s: ActionPlan) -> str:
    return f"Plan period {long_date(s.figures.first)} – {long_date(s.figures.last)}"


def summary(s: ActionPlan) -> MarkdownBlock:
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
    split = sum(s.budget.by_source.values(), plan_budget.Split())
    if split.own or split.partner:
        budget_rows.insert(
            1,
            (f"Of which co-financed (in {md(main)})",
             f"own {s.fmt(split.own)}, partner {s.fmt(split.partner)}")
        )  # fmt: skip
    covered = [a for a in s.aspirations.values() if any(x.aspiration == a.id for x in acts)]
    late = [m for m in s.milestones if plan_registers.is_late(s, m)]
    open_risks = [r for r in s.risks if r.status != "closed"]
    rows = [
        (count_label, str(len(acts))),
        ("Timeline", f"{long_date(first)} to {long_date(last)}"),
        (
            "Planned / ongoing / done / cancelled",
            " / ".join(str(statuses[st]) for st in STATUSES),
        ),
        *budget_rows,
        (
            "Aspirations covered",
            f"{len(covered)} of {len(s.aspirations)}"
            + (": " + "; ".join(md(a.title) for a in covered) if covered else ""),
        ),
        (
            "Milestones and deliverables",
            f"{len(s.milestones)}" + (f", {len(late)} overdue" if late else ""),
        ),
        (
            "Risks not closed",
            f"{len(open_risks)}"
            + (f", highest score {max(r.score for r in open_risks)}" if open_risks else ""),
        ),
        ("Figures as of", long_date(s.today)),
    ]
    text = "\n\n".join(
        [
            f"This action plan covers {scope} from {long_date(first)} to {long_date(last)}. "
            + (
                f"It turns the collective aspirations of the strategy "
                f"({md(strategy_period(data))}) into {len(acts)} concrete "
                f"{'activity' if len(acts) == 1 else 'activities'}, each with a lead "
                "organisation, partners, timing, budget and funding source, with a focus on the "
                "promotion of VET and the effective use of EU funding. It sets out their "
                "milestones, who is responsible for what, the co-financing of the budget and the "
                "risks to watch."
                if acts
                else "No activity is recorded for this period yet; the risks to watch are listed "
                "below."
            ),
            table(["", "Value"], rows),
        ]
        + ([f"The cluster is {md(leader_line(data, cluster))}."] if cluster else [])
    )
    return block(text, "summary")


def activities(s: ActionPlan) -> MarkdownBlock:
    groups: dict[str, list[Activity]] = defaultdict(list)
    for a in s.acts:
        groups[a.aspiration].append(a)
    network = s.cluster is None
    headers = ["Activity", "Lead", *(["Cluster"] if network else []), "Start", "End",
               "Status", "Category", "Budget", "Funding"]  # fmt: skip
    right = [headers.index("Budget")]
    clusters = {c.id: c.name for c in s.data.clusters}

    def row(a: Activity) -> tuple[str, ...]:
        cells = list(_row(a, s))
        if network:
            cells.insert(2, md(clusters.get(a.cluster, a.cluster)) if a.cluster else "network-wide")
        return tuple(cells)

    sections = [
        "Each activity with its lead institution"
        + (", the cluster that runs it (“network-wide” when none does)" if network else "")
        + ", its first and last day, status, category, budget and funding source. Its partner "
        "institutions are listed in the RACI matrix.",
    ]
    for n, (aid, aspiration) in enumerate(s.aspirations.items(), 1):
        rows = [row(a) for a in groups.get(aid, [])]
        sections.append(f"# Aspiration {n}: {md(aspiration.title)}")
        sections.append(
            table(headers, rows, right=right)
            if rows
            else "_No activities under this aspiration in this period._"
        )
    orphans = [a for a in s.acts if a.aspiration not in s.aspirations]
    if orphans:
        sections += [
            "# Not linked to an aspiration",
            table(headers, [row(a) for a in orphans], right=right),
        ]
    return block("\n\n".join(sections), "activities")


def _row(a: Activity, s: ActionPlan) -> tuple[str, ...]:
    status = md(a.status) + (" (**overdue**)" if overdue(a, s.today) else "")
    return (
        f"{md(a.id)} {md(a.title)}",
        org_name(s.orgs, a.lead),
        short_date(a.start),
        short_date(a.end),
        status,
        md(category_text(a)),
        s.fmt(a.budget, a.currency) if a.budget is not None else "no budget",
        plan_budget.source_label(a.funding or ""),
    )


def timeline(s: ActionPlan) -> MarkdownBlock:
    from .gantt import part_titles

    parts = len(part_titles(s.acts, s.today, milestones=s.milestones,
                            aspirations=list(s.aspirations.values())))  # fmt: skip
    text = (
        "Each bar runs from an activity's start to its end, coloured by its status; on its "
        "row a diamond marks a milestone and a triangle a deliverable (filled when achieved, "
        f"hollow while planned, red when missed); the red line marks {long_date(s.today)}, "
        "the date the figures are as of."
        + (
            f" The chart is in {parts} parts, by aspiration, all on the same time scale."
            if parts > 1
            else ""
        )
        if s.acts
        else "_There are no activities to show._"
    )
    return block(text, "timeline")


def gantt_chart(s: ActionPlan) -> Chart | Picture | Pictures | str:
    from . import gantt  # matplotlib loads only when a document is drawn

    return gantt.gantt(
        s.acts,
        s.today,
        milestones=s.milestones,
        aspirations=list(s.aspirations.values()),
    )


def milestones(s: ActionPlan) -> MarkdownBlock:
    return block(plan_registers.milestones_text(s), "milestones")


def budget(s: ActionPlan) -> MarkdownBlock:
    return block(plan_budget.budget_text(s), "budget")


def budget_chart(s: ActionPlan) -> Chart | Picture | str:
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
        legend={"EU programme": charts.PALETTE[0], "other source": charts.PALETTE[3]},
    )


def raci(s: ActionPlan) -> MarkdownBlock:
    return block(plan_registers.raci_text(s), "raci")


def risks(s: ActionPlan) -> MarkdownBlock:
    return block(plan_registers.risks_text(s), "risks")


def promotion_activities(s: ActionPlan) -> list[Activity]:
    """The plan's activities whose category is promotion."""
    return [a for a in s.acts if a.category == PROMOTION]


def promotion(s: ActionPlan) -> MarkdownBlock:
    orgs = s.orgs
    promo = promotion_activities(s)
    text = "\n\n".join(
        [
            "Activities that promote VET and the network: those whose category in the network "
            "data is promotion.",
            table(
                ["Activity", "Lead", "Start", "End", "Status", "Outputs"],
                [
                    (
                        f"{md(a.id)} {md(a.title)}",
                        org_name(orgs, a.lead),
                        short_date(a.start),
                        short_date(a.end),
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
    no_category = [a for a in s.acts if a.category is None]
    parts = [
        "# Past their end date but not done",
        table(
            ["Activity", "Lead", "End", "Status", "Days overdue"],
            [
                (
                    f"{md(a.id)} {md(a.title)}",
                    org_name(orgs, a.lead),
                    short_date(a.end),
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
        "# Without a category",
        (
            "These activities have no category in the network data, so none of them can be "
            "counted as a promotion activity: "
            + "; ".join(f"{md(a.id)} {md(a.title)}" for a in no_category)
            + "."
        )
        if no_category
        else "_None: every activity has a category._",
    ]
    mismatches = s.budget.mismatches
    if mismatches:
        parts += [
            "# Budget lines that do not fit the budget",
            table(
                ["Activity", "Budget", "Its budget lines"],
                [
                    (
                        f"{md(m.activity.id)} {md(m.activity.title)}",
                        s.fmt(m.activity.budget)
                        if m.activity.budget is not None
                        else "no budget (lines not counted)",
                        s.fmt(m.lines),
                    )
                    for m in mismatches
                ],  # fmt: skip
            ),
        ]
    return block("\n\n".join(parts), "flags")


DOCUMENT = DocumentType(
    name="action-plan",
    title="Action plan",
    description="the 1-2 year action plan: activities, Gantt chart, milestones, budget, RACI, "
    "risks",
    summary="Activities for the next one to two years, with leads, timeline, milestones, "
    "budget and co-financing, responsibilities and risks.",
    scopes=(NETWORK, CLUSTER),
    accent="2E6B30",
    landscape=True,
    cover=cover_lines,
    period=period_line,
    state=ActionPlan,
    articles=articles,
    sections=(
        section("Summary", "summary", "block",
                "Activities, budget, timeline and aspirations covered.", summary),
        section("Activities by aspiration", "activities", "block",
                "One table of activities per collective aspiration.", activities),
        section("Timeline", "timeline", "block", "Introduction to the Gantt chart.", timeline),
        section(None, "gantt_chart", "chart", "Gantt chart of the activities.", gantt_chart,
                "Figure 1. Activities over time"),
        section("Milestones and deliverables", "milestones", "block",
                "Milestones and deliverables by due date, with owner and status.", milestones),
        section("Budget", "budget", "block",
                "Budget by funding source and by budget line: grant, own and partner "
                "contribution.", budget),
        section(None, "budget_chart", "chart", "Chart of the budget per funding source.",
                budget_chart, "Figure 2. Budget per funding source"),
        section("RACI matrix", "raci", "block",
                "Who is responsible, accountable, consulted and informed in each activity.",
                raci),
        section("Risk register", "risks", "block",
                "Risks by score, with mitigation, owner and status.", risks),
        section("Promotion activities", "promotion", "block",
                "Activities whose category is promotion.", promotion),
        section("Points to watch", "flags", "block",
                "Activities without a lead or a category, or past their end date and not done.",
                flags),
        sources_section(articles),
    ),
)  # fmt: skip
"""The action plan's record in :data:`~.registry.REGISTRY`."""
