"""Raw data -> :class:`NetworkData`, with every problem located and explained, or nothing.

pydantic does the field checks (in one pass over the whole network); :func:`describe` turns
its errors into messages (through :func:`pipeline.schema.problems`, the adapter every schema
uses) a secretariat can act on (``'31/02/2026' is not a date...``), and
:mod:`.checks` adds the cross-record ones, :mod:`.content` the warnings about what records say
(unfinished text, placeholder names, missing roles). Any error aborts the whole load.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pydantic

from .. import schema
from ..errors import Problem, ValidationError
from ..schema import Loc
from .checks import check_references
from .content import check_content
from .countries import COUNTRIES
from .model import NetworkData, Risk
from .places import dotted
from .records import check_records
from .tables import Raw

SCALED = frozenset(name for name, info in Risk.model_fields.items() if info.annotation is int)
"""Fields rated on the risk register's 1-5 scale (``likelihood``, ``impact``)."""
_ID_PATTERN = "^[A-Za-z0-9]"
_PATTERN_MESSAGES = {
    "^[^|]": "cannot be a list item: it contains '|', which separates items",
    "^[^@": "is not an e-mail address (expected name@domain.org)",
    "^https?": "is not a web address (expected it to start with https:// or http://)",
    "^[A-Z]{3}": "is not an ISO 4217 currency code such as EUR",
    _ID_PATTERN: "is not a valid id: use letters, digits, '-', '_', '.' or ':' without spaces",
}


def _field(loc: tuple[str | int, ...]) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else "value"


def date_message(value: Any) -> str:
    """Why ``value`` is not a date, and the ISO form it probably meant."""
    text = str(value).strip()
    if not text:
        return "the cell holds only spaces: clear it or write a date as YYYY-MM-DD"
    match = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            meant = date(year, month, day)
        except ValueError:
            return (
                f"'{text}' is not a date: day {day} does not exist in month {month} of {year}; "
                "write dates as YYYY-MM-DD"
            )
        return f"'{text}' is not a date in the form YYYY-MM-DD; did you mean {meant.isoformat()}?"
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        return f"'{text}' is not a day in the calendar"
    return f"'{text}' is not a date; write dates as YYYY-MM-DD, e.g. 2026-10-06"


def number_message(value: Any) -> str:
    """Why ``value`` is not a number, and the plain form it probably meant."""
    text = str(value).strip()
    if not text:
        return "the cell holds only spaces: clear it or write a number like 1234.50"
    compact = re.sub(r"[\s\u00a0\u202f']", "", text)
    meant = None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+,\d+", compact):
        meant = compact.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", compact):
        meant = compact.replace(",", "")
    elif re.fullmatch(r"-?\d+(\.\d+)?", compact):
        meant = compact
    if meant is not None:
        return (
            f"'{text}' is not a number in the form 1234.50 (no thousands separators, a point "
            f"for decimals); did you mean {meant}?"
        )
    return f"'{text}' is not a number; write it like 1234.50, without currency signs"


def describe(error: Any) -> str:
    """A pydantic error as a message that says what is wrong and how to fix it."""
    kind = error["type"]
    value = error.get("input")
    loc = tuple(error["loc"])
    ctx = error.get("ctx") or {}
    name = _field(loc)
    if kind == "missing":
        return f"'{dotted(loc) if loc and loc[0] in ('network', 'strategy') else name}' is required"
    if kind == "extra_forbidden":
        return f"unknown field '{name}'"
    if kind == "string_too_short":
        return f"'{name}' must not be empty"
    if kind in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
    ):
        return date_message(value)
    if kind in ("int_parsing", "int_from_float", "int_type") and name in SCALED:
        return (
            f"'{_short(str(value))}' is not a rating: write a whole number from 1 (lowest) to 5 "
            "(highest)"
        )
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "int_parsing"):
        return number_message(value)
    if kind == "decimal_max_digits":
        return (
            f"'{_short(str(value))}' has more than {ctx.get('max_digits', 15)} digits; no amount "
            "of the network is this large: correct it"
        )
    if kind == "finite_number":
        return f"'{value}' is not a number; write it like 1234.50"
    if kind in ("greater_than_equal", "less_than_equal") and name in SCALED:
        return (
            f"{name} {_short(str(value))} is off the 1-5 scale: rate it from 1 (lowest) to 5 "
            "(highest)"
        )
    if kind in ("greater_than_equal", "greater_than"):
        return f"{name} must not be negative (got {value})"
    if kind == "literal_error" and name == "country":
        upper = str(value).strip().upper()
        hint = f"write '{upper}'" if upper in COUNTRIES else "ISO 3166 alpha-2, e.g. PT"
        return f"unknown country code '{value}' ({hint})"
    if kind == "literal_error":
        return f"'{value}' is not a valid {name}: expected {ctx.get('expected')}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        for start, message in _PATTERN_MESSAGES.items():
            if pattern.startswith(start):
                return f"'{value}' {message}"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind == "string_too_long":
        return f"'{name}' is longer than {ctx.get('max_length')} characters"
    if kind in ("list_type", "dict_type", "model_type"):
        return f"'{name}' has the wrong shape: {error['msg'].lower()} (got {type(value).__name__})"
    return f"{error['msg']} (got {_short(repr(value))})"


def _short(text: str, limit: int = 80) -> str:
    """``text``, cut to ``limit`` characters: a hostile value must not flood the message."""
    return text if len(text) <= limit else f"{text[: limit - 1]}… ({len(text):,} characters)"


def _natural(problem: Problem) -> tuple[Any, ...]:
    parts = re.split(r"(\d+)", problem.where)
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def build(raw: Raw, source: str) -> tuple[NetworkData, list[Problem]]:
    """Validate ``raw``; return the normalised model and its warnings, or raise every error."""
    problems = list(raw.problems)
    data: NetworkData | None = None
    try:
        data = NetworkData.model_validate(raw.data)
    except pydantic.ValidationError as exc:

        def unread(loc: Loc) -> bool:  # that part could not be read; its problem is reported
            return bool(loc) and loc[0] in ("network", "strategy") and loc[0] in raw.incomplete

        problems += schema.problems(exc, raw.places, describe, skip=unread)
    problems += check_references(raw.data, raw.places, raw.incomplete)
    problems += check_records(raw.data, raw.places, raw.incomplete)
    problems += check_content(raw.data, raw.places)
    problems.sort(key=_natural)
    errors = [p for p in problems if p.level == "error"]
    if errors or data is None:
        raise ValidationError(
            f"{source}: {len(errors)} error(s) in the network data; nothing was loaded",
            problems,
        )
    return data.normalised(), problems
