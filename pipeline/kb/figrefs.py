"""Figure citations in articles: ``[[figure:NAME]]``, replaced by the edition's value.

An editor never writes a number the network data owns ("84 member institutions"); they cite
it by name, ``[[figure:members]]``, and every format prints the value of the edition being
built. The syntax is plain text, not Jinja: nothing is evaluated, a name is only looked up.
Spaces are allowed inside the brackets (``[[ figure: kpis ]]``); a name is lower-case letters,
digits, dots and dashes, starting with a letter or digit (the names of
:data:`pipeline.figure_defs.DEFINITIONS`).

Code is never touched: a citation in a fenced or indented code block or in an inline code span
(```[[figure:kpis]]```) is left as written, so a page can show the syntax itself.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

NAME_RE = re.compile(r"[a-z0-9][a-z0-9.-]*")
"""A figure's name."""
SYNTAX = "[[figure:NAME]]"
"""How a citation is written, for messages."""

_OPEN = re.compile(r"\[\[[ \t]*(fig[a-z]*)[ \t]*:", re.IGNORECASE)
"""Start of something meant as a citation (``[[figure:``, also ``[[Figure:``, ``[[fig:``)."""
_ESCAPED = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&$^@=])")
"""Punctuation that could turn a value into Markdown markup (emphasis, a list, a link...)."""
_BACKTICKS = re.compile(r"`+")
_MAYBE_CODE = re.compile(r"`|~~~|^(?: {4}|\t| {0,3}\t)", re.MULTILINE)


@dataclass(frozen=True)
class Citation:
    """One ``[[figure:NAME]]`` (or something malformed meant as one) outside code."""

    name: str
    """The figure's name as written ('' when it could not be read)."""
    line: int
    """1-based line of the file."""
    start: int
    """Offset of the opening ``[[`` in the body."""
    end: int
    """Offset just after the closing ``]]`` (the end of the line when unclosed)."""
    text: str
    """The citation as written."""
    problem: str | None = None
    """Why it is malformed, with the fix; ``None`` for a well-formed citation."""

    @property
    def ok(self) -> bool:
        return self.problem is None


def find_citations(body: str, first_line: int = 1) -> list[Citation]:
    """Every citation of ``body`` outside code, in order; ``first_line`` is the file's line of
    the body's first line. Malformed ones carry a ``problem``."""
    if "[[" not in body:
        return []
    out: list[Citation] = []
    starts = _line_starts(body)
    for lo, hi in prose_spans(body):
        for found in _OPEN.finditer(body, lo, hi):
            out.append(_citation(body, found, hi, first_line + _line_index(starts, found.start())))
    return out


def substitute(body: str, values: Mapping[str, str], markdown: bool = True) -> str:
    """``body`` with every well-formed citation outside code replaced by ``values[name]``
    (already formatted text; Markdown punctuation in it is escaped unless ``markdown`` is
    False, for plain text). Names not in ``values`` and malformed citations are left as
    written; code is never changed."""
    if "[[" not in body:
        return body
    parts: list[str] = []
    last = 0
    for lo, hi in prose_spans(body):
        for found in _OPEN.finditer(body, lo, hi):
            if found.start() < last:
                continue
            cite = _citation(body, found, hi, 0)
            if cite.ok and cite.name in values:
                value = values[cite.name]
                parts += [body[last : cite.start], escape_markdown(value) if markdown else value]
                last = cite.end
    if not parts:
        return body
    parts.append(body[last:])
    return "".join(parts)


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: one line, markup punctuation backslash-escaped."""
    return _ESCAPED.sub(r"\\\1", " ".join(text.split()))


def _citation(body: str, found: re.Match[str], limit: int, line: int) -> Citation:
    eol = body.find("\n", found.end())
    eol = len(body) if eol < 0 else eol
    close = body.find("]]", found.end(), min(eol, limit))
    if close < 0:
        text = body[found.start() : min(eol, limit)].rstrip()
        return Citation(
            "", line, found.start(), found.start() + len(text), text,
            f"figure citation '{text}' is not closed: write {SYNTAX} on one line",
        )  # fmt: skip
    end = close + 2
    text = body[found.start() : end]
    name = body[found.end() : close].strip()
    keyword = found.group(1)
    if keyword.lower() != "figure":
        fixed = f"[[figure:{name}]]" if NAME_RE.fullmatch(name) else SYNTAX
        problem = f"'{text}' is not a figure citation: write {fixed}"
    elif not name:
        problem = f"figure citation '{text}' names no figure: write {SYNTAX}"
    elif not NAME_RE.fullmatch(name):
        fixed = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-.")
        hint = f" (for example [[figure:{fixed}]])" if fixed else ""
        problem = (
            f"figure citation '{text}': a name is lower-case letters, digits, dots and dashes{hint}"
        )
    else:
        problem = None
    return Citation(name, line, found.start(), end, text, problem)


def prose_spans(body: str) -> list[tuple[int, int]]:
    """Character ranges ``[lo, hi)`` of ``body`` outside fenced and indented code blocks and
    inline code spans, in order."""
    if not _MAYBE_CODE.search(body):
        return [(0, len(body))]
    starts = _line_starts(body)
    spans: list[tuple[int, int]] = []
    for lo_line, hi_line in _prose_line_runs(body):
        lo = starts[lo_line]
        hi = starts[hi_line] if hi_line < len(starts) else len(body)
        spans += _without_code_spans(body, lo, hi)
    return spans


def code_lines(body: str) -> set[int]:
    """0-based indexes of the body's lines inside fenced or indented code blocks."""
    if not _MAYBE_CODE.search(body):
        return set()
    lines: set[int] = set()
    for lo, hi in _code_blocks(body):
        lines.update(range(lo, hi))
    return lines


