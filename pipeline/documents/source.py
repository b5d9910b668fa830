"""What a .docx was built from, recorded in its edition: its Markdown and its source map.

Every document of an edition leaves, beside its files, ``source/<stem>.md`` and
``source/<stem>.map.json`` (:func:`source_paths`):

- the **Markdown** is the document as one Markdown text: each template part with a heading as
  ``# Heading``, then each block (a KB article, or text netdocs generated from the data) with its
  headings shifted by the block's level, each block after a marker line
  ``<!-- netdocs-block: KEY -->`` (:data:`MARKER`). Two editions' Markdown give the redline
  between them (:mod:`pipeline.publish.redline`).
- the **source map** (:class:`SourceMap`) lists the blocks in document order with the Word
  bookmark each starts with (:func:`pipeline.render.model.block_key`), the KB article and line it
  came from and its sections' headings, lines and bookmarks: what ``netdocs review import`` needs
  to trace a reviewer's comment back to the article and line it concerns.

:func:`document_source` makes both from a document's plan; :func:`read_source_map` reads a map.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, UsageError

FORMAT = 1
"""The version of the source map's layout."""
MARKER = "<!-- netdocs-block: {key} -->"
"""The line before each block of ``source/<stem>.md``."""
MARKER_RE = re.compile(r"^<!-- netdocs-block: (?P<key>.+?) -->[ \t\r]*$", re.MULTILINE)
"""A marker line (``key`` group); ``match`` one line, or ``finditer`` a whole text."""
FOLDER = "source"
"""The edition's folder of source records."""


@dataclass(frozen=True)
class SourceSection:
    """One heading of a KB article placed in the document."""

    title: str
    """The heading's text as written in the article."""
    level: int
    """Its level in the article (``##`` = 2)."""
    line: int
    """1-based line of the heading in the article file."""
    bookmark: str
    """The Word bookmark name of the heading in the .docx."""


@dataclass(frozen=True)
class SourceBlock:
    """One block of a document: a KB article, or text netdocs generated."""

    key: str
    """The article's KB path (``roles/convener.md``), or ``block:NAME`` for generated text."""
    bookmark: str
    """The Word bookmark name at the block's start in the .docx."""
    part: str
    """The template variable (part) the block belongs to."""
    part_heading: str | None
    """The Heading 1 the template prints before that part, if any."""
    name: str
    """The block's name (an article's id; ``membership``, ``step-3-lesson``...)."""
    article: str | None
    """The article's id; ``None`` for generated text."""
    path: str | None
    """The article's KB path; ``None`` for generated text."""
    line: int | None
    """1-based line of the article file where its body starts."""
    markdown_line: int
    """1-based line of the block's marker in ``source/<stem>.md``."""
    heading_offset: int
    """Levels added to the block's headings in the document."""
    sections: list[SourceSection] = field(default_factory=list)
    """The article's headings (none for generated text)."""


@dataclass(frozen=True)
class SourceMap:
    """Where every block of one .docx came from."""

    edition: str
    """The edition's folder name."""
    document: str
    """The document type."""
    cluster: str | None
    """The cluster of a per-cluster document."""
    docx: str
    """The .docx's path in the edition (``handbook.docx``)."""
    blocks: list[SourceBlock]
    """In document order."""

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **asdict(self)}, ensure_ascii=False, indent=1) + "\n"

    def by_bookmark(self) -> dict[str, SourceBlock]:
        return {b.bookmark: b for b in self.blocks}


@dataclass(frozen=True)
class DocumentSource:
    """A document's recorded source: its Markdown and its map."""

    markdown: str
    map: SourceMap


def source_paths(docx: str) -> tuple[str, str]:
    """The edition-relative paths of the Markdown and the map of the .docx ``docx`` (or of
    its stem: ``handbook``, ``clusters/action-plan-africa``)."""
    stem = docx[: -len(".docx")] if docx.endswith(".docx") else docx
    return f"{FOLDER}/{stem}.md", f"{FOLDER}/{stem}.map.json"


