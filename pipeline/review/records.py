"""Which data record a generated paragraph or table row came from.

The edition's ``data-snapshot.json`` is read with :func:`pipeline.network.load_network`, and
its model walked generically: every object with an ``id`` and text fields is a record (an
organisation, a cluster, an activity, a risk...). A text is matched to the record whose text
fields it holds most of (counted in letters and digits, whole words only), so a member table
row names its organisation and an activity row its activity.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .locate import normalise

MIN_FIELD = 4
"""The fewest letters and digits a field must have to count (``EU``, ``no`` do not)."""
_SKIPPED = {"email", "phone", "url", "website", "notes", "source"}


@dataclass(frozen=True)
class Record:
    """One record of the network data."""

    kind: str
    """Its collection in the data (``organisations``, ``activities``...)."""
    id: str
    values: tuple[str, ...]
    """Its text fields' values, each as words joined by single spaces, case folded."""
    name: str = ""
    """Its name or title, when it has one."""


def read_records(edition: Path) -> list[Record]:
    """Every record of ``edition``'s data snapshot (none when the edition has none)."""
    from ..network import load_network

    snapshot = edition / "data-snapshot.json"
    if not snapshot.is_file():
        return []
    snap = load_network(str(snapshot))
    return [r for r in _walk(snap.network.model_dump(mode="json"), "") if r.values]


def _walk(value: Any, kind: str) -> Iterator[Record]:
    if isinstance(value, dict):
        rid = value.get("id")
        if not isinstance(rid, str) or not rid:
            rid = kind  # an object of its own without an id (the strategy): named by its key
        if rid:
            texts = tuple(
                _words(v) for k, v in value.items() if isinstance(v, str) and k not in _SKIPPED
            )
            name = value.get("name") or value.get("title") or ""
            yield Record(kind, rid, tuple(t for t in texts if t), str(name))
        for key, item in value.items():
            yield from _walk(item, key if isinstance(item, list | dict) else kind)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, kind)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


MIN_PARAGRAPH_FIELD = 12
"""In a paragraph (not a table row), the fewest letters and digits of a field that places it:
a name or a sentence, not a kind (``regional``) that many paragraphs say."""
LEAD = 1000
"""What a field equal to a row's first cell counts: the row is that record's (a cluster's
row names its coordinator's organisation too)."""


def match_record(text: str, records: list[Record]) -> Record | None:
    """The record ``text`` (a paragraph, or a table row with its cells joined by `` | ``)
    holds most of, or None when it holds none of any."""
    words = f" {_words(text)} "
    row = " | " in text
    lead = _words(text.split(" | ")[0]) if row else ""
    shortest = MIN_FIELD if row else MIN_PARAGRAPH_FIELD
    best: tuple[int, int] = (0, 0)
    found: Record | None = None
    for rank, record in enumerate(records):
        score = 0
        for value in record.values:
            if len(normalise(value)) >= shortest and f" {value} " in words:
                score += LEAD if value == lead else len(value)
        if score and (score, -rank) > best:
            best, found = (score, -rank), record
    return found
