"""Posting lists read a block at a time, and BM25 computed over them in one pass.

Whoosh's own scored search walks a tree of matchers, one Python call per document and per
field, and skips little for a question's common words: on 10,000 articles that was most of a
query's time. Here each term's postings are read a block at a time (document numbers and
term frequencies as arrays), each field's lengths once per segment, and the scores summed in a
dictionary; the formula is Whoosh's BM25F (:func:`whoosh.scoring.bm25`), so scores are the
same as Whoosh's for the same terms, field boosts, ``K1`` and ``B``.

Only the Whoosh 2.7 ``whoosh3`` codec's block layout is read directly; any other matcher is
read through its public ``all_ids`` / ``weight`` calls, slower but the same.
"""

from __future__ import annotations

import heapq
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

Clause = tuple[str, str, float]
"""A term to score: (field, term, boost)."""
Block = tuple[Sequence[int], Sequence[float]]
"""Document numbers and the term's frequency in each."""

_LENGTHS: weakref.WeakKeyDictionary[Any, dict[str, Sequence[int]]] = weakref.WeakKeyDictionary()


def _blocks(
    leaf: Any, fieldname: str, term: str
) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(document numbers, frequencies) of ``term`` in one segment, a block at a time, with
    deleted documents left out."""
    m = leaf.postings(fieldname, term)
    if isinstance(m, FilterMatcher):
        m = m.child
    deletions = leaf.has_deletions()
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block") and hasattr(m, "_read_weights"):
        while m.is_active():
            if m._ids is None:
                m._read_ids()
            if m._weights is None:
                m._read_weights()
            ids, weights = m._ids, m._weights
            if deletions:
                kept = [(d, w) for d, w in zip(ids, weights, strict=True) if not leaf.is_deleted(d)]
                ids, weights = [d for d, _ in kept], [w for _, w in kept]
            yield ids, weights
            m._next_block()
        return
    ids, weights = [], []
    while m.is_active():  # another codec: the public, slower way
        if not (deletions and leaf.is_deleted(m.id())):
            ids.append(m.id())
            weights.append(m.weight())
        m.next()
    yield ids, weights


POSTINGS_KEPT = 256
"""Most posting lists kept decoded per open segment (the most recently used, as compact
arrays: at most 2 MB for 256 lists of 1,000 documents), so a query reads each of its terms'
lists once, and the next query on the same searcher reuses them."""

_POSTINGS: weakref.WeakKeyDictionary[Any, OrderedDict[tuple[str, str], Block]] = (
    weakref.WeakKeyDictionary()
)


def postings(leaf: Any, fieldname: str, term: str) -> Block:
    """Document numbers (of one segment) holding ``term`` in ``fieldname``, in order, and the
    term's frequency in each."""
    kept = _POSTINGS.setdefault(leaf, OrderedDict())
    key = (fieldname, term)
    found = kept.get(key)
    if found is not None:
        kept.move_to_end(key)
        return found
    ids = array("I")
    weights = array("f")
    if key in leaf:
        for block_ids, block_weights in _blocks(leaf, fieldname, term):
            ids.extend(block_ids)
            weights.extend(block_weights)
    kept[key] = found = (ids, weights)
    if len(kept) > POSTINGS_KEPT:
        kept.popitem(last=False)
    return found


def doc_ids(reader: Any, fieldname: str, term: str) -> set[int]:
    """Document numbers holding ``term`` in ``fieldname``."""
    out: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        ids = postings(leaf, fieldname, term)[0]
        out.update((d + offset for d in ids) if offset else ids)
    return out


def _lengths(leaf: Any, fieldname: str) -> Sequence[int]:
    """The length of ``fieldname`` in each document of one segment (read once, kept while
    the segment is open)."""
    per_leaf = _LENGTHS.setdefault(leaf, {})
    found = per_leaf.get(fieldname)
    if found is not None:
        return found
    lengths: Sequence[int] | None = None
    perdoc = getattr(leaf, "_perdoc", None)
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)  # type: ignore[union-attr]
        raw = bytes(column._dbfile.get(column._basepos, column._count))
        count = leaf.doc_count_all()
        lengths = [byte_to_length(b) for b in raw] + [0] * max(0, count - len(raw))
    except (AttributeError, ImportError, TypeError):
        lengths = None
    if lengths is None:
        lengths = [leaf.doc_field_length(d, fieldname) for d in range(leaf.doc_count_all())]
    per_leaf[fieldname] = lengths
    return lengths


