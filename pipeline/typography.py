"""Typography shared by every writer: ranges of years take an en dash.

:func:`ranged` is applied to the documents' own text (titles, covers, periods) and, through
the render model, to every text node of the Markdown (KB articles and generated blocks), so a
range reads "2025–2029" in every format whatever its author or the data typed.
"""

from __future__ import annotations

import re

_PROTECTED = (
    r"(?P<code>(?P<ticks>`+).*?(?<!`)(?P=ticks)(?!`))"  # a code span
    r"|<[^<>\s]+>|\]\([^()\s]*\)|\b(?:https?|ftp)://\S+"  # an autolink, link target, URL
    r"|(?<![\w-])--?[A-Za-z][\w-]*[ =]\S+"  # an option and what the user types (--period 2025-26)
)
_YEARS = r"(?<![\w\\./:-])(?P<first>[12]\d{3})\\?-(?P<last>\d{4}|\d{2})(?!\w|\\?-|\\?[./:]\w)"
_RANGED = re.compile(f"{_PROTECTED}|{_YEARS}", re.DOTALL)
MAX_YEARS = 20
"""The longest span :func:`ranged` takes for a range of years (a longer one is not a range:
``2026-10`` is a month, not 2026–2110)."""


def _range(match: re.Match[str]) -> str:
    first, last = match["first"], match["last"]
    if first is None:
        return match[0]
    begin = int(first)
    end = int(last) if len(last) == 4 else begin - begin % 100 + int(last)
    if len(last) == 2 and end <= begin:
        end += 100
    if not 0 < end - begin <= MAX_YEARS:
        return match[0]
    return f"{first}\u2013{last}"


def ranged(text: str) -> str:
    """``text`` with its ranges of years joined by an en dash: "2025-2029" → "2025–2029",
    "2025-26" → "2025–26" (an escaped ``2025\\-26`` of :func:`md` too). Left as they are: ISO
    days (2026-10-31) and months (2026-10), years inside ids (``act-2025-1``, ``v2025-26a``),
    code spans, URLs and link targets, what follows a command-line option
    (``--period 2025-26``, which the user types), and spans longer than :data:`MAX_YEARS`.
    Plain text or Markdown."""
    return _RANGED.sub(_range, text)


def ranged_word(word: str) -> str:
    """:func:`ranged` for one word of plain text (a pandoc ``Str``: no code, link or URL in
    it, those are nodes of their own), fast when it holds no hyphen."""
    if "-" not in word or not any(c.isdigit() for c in word):
        return word
    return _RANGED.sub(_range, word)
