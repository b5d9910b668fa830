"""One Markdown file of a document's context, for pandoc's HTML, EPUB and ODT writers.

Pandoc's docx reader drops Word bookmarks, so converting the .docx would break every internal
link. Instead the context's blocks are written out again as Markdown in template order: block
headings shifted by their offset and given explicit ids (the same names as the .docx
bookmarks), links between KB articles rewritten to those ids when the target is in the
document (else kept as plain text), images given absolute paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..kb.model import slugify
from ..render import MarkdownBlock, bookmark_name
from ..render.catalog import Part

_FENCE = re.compile(r"^(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(\s+\"[^\"]*\")?\s*\)")


def _blocks(value: Any) -> list[MarkdownBlock]:
    if isinstance(value, MarkdownBlock):
        return [value]
    if isinstance(value, (list, tuple)):
        return [v for v in value if isinstance(v, MarkdownBlock)]
    return []


def _keys(block: MarkdownBlock) -> list[str]:
    """Target keys a block defines: its anchor and anchor#heading-id for each heading."""
    if not block.anchor:
        return []
    keys = [block.anchor]
    for line in _lines_outside_code(block.text):
        m = _HEADING.match(line)
        if m:
            keys.append(f"{block.anchor}#{slugify(m.group(2))}")
    return keys


def _lines_outside_code(text: str) -> Iterable[str]:
    fenced = False
    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            yield line


def _rewrite(block: MarkdownBlock, known: set[str]) -> str:
    out: list[str] = []
    fenced = False
    first_heading = True
    seen: dict[str, int] = {}
    for line in block.text.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
        if fenced or _FENCE.match(line.strip()):
            out.append(line)
            continue
        m = _HEADING.match(line)
        if m:
            level = min(6, len(m.group(1)) + block.heading_offset)
            text = m.group(2)
            attrs = ""
            if block.anchor:
                slug = slugify(text)
                n = seen.get(slug, 0)
                seen[slug] = n + 1
                slug = slug if n == 0 else f"{slug}-{n}"
                ids = [bookmark_name(f"{block.anchor}#{slug}")]
                if first_heading:
                    ids.insert(0, bookmark_name(block.anchor))
                attrs = " {#" + ids[-1] + "}"
                if first_heading and len(ids) > 1:
                    text = f"[]{{#{ids[0]}}}{text}"
            first_heading = False
            line = f"{'#' * level} {_links(text, block, known)}{attrs}"
        else:
            line = _links(line, block, known)
        out.append(line)
    return "\n".join(out)


def _links(line: str, block: MarkdownBlock, known: set[str]) -> str:
    def fix(m: re.Match[str]) -> str:
        bang, text, href, title = m.group(1), m.group(2), m.group(3), m.group(4) or ""
        if bang:  # an image: absolute path so pandoc finds it from anywhere
            if block.folder is not None and not re.match(r"^[a-zA-Z][\w+.-]*:", href):
                href = str((block.folder / href).resolve())
            return f"![{text}]({href}{title})"
        if re.match(r"^[a-zA-Z][\w+.-]*:", href):
            return m.group(0)
        key = block.resolve(href)
        if key and key in known:
            return f"[{text}](#{bookmark_name(key)})"
        return text  # the target is not in this document: plain text, as in the .docx

    return _LINK.sub(fix, line)


def document_markdown(context: dict[str, Any], parts: Sequence[Part], title: str) -> str:
    """The document as one Markdown file (commonmark_x), parts in template order."""
    blocks = [(p, _blocks(context.get(p.name))) for p in parts]
    known = {k for _p, bs in blocks for b in bs for k in _keys(b)}
    out = []
    for part, bs in blocks:
        if part.heading:
            out.append(f"# {part.heading} {{#{bookmark_name('part:' + part.name)}}}")
        for b in bs:
            out.append(_rewrite(b, known))
    return "\n\n".join(out) + "\n"


def write_markdown(
    context: dict[str, Any], parts: Sequence[Part], title: str, target: Path
) -> Path:
    target.write_text(document_markdown(context, parts, title), encoding="utf-8")
    return target
