"""A cluster coordinator's narrative text as safe Markdown for the progress report.

Coordinators write the narrative of their cluster's progress report in the network data
(:class:`~pipeline.network.model.Narrative`), as Markdown. That text is data, not a KB article:
it is not linted and it is not trusted. :func:`safe_markdown` reads it with markdown-it
(CommonMark) and writes it again from what the report allows, every piece of text escaped:

- paragraphs, bullet and numbered lists (nested), block quotes, emphasis and strong emphasis;
- links whose target has a scheme netdocs allows (:data:`~pipeline.kb.sanitize.URL_SCHEMES`:
  ``https:``, ``mailto:``...); any other link keeps its text only;
- headings, shifted below the section they are written in (the shallowest one written becomes
  the level just under the section's heading, deeper ones one more, never deeper), so that no
  coordinator's ``# Heading`` breaks the document's outline;
- code, as its plain text.

What is left out: raw HTML (an HTML block keeps its plain text, ``<script>`` and ``<style>``
with theirs removed; an inline tag is dropped, the text around it kept), images (their alt
text is kept), thematic breaks. Parser tokens never leave this module.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from ..kb.sanitize import URL_SCHEMES

_PARSER = MarkdownIt("commonmark", {"maxNesting": 20})
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_URL_SAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&'*+,;=%]")


def escaped(text: str) -> str:
    """``text`` as literal Markdown: runs of white space folded into one space (kept at the
    ends, so that words stay apart from the emphasis around them), punctuation escaped."""
    return _PUNCT.sub(r"\\\1", re.sub(r"\s+", " ", text))


def safe_markdown(text: str, top: int = 2) -> str:
    """``text`` (a coordinator's Markdown) rewritten with only what the report allows (see the
    module docstring); its headings start at level ``top`` (``##`` for 2) and go one deeper
    at most. ``''`` when nothing printable is left."""
    tree = SyntaxTreeNode(_PARSER.parse(text))
    levels = [_level(n) for n in _walk(tree) if n.type == "heading"]
    shallowest = min(levels, default=1)
    blocks = [b for b in (_block(n, top, shallowest) for n in tree.children) if b]
    return "\n\n".join(blocks)


def _walk(node: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    out = [node]
    for child in node.children:
        out += _walk(child)
    return out


def _level(node: SyntaxTreeNode) -> int:
    return int(node.tag[1:]) if node.tag[1:].isdigit() else 1


def _block(node: SyntaxTreeNode, top: int, shallowest: int) -> str:
    kind = node.type
    if kind == "paragraph":
        return _inlines(node).strip()
    if kind == "heading":
        words = _inlines(node).strip()
        level = top + min(1, _level(node) - shallowest)
        return f"{'#' * level} {words}" if words else ""
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, top, shallowest)
    if kind == "blockquote":
        inner = "\n\n".join(b for b in (_block(c, top, shallowest) for c in node.children) if b)
        return "\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))
    if kind in ("code_block", "fence"):
        lines = [escaped(line).strip() for line in node.content.splitlines() if line.strip()]
        return "\\\n".join(lines)
    if kind == "html_block":
        return escaped(nh3.clean(node.content, tags=set())).strip()
    return ""  # hr, and anything else not allowed


def _list(node: SyntaxTreeNode, top: int, shallowest: int) -> str:
    ordered = node.type == "ordered_list"
    first = int(str(node.attrs.get("start", 1))) if ordered else 1
    tight = all(c.type != "paragraph" or c.hidden for i in node.children for c in i.children)
    gap = "\n" if tight else "\n\n"
    items = []
    for i, item in enumerate(node.children):
        marker = f"{first + i}. " if ordered else "- "
        body = gap.join(b for b in (_block(c, top, shallowest) for c in item.children) if b)
        if not body:
            continue
        pad = " " * len(marker)
        lines = body.split("\n")
        items.append(
            "\n".join([marker + lines[0]] + [pad + line if line else "" for line in lines[1:]])
        )
    return gap.join(items)


def _inlines(node: SyntaxTreeNode) -> str:
    return "".join(_inline(c) for c in node.children)


def _inline(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "inline":
        return _inlines(node)
    if kind == "text":
        return escaped(node.content)
    if kind in ("softbreak", "hardbreak"):
        return " "
    if kind == "code_inline":
        return escaped(node.content)
    if kind == "em":
        inner = _inlines(node)
        return f"*{inner}*" if inner.strip() else inner
    if kind == "strong":
        inner = _inlines(node)
        return f"**{inner}**" if inner.strip() else inner
    if kind == "link":
        inner = _inlines(node)
        href = str(node.attrs.get("href", ""))
        scheme = _SCHEME.match(href)
        if scheme and scheme.group(1).lower() in URL_SCHEMES and inner.strip():
            return f"[{inner}]({_URL_SAFE.sub(_percent, href)})"
        return inner
    if kind == "image":
        return _inlines(node)  # its alt text
    return ""  # raw inline HTML


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group(0).encode("utf-8"))
