"""Marking text of the redline as inserted or deleted: pandoc ``Span`` s with the class
``insertion`` or ``deletion`` and ``author``/``date`` attributes, which its .docx writer turns
into Word's tracked changes (``w:ins``/``w:del``).

:class:`Tracker` makes each span (and counts them); :func:`mark_blocks` marks all the text of
whole blocks (a block only in one edition), :func:`mark_inlines` a run of inlines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .redline_normalise import NO_ATTR, WRAPPERS, Node

Kind = Literal["insertion", "deletion"]


@dataclass
class Tracker:
    """Who the changes are by and when; counts what it marked."""

    author: str
    date: str
    """ISO 8601 (``2026-10-31T00:00:00Z``)."""
    insertions: int = 0
    """Inserted passages: runs of words, whole paragraphs, cells."""
    deletions: int = 0

    def span(self, kind: Kind, inlines: list[Node]) -> Node:
        """``inlines`` as one tracked change."""
        if kind == "insertion":
            self.insertions += 1
        else:
            self.deletions += 1
        attr = ["", [kind], [["author", self.author], ["date", self.date]]]
        return {"t": "Span", "c": [attr, inlines]}


def mark_blocks(blocks: list[Node], kind: Kind, tracker: Tracker) -> list[Node]:
    """``blocks`` with all their text marked as inserted or deleted."""
    return [b for b in (mark_block(x, kind, tracker) for x in blocks) if b is not None]


def mark_block(block: Node, kind: Kind, tr: Tracker) -> Node | None:
    t: Any = block.get("t")
    c: Any = block.get("c")
    if t in ("Para", "Plain"):
        return {"t": t, "c": mark_inlines(c, kind, tr)}
    if t == "Header":
        return {"t": t, "c": [c[0], c[1], mark_inlines(c[2], kind, tr)]}
    if t == "LineBlock":
        return {"t": t, "c": [mark_inlines(line, kind, tr) for line in c]}
    if t == "CodeBlock":
        lines: list[Node] = []
        for n, line in enumerate(c[1].split("\n")):
            lines += ([{"t": "LineBreak"}] if n else []) + [{"t": "Code", "c": [NO_ATTR, line]}]
        return {"t": "Para", "c": [tr.span(kind, lines)]}
    if t == "BlockQuote":
        return {"t": t, "c": mark_blocks(c, kind, tr)}
    if t == "Div":
        return {"t": t, "c": [c[0], mark_blocks(c[1], kind, tr)]}
    if t == "BulletList":
        return {"t": t, "c": [mark_blocks(item, kind, tr) for item in c]}
    if t == "OrderedList":
        return {"t": t, "c": [c[0], [mark_blocks(item, kind, tr) for item in c[1]]]}
    if t == "DefinitionList":
        return {"t": t, "c": [[mark_inlines(term, kind, tr),
                               [mark_blocks(d, kind, tr) for d in defs]]
                              for term, defs in c]}  # fmt: skip
    if t == "Figure":
        return {"t": t, "c": [c[0], _mark_caption(c[1], kind, tr), mark_blocks(c[2], kind, tr)]}
    if t == "Table":
        attr, caption, colspecs, head, bodies, foot = c
        return {"t": t, "c": [attr, _mark_caption(caption, kind, tr), colspecs,
                              [head[0], _mark_rows(head[1], kind, tr)],
                              [[b[0], b[1], _mark_rows(b[2], kind, tr),
                                _mark_rows(b[3], kind, tr)] for b in bodies],
                              [foot[0], _mark_rows(foot[1], kind, tr)]]}  # fmt: skip
    if t == "HorizontalRule":
        return block if kind == "insertion" else None
    return None  # nothing of it can be tracked


def _mark_caption(caption: list[Any], kind: Kind, tr: Tracker) -> list[Any]:
    return [caption[0], mark_blocks(caption[1], kind, tr)]


def _mark_rows(rows: list[Any], kind: Kind, tr: Tracker) -> list[Any]:
    return [mark_row(row, kind, tr) for row in rows]


def mark_row(row: list[Any], kind: Kind, tr: Tracker) -> list[Any]:
    return [row[0], [_mark_cell(cell, kind, tr) for cell in row[1]]]


def _mark_cell(cell: list[Any], kind: Kind, tr: Tracker) -> list[Any]:
    return [cell[0], cell[1], cell[2], cell[3], mark_blocks(cell[4], kind, tr)]


def mark_inlines(inlines: list[Node], kind: Kind, tr: Tracker) -> list[Node]:
    """``inlines`` as one tracked change (footnotes inside marked too); [] stays []."""
    if not inlines:
        return []
    return [tr.span(kind, [_mark_notes(x, kind, tr) for x in inlines])]


def _mark_notes(node: Node, kind: Kind, tr: Tracker) -> Node:
    t: Any = node.get("t")
    c: Any = node.get("c")
    if t == "Note":
        return {"t": t, "c": mark_blocks(c, kind, tr)}
    if t in WRAPPERS:
        return {"t": t, "c": [_mark_notes(x, kind, tr) for x in c]}
    if t in ("Quoted", "Span"):
        return {"t": t, "c": [c[0], [_mark_notes(x, kind, tr) for x in c[1]]]}
    return node
