"""Marks of unfinished material, shared by ``kb lint`` and ``data check``.

A document put before a network's members must not print "TODO", "lorem ipsum", a ``<draft>``
tag or a convener called "Dr. Placeholder". Both checks use these patterns, so an editor and a
data steward are told about the same things in the same words.
"""

from __future__ import annotations

import re

UNFINISHED_TEXT = re.compile(
    r"\bTODO\b|\bTBD\b|\bTBC\b|\bFIXME\b|\bXXX\b|\blorem\s+ipsum\b|\bplaceholders?\b|"
    r"<\s*draft\s*>",
    re.IGNORECASE,
)
"""Words and tags that mark text as not finished."""
_UNFINISHED_HINTS = ("todo", "tbd", "tbc", "fixme", "xxx", "lorem", "placeholder", "draft")
"""Lower-case pieces one of which every match of :data:`UNFINISHED_TEXT` contains: text
without any of them is passed without running the expression (most text, and fast)."""

PLACEHOLDER_NAME = re.compile(
    r"\b(?:placeholder|sample|example|exemplo|exemple|beispiel|muster|dummy|test|demo|fake|"
    r"fiction|fictional|fictitious|fictif|fictive|fict[ií]ci[oa]|imaginary|made[\s-]?up|"
    r"lorem|ipsum|tbd|tba|tbc|john\s+doe|jane\s+doe|max\s+mustermann|erika\s+mustermann|"
    r"(?:first|last|sur)\s?name)\b|\bxxx+\b|\?\?+|\bn\.\s?n\.",
    re.IGNORECASE,
)
"""Words that make a person's or an organisation's name read like a placeholder. ("Bar",
"Foo" and "Testing" are real names: "Bar-Ilan University", "National Testing Agency".)"""
_NAME_HINTS = (
    "placeholder", "sample", "exempl", "beispiel", "muster", "dummy", "test", "demo", "fake",
    "ficti", "fictif", "imaginary", "made", "lorem", "ipsum", "tb", "doe", "mustermann",
    "name", "xxx", "??", "n.",
)  # fmt: skip
"""Lower-case pieces one of which every match of :data:`PLACEHOLDER_NAME` contains."""


def unfinished_marker(text: str) -> str | None:
    """The first unfinished-text marker in ``text`` (as written), or ``None``."""
    low = text.lower()
    if not any(hint in low for hint in _UNFINISHED_HINTS):
        return None
    found = UNFINISHED_TEXT.search(text)
    return found.group(0) if found else None


def placeholder_word(name: str) -> str | None:
    """The word that makes ``name`` read like a placeholder (as written), or ``None``."""
    low = name.lower()
    if not any(hint in low for hint in _NAME_HINTS):
        return None
    found = PLACEHOLDER_NAME.search(name)
    return found.group(0) if found else None
