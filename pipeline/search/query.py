"""Answer a query against the index: ranked articles, their best section, a snippet, counts.

The query language is in :mod:`.parsing` (its names are re-exported here). A plain query's
words are scored with BM25F over title, summary and body (:data:`BOOSTS`, :data:`K1`,
:data:`B`; computed from the posting lists by :mod:`.bm25`); the best :data:`RERANK` are
ranked again by the share of the words each holds, whether its title is what the question
names, whether it has the section the question's wording asks for, and adjacent words
(:func:`_rerank`). The count is of the articles holding every significant word (see
:class:`SearchResult`); best sections and snippets come from :mod:`.passages`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from ..errors import QueryTooGeneralError
from . import analysis, bm25, passages
from .parsing import (
    _OPERATORS,
    BOOSTS,
    EXACT_FIELDS,
    FIELD_NAMES,
    MAX_QUERY_CHARS,
    SCORED_FIELDS,
    TEXT_FIELDS,
    Plan,
    QueryError,
    _positive_terms,
    _text,
    clean_query,
    expand_patterns,
    has_syntax,
    plan,
    too_general,
)

__all__ = [
    "BOOSTS",
    "FIELD_NAMES",
    "MAX_QUERY_CHARS",
    "Hit",
    "Plan",
    "QueryError",
    "SearchResult",
    "clean_query",
    "has_syntax",
    "plan",
    "search",
    "too_general",
]

_WORD = re.compile(analysis.TOKEN_PATTERN)

K1 = 1.2
"""BM25's term-frequency saturation: how much a word's tenth use adds over its first."""
B = {"title": 0.75, "summary": 0.75, "body": 0.75, "headings": 0.75}
"""BM25's length normalisation per field: 1 scores a match in a long field as diluted."""
RERANK = 30
"""How many of the best-scored articles are ranked again by what they match (see _rerank)."""
SUBJECT_WEIGHT = 0.5
"""Score added, in proportion, to an article by the share of its title's words the query
names: 0.5 adds half to an article whose title is what the query names ("what does a
convener do": Convener), a quarter when it names half the title."""
ID_WEIGHT = 0.25
"""The same for the words of the article's id (its file name: "paid-parental-leave")."""
COVERAGE_WEIGHT = 1.0
"""How much an article matching only part of the query's words loses: its score is scaled
by ``(matched share) ** COVERAGE_WEIGHT`` (shares weighted by the words' rarity)."""
INTENT_BOOST = 0.2
"""Score added, in proportion, to an article with a section of the kind the question's
wording asks for ("what does a convener do": Responsibilities; see passages.INTENTS)."""
PHRASE_WEIGHT = 0.25
"""Score added, in proportion, for the query's adjacent words found next to each other."""


@dataclass(frozen=True)
class Hit:
    """One matching article and the section that matches best."""

    id: str
    title: str
    type: str
    path: str
    anchor: str
    """Anchor of the best-matching section ('' for the part before the first heading)."""
    section: str
    """Title of the best-matching section."""
    score: float
    snippet: str
    """Text around the matches; matched words are wrapped in ** **."""

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["score"] = round(self.score, 4)
        return data


@dataclass
class SearchResult:
    """The answer to one query.

    ``total`` and ``facets`` count the articles that match **every** significant word of the
    query (its stop words left out), after the filters; for a query with operators, phrases
    or fields, the articles that match it as written (words side by side all required). The
    hits are the best-ranked articles: when ``matched`` is "all", those that match as
    written, or, for a plain query, every article with at least one of the words, best
    first (so a hit may lack a word when it ranks high on the others); when ``matched`` is
    "some", no article matches every word (``total`` is 0) and the hits are the best partial
    matches. A caller says "N articles match every word" for "all" and "no article matches
    every word; best matches:" for "some".
    """

    query: str
    """The query as searched (cleaned, possibly corrected)."""
    hits: list[Hit]
    total: int
    """How many articles match every significant word (hits holds at most ``limit``)."""
    facets: dict[str, int]
    """Those articles per type, the most common type first."""
    suggestion: str | None = None
    """A corrected query when some words are not in the index ("did you mean")."""
    corrected: bool = False
    """True when nothing matched and the hits come from the suggestion."""
    notes: list[str] = field(default_factory=list)
    """Things the user should know (query shortened, unknown field...)."""
    matched: str = "all"
    """"all": ``total`` articles match every word; "some": none does, the hits are the best
    partial matches (and ``total`` is 0)."""


