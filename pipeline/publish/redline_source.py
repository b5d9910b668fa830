"""What a redline compares: an edition's record of a document's Markdown, cut into its blocks.

An edition records the Markdown each .docx was built from in ``source/<stem>.md``: each
template part's heading as ``# Heading``, then each block's Markdown, every block after a
marker line ``<!-- netdocs-block: KEY -->`` (KEY: the article's KB path, ``block:NAME`` for
generated text). :func:`read_units` cuts that file into :class:`Unit` s: the part headings
(``part:Heading``, so that a block added at the end of a part does not carry the next part's
heading with it) and the blocks, each read on its own by pandoc later. Marker lines inside
fenced code are text, not markers.

:class:`Edition` is what a redline needs to know of an edition folder: its name, display
title, as-of day and the network's short name (from its manifest and data snapshot, read
leniently: a redline of an edition whose manifest is damaged still shows its text).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..config import title_from_slug
from ..documents.source import FOLDER, MARKER_RE, source_paths
from ..errors import NetdocsError, NotFoundError
from .manifest import read_manifest

if TYPE_CHECKING:
    from ..documents.source import SourceBlock

SOURCE = FOLDER
"""The folder of an edition holding the Markdown its documents were built from."""

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_PART = re.compile(r"^# +(?P<title>.+?)\s*#*\s*$")


@dataclass(frozen=True)
class Unit:
    """One block of a document's Markdown (or the heading of a template part)."""

    key: str
    """The article's KB path, ``block:NAME`` for generated text, ``part:Heading`` for a part's
    heading, ``""`` for text before the first marker that is not a part heading."""
    text: str
    """Its Markdown."""
    line: int
    """1-based line in ``source/<stem>.md`` where it starts (the marker's line)."""

    @property
    def is_part(self) -> bool:
        return self.key.startswith("part:")


def source_path(edition: Path, stem: str) -> Path:
    """Where an edition records the Markdown of its document ``stem``."""
    return edition / source_paths(stem)[0]


def map_path(edition: Path, stem: str) -> Path:
    """Where an edition records the source map of its document ``stem``."""
    return edition / source_paths(stem)[1]


def has_sources(edition: Path) -> bool:
    """Does the edition record the Markdown of its documents (netdocs 0.2 on)?"""
    return (edition / SOURCE).is_dir()


