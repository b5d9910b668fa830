"""The publish plan and the landing page read the document types and the formats from their
one declaration (documents/registry.py, render/writers.py), not from copies of their own."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.config import load_settings
from pipeline.documents.registry import REGISTRY, network_types, per_cluster_types
from pipeline.kb import read_kb
from pipeline.network import load_network
from pipeline.publish import plan as plan_mod
from pipeline.publish.plan import edition_sources, plan_edition
from pipeline.publish.stages import label
from pipeline.render.writers import WRITERS
from tests.conftest import REPO


@pytest.fixture(scope="module")
def sources() -> Any:
    settings = load_settings(cwd=REPO)
    snapshot = load_network(settings.data)
    return settings, edition_sources(settings, read_kb(settings.kb), snapshot, "")


def test_the_plan_is_the_registry_s_network_then_per_cluster_types(sources: Any) -> None:
    settings, now = sources
    planned = plan_edition(now, settings.templates)
    clusters = [c.id for c in now.snapshot.network.clusters_in_order()]  # regional, then thematic
    expected = [(t.name, None) for t in network_types()]
    expected += [(t.name, c) for c in clusters for t in per_cluster_types()]
    assert [(p.kind, p.cluster) for p in planned] == expected
    assert all(p.build and p.why == ("no earlier build",) for p in planned)


def test_the_plan_follows_the_registry_s_scopes(
    sources: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which types are network-wide and which per cluster is asked of the registry's functions
    (a type whose scope changes there moves in the plan)."""
    settings, now = sources
    strategy, action_plan = REGISTRY["strategy"], REGISTRY["action-plan"]
    monkeypatch.setattr(plan_mod, "network_types", lambda: [action_plan])
    monkeypatch.setattr(plan_mod, "per_cluster_types", lambda: [strategy])
    planned = plan_edition(now, settings.templates)
    first = now.snapshot.network.clusters_in_order()[0].id
    assert [p.docx for p in planned[:2]] == [
        "action-plan.docx",
        f"clusters/strategy-{first}.docx",
    ]
    assert len(planned) == 1 + len(now.snapshot.network.clusters)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_a_format_s_label_is_its_writer_s(fmt: str) -> None:
    assert label(fmt) == WRITERS[fmt].label


def test_the_pdf_has_no_writer_and_its_own_label() -> None:
    assert "pdf" not in WRITERS and label("pdf") == "PDF"
