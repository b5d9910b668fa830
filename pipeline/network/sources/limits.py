"""Locate the parts of a text document that go beyond what a parser accepts.

Python refuses integers of more than ``sys.get_int_max_str_digits()`` digits (a defence
against quadratic conversion) and parsers give up on deeply nested arrays with a
``RecursionError``. Neither error says where the offending value is; these functions find it
in the text, so the message can name the line and column.
"""

from __future__ import annotations

import re
import sys

MAX_DIGITS = sys.get_int_max_str_digits() or 4300
"""Longest integer Python converts from text (0 means unlimited; then the default is used)."""

MAX_DEPTH = 100
"""Nesting reported as too deep: the network's documents are never more than 6 levels deep."""

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def line_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def long_number_at(text: str) -> tuple[int, int] | None:
    """Line and column of the first number longer than Python converts, if any."""
    match = re.search(rf"\d{{{MAX_DIGITS + 1},}}", text)
    return None if match is None else line_column(text, match.start())


def deep_nesting_at(text: str, limit: int = MAX_DEPTH) -> tuple[int, int] | None:
    """Line and column where brackets (outside strings) first nest deeper than ``limit``."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return line_column(text, match.start())
        elif token in "]}":
            depth -= 1
    return None
