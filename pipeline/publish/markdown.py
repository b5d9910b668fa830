"""One Markdown file of a document's context, for pandoc's HTML, EPUB and ODT writers.

Pandoc's docx reader drops Word bookmarks, so converting the .docx would break every internal
link. Instead the context's blocks are written out again as Markdown in template order: block
headings shifted by their offset and given explicit ids (the same names as the .docx
bookmarks), links between KB articles rewritten to those ids when the target is in the
document (else kept as plain text). Images are left as written: each block with a folder is
wrapped in a fenced ``Div`` whose ``netdocs-base`` attribute (a per-run secret token and the
block's number) says where its images are looked up; the bases themselves are written beside
the Markdown (:func:`read_bases`), so an article cannot forge one. :mod:`.formats` vets the
images there with :mod:`pipeline.render.media` and removes the wrappers.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..kb.model import slugify
from ..render import MarkdownBlock, bookmark_name
from ..render.catalog import Part
from ..render.media import Base, block_base

BASE_ATTRIBUTE = "netdocs-base"
"""Attribute of the fenced Div around a block: ``TOKEN-N``, N the block's base number."""
_WRAP = "::::::::::"

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
        bang, text, href = m.group(1), m.group(2), m.group(3)
        if bang:  # an image: vetted later, where pandoc has read it (see .formats)
            return m.group(0)
        if re.match(r"^[a-zA-Z][\w+.-]*:", href):
            return m.group(0)
        key = block.resolve(href)
        if key and key in known:
            return f"[{text}](#{bookmark_name(key)})"
        return text  # the target is not in this document: plain text, as in the .docx

    return _LINK.sub(fix, line)


def document_markdown(
    context: dict[str, Any], parts: Sequence[Part], title: str, token: str = ""
) -> tuple[str, list[Base]]:
    """The document as one Markdown file (commonmark_x), parts in template order, and the
    bases of its wrapped blocks (see the module's docstring)."""
    token = token or secrets.token_hex(8)
    blocks = [(p, _blocks(context.get(p.name))) for p in parts]
    known = {k for _p, bs in blocks for b in bs for k in _keys(b)}
    out = []
    bases: list[Base] = []
    for part, bs in blocks:
        if part.heading:
            out.append(f"# {part.heading} {{#{bookmark_name('part:' + part.name)}}}")
        for b in bs:
            text = _rewrite(b, known)
            if b.folder is not None:
                attr = f'{{{BASE_ATTRIBUTE}="{token}-{len(bases)}"}}'
                bases.append(block_base(b.folder, b.anchor, b.name))
                text = f"{_WRAP} {attr}\n{text}\n\n{_WRAP}"
            out.append(text)
    return "\n\n".join(out) + "\n", bases


def bases_file(markdown: Path) -> Path:
    """The file beside ``markdown`` that holds its token and bases."""
    return markdown.with_name(markdown.name + ".bases.json")


def write_markdown(
    context: dict[str, Any], parts: Sequence[Part], title: str, target: Path
) -> Path:
    """Write the document's Markdown to ``target`` and its bases beside it."""
    token = secrets.token_hex(8)
    text, bases = document_markdown(context, parts, title, token)
    record = {
        "token": token,
        "bases": [[str(b.root) if b.root else None, b.folder, b.name] for b in bases],
    }
    bases_file(target).write_text(json.dumps(record), encoding="utf-8")
    target.write_text(text, encoding="utf-8")
    return target


def read_bases(markdown: Path) -> tuple[str, list[Base]]:
    """``(token, bases)`` written beside ``markdown``; none when there is no such file."""
    try:
        record = json.loads(bases_file(markdown).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "", []
    bases = [Base(Path(r) if r else None, f, n) for r, f, n in record["bases"]]
    return str(record["token"]), bases
