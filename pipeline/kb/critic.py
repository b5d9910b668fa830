"""CriticMarkup in articles: reviewers' suggestions that editors accept or reject.

Five kinds, as the CriticMarkup spec writes them (``netdocs review import --apply`` writes them
from a reviewed Word document; an editor may type them too)::

    {++inserted++}   {--deleted--}   {~~old~>new~~}   {>>comment<<}   {==highlighted==}{>>comment<<}

Rules this module follows (one place for them; lint, publish and review import read them here):

- **Code first.** Markup inside fenced or indented code blocks and inline code spans is text,
  found as CommonMark finds code (:func:`pipeline.kb.figrefs.prose_spans`), so a page can show
  the syntax itself.
- **Multi-line.** A suggestion may run over several lines, blank lines included (a deleted
  paragraph, an inserted list); its closer is looked for outside code.
- **No nesting.** An opener met before the closer means the first suggestion is not closed
  (reported by :func:`problems`); scanning goes on from the second one. A closer outside
  every suggestion (its opener deleted by hand) is reported too: it would print as written.
- **A highlight owns the comment written right after it** (``{==text==}{>>why<<}``, nothing
  between): one suggestion of kind ``highlight``.
- **Escapes.** ``\\{++`` (an opener with a backslash before it) is literal text; Markdown prints
  it as ``{++``. The writers take Markdown and escape, with a backslash, every opener inside the
  text (``{++`` → ``\\{++``), every closer (``++}`` → ``++\\}``), a trailing ``{``, and
  ``~>`` in a substitution's old text (``~\\>``): the text still prints the same once
  accepted, and the markup cannot be broken by what a reviewer typed. Empty text is refused
  (``ValueError``): an empty suggestion changes nothing.
- **Signed comments.** ``{>>Ana Silva (2026-11-03): text<<}``: author, then an ISO date in
  parentheses, then ``": "``. Without a date: ``Ana Silva (undated): text``; without an author:
  ``(2026-11-03): text``. :func:`comment` writes a comment on one line (its lines joined with
  ``" / "``), so that nothing in it (``# ...``, ``- ...``, ``> ...``) reads as a heading, a
  list or a quote in the article while it is there.
- **Resolving.** :func:`accept` applies every suggestion, :func:`reject` undoes every one;
  both drop comments and unwrap highlights. A suggestion that resolves to nothing and stood
  alone on its line takes the line with it, so a paragraph is not split by a blank line.
  Malformed markup is left as written.

Pure Python on the standard library and the KB's code finder; one pass, linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .figrefs import prose_spans

Kind = Literal["insertion", "deletion", "substitution", "comment", "highlight"]

KINDS: dict[str, Kind] = {
    "++": "insertion",
    "--": "deletion",
    "~~": "substitution",
    ">>": "comment",
    "==": "highlight",
}
"""Opener (after ``{``) → kind."""
CLOSERS: dict[Kind, str] = {
    "insertion": "++}",
    "deletion": "--}",
    "substitution": "~~}",
    "comment": "<<}",
    "highlight": "==}",
}
"""Kind → its closer."""
OPENERS: dict[Kind, str] = {kind: "{" + mark for mark, kind in KINDS.items()}
"""Kind → its opener."""
SEPARATOR = "~>"
"""Between the old and the new text of a substitution."""

_OPEN = re.compile(r"\{(\+\+|--|~~|>>|==)")
_ANY = re.compile(r"\{(?:\+\+|--|~~|>>|==)|(?:\+\+|--|~~|<<|==)\}")
_CLOSE = re.compile(r"(?:\+\+|--|~~|<<|==)\}")
_BY_CLOSER: dict[str, Kind] = {closer: kind for kind, closer in CLOSERS.items()}
_ESCAPE_OPEN = re.compile(r"(?<!\\)((?:\\\\)*)\{(?=\+\+|--|~~|>>|==|\Z)")
_ESCAPE_CLOSE = re.compile(r"(\+\+|--|~~|<<|==)\}")
_BACKTICK = re.compile(r"(?<!\\)((?:\\\\)*)`")
_SIGNED = re.compile(
    r"(?:(?P<author>[^\n]{1,100}?) )?\((?P<date>\d{4}-\d\d-\d\d[^()\n]{0,40}|undated)\): "
)
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d[^()\n]{0,40}")


@dataclass(frozen=True)
class Suggestion:
    """One CriticMarkup suggestion found in a text."""

    kind: Kind
    """``insertion``, ``deletion``, ``substitution``, ``comment`` or ``highlight``."""
    line: int
    """Line of the opening ``{`` (1-based, counted from the ``first_line`` given)."""
    column: int
    """Column of the opening ``{`` (1-based, in characters)."""
    end_line: int
    """Line of the closing ``}`` (of the attached comment, for a highlight that has one)."""
    start: int
    """Offset of the opening ``{`` in the text."""
    end: int
    """Offset just after the closing ``}``."""
    markup: str
    """The suggestion as written, delimiters included (``text[start:end]``)."""
    old: str
    """Text as it stands: what a deletion or substitution takes out, what a highlight marks
    ('' for an insertion or a comment)."""
    new: str
    """Text proposed: what an insertion or substitution puts in; a highlight's text ('' for a
    deletion or a comment)."""
    comment: str = ""
    """A comment's text, or a highlight's attached comment, without its author and date."""
    author: str = ""
    """Who wrote the comment ('' when not signed)."""
    date: str = ""
    """When (ISO, as written; '' when not dated)."""

    @property
    def accepted(self) -> str:
        """What replaces the markup when the suggestion is accepted."""
        return self.new if self.kind != "highlight" else self.old

    @property
    def rejected(self) -> str:
        """What replaces the markup when the suggestion is rejected."""
        return self.old

    def excerpt(self, width: int = 60) -> str:
        """The suggestion on one line, shortened to ``width`` characters (for messages)."""
        return shorten(self.markup, width)


@dataclass(frozen=True)
class Scan:
    """What :func:`scan` finds in a text."""

    suggestions: list[Suggestion]
    """Well-formed suggestions, in order."""
    problems: list[tuple[int, str]]
    """``(line, message)`` for malformed markup, in order."""


def scan(text: str, first_line: int = 1) -> Scan:
    """Suggestions and malformed markup of ``text`` (outside code) in one pass; ``first_line``
    is the line number of the text's first line (an article body's ``body_line``)."""
    if ("{" not in text and "}" not in text) or _ANY.search(text) is None:
        return Scan([], [])
    spans = prose_spans(text)
    opens = [
        (m.start(), KINDS[m.group(1)])
        for lo, hi in spans
        for m in _OPEN.finditer(text, lo, hi)
        if not _escaped(text, m.start())
    ]
    starts = _line_starts(text)

    def line_of(offset: int) -> int:
        return first_line + bisect.bisect_right(starts, offset) - 1

    found: list[Suggestion] = []
    problems: list[tuple[int, str]] = []
    closed: list[tuple[int, int]] = []  # malformed but closed: their closers are not stray
    span_index = 0
    for n, (at, kind) in enumerate(opens):
        if found and at < found[-1].end:
            continue  # the comment a highlight took
        limit = opens[n + 1][0] if n + 1 < len(opens) else len(text)
        while spans[span_index][1] <= at:
            span_index += 1
        close = _find_closer(text, CLOSERS[kind], at + 3, limit, spans, span_index)
        opener = OPENERS[kind]
        if close < 0:
            if n + 1 < len(opens):
                nxt_at, nxt_kind = opens[n + 1]
                problems.append(
                    (
                        line_of(at),
                        f"'{opener}' ({kind}) is not closed before the '{OPENERS[nxt_kind]}' at "
                        f"line {line_of(nxt_at)}: suggestions do not nest; end the {kind} "
                        f"with '{CLOSERS[kind]}' first",
                    )
                )
            else:
                problems.append(
                    (
                        line_of(at),
                        f"'{opener}' ({kind}) is not closed: end it with '{CLOSERS[kind]}', "
                        f"or write '\\{opener}' for the characters themselves",
                    )
                )
            continue
        end = close + 3
        content = text[at + 3 : close]
        if kind == "substitution":
            sep_at = _find_closer(text, SEPARATOR, at + 3, close, spans, span_index)
            old, new = text[at + 3 : sep_at], text[sep_at + len(SEPARATOR) : close]
            if sep_at < 0:
                closed.append((at, end))
                problems.append(
                    (
                        line_of(at),
                        f"substitution '{shorten(text[at:end], 40)}' has no '{SEPARATOR}' "
                        "between the old and the new text: write {~~old~>new~~}",
                    )
                )
                continue
            found.append(_make(text, kind, at, end, line_of, old=old, new=new))
        elif kind == "insertion":
            found.append(_make(text, kind, at, end, line_of, new=content))
        elif kind == "deletion":
            found.append(_make(text, kind, at, end, line_of, old=content))
        elif kind == "comment":
            found.append(_make(text, kind, at, end, line_of, note=content))
        else:
            note = ""
            nxt = n + 1
            if nxt < len(opens) and opens[nxt] == (end, "comment"):
                after = opens[nxt + 1][0] if nxt + 1 < len(opens) else len(text)
                c_close = _find_closer(text, "<<}", end + 3, after, spans, span_index)
                if c_close >= 0:
                    note = text[end + 3 : c_close]
                    found.append(
                        _make(text, kind, at, c_close + 3, line_of, old=content, note=note)
                    )
                    continue
            found.append(_make(text, kind, at, end, line_of, old=content))
    covered = [(s.start, s.end) for s in found] + [(at, at + 3) for at, _k in opens] + closed
    problems += _stray_closers(text, spans, sorted(covered), line_of)
    return Scan(found, sorted(problems, key=lambda p: p[0]))


def _stray_closers(
    text: str,
    spans: list[tuple[int, int]],
    covered: list[tuple[int, int]],
    line_of: Callable[[int], int],
) -> list[tuple[int, str]]:
    """A closer outside every suggestion (its opener deleted by hand) would print as written;
    ``covered``: the ranges of suggestions and openers, in order."""
    out: list[tuple[int, str]] = []
    i = 0
    for lo, hi in spans:
        for m in _CLOSE.finditer(text, lo, hi):
            while i < len(covered) and covered[i][1] <= m.start():
                i += 1
            if i < len(covered) and covered[i][0] < m.end():
                continue  # inside a suggestion, or overlapping an opener
            closer = m.group(0)
            kind = _BY_CLOSER[closer]
            out.append(
                (
                    line_of(m.start()),
                    f"'{closer}' closes no {kind}: delete it, or write '{closer[:2]}\\}}' "
                    "for the characters themselves",
                )
            )
    return out


def find(text: str, first_line: int = 1) -> list[Suggestion]:
    """Every well-formed suggestion of ``text`` outside code, in order."""
    return scan(text, first_line).suggestions


def problems(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """``(line, message)`` for each piece of malformed markup (an unclosed ``{++``, a ``{~~``
    with no ``~>``), each message saying how to fix it."""
    return scan(text, first_line).problems


def resolve(text: str, decide: Callable[[Suggestion], bool | None]) -> str:
    """``text`` with each suggestion for which ``decide`` says True accepted, False rejected,
    None left as written (comments are dropped either way once decided)."""
    found = find(text)
    if not found:
        return text
    parts: list[str] = []
    last = 0
    for s in found:
        verdict = decide(s)
        if verdict is None:
            continue
        value = s.accepted if verdict else s.rejected
        lo, hi = s.start, s.end
        if not value:
            lo, hi = _whole_line(text, lo, hi)
            lo = max(lo, last)
        parts += [text[last:lo], value]
        last = hi
    parts.append(text[last:])
    return "".join(parts)


def accept(text: str) -> str:
    """``text`` with every suggestion accepted: insertions and substitutions' new text kept,
    deletions removed, comments dropped, highlights unwrapped."""
    return resolve(text, lambda s: True)


def reject(text: str) -> str:
    """``text`` with every suggestion rejected: insertions removed, deletions and
    substitutions' old text kept, comments dropped, highlights unwrapped."""
    return resolve(text, lambda s: False)


def accept_one(text: str, suggestion: Suggestion) -> str:
    """``text`` with one suggestion (as :func:`find` gave it for this text) accepted."""
    return resolve(text, lambda s: True if s.start == suggestion.start else None)


def reject_one(text: str, suggestion: Suggestion) -> str:
    """``text`` with one suggestion (as :func:`find` gave it for this text) rejected."""
    return resolve(text, lambda s: False if s.start == suggestion.start else None)


def mask(text: str, accepted: bool | None = None) -> str:
    """``text`` with its length and line breaks unchanged, the markup that will not print made
    spaces: delimiters and comments always; with ``accepted`` True also the text accepting
    takes out (deleted, substituted), with False the text rejecting takes out (inserted, the
    new side of a substitution); with None both texts are kept. Lets a check of the text as it
    may print report lines of the file as written."""
    found = find(text)
    if not found:
        return text
    chars = list(text)
    blank = " "
    for s in found:
        last = s.start
        for lo, hi in _kept(s, accepted):
            chars[last:lo] = [c if c == "\n" else blank for c in chars[last:lo]]
            last = hi
        chars[last : s.end] = [c if c == "\n" else blank for c in chars[last : s.end]]
    return "".join(chars)


def mask_accepted(text: str) -> str:
    """:func:`mask` as accepting every suggestion would leave the text."""
    return mask(text, accepted=True)


def to_pandoc(text: str, author: str = "reviewer", date: str = "") -> str:
    """``text`` with its suggestions written for pandoc (``commonmark_x``, bracketed spans),
    so that a Word draft shows them as tracked changes an editor can accept or reject there:
    an insertion as ``[new]{.insertion author=...}``, a deletion as ``[old]{.deletion ...}``,
    a substitution as both. Comments are left out and highlights unwrapped (``kb lint`` lists
    them). A suggestion that spans paragraphs is written one span per paragraph when each is
    a plain paragraph, else as the text stands (its old text); so is one whose text a span
    cannot hold (unbalanced brackets)."""
    found = find(text)
    if not found:
        return text
    attrs = f'author="{_attr(author)}"' + (f' date="{_attr(date)}"' if date else "")
    parts: list[str] = []
    last = 0
    for s in found:
        parts.append(text[last : s.start])
        last = s.end
        if s.kind in ("comment", "highlight"):
            parts.append(s.old)
            continue
        old = _spans(s.old, "deletion", attrs) if s.old else ""
        new = _spans(s.new, "insertion", attrs) if s.new else ""
        if old is None or new is None:
            parts.append(s.old)
        else:
            parts.append(old + new)
    parts.append(text[last:])
    return "".join(parts)


_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")
_BLOCK_START = re.compile(r"^(?:[ \t]|[#>|*+-]|\d+[.)]|`{3}|~{3}|\[\^)")


def _spans(text: str, kind: str, attrs: str) -> str | None:
    """``text`` as one span of class ``kind`` per paragraph; None when it cannot be."""
    chunks = _PARAGRAPHS.split(text)
    if len(chunks) > 1 and any(_BLOCK_START.match(c) for c in chunks):
        return None
    out: list[str] = []
    for chunk in chunks:
        if not _balanced(chunk):
            return None
        out.append(f"[{chunk}]{{.{kind} {attrs}}}" if chunk.strip() else chunk)
    return "\n\n".join(out)


def _balanced(text: str) -> bool:
    depth = 0
    for lo, hi in prose_spans(text):
        for i in range(lo, hi):
            c = text[i]
            if c in "[]" and not _escaped(text, i):
                depth += 1 if c == "[" else -1
                if depth < 0:
                    return False
    return depth == 0


def _attr(value: str) -> str:
    return " ".join(value.split()).replace("\\", "/").replace('"', "'")


def insertion(text: str) -> str:
    """``{++text++}`` (``text`` is Markdown; see the escape rule above)."""
    return "{++" + _content(text, "insertion") + "++}"


def deletion(text: str) -> str:
    """``{--text--}``."""
    return "{--" + _content(text, "deletion") + "--}"


def substitution(old: str, new: str) -> str:
    """``{~~old~>new~~}`` (a ``~>`` in ``old`` is escaped; ``new`` may hold one)."""
    escaped_old = _content(old, "substitution", old=True)
    return "{~~" + escaped_old + SEPARATOR + _content(new, "substitution") + "~~}"


def comment(text: str, author: str = "", date: str = "") -> str:
    """``{>>text<<}``, signed ``{>>Ana Silva (2026-11-03): text<<}`` when given an author
    and/or a date (ISO: ``2026-11-03``, a time may follow)."""
    return _comment(text, author, date)


def highlight(text: str, comment: str, author: str = "", date: str = "") -> str:
    """``{==text==}{>>comment<<}``: a comment (signed as :func:`comment` signs) on the
    highlighted text."""
    return "{==" + _content(text, "highlight") + "==}" + _comment(comment, author, date)


def shorten(text: str, width: int = 60) -> str:
    """``text`` on one line (whitespace collapsed), cut to ``width`` characters with '...'."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def _make(
    text: str,
    kind: Kind,
    at: int,
    end: int,
    line_of: Callable[[int], int],
    old: str = "",
    new: str = "",
    note: str = "",
) -> Suggestion:
    if kind == "highlight":
        new = old
    author = date = ""
    m = _SIGNED.match(note)
    if m is not None:
        author = m.group("author") or ""
        date = "" if m.group("date") == "undated" else m.group("date")
        note = note[m.end() :]
    line_start = text.rfind("\n", 0, at) + 1
    return Suggestion(
        kind=kind,
        line=line_of(at),
        column=at - line_start + 1,
        end_line=line_of(end - 1),
        start=at,
        end=end,
        markup=text[at:end],
        old=old,
        new=new,
        comment=note,
        author=author,
        date=date,
    )


def _kept(s: Suggestion, accepted: bool | None) -> list[tuple[int, int]]:
    """Offsets ``[lo, hi)`` of the texts of ``s`` kept in place, in order: when accepted
    (True), rejected (False) or either (None)."""
    body = s.start + 3
    old = (body, body + len(s.old))
    if s.kind == "highlight":
        return [old]
    if s.kind == "insertion":
        return [] if accepted is False else [(body, body + len(s.new))]
    if s.kind == "deletion":
        return [] if accepted is True else [old]
    if s.kind == "substitution":
        new_at = old[1] + len(SEPARATOR)
        new = (new_at, new_at + len(s.new))
        return [new] if accepted else [old] if accepted is False else [old, new]
    return []


def _find_closer(
    text: str, closer: str, lo: int, limit: int, spans: list[tuple[int, int]], index: int
) -> int:
    """Offset of the first ``closer`` at or after ``lo`` and starting before ``limit``, outside
    code; -1 when there is none."""
    for i in range(index, len(spans)):
        span_lo, span_hi = spans[i]
        if span_lo >= limit:
            break
        at = text.find(closer, max(lo, span_lo), span_hi)
        if at >= 0:
            return at if at < limit else -1
    return -1


def _escaped(text: str, at: int) -> bool:
    n = 0
    while at - n - 1 >= 0 and text[at - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _content(text: str, kind: str, old: bool = False) -> str:
    """``text`` escaped to sit inside a suggestion's delimiters (code left as it is: a
    backslash there would print)."""
    if not text:
        raise ValueError(f"an empty {kind} changes nothing: give it some text")
    parts: list[str] = []
    last = 0
    for lo, hi in prose_spans(text):
        parts += [text[last:lo], _escape(text[lo:hi], old)]
        last = hi
    parts.append(text[last:])
    return "".join(parts)


def _escape(prose: str, old: bool) -> str:
    prose = _ESCAPE_OPEN.sub(lambda m: m.group(1) + "\\{", prose)
    prose = _ESCAPE_CLOSE.sub(lambda m: m.group(1) + "\\}", prose)
    if "`" in prose:  # a backtick left unpaired here could pair with one around the markup
        prose = _BACKTICK.sub(lambda m: m.group(1) + "\\`", prose)
    return prose.replace(SEPARATOR, "~\\>") if old else prose


def _comment(text: str, author: str, date: str) -> str:
    text = " / ".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    author = " ".join(author.split())
    date = date.strip()
    if date and not _ISO_DATE.fullmatch(date):
        raise ValueError(f"comment date '{date}' is not an ISO date (2026-11-03)")
    if author or date:
        text = f"{author + ' ' if author else ''}({date or 'undated'}): {text}"
    return "{>>" + _content(text, "comment") + "<<}"


def _whole_line(text: str, lo: int, hi: int) -> tuple[int, int]:
    """``[lo, hi)`` widened to its whole line (with the line break) when nothing but blanks
    share the line with it."""
    line_lo = text.rfind("\n", 0, lo) + 1
    line_hi = text.find("\n", hi)
    line_hi = len(text) if line_hi < 0 else line_hi
    if text[line_lo:lo].strip() or text[hi:line_hi].strip():
        return lo, hi
    if line_hi < len(text):
        return line_lo, line_hi + 1
    return (line_lo - 1 if line_lo > 0 else line_lo), line_hi


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts
