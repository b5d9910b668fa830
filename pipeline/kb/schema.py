"""The front-matter schema: :class:`Meta`, the one declaration of an article's keys.

Each key is a pydantic field with its type, default and description (:data:`FIELDS`, the help
text messages quote, is made from the descriptions); the validators say in plain words what is
wrong and what to write instead. :func:`check_meta` validates a parsed YAML mapping in one pass
and reports every problem at once, each at the line of its key, through
:func:`pipeline.schema.problems`. It never fails: the article is still listed, under the best
metadata there is (a rejected value is left out, or replaced by the value its validator named,
and the id and title fall back to ones made from the file's path).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

import pydantic
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo
from pydantic import model_validator as _model_validator
from pydantic_core import ErrorDetails

from .. import schema
from ..errors import Problem
from .model import ARTICLE_TYPES, ROADMAP_STEPS

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")
STEP_REQUIRED = ("roadmap-step", "lesson", "practice")
"""Types of article that must name their roadmap step(s)."""

Check = Callable[[Any, str], Any]


def _key(info: ValidationInfo) -> str:
    return info.field_name or "value"


def _trusting(check: Check) -> Callable[[Any, ValidationInfo], Any]:
    """A field validator that, when :func:`check_meta` carries on after a problem, takes the
    value the first pass chose for the field instead of checking it again."""

    def validate(value: Any, info: ValidationInfo) -> Any:
        trusted = (info.context or {}).get("trusted", {})
        key = _key(info)
        return trusted[key] if key in trusted else check(value, key)

    return validate


def _text(value: Any, key: str) -> str | None:
    """The text of an optional text key (numbers are read as text), stripped."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise schema.invalid(f"'{key}' must be text ({FIELDS[key]}), not {_kind(value)}")
    return str(value).strip()


def _required(value: Any, key: str) -> str:
    text = None if value is None or value == "" else _text(value, key)
    if not text:
        raise schema.invalid(f"missing '{key}' ({FIELDS[key]})")
    return text


def _id(value: Any, key: str) -> str:
    ident = _required(value, key)
    if not ID_RE.match(ident):
        suggestion = re.sub(r"[^a-z0-9]+", "-", ident.lower()).strip("-")
        raise schema.invalid(
            f"id '{ident}' must use lower-case letters, digits and dashes only "
            f"(for example '{suggestion}')",
            keep=ident,
        )
    return ident


def _type(value: Any, key: str) -> str:
    kind = _required(value, key)
    if kind not in ARTICLE_TYPES:
        close = difflib.get_close_matches(kind, ARTICLE_TYPES, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise schema.invalid(f"unknown type '{kind}'{hint} (allowed: {', '.join(ARTICLE_TYPES)})")
    return kind


def _text_list(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        raise schema.invalid(f"'{key}' must be a list: write {key}: [{value}]", keep=(value,))
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        keep = tuple(str(v) for v in value) if isinstance(value, list) else ()
        raise schema.invalid(f"'{key}' must be a list of text ({FIELDS[key]})", keep=keep)
    return tuple(value)


def _steps(value: Any, key: str) -> list[Any]:
    """One step or a list of them, as a list (each item is checked by :func:`_step`)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _step(item: Any) -> int:
    if isinstance(item, bool) or not isinstance(item, int):
        raise schema.invalid(
            f"step {item!r} is not a number: write a step from 1 to 7, e.g. step: [1, 5]"
        )
    if item not in ROADMAP_STEPS:
        raise schema.invalid(f"step {item} names no roadmap step (the roadmap has steps 1 to 7)")
    return item


def _order(value: Any, key: str) -> int | None:
    """A position: a whole number from 1 (``"3"`` written as text is not one)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise schema.invalid(
            f"'{key}' must be a whole number from 1, its position among the articles of its "
            f"type (e.g. {key}: 3), not {value!r}"
        )
    return value


def _day(value: Any, key: str) -> date | None:
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
    raise schema.invalid(f"'{key}' must be a date written YYYY-MM-DD, got {value!r}")


def _lang(value: Any, key: str) -> str:
    """A language code; when it is not text at all, the default ``en`` is kept."""
    if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int, float))):
        raise schema.invalid(f"'{key}' must be text ({FIELDS[key]}), not {_kind(value)}", keep="en")
    lang = _text(value, key) or "en"
    if not LANG_RE.match(lang):
        raise schema.invalid(
            f"lang '{lang}' is not a language code (for example en, fr, pt-BR)", keep=lang
        )
    return lang


def _valid(check: Check) -> BeforeValidator:
    return BeforeValidator(_trusting(check))


Id = Annotated[str, _valid(_id)]
RequiredText = Annotated[str, _valid(_required)]
Kind = Annotated[str, _valid(_type)]
TextList = Annotated[tuple[str, ...], _valid(_text_list)]
Steps = Annotated[tuple[Annotated[int, BeforeValidator(_step)], ...], _valid(_steps)]
Order = Annotated[int | None, _valid(_order)]
Day = Annotated[date | None, _valid(_day)]
OptionalText = Annotated[str | None, _valid(_text)]
Lang = Annotated[str, _valid(_lang)]


