"""Summary, figures and KPI values computed from the sample."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pipeline.network import Snapshot
from pipeline.network.figures import (
    DEFINITIONS,
    Figures,
    compute_figures,
    money_column,
    money_text,
    number_text,
    percent_text,
)
from pipeline.network.summary import summarise

TODAY = date(2026, 11, 23)


def _fig(snapshot: Snapshot) -> Figures:
    return compute_figures(snapshot.network, TODAY, snapshot.sha256)


def test_summary_counts(sample: Snapshot) -> None:
    s = summarise(sample, _fig(sample))
    figures = {f["name"]: f for f in s.figures}
    assert figures["members"]["value"] == len(sample.network.organisations)
    assert figures["members"]["value"] == sum(r["all"] for r in s.members_per_region.values())
    assert set(s.members_per_region) == {
        "Africa", "Arab States", "Asia-Pacific", "Europe and North America",
        "Latin America and the Caribbean",
    }  # fmt: skip
    assert sum(s.activities_per_status.values()) == len(sample.network.activities)
    assert sum(sum(a.values()) for a in s.activities_per_aspiration.values()) == len(
        sample.network.activities
    )
    # regional clusters, then thematic ones, each by name (not by id: digital-tvet is "TVET
    # in a digital world")
    assert [(c.kind, c.id) for c in s.clusters] == [
        ("regional", "africa"), ("regional", "arab-states"), ("regional", "asia-pacific"),
        ("regional", "europe-north-america"), ("regional", "latin-america-caribbean"),
        ("thematic", "greening-tvet"), ("thematic", "digital-tvet"),
        ("thematic", "youth-employment"),
    ]  # fmt: skip
    assert [c.id for c in s.clusters] == [c.id for c in sample.network.clusters_in_order()]
    assert s.clusters_without_lead == []
    assert set(figures) == set(DEFINITIONS)


def test_summary_renewals_and_overdue(sample: Snapshot) -> None:
    s = summarise(sample, _fig(sample))
    assert [(r.organisation, r.days_left) for r in s.renewals_due] == [
        ("org-034", 17), ("org-003", 53),
    ]  # fmt: skip
    assert [(a.id, a.days_overdue) for a in s.overdue_activities] == [("act-006", 54)]
    assert summarise(sample, _fig(sample), days=20).renewals_due[0].organisation == "org-034"
    assert len(summarise(sample, _fig(sample), days=20).renewals_due) == 1


def test_budget_per_funding_is_exact_and_excludes_cancelled(sample: Snapshot) -> None:
    s = summarise(sample, _fig(sample))
    expected: dict[str, Decimal] = {}
    for a in sample.network.activities:
        if a.status != "cancelled" and a.budget is not None and a.currency == "EUR":
            key = a.funding or ""
            expected[key] = expected.get(key, Decimal(0)) + a.budget
    got = {f: Decimal(v["EUR"]) for f, v in s.budget_per_funding.items() if "EUR" in v}
    assert got == expected
    assert any(Decimal(v) != Decimal(v).to_integral_value() for v in map(str, got.values()))
    assert Decimal(s.budget_per_funding["partner contribution"]["USD"]) > 0


def test_thematic_cluster_without_convener_is_listed(sample: Snapshot) -> None:
    net = sample.network
    clusters = [c.model_copy(update={"convener": None}) if c.kind == "thematic" else c
                for c in net.clusters]  # fmt: skip
    snap = Snapshot.of(net.model_copy(update={"clusters": clusters}), "test")
    s = summarise(snap, _fig(snap))
    assert {c.kind for c in s.clusters_without_lead} == {"thematic"}
    assert len(s.clusters_without_lead) == sum(c.kind == "thematic" for c in net.clusters)


def test_kpi_values(sample: Snapshot) -> None:
    net = sample.network
    fig = compute_figures(net, TODAY)
    values = {k.id: k for k in fig.kpis}
    active = [o for o in net.organisations if o.status == "active"]
    assert values["a4-k1"].current == len(active)
    assert values["a4-k2"].current == len({o.country for o in active})
    assert values["a3-k2"].current == 7  # manual
    assert values["a1-k2"].current == len(net.partnerships)
    done_a2 = sum(a.status == "done" and a.aspiration == "a2" for a in net.activities)
    assert values["a2-k1"].current == done_a2
    eu = sum(
        (a.budget or Decimal(0))
        for a in net.activities
        if a.status in ("ongoing", "done") and a.funding in ("Erasmus+ KA2", "Erasmus+ KA3")
        and a.currency == "EUR"
    )  # fmt: skip
    assert values["a3-k1"].current == eu
    assert isinstance(values["a3-k1"].current, Decimal)
    k = values["a4-k1"]
    assert k.current is not None
    assert k.progress == 100 * (k.current - k.baseline) / (k.target - k.baseline)


def test_figures_name_their_basis(sample: Snapshot) -> None:
    fig = compute_figures(sample.network, TODAY)
    assert fig["countries"].label != fig["countries-active"].label
    assert "active" in fig["countries-active"].definition.definition
    assert fig["activities-in-plan"].value == len(fig.plan().activities)
    assert fig["activities"].value == len(sample.network.activities)
    assert fig["kpis"].value == sum(len(a.kpis) for a in sample.network.strategy.aspirations)


def test_a_kpi_whose_target_is_its_baseline_has_no_progress(sample: Snapshot) -> None:
    net = sample.network
    aspirations = [
        a.model_copy(update={"kpis": [k.model_copy(update={"baseline": 0, "target": 0})
                                      for k in a.kpis]})
        for a in net.strategy.aspirations
    ]  # fmt: skip
    strategy = net.strategy.model_copy(update={"aspirations": aspirations})
    fig = compute_figures(net.model_copy(update={"strategy": strategy}), TODAY)
    assert all(k.progress is None and "baseline" in k.reason for k in fig.kpis)


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("87.5"), "88 %"), (Decimal("0.5"), "1 %"), (Decimal("2.4999"), "2 %"),
     (Decimal("72.97297"), "73 %"), (Decimal("100"), "100 %"), (Decimal("-12.5"), "-13 %")],
)  # fmt: skip
def test_percentages_round_once_half_up(value: Decimal, text: str) -> None:
    assert percent_text(value) == text
    assert number_text(value, "%") == text


def test_money_is_printed_exactly() -> None:
    assert money_text(Decimal("764000.50"), "EUR") == "EUR 764,000.50"
    assert money_text(Decimal("764000"), "EUR") == "EUR 764,000"
    assert money_text(Decimal("764000"), "EUR", cents=True) == "EUR 764,000.00"
    assert money_text(Decimal("1.005"), "BHD") == "BHD 1.005"  # never rounded away
    assert money_text(Decimal("1.5"), "BHD", cents=True) == "BHD 1.500"  # its minor unit
    assert money_text(Decimal("47000"), "JPY", cents=True) == "JPY 47,000"  # JPY has none
    column = money_column([Decimal("950000.50"), Decimal("473000"), Decimal("630000.50")], "EUR")
    assert column == ["EUR 950,000.50", "EUR 473,000.00", "EUR 630,000.50"]
