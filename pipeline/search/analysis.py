"""Text analysis shared by indexing and querying: words, stop words, spelling, stems.

One analysis turns an article and a query into the same terms:

1. **Words as written.** A word keeps the punctuation inside it (:data:`TOKEN_PATTERN`):
   "e-mail", "co-financing", "1:1s", "C++", "Erasmus+", "KA3", "U.S.", "3.5", "10,000".
   Such a word is indexed as its parts (for phrases and for a query that spaces them) and as
   one joined term at the position of its last part: "e-mail" -> ``e``, ``mail``, ``email``;
   "co-financing" -> ``co``, ``financing``, ``cofinancing``. So "email" finds "e-mail" and
   the reverse, "co financing" and "cofinancing" find "co-financing". Short pieces stay whole:
   "U.S." is ``u.s``, "3.5" is ``3.5`` (never 35), "R&D" ``r&d``, "KA-1" ``ka1``, "C++"
   ``c++`` (never c); "1:1s", "1-on-1" and "one-on-one" are ``1:1``; numbers joined by a dash
   stay numbers ("2021-2027", "3-5" is never 35). A trailing ``'s`` goes ("the convener's" is
   "convener"); so do French and Italian elisions in those languages ("l'organisation").
2. **Stop words per language** (:func:`stop_words`, lists in :mod:`.stopwords`): the language
   is the one :func:`language` sets (the article's ``lang``, a query's ``--lang``).
3. **One spelling** for British and American English (:func:`normalise_spelling`), *before*
   stemming, so ``mobilise`` finds ``mobilize``, ``centre`` ``center``, ``programme``
   ``program``.
4. **A light stem** (:func:`.stemming.light_stem`): inflections meet (policies, policy),
   different words stay apart (mobility, mobilisation).

A word's term is computed once per language and kept (:data:`TERM_CACHE` words), so a large
text costs one dictionary look-up per word.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from whoosh.analysis import Filter, Token, Tokenizer

from .stemming import light_stem
from .stopwords import BY_LANGUAGE, base_language

ANALYSIS_VERSION = 6
"""Bumped whenever tokens, stop words, spelling rules or stems change: the index's schema
version includes it, so an index analysed the old way is rebuilt."""

TERM_CACHE = 200_000
"""Most words whose terms are kept per language (the cache starts afresh when full)."""

_LANGUAGE: ContextVar[str] = ContextVar("netdocs_analysis_language", default="en")


@contextmanager
def language(lang: str | None) -> Iterator[None]:
    """Analyse text as written in ``lang`` (an article's ``lang``, a query's ``--lang``) inside
    the block; English outside any block."""
    token = _LANGUAGE.set(lang or "en")
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def current_language() -> str:
    """The language text is analysed as now (see :func:`language`)."""
    return _LANGUAGE.get()


def stop_words(lang: str | None) -> frozenset[str]:
    """The stop words of ``lang`` ("en", "fr", "pt-BR"...; None: the current language), in
    lower case; empty for a language without a list (every word counts)."""
    return BY_LANGUAGE.get(base_language(lang or current_language()), frozenset())


# --- spelling ---------------------------------------------------------------------------------

_RULES: list[tuple[re.Pattern[str], str]] = [
    # specific words first, before the general -ise rule below
    # licence/license, defence/defense, practise/practice (verb)
    (re.compile(r"^(licen|defen|offen)ce(s|d)?$"), r"\1se\2"),
    (re.compile(r"^practis(e|es|ed|ing)$"), r"practic\1"),
    # organise/organize, organisation/organization, mobilising/mobilizing, analyse/analyze
    (re.compile(r"^(\w{2,}[^aeiou\W])is(e|es|ed|ing|er|ers|ation|ations|ational)$"), r"\1iz\2"),
    (re.compile(r"^(\w{2,})ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
    # centre/center, metre/meter, theatre/theater
    (re.compile(r"^(\w{2,}[^aeiou\W])tre(s|d)?$"), r"\1ter\2"),
    # programme/program
    (re.compile(r"^programm(e|es)$"), r"program\1"),
    # labour/labor, behaviour/behavior, colour/color
    (re.compile(r"^(\w{3,})our(s|ed|ing|ful|able|ite|ites)?$"), r"\1or\2"),
    # cancelled/canceled, travelling/traveling, modelling/modeling
    (
        re.compile(
            r"^(cancel|travel|model|label|level|signal|fuel|channel|counsel)l(ed|ing|er|ers)$"
        ),
        r"\1\2",
    ),
    # enrol/enroll, fulfil/fulfill, instalment/installment: the American form, which the other
    # forms share (enrolled, installing, installation)
    (re.compile(r"^(enrol|fulfil|instal)(s|ment|ments)?$"), r"\1l\2"),
]


def normalise_spelling(word: str) -> str:
    """One spelling for words that British and American English write differently."""
    for pattern, repl in _RULES:
        new = pattern.sub(repl, word)
        if new != word:
            return new
    return word


# --- words ------------------------------------------------------------------------------------

_HYPHENS = "-\u2010\u2011\u2013"
"""Hyphen, Unicode hyphen, non-breaking hyphen, en dash (joins words: "e-mail", "2021–2027")."""
_JOINERS = _HYPHENS + "'\u2019.:&@"
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u0900-\u0963\u0966-\u0dff\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20f0\u3099\u309a\ufe20-\ufe2f"
)
"""Combining marks, which ``\\w`` leaves out: accents typed apart ("cafe\u0301"), Arabic
vowel signs, the vowel signs and viramas of Indic scripts ("नमस्ते" is one word)."""
_W = r"[\w" + _MARKS + r"]"
TOKEN_PATTERN = (
    _W
    + r"+(?:(?:["
    + _JOINERS
    + r"]|(?<=\d),(?=\d{3}(?!\d)))"
    + _W
    + r"+)*(?:\+\+?(?![\w+])|#(?![\w#]))?"
)
"""One word as written: letters, digits and combining marks, with the punctuation inside it
("e-mail", "1:1s", "U.S", "3.5", "10,000", "don't") and a trailing ``+``, ``++`` or ``#``
("C++", "Erasmus+", "C#"). No capturing group, so ``re.findall`` gives whole words."""

_TOKEN = re.compile(TOKEN_PATTERN)
_SPLIT = re.compile(r"[" + _JOINERS + r",]")
_ONE_ON_ONE = re.compile(r"^(\d+|one)(?:[" + _HYPHENS + r"]?on[" + _HYPHENS + r"]?|:)(\d+|one)s?$")
_ELIDING = frozenset(("fr", "it", "ca"))
"""Languages whose articles and pronouns elide before a vowel ("l'organisation", "d'un")."""

_HARAKAT = re.compile("[\u064b-\u065f\u0670]")
"""Arabic vowel signs, seldom written: a word with them is the word without them."""

_Piece = tuple[str, int, int]
"""A term's text (lower case) and its start and end in the word."""


