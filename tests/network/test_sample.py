"""The bundled sample network is complete enough for every document and summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pipeline.network import Snapshot


def test_sample_network_identity(sample: Snapshot) -> None:
    info = sample.network.network
    assert (info.name, info.short_name, info.secretariat) == (
        "Global VET Network of Networks", "VETNoN", "VETNoN Secretariat",
    )  # fmt: skip
    assert info.edition == "2026-annual-meeting"
    assert (info.meeting.date, info.meeting.city, info.meeting.country) == (
        date(2026, 10, 6), "Lisbon", "PT",
    )  # fmt: skip


def test_sample_size_and_clusters(sample: Snapshot) -> None:
    net = sample.network
    assert len(net.organisations) >= 80
    assert len({o.country for o in net.organisations}) >= 40
    regional = {c.id for c in net.clusters if c.kind == "regional"}
    thematic = {c.id for c in net.clusters if c.kind == "thematic"}
    assert regional == {
        "africa", "arab-states", "asia-pacific", "europe-north-america", "latin-america-caribbean",
    }  # fmt: skip
    assert {"greening-tvet", "digital-tvet", "youth-employment"} <= thematic
    # as kb/roles says: a regional cluster has a coordinating member, a thematic one a convener
    for cluster in net.clusters:
        if cluster.kind == "regional":
            assert cluster.coordinator and not cluster.convener, cluster.id
        else:
            assert cluster.convener and not cluster.coordinator, cluster.id


def test_sample_strategy_and_activities(sample: Snapshot) -> None:
    net = sample.network
    assert len(net.strategy.aspirations) == 4
    assert all(a.kpis and a.objectives for a in net.strategy.aspirations)
    assert len(net.activities) >= 30
    assert all(a.budget is not None for a in net.activities)
    years = {a.start.year for a in net.activities} | {a.end.year for a in net.activities}
    assert years <= {2025, 2026, 2027} and {2025, 2027} <= years


def test_sample_has_content_for_summaries(sample: Snapshot) -> None:
    net = sample.network
    today = date(2026, 11, 23)
    due = [o.renewal_due for o in net.organisations if o.renewal_due]
    soon = [d for d in due if 0 <= (d - today).days <= 90]
    overdue = [a for a in net.activities if a.status in ("planned", "ongoing") and a.end < today]
    assert soon and overdue


def test_sample_carries_awkward_values(sample: Snapshot) -> None:
    names = {o.name for o in sample.network.organisations}
    assert any("&" in n for n in names)
    assert any('"' in n for n in names)
    assert any("é" in n for n in names)
    assert "معهد النور للتدريب المهني" in {o.name_local for o in sample.network.organisations}
    outputs = [x for a in sample.network.activities for x in a.outputs]
    assert "Guide: «Choisir la voie professionnelle»" in outputs
    assert "دليل الإرشاد المهني" in outputs
    assert any("'" in c.contact_name for c in sample.network.organisations if c.contact_name)


def test_sample_has_no_warnings_and_nothing_unfinished(sample: Snapshot) -> None:
    # `netdocs data check --strict` passes on the bundled data
    assert sample.warnings == ()


def test_sample_money_is_exact_to_the_cent(sample: Snapshot) -> None:
    budgets = {a.id: a.budget for a in sample.network.activities}
    assert budgets["act-007"] == Decimal("37000.50")
    assert str(budgets["act-007"]) == "37000.50"
    assert str(budgets["act-027"]) == "85000.00"  # written 85000.00 in the CSV, cents kept
    assert str(budgets["act-001"]) == "189000.00"  # whole euros carried to the cent
    kpis = {k.id: k for a in sample.network.strategy.aspirations for k in a.kpis}
    assert isinstance(kpis["a3-k1"].target, Decimal)
    assert str(kpis["a3-k1"].target) == "2000000.00"  # unit EUR: to the cent
    assert str(kpis["a4-k3"].target) == "75"  # unit %: exact, without trailing zeros


def test_the_data_readme_documents_every_column_and_is_not_an_article() -> None:
    from pipeline.kb.paths import iter_markdown
    from pipeline.network import BUNDLED_SAMPLE
    from pipeline.network.tables import ENTITY_TABLES, KPIS

    readme = BUNDLED_SAMPLE / "README.md"
    text = readme.read_text(encoding="utf-8")
    for spec in (*ENTITY_TABLES, KPIS):
        missing = [c for c in spec.columns if f"`{c}`" not in text and c != "aspiration"]
        assert not missing, f"kb/network/README.md does not document {spec.name}: {missing}"
    assert "every person and every organisation in it is invented" in text.lower()
    assert "example.org" in text
    assert readme not in set(iter_markdown(BUNDLED_SAMPLE.parent))  # not read as a KB article
