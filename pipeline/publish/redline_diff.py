"""The difference of two pandoc ASTs as one AST with tracked changes (for the redline).

pandoc's .docx writer turns a ``Span`` with the class ``insertion`` or ``deletion`` and
``author``/``date`` attributes into Word's tracked changes (``w:ins``/``w:del``). So the
redline is made on pandoc's JSON, not on text:

- blocks are aligned (:func:`align`, difflib on each block's canonical JSON); blocks in the
  middle of a replaced stretch are paired when they are the same kind and similar enough
  (same heading level, same number of table columns, enough words in common), the rest are
  deleted or inserted whole (every inline of theirs wrapped in one tracking ``Span``);
- inside a paired paragraph, plain text or heading the inlines are diffed word by word, with
  their formatting (``*emphasis*``, ``**strong**``, a link's text) kept on either side;
- lists are diffed item by item, tables row by row and cell by cell (a table whose columns
  changed is replaced whole), block quotes, divs, definition lists and figures inside.

Before comparing, both sides are normalised the same way (:func:`normalise`): line breaks in
the source are spaces, links keep their text, pictures show as ``[picture: alt]``, ids are
dropped and raw HTML or XML is left out; the redline is about the text.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import count
from typing import Any, Literal, TypeVar

Node = dict[str, Any]
Kind = Literal["insertion", "deletion"]
T = TypeVar("T")

PAIR_THRESHOLD = 0.5
"""Share of words two blocks must have in common to be shown as one changed block (below it,
the old one is deleted and the new one inserted whole)."""

_WRAPPERS = frozenset(
    {"Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps"}
)
_NO_ATTR = ["", [], []]


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


# -- normalising ---------------------------------------------------------------------------------


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
        return {"t": t, "c": [c[0], _NO_ATTR, _norm_inlines(c[2])]}
    if t == "LineBlock":
        return {"t": t, "c": [_norm_inlines(line) for line in c]}
    if t == "CodeBlock":
        return {"t": t, "c": [_NO_ATTR, c[1]]}
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
        return {"t": t, "c": [_NO_ATTR, _norm_caption(c[1]), normalise(c[2])]}
    if t == "Table":
        attr, caption, colspecs, head, bodies, foot = c
        return {"t": t, "c": [_NO_ATTR, _norm_caption(caption), colspecs,
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
        elif t in _WRAPPERS:
            out.append({"t": t, "c": _norm_inlines(c)})
        elif t == "Quoted":
            out.append({"t": t, "c": [c[0], _norm_inlines(c[1])]})
        elif t == "Span":
            out.append({"t": t, "c": [_clear_id(c[0]), _norm_inlines(c[1])]})
        elif t == "Link":
            out.append({"t": "Span", "c": [_NO_ATTR, _norm_inlines(c[1])]})
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


# -- alignment -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of an alignment: ``equal`` (``old`` and ``new`` the same), ``pair`` (one
    changed into the other), ``delete`` (only ``old``) or ``insert`` (only ``new``)."""

    op: Literal["equal", "pair", "delete", "insert"]
    old: Any = None
    new: Any = None


