"""The action plan: its sections, RACI matrix, risk register, promotion activities, milestones
and budget, read from the Markdown of its parts (bundled data and small data made here)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from pipeline.documents import charts
from pipeline.documents.action_plan import DOCUMENT, ActionPlan
from pipeline.documents.build import Built
from pipeline.documents.common import Inputs
from pipeline.network import Snapshot
from pipeline.network.model import (
    ROLES,
    Activity,
    Assignment,
    BudgetLine,
    Milestone,
    NetworkData,
    Risk,
    raci_for,
)
from pipeline.render import MarkdownBlock
from tests.documents.conftest import headings

HEADINGS = [
    "Summary",
    "Activities by aspiration",
    "Timeline",
    "Milestones and deliverables",
    "Budget",
    "RACI matrix",
    "Risk register",
    "Promotion activities",
    "Points to watch",
    "Sources",
]


# -- reading the Markdown of the parts ---------------------------------------------------------


@dataclass
class MdTable:
    heading: str
    """The ``#`` heading above it in its block ('' when none)."""
    header: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> list[str]:
        return [r[self.header.index(name)] for r in self.rows]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def tables(markdown: str) -> list[MdTable]:
    found: list[MdTable] = []
    heading, current = "", None
    for line in markdown.splitlines():
        if line.startswith("# "):
            heading = line[2:]
        if line.startswith("|"):
            if current is None:
                current = MdTable(heading, _cells(line), [])
                found.append(current)
            elif not set(line) <= set("|-: "):
                current.rows.append(_cells(line))
        else:
            current = None
    return found


def first_id(cell: str) -> str:
    return cell.split()[0].replace("\\", "")


def amount(cell: str) -> tuple[str, Decimal]:
    text = cell.replace("*", "").replace("\u00a0", " ")
    currency, number = text.split(" ")
    return currency, Decimal(number.replace(",", ""))


def is_total(row: list[str]) -> bool:
    return row[0].startswith("**")


def check_totals(table: MdTable) -> int:
    """Every bold row is the sum of the rows above it since the previous total (or of the
    totals right above it): asserts so, returns how many totals it checked."""
    block: list[list[str]] = []
    subtotals: list[list[str]] = []
    checked = 0
    for row in table.rows:
        if not is_total(row):
            block.append(row)
            continue
        parts = block or subtotals
        assert parts, f"{row[0]}: a total of nothing"
        for col in range(1, len(row)):
            currency, printed = amount(row[col])
            summed = sum((amount(p[col])[1] for p in parts), Decimal(0))
            assert printed == summed, f"{table.header[col]} of {row[0]}: {printed} != {summed}"
            checked += 1
        subtotals = [row] if not block else [*subtotals, row]
        block = []
    return checked


# -- the inputs --------------------------------------------------------------------------------


def inputs(project: Any, data: NetworkData | None = None, cluster: str | None = None) -> Inputs:
    settings, kb, snapshot, _ = project
    if data is not None:
        snapshot = Snapshot.of(data, "test data")
    found = next(c for c in snapshot.network.clusters if c.id == cluster) if cluster else None
    return Inputs(kb, snapshot, settings, Path("t.docx"), cluster=found)


def parts(inp: Inputs) -> dict[str, str]:
    """The Markdown of each block part (the charts are left out: they are drawn)."""
    state = DOCUMENT.state(inp)
    out = {}
    for s in DOCUMENT.sections:
        if s.part.kind == "block":
            value = s.make(state)
            assert isinstance(value, MarkdownBlock), s.part.name
            out[s.part.name] = value.text
    return out


def _activity(ident: str, title: str, **fields: Any) -> Activity:
    values: dict[str, Any] = {
        "aspiration": "a1", "lead": "org-001", "partners": ["org-002"],
        "start": date(2026, 2, 1), "end": date(2026, 11, 30), "status": "ongoing",
        "budget": Decimal(1000), "funding": "national",
    }  # fmt: skip
    values.update(fields)
    return Activity(id=ident, title=title, **values)


