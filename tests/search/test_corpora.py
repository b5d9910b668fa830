"""The relevance corpora (tests/search/corpora/) and the harness bench/relevance.py (issue 15).

One evaluation of every corpus is run per module (the indexes are built once, in a temporary
cache, and reused by the other tests).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pipeline.search.index import ensure_index

REPO = Path(__file__).resolve().parents[2]


def _load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("relevance", REPO / "bench" / "relevance.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("relevance", module)
    spec.loader.exec_module(module)
    return module


rel = _load_harness()
NAMES: list[str] = rel.corpus_names()
REAL = [n for n in NAMES if n != rel.BUNDLED]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("relevance-cache")


@pytest.fixture(scope="module")
def evaluation(cache: Path) -> Any:
    return rel.evaluate(cache=cache)


def test_there_are_real_corpora_and_the_bundled_set() -> None:
    assert len(REAL) >= 2, REAL
    assert rel.BUNDLED in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_questions_file_has_three_columns_and_both_splits(name: str) -> None:
    path = rel.CORPORA / name / "questions.tsv"
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            cols = line.split("\t")
            assert len(cols) == 3 and all(c.strip() for c in cols), f"{path}:{n}: {line!r}"
            assert cols[2] in ("tune", "holdout"), f"{path}:{n}: {cols[2]!r}"
    questions = rel.load_corpus(name).questions
    assert {q.split for q in questions} == {"tune", "holdout"}
    texts = [q.text.casefold() for q in questions]
    assert len(texts) == len(set(texts)), "a question is asked twice"


def test_at_least_40_real_corpus_questions_and_25_per_corpus() -> None:
    counts = {n: len(rel.load_corpus(n).questions) for n in REAL}
    assert all(c >= 25 for c in counts.values()), counts
    assert sum(counts.values()) >= 40, counts


def test_bundled_set_includes_the_old_relevance_questions_as_tune() -> None:
    questions = {q.text: q for q in rel.load_corpus(rel.BUNDLED).questions}
    old = rel.read_questions(REPO / "tests" / "search" / "relevance.tsv", default_split="tune")
    for q in old:
        assert q.text in questions
    assert questions["how to get EU funding for mobility"].expected == ("glossary-ka1",)
    assert questions["what does a convener do"].expected == ("convener",)


def test_a_malformed_questions_file_is_reported_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "questions.tsv"
    bad.write_text("# comment\nok question\tsome-id\ttune\nno split here\tsome-id\n")
    with pytest.raises(rel.QuestionsError, match=r"questions.tsv:3: expected"):
        rel.read_questions(bad)
    bad.write_text("a question\tsome-id\tlater\n")
    with pytest.raises(rel.QuestionsError, match=r"split 'later'"):
        rel.read_questions(bad)


@pytest.mark.parametrize("name", NAMES)
def test_corpus_indexes_and_every_expected_id_exists(
    name: str, cache: Path, evaluation: Any
) -> None:
    corpus = rel.load_corpus(name)
    articles = rel.read_articles(corpus.kb)  # read by the evaluation: cached
    ids = [a.meta.id for a in articles]
    assert len(ids) == len(set(ids)), "two articles share an id"
    ix, report = ensure_index(cache / name, corpus.kb)  # built by the evaluation: reused
    ix.close()
    assert not report.read_only and not report.skipped
    assert report.unchanged == len(articles), "the index does not hold every article"
    assert not (report.added or report.changed or report.deleted or report.rebuilt)
    missing = {e for q in corpus.questions for e in q.expected} - set(ids)
    assert not missing, f"expected ids not in {name}: {sorted(missing)}"


def test_figures_are_shares_and_cover_every_corpus_and_split(evaluation: Any) -> None:
    assert set(evaluation.table) == {*NAMES, "overall"}
    for splits in evaluation.table.values():
        assert set(splits) == {"tune", "holdout", "all"}
        for row in splits.values():
            for m in row.values():
                assert 0.0 <= m.hit3 <= 1.0 and 0.0 <= m.mrr <= 1.0
                assert m.mrr <= 1.0 and m.n > 0
    total = sum(evaluation.table[n]["all"]["netdocs"].n for n in NAMES)
    assert evaluation.table["overall"]["all"]["netdocs"].n == total == len(evaluation.outcomes)


def _outcome(ranking: list[str], expected: tuple[str, ...]) -> Any:
    q = rel.Question("q", expected, "tune")
    return rel.Outcome("c", q, ranking={"netdocs": ranking})


def test_metrics_follow_the_rank_of_the_first_expected_id() -> None:
    first = _outcome(["a", "b", "c"], ("a",))
    third = _outcome(["x", "y", "a"], ("a", "z"))
    fourth = _outcome(["w", "x", "y", "a"], ("a",))
    absent = _outcome(["w"] * 10 + ["a"], ("a",))  # below the top 10: not counted
    assert rel.metrics([first], "netdocs") == rel.Metrics(1, 1.0, 1.0)
    assert rel.metrics([third], "netdocs") == rel.Metrics(1, 1.0, round(1 / 3, 4))
    assert rel.metrics([fourth], "netdocs") == rel.Metrics(1, 0.0, 0.25)
    assert rel.metrics([absent], "netdocs") == rel.Metrics(1, 0.0, 0.0)
    both = rel.metrics([first, fourth], "netdocs")
    assert both == rel.Metrics(2, 0.5, 0.625)


def test_a_wrong_expected_id_scores_zero_and_a_right_one_does_not(cache: Path) -> None:
    corpus = rel.load_corpus("mkdocs")
    right = rel.Question(
        "deploy the docs to github pages", ("user-guide-deploying-your-docs",), "tune"
    )
    wrong = rel.Question(right.text, ("about-license",), "tune")
    outcomes = rel.run_corpus(corpus, cache, questions=[right, wrong])
    for engine in rel.ENGINES:
        assert rel.metrics(outcomes[:1], engine).mrr > 0, (engine, outcomes[0].ranking)
        assert rel.metrics(outcomes[1:], engine) == rel.Metrics(1, 0.0, 0.0)


def test_a_refused_question_is_a_miss_with_its_reason(cache: Path) -> None:
    corpus = rel.load_corpus("opensource-guide")
    q = rel.Question("how do I", ("legal",), "tune")  # only stop words
    [outcome] = rel.run_corpus(corpus, cache, engines=("netdocs",), questions=[q])
    if not outcome.error:  # this checkout's netdocs answers stop words: nothing to check
        pytest.skip("netdocs does not refuse a question of only stop words here")
    assert outcome.ranking["netdocs"] == [] and outcome.rank("netdocs") is None
    assert "netdocs" in outcome.error


def test_fts5_quotes_every_word_so_punctuation_is_no_syntax() -> None:
    assert rel.fts5_words('how do 1:1s "work" AND-NOT x*') == (
        '"how" OR "do" OR "1" OR "1s" OR "work" OR "AND" OR "NOT" OR "x"'
    )
    assert rel.fts5_words("?!") == ""


@pytest.mark.parametrize("name", NAMES)
def test_goal_netdocs_at_least_fts5_on_every_corpus(name: str, evaluation: Any) -> None:
    row = evaluation.table[name]["all"]
    assert row["netdocs"].hit3 >= row["fts5"].hit3, (
        f"{name}: netdocs hit@3 {row['netdocs'].hit3} < FTS5 {row['fts5'].hit3}"
    )
