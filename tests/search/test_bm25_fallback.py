"""bm25's public fallbacks give what its fast paths (Whoosh's whoosh3 codec, read directly) give.

``pipeline.search.bm25`` reads the block layout of Whoosh's ``whoosh3`` codec and its length
column; for any other codec it falls back on the public matcher calls (``is_active``, ``id``,
``weight``, ``next``, ``skip_to``, ``value_as``) and on ``doc_field_length``. Here each fallback
is forced on an index of several segments, one with a deletion, and its scores, phrase matches
and lengths are compared with the fast path's.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader

from pipeline.search import bm25
from pipeline.search.analysis import term
from pipeline.search.index import open_current, refresh
from pipeline.search.query import K1, B
from tests.conftest import article

DOCS = {
    "travel": "Book travel early. Travel costs are reimbursed after the trip, with receipts.",
    "budget": "The annual budget covers travel, meetings and the reimbursement of costs.",
    "meetings": "Monthly meetings. Travel to meetings is planned early; travel costs are paid.",
    "grants": "Grants fund learning mobility. The co-financing rate depends on the region.",
}
UPDATED = {
    # meetings.md again: its first version stays in the first segment, deleted, between live
    # articles (a FilterMatcher skips deleted documents at the start of a list by itself)
    "meetings": "Monthly meetings of the coordinators: the budget agreed for them is small.",
    "trips": "Trips abroad: the budget agreed for travel covers the trip.",
}
CLAUSES = [
    ("body", term("travel"), 1.0),
    ("body", term("costs"), 1.0),  # in travel, budget and the deleted meetings
    ("body", term("budget"), 1.0),
    ("title", term("budget"), 2.0),
    ("summary", term("summary"), 0.5),
    ("body", term("early"), 1.0),
    ("body", term("agreed"), 1.0),
]
PHRASES = [
    ["travel", "meetings"],  # budget; the deleted meetings had "travel to meetings" too
    ["travel", "costs"],  # travel; and the deleted meetings
    ["budget", "agreed"],  # the second segment's two articles
    ["learning", "mobility"],
    ["mobility", "learning"],  # the wrong order: nothing
]
FIELDS = ("title", "summary", "headings", "body")


class PublicMatcher:
    """A matcher with the public calls only, as another codec's would be (no ``_read_ids``,
    no FilterMatcher around it: deleted documents are the reader's to leave out)."""

    calls = 0

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def is_active(self) -> bool:
        return bool(self._inner.is_active())

    def id(self) -> int:
        PublicMatcher.calls += 1
        return int(self._inner.id())

    def weight(self) -> float:
        return float(self._inner.weight())

    def next(self) -> Any:
        return self._inner.next()

    def skip_to(self, doc: int) -> Any:
        return self._inner.skip_to(doc)

    def value_as(self, astype: str) -> Any:
        return self._inner.value_as(astype)


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("fallback")
    kb, cache = root / "kb", root / "cache"
    kb.mkdir()
    for ident, text in DOCS.items():
        (kb / f"{ident}.md").write_text(article(ident, body=f"# {ident}\n\n{text}\n"))
    refresh(cache, kb)
    for ident, text in UPDATED.items():
        (kb / f"{ident}.md").write_text(article(ident, body=f"# {ident}\n\n{text}\n"))
    refresh(cache, kb)
    index = open_current(cache, kb)
    yield index
    index.close()


def _leaves(searcher: Any) -> list[Any]:
    return [leaf for leaf, _ in searcher.reader().leaf_readers()]


Measured = tuple[dict[tuple[str, int], float], dict[str, set[str]], list[dict[str, list[int]]]]
"""Scores by (path, document number), phrase matches by phrase, each segment's field lengths."""


def _measure(searcher: Any) -> Measured:
    """What bm25 reads through ``searcher``, newly opened (bm25 keeps what it read per open
    segment)."""
    path = {d: searcher.stored_fields(d)["path"] for d in range(searcher.doc_count_all())}
    found = bm25.scores(searcher, CLAUSES, None, K1, B)
    scores = {(path[d], d): s for d, s in found.items()}
    reader = searcher.reader()
    phrases = {
        " ".join(words): {
            path[d] for d in bm25.phrase_docs(reader, "body", [term(w) for w in words])
        }
        for words in PHRASES
    }
    lengths = [{f: list(bm25._lengths(leaf, f)) for f in FIELDS} for leaf in _leaves(searcher)]
    return scores, phrases, lengths


@pytest.fixture(scope="module")
def fast(ix: Any) -> Measured:
    """What the fast paths give (and a check that they are the ones taken)."""
    with ix.searcher() as searcher:
        leaves = _leaves(searcher)
        assert len(leaves) >= 2 and any(leaf.has_deletions() for leaf in leaves)
        m = leaves[0].postings("body", term("travel"))
        assert isinstance(m, FilterMatcher) and hasattr(m.child, "_read_ids")
    with ix.searcher() as searcher:
        return _measure(searcher)


def test_the_index_has_what_the_comparison_needs(fast: Any) -> None:
    scores, phrases, lengths = fast
    # every article has a summary: all are scored, the deleted first version of meetings.md not
    assert sorted(p for p, _ in scores) == sorted(f"{i}.md" for i in {**DOCS, **UPDATED})
    assert phrases == {
        "travel meetings": {"budget.md"},
        "travel costs": {"travel.md"},
        "budget agreed": {"meetings.md", "trips.md"},
        "learning mobility": {"grants.md"},
        "mobility learning": set(),
    }
    assert len(lengths) >= 2


def test_postings_through_the_public_matcher_calls(
    ix: Any, fast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SegmentReader.postings

    def public(self: Any, fieldname: str, text: Any, scorer: Any = None) -> PublicMatcher:
        m = original(self, fieldname, text, scorer=scorer)
        return PublicMatcher(m.child if isinstance(m, FilterMatcher) else m)

    monkeypatch.setattr(SegmentReader, "postings", public)
    PublicMatcher.calls = 0
    with ix.searcher() as searcher:
        scores, phrases, _ = _measure(searcher)
    assert PublicMatcher.calls > 0
    assert (scores, phrases) == fast[:2]


def test_lengths_through_doc_field_length(
    ix: Any, fast: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[int] = []
    original = SegmentReader.doc_field_length

    def counted(self: Any, docnum: int, fieldname: str, default: int = 0) -> int:
        asked.append(docnum)
        return int(original(self, docnum, fieldname, default))

    monkeypatch.setattr(SegmentReader, "doc_field_length", counted)
    with ix.searcher() as searcher:  # opened first: its segments are unpickled from whoosh3
        with monkeypatch.context() as m:
            # a Whoosh without the whoosh3 codec's private parts: bm25's import of them fails
            # (Whoosh's own code keeps the module it was loaded from)
            m.setitem(sys.modules, "whoosh.codec.whoosh3", types.ModuleType("whoosh3"))
            measured = _measure(searcher)
    assert asked
    assert measured == fast
