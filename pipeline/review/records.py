"""Which data record a generated paragraph or table row came from.

The edition's ``data-snapshot.json`` is read with :func:`pipeline.network.load_network`, and
its model walked generically: every object with an ``id`` and text fields is a record (an
organisation, a cluster, an activity, a risk...). A text is matched to the record whose text
fields it holds most of (counted in letters and digits, whole words only), so a member table
row names its organisation and an activity row its activity. A text field of an object without
an id (the strategy's vision, its mission) is a record of its own, named by its field
(``strategy.vision``).

Where to change a record is said when the snapshot's source can be read here (a folder of
CSV/YAML, a workbook, a snapshot; not a database or URL): that source is read again and the
record's place in it named (``kb/network/strategy.yaml:2 vision``,
``kb/network/organisations.csv:4``), as ``netdocs data check`` names a problem's place.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..network.places import dotted
from .locate import normalise

log = logging.getLogger(__name__)
Loc = tuple[str | int, ...]

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
    loc: Loc = ()
    """Its path in the network data (``("organisations", 2)``; the object's, for a field)."""
    field: str = ""
    """The field, for a text field of an object without an id (``vision``)."""
    keyed: bool = True
    """It has an id of its own (else ``id`` is its path in the data: ``budget_lines[3]``,
    ``strategy.vision``)."""
    place: str = ""
    """Where to change it in the data's source (``kb/network/strategy.yaml:2 vision``), or ''
    when the source cannot be read here."""

    @property
    def named(self) -> str:
        """How a report names it: ``strategy.vision``, ``organisations org-004``."""
        return f"{self.kind} {self.id}" if self.keyed and self.kind != self.id else self.id


def read_records(edition: Path, roots: Sequence[Path] = ()) -> list[Record]:
    """Every record of ``edition``'s data snapshot (none when the edition has none), each with
    its place in the data's source when that source (relative to the first of the project
    ``roots`` that has it) can be read here."""
    from ..network import load_network

    snapshot = edition / "data-snapshot.json"
    if not snapshot.is_file():
        return []
    snap = load_network(str(snapshot))
    found = [r for r in _walk(snap.network.model_dump(mode="json"), "", ()) if r.values]
    located = _locator(snap.source, roots)
    if located is None:
        return found
    data, resolve, shown = located
    return [replace(r, place=_place(r, data, resolve, shown)) for r in found]


def _walk(value: Any, kind: str, loc: Loc) -> Iterator[Record]:
    if isinstance(value, dict):
        rid = value.get("id")
        texts = {k: _words(v) for k, v in value.items()
                 if isinstance(v, str) and k not in _SKIPPED}  # fmt: skip
        if isinstance(rid, str) and rid:
            name = value.get("name") or value.get("title") or ""
            values = tuple(t for t in texts.values() if t)
            yield Record(kind, rid, values, str(name), loc)
        elif loc and isinstance(loc[-1], int):  # a row without an id: named by its place
            values = tuple(t for t in texts.values() if t)
            yield Record(kind, dotted(loc), values, "", loc, keyed=False)
        elif loc:  # an object of its own without an id (the strategy): a record per field
            for key, words in texts.items():
                if words:
                    yield Record(kind, dotted((*loc, key)), (words,), "", loc, key, False)
        for key, item in value.items():
            if isinstance(item, list | dict):
                yield from _walk(item, key, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, kind, (*loc, index))


def _locator(source: str, roots: Sequence[Path]) -> tuple[Any, Any, str] | None:
    """The data read again from ``source``, its places, and how to show the source; None
    when it is not a local file or folder here, or cannot be read."""
    from ..errors import NetdocsError
    from ..network.sources import source_for

    try:
        kind = source_for(source)
    except NetdocsError:
        return None
    if kind.url:
        return None
    path = Path(source)
    if not path.is_absolute():
        path = next((r / path for r in roots if (r / path).exists()), path)
    if not path.exists():
        return None
    try:
        raw, _envelope = kind.read(str(path), 10.0)
    except (NetdocsError, OSError, ValueError) as exc:
        log.debug("the data source %s cannot be read again: %s", path, exc)
        return None
    shown = source.rstrip("/") + ("/" if kind.name == "folder" else ": ")
    return raw.data, raw.places, shown


def _place(record: Record, data: Any, resolve: Any, shown: str) -> str:
    """Where ``record`` is in the source read again (its object must be there, with its id)."""
    value = data
    for part in record.loc:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return ""
    if not isinstance(value, dict):
        return ""
    if record.field:
        if record.field not in value:
            return ""
        return shown + str(resolve((*record.loc, record.field)))
    if record.keyed and value.get("id") != record.id:
        return ""  # the source changed since, or is ordered otherwise: not this one
    if not record.keyed and not set(record.values) & {_words(v) for v in value.values()
                                                       if isinstance(v, str)}:  # fmt: skip
        return ""
    return shown + str(resolve(record.loc))


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


MIN_PARAGRAPH_FIELD = 12
"""In a paragraph (not a table row), the fewest letters and digits of a field that places it:
a name or a sentence, not a kind (``regional``) that many paragraphs say."""
LEAD = 1000
"""What a field equal to a row's first cell counts: the row is that record's (a cluster's
row names its coordinator's organisation too)."""


COMMON = 3
"""A value this many records hold (a region, a kind, a status) is a category, not a record's
own: it places no text (a "members per region" row "Africa | 15" is no one organisation's)."""


def _common(records: list[Record]) -> set[str]:
    counts = Counter(v for r in records for v in set(r.values) - _identity(r))
    return {v for v, n in counts.items() if n >= COMMON}


def _identity(record: Record) -> set[str]:
    """The values that name ``record`` itself: its id and its name or title."""
    return {_words(record.id), _words(record.name)} - {""} if record.keyed else set()


def match_record(text: str, records: list[Record]) -> Record | None:
    """The record ``text`` (a paragraph, or a table row with its cells joined by `` | ``)
    holds most of, or None when it holds none of any. Values many records share (categories)
    do not count; a row whose first cell is a record's id or name is that record's."""
    words = f" {_words(text)} "
    row = " | " in text
    lead = _words(text.split(" | ")[0]) if row else ""
    shortest = MIN_FIELD if row else MIN_PARAGRAPH_FIELD
    common = _common(records)
    best: tuple[int, int] = (0, 0)
    found: Record | None = None
    for rank, record in enumerate(records):
        score = 0
        own = _identity(record)
        for value in record.values:
            if value in common and value not in own:
                continue
            if len(normalise(value)) >= shortest and f" {value} " in words:
                score += LEAD if value == lead and value in own else len(value)
        if score and (score, -rank) > best:
            best, found = (score, -rank), record
    return found


def holds(record: Record, text: str, *, row: bool = False) -> bool:
    """Are the words of ``text`` (what an item changes or is on) inside one of ``record``'s
    values (``row``: or, in a table row, do they cover a value whole)? Words a generated
    sentence wraps around a record's value ("This action plan covers...") are not the
    record's."""
    words = _words(text)
    if not words:
        return False
    padded = f" {words} "
    for value in record.values:
        if f" {words} " in f" {value} ":
            return True
        if row and len(normalise(value)) >= MIN_FIELD and f" {value} " in padded:
            return True
    return False
