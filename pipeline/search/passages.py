"""The part of a matching article to show: its best section and a snippet of it.

Both work on what the index stores for each section (heading, anchor, text, and the terms of
heading and text), so no article is read or analysed again to answer a query; a snippet
analyses only the words of the one section it shows, each word once per language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from . import analysis
from .stopwords import base_language

SNIPPET_CHARS = 220
"""Longest snippet, in characters (before the ``**`` marks)."""
SNIPPET_PARTS = 2
"""Most passages one snippet joins (with " ... ")."""

_WORD = re.compile(analysis.TOKEN_PATTERN)


@dataclass(frozen=True)
class Intent:
    """What kind of section a question asks for, told by how it starts (English)."""

    asks: re.Pattern[str]
    """Matches the query (lower case) when it asks this."""
    answers: tuple[str, ...]
    """Headings (lower case, as they start) of the sections that answer it."""


INTENTS = (
    # "what does a convener do", "what do focal points do", "role of the secretariat"
    Intent(
        re.compile(r"\bwhat (?:does|do|should|must) .*\bdo\b|\b(?:duties|tasks|job|jobs)\b"),
        ("responsibilities", "tasks", "duties", "what it means"),
    ),
    Intent(re.compile(r"^why\b|\bwhy (?:does|do|is|are|should)\b"), ("why", "benefits", "purpose")),
    Intent(
        re.compile(r"^how (?:do|does|can|should|to|would|could)\b"),
        ("how to", "activities", "what to do", "how it works", "steps"),
    ),
    Intent(re.compile(r"^who\b"), ("who", "communicating with")),
    Intent(re.compile(r"^what (?:is|are)\b|\bmean\b|\bmeaning\b"), ("what it means",)),
)
"""Questions whose wording says which section answers them."""
INTENT_WEIGHT = 3.0
"""What a heading that answers the question's kind weighs: 3.0 is as much as a heading
holding every word of the query."""


def wanted_headings(query: str, lang: str) -> tuple[str, ...]:
    """Headings (lower-case starts) of the sections the query's wording asks for; none for a
    language other than English."""
    if base_language(lang) != "en":
        return ()
    text = " ".join(query.lower().split())
    return tuple(a for intent in INTENTS if intent.asks.search(text) for a in intent.answers)


Section = Sequence[str]
"""A stored section: (heading, anchor, text, heading terms, text terms)."""


def answers(sections: Sequence[Section], wanted: tuple[str, ...]) -> bool:
    """Whether one of ``sections`` is headed as :func:`wanted_headings` asks."""
    return bool(wanted) and any(s[0].lower().startswith(wanted) for s in sections)


def section_terms(section: Section) -> tuple[list[str], list[str]]:
    """Terms of a stored section's heading and text (analysed now for an older index)."""
    if len(section) >= 5:
        return section[3].split(), section[4].split()
    analyzer = analysis.stemmer()
    return [t.text for t in analyzer(section[0])], [t.text for t in analyzer(section[2])]


def best_section(
    sections: Sequence[Section], terms: set[str], wanted: tuple[str, ...] = ()
) -> Section | None:
    """The section that matches ``terms`` best: rare terms (within the article) count most, in
    the heading most of all; a heading in ``wanted`` (:func:`wanted_headings`) counts too."""
    if not sections:
        return None
    if not terms and not wanted:
        return sections[0]
    analysed: list[tuple[set[str], list[str], int]] = []
    for section in sections:
        heads, body = section_terms(section)
        analysed.append(
            ({t for t in heads if t in terms}, [t for t in body if t in terms], len(body))
        )
    # A term found in every section (the article's own subject) says little about which section
    # matches; weight each term by how rare it is among the article's sections.
    df = {t: sum(t in heads or t in body for heads, body, _n in analysed) for t in terms}
    idf = {t: 0.05 + math.log(len(sections) / n) for t, n in df.items() if n}
    best, best_score = sections[0], -1.0
    for section, (in_head, in_body, length) in zip(sections, analysed, strict=True):
        found = in_head | set(in_body)
        score = sum(idf[t] for t in found) + 2 * sum(idf[t] for t in in_head)
        score += 0.5 * sum(idf[t] for t in in_body) / math.log2(2 + length)
        if wanted and section[0].lower().startswith(wanted):
            score += INTENT_WEIGHT * (1 + sum(idf.values()))
        if score > best_score:
            best, best_score = section, score
    return best


def snippet(text: str, terms: set[str]) -> str:
    """Up to :data:`SNIPPET_PARTS` passages of ``text`` around the words whose terms are in
    ``terms``, those words wrapped in ``**``; '' when no word matches."""
    if not text or not terms:
        return ""
    hits: list[tuple[int, int, frozenset[str]]] = []
    for m in _WORD.finditer(text):
        matched = terms.intersection(analysis.terms(m.group()))
        if matched:
            hits.append((m.start(), m.end(), frozenset(matched)))
    if not hits:
        return ""
    budget = SNIPPET_CHARS // SNIPPET_PARTS if len(hits) > 1 else SNIPPET_CHARS
    windows = _windows(hits, budget)
    chosen: list[tuple[int, int]] = []
    seen: set[str] = set()
    for start, end, found in sorted(windows, key=lambda w: (-len(w[2]), w[0])):
        if len(chosen) == SNIPPET_PARTS:
            break
        if chosen and (found <= seen or any(s < end and start < e for s, e in chosen)):
            continue
        chosen.append((start, end))
        seen |= found
    return " ... ".join(_mark(text, s, e, hits) for s, e in sorted(chosen))


def _windows(
    hits: list[tuple[int, int, frozenset[str]]], budget: int
) -> list[tuple[int, int, frozenset[str]]]:
    """For each matched word, the passage of ``budget`` characters starting a little before
    it, with the distinct terms it holds."""
    out = []
    for i, (start, _end, _hit) in enumerate(hits):
        lo = max(0, start - budget // 4)
        hi = lo + budget
        found: set[str] = set()
        for _s, e, f in hits[i:]:
            if e > hi:
                break
            found |= f
        for s, _e, f in reversed(hits[:i]):
            if s < lo:
                break
            found |= f
        out.append((lo, hi, frozenset(found)))
    return out


def _mark(text: str, lo: int, hi: int, hits: Iterable[tuple[int, int, frozenset[str]]]) -> str:
    """``text[lo:hi]`` cut at word boundaries, its matched words in ``**``."""
    if lo > 0:
        space = text.find(" ", lo, lo + 30)
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", hi - 30, hi)
        hi = space if space > lo else hi
    else:
        hi = len(text)
    out, last = [], lo
    for s, e, _f in hits:
        if s >= lo and e <= hi:
            out.append(text[last:s])
            out.append(f"**{text[s:e]}**")
            last = e
    out.append(text[last:hi])
    return " ".join("".join(out).split())


def lead(text: str) -> str:
    """The start of ``text``, cut at a word, for an article without a matching passage."""
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " ..."