def _shift(text: str, offset: int) -> str:
    """``text`` with each ATX heading outside fenced code ``offset`` levels deeper (at most 6)."""
    if offset <= 0:
        return text
    out: list[str] = []
    fence = ""
    for line in text.split("\n"):
        stripped = line.lstrip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if marker and (not fence or marker.group(1)[0] == fence[0]):
            fence = "" if fence else marker.group(1)
        elif not fence:
            heading = re.match(r"(#{1,6})(\s)", line)
            if heading:
                level = min(6, len(heading.group(1)) + offset)
                line = "#" * level + line[len(heading.group(1)) :]
        out.append(line)
    return "\n".join(out)


def _placed(context: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The Markdown blocks of ``context`` with the part they are in, in the order the renderer
    meets them (:func:`pipeline.render.values.replace_rich`: the .docx's order)."""
    from ..render.values import MarkdownBlock, replace_rich

    found: list[tuple[str, Any]] = []

    def note(value: Any, where: str) -> Any:
        if isinstance(value, MarkdownBlock):
            found.append((re.split(r"[.\[]", where, maxsplit=1)[0], value))
        return value

    replace_rich(context, "", note)
    return found


def document_source(
    context: Mapping[str, Any],
    parts: Sequence[Any],
    kb: Any,
    *,
    edition: str,
    document: str,
    cluster: str | None,
    docx: str,
) -> DocumentSource:
    """The Markdown and source map of a document whose context is ``context`` (the template's
    ``parts`` name its headings; ``kb``, the knowledge base it was built from, gives the
    articles' lines)."""
    from ..render.bookmarks import bookmark_name
    from ..render.model import block_key, unique_id

    headings = {p.name: p.heading for p in parts}
    by_path = kb.by_path()
    lines: list[str] = []
    blocks: list[SourceBlock] = []
    used: set[str] = set()
    part_done: set[str] = set()
    for index, (part, block) in enumerate(_placed(context)):
        heading = headings.get(part)
        if heading and part not in part_done:
            lines += [f"# {heading}", ""]
        part_done.add(part)
        key = block_key(block, index)
        bookmark = unique_id(bookmark_name(key), used)  # as the Word model names it
        article = by_path.get(block.anchor) if block.anchor else None
        sections = []
        if article is not None:
            sections = [
                SourceSection(s.title, s.level, s.line, bookmark_name(f"{article.path}#{s.anchor}"))
                for s in article.sections
                if s.level > 0
            ]
        blocks.append(
            SourceBlock(
                key=key,
                bookmark=bookmark,
                part=part,
                part_heading=heading,
                name=block.name,
                article=article.id if article is not None else None,
                path=article.path if article is not None else None,
                line=article.body_line if article is not None else None,
                markdown_line=len(lines) + 1,
                heading_offset=block.heading_offset,
                sections=sections,
            )
        )
        lines += [MARKER.format(key=key), ""]
        text = _shift(block.text.strip("\n"), block.heading_offset)
        lines += [*text.split("\n"), ""]
    source_map = SourceMap(edition, document, cluster, docx, blocks)
    return DocumentSource("\n".join(lines).rstrip("\n") + "\n", source_map)


def read_source_map(path: Path) -> SourceMap:
    """The source map in ``path``; :class:`NotFoundError` when there is none,
    :class:`UsageError` when it cannot be read (naming the file and the field)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFoundError(
            f"{path}: no source map; the edition was published by an older netdocs: publish "
            "it again"
        ) from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable source map ({exc}); publish again") from exc
    try:
        if raw.get("format") != FORMAT:
            raise UsageError(
                f"{path}: a source map of format {raw.get('format')!r}, this netdocs reads "
                f"format {FORMAT}; publish the edition again"
            )
        blocks = [
            SourceBlock(**{**b, "sections": [SourceSection(**s) for s in b.get("sections", [])]})
            for b in raw["blocks"]
        ]
        return SourceMap(raw["edition"], raw["document"], raw.get("cluster"), raw["docx"], blocks)
    except (KeyError, TypeError, AttributeError) as exc:
        raise UsageError(
            f"{path}: a damaged source map (field {exc}); publish the edition again"
        ) from exc