# --- postings ---------------------------------------------------------------------------------


def _word_docs(reader: Any, word: tuple[str, ...]) -> set[int]:
    docs: set[int] = set()
    for t in word:
        for f in SCORED_FIELDS:
            docs |= bm25.doc_ids(reader, f, t)
    return docs


def _matching(searcher: Searcher, q: wq.Query) -> set[int]:
    """The documents ``q`` matches, from posting lists and positions (Whoosh's own matchers
    only for what this does not know)."""
    reader = searcher.reader()
    if isinstance(q, wq.Term):
        return bm25.doc_ids(reader, q.fieldname, _text(q.text))
    if isinstance(q, wq.Phrase) and q.slop == 1 and q.words:
        return bm25.phrase_docs(reader, q.fieldname, [_text(w) for w in q.words])
    if isinstance(q, wq.AndNot):
        return _matching(searcher, q.a) - _matching(searcher, q.b)
    if isinstance(q, wq.AndMaybe):
        return _matching(searcher, q.a)
    if isinstance(q, (wq.And, wq.Or)) and q.subqueries:
        parts = [_matching(searcher, c) for c in q.subqueries]
        if isinstance(q, wq.And):
            return set.intersection(*sorted(parts, key=len))
        if not getattr(q, "minmatch", 0):
            return set().union(*parts)
    return set(searcher.docs_for_query(q))


def _filter_docs(reader: Any, filters: dict[str, Any]) -> set[int] | None:
    """The documents the filters allow (None: no filter)."""
    allowed: set[int] | None = None
    for name, value in filters.items():
        if value is None or value == "":
            continue
        docs = bm25.doc_ids(reader, name, str(value).lower() if name == "tags" else str(value))
        allowed = docs if allowed is None else allowed & docs
    return allowed


def _facets(reader: Any, docs: set[int]) -> dict[str, int]:
    counts = {}
    for value in reader.lexicon("type"):
        kind = _text(value)
        n = len(docs & bm25.doc_ids(reader, "type", kind))
        if n:
            counts[kind] = n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# --- searching --------------------------------------------------------------------------------


def search(
    ix: FileIndex,
    text: str,
    *,
    type: str | None = None,
    tag: str | None = None,
    audience: str | None = None,
    step: int | None = None,
    lang: str | None = None,
    limit: int = 10,
) -> SearchResult:
    """Search ``ix``; see the module docstring for the query language and
    :class:`SearchResult` for what the counts mean. The query is analysed in ``lang`` (its
    stop words, its stems), English when no language is given."""
    cleaned, notes = clean_query(text)
    filters = {"type": type, "tags": tag, "audience": audience, "step": step, "lang": lang}
    with analysis.language(lang):
        p = plan(ix, cleaned)
        notes += p.notes
        with ix.searcher() as searcher:
            result = _run(searcher, p, cleaned, filters, limit, notes)
            suggestion = _suggest(searcher, cleaned) if result.matched != "all" else None
            result.suggestion = suggestion
            if not result.hits and suggestion:
                try:
                    fixed = plan(ix, suggestion)
                except (QueryError, QueryTooGeneralError):  # it would search for nothing
                    result.suggestion = None  # "no results" stands, with no "did you mean"
                    return result
                retry = _run(searcher, fixed, suggestion, filters, limit, notes)
                if retry.hits:
                    retry.suggestion, retry.corrected = suggestion, True
                    return retry
    return result