def _prose_line_runs(body: str) -> Iterator[tuple[int, int]]:
    """Line ranges between code blocks, cut at blank lines (an inline code span cannot cross
    a blank line)."""
    lines = body.split("\n")
    code = code_lines(body)
    run_start: int | None = None
    for i, line in enumerate(lines):
        if i in code or not line.strip():
            if run_start is not None:
                yield run_start, i
                run_start = None
        elif run_start is None:
            run_start = i
    if run_start is not None:
        yield run_start, len(lines)


def _without_code_spans(body: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` minus its inline code spans (CommonMark: a run of N backticks up to the
    next run of exactly N; an unmatched run is literal text)."""
    if "`" not in body[lo:hi]:
        return [(lo, hi)]
    out: list[tuple[int, int]] = []
    pos = lo
    start = lo
    while True:
        opener = _BACKTICKS.search(body, pos, hi)
        if opener is None:
            break
        if _escaped(body, opener.start(), lo):  # \` is a literal backtick
            pos = opener.start() + 1
            continue
        n = len(opener.group(0))
        closer = _BACKTICKS.search(body, opener.end(), hi)
        while closer is not None and len(closer.group(0)) != n:
            closer = _BACKTICKS.search(body, closer.end(), hi)
        if closer is None:
            pos = opener.end()
            continue
        out.append((start, opener.start()))
        start = pos = closer.end()
    out.append((start, hi))
    return [(a, b) for a, b in out if a < b]


def _escaped(text: str, at: int, lo: int) -> bool:
    n = 0
    while at - n - 1 >= lo and text[at - n - 1] == "\\":
        n += 1
    return n % 2 == 1


@lru_cache(maxsize=1)
def _block_parser() -> MarkdownIt:
    """Block structure only (no inline parsing): enough to know where code blocks are, in a
    fraction of a full parse. Same dialect as the reader (CommonMark, tables)."""
    md = MarkdownIt("commonmark", {"maxNesting": 20})
    md.enable("table")
    md.disable("inline")
    return md


def _code_blocks(body: str) -> list[tuple[int, int]]:
    """0-based line ranges ``[lo, hi)`` of the fenced and indented code blocks of ``body``."""
    out: list[tuple[int, int]] = []
    for tok in _block_parser().parse(body):
        if tok.type in ("fence", "code_block") and tok.map:
            out.append((tok.map[0], tok.map[1]))
    return out


def _line_starts(text: str) -> list[int]:
    starts = [0]
    find = text.find
    at = find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = find("\n", at + 1)
    return starts


def _line_index(starts: list[int], offset: int) -> int:
    """0-based line of ``offset``."""
    return bisect.bisect_right(starts, offset) - 1
