"""pandoc, the one tool that reads and writes Markdown, and Markdown blocks to Word XML.

:func:`pandoc_path` and :data:`MARKDOWN_FORMAT` are what every pandoc run uses. For the .docx,
:class:`PendingConversion` takes the blocks of a document through the document model
(:func:`.model.docx_model`: pandoc reads the articles not in the cache in one run, Python
shifts headings, sets ids, resolves links and vets images), then one sandboxed pandoc run
writes the .docx with the template as ``--reference-doc`` (so styles match) and the vetted
images from the media bag (``filters/media.lua``), which :class:`PandocOutput` splits back
into one list of body elements per block for :mod:`pipeline.render.merge`. All of it runs in a
background thread while docxtpl renders the template.

Reading once per document, and only the articles that changed, is what keeps a 1,000-article
handbook close to the time pandoc needs for the same Markdown concatenated.
"""

from __future__ import annotations

import io
import json
import logging
import subprocess
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from lxml import etree

from ..errors import RenderError, ToolMissingError
from ..fs import sha256_bytes, sha256_file
from ..repro import source_date_epoch, tool_environment
from .media import MEDIA_FILTER
from .values import MarkdownBlock

if TYPE_CHECKING:
    from .model import ArticleCache

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


def run_pandoc(
    args: Sequence[str],
    failure: str,
    *,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    timeout: float | None = None,
    tail: int | None = None,
) -> tuple[bytes, list[str]]:
    """pandoc in ``--sandbox`` (it reads no file but those on its command line), with the
    build's ``SOURCE_DATE_EPOCH``: its output and its warning lines. When it fails, raises
    RenderError: ``failure`` followed by pandoc's message (its last ``tail`` characters)."""
    done = subprocess.run(
        [pandoc_path(), "--sandbox", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=tool_environment(),
        timeout=timeout,
        check=False,
    )
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0:
        message = stderr.strip()
        raise RenderError(failure + (message[-tail:] if tail else message))
    return done.stdout, [line.strip() for line in stderr.splitlines() if line.strip()]


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


def start_conversion(
    blocks: Sequence[MarkdownBlock], reference_doc: Path, *, cache: ArticleCache | None = None
) -> PendingConversion:
    """Start converting ``blocks`` in the background; ``.result()`` waits and parses."""
    return PendingConversion(blocks, reference_doc, cache=cache)


def convert_blocks(
    blocks: Sequence[MarkdownBlock], reference_doc: Path, *, cache: ArticleCache | None = None
) -> PandocOutput:
    """Convert ``blocks`` in one pandoc run, styled by ``reference_doc``."""
    return start_conversion(blocks, reference_doc, cache=cache).result()


class PendingConversion:
    """A conversion in progress (so that docxtpl can render the template meanwhile)."""

    def __init__(
        self,
        blocks: Sequence[MarkdownBlock],
        reference_doc: Path,
        *,
        cache: ArticleCache | None = None,
    ) -> None:
        self.count = len(blocks)
        from ..workers import quiet_thread

        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="netdocs-pandoc", initializer=quiet_thread
        )
        self._future = self._pool.submit(_convert, list(blocks), reference_doc, cache)

    def result(self) -> PandocOutput:
        try:
            return self._future.result()
        finally:
            self._pool.shutdown()


def _convert(
    blocks: list[MarkdownBlock], reference_doc: Path, cache: ArticleCache | None
) -> PandocOutput:
    from .model import ArticleCache, docx_model

    model = docx_model(blocks, cache=cache if cache is not None else ArticleCache())
    data, warnings = _write_docx(
        json.dumps(model.doc, ensure_ascii=False).encode("utf-8"), reference_doc
    )
    output = _read_output(io.BytesIO(data), len(blocks), model.boundary)
    output.warnings.extend(model.warnings)
    output.warnings.extend(warnings)
    return output


_WRITTEN: OrderedDict[str, tuple[bytes, list[str]]] = OrderedDict()
_WRITTEN_LOCK = threading.Lock()
_WRITTEN_BUDGET = 64 * 1024 * 1024
"""Bytes of pandoc .docx outputs a process keeps (:func:`_write_docx`)."""


def _write_docx(model: bytes, reference_doc: Path) -> tuple[bytes, list[str]]:
    """pandoc's .docx of a document model (JSON) styled by ``reference_doc``, and its warnings.

    pandoc's output depends only on what is hashed into the key: the model (whose images are
    named by the sha256 of their bytes), the reference document's and the media filter's bytes,
    the build's SOURCE_DATE_EPOCH and which pandoc runs; so a process that writes the same
    document again (``build --all-clusters``, a publish after a publish) reuses the bytes
    instead of running pandoc."""
    key = sha256_bytes(
        json.dumps(
            [pandoc_path(), source_date_epoch(), sha256_file(reference_doc),
             sha256_file(MEDIA_FILTER), sha256_bytes(model)]
        ).encode("utf-8")
    )  # fmt: skip
    with _WRITTEN_LOCK:
        found = _WRITTEN.get(key)
        if found is not None:
            _WRITTEN.move_to_end(key)
            return found[0], list(found[1])
    with tempfile.TemporaryDirectory(prefix="netdocs-pandoc-") as tmp:
        out = Path(tmp) / "blocks.docx"
        _stdout, warnings = run_pandoc(
            ["-f", "json", "-t", "docx", "--reference-doc", str(reference_doc),
             "--lua-filter", str(MEDIA_FILTER), "--syntax-highlighting=none", "-o", str(out)],
            "pandoc failed converting Markdown to Word:\n",
            stdin=model,
        )  # fmt: skip
        data = out.read_bytes()
    with _WRITTEN_LOCK:
        _WRITTEN[key] = (data, list(warnings))
        while sum(len(d) for d, _ in _WRITTEN.values()) > _WRITTEN_BUDGET and len(_WRITTEN) > 1:
            _WRITTEN.popitem(last=False)
    return data, warnings


def _read_output(path: Path | io.BytesIO, count: int, boundary: str) -> PandocOutput:
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        doc = etree.fromstring(zf.read("word/document.xml"))
        rels = _rels(zf, "word/_rels/document.xml.rels")
        out = PandocOutput(fragments=_split(doc, count, boundary), document_rels=rels)
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


def _split(document: etree._Element, count: int, boundary: str) -> list[list[etree._Element]]:
    """Body elements of each block: the paragraph ``<boundary><i>`` ends block i (the
    boundary holds a per-run secret token, :func:`.model.docx_model`, so an article's raw
    Word XML cannot forge one)."""
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
            if len(texts) == 1 and texts[0].startswith(boundary):
                index = int(texts[0][len(boundary) :])
                fragments[index] = current
                current = []
                continue
        current.append(child)
    if current:
        raise RenderError("pandoc output did not end with a block boundary")
    return fragments
