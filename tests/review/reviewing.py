"""Make reviewed documents the way Word and LibreOffice write them: comments (python-docx) and
tracked changes (``w:ins``/``w:del`` runs, with author and date), on known sentences."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = "2026-11-03T10:00:00Z"
PRESERVE = {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}


@dataclass(frozen=True)
class Change:
    """A tracked change in the first paragraph (or table cell) starting with ``starts``:
    ``old`` deleted (if given) and ``new`` inserted in its place (if given); an insertion
    alone goes just after the text given as ``after``, or just before ``before``."""

    starts: str
    old: str = ""
    new: str = ""
    after: str = ""
    before: str = ""
    author: str = "Ana Silva"


@dataclass(frozen=True)
class Note:
    """A comment on ``on`` (a text inside one run) in the first paragraph starting with
    ``starts``; ``on=""``: a point comment at the paragraph's end."""

    starts: str
    text: str
    on: str = ""
    author: str = "Bo Chen"
    heading: bool = False
    """Only a heading paragraph (not the contents' line that starts the same)."""


def paragraphs(document: Any) -> list[Any]:
    """Every paragraph of a python-docx document, body and tables."""
    out = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                out += cell.paragraphs
    return out


def find(document: Any, starts: str, heading: bool = False) -> Any:
    for p in paragraphs(document):
        if p.text.startswith(starts) and (not heading or p.style.name.startswith("Heading")):
            return p
    raise AssertionError(f"no paragraph starts with {starts!r}")


def _split(paragraph: Any, text: str) -> list[Any]:
    """The runs of ``paragraph`` made so that ``text`` is one run of its own (returned with
    the runs before and after it: ``[before, it, after]``, each None when empty)."""
    for run in paragraph.runs:
        at = run.text.find(text)
        if at < 0:
            continue
        r = run._r
        pieces = [run.text[:at], text, run.text[at + len(text) :]]
        made: list[Any] = []
        for piece in pieces:
            if not piece:
                made.append(None)
                continue
            new = copy.deepcopy(r)
            for t in new.findall(W + "t"):
                new.remove(t)
            t = new.makeelement(W + "t", PRESERVE)
            t.text = piece
            new.append(t)
            r.addprevious(new)
            made.append(new)
        r.getparent().remove(r)
        return made
    raise AssertionError(f"{text!r} is not inside one run of {paragraph.text!r}")


def _wrap(run: Any, tag: str, author: str, ident: int) -> Any:
    mark = run.makeelement(W + tag, {W + "id": str(ident), W + "author": author, W + "date": DATE})
    run.addprevious(mark)
    mark.append(run)
    if tag == "del":
        for t in run.findall(W + "t"):
            t.tag = W + "delText"
    return mark


def review(
    source: Path, target: Path, changes: Sequence[Change] = (), notes: Sequence[Note] = ()
) -> Path:
    """``source`` with ``changes`` tracked and ``notes`` commented, saved as ``target``."""
    import docx

    document = docx.Document(str(source))
    ident = 9000
    for change in changes:
        paragraph = find(document, change.starts)
        ident += 1
        if change.old:
            _before, old, _after = _split(paragraph, change.old)
            mark = _wrap(old, "del", change.author, ident)
            anchor = mark
        elif change.before:
            _before, anchor_run, _after = _split(paragraph, change.before)
            anchor = anchor_run
        else:
            _before, anchor_run, _after = _split(paragraph, change.after)
            anchor = anchor_run
        if change.new:
            run = copy.deepcopy(anchor.find(W + "r") if anchor.tag != W + "r" else anchor)
            for t in list(run):
                if t.tag in (W + "t", W + "delText"):
                    run.remove(t)
            t = run.makeelement(W + "t", PRESERVE)
            t.text = change.new
            run.append(t)
            if change.before:
                anchor.addprevious(run)
            else:
                anchor.addnext(run)
            ident += 1
            _wrap(run, "ins", change.author, ident)
    for note in notes:
        paragraph = find(document, note.starts, note.heading)
        if note.on:
            _b, run, _a = _split(paragraph, note.on)
            runs = [r for r in paragraph.runs if r._r is run]
            document.add_comment(runs, text=note.text, author=note.author, initials="BC")
        else:
            comment = document.add_comment(paragraph.runs[-1], text=note.text, author=note.author)
            # a point comment: no range, only the reference (as Word writes one on a caret)
            body = paragraph._p
            for el in list(body.iter(W + "commentRangeStart", W + "commentRangeEnd")):
                if el.get(W + "id") == str(comment.comment_id):
                    el.getparent().remove(el)
    document.save(str(target))
    return target
