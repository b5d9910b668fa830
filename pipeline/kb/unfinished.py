"""Lint rules for unfinished articles: nothing half-written may print.

Each problem is an error with ``rule=UNFINISHED`` (``netdocs publish`` refuses it, ``netdocs
build`` drafts it with a warning), located at the line to fix:

- a summary that only repeats the title, or is still the one ``kb new`` wrote;
- a heading with nothing under it but blank lines and comments (a sub-heading with content
  counts as content);
- a hint of the scaffold left as ``kb new`` wrote it (``<!-- netdocs:scaffold: ... -->``);
- TODO, TBD, FIXME, lorem ipsum, placeholder, ``<draft>``... (:mod:`pipeline.markers`) in the
  title, the summary or the body outside code;
- a lesson or practice with ``step: []`` (it would vanish from the handbook);
- an article with no text beyond its title (it would print as an empty chapter).

CriticMarkup suggestions (:mod:`.critic`): their delimiters and comments never print, so they
are not read (a TODO in a reviewer's comment is not reported; ``kb lint`` reports the
suggestion itself); inserted and deleted text may both print (the editor accepts or rejects)
and both are read: a TODO in either is reported, a section holding only a suggested deletion
is not empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import UNFINISHED, Problem
from ..markers import unfinished_marker
from .critic import mask
from .figrefs import code_lines, prose_spans
from .model import Article, Section
from .scaffold import SCAFFOLD_SUMMARY, SCAFFOLD_TAG, scaffold_hints

Where = Callable[[int], str]
"""Formats a file line as ``path:line``."""

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")
_HINT = re.compile(r"<!--\s*(.*?)\s*-->", re.DOTALL)
_HINTS = {" ".join(h.split()).casefold() for h in scaffold_hints()}


def unfinished(article: Article, where: Where, known: set[str]) -> list[Problem]:
    """Every unfinished part of ``article``. ``known`` holds the locations already reported
    (by the reader), so a broken ``step`` is not reported twice."""
    out: list[Problem] = []

    def err(line: int, message: str) -> None:
        out.append(Problem(where(line), "error", message, rule=UNFINISHED))

    meta = article.meta
    if article.has_front_matter:
        _summary(article, err)
    for key, value in (("title", meta.title), ("summary", meta.summary)):
        marker = unfinished_marker(value) if article.has_front_matter else None
        if marker is not None:
            err(article.line_of(key), f"unfinished text '{marker}' in the {key}: {_FINISH}")
    if article.type in ("lesson", "practice") and not meta.step and "step" in article.meta_lines:
        line = article.line_of("step")
        if where(line) not in known:
            err(
                line,
                f"'step' is empty: a {article.type} tied to no roadmap step is left out of "
                "the handbook; write the steps it belongs to, e.g. step: [1, 5]",
            )
    lines = article.body.split("\n")
    content = _content_lines(article, lines)
    heads = [s for s in article.sections if s.level]
    empty_body = not any(content)
    if empty_body:
        first = heads[0].line if heads and heads[0].level == 1 else article.body_line
        err(
            min(first, article.body_line + max(0, len(lines) - 1)),
            "the article has no text beyond its title: write it, or delete the file "
            "(an empty article still prints as a chapter)",
        )
    for head in _empty_headings(heads, content, article.body_line):
        if empty_body and head is heads[0] and head.level == 1:
            continue
        err(
            head.line,
            f"heading '{head.title}' has nothing under it: write the section or remove the heading",
        )
    out += _scaffold_left(article, lines, where)
    out += _markers(article, where)
    out += _bare_markers(article, where)
    return out


_EMPTY_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+#*)?[ \t]*$")
_EMPTY_ITEM = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]*$")
_ITEM = re.compile(r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")


def _bare_markers(article: Article, where: Where) -> list[Problem]:
    """A heading marker with no title (``## ``) and a list item with nothing in it (``- ``)
    outside code: what accepting a reviewer's deletion of the text alone leaves."""
    body = mask(article.body)  # a suggestion's text counts (kept or not), its markup does not
    if "#" not in body and not re.search(r"(?m)^[ \t]*(?:[-+*]|\d+[.)])[ \t]*$", body):
        return []
    code = code_lines(article.body)
    lines = body.split("\n")
    out: list[Problem] = []
    for i, line in enumerate(lines):
        if i in code:
            continue
        text = line.rstrip("\r")
        above = lines[i - 1].rstrip("\r") if i else ""
        if _EMPTY_HEADING.match(text):
            message = "an empty heading (a '#' with no title): write its title or delete the line"
        elif _EMPTY_ITEM.match(text) and (not above.strip() or _ITEM.match(above)):
            # (after a paragraph's line, '-' underlines it and '1.' goes on it: not a list)
            message = "an empty list item (a bullet with no text): write it or delete the line"
        else:
            continue
        out.append(Problem(where(article.body_line + i), "error", message, rule=UNFINISHED))
    return out


_FINISH = "finish or remove it before publishing"


def _norm(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".").strip()


def _summary(article: Article, err: Callable[[int, str], None]) -> None:
    summary = article.meta.summary
    line = article.line_of("summary")
    if SCAFFOLD_TAG in summary or _norm(summary) == _norm(SCAFFOLD_SUMMARY):
        err(
            line,
            "the summary is still the one 'netdocs kb new' wrote: say in one or two "
            "sentences what a reader finds in the article",
        )
    elif summary and _norm(summary) == _norm(article.meta.title):
        err(
            line,
            "the summary only repeats the title: say in one or two sentences what a "
            "reader finds in the article",
        )


def _content_lines(article: Article, lines: list[str]) -> list[bool]:
    """For each line of the body: does it hold content (not blank, a comment, a heading, a
    setext underline or a thematic break)? Code blocks are content."""
    body = mask(article.body)  # suggestions' delimiters and comments never print
    if "<!--" in body:  # blank out comments, keeping the line breaks
        body = _COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
    stripped = body.split("\n")
    code = code_lines(article.body) if body != article.body else set()
    heading_lines = {s.line - article.body_line for s in article.sections if s.level}
    out: list[bool] = []
    for i, text in enumerate(stripped):
        if i in code:  # a comment inside code is code
            out.append(bool(lines[i].strip()))
        elif i in heading_lines or not text.strip() or _BREAK.match(text):
            out.append(False)
        elif _UNDERLINE.match(text) and i - 1 in heading_lines:
            out.append(False)
        else:
            out.append(True)
    return out


def _empty_headings(heads: list[Section], content: list[bool], body_line: int) -> list[Section]:
    """Headings with no content up to the next heading of the same or a higher level."""
    own: list[bool] = []
    for n, head in enumerate(heads):
        lo = head.line - body_line + 1
        hi = heads[n + 1].line - body_line if n + 1 < len(heads) else len(content)
        own.append(any(content[lo:hi]))
    out: list[Section] = []
    for n, head in enumerate(heads):
        filled = own[n]
        m = n + 1
        while not filled and m < len(heads) and heads[m].level > head.level:
            filled = own[m]
            m += 1
        if not filled:
            out.append(head)
    return out


def _scaffold_left(article: Article, lines: list[str], where: Where) -> list[Problem]:
    """Each hint of ``kb new`` still in the body, at its line (not inside code)."""
    body = article.body
    if "<!--" not in body:
        return []
    code = code_lines(body)
    out: list[Problem] = []
    for found in _HINT.finditer(body):
        line = body.count("\n", 0, found.start())
        if line in code:
            continue
        text = " ".join(found.group(1).split())
        tagged = text.startswith(SCAFFOLD_TAG)
        hint = text.removeprefix(SCAFFOLD_TAG).lstrip(": ").strip()
        if tagged or hint.casefold() in _HINTS:
            out.append(
                Problem(
                    where(article.body_line + line),
                    "error",
                    f"scaffold text left as 'netdocs kb new' wrote it ('{hint}'): write "
                    "what it asks for, then delete the comment",
                    rule=UNFINISHED,
                )
            )
    return out


def _markers(article: Article, where: Where) -> list[Problem]:
    """Unfinished-text markers in the body outside code, one problem per line."""
    body = article.body
    if unfinished_marker(body) is None:
        return []
    text = mask(body)  # code is found in the text as written
    out: list[Problem] = []
    seen: set[int] = set()
    for lo, hi in prose_spans(body):
        piece = text[lo:hi]
        if unfinished_marker(piece) is None:
            continue
        first = body.count("\n", 0, lo)
        for n, text in enumerate(piece.split("\n")):
            marker = unfinished_marker(text)
            line = first + n
            if marker is None or line in seen:
                continue
            seen.add(line)
            out.append(
                Problem(
                    where(article.body_line + line),
                    "error",
                    f"unfinished text '{marker}': {_FINISH}",
                    rule=UNFINISHED,
                )
            )
    return out