@pytest.fixture(scope="module")
def small(project: Any) -> NetworkData:
    """A few activities with every case: co-financing by own and partner, a budget broken down
    and one not, cents, a cancelled one, another currency, risks and milestones."""
    data: NetworkData = project[2].network
    acts = [
        _activity("x-1", "Parents & employers breakfast series", category="promotion",
                  cluster="africa", budget=Decimal("1000.50"), funding="Erasmus+ KA2"),
        _activity("x-2", "Awareness campaign on VET careers", category="networking",
                  budget=Decimal(2000), partners=[]),
        _activity("x-3", "Partner search fair", category="funding", cluster="asia-pacific",
                  budget=Decimal(500), funding="Erasmus+ KA2"),
        _activity("x-4", "Skills day", category="promotion", cluster="africa", status="cancelled",
                  budget=Decimal(999)),
        _activity("x-5", "Study visit", category="peer-learning", cluster="africa",
                  currency="USD", budget=Decimal(70)),
        _activity("x-6", "Research brief", category="research", cluster="africa", budget=None),
    ]  # fmt: skip
    lines = [
        BudgetLine(activity="x-1", line="Venue", amount=Decimal(600),
                   cofinancing=Decimal("100.25"), cofinanced_by="own"),
        BudgetLine(activity="x-1", line="Catering", amount=Decimal(300), cofinancing=Decimal(50),
                   cofinanced_by="partner"),
        BudgetLine(activity="x-1", line="Materials", amount=Decimal("100.50")),
        BudgetLine(activity="x-3", line="Travel", amount=Decimal(500), cofinancing=Decimal(500),
                   cofinanced_by="partner"),
        BudgetLine(activity="x-4", line="Venue", amount=Decimal(999)),
    ]  # fmt: skip
    risks = [
        Risk(id="r-a", risk="A", likelihood=4, impact=3, mitigation="m", owner="org-001",
             status="open", cluster="africa"),
        Risk(id="r-b", risk="B", likelihood=5, impact=5, mitigation="m", owner="secretariat",
             status="open"),
        Risk(id="r-c", risk="C", likelihood=2, impact=2, mitigation="m", owner="focal-point",
             status="monitored", cluster="asia-pacific"),
        Risk(id="r-0", risk="D", likelihood=3, impact=4, mitigation="m", owner="secretariat",
             status="closed"),
        Risk(id="r-e", risk="E", likelihood=1, impact=1, mitigation="m", owner="org-002",
             status="open", cluster="africa"),
    ]  # fmt: skip
    milestones = [
        Milestone(id="m-1", title="Second breakfast", activity="x-1", due=date(2027, 1, 10),
                  owner="org-001", status="planned"),
        Milestone(id="m-2", title="First breakfast", activity="x-1", due=date(2026, 3, 1),
                  owner="cluster-coordinator", status="planned"),
        Milestone(id="m-3", title="Fair held", activity="x-3", due=date(2026, 5, 1),
                  owner="org-003", status="achieved"),
        Milestone(id="m-4", title="Plan adopted", kind="deliverable", due=date(2026, 12, 1),
                  owner="secretariat", status="planned"),
    ]  # fmt: skip
    raci = [
        Assignment(activity="x-1", role="convener", assignment="A"),
        Assignment(activity="x-1", role="member-institution", assignment="R"),
    ]
    return data.model_copy(
        update={"activities": acts, "budget_lines": lines, "risks": risks,
                "milestones": milestones, "raci": raci}
    )  # fmt: skip


@pytest.fixture(scope="module")
def bundled(project: Any) -> dict[str | None, tuple[Inputs, dict[str, str]]]:
    out = {}
    for cluster in (None, "africa"):
        inp = inputs(project, cluster=cluster)
        out[cluster] = (inp, parts(inp))
    return out


# -- the tests ---------------------------------------------------------------------------------


def test_headings_present_and_in_order(built: dict[str, Built]) -> None:
    assert [p.heading for p in DOCUMENT.parts if p.heading] == HEADINGS
    assert headings(built["action-plan"].path) == HEADINGS


def test_make_gives_every_part(project: Any) -> None:
    plan = DOCUMENT.make(inputs(project, cluster="africa"))
    try:
        names = [p.name for p in DOCUMENT.parts]
        assert [k for k in plan.context if k in names] == names
        assert isinstance(plan.context["gantt_chart"], charts.Chart | charts.Picture)
        assert plan.context["summary"].text.startswith("This action plan covers the Africa")
    finally:
        for value in plan.context.values():
            charts.close(value)