class Meta(BaseModel):
    """Typed front matter of one article: every key it may have, and what each must be."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Id = Field(description="stable, unique id: lower-case letters, digits and dashes")
    title: RequiredText = Field(description="title as printed in documents")
    type: Kind = Field(description="one of " + ", ".join(ARTICLE_TYPES))
    summary: RequiredText = Field(description="one or two sentences")
    tags: TextList = Field((), description="list of keywords, e.g. [funding, communication]")
    audience: TextList = Field(
        (), description="list of role ids, e.g. [cluster-coordinator, secretariat]"
    )
    step: Steps = Field((), description="roadmap step number 1-7, or a list of them, e.g. [1, 5]")
    order: Order = Field(
        None,
        description="position among the articles of its type where documents list them, "
        "1 first, e.g. 3",
    )
    updated: Day = Field(None, description="date, e.g. 2026-10-01")
    review_by: Day = Field(None, description="date, e.g. 2027-10-01")
    owner: OptionalText = Field(None, description="who keeps the article up to date")
    lang: Lang = Field("en", description="language code, e.g. en")

    @_model_validator(mode="after")
    def _steps_fit_the_type(self, info: ValidationInfo) -> Meta:
        if not (info.context or {}).get("salvage"):
            rule = self.step_rule()
            if rule is not None:
                raise schema.invalid(rule[1], key=rule[0])
        return self

    def step_rule(self) -> tuple[str, str] | None:
        """``(key, message)`` when the steps do not fit the type (a lesson without a step, a
        roadmap step that is two), else None; the key is ``""`` when it is missing."""
        if self.type in STEP_REQUIRED and "step" not in self.model_fields_set:
            what = (
                "the step number it is"
                if self.type == "roadmap-step"
                else "the roadmap steps it belongs to"
            )
            return "", f"a {self.type} needs 'step': {what} ({FIELDS['step']})"
        if self.type == "roadmap-step" and len(self.step) > 1:
            return "step", "a roadmap-step is exactly one step: write a single number, e.g. step: 3"
        return None


FIELDS: dict[str, str] = schema.descriptions(Meta.model_fields)
"""Each front-matter key and what it holds (from :class:`Meta`), for messages and help."""
REQUIRED: tuple[str, ...] = tuple(n for n, f in Meta.model_fields.items() if f.is_required())


def check_meta(
    data: dict[str, Any],
    lines: dict[str, int],
    where: Callable[[int], str],
    fallback_id: str,
) -> tuple[Meta, list[Problem]]:
    """Validate front matter; return the best Meta that can be built and every problem found.

    ``lines`` maps keys to their 1-based line; ``where(line)`` formats a location.
    """

    def place(loc: schema.Loc) -> str:
        key = str(loc[0]) if loc else ""
        return where(lines.get(key, lines.get("", 1)))

    try:
        return Meta.model_validate(data), []
    except pydantic.ValidationError as exc:
        problems = schema.problems(exc, place, _describe)
        errors = exc.errors(include_url=False)
    meta = _salvage(data, errors, fallback_id)
    if not any(not e["loc"] for e in errors):  # the rule could not run on the data: run it now
        rule = meta.step_rule()
        if rule is not None:
            problems.append(Problem(place((rule[0],) if rule[0] else ()), "error", rule[1]))
    return meta, problems


def _describe(error: ErrorDetails) -> str:
    """The message of one front-matter error."""
    kind = error["type"]
    key = str(error["loc"][0]) if error["loc"] else ""
    if kind in ("extra_forbidden", "invalid_key"):
        close = difflib.get_close_matches(key, list(FIELDS), n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown key '{key}'{hint} (allowed: {', '.join(FIELDS)})"
    if kind == "missing":
        return f"missing '{key}' ({FIELDS[key]})"
    if kind == schema.ERROR_TYPE:
        return schema.message(error)
    return f"'{key}': {schema.message(error)} ({FIELDS.get(key, 'see kb/README.md')})"


def _salvage(data: dict[str, Any], errors: list[ErrorDetails], fallback_id: str) -> Meta:
    """The metadata an article with problems is listed under: each rejected value left out
    (a rejected step dropped from the list) or replaced by the value its validator named."""
    values = {k: v for k, v in data.items() if isinstance(k, str) and k in FIELDS}
    trusted: dict[str, Any] = {}
    dropped: dict[str, set[int]] = {}
    for error in errors:
        loc = error["loc"]
        if not loc or not isinstance(loc[0], str) or loc[0] not in FIELDS:
            continue
        key = loc[0]
        has, value = schema.kept(error)
        if has:
            trusted[key] = value
        elif len(loc) > 1 and isinstance(loc[1], int):
            dropped.setdefault(key, set()).add(loc[1])
        else:
            values.pop(key, None)
    for key, positions in dropped.items():
        items = values[key] if isinstance(values.get(key), list) else [values.get(key)]
        values[key] = [v for i, v in enumerate(items) if i not in positions]
    fallbacks = {"id": fallback_id, "title": fallback_id, "type": "page", "summary": ""}
    for key, value in fallbacks.items():
        if key not in values and key not in trusted:
            trusted[key] = value
            values[key] = value
    try:
        return Meta.model_validate(values, context={"trusted": trusted, "salvage": True})
    except pydantic.ValidationError:  # pragma: no cover - every rejected value was left out
        return Meta.model_construct(**fallbacks)  # type: ignore[arg-type]


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__