def read_units(path: Path, part_lines: set[int] | None = None) -> list[Unit]:
    """The units of a ``source/<stem>.md``, in document order. ``part_lines``: the lines of
    the part headings, when the source map says (:func:`part_heading_lines`); else a level-1
    heading just before a marker (or before the first one) is taken for one."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"{path}: not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NetdocsError(f"{path}: cannot be read ({exc})") from None
    return split_units(text, part_lines)


def split_units(text: str, part_lines: set[int] | None = None) -> list[Unit]:
    """:func:`read_units` of the text of a source file."""
    preamble: list[str] = []
    chunks: list[tuple[str, int, list[str]]] = []
    fence = ""
    for number, line in enumerate(text.splitlines(), start=1):
        found = _FENCE.match(line)
        if fence:
            if found and found.group(1)[0] == fence[0] and len(found.group(1)) >= len(fence):
                fence = ""
        elif found:
            fence = found.group(1)
        else:
            marker = MARKER_RE.match(line)
            if marker:
                chunks.append((marker.group("key").strip(), number, []))
                continue
        (chunks[-1][2] if chunks else preamble).append(line)
    units = _leading_parts(preamble, part_lines)
    for index, (key, start, lines) in enumerate(chunks):
        last = index == len(chunks) - 1
        body, parts = (lines, []) if last else _peel_part_headings(lines, start, part_lines)
        units.append(Unit(key, "\n".join(body).strip("\n") + "\n", start))
        units += parts
    return units


def _peel_part_headings(
    lines: list[str], marker_line: int, part_lines: set[int] | None
) -> tuple[list[str], list[Unit]]:
    """A block's lines without the part headings at their end (the next part's heading is
    written just before the next marker), and those headings as units."""
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    parts: list[Unit] = []
    while end:
        heading = _PART.match(lines[end - 1])
        if not heading or (part_lines is not None and marker_line + end not in part_lines):
            break
        parts.insert(0, _part(heading, lines[end - 1], marker_line + end))
        end -= 1
        while end and not lines[end - 1].strip():
            end -= 1
    return lines[:end], parts


def _part(heading: re.Match[str], line: str, number: int) -> Unit:
    return Unit(f"part:{heading.group('title')}", line + "\n", number)


def _leading_parts(lines: list[str], part_lines: set[int] | None) -> list[Unit]:
    """The text before the first marker: each ``# Heading`` a part of its own, any other
    text a unit with the key ``""``."""
    out: list[Unit] = []
    current: list[str] = []
    first = 1
    for number, text in enumerate(lines, start=1):
        heading = _PART.match(text)
        if not heading or (part_lines is not None and number not in part_lines):
            if not current:
                first = number
            current.append(text)
            continue
        if "".join(current).strip():
            out.append(Unit("", "\n".join(current).strip("\n") + "\n", first))
        out.append(_part(heading, text, number))
        current = []
    if "".join(current).strip():
        out.append(Unit("", "\n".join(current).strip("\n") + "\n", first))
    return out


def _map_blocks(map_path: Path) -> list[SourceBlock] | None:
    """The blocks of the source map ``map_path`` (None when there is none or it cannot be
    read: the redline then works from the Markdown alone)."""
    if not map_path.is_file():
        return None
    from ..documents.source import read_source_map

    try:
        return read_source_map(map_path).blocks
    except NetdocsError:
        return None


def part_heading_lines(map_path: Path) -> set[int] | None:
    """The lines of ``source/<stem>.md`` holding a part's heading, from the source map beside
    it (None when there is none or it cannot be read: the headings are then recognised)."""
    blocks = _map_blocks(map_path)
    if blocks is None:
        return None
    lines: set[int] = set()
    seen: set[str] = set()
    for block in blocks:
        if block.part not in seen and block.part_heading:
            lines.add(block.markdown_line - 2)  # "# Heading", a blank line, the marker
        seen.add(block.part)
    return lines


def article_ids(map_path: Path) -> dict[str, str]:
    """Block key -> article id of the articles the source map ``map_path`` records (empty
    when there is none)."""
    return {b.key: b.article for b in _map_blocks(map_path) or [] if b.article}


# -- the edition -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edition:
    """What a redline says of an edition."""

    folder: Path
    name: str
    """Its folder name (``2026-annual-meeting``)."""
    title: str
    """Its display name (``2026 Annual Meeting``; made from its name when its manifest does
    not say)."""
    as_of: str | None
    """The day its figures are computed for (ISO), when recorded."""
    network_short: str | None
    """The network's short name, from its data snapshot."""
    titles: dict[str, str]
    """KB path -> title of the articles it was built from (its manifest's ``kb``)."""
    ids: dict[str, str]
    """KB path -> id of those articles."""


def read_edition(folder: Path, name: str | None = None) -> Edition:
    """The :class:`Edition` of an edition folder (or of a staging folder, whose name is given)."""
    manifest = read_manifest(folder)
    edition = name or (manifest.edition if manifest and manifest.edition else folder.name)
    title = (manifest.title if manifest else "") or title_from_slug(edition)
    as_of = manifest.as_of if manifest and manifest.as_of else None
    kb = manifest.kb if manifest else {}
    titles = {r.path: r.title for r in kb.values()}
    ids = {r.path: i for i, r in kb.items()}
    return Edition(folder, edition, title, as_of, _network_short(folder), titles, ids)


def _network_short(folder: Path) -> str | None:
    try:
        data = json.loads((folder / "data-snapshot.json").read_text(encoding="utf-8"))
        short = data["data"]["network"]["short_name"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return short.strip() if isinstance(short, str) and short.strip() else None
