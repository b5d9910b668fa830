"""The action plan's budget: each activity's budget split into grant, own contribution and
partner contribution, by funding source and by budget line.

An activity's budget lines (``budget_lines`` of the data) give its split: a line's grant (the
part its funding source pays) and its co-financing (paid by the members themselves, ``own``,
or by a partner). The part of a budget no line covers, the whole budget of an activity with
no lines, is one "not broken down" line counted as grant (as own or partner contribution when
the activity is funded from own resources or a partner's contribution). Every table adds up
exactly: its
rows are exact ``Decimal`` sums and each total is the sum of the rows printed above it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..network.model import Activity, BudgetLine
from .common import md, table

if TYPE_CHECKING:
    from .action_plan import ActionPlan

EU_FUNDING = re.compile(
    r"erasmus|esf|horizon|interreg|creative europe|\beu\b|european", re.IGNORECASE
)
"""Funding sources that are EU funding programmes (shown apart from other sources)."""
NO_SOURCE = "No source named"
NOT_BROKEN_DOWN = "Not broken down"
"""The line of a budget (or of the part of it) that no budget line covers."""

ZERO = Decimal(0)


def is_eu(source: str | None) -> bool:
    """Whether ``source`` is an EU funding programme."""
    return bool(source and EU_FUNDING.search(source))


def source_label(name: str) -> str:
    """A funding source as Markdown (``''``: none named)."""
    return md(name) if name else NO_SOURCE


@dataclass(frozen=True)
class Split:
    """An amount split by who pays it."""

    grant: Decimal = ZERO
    """Paid by the activity's funding source."""
    own: Decimal = ZERO
    """Co-financed by the members' own contribution."""
    partner: Decimal = ZERO
    """Co-financed by a partner's contribution."""

    @property
    def total(self) -> Decimal:
        return self.grant + self.own + self.partner

    def __add__(self, other: Split) -> Split:
        return Split(self.grant + other.grant, self.own + other.own, self.partner + other.partner)

    @property
    def amounts(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        return self.grant, self.own, self.partner, self.total


def line_split(line: BudgetLine) -> Split:
    """A budget line's grant and co-financing."""
    if line.cofinanced_by == "partner":
        return Split(grant=line.grant, partner=line.cofinancing)
    return Split(grant=line.grant, own=line.cofinancing)


SELF_FUNDED = {"own resources": "own", "partner contribution": "partner"}
"""Funding sources that are co-financing themselves: the part of such an activity's budget
not broken down into lines is the members' own or a partner's contribution, not a grant."""


def activity_split(activity: Activity, lines: Sequence[BudgetLine]) -> list[tuple[str, Split]]:
    """The budget of ``activity`` line by line: its budget lines and, for what they leave
    uncovered, a "not broken down" line: a grant, or the own or partner contribution when the
    activity is funded from own resources or a partner's contribution (:data:`SELF_FUNDED`).
    Empty when it has no budget."""
    if activity.budget is None:
        return []
    out = [(line.line, line_split(line)) for line in lines]
    rest = activity.budget - sum((line.amount for line in lines), ZERO)
    if rest > 0:
        payer = SELF_FUNDED.get((activity.funding or "").strip().lower(), "grant")
        out.append((NOT_BROKEN_DOWN, Split(**{payer: rest})))
    return out


@dataclass(frozen=True)
class Mismatch:
    """An activity whose budget lines do not fit its budget."""

    activity: Activity
    lines: Decimal
    """What its lines add up to."""


@dataclass(frozen=True)
class PlanBudget:
    """The budget of an action plan's activities in its main currency, split by payer."""

    by_source: dict[str, Split]
    """Funding source ('' when none is named) -> split."""
    by_line: dict[str, Split]
    """Budget line -> split (:data:`NOT_BROKEN_DOWN` last)."""
    mismatches: tuple[Mismatch, ...]
    """Activities whose lines add up to more than their budget, or that have lines but no
    budget (their lines are not counted)."""
    amounts: tuple[Decimal, ...]
    """Every amount the tables add up (to print them all alike, with cents when one has)."""


def plan_budget(acts: Iterable[Activity], lines: Iterable[BudgetLine], currency: str) -> PlanBudget:
    """The split of the activities that are not cancelled and have a budget in ``currency``."""
    per_activity: dict[str, list[BudgetLine]] = defaultdict(list)
    for line in lines:
        per_activity[line.activity].append(line)
    by_source: dict[str, Split] = defaultdict(Split)
    by_line: dict[str, Split] = defaultdict(Split)
    mismatches = []
    amounts: list[Decimal] = []
    for a in acts:
        own_lines = per_activity.get(a.id, [])
        if a.status == "cancelled" or a.currency != currency:
            continue
        if a.budget is None:
            if own_lines:
                mismatches.append(Mismatch(a, sum((x.amount for x in own_lines), ZERO)))
            continue
        split = activity_split(a, own_lines)
        covered = sum((x.amount for x in own_lines), ZERO)
        if covered > a.budget:
            mismatches.append(Mismatch(a, covered))
        for name, part in split:
            by_source[a.funding or ""] += part
            by_line[name] += part
            amounts += part.amounts
    ordered = dict(sorted((k, v) for k, v in by_line.items() if k != NOT_BROKEN_DOWN))
    if NOT_BROKEN_DOWN in by_line:
        ordered[NOT_BROKEN_DOWN] = by_line[NOT_BROKEN_DOWN]
    return PlanBudget(dict(by_source), ordered, tuple(mismatches), tuple(amounts))


# -- the tables --------------------------------------------------------------------------------

SPLIT_HEADERS = ("Grant", "Own contribution", "Partner contribution", "Total")

Fmt = Callable[[Decimal], str]


def _cells(split: Split, fmt: Fmt, bold: bool = False) -> list[str]:
    cells = [fmt(v) for v in split.amounts]
    return [f"**{c}**" for c in cells] if bold else cells


def _total(rows: Iterable[Split]) -> Split:
    return sum(rows, Split())


def source_table(budget: PlanBudget, fmt: Fmt) -> str:
    """Funding sources, EU programmes first, each group with its subtotal when both are there,
    then the total of all sources: every total the sum of the rows printed above it."""
    eu = [(k, v) for k, v in budget.by_source.items() if is_eu(k)]
    other = [(k, v) for k, v in budget.by_source.items() if not is_eu(k)]
    if not eu and not other:
        return ""
    rows: list[list[str]] = []
    groups = [(g, label) for g, label in ((eu, "All EU programmes"), (other, "All other sources"))
              if g]  # fmt: skip
    for group, label in groups:
        for name, split in group:
            rows.append([source_label(name), *_cells(split, fmt)])
        if len(groups) > 1:
            rows.append([f"**{label}**", *_cells(_total(v for _k, v in group), fmt, bold=True)])
    rows.append(["**All funding sources**",
                 *_cells(_total(budget.by_source.values()), fmt, bold=True)])  # fmt: skip
    return table(["Funding source", *SPLIT_HEADERS], rows, right=[1, 2, 3, 4])


def line_table(budget: PlanBudget, fmt: Fmt) -> str:
    """Budget lines (the not broken down part last) and their total."""
    if not budget.by_line:
        return ""
    rows = [[md(name), *_cells(split, fmt)] for name, split in budget.by_line.items()]
    rows.append(["**All budget lines**", *_cells(_total(budget.by_line.values()), fmt, True)])
    return table(["Budget line", *SPLIT_HEADERS], rows, right=[1, 2, 3, 4])


def total_table(head: str, rows: list[tuple[str, Decimal]], total: str, fmt: Fmt) -> str:
    """Rows of amounts and, when there are any, their total in bold: the exact sum of the rows
    as printed (amounts are never rounded)."""
    if not rows:
        return ""
    lines = [(label, fmt(amount)) for label, amount in rows]
    lines.append((f"**{total}**", f"**{fmt(sum((a for _l, a in rows), ZERO))}**"))
    return table([head, "Budget"], lines, right=[1])


def budget_text(s: ActionPlan) -> str:
    """The Markdown of the budget section."""
    figures, aspirations, budget = s.figures, s.aspirations, s.budget
    main = figures.main_currency
    others = [c for c in figures.currencies if c != main]
    per_aspiration = [
        (md(aspirations[k].title if k in aspirations else k), v)
        for k, v in figures.budget_by_aspiration.items()
    ]
    intro = (
        f"Budgets of the activities that are not cancelled, in {md(main)}"
        + (
            f" (activities in {', '.join(md(c) for c in others)} are listed in the tables "
            "above and counted in the summary's budget)."
            if others
            else "."
        )
        + " **Grant** is the part the activity's funding source pays; **own contribution** "
        "and **partner contribution** are its co-financing, paid by the members themselves or "
        f"by a partner. A budget not broken down into lines is counted as grant (as own or "
        f"partner contribution when it is funded from own resources or a partner's "
        f"contribution), on the line “{NOT_BROKEN_DOWN}”. Every amount is printed exactly, "
        "so each total is the sum of the rows above it."
    )
    return "\n\n".join(
        [
            intro,
            "# By funding source",
            source_table(budget, s.fmt) or "_No budgets are recorded._",
            "# By budget line",
            line_table(budget, s.fmt) or "_No budgets are recorded._",
            "# By aspiration",
            total_table("Aspiration", per_aspiration, "All aspirations", s.fmt)
            or "_No budgets are recorded._",
        ]
    )
