"""Read the network from JSON: a snapshot file, or the body an HTTP API answered with.

Two shapes are accepted: a netdocs snapshot (``{"format": "netdocs-network-snapshot", ...,
"data": {...}}``), whose source, read time and sha256 are kept so a past edition can be rebuilt
exactly, and the bare network (``{"network": ..., "strategy": ..., "organisations": [...]}``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ...errors import DataError, Problem
from ..places import Places, json_path
from ..snapshot import SNAPSHOT_FORMAT
from ..tables import Raw
from .limits import MAX_DEPTH, MAX_DIGITS, deep_nesting_at, long_number_at


@dataclass(frozen=True)
class Envelope:
    """What a snapshot file says about its own data."""

    source: str
    """Where the snapshot's data was originally read from."""
    read_at: datetime
    """When it was read."""
    sha256: str | None
    """The recorded hash (``None`` if removed to accept hand edits)."""


def parse_json(text: str, label: str) -> Any:
    """Parse ``text`` or raise a :class:`DataError` that says where it broke."""
    try:
        return json.loads(text, parse_float=Decimal)  # 37000.50 stays exact, never a float
    except json.JSONDecodeError as exc:
        start = text.lstrip()[:40].replace("\n", " ")
        raise DataError(
            f"{label}: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            f"it starts with {start!r}"
        ) from exc
    except RecursionError as exc:
        line, col = deep_nesting_at(text) or (1, 1)
        raise DataError(
            f"{label}:{line}:{col}: arrays or objects nested more than {MAX_DEPTH} levels deep; "
            "the network is never nested like this: is this the right file?"
        ) from exc
    except ValueError as exc:  # an integer too long for Python to convert
        line, col = long_number_at(text) or (1, 1)
        raise DataError(
            f"{label}:{line}:{col}: a number of more than {MAX_DIGITS} digits; "
            "no value of the network is this long: correct or remove it"
        ) from exc


def read_document(doc: Any, label: str) -> tuple[Raw, Envelope | None]:
    """The raw network in a parsed JSON document, and its snapshot envelope if it has one."""
    if not isinstance(doc, dict):
        raise DataError(
            f"{label}: expected a JSON object with the network, got {type(doc).__name__}"
        )
    prefix = ""
    envelope = None
    problems: list[Problem] = []
    data: Any = doc
    if doc.get("format") == SNAPSHOT_FORMAT:
        prefix = "data"
        data = doc.get("data")
        envelope = _envelope(doc, label, problems)
        if not isinstance(data, dict):
            raise DataError(f"{label}: snapshot without a 'data' object")

    root = f"{label} $" if label else "$"

    def locate(loc: tuple[str | int, ...]) -> str:
        return json_path(((prefix,) if prefix else ()) + tuple(loc), root)

    return Raw(data, Places(locate), problems), envelope


def _envelope(doc: dict[str, Any], label: str, problems: list[Problem]) -> Envelope:
    raw_time = str(doc.get("read_at", ""))
    try:
        read_at = datetime.fromisoformat(raw_time.replace("Z", "+00:00"))
    except ValueError:
        problems.append(
            Problem(f"{label} $.read_at", "error", f"'{raw_time}' is not an ISO date and time")
        )
        read_at = datetime.fromtimestamp(0)
    version = doc.get("version")
    if version != 1:
        problems.append(
            Problem(f"{label} $.version", "error", f"unknown snapshot version {version!r}")
        )
    sha = doc.get("sha256")
    return Envelope(str(doc.get("source", label)), read_at, str(sha) if sha else None)
