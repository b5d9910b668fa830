"""Marks of unfinished material, shared by ``kb lint`` and ``data check``.

A document put before a network's members must not print "TODO", "lorem ipsum", a ``<draft>``
tag or a convener called "Dr. Placeholder". Both checks use these patterns, so an editor and a
data steward are told about the same things in the same words.
"""

from __future__ import annotations

import re

UNFINISHED_TEXT = re.compile(
    r"\bTODO\b|\bTBD\b|\bFIXME\b|\bXXX\b|\blorem\s+ipsum\b|\bplaceholders?\b|<\s*draft\s*>",
    re.IGNORECASE,
)
"""Words and tags that mark text as not finished."""

PLACEHOLDER_NAME = re.compile(
    r"\b(?:placeholder|sample|example|exemplo|exemple|beispiel|muster|dummy|test|testing|"
    r"fake|fiction|fictional|fictitious|foo|bar|baz|lorem|ipsum|tbd|tba|"
    r"john\s+doe|jane\s+doe|max\s+mustermann|erika\s+mustermann)\b|\bxxx+\b|\?\?+|"
    r"\bn\.\s?n\.",
    re.IGNORECASE,
)
"""Words that make a person's or an organisation's name read like a placeholder."""


def unfinished_marker(text: str) -> str | None:
    """The first unfinished-text marker in ``text`` (as written), or ``None``."""
    found = UNFINISHED_TEXT.search(text)
    return found.group(0) if found else None


def placeholder_word(name: str) -> str | None:
    """The word that makes ``name`` read like a placeholder (as written), or ``None``."""
    found = PLACEHOLDER_NAME.search(name)
    return found.group(0) if found else None
