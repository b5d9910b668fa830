"""Images in pandoc's document model: vetted by :mod:`pipeline.kb.resources`, then embedded
from pandoc's media bag while pandoc itself runs in ``--sandbox`` (it reads no file but its
input, template and filters; an image it was not handed is dropped, never fetched).

Every format goes the same way: pandoc parses the Markdown to its JSON model, and the document
model (:mod:`.model`) hands every ``Image`` there (inline, reference-style or in a table, as
pandoc read it) to :func:`vet_image`, which asks :func:`~pipeline.kb.resources.check_image`
about it from the base of its block (:func:`block_base`), and

- a vetted file gets a content-named media key (``media/<sha256>.png``) that the writer reads
  from the media bag (:data:`MEDIA_FILTER`, ``filters/media.lua``, loads exactly the files
  listed in the metadata);
- an ``http(s):`` image becomes a link (nothing is fetched while building);
- a refused image becomes its alt text, with a warning saying why.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from ..fs import sha256_file
from ..kb.resources import REMOTE_SCHEMES, ImageCheck, check_image, split_target

MEDIA_KEY = "netdocs-media"
"""Metadata field (a map: media key -> vetted file) :data:`MEDIA_FILTER` reads."""

MEDIA_FILTER = Path(__file__).with_name("filters") / "media.lua"
"""The Lua filter that puts the vetted files into the media bag (filters are not sandboxed)."""


@dataclass(frozen=True)
class Base:
    """Where the images of some Markdown are looked up."""

    root: Path | None
    """The knowledge-base folder images must stay in (``None``: no local images at all)."""
    folder: str = ""
    """KB-relative folder the Markdown was written in."""
    name: str = ""
    """What warnings call the Markdown (an article id)."""


def block_base(folder: Path | None, anchor: str | None, name: str) -> Base:
    """The base of a Markdown block from its folder and its KB-relative article path: the
    knowledge base is the folder that many levels up (or the folder itself)."""
    if folder is None:
        return Base(None, "", name)
    kb_folder = str(PurePosixPath(anchor).parent) if anchor and anchor.endswith(".md") else ""
    kb_folder = "" if kb_folder == "." else kb_folder
    depth = len(PurePosixPath(kb_folder).parts) if kb_folder else 0
    if depth and folder.as_posix().endswith("/" + kb_folder) and len(folder.parents) >= depth:
        return Base(folder.parents[depth - 1], kb_folder, name)
    return Base(folder, "", name)


@dataclass
class Vetting:
    """What :func:`vet_image` did to one document's images."""

    media: dict[str, str] = field(default_factory=dict)
    """Media key -> vetted file, for :data:`MEDIA_FILTER`."""
    warnings: list[str] = field(default_factory=list)
    """One line per image not embedded."""


def vet_image(node: dict[str, Any], base: Base | None, done: Vetting) -> dict[str, Any]:
    """One ``Image`` node of pandoc's JSON vetted from ``base``: the node to put in its place
    (images in its alt text are vetted too); the vetted file or the warning go to ``done``."""
    attr, alt, (src, title) = node["c"]
    alt = _walk(alt, base, done)
    if base is None or base.root is None:
        remote = split_target(src)[0] in REMOTE_SCHEMES
        checked = ImageCheck(
            src,
            url=src if remote else None,
            problem=None if remote else f"image '{src}': this Markdown cannot embed files",
        )
    else:
        checked = check_image(src, base.folder, base.root)
    if checked.url is not None:
        return {"t": "Link", "c": [attr, alt, [checked.url, title]]}
    if checked.path is None:
        who = f"{base.name}: " if base is not None and base.name else ""
        done.warnings.append(f"{who}{checked.problem} (its alt text is shown instead)")
        return {"t": "Span", "c": [attr, alt]}
    key = media_key(checked.path)
    done.media[key] = str(checked.path)
    return {"t": "Image", "c": [attr, alt, [key, title]]}


def _walk(node: Any, base: Base | None, done: Vetting) -> Any:
    if isinstance(node, list):
        return [_walk(n, base, done) for n in node]
    if not isinstance(node, dict):
        return node
    if node.get("t") == "Image":
        return vet_image(node, base, done)
    if "c" in node:
        node["c"] = _walk(node["c"], base, done)
    return node


def media_meta(media: dict[str, str]) -> dict[str, Any]:
    """The metadata value :data:`MEDIA_FILTER` reads for the vetted files ``media``."""
    return {
        "t": "MetaMap",
        "c": {k: {"t": "MetaString", "c": v} for k, v in sorted(media.items())},
    }


def media_key(path: Path) -> str:
    """The media bag key of a vetted file: named by its content, the same for the same bytes."""
    stat = path.stat()
    return _media_key(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4096)
def _media_key(path: Path, _size: int, _mtime_ns: int) -> str:
    """:func:`media_key`, hashed once per file version (an image shown in many articles)."""
    digest = sha256_file(path)[:20]
    return f"media/{digest}{path.suffix.lower()}"


def images(doc: dict[str, Any]) -> Iterator[str]:
    """Sources of every image of a pandoc JSON document (for tests and checks)."""
    stack: list[Any] = [doc["blocks"]]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if node.get("t") == "Image":
                yield node["c"][2][0]
            if "c" in node:
                stack.append(node["c"])