@functools.lru_cache(maxsize=50_000)
def split_word(word: str, elide: bool = False) -> tuple[tuple[_Piece, ...], tuple[_Piece, ...]]:
    """The pieces of a word with punctuation inside: (parts in order, joined forms).

    The parts are what a phrase matches, one position each; the joined forms share the last
    part's position ("e-mail": parts ``e``, ``mail``; joined ``email``). Each piece's text is
    in lower case and composed (NFC), without Arabic vowel signs.
    """
    parts, joined = _split(word, elide)
    if word.isascii():
        return parts, joined
    return _fold(parts), _fold(joined)


def _fold(pieces: tuple[_Piece, ...]) -> tuple[_Piece, ...]:
    return tuple(
        (_HARAKAT.sub("", unicodedata.normalize("NFC", text)), start, end)
        for text, start, end in pieces
    )


def _split(word: str, elide: bool) -> tuple[tuple[_Piece, ...], tuple[_Piece, ...]]:
    end = len(word)
    suffix = ""
    if word.endswith(("+", "#")):
        stripped = word.rstrip("+#")
        suffix, end = word[len(stripped) :], len(stripped)
    core = word[:end]
    if core[-2:] in ("'s", "\u2019s", "'S", "\u2019S"):
        core, end = core[:-2], end - 2
    lower = core.lower().replace("\u2019", "'")
    if elide and len(lower) > 2 and (lower[1] == "'" or lower.startswith("qu'")):
        cut = lower.index("'") + 1
        inner, inner_parts = _split(core[cut:] + suffix, elide)
        shift = lambda ps: tuple((t, s + cut, e + cut) for t, s, e in ps)  # noqa: E731
        return shift(inner), shift(inner_parts)
    one = _ONE_ON_ONE.match(lower)
    if one:
        a, b = ("1" if g == "one" else g for g in one.groups())
        return ((f"{a}:{b}", 0, len(word)),), ()
    if suffix:
        whole = ((lower + suffix, 0, len(word)),)
        base = _split(core, False) if core else ((), ())
        if len(lower) >= 3:
            return whole, (*base[0], *base[1])
        return whole, ()
    parts: list[_Piece] = []
    start = 0
    for m in _SPLIT.finditer(lower):
        if m.start() > start:
            parts.append((lower[start : m.start()], start, m.start()))
        start = m.end()
    if start < len(lower):
        parts.append((lower[start:], start, len(lower)))
    if len(parts) <= 1:
        return tuple(parts) or ((lower, 0, end),), ()
    seps = set(_SPLIT.findall(lower))
    hyphens_only = seps <= set(_HYPHENS)
    if hyphens_only and all(p[0].isdigit() for p in parts):
        return tuple(parts), ()  # 2021-2027, 2026-09-21: numbers, not one number
    joined = "".join(p[0] for p in parts) if hyphens_only or seps == {","} else lower
    if seps == {","} or all(len(p[0]) <= 2 for p in parts) or "'" in seps:
        # 10,000; U.S.; 3.5; R&D; KA-1; don't: one term, as written
        return ((joined, 0, end),), ()
    return tuple(parts), ((joined, 0, end),)