def scores(
    searcher: Any,
    clauses: Iterable[Clause],
    pool: set[int] | None,
    k1: float,
    b: dict[str, float],
) -> dict[int, float]:
    """BM25F score of every document (in ``pool``, when given) holding one of ``clauses``: the
    sum over clauses of ``boost * idf * tf * (k1 + 1) / (tf + k1 * (1 - B + B * len / avg))``,
    ``B`` per field from ``b`` (0.75 for a field it does not name)."""
    reader = searcher.reader()
    out: dict[int, float] = {}
    get = out.get
    for fieldname, term, boost in clauses:
        if not reader.doc_frequency(fieldname, term):
            continue
        if not searcher.schema[fieldname].scorable:
            continue
        idf = searcher.idf(fieldname, term) * boost
        avg = searcher.avg_field_length(fieldname) or 1.0
        bf = b.get(fieldname, 0.75)
        a, c = k1 * (1 - bf), k1 * bf / avg
        for leaf, offset in reader.leaf_readers():
            ids, weights = postings(leaf, fieldname, term)
            if not ids:
                continue
            lengths = _lengths(leaf, fieldname)
            for d, tf in zip(ids, weights, strict=True):
                doc = d + offset
                if pool is not None and doc not in pool:
                    continue
                s = idf * tf * (k1 + 1) / (tf + a + c * lengths[d])
                out[doc] = get(doc, 0.0) + s
    return out


def top(found: dict[int, float], n: int) -> list[tuple[int, float]]:
    """The ``n`` best (document, score) pairs, best first (ties: lower document first)."""
    return heapq.nlargest(n, found.items(), key=lambda kv: (round(kv[1], 9), -kv[0]))


def _positions(leaf: Any, fieldname: str, term: str, docs: set[int]) -> dict[int, list[int]]:
    """Positions of ``term`` in each of ``docs`` (document numbers of one segment)."""
    decode = leaf.schema[fieldname].format.decode_positions
    out: dict[int, list[int]] = {}
    m = leaf.postings(fieldname, term)
    if isinstance(m, FilterMatcher):
        m = m.child
    if hasattr(m, "_read_ids") and hasattr(m, "_next_block") and hasattr(m, "_read_values"):
        while m.is_active() and len(out) < len(docs):
            if m._ids is None:
                m._read_ids()
            ids = m._ids
            if not docs.isdisjoint(ids):
                if m._values is None:
                    m._read_values()
                for d, v in zip(ids, m._values, strict=True):
                    if d in docs:
                        out[d] = decode(v)
            m._next_block()
        return out
    for d in sorted(docs):  # another codec: the public, slower way
        if not m.is_active():
            break
        m.skip_to(d)
        if m.is_active() and m.id() == d:
            out[d] = list(m.value_as("positions"))
    return out


def phrase_docs(reader: Any, fieldname: str, words: Sequence[str]) -> set[int]:
    """Documents holding ``words`` side by side, in order, in ``fieldname``."""
    out: set[int] = set()
    for leaf, offset in reader.leaf_readers():
        if not all((fieldname, w) in leaf for w in words):
            continue
        local = doc_ids(leaf, fieldname, words[0])
        for w in words[1:]:
            local &= doc_ids(leaf, fieldname, w)
            if not local:
                break
        if not local:
            continue
        starts = _positions(leaf, fieldname, words[0], local)
        for i, w in enumerate(words[1:], 1):
            found = _positions(leaf, fieldname, w, set(starts))
            kept: dict[int, list[int]] = {}
            for d, ps in starts.items():
                there = set(found.get(d, ()))
                following = [p for p in ps if p + i in there]
                if following:
                    kept[d] = following
            starts = kept
        out.update(d + offset for d in starts)
    return out
