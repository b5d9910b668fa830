"""The review as a person reads it: a table that wraps between words at any width (rich)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from .mapping import DATA_NOTE
from .model import ReviewItem

KIND_LABEL = {"comment": "comment", "insertion": "inserted", "deletion": "deleted"}
EXCERPT = 160
"""The most characters of a text or anchor the table shows (``--json`` has them whole)."""


MAX_WHERE = 34
"""The widest the where column is made to keep a path whole (a longer one is folded)."""


def _cut(text: str, width: int = EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def where(item: ReviewItem) -> str:
    """The table's second column: what the item is about and where to change it."""
    if item.origin == "article":
        return f"{item.article}\n{item.where}" + ("" if item.exact else "\n(the section)")
    if item.origin == "data":
        record = str(item.record)
        bare = item.record_kind == record or any(c in record for c in ".[")  # a path
        kind = "" if bare else f"{item.record_kind} "
        place = f"\n{item.record_source}" if item.record_source else ""
        return f"from the data\n{kind}{record}{place}"
    if item.origin == "generated":
        return f"generated\n{item.block}"
    if item.origin == "template":
        return "the template"
    return "unmapped"


def what(item: ReviewItem) -> str:
    """The table's last column: the comment or change, what it is anchored to, the note."""
    label = KIND_LABEL[item.kind]
    if item.pair is not None:
        label = f"inserted (replacing #{item.pair})"
    who = ", ".join((" ".join(item.author.split()) or "no author", day(item.date)))
    empty = "(an empty comment)" if item.kind == "comment" else "(no text)"
    lines = [f"{label} by {who}: {_cut(item.text) or empty}"]
    if item.anchor:
        lines.append(f"on: {_cut(item.anchor)}")
    if item.section:
        lines.append(f"section: {item.section}")
    if item.origin == "data":
        lines.append(DATA_NOTE)  # the record and its place are in the where column
    elif item.note:
        lines.append(item.note)
    return "\n".join(lines)


_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def day(date: str) -> str:
    """The day of an ISO date (``2026-11-03``), or ``undated`` (none, or one that cannot be
    read: Word writes 1970-01-01 or nothing for a change it has no date for)."""
    m = _DAY.match(date.strip())
    if m is None or m.group(1) in ("0000", "1970", "1601"):
        return "undated"
    try:
        datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return "undated"
    return m.group()


def table(items: list[ReviewItem]) -> Any:
    """A rich Table of ``items``: number, where, what (who, when, anchored to what)."""
    from rich.table import Table
    from rich.text import Text

    grid = Table(show_lines=True, expand=True)
    grid.add_column("#", justify="right", no_wrap=True)
    places = [where(item) for item in items]
    widest = max((len(line) for place in places for line in place.split("\n")), default=10)
    grid.add_column("article, where", min_width=min(widest, MAX_WHERE), overflow="fold")
    grid.add_column("comment or change, by whom, on what", ratio=1)
    for item, place in zip(items, places, strict=True):  # Text: a reviewer's [x] is no markup
        grid.add_row(Text(str(item.number)), Text(place), Text(what(item)))
    return grid


def summary(items: list[ReviewItem]) -> str:
    """One line: how many items, and where they go."""
    if not items:
        return "no comments or tracked changes"
    counts: dict[str, int] = {}
    for item in items:
        counts[item.origin] = counts.get(item.origin, 0) + 1
    names = {"article": "in articles", "data": "from the data", "generated": "generated text",
             "template": "in the template", "unmapped": "unmapped"}  # fmt: skip
    parts = [f"{counts[k]} {names[k]}" for k in names if k in counts]
    noun = "item" if len(items) == 1 else "items"
    return f"{len(items)} {noun}: " + ", ".join(parts)