class WordTokenizer(Tokenizer):  # type: ignore[misc]
    """Words as :data:`TOKEN_PATTERN` finds them, in lower case, with the pieces of those that
    hold punctuation (:func:`split_word`). A token that shares the position of the one before
    it (a joined form) has ``joined`` set; :class:`TermFilter` numbers the positions.

    In a query's phrase (Whoosh asks for character offsets) only the parts are given, in
    order, so "co-financing rate" as a phrase matches the text as written.
    """

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.boost = 1.0
        t.joined = False
        if not tokenize:
            t.original = t.text = value.lower()
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        phrase = mode == "query" and chars
        elide = base_language(current_language()) in _ELIDING
        pos = start_pos - 1
        for match in _TOKEN.finditer(value):
            word = match.group()
            if word.isalnum():
                pos += 1
                t.text = word.lower()
                t.joined = False
                if keeporiginal:
                    t.original = word
                if positions:
                    t.pos = pos
                if chars:
                    t.startchar = start_char + match.start()
                    t.endchar = start_char + match.end()
                yield t
                continue
            parts, joined = split_word(word, elide)
            offset = start_char + match.start()
            for pieces, shares in ((parts, False), (() if phrase else joined, True)):
                for text, start, end in pieces:
                    if not shares:
                        pos += 1
                    t.text = text
                    t.joined = shares
                    if keeporiginal:
                        t.original = word[start:end]
                    if positions:
                        t.pos = pos
                    if chars:
                        t.startchar, t.endchar = offset + start, offset + end
                    yield t


# --- terms ------------------------------------------------------------------------------------

_TERMS: dict[tuple[str, bool, int], dict[str, str]] = {}


def _compute_term(word: str, stops: frozenset[str], stem: bool, minsize: int) -> str:
    """The term of a lower-case word; '' for a stop word or a word too short to mean much."""
    if word in stops or (len(word) < minsize and word.isascii()):
        return ""
    if not stem:
        return word
    return light_stem(normalise_spelling(word))


def term(word: str, lang: str | None = None) -> str:
    """The indexed term of one word in ``lang`` (None: the current language); '' for a stop
    word."""
    return _compute_term(word.lower(), stop_words(lang), True, 2)


class TermFilter(Filter):  # type: ignore[misc]
    """Drops the current language's stop words and words shorter than ``minsize``, then unifies
    spelling and stems (``stem=True``); numbers the positions of the words it keeps, a joined
    form sharing its last part's position."""

    def __init__(self, stem: bool = True, minsize: int = 2) -> None:
        self.stem = stem
        self.minsize = minsize

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.__dict__ == self.__dict__

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.stem, self.minsize))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        lang = base_language(current_language())
        stops = BY_LANGUAGE.get(lang, frozenset())
        key = (lang, self.stem, self.minsize)
        cache = _TERMS.get(key)
        if cache is None or len(cache) > TERM_CACHE:
            cache = _TERMS[key] = {}
        stem, minsize = self.stem, self.minsize
        pos = None
        kept = False  # whether the last position's part was kept
        for t in tokens:
            text = t.text
            found = cache.get(text)
            if found is None:
                found = cache[text] = _compute_term(text, stops, stem, minsize)
            joined = getattr(t, "joined", False)
            if not found:
                if not joined:
                    kept = False
                if t.removestops:
                    continue
                t.stopped = True
                yield t
                continue
            t.text = found
            t.stopped = False
            if t.positions:
                if pos is None:
                    pos = t.pos
                elif not (joined and kept):
                    pos += 1
                t.pos = pos
            kept = True
            yield t


def text_analyzer():  # type: ignore[no-untyped-def]
    """Words, stop words of the current language, one spelling, light stems."""
    return WordTokenizer() | TermFilter()


@functools.cache
def stemmer():  # type: ignore[no-untyped-def]
    """The shared :func:`text_analyzer` instance used outside the schema (snippets, stems)."""
    return text_analyzer()


def terms(text: str) -> tuple[str, ...]:
    """The terms of a short text (a word, a title, a summary) in order, analysed in the current
    language (:func:`language`); each text is analysed once per language and kept."""
    return _terms(current_language(), text)


@functools.lru_cache(maxsize=100_000)
def _terms(lang: str, text: str) -> tuple[str, ...]:
    # ``lang`` is the current language (the cache's key): stemmer() analyses in it
    return tuple(t.text for t in stemmer()(text))


def word_analyzer():  # type: ignore[no-untyped-def]
    """Whole words for spelling suggestions and wildcards: lower case, no stemming, no stop
    words, at least three letters."""
    return WordTokenizer() | TermFilter(stem=False, minsize=3)
