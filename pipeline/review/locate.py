"""Find a document's text in the Markdown it came from.

A published paragraph is its Markdown without the markup: emphasis, link targets, heading
marks and list markers are gone, quotes are curly, ranges of years take an en dash, figures
(``[[figure:...]]``) are numbers. So both sides are compared as their letters and digits
only, case folded (:func:`plain`), each character of the Markdown side remembering where it
is in the file: a match gives the line and column where the text starts and ends. A text not
found whole is looked for by its longest runs of words (a figure in the middle breaks it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Point = tuple[int, int]
"""1-based line, 0-based column of a file."""

_HIDDEN = re.compile(
    r"\]\([^)\n]*\)"  # a link's or image's target
    r"|\[\^[^\]\s]+\]"  # a footnote reference
    r"|\[\[[^\]\n]*\]\]"  # a figure or other marker
    r"|\{[#.][^}\n]*\}"  # attributes
    r"|<!--.*?-->"  # an HTML comment
    r"|</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?/?>"  # an HTML tag (not an autolink: <https://...>)
    r"|^\s*\[(?!\^)[^\]\n]+\]:\s.*$"  # a reference definition (a footnote's is text)
    r"|^\s{0,3}(?:[-*+]|\d+[.)])\s"  # a list marker (its number is not text)
    r"|\{(?:\+\+|--|~~|==|>>).*?(?:\+\+|--|~~|==|<<)\}"  # a suggestion already there
)
_ALNUM = re.compile(r"[^\W_]")
MIN_RUN = 12
"""The fewest letters and digits a run of words must have to be matched on its own."""
MAX_WORDS = 40


@dataclass(frozen=True)
class Plain:
    """Letters and digits of some lines of a file, each with where it is."""

    chars: str
    where: list[Point]

    def span(self, start: int, end: int) -> tuple[Point, Point]:
        """The file positions of ``chars[start:end]`` (end exclusive)."""
        line, col = self.where[end - 1]
        return self.where[start], (line, col + 1)


def normalise(text: str) -> str:
    """``text`` as :class:`Plain` compares it: letters and digits, case folded."""
    return "".join(c.casefold() for c in _ALNUM.findall(text))


def plain(lines: list[str], first: int = 1, last: int | None = None) -> Plain:
    """Lines ``first`` to ``last`` (1-based, inclusive; default: to the end) of ``lines``."""
    chars: list[str] = []
    where: list[Point] = []
    stop = len(lines) if last is None else min(last, len(lines))
    fence = ""
    for number in range(max(first, 1), stop + 1):
        line = lines[number - 1]
        marker = re.match(r"\s*(`{3,}|~{3,})", line)
        if marker:
            fence = "" if fence and line.strip().startswith(fence) else fence or marker.group(1)
            continue
        spans = [] if fence else [m.span() for m in _HIDDEN.finditer(line)]
        for m in _ALNUM.finditer(line):
            col = m.start()
            if spans and any(a <= col < b for a, b in spans):
                continue
            for folded in m.group().casefold():
                chars.append(folded)
                where.append((number, col))
    return Plain("".join(chars), where)


@dataclass(frozen=True)
class Found:
    """Where a text is."""

    start: Point
    end: Point
    """Just after its last letter or digit."""
    whole: bool
    """The whole text was found (not only a run of its words)."""


def find(haystack: Plain, text: str, *, last: bool = False) -> Found | None:
    """Where ``text`` is in ``haystack`` (its first place; ``last``: its last), or None. A
    text not found whole is found by its longest run of words with at least
    :data:`MIN_RUN` letters and digits (then ``whole`` is False and the place is that run's)."""
    needle = normalise(text)
    if not needle:
        return None
    at = haystack.chars.rfind(needle) if last else haystack.chars.find(needle)
    if at >= 0:
        return Found(*haystack.span(at, at + len(needle)), whole=True)
    words = text.split()[:MAX_WORDS] if not last else text.split()[-MAX_WORDS:]
    for size in range(len(words) - 1, 0, -1):
        starts = range(len(words) - size, -1, -1) if last else range(len(words) - size + 1)
        for i in starts:
            run = normalise(" ".join(words[i : i + size]))
            if len(run) < MIN_RUN:
                continue
            at = haystack.chars.rfind(run) if last else haystack.chars.find(run)
            if at >= 0:
                return Found(*haystack.span(at, at + len(run)), whole=False)
    return None


def find_in_context(
    haystack: Plain, text: str, before: str, after: str, words: int = 6, *, alone: bool = True
) -> Found | None:
    """Where ``text`` is in ``haystack`` where it stands between (the last ``words`` words of)
    ``before`` and (the first of) ``after``: a short text ("best") is found in its own
    sentence, not at its first place (``after`` may start with ``text`` itself). Without its
    context, as :func:`find` finds it (not ``alone``: only when it is :data:`MIN_RUN` letters
    and digits long, or has no context to be found in)."""
    core = normalise(text)
    if core:
        lead, trail = normalise(tail(before, words)), normalise(head(after, words))
        covering = normalise(head(after, words + len(text.split())))
        if covering.startswith(core):  # a comment's "after" starts with its own range
            trail = covering[len(core) :]
        for left, right in ((lead, trail), (lead, ""), ("", trail)):
            if not left and not right:
                continue
            at = haystack.chars.find(left + core + right)
            if at >= 0:
                start = at + len(left)
                return Found(*haystack.span(start, start + len(core)), whole=True)
    if not alone and len(core) < MIN_RUN and normalise(before + after):
        return None  # a short text out of its sentence: any place would be a guess
    return find(haystack, text)


def tail(text: str, words: int = 8) -> str:
    """The last ``words`` words of ``text``."""
    return " ".join(text.split()[-words:])


def head(text: str, words: int = 8) -> str:
    """The first ``words`` words of ``text``."""
    return " ".join(text.split()[:words])
