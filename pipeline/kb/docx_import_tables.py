"""Tables of an imported .docx that Markdown writes as HTML, kept free of the attributes the
knowledge base removes (``kb import``)."""

from __future__ import annotations

from typing import Any

Node = dict[str, Any]

DEFAULT_LIST_STYLE: list[Any] = [{"t": "DefaultStyle"}, {"t": "DefaultDelim"}]
ALIGN_DEFAULT: Node = {"t": "AlignDefault"}


def _simple_cell(cell: list[Any]) -> bool:
    """A table cell Markdown's pipe tables can hold: no merged cells, one paragraph at most."""
    _attr, _align, rows, cols, blocks = cell
    return (
        rows == 1
        and cols == 1
        and len(blocks) <= 1
        and all(b.get("t") in ("Plain", "Para") for b in blocks)
    )


def _table_cells(table: list[Any]) -> list[list[Any]]:
    """Every cell of a pandoc Table's content (head, bodies, foot)."""
    _attr, _caption, _cols, head, bodies, foot = table
    rows = list(head[1]) + list(foot[1])
    for body in bodies:
        rows.extend(body[2])
        rows.extend(body[3])
    return [cell for row in rows for cell in row[1]]


def html_table(table: list[Any]) -> bool:
    """Whether pandoc writes the Table as HTML in Markdown (merged cells, several paragraphs or
    a list in a cell)."""
    return not all(_simple_cell(cell) for cell in _table_cells(table))


def plain_html(node: Any) -> Any:
    """A table written as HTML with no attributes the knowledge base removes (``style`` for an
    alignment, ``type`` on a numbered list): alignments and list styles left to the defaults."""
    if isinstance(node, list):
        return [plain_html(x) for x in node]
    if not isinstance(node, dict) or "c" not in node:
        return node
    kind = node["t"]
    if kind == "OrderedList":
        (start, _style, _delim), items = node["c"]
        return {"t": kind, "c": [[start, *DEFAULT_LIST_STYLE], plain_html(items)]}
    if kind == "Table":
        attr, caption, cols, head, bodies, foot = node["c"]
        cols = [[ALIGN_DEFAULT, width] for _align, width in cols]
        return {"t": kind, "c": plain_html([attr, caption, cols, head, bodies, foot])}
    return {"t": kind, "c": plain_html(node["c"])}


def plain_cells(table: Node) -> Node:
    """Each cell's alignment left to the default (pandoc writes it as ``style=``)."""
    for cell in _table_cells(table["c"]):
        cell[1] = ALIGN_DEFAULT
    return table