def align(
    old: Sequence[T],
    new: Sequence[T],
    *,
    pairable: Callable[[T, T], bool],
    threshold: float = PAIR_THRESHOLD,
) -> list[Step]:
    """Align two lists: difflib on canonical JSON, then, in each replaced stretch, the pairs of
    ``pairable`` items at least ``threshold`` similar (the order kept, the most words in
    common); deletions come before insertions."""
    keys_old, keys_new = [key(x) for x in old], [key(x) for x in new]
    steps: list[Step] = []
    matcher = SequenceMatcher(None, keys_old, keys_new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            steps += [Step("equal", old[i1 + k], new[j1 + k]) for k in range(i2 - i1)]
        elif op == "delete":
            steps += [Step("delete", old=old[i]) for i in range(i1, i2)]
        elif op == "insert":
            steps += [Step("insert", new=new[j]) for j in range(j1, j2)]
        else:
            steps += _pair(list(old[i1:i2]), list(new[j1:j2]), pairable, threshold)
    return steps


def _pair(
    old: list[T], new: list[T], pairable: Callable[[T, T], bool], threshold: float
) -> list[Step]:
    """Pairs of a replaced stretch by dynamic programming (most similarity in order)."""
    n, m = len(old), len(new)
    if n == m == 1 and pairable(old[0], new[0]):
        return [Step("pair", old[0], new[0])]  # one thing rewritten: shown in its place
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims: dict[tuple[int, int], float] = {}
    for i in range(n):
        for j in range(m):
            if pairable(old[i], new[j]):
                s = similarity(old[i], new[j])
                if s >= threshold:
                    sims[i, j] = s
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            best = max(score[i + 1][j], score[i][j + 1])
            if (i, j) in sims:
                best = max(best, score[i + 1][j + 1] + sims[i, j])
            score[i][j] = best
    steps: list[Step] = []
    i = j = 0
    pending_new: list[Step] = []
    while i < n or j < m:
        if i < n and j < m and (i, j) in sims and score[i][j] == score[i + 1][j + 1] + sims[i, j]:
            steps += pending_new
            pending_new = []
            steps.append(Step("pair", old[i], new[j]))
            i, j = i + 1, j + 1
        elif i < n and (j == m or score[i][j] == score[i + 1][j]):
            steps.append(Step("delete", old=old[i]))
            i += 1
        else:
            pending_new.append(Step("insert", new=new[j]))
            j += 1
    return steps + pending_new


# -- marking whole blocks --------------------------------------------------------------------------


def mark_blocks(blocks: list[Node], kind: Kind, tracker: Tracker) -> list[Node]:
    """``blocks`` with all their text marked as inserted or deleted."""
    return [b for b in (_mark_block(x, kind, tracker) for x in blocks) if b is not None]


def _mark_block(block: Node, kind: Kind, tr: Tracker) -> Node | None:
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
            lines += ([{"t": "LineBreak"}] if n else []) + [{"t": "Code", "c": [_NO_ATTR, line]}]
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
    return [_mark_row(row, kind, tr) for row in rows]


def _mark_row(row: list[Any], kind: Kind, tr: Tracker) -> list[Any]:
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
    if t in _WRAPPERS:
        return {"t": t, "c": [_mark_notes(x, kind, tr) for x in c]}
    if t in ("Quoted", "Span"):
        return {"t": t, "c": [c[0], [_mark_notes(x, kind, tr) for x in c[1]]]}
    return node


# -- diffing blocks ------------------------------------------------------------------------------


def diff_blocks(old: list[Node], new: list[Node], tr: Tracker) -> list[Node]:
    """One list of blocks showing how ``old`` became ``new`` (both normalised)."""
    out: list[Node] = []
    for step in align(old, new, pairable=_pairable):
        if step.op == "equal":
            out.append(step.new)
        elif step.op == "delete":
            out += mark_blocks([step.old], "deletion", tr)
        elif step.op == "insert":
            out += mark_blocks([step.new], "insertion", tr)
        else:
            out.append(_diff_block(step.old, step.new, tr))
    return out


def _pairable(a: Node, b: Node) -> bool:
    t = a.get("t")
    if t != b.get("t") or t in ("CodeBlock", "HorizontalRule", "RawBlock"):
        return False
    if t == "Header":
        return bool(a["c"][0] == b["c"][0])
    if t == "Table":
        return len(a["c"][2]) == len(b["c"][2]) and len(a["c"][4]) == len(b["c"][4])
    return True


def _diff_block(a: Node, b: Node, tr: Tracker) -> Node:
    t: Any = b["t"]
    ca: Any = a.get("c")
    cb: Any = b.get("c")
    if t in ("Para", "Plain"):
        return {"t": t, "c": diff_inlines(ca, cb, tr)}
    if t == "Header":
        return {"t": t, "c": [cb[0], cb[1], diff_inlines(ca[2], cb[2], tr)]}
    if t == "LineBlock":
        return {"t": t, "c": _diff_lines(ca, cb, tr)}
    if t == "BlockQuote":
        return {"t": t, "c": diff_blocks(ca, cb, tr)}
    if t == "Div":
        return {"t": t, "c": [cb[0], diff_blocks(ca[1], cb[1], tr)]}
    if t == "BulletList":
        return {"t": t, "c": _diff_items(ca, cb, tr)}
    if t == "OrderedList":
        return {"t": t, "c": [cb[0], _diff_items(ca[1], cb[1], tr)]}
    if t == "DefinitionList":
        return {"t": t, "c": _diff_definitions(ca, cb, tr)}
    if t == "Figure":
        return {"t": t, "c": [cb[0], _diff_caption(ca[1], cb[1], tr),
                              diff_blocks(ca[2], cb[2], tr)]}  # fmt: skip
    if t == "Table":
        return _diff_table(a, b, tr)
    return b  # pragma: no cover - _pairable pairs nothing else


def _diff_items(old: list[Any], new: list[Any], tr: Tracker) -> list[Any]:
    out: list[Any] = []
    for step in align(old, new, pairable=lambda a, b: True, threshold=0.3):
        if step.op == "equal":
            out.append(step.new)
        elif step.op == "delete":
            out.append(mark_blocks(step.old, "deletion", tr))
        elif step.op == "insert":
            out.append(mark_blocks(step.new, "insertion", tr))
        else:
            out.append(diff_blocks(step.old, step.new, tr))
    return out


def _diff_lines(old: list[Any], new: list[Any], tr: Tracker) -> list[Any]:
    out: list[Any] = []
    for step in align(old, new, pairable=lambda a, b: True):
        if step.op == "equal":
            out.append(step.new)
        elif step.op == "delete":
            out.append(mark_inlines(step.old, "deletion", tr))
        elif step.op == "insert":
            out.append(mark_inlines(step.new, "insertion", tr))
        else:
            out.append(diff_inlines(step.old, step.new, tr))
    return out


def _diff_definitions(old: list[Any], new: list[Any], tr: Tracker) -> list[Any]:
    out: list[Any] = []
    for step in align(old, new, pairable=lambda a, b: True, threshold=0.3):
        if step.op == "equal":
            out.append(step.new)
        elif step.op == "delete":
            (term, defs) = step.old
            out.append([mark_inlines(term, "deletion", tr),
                        [mark_blocks(d, "deletion", tr) for d in defs]])  # fmt: skip
        elif step.op == "insert":
            (term, defs) = step.new
            out.append([mark_inlines(term, "insertion", tr),
                        [mark_blocks(d, "insertion", tr) for d in defs]])  # fmt: skip
        else:
            (term_a, defs_a), (term_b, defs_b) = step.old, step.new
            out.append([diff_inlines(term_a, term_b, tr), _diff_items(defs_a, defs_b, tr)])
    return out


def _diff_caption(old: list[Any], new: list[Any], tr: Tracker) -> list[Any]:
    return [new[0], diff_blocks(old[1], new[1], tr)]


def _diff_table(a: Node, b: Node, tr: Tracker) -> Node:
    _, cap_a, _, head_a, bodies_a, foot_a = a["c"]
    attr, cap_b, colspecs, head_b, bodies_b, foot_b = b["c"]
    bodies = [[body_b[0], body_b[1], _diff_rows(body_a[2], body_b[2], tr),
               _diff_rows(body_a[3], body_b[3], tr)]
              for body_a, body_b in zip(bodies_a, bodies_b, strict=True)]  # fmt: skip
    return {"t": "Table", "c": [attr, _diff_caption(cap_a, cap_b, tr), colspecs,
                                [head_b[0], _diff_rows(head_a[1], head_b[1], tr)], bodies,
                                [foot_b[0], _diff_rows(foot_a[1], foot_b[1], tr)]]}  # fmt: skip


def _same_shape(a: list[Any], b: list[Any]) -> bool:
    """Do two table rows have the same cells (row and column spans)?"""
    return [c[2:4] for c in a[1]] == [c[2:4] for c in b[1]]


def _diff_rows(old: list[Any], new: list[Any], tr: Tracker) -> list[Any]:
    out: list[Any] = []
    for step in align(old, new, pairable=_same_shape, threshold=0.2):
        if step.op == "equal":
            out.append(step.new)
        elif step.op == "delete":
            out.append(_mark_row(step.old, "deletion", tr))
        elif step.op == "insert":
            out.append(_mark_row(step.new, "insertion", tr))
        else:
            cells = [[cb[0], cb[1], cb[2], cb[3], diff_blocks(ca[4], cb[4], tr)]
                     for ca, cb in zip(step.old[1], step.new[1], strict=True)]  # fmt: skip
            out.append([step.new[0], cells])
    return out


# -- diffing inlines, word by word -----------------------------------------------------------------


@dataclass(frozen=True)
class _Wrap:
    """A formatting inline around words (``Emph``, a ``Span`` with its attributes...)."""

    t: str
    extra: Any
    """What the node holds besides its inlines (a Span's attributes, a quote's kind)."""
    uid: int = field(compare=False)
    """Which node it is (two ``*a* *b*`` are two)."""


@dataclass(frozen=True)
class _Token:
    node: Node
    """A word, a space or another inline with no inlines to diff inside."""
    path: tuple[_Wrap, ...]
    """The formatting around it, outermost first."""

    def key(self) -> str:
        return key([self.node, [(w.t, w.extra) for w in self.path]])


_ids = count()


def _tokens(inlines: list[Node], path: tuple[_Wrap, ...] = ()) -> list[_Token]:
    out: list[_Token] = []
    for node in inlines:
        t: Any = node.get("t")
        c: Any = node.get("c")
        if t in _WRAPPERS:
            out += _tokens(c, (*path, _Wrap(t, None, next(_ids))))
        elif t in ("Quoted", "Span"):
            out += _tokens(c[1], (*path, _Wrap(t, c[0], next(_ids))))
        else:
            out.append(_Token(node, path))
    return out


State = Literal["equal", "insertion", "deletion"]


def diff_inlines(old: list[Node], new: list[Node], tr: Tracker) -> list[Node]:
    """``new`` with the words deleted from ``old`` and those inserted marked, word by word;
    when they have less than :data:`PAIR_THRESHOLD` in common, all of ``old`` deleted and all
    of ``new`` inserted (a rewritten sentence reads better whole than as a word salad)."""
    if similarity(old, new) < PAIR_THRESHOLD:
        return mark_inlines(old, "deletion", tr) + mark_inlines(new, "insertion", tr)
    ta, tb = _tokens(old), _tokens(new)
    ka, kb = [t.key() for t in ta], [t.key() for t in tb]
    ops = _absorb_spaces(SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes(), ta)
    items: list[tuple[_Token, State]] = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            items += [(t, "equal") for t in tb[j1:j2]]
        else:
            items += [(t, "deletion") for t in ta[i1:i2]]
            items += [(t, "insertion") for t in tb[j1:j2]]
    return _build(items, 0, tr)


def _absorb_spaces(
    ops: Sequence[tuple[str, int, int, int, int]], old: list[_Token]
) -> list[tuple[str, int, int, int, int]]:
    """Merge an unchanged stretch of nothing but spaces between two changes into them (a
    change of a whole phrase shows as one, not word, space, word)."""
    merged: list[tuple[str, int, int, int, int]] = []
    for n, op in enumerate(ops):
        tag, i1, i2, j1, j2 = op
        between = 0 < n < len(ops) - 1
        spaces = all(t.node.get("t") == "Space" for t in old[i1:i2])
        if tag == "equal" and between and spaces:
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            _t, a1, _a2, b1, _b2 = merged[-1]
            merged[-1] = ("replace", a1, i2, b1, j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


def _build(items: list[tuple[_Token, State]], depth: int, tr: Tracker) -> list[Node]:
    out: list[Node] = []
    last_wrapped: Node | None = None
    last: tuple[str, str] = ("", "")
    i, n = 0, len(items)
    while i < n:
        token, state = items[i]
        if len(token.path) > depth:
            wrap = token.path[depth]
            j = i
            while (j < n and len(items[j][0].path) > depth
                   and items[j][0].path[depth].uid == wrap.uid):  # fmt: skip
                j += 1
            inner = _build(items[i:j], depth + 1, tr)
            if out and out[-1] is last_wrapped and last == (wrap.t, key(wrap.extra)):
                # the same formatting on both sides of a change (the old *very* and the new
                # *most*): one node, as written
                (out[-1]["c"] if wrap.extra is None else out[-1]["c"][1]).extend(inner)
            else:
                last_wrapped = {
                    "t": wrap.t,
                    "c": inner if wrap.extra is None else [wrap.extra, inner],
                }
                last = (wrap.t, key(wrap.extra))
                out.append(last_wrapped)
            i = j
            continue
        j = i
        while j < n and len(items[j][0].path) == depth and items[j][1] == state:
            j += 1
        nodes = [t.node for t, _s in items[i:j]]
        if state == "equal":
            out += nodes
        else:
            out += mark_inlines(nodes, state, tr)
        i = j
    return out
