"""Make a reviewed document with pandoc's docx writer: the edition's recorded Markdown
(``source/<stem>.md``) with tracked changes written as pandoc ``insertion``/``deletion`` spans,
each block in a Div whose id is its Word bookmark (and each section heading with its own),
the document's custom properties given as metadata."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.documents.source import MARKER_RE, read_source_map
from pipeline.render.pandoc import MARKDOWN_FORMAT, run_pandoc

DATE = "2026-11-03T10:00:00Z"


@dataclass(frozen=True)
class Span:
    """A tracked change in the block ``key``: ``old`` deleted (its first place in the block)
    and ``new`` inserted in its place, or ``new`` inserted just after ``after``."""

    key: str
    old: str = ""
    new: str = ""
    after: str = ""
    author: str = "Ana Silva"


def span(kind: str, text: str, author: str = "Ana Silva") -> str:
    """A pandoc ``insertion`` or ``deletion`` span (a tracked change in the .docx)."""
    return f'[{text}]{{.{kind} author="{author}" date="{DATE}"}}'


def _marked(change: Span) -> tuple[str, str]:
    """What to replace in the block's Markdown, and with what."""
    new = span("insertion", change.new, change.author) if change.new else ""
    if change.old:
        return change.old, span("deletion", change.old, change.author) + new
    return change.after, change.after + new


def reviewed_markdown(edition: Path, stem: str, spans: Sequence[Span], bookmarks: bool) -> str:
    """``source/<stem>.md`` of ``edition`` with ``spans`` written in and (``bookmarks``) each
    block wrapped in a Div with its bookmark as id, each section heading given its own."""
    source_map = read_source_map(edition / "source" / f"{stem}.map.json")
    lines = (edition / "source" / f"{stem}.md").read_text(encoding="utf-8").split("\n")
    blocks = {b.key: b for b in source_map.blocks}
    markers = [i for i, line in enumerate(lines) if MARKER_RE.match(line)]
    ends = markers[1:] + [len(lines)]
    out = lines[: markers[0]]
    used: set[Span] = set()
    for start, end in zip(markers, ends, strict=True):
        key = MARKER_RE.match(lines[start]).group("key")  # type: ignore[union-attr]
        block = blocks[key]
        body = lines[start + 1 : end]
        tail: list[str] = []
        if end < len(lines):  # the next part's heading goes after the Div
            nxt = blocks[MARKER_RE.match(lines[end]).group("key")]  # type: ignore[union-attr]
            while body and not body[-1].strip():
                tail.insert(0, body.pop())
            if nxt.part_heading and body and body[-1] == f"# {nxt.part_heading}":
                tail.insert(0, body.pop())
                while body and not body[-1].strip():
                    tail.insert(0, body.pop())
        text = "\n".join(body)
        for change in spans:
            if change.key == key:
                what, into = _marked(change)
                assert what in text, f"{what!r} is not in the block {key}"
                text = text.replace(what, into, 1)
                used.add(change)
        if not bookmarks:  # a glossary term's bookmark ([Term]{#id}) goes too
            text = _ANCHOR.sub(r"\1", text)
        else:
            text = _heading_ids(text, [s.title for s in block.sections],
                                [s.bookmark for s in block.sections])  # fmt: skip
            text = f"::::::: {{#{block.bookmark}}}\n\n{text}\n\n:::::::"
        out += [lines[start], text, *tail]
    assert used == set(spans), f"not written: {set(spans) - used}"
    return "\n".join(out)


_ANCHOR = re.compile(r"\[([^\[\]]*)\]\{#[^}\s]+\}")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


def _heading_ids(text: str, titles: list[str], bookmarks: list[str]) -> str:
    """The headings of ``text`` that are the block's sections, in order, given their
    bookmark as id (a section the block does not print, an article's title the template's
    part heading stands for, is passed)."""
    lines = text.split("\n")
    headings: list[int] = []
    fence = ""
    for i, line in enumerate(lines):
        if line.startswith(("```", "~~~")):
            fence = "" if fence else line[:3]
        elif not fence and _HEADING.match(line):
            headings.append(i)
    at = 0
    given = 0
    for title, bookmark in zip(titles, bookmarks, strict=True):
        for n in range(at, len(headings)):
            m = _HEADING.match(lines[headings[n]])
            if m and m.group(2) == title:
                lines[headings[n]] += f" {{#{bookmark}}}"
                at, given = n + 1, given + 1
                break
    assert given >= len(titles) - 1, f"sections not found in {titles}"
    return "\n".join(lines)


def pandoc_reviewed(
    edition: Path,
    target: Path,
    spans: Sequence[Span],
    *,
    stem: str = "handbook",
    bookmarks: bool = True,
    properties: bool = True,
    extra: str = "",
) -> Path:
    """The reviewed ``stem`` document of ``edition`` written by pandoc to ``target``; without
    ``bookmarks`` it has none at all (no Div ids, no heading ids), without ``properties``
    no custom document properties; ``extra``: Markdown the reviewer added at the end."""
    markdown = reviewed_markdown(edition, stem, spans, bookmarks) + "\n\n" + extra
    source_map = read_source_map(edition / "source" / f"{stem}.map.json")
    reader = MARKDOWN_FORMAT + ("" if bookmarks else "-gfm_auto_identifiers")
    args = ["-f", reader, "-t", "docx", "-o", "-"]
    if properties:
        args += ["-M", f"netdocs-edition={source_map.edition}",
                 "-M", f"netdocs-document={source_map.document}"]  # fmt: skip
    data, _warnings = run_pandoc(args, "pandoc could not write the reviewed document: ",
                                 stdin=markdown.encode("utf-8"))  # fmt: skip
    target.write_bytes(data)
    return target
