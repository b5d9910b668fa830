"""The difference of two pandoc ASTs as one AST with tracked changes (for the redline).

pandoc's .docx writer turns a ``Span`` with the class ``insertion`` or ``deletion`` and
``author``/``date`` attributes into Word's tracked changes (``w:ins``/``w:del``,
:mod:`.redline_mark`). So the redline is made on pandoc's JSON, not on text, both sides
normalised the same way first (:mod:`.redline_normalise`):

- blocks are aligned (:func:`align`, difflib on each block's canonical JSON); blocks in the
  middle of a replaced stretch are paired when they are the same kind and similar enough
  (same heading level, same number of table columns, enough words in common), the rest are
  deleted or inserted whole (every inline of theirs wrapped in one tracking ``Span``);
- inside a paired paragraph, plain text or heading the inlines are diffed word by word, with
  their formatting (``*emphasis*``, ``**strong**``, a link's text) kept on either side;
- lists are diffed item by item, tables row by row and cell by cell (a table whose columns
  changed is replaced whole), block quotes, divs, definition lists and figures inside; every
  such list goes through one helper (:func:`_aligned`), given how to mark a lone item and how
  to diff a pair.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import count
from typing import Any, Literal, TypeVar

from .redline_mark import Kind, Tracker, mark_block, mark_blocks, mark_inlines, mark_row
from .redline_normalise import WRAPPERS, Node, key, similarity

T = TypeVar("T")

PAIR_THRESHOLD = 0.5
"""Share of words two blocks must have in common to be shown as one changed block (below it,
the old one is deleted and the new one inserted whole)."""


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


# -- diffing blocks ------------------------------------------------------------------------------


def _always(_a: Any, _b: Any) -> bool:
    return True


def _aligned(
    old: Sequence[T],
    new: Sequence[T],
    *,
    mark: Callable[[T, Kind], Any],
    diff: Callable[[T, T], Any],
    pairable: Callable[[T, T], bool] = _always,
    threshold: float = PAIR_THRESHOLD,
) -> list[Any]:
    """How the list ``old`` became ``new``, one entry per step of :func:`align`: an equal
    item as it is, a lone one through ``mark`` (with ``deletion`` or ``insertion``), a pair
    through ``diff``."""
    out: list[Any] = []
    for step in align(old, new, pairable=pairable, threshold=threshold):
        if step.op == "equal":
            out.append(step.new)
        elif step.op == "delete":
            out.append(mark(step.old, "deletion"))
        elif step.op == "insert":
            out.append(mark(step.new, "insertion"))
        else:
            out.append(diff(step.old, step.new))
    return out


def diff_blocks(old: list[Node], new: list[Node], tr: Tracker) -> list[Node]:
    """One list of blocks showing how ``old`` became ``new`` (both normalised)."""
    steps = _aligned(old, new, pairable=_pairable,
                     mark=lambda block, kind: mark_block(block, kind, tr),
                     diff=lambda a, b: _diff_block(a, b, tr))  # fmt: skip
    return [block for block in steps if block is not None]  # what cannot be tracked goes


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
    """List items (or a term's definitions): each a list of blocks."""
    return _aligned(old, new, threshold=0.3,
                    mark=lambda item, kind: mark_blocks(item, kind, tr),
                    diff=lambda a, b: diff_blocks(a, b, tr))  # fmt: skip


def _diff_lines(old: list[Any], new: list[Any], tr: Tracker) -> list[Any]:
    """The lines of a line block: each a list of inlines."""
    return _aligned(old, new,
                    mark=lambda line, kind: mark_inlines(line, kind, tr),
                    diff=lambda a, b: diff_inlines(a, b, tr))  # fmt: skip


def _diff_definitions(old: list[Any], new: list[Any], tr: Tracker) -> list[Any]:
    """The entries of a definition list: each a term and its definitions."""

    def mark(entry: Any, kind: Kind) -> Any:
        term, definitions = entry
        return [mark_inlines(term, kind, tr), [mark_blocks(d, kind, tr) for d in definitions]]

    def diff(a: Any, b: Any) -> Any:
        return [diff_inlines(a[0], b[0], tr), _diff_items(a[1], b[1], tr)]

    return _aligned(old, new, threshold=0.3, mark=mark, diff=diff)


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
    """Table rows: a pair of the same shape is diffed cell by cell."""

    def diff(a: list[Any], b: list[Any]) -> list[Any]:
        cells = [[cb[0], cb[1], cb[2], cb[3], diff_blocks(ca[4], cb[4], tr)]
                 for ca, cb in zip(a[1], b[1], strict=True)]  # fmt: skip
        return [b[0], cells]

    return _aligned(old, new, pairable=_same_shape, threshold=0.2,
                    mark=lambda row, kind: mark_row(row, kind, tr), diff=diff)  # fmt: skip


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
        if t in WRAPPERS:
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
