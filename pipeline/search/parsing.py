"""The query language: a query's text turned into what to score and what must match.

Plain words (the default) become their terms in the query's language (stop words left out,
punctuation inside a word kept: "1:1s", "e-mail", "C++"). Anything else is read by Whoosh's
parser: "quoted phrases", AND/OR/NOT, field:value for the fields in :data:`FIELD_NAMES`
(title:funding, type:lesson), wildcards (coord*) and fuzzy terms (cordinator~); a colon
makes a field only after one of those names. Bad input raises :class:`QueryError` (a usage
error) or :class:`~pipeline.errors.QueryTooGeneralError` (only common words), with a message
saying what to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
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
from . import analysis

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
    words = _words(text)
    if not words:
        raise too_general(text)
    return Plan(_words_query(words), None, words)


def _words(text: str) -> list[tuple[str, ...]]:
    """The significant words of ``text`` in order, once each, each as its terms."""
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
    return words


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


_PIECE = re.compile(r'"[^"]*"|[()]|[^\s()"]+')


def _tidy_operators(text: str) -> str:
    """Read a run of operators as one and leave out those with nothing to combine (the
    parser fails on them): "NOT NOT a" is "NOT a", "a ANDNOT ANDNOT b" is "a ANDNOT b",
    "a AND NOT b" stays, "AND a OR" is "a". Phrases are kept as written."""
    pieces = list(_PIECE.finditer(text))
    drop: set[int] = set()
    i = 0
    while i < len(pieces):
        if pieces[i].group(0) not in _OPERATORS:
            i += 1
            continue
        j = i
        while j < len(pieces) and pieces[j].group(0) in _OPERATORS:
            j += 1
        run = [p.group(0) for p in pieces[i:j]]
        starts = i == 0 or pieces[i - 1].group(0) == "("
        ends = j == len(pieces) or pieces[j].group(0) == ")"
        binary = [op for op in run if op != "NOT"]
        keep: list[str] = []
        if not ends:
            if binary and not starts:
                keep.append(binary[0])
                if binary[0] in ("AND", "OR") and "NOT" in run[run.index(binary[0]) :]:
                    keep.append("NOT")
            elif "NOT" in run:
                keep.append("NOT")
        kept = iter(keep)
        wanted = next(kept, None)
        for k in range(i, j):  # keep the first pieces that say what is kept, in order
            if pieces[k].group(0) == wanted:
                wanted = next(kept, None)
            else:
                drop.add(k)
        i = j
    if not drop:
        return text
    out, last = [], 0
    for k in sorted(drop):
        out.append(text[last : pieces[k].start()].rstrip() + " ")
        last = pieces[k].end()
    out.append(text[last:])
    return " ".join("".join(out).split())


def _parse(ix: FileIndex, group: Any, text: str, written: str) -> wq.Query:
    """Parse ``text`` with Whoosh's parser; what it cannot read is a usage error."""
    try:
        return _parser(ix, group).parse(text)
    except Exception as exc:  # the parser's own assertions and index errors on odd input
        raise QueryError(
            f"the query {written!r} cannot be read: put AND, OR and ANDNOT between words, NOT "
            "before a word, a word after a field name (title:funding) and pair quotes and "
            "parentheses, e.g. 'convener NOT glossary'"
        ) from exc


def _plan_syntax(ix: FileIndex, text: str) -> Plan:
    notes: list[str] = []
    text = _KNOWN_FIELD.sub(lambda m: m.group(1).lower() + ":", text)
    balanced = _balance(text)
    if balanced != text:
        notes.append("an unbalanced quote or parenthesis was ignored")
    tidied = _tidy_operators(balanced)
    if tidied != balanced and tidied:
        notes.append(
            f"operators in a row or with nothing to combine were left out: searched for {tidied!r}"
        )
    balanced = tidied
    required: list[wq.Query] = []
    if not any(op in balanced.split() for op in _OPERATORS):
        for m in _EXACT_REF.finditer(balanced):
            required.append(wq.Term(m.group(1), m.group(2).strip('"')))
        if required:
            balanced = _EXACT_REF.sub(" ", balanced).strip()
            if not balanced.strip('()" '):  # "(type:lesson)": nothing but the restriction
                only = required[0] if len(required) == 1 else wq.And(required)
                return Plan(only, only, [], notes)
    ranked = _parse(ix, OrGroup, balanced, text)
    meaningful = list(_positive_terms(ranked)) or _positive_patterns(ranked)
    if ranked is wq.NullQuery or not meaningful:
        raw = [w.strip('"()') for w in (balanced or text).split()]
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
        raise too_general(" ".join(w for w in raw if w))
    every = _and_not(_parse(ix, AndGroup, balanced, text))
    ranked = _and_not(ranked)
    if required:
        ranked, every = wq.And([ranked, *required]), wq.And([every, *required])
    words: list[tuple[str, ...]] = []
    for f, v in _positive_terms(ranked):
        if f == "tags":  # a tag as written ("peer-learning"): its words as the text has them
            words += _words(_text(v).replace("-", " "))
        elif f in TEXT_FIELDS:
            words.append((_text(v),))
    return Plan(ranked, every, list(dict.fromkeys(words)), notes)


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


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