def _run(
    searcher: Searcher,
    p: Plan,
    text: str,
    filters: dict[str, Any],
    limit: int,
    notes: list[str],
) -> SearchResult:
    reader = searcher.reader()
    allowed = _filter_docs(reader, filters)
    ranked = expand_patterns(p.ranked, searcher, notes)
    every: set[int] | None
    if p.every is None:  # plain words: the articles holding every one
        every = None
        for word in sorted(p.words, key=lambda w: reader.doc_frequency("body", w[0])):
            docs = _word_docs(reader, word)
            every = docs if every is None else every & docs
            if not every:
                break
        every = every or set()
        if allowed is not None:
            every &= allowed
        pool = allowed
    else:  # as written: phrases checked once, here, and the ranking limited to what matches
        written = expand_patterns(p.every, searcher, [])
        every = _matching(searcher, written)
        if allowed is not None:
            every &= allowed
        pool = every
        if not every and p.every != p.ranked:  # nothing has it all: rank partial matches
            pool = _relaxed(searcher, ranked, written, allowed)
    matched = "all" if every else "some"
    top = max(1, limit)
    found: list[tuple[int, float]] = []
    if pool is None or pool:
        clauses = _plain_clauses(p.words) if p.every is None else _clauses(ranked, reader)
        scored = bm25.scores(searcher, clauses, pool, K1, B)
        if pool is not None and pool is every and len(scored) < len(every):
            for doc in every:  # matches as written without a scored word (type:lesson)
                scored.setdefault(doc, 0.0)
        found = bm25.top(scored, max(top, RERANK))
    terms = p.terms | _pattern_terms(searcher, ranked)
    wanted = passages.wanted_headings(text, analysis.current_language())
    ranked_docs = _rerank(searcher, found, p.words, terms, wanted)[:top]
    hits = [_hit(stored, score, terms, wanted) for stored, score in ranked_docs]
    return SearchResult(
        text, hits, len(every), _facets(reader, every), notes=list(notes), matched=matched
    )


def _relaxed(
    searcher: Searcher, ranked: wq.Query, written: wq.Query, allowed: set[int] | None
) -> set[int]:
    """The articles a query's partial matches come from: those the words OR-ed match (its
    NOT clauses and explicit ANDs kept), with its exact-field restrictions (``type:lesson``
    beside the words) and the filters."""
    pool = _matching(searcher, ranked)
    parts = written.subqueries if isinstance(written, wq.And) else [written]
    for part in _flat_and(parts):
        leaves = list(part.leaves()) if not part.is_leaf() else [part]
        if leaves and all(getattr(q, "fieldname", None) in EXACT_FIELDS for q in leaves):
            pool &= _matching(searcher, part)
    return pool if allowed is None else pool & allowed


def _flat_and(parts: Sequence[wq.Query]) -> list[wq.Query]:
    out: list[wq.Query] = []
    for part in parts:
        out += _flat_and(part.subqueries) if isinstance(part, wq.And) else [part]
    return out


def _plain_clauses(words: list[tuple[str, ...]]) -> list[bm25.Clause]:
    """Each term of each word in each field :data:`BOOSTS` weighs."""
    fields = [(f, b) for f, b in BOOSTS.items() if b > 0]
    return [(f, t, b) for word in words for t in dict.fromkeys(word) for f, b in fields]


def _clauses(q: wq.Query, reader: Any, boost: float = 1.0) -> list[bm25.Clause]:
    """The scored terms of ``q`` outside NOT clauses, with their boosts: a phrase's words,
    the words a wildcard or fuzzy term matches."""
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.AndNot):
        return _clauses(q.a, reader, boost * q.boost)
    out: list[bm25.Clause] = []
    if isinstance(q, wq.Term):
        out.append((q.fieldname, _text(q.text), boost * q.boost))
    elif isinstance(q, wq.Phrase):
        out += [(q.fieldname, _text(w), boost * q.boost) for w in q.words]
    elif isinstance(q, wq.MultiTerm):
        out += [(f, _text(v), boost * q.boost) for f, v in q.existing_terms(reader, expand=True)]
    elif not q.is_leaf():
        for child in q.children():
            out += _clauses(child, reader, boost * q.boost)
    return [c for c in dict.fromkeys(out) if c[0] in TEXT_FIELDS]


def _pattern_terms(searcher: Searcher, q: wq.Query) -> set[str]:
    """Terms of the wildcards and fuzzy terms left in ``q`` (to mark them in snippets)."""
    out: set[str] = set()
    reader = searcher.reader()
    for fieldname, value in _positive_terms(q):
        if fieldname in TEXT_FIELDS:
            out.add(_text(value))
    for leaf in q.leaves():
        if isinstance(leaf, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)) and leaf.field() in TEXT_FIELDS:
            for _field, value in leaf.existing_terms(reader, expand=True):
                out.add(_text(value))
    return out


