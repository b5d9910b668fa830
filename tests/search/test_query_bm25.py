"""search/bm25.py against Whoosh itself: the same scores, the same phrase matches, deleted
documents left out, on the bundled KB and on a tiny index with a deletion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as windex
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema

from pipeline.search import analysis, bm25
from pipeline.search.index import ensure_index
from tests.conftest import BUNDLED_KB

BOOSTS = {"title": 4.0, "summary": 2.0, "body": 1.0}


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Any:
    index, _report = ensure_index(tmp_path_factory.mktemp("cache"), BUNDLED_KB)
    yield index
    index.close()


@pytest.mark.parametrize("text", ["convener", "cluster coordinator", "EU funding"])
def test_scores_are_whooshs_bm25f(ix: Any, text: str) -> None:
    terms = [analysis.term(w) for w in text.split()]
    clauses = [(f, t, b) for t in terms for f, b in BOOSTS.items()]
    q = wq.Or([wq.Term(f, t, boost=b) for f, t, b in clauses])
    with ix.searcher() as s:
        theirs = {r.docnum: r.score for r in s.search(q, limit=None)}
        mine = bm25.scores(s, clauses, None, 1.2, {})
    assert theirs and set(mine) == set(theirs)
    for doc, score in theirs.items():
        assert mine[doc] == pytest.approx(score, rel=1e-4)


def test_a_pool_limits_the_scored_documents(ix: Any) -> None:
    clauses = [("body", "convener", 1.0)]
    with ix.searcher() as s:
        every = bm25.scores(s, clauses, None, 1.2, {})
        pool = set(sorted(every)[:3])
        assert bm25.scores(s, clauses, pool, 1.2, {}) == {d: every[d] for d in pool}
    best = bm25.top(every, 2)
    assert [score for _d, score in best] == sorted(every.values(), reverse=True)[:2]


@pytest.mark.parametrize(
    "text", ["promising practice", "cluster coordinator", "action plan", "focal point"]
)
def test_phrases_match_what_whoosh_matches(ix: Any, text: str) -> None:
    words = [analysis.term(w) for w in text.split()]
    with ix.searcher() as s:
        theirs = set(s.docs_for_query(wq.Phrase("body", words)))
        assert theirs
        assert bm25.phrase_docs(s.reader(), "body", words) == theirs


def test_deleted_documents_are_left_out(tmp_path: Path) -> None:
    schema = Schema(key=ID(stored=True, unique=True), body=TEXT(stored=True))
    ix = windex.create_in(str(tmp_path), schema)
    writer = ix.writer()
    for n in range(5):
        writer.add_document(key=str(n), body=f"shared words and number{n} here")
    writer.commit()
    writer = ix.writer()
    writer.delete_by_term("key", "2")
    writer.commit(merge=False)
    with ix.searcher() as s:
        reader = s.reader()
        assert reader.has_deletions()
        theirs = set(s.docs_for_query(wq.Term("body", "shared")))
        assert len(theirs) == 4
        assert bm25.doc_ids(reader, "body", "shared") == theirs
        assert set(bm25.scores(s, [("body", "shared", 1.0)], None, 1.2, {})) == theirs
        assert bm25.phrase_docs(reader, "body", ["shared", "words"]) == theirs
    ix.close()
