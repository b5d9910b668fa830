"""The bundled knowledge base: complete, linked, and clean under --strict."""

from __future__ import annotations

from collections import Counter

import pytest

from pipeline.kb import read_kb
from pipeline.kb.lint import lint
from pipeline.network.model import ROLES as NETWORK_ROLES
from tests.conftest import BUNDLED_KB, run

ROLES = {
    "secretariat",
    "focal-point",
    "cluster-coordinator",
    "centre-coordinator",
    "convener",
    "member-institution",
}
GLOSSARY_TERMS = ["TVET", "VET", "KA3", "Cluster", "Focal point", "Convener", "Promising practice"]


@pytest.fixture(scope="module")
def kb():  # type: ignore[no-untyped-def]
    return read_kb(BUNDLED_KB)


def test_lints_clean_under_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BUNDLED_KB.parent)
    result = run("kb", "lint", "--strict")
    assert result.exit_code == 0, result.stdout


def test_has_every_kind_of_content(kb) -> None:  # type: ignore[no-untyped-def]
    counts = Counter(a.type for a in kb.articles)
    assert {a.id for a in kb.of_type("role")} >= ROLES
    assert set(NETWORK_ROLES) == ROLES  # the data's roles (RACI, owners) are the KB's
    assert counts["principle"] == 8
    assert sorted(n for a in kb.of_type("roadmap-step") for n in a.meta.step) == list(range(1, 8))
    assert counts["lesson"] >= 12 and counts["practice"] >= 10
    assert counts["glossary"] >= 25
    titles = {a.title.lower() for a in kb.of_type("glossary")}
    assert all(
        any(t.lower() == x or x.startswith(t.lower() + " ") for x in titles) for t in GLOSSARY_TERMS
    ), titles
    pages = {a.id for a in kb.of_type("page")}
    assert {"value-added-of-clusters", "cluster-outputs", "online-services"} <= pages


def test_roles_have_the_sections_editors_expect(kb) -> None:  # type: ignore[no-untyped-def]
    for role in kb.of_type("role"):
        heads = [s.title.lower() for s in role.sections]
        assert "responsibilities" in heads and "benefits" in heads, role.path
        assert any(h.startswith("what makes a successful") for h in heads), role.path
        assert any("communicat" in h for h in heads), role.path
    coordinator = kb.by_id()["cluster-coordinator"]
    assert "national" in coordinator.text and "region" in coordinator.text


def test_lessons_and_practices_are_tied_to_steps_and_roles(kb) -> None:  # type: ignore[no-untyped-def]
    for a in kb.of_type("lesson") + kb.of_type("practice"):
        assert a.meta.step and a.meta.audience, a.path


def test_articles_link_to_each_other(kb) -> None:  # type: ignore[no-untyped-def]
    internal = [link for a in kb.articles for link in a.links if link.path and not link.external]
    assert len(internal) >= len(kb.articles)
    assert lint(kb).errors == 0


def test_uses_tables_footnotes_definition_lists_and_images(kb) -> None:  # type: ignore[no-untyped-def]
    bodies = "\n".join(a.body for a in kb.articles)
    assert "|---" in bodies.replace(" ", "") or "| ---" in bodies
    assert "[^" in bodies
    assert "\n: " in bodies
    assert any(a.images for a in kb.articles)


def test_cites_the_figures_the_data_owns(kb) -> None:  # type: ignore[no-untyped-def]
    from pipeline.kb.figrefs import find_citations

    cited = {a.id: {c.name for c in find_citations(a.body, a.body_line)} for a in kb.articles}
    assert {"kpis", "aspirations"} <= cited["step-7-monitoring-renewal"]
    assert {"clusters-regional", "clusters-thematic", "members-in-thematic-cluster", "members"} <= (
        cited["principle-inter-cluster-coordination"]
    )
    assert "clusters-regional" in cited["glossary-regional-cluster"]
    assert "clusters-thematic" in cited["glossary-thematic-cluster"]


def test_step_7_lists_the_kpis_of_the_strategy_and_no_others(kb) -> None:  # type: ignore[no-untyped-def]
    import yaml

    strategy = yaml.safe_load((BUNDLED_KB / "network" / "strategy.yaml").read_text("utf-8"))
    names = [k["name"].lower() for a in strategy["aspirations"] for k in a["kpis"]]
    text = " ".join(kb.by_id()["step-7-monitoring-renewal"].body.lower().split())
    assert all(name in text for name in names), [n for n in names if n not in text]
    for untracked in ("renewal rate", "satisfaction", "response rate", "mobility", "approved"):
        assert untracked not in text
    assert "ten key performance indicators" not in text
    assert "baseline, target and current value" in text


def test_says_what_the_data_and_the_sources_say(kb) -> None:  # type: ignore[no-untyped-def]
    by_id = kb.by_id()
    principle = by_id["principle-inter-cluster-coordination"].body
    assert "at least one of each kind" not in principle and "voluntarily" in principle
    for ident in ("practice-cluster-consolidation-workshop", "sources"):
        body = " ".join(by_id[ident].body.split())
        assert "UNESCO-UNEVOC" in body and "East and Southeast Asia cluster" in body, ident
        assert "an East and Southeast Asia" not in body, ident
    assert not any("Seoul" in a.body and "Asia-Pacific cluster" in a.body for a in kb.articles)