def _rerank(
    searcher: Searcher,
    found: list[tuple[int, float]],
    words: list[tuple[str, ...]],
    terms: set[str],
    wanted: tuple[str, ...] = (),
) -> list[tuple[dict[str, Any], float]]:
    """The best-scored articles ranked again: by the share of the query's words each holds
    (rare words weigh more), whether its title is what the query names,
    whether it has a section of the kind the question asks for, and whether words side by
    side in the query are side by side in it."""
    reader = searcher.reader()
    n = max(1, reader.doc_count())
    df = {w: max(reader.doc_frequency(f, t) for t in w for f in SCORED_FIELDS) for w in words}
    weight = {w: math.log(1 + n / (1 + df[w])) for w in words}
    total_weight = sum(weight.values()) or 1.0
    pairs = [(a, b) for a, b in zip(words, words[1:], strict=False)]
    out = []
    for docnum, score in found:
        stored = searcher.stored_fields(docnum)
        title = analysis.terms(stored.get("title", ""))
        summary = analysis.terms(stored.get("summary", ""))
        sections = stored.get("sections") or []
        streams: list[Sequence[str]] = [title, summary]
        for section in sections:
            heads, body = passages.section_terms(section)
            streams.append(heads)
            streams.append(body)
        held = set(title).union(*streams)
        if words and len(words) > 1:
            share = sum(weight[w] for w in words if held.intersection(w)) / total_weight
            score *= max(share, 0.05) ** COVERAGE_WEIGHT
        if title:
            score *= 1 + SUBJECT_WEIGHT * len(set(title) & terms) / len(set(title))
        if ID_WEIGHT:
            named = set(analysis.terms(stored.get("id", "").replace("-", " ")))
            if named:
                score *= 1 + ID_WEIGHT * len(named & terms) / len(named)
        if passages.answers(sections, wanted):
            score *= 1 + INTENT_BOOST
        if pairs:
            near = sum(1 for a, b in pairs if _adjacent(streams, a, b))
            score *= 1 + PHRASE_WEIGHT * near / len(pairs)
        out.append((stored, score))
    # scores equal but for the order floats were summed in (set order) count as ties, and
    # ties go by path: the same query ranks the same way in every process
    out.sort(key=lambda item: (-round(item[1], 9), str(item[0].get("path", ""))))
    return out


def _adjacent(streams: list[Sequence[str]], a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    for stream in streams:
        for i in range(len(stream) - 1):
            if stream[i] in a and stream[i + 1] in b:
                return True
    return False


def _hit(stored: dict[str, Any], score: float, terms: set[str], wanted: tuple[str, ...]) -> Hit:
    sections = stored.get("sections") or []
    best = passages.best_section(sections, terms, wanted)
    summary = stored.get("summary", "")
    title, anchor, text = best[:3] if best else (stored["title"], "", summary)
    snippet = (
        passages.snippet(text, terms)
        or passages.snippet(summary, terms)
        or passages.lead(text or summary)
    )
    return Hit(
        stored["id"], stored["title"], stored["type"], stored["path"], anchor, title, score, snippet
    )


def _suggest(searcher: Searcher, text: str) -> str | None:
    """The query with unknown words replaced by the closest indexed words, if any differ."""
    reader = searcher.reader()
    analyzer = analysis.stemmer()
    corrector = None
    changed = False

    def known(word: str) -> bool:
        stems = [t.text for t in analyzer(word)]
        return not stems or any(
            reader.frequency(f, stem) > 0 for stem in stems for f in SCORED_FIELDS
        )

    def fix(match: re.Match[str]) -> str:
        nonlocal corrector, changed
        word = match.group(0)
        lower = word.lower()
        if len(lower) < 4 or word in _OPERATORS or known(lower):
            return word
        if corrector is None:
            corrector = searcher.corrector("words")
        options = corrector.suggest(lower, limit=5, maxdist=1 if len(lower) < 7 else 2, prefix=1)
        # never a stop word ("ther": not "the"): its term is empty, it would search for nothing
        options = [str(o) for o in options if analysis.terms(str(o))]
        if options and options[0] != lower:
            changed = True
            return options[0]
        return word

    # phrases, fields and wildcards are kept as typed
    parts = re.split(r'("[^"]*"|\b[A-Za-z_]\w*:\S+|[^\s"]*[*?][^\s"]*)', text)
    fixed = "".join(p if i % 2 else _WORD.sub(fix, p) for i, p in enumerate(parts))
    return fixed if changed else None
