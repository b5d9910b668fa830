"""Markdown blocks to Word XML through pandoc, all blocks of a document in one pandoc run.

Each :class:`~pipeline.render.values.MarkdownBlock` travels to pandoc as a raw block inside a
``Div`` (pandoc's JSON input, which pandoc reads far faster than Markdown); the Lua filter in
:mod:`pipeline.render.lua` parses it with ``pandoc.read``, shifts its headings, prefixes its
heading ids with the block's anchor, marks its relative links for resolution, and ends it with
a boundary paragraph; its images are then vetted (:mod:`.media`). pandoc then writes one .docx
with the template as ``--reference-doc`` (so styles match), which :class:`PandocOutput` splits
back into one list of body elements per block for :mod:`pipeline.render.merge`.

Running pandoc once per document instead of once per article is what keeps a 1,000-article
handbook close to the time pandoc needs for the same Markdown concatenated.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from ..errors import RenderError, ToolMissingError
from .lua import BOUNDARY_PREFIX, LINK_PREFIX, LUA_FILTER, WARNING_PREFIX
from .media import MEDIA_FILTER, Base, block_base, vet
from .values import MarkdownBlock

log = logging.getLogger(__name__)

MARKDOWN_FORMAT = "commonmark_x-smart-tex_math_dollars-emoji-subscript-superscript"
"""pandoc reader: CommonMark + footnotes, pipe tables, definition lists, strikeout, task lists,
attributes, fenced divs; without typographic quotes, ``$math$``, ``:emoji:``, ``~sub~``, ``^sup^``
so that the text comes out as written."""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RT_FOOTNOTES = R + "/footnotes"
RT_NUMBERING = R + "/numbering"
RT_STYLES = R + "/styles"


def pandoc_path() -> str:
    """Path of the pandoc executable bundled with pypandoc-binary (or on PATH)."""
    try:
        import pypandoc
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ToolMissingError("pandoc is needed: pip install pypandoc-binary") from exc
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise ToolMissingError(
            "pandoc is needed and was not found: pip install pypandoc-binary"
        ) from exc


@cache
def _api_version() -> list[int]:
    done = subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "json"],
        input=b"",
        capture_output=True,
        check=True,
    )
    version: list[int] = json.loads(done.stdout)["pandoc-api-version"]
    return version


@dataclass
class Rel:
    """One relationship of a pandoc part."""

    reltype: str
    target: str
    external: bool


@dataclass
class PandocOutput:
    """The parts of pandoc's .docx that blocks are merged from."""

    fragments: list[list[etree._Element]]
    """Body elements of each block, in the order the blocks were given."""
    document_rels: dict[str, Rel]
    footnotes: dict[str, etree._Element] = field(default_factory=dict)
    """``w:footnote`` elements by id (separators excluded)."""
    footnote_rels: dict[str, Rel] = field(default_factory=dict)
    separators: list[etree._Element] = field(default_factory=list)
    """The separator footnotes, for a document that has no footnotes part yet."""
    numbering: etree._Element | None = None
    styles: etree._Element | None = None
    media: dict[str, bytes] = field(default_factory=dict)
    """Media blobs by part name (``word/media/rId13.png``)."""
    warnings: list[str] = field(default_factory=list)


def start_conversion(blocks: Sequence[MarkdownBlock], reference_doc: Path) -> PendingConversion:
    """Start pandoc on ``blocks`` in the background; ``.result()`` waits and parses."""
    return PendingConversion(blocks, reference_doc)


def convert_blocks(blocks: Sequence[MarkdownBlock], reference_doc: Path) -> PandocOutput:
    """Convert ``blocks`` with pandoc in one run, styled by ``reference_doc``."""
    return start_conversion(blocks, reference_doc).result()