@pytest.mark.parametrize("cluster", [None, "africa"])
def test_raci_covers_every_activity_of_the_plan(
    bundled: dict[str | None, tuple[Inputs, dict[str, str]]], cluster: str | None
) -> None:
    inp, md = bundled[cluster]
    state = ActionPlan(inp)
    (matrix,) = tables(md["raci"])
    assert [first_id(c) for c in matrix.column("Activity")] == [a.id for a in state.acts]
    assert state.acts
    for a, row in zip(state.acts, matrix.rows, strict=True):
        letters = raci_for(inp.data, a)
        assert row[1 : 1 + len(ROLES)] == [letters.get(r, "") for r in ROLES], a.id
    assert "rule" in md["raci"] and "Responsible" in md["raci"]


def test_raci_rows_recorded_or_by_the_rule(project: Any, small: NetworkData) -> None:
    (matrix,) = tables(parts(inputs(project, small))["raci"])
    rows = {first_id(r[0]): r for r in matrix.rows}
    assert set(rows) == {a.id for a in small.activities}
    x1 = dict(zip(matrix.header, rows["x-1"], strict=True))
    assert (x1["CON"], x1["MI"], x1["CTR"], x1["Basis"]) == ("A", "R", "", "recorded")
    x2 = dict(zip(matrix.header, rows["x-2"], strict=True))  # outside any cluster, no partner
    assert (x2["SEC"], x2["CTR"], x2["MI"], x2["FP"], x2["Basis"]) == ("A", "R", "", "I", "rule")


@pytest.mark.parametrize("cluster", [None, "africa"])
def test_risk_register_is_sorted_by_score(
    bundled: dict[str | None, tuple[Inputs, dict[str, str]]], cluster: str | None
) -> None:
    inp, md = bundled[cluster]
    (register,) = tables(md["risks"])
    scores, ids = register.column("Score"), register.column("Risk")
    found = [(int(s), first_id(r)) for s, r in zip(scores, ids, strict=True)]
    risks = {r.id: r for r in inp.data.risks}
    # highest score first, then the likelier, then by id (every register's order)
    assert found and found == sorted(found, key=lambda x: (-x[0], -risks[x[1]].likelihood, x[1]))
    ratings = zip(register.column("L"), register.column("I"), strict=True)
    for (score, ident), (likelihood, impact) in zip(found, ratings, strict=True):
        assert score == risks[ident].score == int(likelihood) * int(impact)
    wanted = {r.id for r in inp.data.risks if cluster is None or r.cluster in (None, cluster)}
    assert {i for _, i in found} == wanted


def test_risks_of_a_cluster_plan_and_ties(project: Any, small: NetworkData) -> None:
    def ids(cluster: str | None) -> list[str]:
        (register,) = tables(parts(inputs(project, small, cluster))["risks"])
        return [first_id(c) for c in register.column("Risk")]

    # 25, 12 (4 × 3 before 3 × 4: the likelier first), 4, 1
    assert ids(None) == ["r-b", "r-a", "r-0", "r-c", "r-e"]
    assert ids("africa") == ["r-b", "r-a", "r-0", "r-e"]
    (register,) = tables(parts(inputs(project, small, "africa"))["risks"])
    assert register.column("Owner")[:3] == [
        "Secretariat",
        "Ridgeway Technical College Nairobi",
        "Secretariat",
    ]


def test_promotion_activities_are_those_of_the_promotion_category(
    project: Any, small: NetworkData, bundled: dict[str | None, tuple[Inputs, dict[str, str]]]
) -> None:
    (promo,) = tables(parts(inputs(project, small))["promotion"])
    titles = promo.column("Activity")
    assert [first_id(t) for t in titles] == ["x-1", "x-4"]
    assert "Parents & employers breakfast series" in titles[0].replace("\\", "")
    assert not any("campaign" in t for t in titles)
    inp, md = bundled[None]
    plan = ActionPlan(inp).acts
    (promo,) = tables(md["promotion"])
    assert [first_id(t) for t in promo.column("Activity")] == [
        a.id for a in plan if a.category == "promotion"
    ]


def _budget_tables(md: dict[str, str]) -> dict[str, MdTable]:
    return {t.heading: t for t in tables(md["budget"])}


