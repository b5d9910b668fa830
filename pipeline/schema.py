"""Schemas declared once: pydantic models, and the one adapter from their errors to Problems.

Every input netdocs validates (the network data, a KB article's front matter, ``netdocs.toml``)
is one pydantic declaration: the fields, their types, defaults and descriptions, and the
validators that say in plain words what is wrong. pydantic checks every field in one pass, so
every mistake is found at once; :func:`problems` turns its errors into located
:class:`~pipeline.errors.Problem` values, the caller saying where a field's location points
(a file and line, a sheet and cell, a key of ``netdocs.toml``) and how an error reads.

A validator reports a mistake with :func:`invalid`: its message is shown word for word. It may
name what to use instead of the rejected value (``keep=``), so that a reader that carries on
after reporting (the knowledge base lists an article even when its front matter is wrong) has
the best value there is, and which key a whole-model rule is about (``key=``), for its line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pydantic
from pydantic_core import ErrorDetails, PydanticCustomError

from .errors import Level, Problem

Loc = tuple[str | int, ...]
"""Where a pydantic error is: field names and list positions, outermost first."""

ERROR_TYPE = "netdocs"
"""``type`` of the errors :func:`invalid` makes."""


def invalid(message: str, *, keep: Any = None, key: str | None = None) -> PydanticCustomError:
    """The error a validator raises: ``message`` is shown as it is.

    ``keep`` is the value to carry on with (see :func:`kept`); ``key`` the field a rule over the
    whole model is about (see :func:`location`)."""
    context: dict[str, Any] = {"message": message}
    if keep is not None:
        context["keep"] = keep
    if key is not None:
        context["key"] = key
    return PydanticCustomError(ERROR_TYPE, "{message}", context)


def message(error: ErrorDetails) -> str:
    """The plain message of one error: an :func:`invalid` message as written, a ``ValueError``
    without pydantic's prefix, else pydantic's own."""
    if error["type"] == ERROR_TYPE:
        return str((error.get("ctx") or {})["message"])
    return str(error["msg"]).removeprefix("Value error, ")


def location(error: ErrorDetails) -> Loc:
    """The error's location; for a rule over the whole model, the key it named (else ``()``)."""
    loc = tuple(error["loc"])
    if not loc and error["type"] == ERROR_TYPE:
        key = (error.get("ctx") or {}).get("key")
        return (key,) if key else ()
    return loc


def kept(error: ErrorDetails) -> tuple[bool, Any]:
    """``(True, value)`` when the validator named the value to carry on with, else
    ``(False, None)``."""
    context = error.get("ctx") or {}
    if error["type"] == ERROR_TYPE and "keep" in context:
        return True, context["keep"]
    return False, None


def problems(
    exc: pydantic.ValidationError,
    where: Callable[[Loc], str],
    describe: Callable[[ErrorDetails], str] = message,
    *,
    level: Level = "error",
    skip: Callable[[Loc], bool] | None = None,
) -> list[Problem]:
    """Every error of ``exc`` as a :class:`Problem`, in pydantic's order.

    ``where(loc)`` says where a location is in the input; ``describe(error)`` what is wrong
    (default :func:`message`); errors whose location ``skip`` accepts are left out (a part
    already reported as unreadable)."""
    found: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc = location(error)
        if skip is not None and skip(loc):
            continue
        found.append(Problem(where(loc), level, describe(error)))
    return found


def descriptions(fields: Mapping[str, Any], names: Iterable[str] | None = None) -> dict[str, str]:
    """``{name: description}`` of pydantic fields (a model's ``model_fields``, a pydantic
    dataclass's ``__pydantic_fields__``), in declaration order; only ``names`` when given."""
    wanted = set(names) if names is not None else None
    return {
        name: info.description or ""
        for name, info in fields.items()
        if wanted is None or name in wanted
    }
