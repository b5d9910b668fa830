"""Summary and KPI values computed from the sample."""

from __future__ import annotations

from datetime import date

from pipeline.network import Snapshot
from pipeline.network.kpis import kpi_values
from pipeline.network.summary import summarise

TODAY = date(2026, 11, 23)


def test_summary_counts(sample: Snapshot) -> None:
    s = summarise(sample, TODAY)
    assert (
        s.organisations == len(sample.network.organisations) == sum(s.members_per_region.values())
    )
    assert set(s.members_per_region) == {
        "Africa", "Arab States", "Asia-Pacific", "Europe and North America",
        "Latin America and the Caribbean",
    }  # fmt: skip
    assert sum(s.activities_per_status.values()) == s.activities
    assert sum(a.activities for a in s.activities_per_aspiration) == s.activities
    assert [c.id for c in s.clusters] == sorted(c.id for c in sample.network.clusters)
    assert s.clusters_without_coordinator == []


def test_summary_renewals_and_overdue(sample: Snapshot) -> None:
    s = summarise(sample, TODAY)
    assert [(r.organisation, r.days_left) for r in s.renewals_due] == [
        ("org-034", 17), ("org-003", 53),
    ]  # fmt: skip
    assert [(a.id, a.days_overdue) for a in s.overdue_activities] == [("act-006", 54)]
    assert summarise(sample, TODAY, days=20).renewals_due[0].organisation == "org-034"
    assert len(summarise(sample, TODAY, days=20).renewals_due) == 1


def test_budget_per_funding_excludes_cancelled(sample: Snapshot) -> None:
    s = summarise(sample, TODAY)
    expected: dict[str, float] = {}
    for a in sample.network.activities:
        if a.status != "cancelled" and a.budget is not None and a.currency == "EUR":
            key = a.funding or "unspecified"
            expected[key] = expected.get(key, 0.0) + float(a.budget)
    got = {f: v["EUR"] for f, v in s.budget_per_funding.items() if "EUR" in v}
    assert got == expected
    assert s.budget_per_funding["partner contribution"]["USD"] > 0


def test_cluster_without_coordinator_is_listed(sample: Snapshot) -> None:
    net = sample.network
    clusters = [c.model_copy(update={"coordinator": None}) if c.id == "digital-tvet" else c
                for c in net.clusters]  # fmt: skip
    snap = Snapshot.of(net.model_copy(update={"clusters": clusters}), "test")
    s = summarise(snap, TODAY)
    assert [(c.id, c.name) for c in s.clusters_without_coordinator] == [
        ("digital-tvet", "TVET in a digital world")
    ]


def test_kpi_values(sample: Snapshot) -> None:
    net = sample.network
    values = {k.id: k for k in kpi_values(net)}
    active = [o for o in net.organisations if o.status == "active"]
    assert values["a4-k1"].current == len(active)
    assert values["a4-k2"].current == len({o.country for o in active})
    assert values["a3-k2"].current == 7  # manual
    assert values["a1-k2"].current == len(net.partnerships)
    done_a2 = sum(a.status == "done" and a.aspiration == "a2" for a in net.activities)
    assert values["a2-k1"].current == done_a2
    eu = sum(
        float(a.budget or 0)
        for a in net.activities
        if a.status in ("ongoing", "done") and a.funding in ("Erasmus+ KA2", "Erasmus+ KA3")
        and a.currency == "EUR"
    )  # fmt: skip
    assert values["a3-k1"].current == eu
    k = values["a4-k1"]
    assert k.progress == round(100 * (k.current - k.baseline) / (k.target - k.baseline), 1)
    assert 0 < values["a4-k3"].current <= 100
