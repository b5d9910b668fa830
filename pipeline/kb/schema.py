"""The front-matter schema: turns a parsed YAML mapping into :class:`Meta`, collecting problems.

Every problem names the key and its line, and says what to write instead.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..errors import Problem
from .model import ARTICLE_TYPES, ROADMAP_STEPS, Meta

FIELDS: dict[str, str] = {
    "id": "stable, unique id: lower-case letters, digits and dashes",
    "title": "title as printed in documents",
    "type": "one of " + ", ".join(ARTICLE_TYPES),
    "summary": "one or two sentences",
    "tags": "list of keywords, e.g. [funding, communication]",
    "audience": "list of role ids, e.g. [cluster-coordinator, secretariat]",
    "step": "roadmap step number 1-7, or a list of them, e.g. [1, 5]",
    "updated": "date, e.g. 2026-10-01",
    "review_by": "date, e.g. 2027-10-01",
    "owner": "who keeps the article up to date",
    "lang": "language code, e.g. en",
}
REQUIRED = ("id", "title", "type", "summary")
STEP_REQUIRED = ("roadmap-step", "lesson", "practice")

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


def check_meta(
    data: dict[str, Any],
    lines: dict[str, int],
    where: Callable[[int], str],
    fallback_id: str,
) -> tuple[Meta, list[Problem]]:
    """Validate front matter; return the best Meta that can be built and every problem found.

    ``lines`` maps keys to their 1-based line; ``where(line)`` formats a location.
    """
    problems: list[Problem] = []

    def err(key: str | None, message: str, level: str = "error") -> None:
        line = lines.get(key, lines.get("", 1)) if key else lines.get("", 1)
        problems.append(Problem(where(line), level, message))  # type: ignore[arg-type]

    for key in data:
        if key not in FIELDS:
            close = difflib.get_close_matches(str(key), list(FIELDS), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            err(
                str(key),
                f"unknown key '{key}'{hint} (allowed: {', '.join(FIELDS)})",
            )
    for key in REQUIRED:
        if key not in data or data[key] is None or data[key] == "":
            err(None if key not in lines else key, f"missing '{key}' ({FIELDS[key]})")

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            err(key, f"'{key}' must be text ({FIELDS[key]}), not {_kind(value)}")
            return None
        return str(value).strip()

    def text_list(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            err(key, f"'{key}' must be a list: write {key}: [{value}]")
            return (value,)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            err(key, f"'{key}' must be a list of text ({FIELDS[key]})")
            return tuple(str(v) for v in value) if isinstance(value, list) else ()
        return tuple(value)

    def a_date(key: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        err(key, f"'{key}' must be a date written YYYY-MM-DD, got {value!r}")
        return None

    ident = text("id")
    if ident is not None and not ID_RE.match(ident):
        suggestion = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")
        err(
            "id",
            f"id '{ident}' must use lower-case letters, digits and dashes only "
            f"(for example '{suggestion}')",
        )
    kind = text("type")
    if kind is not None and kind not in ARTICLE_TYPES:
        close = difflib.get_close_matches(kind, ARTICLE_TYPES, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        err("type", f"unknown type '{kind}'{hint} (allowed: {', '.join(ARTICLE_TYPES)})")
        kind = None

    steps = _steps(data.get("step"), lambda m: err("step", m))
    if kind in STEP_REQUIRED and "step" not in data:
        what = (
            "the step number it is" if kind == "roadmap-step" else "the roadmap steps it belongs to"
        )
        err(None, f"a {kind} needs 'step': {what} ({FIELDS['step']})")
    if kind == "roadmap-step" and len(steps) > 1:
        err("step", "a roadmap-step is exactly one step: write a single number, e.g. step: 3")

    lang = text("lang") or "en"
    if not LANG_RE.match(lang):
        err("lang", f"lang '{lang}' is not a language code (for example en, fr, pt-BR)")

    meta = Meta(
        id=ident or fallback_id,
        title=text("title") or fallback_id,
        type=kind or "page",
        summary=text("summary") or "",
        tags=text_list("tags"),
        audience=text_list("audience"),
        step=steps,
        updated=a_date("updated"),
        review_by=a_date("review_by"),
        owner=text("owner"),
        lang=lang,
    )
    return meta, problems


def _steps(value: Any, report: Callable[[str], None]) -> tuple[int, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    out: list[int] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int):
            report(f"step {item!r} is not a number: write a step from 1 to 7, e.g. step: [1, 5]")
        elif item not in ROADMAP_STEPS:
            report(f"step {item} names no roadmap step (the roadmap has steps 1 to 7)")
        else:
            out.append(item)
    return tuple(out)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__
