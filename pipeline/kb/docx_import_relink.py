"""Imported articles' headings shifted under their title, and their links and pictures
pointed at the articles and files of the knowledge base (``kb import``)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from typing import Any

Node = dict[str, Any]


def shift_headings(blocks: list[Node]) -> list[Node]:
    """``blocks`` (the article's title heading first, when it has one) with the headings after
    the title shifted so that the highest of them is ``##``."""
    inner = [b["c"][0] for b in blocks[1:] if b.get("t") == "Header"]
    if not inner:
        return blocks
    shift = min(inner) - 2
    out = blocks[:1]
    for block in blocks[1:]:
        if block.get("t") == "Header":
            level, attr, content = block["c"]
            block = {"t": "Header", "c": [max(2, min(6, level - shift)), attr, content]}
        out.append(block)
    return out


def relink(
    blocks: list[Any],
    resolve: Callable[[str], str | None],
    image_href: Callable[[str], tuple[str, bool] | None],
) -> list[Any]:
    """``blocks`` with each internal link (``#bookmark``) pointed by ``resolve`` at the article
    holding its target (or taken apart into its text when there is none), and each picture's
    path made by ``image_href``: (href, embeddable); a picture the knowledge base cannot embed
    becomes a link to its file, one left out (None) its alt text."""

    def walk(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, list):
                out.append(walk(item))
            elif isinstance(item, dict) and "t" in item:
                out.extend(one(item))
            else:
                out.append(item)
        return out

    def one(node: Node) -> list[Node]:
        kind = node["t"]
        if kind == "Link":
            attr, content, (href, title) = node["c"]
            content = walk(content)
            if href.startswith("#"):
                target = resolve(href[1:])
                if target is None:
                    return list(content)
                href = target
            return [{"t": "Link", "c": [attr, content, [href, title]]}]
        if kind == "Image":
            attr, alt, (src, title) = node["c"]
            alt = walk(alt)
            found = image_href(src)
            if found is None:
                return list(alt)
            href, embeddable = found
            if not embeddable:
                text = alt or [{"t": "Str", "c": posixpath.basename(href)}]
                return [{"t": "Link", "c": [attr, text, [href, title]]}]
            return [{"t": "Image", "c": [attr, alt, [href, title]]}]
        if "c" in node and isinstance(node["c"], list):
            return [{"t": kind, "c": walk(node["c"])}]
        return [node]

    return walk(blocks)
