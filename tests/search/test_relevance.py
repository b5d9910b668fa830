"""Relevance on the bundled KB: questions people type, and the article that must be in the
top 3 (relevance.tsv)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.search.index import ensure_index
from pipeline.search.query import search
from tests.conftest import BUNDLED_KB

CASES = [
    tuple(line.rstrip("\n").split("\t"))
    for line in (Path(__file__).parent / "relevance.tsv").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Any:
    index, _report = ensure_index(tmp_path_factory.mktemp("cache"), BUNDLED_KB)
    yield index
    index.close()


def test_there_are_at_least_15_questions() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize(("question", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expected_article_in_top_three(ix: Any, question: str, expected: str) -> None:
    result = search(ix, question, limit=3)
    assert expected in [h.id for h in result.hits], [h.id for h in result.hits]


def test_title_weighs_more_than_body(ix: Any) -> None:
    # "Convener" is the title of the role and of the glossary term; both outrank pages that
    # only mention conveners in passing.
    top = [h.id for h in search(ix, "convener", limit=3).hits]
    assert "convener" in top and "glossary-convener" in top


def test_best_section_is_the_one_that_matches(ix: Any) -> None:
    hit = next(
        h
        for h in search(ix, "benefits of cluster coordinators", limit=10).hits
        if h.id == "cluster-coordinator"
    )
    assert hit.anchor == "benefits" and hit.section == "Benefits"
    assert "**" in hit.snippet