def test_budget_is_split_into_grant_and_contributions(project: Any, small: NetworkData) -> None:
    md = parts(inputs(project, small))
    found = _budget_tables(md)
    assert list(found) == ["By funding source", "By budget line", "By aspiration"]
    sources = found["By funding source"]
    assert sources.header == ["Funding source", "Grant", "Own contribution",
                              "Partner contribution", "Total"]  # fmt: skip
    assert check_totals(sources) == 12  # two subtotals and the total, four columns each
    rows = {r[0]: [amount(c)[1] for c in r[1:]] for r in sources.rows}
    # x-1: 499.75 + 250 + 100.50 = 850.25 grant, 100.25 own, 50 partner
    # x-3: all 500 by a partner; x-2: 2,000 not broken down; x-4 cancelled; x-5 in USD
    assert rows["Erasmus\\+ KA2"] == [Decimal("850.25"), Decimal("100.25"), Decimal(550),
                                      Decimal("1500.50")]  # fmt: skip
    assert rows["national"] == [Decimal(2000), 0, 0, Decimal(2000)]
    total = rows["**All funding sources**"]
    assert total == [Decimal("2850.25"), Decimal("100.25"), Decimal(550), Decimal("3500.50")]
    assert total[0] + total[1] + total[2] == total[3]
    lines = found["By budget line"]
    assert check_totals(lines) == 4
    assert lines.column("Budget line") == ["Catering", "Materials", "Travel", "Venue",
                                           "Not broken down",
                                           "**All budget lines**"]  # fmt: skip
    assert [amount(c)[1] for c in lines.rows[-1][1:]] == total
    assert [amount(c)[1] for c in lines.rows[-2][1:]] == [Decimal(2000), 0, 0, Decimal(2000)]
    national = next(r for r in sources.rows if r[0] == "national")
    assert national[1] == "EUR\u00a02,000.00"  # every amount with cents when one has


@pytest.mark.parametrize("cluster", [None, "africa"])
def test_bundled_budget_totals_are_the_budget_of_the_activities(
    bundled: dict[str | None, tuple[Inputs, dict[str, str]]], cluster: str | None
) -> None:
    inp, md = bundled[cluster]
    state = ActionPlan(inp)
    main = state.figures.main_currency
    expected = sum(
        (a.budget for a in state.acts
         if a.status != "cancelled" and a.budget is not None and a.currency == main),
        Decimal(0),
    )  # fmt: skip
    found = _budget_tables(md)
    for heading in ("By funding source", "By budget line"):
        table = found[heading]
        assert check_totals(table) >= 4
        grant, own, partner, total = (amount(c)[1] for c in table.rows[-1][1:])
        assert grant + own + partner == total == expected, heading
    assert state.budget.mismatches == ()


def test_milestones_by_due_date_with_overdue_flagged(project: Any, small: NetworkData) -> None:
    (network,) = tables(parts(inputs(project, small))["milestones"])
    due = ["1 Mar 2026", "1 May 2026", "1 Dec 2026", "10 Jan 2027"]  # no-break spaces inside
    assert network.column("Due") == [d.replace(" ", "\u00a0") for d in due]
    assert network.column("Status") == ["planned (**overdue**)", "achieved", "planned",
                                        "planned"]  # fmt: skip
    assert network.column("Owner")[0] == "Cluster coordinator"
    assert network.column("Activity")[2] == "the whole network"
    (africa,) = tables(parts(inputs(project, small, "africa"))["milestones"])
    assert [first_id(c) for c in africa.column("Activity")] == ["x-1", "x-1"]


def test_summary_and_points_to_watch(project: Any, small: NetworkData) -> None:
    bad = BudgetLine(activity="x-2", line="Staff", amount=Decimal(2500))
    data = small.model_copy(update={"budget_lines": [*small.budget_lines, bad]})
    md = parts(inputs(project, data))
    (summary,) = tables(md["summary"])
    values = dict(summary.rows)
    assert values["Planned / ongoing / done / cancelled"] == "0 / 5 / 0 / 1"
    assert values["Timeline"] == "1 January 2026 to 31 December 2027"
    assert values["Aspirations covered"].startswith(f"1 of {len(data.strategy.aspirations)}: ")
    assert "Budget lines that do not fit the budget" in md["flags"]
    assert "x\\-2 Awareness campaign" in md["flags"]


def test_a_plan_without_activities_says_so(project: Any, small: NetworkData) -> None:
    empty = small.model_copy(update={"activities": [], "budget_lines": [], "milestones": []})
    md = parts(inputs(project, empty, "africa"))
    assert "No activity is recorded for this period yet" in md["summary"]
    assert "_There are no activities in this plan._" in md["raci"]
    assert "_No budgets are recorded._" in md["budget"]
    assert "_No promotion activity is planned in this period._" in md["promotion"]
    assert "No milestone" in md["milestones"]
    (register,) = tables(md["risks"])  # the risks stay: they are the cluster's, not an activity's
    assert len(register.rows) == 4
