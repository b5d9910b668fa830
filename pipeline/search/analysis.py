"""Text analysis shared by indexing and querying: tokens, British/American spelling, stems.

The spelling filter maps both spellings of a word to one form *before* stemming, applied the
same way to documents and queries, so ``mobilise`` finds ``mobilize``, ``centre`` finds
``center`` and ``programme`` finds ``program``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from whoosh.analysis import (
    STOP_WORDS,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)

ANALYSIS_VERSION = 1
"""Bumped whenever tokens, stop words, spelling rules or stems change: the index's schema
version includes it, so an index analysed the old way is rebuilt."""

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
    # enrol/enroll, fulfil/fulfill
    (re.compile(r"^(enrol|fulfil|instal)l(s|ment|ments)?$"), r"\1\2"),
]


def normalise_spelling(word: str) -> str:
    """One spelling for words that British and American English write differently."""
    for pattern, repl in _RULES:
        new = pattern.sub(repl, word)
        if new != word:
            return new
    return word


class SpellingFilter(Filter):  # type: ignore[misc]
    """Whoosh filter applying :func:`normalise_spelling` to each (lower-case) token."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SpellingFilter)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = normalise_spelling(t.text)
            yield t


STOPLIST = frozenset(STOP_WORDS) | frozenset(
    "what whats does do did doing done how who whom whose why where which should would could "
    "shall must i me my we our ours they their them there here about into than then its was "
    "were has had been being some any also just very".split()
)
"""Whoosh's stop words plus the question words people type ("what does a convener do")."""

# Word characters, keeping internal apostrophes, dashes and dots out (split on them).
TOKEN_PATTERN = r"\w+(?:'\w+)?"


def text_analyzer():  # type: ignore[no-untyped-def]
    """Tokenise, lower-case, drop stop words, unify spelling, stem (English)."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | LowercaseFilter()
        | StopFilter(stoplist=STOPLIST)
        | SpellingFilter()
        | StemFilter(lang="en", cachesize=50_000)
    )


@functools.cache
def stemmer():  # type: ignore[no-untyped-def]
    """The shared :func:`text_analyzer` instance used outside the schema (snippets, stems)."""
    return text_analyzer()


def word_analyzer():  # type: ignore[no-untyped-def]
    """Whole words for spelling suggestions: lower-case, no stemming."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | StopFilter(STOPLIST, minsize=3)
