"""The pandoc AST as the redline compares it: both editions' blocks normalised the same way,
and what "the same" and "similar" mean.

:func:`normalise`: line breaks in the source are spaces, links keep their text, pictures show
as ``[picture: alt]``, ids are dropped and raw HTML or XML is left out; the redline is about
the text. :func:`key` is a node's canonical JSON (equal keys, equal content), :func:`words`
its words and :func:`similarity` the share of words two nodes have in common.
"""

from __future__ import annotations

import json
from difflib import SequenceMatcher
from typing import Any

Node = dict[str, Any]

WRAPPERS = frozenset(
    {"Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"}
)
"""The inlines that only format the inlines inside them."""
NO_ATTR = ["", [], []]
"""An empty pandoc ``Attr``."""


def normalise(blocks: list[Node]) -> list[Node]:
    """``blocks`` as the redline compares and shows them (a new list)."""
    return [b for b in (_norm_block(x) for x in blocks) if b is not None]


def _norm_block(block: Node) -> Node | None:
    t: Any = block.get("t")
    c: Any = block.get("c")
    if t == "RawBlock":
        return None
    if t in ("Para", "Plain"):
        return {"t": t, "c": _norm_inlines(c)}
    if t == "Header":
        return {"t": t, "c": [c[0], NO_ATTR, _norm_inlines(c[2])]}
    if t == "LineBlock":
        return {"t": t, "c": [_norm_inlines(line) for line in c]}
    if t == "CodeBlock":
        return {"t": t, "c": [NO_ATTR, c[1]]}
    if t == "BlockQuote":
        return {"t": t, "c": normalise(c)}
    if t == "Div":
        return {"t": t, "c": [_clear_id(c[0]), normalise(c[1])]}
    if t == "BulletList":
        return {"t": t, "c": [normalise(item) for item in c]}
    if t == "OrderedList":
        return {"t": t, "c": [c[0], [normalise(item) for item in c[1]]]}
    if t == "DefinitionList":
        return {"t": t, "c": [[_norm_inlines(term), [normalise(d) for d in defs]]
                              for term, defs in c]}  # fmt: skip
    if t == "Figure":
        return {"t": t, "c": [NO_ATTR, _norm_caption(c[1]), normalise(c[2])]}
    if t == "Table":
        attr, caption, colspecs, head, bodies, foot = c
        return {"t": t, "c": [NO_ATTR, _norm_caption(caption), colspecs,
                              [head[0], _norm_rows(head[1])],
                              [[b[0], b[1], _norm_rows(b[2]), _norm_rows(b[3])] for b in bodies],
                              [foot[0], _norm_rows(foot[1])]]}  # fmt: skip
    return block


def _norm_caption(caption: list[Any]) -> list[Any]:
    return [caption[0], normalise(caption[1])]


def _norm_rows(rows: list[Any]) -> list[Any]:
    return [[row[0], [[cell[0], cell[1], cell[2], cell[3], normalise(cell[4])]
                      for cell in row[1]]] for row in rows]  # fmt: skip


def _clear_id(attr: list[Any]) -> list[Any]:
    return ["", attr[1], attr[2]]


def _norm_inlines(inlines: list[Node]) -> list[Node]:
    out: list[Node] = []
    for node in inlines:
        t: Any = node.get("t")
        c: Any = node.get("c")
        if t == "SoftBreak":
            out.append({"t": "Space"})
        elif t == "RawInline":
            continue
        elif t in WRAPPERS:
            out.append({"t": t, "c": _norm_inlines(c)})
        elif t == "Quoted":
            out.append({"t": t, "c": [c[0], _norm_inlines(c[1])]})
        elif t == "Span":
            out.append({"t": t, "c": [_clear_id(c[0]), _norm_inlines(c[1])]})
        elif t == "Link":
            out.append({"t": "Span", "c": [NO_ATTR, _norm_inlines(c[1])]})
        elif t == "Image":
            alt = _norm_inlines(c[1]) or [{"t": "Str", "c": c[2][0]}]
            label = [{"t": "Str", "c": "[picture:"}, {"t": "Space"}, *alt, {"t": "Str", "c": "]"}]
            out.append({"t": "Emph", "c": label})
        elif t == "Note":
            out.append({"t": t, "c": normalise(c)})
        else:
            out.append(node)
    return out


# -- plain text and similarity -------------------------------------------------------------------


def words(node: Any) -> list[str]:
    """The words of any AST node, in order."""
    found: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, dict):
            t = n.get("t")
            if t == "Str":
                found.append(n["c"])
            elif t in ("Code", "Math"):
                found.extend(str(n["c"][1]).split())
            elif t == "CodeBlock":
                found.extend(n["c"][1].split())
            elif "c" in n:
                walk(n["c"])
        elif isinstance(n, list):
            for x in n:
                walk(x)

    walk(node)
    return found


def similarity(a: Any, b: Any) -> float:
    """Share of words ``a`` and ``b`` have in common, in order (0..1)."""
    wa, wb = words(a), words(b)
    if not wa and not wb:
        return 1.0
    return SequenceMatcher(None, wa, wb, autojunk=False).ratio()


def key(node: Any) -> str:
    """Canonical JSON of a node: equal keys, equal content."""
    return json.dumps(node, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