class PendingConversion:
    """A pandoc run in progress (so that docxtpl can render the template meanwhile).

    Two sandboxed pandoc runs: the first expands the blocks into pandoc's JSON model (the Lua
    filter of :mod:`.lua`), :func:`~.media.vet` vets its images, the second writes the .docx
    with the vetted images from the media bag (pandoc reads no other file)."""

    def __init__(self, blocks: Sequence[MarkdownBlock], reference_doc: Path) -> None:
        self.count = len(blocks)
        self._bases = [block_base(b.folder, b.anchor, b.name or f"block {i + 1}")
                       for i, b in enumerate(blocks)]  # fmt: skip
        self._reference_doc = reference_doc
        self._tmp = tempfile.TemporaryDirectory(prefix="netdocs-pandoc-")
        folder = Path(self._tmp.name)
        self._out = folder / "blocks.docx"
        self._lua = folder / "netdocs.lua"
        self._lua.write_text(LUA_FILTER, encoding="utf-8")
        self._media_lua = folder / "media.lua"
        self._media_lua.write_text(MEDIA_FILTER, encoding="utf-8")
        document = {
            "pandoc-api-version": _api_version(),
            "meta": {"netdocs-format": {"t": "MetaString", "c": MARKDOWN_FORMAT}},
            "blocks": [_block_json(i, b) for i, b in enumerate(blocks)],
        }
        self._env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "0")}
        command = [pandoc_path(), "--sandbox", "-f", "json", "-t", "json",
                   "--lua-filter", str(self._lua)]  # fmt: skip
        self._proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self._env,
        )
        self._input = json.dumps(document, ensure_ascii=False).encode("utf-8")

    def result(self) -> PandocOutput:
        try:
            expanded, err = self._proc.communicate(self._input)
            stderr = err.decode("utf-8", "replace")
            if self._proc.returncode != 0:
                raise RenderError(f"pandoc failed converting Markdown to Word:\n{stderr.strip()}")
            doc = json.loads(expanded)
            vetting = vet(doc, self._base_of)
            written = subprocess.run(
                [pandoc_path(), "--sandbox", "-f", "json", "-t", "docx",
                 "--reference-doc", str(self._reference_doc),
                 "--lua-filter", str(self._media_lua),
                 "--syntax-highlighting=none", "-o", str(self._out)],
                input=json.dumps(doc, ensure_ascii=False).encode("utf-8"),
                capture_output=True,
                env=self._env,
                check=False,
            )  # fmt: skip
            more = written.stderr.decode("utf-8", "replace")
            if written.returncode != 0:
                raise RenderError(f"pandoc failed converting Markdown to Word:\n{more.strip()}")
            output = _read_output(self._out, self.count)
        finally:
            self._tmp.cleanup()
        output.warnings.extend(vetting.warnings)
        for line in (stderr + "\n" + more).splitlines():
            line = line.strip()
            if line.startswith(WARNING_PREFIX):
                line = line[len(WARNING_PREFIX) :].strip()
            if line:
                output.warnings.append(line)
        return output

    def _base_of(self, div: dict[str, Any]) -> Base | None:
        # an article can write this attribute itself (::: {netdocs-index=x}): only a number
        # naming one of our blocks counts, and every base is a folder of the KB anyway
        for key, value in div["c"][0][2]:
            if key == "netdocs-index" and value.isdigit() and int(value) < len(self._bases):
                return self._bases[int(value)]
        return None


def _block_json(index: int, block: MarkdownBlock) -> dict[str, object]:
    attrs = [
        ["index", str(index)],
        ["offset", str(block.heading_offset)],
        ["anchor", block.anchor or ""],
        ["name", block.name or f"block {index + 1}"],
    ]
    raw = {"t": "RawBlock", "c": ["netdocs-markdown", block.text]}
    return {"t": "Div", "c": [["", ["netdocs-block"], attrs], [raw]]}


def _read_output(path: Path, count: int) -> PandocOutput:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        doc = etree.fromstring(zf.read("word/document.xml"))
        rels = _rels(zf, "word/_rels/document.xml.rels")
        out = PandocOutput(fragments=_split(doc, count), document_rels=rels)
        by_type = {r.reltype: r.target for r in rels.values()}
        if RT_FOOTNOTES in by_type:
            notes = etree.fromstring(zf.read(_word(by_type[RT_FOOTNOTES])))
            for note in notes.iterchildren(f"{{{W}}}footnote"):
                if note.get(f"{{{W}}}type") in ("separator", "continuationSeparator"):
                    out.separators.append(note)
                else:
                    out.footnotes[note.get(f"{{{W}}}id", "")] = note
            out.footnote_rels = _rels(zf, "word/_rels/footnotes.xml.rels")
        if RT_NUMBERING in by_type:
            out.numbering = etree.fromstring(zf.read(_word(by_type[RT_NUMBERING])))
        if RT_STYLES in by_type:
            out.styles = etree.fromstring(zf.read(_word(by_type[RT_STYLES])))
        for name in names:
            if name.startswith("word/media/"):
                out.media[name] = zf.read(name)
    return out


def _word(target: str) -> str:
    return str(PurePosixPath("word") / target)


def _rels(zf: zipfile.ZipFile, name: str) -> dict[str, Rel]:
    if name not in zf.namelist():
        return {}
    root = etree.fromstring(zf.read(name))
    return {
        el.get("Id", ""): Rel(
            el.get("Type", ""), el.get("Target", ""), el.get("TargetMode") == "External"
        )
        for el in root.iterchildren(f"{{{PKG_REL}}}Relationship")
    }


def _split(document: etree._Element, count: int) -> list[list[etree._Element]]:
    body = document.find(f"{{{W}}}body")
    if body is None:
        raise RenderError("pandoc produced a document without a body")
    fragments: list[list[etree._Element]] = [[] for _ in range(count)]
    current: list[etree._Element] = []
    t_tag = f"{{{W}}}t"
    for child in list(body):
        if child.tag == f"{{{W}}}sectPr":
            continue
        if child.tag == f"{{{W}}}p":
            texts = [t.text or "" for t in child.iter(t_tag)]
            if len(texts) == 1 and texts[0].startswith(BOUNDARY_PREFIX):
                index = int(texts[0][len(BOUNDARY_PREFIX) :])
                fragments[index] = current
                current = []
                continue
        current.append(child)
    if current:
        raise RenderError("pandoc output did not end with a block boundary")
    return fragments


def is_block_link(target: str) -> bool:
    """Whether a hyperlink target is a relative link the Lua filter marked for resolution."""
    return target.startswith(LINK_PREFIX)


def split_block_link(target: str) -> tuple[int, str]:
    """``(block index, href as written)`` of a marked relative link."""
    index, _, href = target[len(LINK_PREFIX) :].partition(":")
    return int(index), href
