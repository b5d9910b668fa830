"""Answer a query against the index: ranked articles, their best section, a snippet, counts.

Queries are natural language by default: the query's stop words (those of ``--lang``, else
English) are left out, each other word is looked up in title, summary and body, and articles
matching more of the words, or whose title is what the question names, rank higher. Words
keep the punctuation inside them ("1:1s", "e-mail", "C++", "KA3:").

Whoosh syntax is understood too: "quoted phrases", AND/OR/NOT, field:value for the fields in
:data:`FIELD_NAMES` (title:funding, type:lesson), wildcards (coord*) and fuzzy terms
(cordinator~). A colon makes a field only after one of those names. Bad input never raises
anything but :class:`QueryError` (a usage error) or
:class:`~pipeline.errors.QueryTooGeneralError` (only common words), with a message saying
what to change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.qparser import (
    AndGroup,
    FieldsPlugin,
    FuzzyTermPlugin,
    MultifieldParser,
    OrGroup,
    RangePlugin,
    SingleQuotePlugin,
)
from whoosh.searching import Searcher

from ..errors import QueryTooGeneralError, UsageError
from . import analysis, bm25, passages

SCORED_FIELDS = ("title", "summary", "body")
"""Fields a plain query searches (the body includes headings and tags)."""
TEXT_FIELDS = (*SCORED_FIELDS, "headings", "tags")
"""Analysed fields, including those only named in field queries."""
BOOSTS = {"title": 4.0, "summary": 2.0, "body": 1.0, "headings": 0.0}
"""Weight of a match in each field a plain query scores: title and summary weigh more than
body text (which holds the headings too)."""
FIELD_NAMES = (
    "title",
    "summary",
    "headings",
    "body",
    "tags",
    "type",
    "id",
    "path",
    "audience",
    "step",
    "lang",
)
"""The fields a query may name (``title:funding``); any other ``word:`` is text."""
MAX_QUERY_CHARS = 1000
MAX_PATTERN_WORDS = 500
"""Most indexed words one wildcard (``coord*``) expands to; the most common ones are kept."""
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
COVERAGE_WEIGHT = 1.0
"""How much an article matching only part of the query's words loses: its score is scaled
by ``(matched share) ** COVERAGE_WEIGHT`` (shares weighted by the words' rarity)."""
INTENT_BOOST = 0.2
"""Score added, in proportion, to an article with a section of the kind the question's
wording asks for ("what does a convener do": Responsibilities; see passages.INTENTS)."""
PHRASE_WEIGHT = 0.25
"""Score added, in proportion, for the query's adjacent words found next to each other."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_IDENT_COLON = re.compile(r"(?<![^\s(\"])([A-Za-z_][\w]*):(?=[^\s:])")
_KNOWN_FIELD = re.compile(r"(?<![^\s(\"-])(" + "|".join(FIELD_NAMES) + r"):(?=\S)", re.I)
_WORD = re.compile(analysis.TOKEN_PATTERN)
_QUESTION_MARK = re.compile(r"(?<=\w)\?+(?=[\s)\"]|$)")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_SYNTAX = re.compile(  # operators in capitals only: "late or on weekends" is plain words
    r"[\"()*?^]|(?<!\S)(?:AND|OR|NOT|ANDNOT|ANDMAYBE)(?!\S)|~\d*(?!\S)|(?i:"
    + _KNOWN_FIELD.pattern
    + ")"
)
EXACT_FIELDS = ("type", "lang", "audience", "step", "id", "path")
"""Fields holding exact values; ``type:lesson`` in a plain query restricts, it does not rank."""
_EXACT_REF = re.compile(r'(?<![\w"])(' + "|".join(EXACT_FIELDS) + r')\s*:\s*("[^"]*"|[^\s()"]+)')


class QueryError(UsageError):
    """The query cannot be searched as written."""


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


def clean_query(text: str) -> tuple[str, list[str]]:
    """Remove control characters, fold white space, cap the length. Raises on empty input."""
    notes: list[str] = []
    cleaned = " ".join(_CONTROL.sub("", text).split())
    if cleaned != " ".join(text.split()):
        notes.append("control characters in the query were ignored")
    cleaned = _QUESTION_MARK.sub("", cleaned)  # "what is a convener?" asks, it is no pattern
    if len(cleaned) > MAX_QUERY_CHARS:
        cut = cleaned[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or cleaned[:MAX_QUERY_CHARS]
        notes.append(
            f"the query is {len(cleaned):,} characters long; searched for its first {len(cut):,}"
        )
        cleaned = cut
    if not cleaned:
        raise QueryError(
            "empty query: give one or more words to search for, "
            'e.g. netdocs search "cluster coordinator"'
        )
    if not re.search(r"\w", cleaned.replace("*", "").replace("?", "")):
        raise QueryError(
            f"the query {cleaned!r} has no words to search for; "
            "'*' alone would match everything: use netdocs kb list instead"
        )
    return cleaned, notes


def too_general(text: str) -> QueryTooGeneralError:
    """The error for a query whose every word is a stop word."""
    return QueryTooGeneralError(
        f'the query "{text}" is too general: every word in it is a common word; add what it '
        'is about, e.g. netdocs search "how do I renew membership"'
    )


# --- what the query says ----------------------------------------------------------------------


@dataclass
class Plan:
    """A parsed query: what to score, what must match, and the words it is about."""

    ranked: wq.Query
    """The query that scores articles (words OR-ed)."""
    every: wq.Query | None
    """The query as written, words side by side all required (None for a plain query: the
    intersection of ``words`` is computed from the postings)."""
    words: list[tuple[str, ...]]
    """The significant words in order, each as its terms (a joined word has two: mail,
    email); for a query with syntax, its positive terms one by one."""
    notes: list[str] = field(default_factory=list)

    @property
    def terms(self) -> set[str]:
        return {t for word in self.words for t in word}


def _fields_note(text: str) -> tuple[str, list[str]]:
    """Read ``name:`` as text unless ``name`` is a field; note names that look like fields."""
    unknown = sorted(
        {m.group(1) for m in _IDENT_COLON.finditer(text)}
        - set(FIELD_NAMES)
        - {n.upper() for n in FIELD_NAMES}
        - {n.title() for n in FIELD_NAMES}
    )
    if not unknown:
        return text, []
    note = (
        f"unknown field{'s' if len(unknown) > 1 else ''} "
        f"{', '.join(repr(u) for u in unknown)}: searched as ordinary words "
        f"(fields: {', '.join(FIELD_NAMES)})"
    )
    for name in unknown:
        text = re.sub(rf"(?<![^\s(\"]){re.escape(name)}:(?=[^\s:])", f"{name} ", text)
    return text, [note]


def has_syntax(text: str) -> bool:
    """Whether ``text`` uses the query language (quotes, parentheses, operators, fields,
    wildcards, fuzzy terms) rather than plain words."""
    return bool(_SYNTAX.search(text))


def plan(ix: FileIndex, text: str) -> Plan:
    """Parse a cleaned query in the current analysis language (:func:`analysis.language`)."""
    text, notes = _fields_note(text)
    if has_syntax(text):
        result = _plan_syntax(ix, text)
    else:
        result = _plan_plain(text)
    result.notes = notes + result.notes
    return result


def _plan_plain(text: str) -> Plan:
    """Plain words: each significant word in title, summary or body, OR-ed."""
    words: list[tuple[str, ...]] = []
    by_pos: dict[int, list[str]] = {}
    for t in analysis.stemmer()(text, positions=True):
        by_pos.setdefault(t.pos, []).append(t.text)
    seen: set[tuple[str, ...]] = set()
    for _pos, terms in sorted(by_pos.items()):
        word = tuple(dict.fromkeys(terms))
        if word not in seen:
            seen.add(word)
            words.append(word)
    if not words:
        raise too_general(text)
    return Plan(_words_query(words), None, words)


def _word_query(word: tuple[str, ...]) -> wq.Query:
    fields = [(f, b) for f, b in BOOSTS.items() if b > 0]
    return wq.Or([wq.Term(f, t, boost=b) for t in word for f, b in fields])


def _words_query(words: list[tuple[str, ...]]) -> wq.Query:
    clauses = [_word_query(w) for w in words]
    return clauses[0] if len(clauses) == 1 else wq.Or(clauses)


def _parser(ix: FileIndex, group: Any) -> MultifieldParser:
    boosts = {f: BOOSTS[f] for f in SCORED_FIELDS}
    parser = MultifieldParser(list(SCORED_FIELDS), ix.schema, fieldboosts=boosts, group=group)
    # 'quoted' terms and [a TO b] ranges are no part of netdocs' query language; a field is
    # only one of FIELD_NAMES, so "1:1s" and "KA3:" stay words
    parser.remove_plugin_class(SingleQuotePlugin)
    parser.remove_plugin_class(RangePlugin)
    parser.replace_plugin(
        FieldsPlugin(expr=r"(?<![^\s(\"-])(?P<text>" + "|".join(FIELD_NAMES) + r"):(?=\S)")
    )
    parser.add_plugin(FuzzyTermPlugin())
    return parser


def _balance(text: str) -> str:
    """Drop a lone quote and unbalanced parentheses so the parser sees what was meant."""
    if text.count('"') % 2:
        i = text.rindex('"')
        text = text[:i] + " " + text[i + 1 :]
    depth = 0
    out = []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                continue  # a stray ')' is dropped
            depth -= 1
        out.append(ch)
    return "".join(out) + ")" * depth


def _plan_syntax(ix: FileIndex, text: str) -> Plan:
    notes: list[str] = []
    text = _KNOWN_FIELD.sub(lambda m: m.group(1).lower() + ":", text)
    balanced = _balance(text)
    if balanced != text:
        notes.append("an unbalanced quote or parenthesis was ignored")
    required: list[wq.Query] = []
    if not any(op in balanced.split() for op in _OPERATORS):
        for m in _EXACT_REF.finditer(balanced):
            required.append(wq.Term(m.group(1), m.group(2).strip('"')))
        if required:
            balanced = _EXACT_REF.sub(" ", balanced).strip()
            if not balanced:
                only = required[0] if len(required) == 1 else wq.And(required)
                return Plan(only, only, [], notes)
    ranked = _parser(ix, OrGroup).parse(balanced)
    meaningful = [t for t in _positive_terms(ranked) if t[0] != "tags"] or _positive_patterns(
        ranked
    )
    if ranked is wq.NullQuery or not meaningful:
        raw = [w.strip('"()') for w in balanced.split()]
        if not [w for w in raw if w and w not in _OPERATORS]:
            raise QueryError(
                f"the query {text!r} has only operators (AND, OR, NOT combine "
                "words): add the words to search for"
            )
        if any(w in ("NOT", "ANDNOT") for w in raw):
            raise QueryError(
                f"the query {text!r} only says what to leave out: add what to "
                "search for, e.g. 'convener NOT glossary'"
            )
        raise too_general(" ".join(w for w in raw if w not in _OPERATORS))
    every = _and_not(_parser(ix, AndGroup).parse(balanced))
    ranked = _and_not(ranked)
    if required:
        ranked, every = wq.And([ranked, *required]), wq.And([every, *required])
    words: list[tuple[str, ...]] = list(
        dict.fromkeys((_text(v),) for f, v in _positive_terms(ranked) if f in TEXT_FIELDS)
    )
    return Plan(ranked, every, words, notes)


def parse(ix: FileIndex, text: str) -> tuple[wq.Query, list[str]]:
    """Parse a cleaned query; returns the Whoosh query that ranks and notes."""
    p = plan(ix, text)
    return p.ranked, p.notes


def _and_not(q: wq.Query) -> wq.Query:
    """Make ``a NOT b`` mean "a, but not b": with OR-grouping Whoosh reads it as "a or not b"."""
    if isinstance(q, wq.Or):
        parts = [_and_not(c) for c in q.subqueries]
        negated = [c.query for c in parts if isinstance(c, wq.Not)]
        positive = [c for c in parts if not isinstance(c, wq.Not)]
        if negated and positive:
            pos = positive[0] if len(positive) == 1 else q.__class__(positive, boost=q.boost)
            neg = negated[0] if len(negated) == 1 else wq.Or(negated)
            return wq.AndNot(pos, neg)
        return q.__class__(parts, boost=q.boost) if parts != q.subqueries else q
    if isinstance(q, wq.CompoundQuery):
        q.subqueries = [_and_not(c) for c in q.subqueries]
    return q


def _positive_terms(q: wq.Query) -> Iterator[tuple[str, Any]]:
    """Terms of ``q`` outside NOT clauses."""
    if isinstance(q, wq.Not):
        return
    if isinstance(q, wq.AndNot):
        yield from _positive_terms(q.a)
        return
    if q.is_leaf():
        yield from q.terms(phrases=True) if hasattr(q, "terms") else ()
        return
    for child in q.children():
        yield from _positive_terms(child)


def _positive_patterns(q: wq.Query) -> list[wq.MultiTerm]:
    """Wildcard, prefix and fuzzy terms of ``q`` outside NOT clauses (``coord*``, ``c?nvener``).

    They hold no plain term until expanded against an index, but they are words to search for.
    """
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.AndNot):
        return _positive_patterns(q.a)
    if isinstance(q, wq.MultiTerm):
        return [q]
    if q.is_leaf():
        return []
    return [p for child in q.children() for p in _positive_patterns(child)]


def expand_patterns(q: wq.Query, searcher: Searcher, notes: list[str]) -> wq.Query:
    """Replace each wildcard (``coord*``, ``c?nvener``) on a stemmed field by the stems of the
    words it matches as written, so it finds what a plain word would and scores like one.

    The pattern is matched against the unstemmed ``words`` field: the stems of ``convener``
    and ``coordinator`` would not match ``c?nvener`` or ``coordinator*``.
    """
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and q.field() in TEXT_FIELDS:
        return _expand_one(q, searcher, notes)
    if isinstance(q, wq.CompoundQuery):
        q.subqueries = [expand_patterns(c, searcher, notes) for c in q.subqueries]
    elif isinstance(q, wq.Not):
        q.query = expand_patterns(q.query, searcher, notes)
    elif isinstance(q, wq.AndNot):
        q.a = expand_patterns(q.a, searcher, notes)
        q.b = expand_patterns(q.b, searcher, notes)
    return q


def _expand_one(leaf: wq.PatternQuery, searcher: Searcher, notes: list[str]) -> wq.Query:
    reader = searcher.reader()
    field = leaf.field()
    pattern = leaf.__class__("words", leaf.text)
    words = {_text(v) for _f, v in pattern.existing_terms(reader, expand=True)}
    analyzer = analysis.stemmer()
    stems = {t.text for w in words for t in analyzer(w)}
    stems |= {_text(v) for _f, v in leaf.existing_terms(reader, expand=True)}
    stems = {t for t in stems if reader.doc_frequency(field, t)}
    if not stems:
        return leaf
    if len(stems) > MAX_PATTERN_WORDS:
        common = sorted(stems, key=lambda t: (-reader.doc_frequency(field, t), t))
        stems = set(common[:MAX_PATTERN_WORDS])
        note = (
            f"'{leaf.text}{'*' if isinstance(leaf, wq.Prefix) else ''}' matches more than "
            f"{MAX_PATTERN_WORDS} words; searched the {MAX_PATTERN_WORDS} most common"
        )
        if note not in notes:
            notes.append(note)
    terms = [wq.Term(field, t) for t in sorted(stems)]
    return terms[0] if len(terms) == 1 and leaf.boost == 1 else wq.Or(terms, boost=leaf.boost)


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
                retry = _run(searcher, plan(ix, suggestion), suggestion, filters, limit, notes)
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
            pool = allowed
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


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


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


_FIELD_TERMS: dict[tuple[str, str], tuple[str, ...]] = {}


def _terms(text: str) -> tuple[str, ...]:
    """The terms of a short stored text (a title, a summary), in order, kept per language."""
    key = (analysis.current_language(), text)
    found = _FIELD_TERMS.get(key)
    if found is None:
        if len(_FIELD_TERMS) > 50_000:
            _FIELD_TERMS.clear()
        found = _FIELD_TERMS[key] = tuple(t.text for t in analysis.stemmer()(text))
    return found


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
        title = _terms(stored.get("title", ""))
        summary = _terms(stored.get("summary", ""))
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
        if passages.answers(sections, wanted):
            score *= 1 + INTENT_BOOST
        if pairs:
            near = sum(1 for a, b in pairs if _adjacent(streams, a, b))
            score *= 1 + PHRASE_WEIGHT * near / len(pairs)
        out.append((stored, score))
    out.sort(key=lambda item: -item[1])
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
        options = corrector.suggest(lower, limit=1, maxdist=1 if len(lower) < 7 else 2, prefix=1)
        if options and options[0] != lower:
            changed = True
            return str(options[0])
        return word

    # phrases, fields and wildcards are kept as typed
    parts = re.split(r'("[^"]*"|\b[A-Za-z_]\w*:\S+|[^\s"]*[*?][^\s"]*)', text)
    fixed = "".join(p if i % 2 else _WORD.sub(fix, p) for i, p in enumerate(parts))
    return fixed if changed else None


def facet_line(facets: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in facets.items())


def as_json(hits: Iterable[Hit]) -> list[dict[str, Any]]:
    return [h.as_dict() for h in hits]
