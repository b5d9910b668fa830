"""Which reporting period a report is for (the edition's, or ``--period``), which activities a
KPI of completed activities counts, what a self-funded budget without lines is, and a document
status that names no document type."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.documents.common import Inputs
from pipeline.documents.plan_budget import NOT_BROKEN_DOWN, activity_split
from pipeline.documents.progress_report import DOCUMENT as REPORT
from pipeline.network.model import DocumentStatus, ReportingPeriod, reporting_period
from pipeline.publish.readiness import check_readiness
from tests.conftest import run


def _period(ident: str, start: str, end: str) -> ReportingPeriod:
    return ReportingPeriod(id=ident, start=date.fromisoformat(start), end=date.fromisoformat(end))


def test_the_edition_reports_on_the_period_ended_by_the_meeting(project: Any) -> None:
    data = project[2].network
    ahead = data.model_copy(
        update={"periods": [*data.periods, _period("2026-27", "2026-10-01", "2027-09-30")]}
    )
    # next year's period, recorded ahead and started before the meeting, is not the edition's
    assert reporting_period(ahead, date(2026, 10, 6)).id == "2025-26"
    # the period that ended before the meeting, not the one under way
    assert reporting_period(ahead, date(2025, 11, 1)).id == "2024-25"
    first = ahead.model_copy(update={"periods": [p for p in ahead.periods if p.id != "2024-25"]})
    # while no period has ended yet, the one under way
    assert reporting_period(first, date(2025, 11, 1)).id == "2025-26"
    none = data.model_copy(update={"periods": []})
    derived = reporting_period(none, date(2026, 10, 6))
    assert (derived.id, derived.start, derived.end) == (
        "2025-26",
        date(2025, 10, 6),
        date(2026, 10, 5),
    )


def test_a_report_for_a_named_period(project: Any) -> None:
    settings, kb, snapshot, _ = project
    africa = next(c for c in snapshot.network.clusters if c.id == "africa")
    chosen = replace(settings, period="2024-25")
    made = REPORT.make(Inputs(kb, snapshot, chosen, Path("x.docx"), cluster=africa)).context
    assert made["period"].startswith("Reporting period 2024–25: 1 October 2024")


def test_period_option_errors_name_the_fix(project: Any) -> None:
    result = run("build", "progress-report", "--cluster", "africa", "--period", "2030")
    assert result.exit_code == 2
    assert "--period: no reporting period '2030' (known: 2024-25, 2025-26)" in result.output
    result = run("build", "strategy", "--period", "2024-25")
    assert result.exit_code == 2 and "--period applies to progress-report" in result.output


def test_a_kpi_of_completed_activities_counts_its_category_only(project: Any) -> None:
    settings, kb, snapshot, _ = project
    data = snapshot.network
    first = data.strategy.aspirations[0]
    kpi = next(k for k in first.kpis if k.metric == "activities-done")
    done = [a for a in data.activities if a.status == "done" and a.aspiration == first.id]
    promotion = [a for a in done if a.category == "promotion"]
    assert 0 < len(promotion) < len(done)  # the sample has both
    counted = {}
    for category in (None, "promotion"):
        aspiration = first.model_copy(
            update={"kpis": [kpi.model_copy(update={"category": category})]}
        )
        strategy = data.strategy.model_copy(update={"aspirations": [aspiration]})
        net = replace(snapshot, network=data.model_copy(update={"strategy": strategy}))
        (figure,) = Inputs(kb, net, settings, Path("x.docx")).fig.kpis
        counted[category] = figure.current
    assert counted == {None: len(done), "promotion": len(promotion)}


def test_a_self_funded_budget_without_lines_is_its_own_contribution(project: Any) -> None:
    activity = next(a for a in project[2].network.activities if a.budget is not None)
    for funding, payer in (("own resources", "own"), ("partner contribution", "partner"),
                           ("Erasmus+ KA2", "grant")):  # fmt: skip
        split = activity_split(activity.model_copy(update={"funding": funding}), [])
        assert [line for line, _ in split] == [NOT_BROKEN_DOWN]
        assert getattr(split[0][1], payer) == activity.budget == split[0][1].total


def test_a_status_for_no_document_type_is_refused_by_publish(project: Any) -> None:
    settings, kb, snapshot, _ = project
    data = snapshot.network
    wrong = DocumentStatus(document="stratgy", status="adopted", adopted=date(2025, 10, 8))
    bad = replace(snapshot, network=data.model_copy(update={"documents": [wrong]}))
    ready = check_readiness(settings, kb, bad, date(2026, 10, 31), lint_problems=[])
    (problem,) = [p for p in ready.contradictions if "stratgy" in p.where]
    assert problem.level == "error" and "did you mean 'strategy'?" in problem.message
    assert not check_readiness(settings, kb, snapshot, date(2026, 10, 31), []).contradictions
