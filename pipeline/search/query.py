"""Answer a query against the index: ranked articles, their best section, a snippet, facets.

Queries are natural language by default (words are OR-ed, articles matching more of them rank
higher) and accept Whoosh syntax: "quoted phrases", AND/OR/NOT, field:value (title:funding,
type:lesson), wildcards (coord*) and fuzzy terms (cordinator~). Bad input never raises
anything but :class:`QueryError` (a usage error) with a message saying what to change.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from whoosh import highlight
from whoosh import query as wq
from whoosh.index import FileIndex
from whoosh.qparser import FuzzyTermPlugin, MultifieldParser, OrGroup
from whoosh.searching import Searcher

from ..errors import UsageError
from .analysis import TOKEN_PATTERN, stemmer

SCORED_FIELDS = ("title", "summary", "body")
"""Fields a plain query searches (the body includes headings and tags)."""
TEXT_FIELDS = (*SCORED_FIELDS, "headings", "tags")
"""Analysed fields, including those only named in field queries."""
BOOSTS = {"title": 4.0, "summary": 2.0, "body": 1.0}
"""Weight of a match in each field: title and summary weigh more than body text."""
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
MAX_QUERY_CHARS = 1000
MAX_PATTERN_WORDS = 500
"""Most indexed words one wildcard (``coord*``) expands to; the most common ones are kept."""
SNIPPET_CHARS = 220
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FIELD_REF = re.compile(r"(?<![\w\"])([A-Za-z_]\w*):(?=\S)")
_WORD = re.compile(TOKEN_PATTERN)
_QUESTION_MARK = re.compile(r"(?<=\w)\?+(?=[\s)\"]|$)")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
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
    """The answer to one query."""

    query: str
    """The query as searched (cleaned, possibly corrected)."""
    hits: list[Hit]
    total: int
    """How many articles match (hits holds at most ``limit``)."""
    facets: dict[str, int]
    """Matching articles per type."""
    suggestion: str | None = None
    """A corrected query when some words are not in the index ("did you mean")."""
    corrected: bool = False
    """True when nothing matched and the hits come from the suggestion."""
    notes: list[str] = field(default_factory=list)
    """Things the user should know (query shortened, unknown field...)."""


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
    if not _WORD.search(cleaned.replace("*", "").replace("?", "")):
        raise QueryError(
            f"the query {cleaned!r} has no words to search for; "
            "'*' alone would match everything: use netdocs kb list instead"
        )
    return cleaned, notes


def _parser(ix: FileIndex) -> MultifieldParser:
    parser = MultifieldParser(
        list(SCORED_FIELDS), ix.schema, fieldboosts=BOOSTS, group=OrGroup.factory(0.9)
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


def parse(ix: FileIndex, text: str) -> tuple[wq.Query, list[str]]:
    """Parse a cleaned query; returns the Whoosh query and notes."""
    notes: list[str] = []
    unknown = sorted({m.group(1) for m in _FIELD_REF.finditer(text)} - set(FIELD_NAMES))
    if unknown:
        notes.append(
            f"unknown field{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(u) for u in unknown)}: searched as ordinary words "
            f"(fields: {', '.join(FIELD_NAMES)})"
        )
        for name in unknown:
            text = re.sub(rf"(?<![\w\"]){re.escape(name)}:", f"{name} ", text)
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
                return (required[0] if len(required) == 1 else wq.And(required)), notes
    q = _parser(ix).parse(balanced)
    meaningful = [t for t in _positive_terms(q) if t[0] != "tags"] or _positive_patterns(q)
    if q is wq.NullQuery or not meaningful:
        words = [w.strip('"()') for w in balanced.split()]
        if not [w for w in words if w and w not in _OPERATORS]:
            raise QueryError(
                f"the query {text!r} has only operators (AND, OR, NOT combine "
                "words): add the words to search for"
            )
        if any(w in ("NOT", "ANDNOT") for w in words):
            raise QueryError(
                f"the query {text!r} only says what to leave out: add what to "
                "search for, e.g. 'convener NOT glossary'"
            )
        raise QueryError(
            f"the query {text!r} has only very common words (the, of, what...): "
            "add a more specific word"
        )
    q = _and_not(q)
    if required:
        q = wq.And([q, *required])
    return q, notes


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
    and ``coordinator`` (conven, coordin) would not match ``c?nvener`` or ``coordinator*``.
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
    analyzer = stemmer()
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


def _filter(**filters: Any) -> wq.Query | None:
    clauses: list[wq.Query] = []
    for name, value in filters.items():
        if value is None or value == "":
            continue
        if name == "tags":
            value = str(value).lower()
        clauses.append(wq.Term(name, str(value)))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


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
    """Search ``ix``; see the module docstring for the query language."""
    cleaned, notes = clean_query(text)
    flt = _filter(type=type, tags=tag, audience=audience, step=step, lang=lang)
    q, parse_notes = parse(ix, cleaned)
    notes += parse_notes
    with ix.searcher() as searcher:
        q = expand_patterns(q, searcher, notes)
        result = _run(searcher, q, cleaned, flt, limit, notes)
        suggestion = _suggest(searcher, cleaned)
        result.suggestion = suggestion
        if not result.hits and suggestion:
            q2, _ = parse(ix, suggestion)
            q2 = expand_patterns(q2, searcher, [])
            retry = _run(searcher, q2, suggestion, flt, limit, notes)
            if retry.hits:
                retry.suggestion, retry.corrected = suggestion, True
                return retry
    return result


def _run(
    searcher: Searcher,
    q: wq.Query,
    text: str,
    flt: wq.Query | None,
    limit: int,
    notes: list[str],
) -> SearchResult:
    # Score only the top hits (Whoosh skips blocks that cannot reach them); count every match
    # and its type in one unscored pass, reading types from the sortable column.
    results = searcher.search(q, limit=max(1, limit), filter=flt, terms=False)
    types = searcher.reader().column_reader("type")
    allowed = set(searcher.docs_for_query(flt)) if flt is not None else None
    counts: Counter[str] = Counter()
    for docnum in searcher.docs_for_query(q):
        if allowed is None or docnum in allowed:
            counts[_text(types[docnum])] += 1
    facets = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    terms = _stems(searcher, q)
    hits = [_hit(r, terms) for r in results[: max(1, limit)]]
    return SearchResult(text, hits, sum(counts.values()), facets, notes=list(notes))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _stems(searcher: Searcher, q: wq.Query) -> set[str]:
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


class _MarkFormatter(highlight.Formatter):  # type: ignore[misc]
    between = " ... "

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"**{highlight.get_text(text, token, replace)}**"


def _hit(r: Any, terms: set[str]) -> Hit:
    sections: list[tuple[str, ...]] = r.get("sections") or []
    best = _best_section(sections, terms)
    title, anchor, text = best[:3] if best else (r["title"], "", r.get("summary", ""))
    snippet = (
        _snippet(text, terms)
        or _snippet(r.get("summary", ""), terms)
        or _lead(text or r.get("summary", ""))
    )
    return Hit(r["id"], r["title"], r["type"], r["path"], anchor, title, float(r.score), snippet)


def _section_stems(section: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Stems of a stored section's heading and text (analysed now for an older index)."""
    if len(section) >= 5:
        return section[3].split(), section[4].split()
    analyzer = stemmer()
    return [t.text for t in analyzer(section[0])], [t.text for t in analyzer(section[2])]


def _best_section(sections: list[tuple[str, ...]], terms: set[str]) -> tuple[str, ...] | None:
    if not sections:
        return None
    if not terms:
        return sections[0]
    analysed = []
    for section in sections:
        title_tokens, body_tokens = _section_stems(section)
        analysed.append(
            ({t for t in title_tokens if t in terms}, [t for t in body_tokens if t in terms],
             len(body_tokens))
        )  # fmt: skip
    # A term found in every section (the article's own subject) says little about which section
    # matches; weight each term by how rare it is among the article's sections.
    df = {t: sum(t in heads or t in body for heads, body, _n in analysed) for t in terms}
    idf = {t: 0.05 + math.log(len(sections) / n) for t, n in df.items() if n}
    best, best_score = sections[0], -1.0
    for section, (heads, body, length) in zip(sections, analysed, strict=True):
        found = heads | set(body)
        score = sum(idf[t] for t in found) + 2 * sum(idf[t] for t in heads)
        score += 0.5 * sum(idf[t] for t in body) / math.log2(2 + length)
        if score > best_score:
            best, best_score = section, score
    return best


def _snippet(text: str, terms: set[str]) -> str:
    if not text or not terms:
        return ""
    fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    out = highlight.highlight(
        text, frozenset(terms), stemmer(), fragmenter, _MarkFormatter(), top=2
    )
    return " ".join(str(out).split())


def _lead(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " ..."


def _suggest(searcher: Searcher, text: str) -> str | None:
    """The query with unknown words replaced by the closest indexed words, if any differ."""
    reader = searcher.reader()
    analyzer = stemmer()
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
