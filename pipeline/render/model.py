"""One document model for every format: a document's Markdown as one pandoc AST, made in Python.

Readers → one model → writers. :func:`read_articles` reads the Markdown of a document's
articles with pandoc, **one run per document** for the articles not found in the
:class:`ArticleCache`: each article is written to its own file, a boundary file holding a
per-run secret token sits between them, and ``pandoc --file-scope`` parses each file on its
own (footnotes and reference links stay per article). pandoc prefixes the ids of each file
with the file's name; those prefixes carry the token too and are removed, so each article's
AST is exactly what pandoc makes of it alone, and that is what the cache keeps (keyed by the
Markdown, the reader format, pandoc's version and this module's code).

Then, in Python, for each article (:func:`docx_model`, :func:`web_model`):

- headings are shifted by the block's ``heading_offset`` (at most 9 for Word, 6 for HTML);
- every id becomes the Word bookmark name of ``anchor#id`` (:func:`.bookmarks.bookmark_name`),
  and same-article links ``#id`` follow; the document keeps one set of ids: an id an earlier
  block already holds (two generated blocks without an anchor, each with ``# Network data``)
  becomes ``x-1``, ``x-2``... and that block's own ``#x`` links follow it;
- a relative link is resolved by the block's resolver to a target key: an internal link when
  the document holds that key, else plain text followed by what the block's ``outside``
  callable says of where the target is (:meth:`.values.MarkdownBlock.elsewhere`: ``renewals
  forgotten (see the guide, section 'Lessons')``); links with a scheme stay as written;
- images are vetted (:func:`.media.vet_image`): embedded from a vetted file by content key
  (``media/<sha256>.png``), remote ones made links, refused ones replaced by their alt text.

The writers (:mod:`.writers`) turn the model into a .docx (through the template engine), an
HTML site, EPUB and ODT.
"""

from __future__ import annotations

import atexit
import copy
import json
import logging
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .. import fs
from ..errors import RenderError
from ..typography import ranged_word
from .bookmarks import bookmark_name
from .catalog import Part
from .media import MEDIA_KEY, Base, Vetting, block_base, media_meta, vet_image
from .pandoc import MARKDOWN_FORMAT, pandoc_path, run_pandoc
from .values import Chart, MarkdownBlock, Picture, Pictures

log = logging.getLogger(__name__)

CONVERSION_VERSION = 1
"""Bump when what :func:`read_articles` keeps of pandoc's output changes (the cache key also
holds the hash of this file, so any change of the code starts a new cache anyway)."""

DOCX_MAX_LEVEL = 9
"""Word's deepest heading."""
WEB_MAX_LEVEL = 6
"""HTML's deepest heading."""

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ATTR_FIRST = frozenset({"Div", "Span", "CodeBlock", "Code", "Table", "Figure"})
_LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "RawInline", "RawBlock", "Math"})
"""Nodes with nothing to rewrite inside (no id, no link, no image)."""


@dataclass
class ReadStats:
    """What :func:`read_articles` did in this process (for tests and benchmarks)."""

    runs: int = 0
    """pandoc runs that read Markdown."""
    articles: int = 0
    """Articles pandoc read."""
    hits: int = 0
    """Articles taken from the cache."""


STATS = ReadStats()
_STATS_LOCK = threading.Lock()
_WRITING: dict[Path, list[threading.Thread]] = {}
"""Cache folder -> threads still writing entries into it (:meth:`ArticleCache.put_later`)."""


@cache
def pandoc_version() -> str:
    """pandoc's version line (``pandoc 3.9``), part of every cache key."""
    done = subprocess.run([pandoc_path(), "--version"], capture_output=True, check=False)
    if done.returncode != 0:
        raise RenderError("pandoc does not run: reinstall it with pip install pypandoc-binary")
    return done.stdout.decode("utf-8", "replace").splitlines()[0].strip()


@cache
def code_version() -> str:
    """Hash of the conversion code: this module's source and :data:`CONVERSION_VERSION`."""
    return fs.sha256_text(f"{CONVERSION_VERSION}:{fs.sha256_file(Path(__file__))}")


@cache
def _api_version() -> list[int]:
    done = subprocess.run(
        [pandoc_path(), "-f", "markdown", "-t", "json"], input=b"", capture_output=True, check=True
    )
    version: list[int] = json.loads(done.stdout)["pandoc-api-version"]
    return version


# -- the per-article cache ---------------------------------------------------------------------


@cache
def default_cache_folder() -> Path:
    """Where the article cache lives when no folder is given: the user's cache folder
    (``$XDG_CACHE_HOME/netdocs``, ``~/.cache/netdocs``); when that cannot be made, a private
    temporary folder of this process (never a shared, guessable one another user could fill),
    removed at exit."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    try:
        home = Path.home()
    except RuntimeError:  # no home folder at all
        home = Path(tempfile.gettempdir())
    folder = Path(base) / "netdocs" if base else home / ".cache" / "netdocs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only home, XDG_CACHE_HOME naming a file
        folder = Path(tempfile.mkdtemp(prefix="netdocs-cache-"))
        atexit.register(fs.remove_tree, folder)
    return folder


class ArticleCache:
    """pandoc's AST of each article, one small JSON file per article in ``folder``.

    Files live in ``articles-<version>/`` where the version is pandoc's and the code's: on
    first use, the folders of other versions not used for :attr:`KEEP` (30 days) are removed
    (another netdocs version may share the cache), and when more than :attr:`LIMIT`
    entries pile up the oldest are removed, so the cache stays bounded. Writes are atomic
    (:func:`pipeline.fs.atomic_write`); an unreadable entry is a miss, a cache that cannot be
    written is only logged."""

    LIMIT = 50_000
    KEEP = 30 * 24 * 3600
    """Seconds another version's folder is kept after its last use (two netdocs versions may
    share one cache)."""
    _pruned: set[Path] = set()
    _prune_lock = threading.Lock()

    def __init__(self, folder: Path | None = None) -> None:
        parent = Path(folder) if folder is not None else default_cache_folder()
        tag = fs.sha256_text(f"{pandoc_version()}\n{code_version()}")[:16]
        self.folder = parent / f"articles-{tag}"
        self._prune_once(parent)

    def key(self, text: str, fmt: str) -> str:
        """The entry of ``text`` read as ``fmt``: sha256 of the text, the format, pandoc's
        version and the code's."""
        return fs.sha256_json([text, fmt, pandoc_version(), code_version()])

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry ``{"api": [...], "blocks": [...]}`` (a fresh copy), or None."""
        data = _MEMORY.get(key)
        if data is None:
            self.flush()
            try:
                data = self._path(key).read_bytes()
            except OSError:
                return None
        try:
            entry = json.loads(data)
        except ValueError:
            return None
        if not isinstance(entry, dict) or not isinstance(entry.get("blocks"), list):
            return None
        return entry

    def put(self, key: str, entry: dict[str, Any]) -> None:
        """Store ``entry`` (atomically: a reader sees the whole entry or none)."""
        self._write(key, _entry_bytes(entry))

    def _write(self, key: str, data: bytes) -> None:
        try:
            fs.atomic_write(self._path(key), data)
        except OSError as exc:
            log.debug("article cache %s not written: %s", self.folder, exc)

    def put_later(self, entries: dict[str, dict[str, Any]]) -> None:
        """Store ``entries`` in a background thread (each write is fsynced: this keeps them
        off the conversion's path); :meth:`flush` and every :meth:`get` from the disk wait
        for it, and this process reads them from memory meanwhile."""
        if not entries:
            return
        data = {k: _entry_bytes(e) for k, e in entries.items()}  # now: the caller may change e
        _remember(data)

        def write_all() -> None:
            for key, blob in data.items():
                self._write(key, blob)

        thread = threading.Thread(target=write_all, name="netdocs-article-cache")
        with self._prune_lock:
            _WRITING.setdefault(self.folder, []).append(thread)
        from ..workers import quiet_threads

        with quiet_threads():  # a Ctrl-C is the main thread's (see workers.QUIET)
            thread.start()

    def flush(self) -> None:
        """Wait for the entries being written to this cache's folder."""
        with self._prune_lock:
            threads = _WRITING.pop(self.folder, [])
        for thread in threads:
            thread.join()

    def _prune_once(self, parent: Path) -> None:
        with self._prune_lock:
            if self.folder in self._pruned:
                return
            self._pruned.add(self.folder)
        try:
            now = time.time()
            for other in parent.glob("articles-*"):
                try:
                    if other != self.folder and now - _last_used(other) > self.KEEP:
                        fs.remove_tree(other)  # another version's, unused for KEEP seconds
                except OSError as exc:  # not a folder, or gone meanwhile (another process)
                    log.debug("article cache %s not pruned: %s", other, exc)
            if not self.folder.is_dir():
                return
            os.utime(self.folder)  # in use: other versions sharing the cache keep it
            entries = [e for d in os.scandir(self.folder) if d.is_dir()
                       for e in os.scandir(d.path)]  # fmt: skip
            if len(entries) > self.LIMIT:
                entries.sort(key=lambda e: e.stat().st_mtime)
                for e in entries[: len(entries) - self.LIMIT // 2]:
                    Path(e.path).unlink(missing_ok=True)
        except OSError as exc:
            log.debug("article cache %s not pruned: %s", parent, exc)


def _last_used(folder: Path) -> float:
    """When ``folder`` (an ``articles-*`` folder) was last used: the newest modification time
    of it and its buckets (an entry written changes its bucket's; a use touches the folder)."""
    times = [folder.stat().st_mtime]
    times += [d.stat().st_mtime for d in os.scandir(folder) if d.is_dir()]
    return max(times)


_MEMORY: OrderedDict[str, bytes] = OrderedDict()
"""Entries written by this process, newest last (so that the formats of one document, and
documents sharing articles, do not wait for the disk); at most :data:`_MEMORY_LIMIT` bytes."""
_MEMORY_LIMIT = 64 << 20
_memory_size = 0


def _remember(entries: Mapping[str, bytes]) -> None:
    global _memory_size
    with _STATS_LOCK:
        for key, data in entries.items():
            old = _MEMORY.pop(key, None)
            _memory_size += len(data) - (len(old) if old is not None else 0)
            _MEMORY[key] = data
        while _memory_size > _MEMORY_LIMIT and _MEMORY:
            _memory_size -= len(_MEMORY.popitem(last=False)[1])


def _entry_bytes(entry: dict[str, Any]) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- reading -----------------------------------------------------------------------------------


@dataclass
class Read:
    """pandoc's reading of some articles."""

    api: list[int]
    """pandoc's API version, for the documents made of these blocks."""
    blocks: list[list[Any]]
    """pandoc JSON blocks of each article, in the order given (fresh copies: free to change)."""
    warnings: list[str] = field(default_factory=list)
    """What pandoc said while reading."""


def read_articles(
    texts: Sequence[str], *, cache: ArticleCache | None = None, fmt: str = MARKDOWN_FORMAT
) -> Read:
    """pandoc's AST of each Markdown text: from ``cache`` when there, the others read in one
    pandoc run (and stored in ``cache``)."""
    found: list[list[Any] | None] = [None] * len(texts)
    api: list[int] | None = None
    keys = [cache.key(t, fmt) for t in texts] if cache is not None else [""] * len(texts)
    todo: dict[str, list[int]] = {}
    for i in range(len(texts)):
        entry = cache.get(keys[i]) if cache is not None else None
        if entry is not None:
            found[i] = entry["blocks"]
            api = api or entry.get("api")
            with _STATS_LOCK:
                STATS.hits += 1
        else:
            todo.setdefault(keys[i] if cache is not None else str(i), []).append(i)
    warnings: list[str] = []
    if todo:
        order = list(todo)
        api, read, warnings = _read([texts[todo[k][0]] for k in order], fmt)
        # stored as read, before the caller changes them; not when pandoc warned (its
        # warnings name no article, so a cached article could not repeat them)
        if cache is not None and not warnings:
            cache.put_later(
                {k: {"api": api, "blocks": b} for k, b in zip(order, read, strict=True)}
            )
        for key, blocks in zip(order, read, strict=True):
            first, *more = todo[key]
            found[first] = blocks
            for i in more:
                found[i] = copy.deepcopy(blocks)
    result = [b if b is not None else [] for b in found]
    return Read(api or _api_version(), result, warnings)


def _read(texts: Sequence[str], fmt: str) -> tuple[list[int], list[list[Any]], list[str]]:
    """One pandoc run over ``texts``: their blocks, without pandoc's file-name id prefixes."""
    token = secrets.token_hex(16)
    boundary = f"NETDOCSBOUNDARY{token}"
    names: list[str] = []
    with tempfile.TemporaryDirectory(prefix="netdocs-read-") as tmp:
        folder = Path(tmp)
        (folder / "b.md").write_text(f"\n\n{boundary}\n", encoding="utf-8")
        for i, text in enumerate(texts):
            name = f"n{token}x{i}.md"
            # pandoc drops the last pipe-table row of text that does not end with a newline
            (folder / name).write_text(text + "\n", encoding="utf-8")
            names += [name, "b.md"]
        try:
            stdout, warnings = run_pandoc(
                ["--file-scope", "-f", fmt, "-t", "json", *names],
                "pandoc failed reading Markdown:\n",
                cwd=folder,
                tail=800,
            )
        finally:
            with _STATS_LOCK:
                STATS.runs += 1
                STATS.articles += len(texts)
    # ids and links of file i come prefixed "n<token>x<i>md__": the token is secret, so only
    # pandoc wrote these, and removing them gives each article's AST as if read alone
    text = re.sub(rf"n{token}x\d+md__", "", stdout.decode("utf-8"))
    doc = json.loads(text)
    marker = [{"t": "Str", "c": boundary}]
    articles: list[list[Any]] = []
    current: list[Any] = []
    for block in doc["blocks"]:
        if block.get("t") == "Para" and block.get("c") == marker:
            articles.append(current)
            current = []
        else:
            current.append(block)
    if len(articles) != len(texts) or current:
        raise RenderError("pandoc's output did not keep the articles apart")
    return list(doc["pandoc-api-version"]), articles, warnings


# -- the model ---------------------------------------------------------------------------------


@dataclass
class Model:
    """A document's content as pandoc JSON, ready for a writer."""

    doc: dict[str, Any]
    """The pandoc document; ``meta`` holds the vetted media (:data:`.media.MEDIA_KEY`)."""
    media: dict[str, str] = field(default_factory=dict)
    """Media key -> vetted file."""
    warnings: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    """Every id the document defines."""
    boundary: str = ""
    """The text that starts each block's boundary paragraph (:func:`docx_model`)."""


class _Article:
    """Rewrites one article's AST: headings, ids, links, images (see the module docstring)."""

    def __init__(
        self, block: MarkdownBlock, max_level: int, ids: set[str], base: Base, vetting: Vetting
    ) -> None:
        self.block = block
        self.base = base
        self.vetting = vetting
        self.max_level = max_level
        self.anchor = block.anchor or ""
        self.ids = ids
        self.internal: list[dict[str, Any]] = []
        """Links made internal, to check against the document's ids at the end."""
        self.defined: list[list[Any]] = []
        """The attributes ``[id, classes, pairs]`` of this article that carry an id."""
        self.own: list[dict[str, Any]] = []
        """This article's links to its own ids (``#id``)."""
        self.resolved: list[tuple[dict[str, Any], str]] = []
        """Its relative links resolved to a target key, with the key."""

    def id(self, attr: list[Any]) -> None:
        value = attr[0]
        if value and self.anchor:
            value = bookmark_name(f"{self.anchor}#{value}")
        attr[0] = value
        if value:
            self.defined.append(attr)

    def rewrite(self, node: Any) -> Any:
        """``node`` (the article's blocks) rewritten, its ids added to the document's: an id
        an earlier article already holds becomes ``x-1``, ``x-2``... (as pandoc does within
        one file), and this article's own ``#x`` links follow it."""
        node = self.walk(node)
        own = {attr[0] for attr in self.defined}
        renamed: dict[str, str] = {}
        for attr in self.defined:
            value = attr[0]
            if value in self.ids and value not in renamed:
                renamed[value] = unique_id(value, self.ids, own)
        for attr in self.defined:
            attr[0] = renamed.get(attr[0], attr[0])
            self.ids.add(attr[0])
        for link in self.own:
            target = link["c"][2][0][1:]
            if target in renamed:
                link["c"][2][0] = "#" + renamed[target]
        return node

    def walk(self, node: Any) -> Any:
        if type(node) is list:
            for i, item in enumerate(node):
                kind = type(item)
                if kind is dict and item.get("t") == "Str":
                    item["c"] = ranged_word(item["c"])  # a range of years takes an en dash
                elif kind is list or (kind is dict and item.get("t") not in _LEAVES):
                    node[i] = self.walk(item)
            return node
        kind = node.get("t")
        c = node.get("c")
        if kind == "Header":
            c[0] = max(1, min(self.max_level, c[0] + self.block.heading_offset))
            self.id(c[1])
            self.walk(c[2])
            return node
        if kind == "Link":
            return self.link(node)
        if kind == "Image":
            self.id(c[0])
            return vet_image(node, self.base, self.vetting)  # its alt text too
        if kind in _ATTR_FIRST:
            self.id(c[0])
        if isinstance(c, list):
            self.walk(c)
        return node

    def link(self, node: dict[str, Any]) -> dict[str, Any]:
        attr, inlines, (target, title) = node["c"]
        self.id(attr)
        self.walk(inlines)
        if target.startswith("#"):
            if self.anchor:
                node["c"][2] = ["#" + bookmark_name(f"{self.anchor}#{target[1:]}"), title]
            self.internal.append(node)
            self.own.append(node)
            return node
        if not target or _SCHEME.match(target):
            return node
        key = self.block.resolve(target)
        if key is None:
            return {"t": "Span", "c": [attr, inlines]}  # not in this document: plain text
        node["c"][2] = ["#" + bookmark_name(key), title]
        self.internal.append(node)
        self.resolved.append((node, key))
        return node

    def settle_outside(self, ids: set[str]) -> None:
        """Its resolved links to a key the document holds no id for, when the block says where
        the target is: plain text followed by that (the others are left to become plain text
        once the document's ids are all known: the web model's end, :mod:`.merge`)."""
        for node, key in self.resolved:
            if node["t"] != "Link" or node["c"][2][0][1:] in ids:
                continue
            where = self.block.elsewhere(key)
            if where:
                attr, inlines, _target = node["c"]
                node["t"], node["c"] = "Span", [attr, [*inlines, {"t": "Space"}, *_inlines(where)]]


def unique_id(value: str, ids: set[str], also: set[str] | frozenset[str] = frozenset()) -> str:
    """``value``, or the first of ``value-1``, ``value-2``... in neither ``ids`` nor ``also``
    (added to ``ids``)."""
    new, n = value, 0
    while new in ids or (n and new in also):
        n += 1
        new = f"{value}-{n}"
    ids.add(new)
    return new


def block_key(block: MarkdownBlock, index: int) -> str:
    """The key of the bookmark at the start of ``block`` (the ``index``-th of its document): an
    article's anchor (its KB path), else ``block:<name>`` for generated text, so that every
    paragraph of a .docx can be traced back to the block it came from (``netdocs review``)."""
    return block.anchor or f"block:{block.name or f'block {index + 1}'}"


def _base(block: MarkdownBlock, index: int) -> Base:
    return block_base(block.folder, block.anchor, block.name or f"block {index + 1}")


def docx_model(blocks: Sequence[MarkdownBlock], *, cache: ArticleCache | None = None) -> Model:
    """The model of ``blocks`` for the Word writer: each block a ``Div`` (its id a bookmark:
    :func:`block_key`) followed by a boundary paragraph ``NETDOCS-<token>-<i>`` by which
    :mod:`.pandoc` splits pandoc's .docx back into one fragment per block. Internal links are
    left to :mod:`.merge`, which knows the template's bookmarks too; a link resolved to a key no
    block holds is settled here, as plain text followed by where its target is
    (:meth:`_Article.settle_outside`)."""
    read = read_articles([b.text for b in blocks], cache=cache)
    boundary = f"NETDOCS-{secrets.token_hex(16)}-"
    ids: set[str] = set()
    vetting = Vetting()
    out: list[Any] = []
    articles: list[_Article] = []
    for i, (block, content) in enumerate(zip(blocks, read.blocks, strict=True)):
        article = _Article(block, DOCX_MAX_LEVEL, ids, _base(block, i), vetting)
        articles.append(article)
        content = article.rewrite(content)
        anchor = unique_id(bookmark_name(block_key(block, i)), ids)
        out.append({"t": "Div", "c": [[anchor, [], []], content]})
        xml = f"<w:p><w:r><w:t>{boundary}{i}</w:t></w:r></w:p>"
        out.append({"t": "RawBlock", "c": ["openxml", xml]})
    for article in articles:  # links to articles of no block: where they are instead
        article.settle_outside(ids)
    doc = {"pandoc-api-version": read.api, "meta": {MEDIA_KEY: media_meta(vetting.media)},
           "blocks": out}  # fmt: skip
    return Model(doc, vetting.media, read.warnings + vetting.warnings, ids, boundary)


def part_blocks(value: Any) -> list[MarkdownBlock]:
    """The Markdown blocks of a context value (a block, or a list of them)."""
    if isinstance(value, MarkdownBlock):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, MarkdownBlock)]
    return []


def _picture(
    value: Chart | Picture | Pictures, part: Part, folder: Path, done: Vetting
) -> list[Any]:
    """The paragraphs showing a part's picture (or each of its pictures, in order), then the
    part's caption."""
    from .pictures import picture_bytes

    items = value.items if isinstance(value, Pictures) else (value,)
    blocks: list[Any] = []
    for i, item in enumerate(items):
        data, kind = picture_bytes(item, part.name if len(items) == 1 else f"{part.name}[{i}]")
        key = f"media/{fs.sha256_bytes(data)[:20]}.{kind}"
        path = folder / key.replace("/", "-")
        fs.atomic_write(path, data)
        done.media[key] = str(path)
        image = {"t": "Image", "c": [["", [], []], _inlines(item.alt), [key, ""]]}
        blocks.append({"t": "Para", "c": [image]})
    if part.caption:
        blocks.append({"t": "Para", "c": [{"t": "Emph", "c": _inlines(part.caption)}]})
    return blocks


def _inlines(text: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, word in enumerate(text.split()):
        if i:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def web_model(
    context: Mapping[str, Any],
    parts: Sequence[Part],
    *,
    cache: ArticleCache | None = None,
    media_folder: Path | None = None,
) -> Model:
    """The model of a document for the HTML, EPUB and ODT writers: its parts in template
    order, each part's heading a level-1 heading (id ``part:<name>`` as a bookmark name), its
    blocks after it. An article's anchor is an empty span just after its first heading
    (so that it lands on the right page of a site split by headings, and is not copied into
    the contents with the heading's text). Internal links whose
    target the document does not hold become plain text, followed by where the target is, as
    in the .docx. Charts and pictures
    (parts of kind ``chart``) are written as PNG files into ``media_folder`` and shown with
    their alt text and caption (left out without a folder)."""
    placed = [(p, part_blocks(context.get(p.name))) for p in parts]
    blocks = [b for _p, bs in placed for b in bs]
    read = read_articles([b.text for b in blocks], cache=cache)
    ids: set[str] = set()
    vetting = Vetting()
    out: list[Any] = []
    internal: list[dict[str, Any]] = []
    articles: list[_Article] = []
    contents = iter(read.blocks)
    index = 0
    for part, bs in placed:
        if part.heading:
            pid = bookmark_name("part:" + part.name)
            ids.add(pid)
            out.append({"t": "Header", "c": [1, [pid, [], []], _inlines(part.heading)]})
        picture = context.get(part.name)
        if isinstance(picture, Chart | Picture | Pictures) and media_folder is not None:
            out += _picture(picture, part, media_folder, vetting)
        for block in bs:
            article = _Article(block, WEB_MAX_LEVEL, ids, _base(block, index), vetting)
            content = article.rewrite(next(contents))
            index += 1
            internal += article.internal
            articles.append(article)
            if block.anchor:
                aid = unique_id(bookmark_name(block.anchor), ids)
                # just after its first heading: in that heading's section (the right page of
                # a site split by headings), and not in the heading's text, which pandoc
                # copies with its ids into the contents and the pages' next/previous links
                # (a span, which every writer turns into a target: ODT ignores a Div's id)
                span = {"t": "Span", "c": [[aid, [], []], []]}
                first = 1 if content and content[0].get("t") == "Header" else 0
                if len(content) > first and content[first].get("t") in ("Para", "Plain"):
                    content[first]["c"].insert(0, span)
                else:
                    content.insert(first, {"t": "Plain", "c": [span]})
            out += content
    for article in articles:  # links to articles of no block: where they are instead
        article.settle_outside(ids)
    for link in internal:
        if link["t"] == "Link" and link["c"][2][0][1:] not in ids:  # plain text, as in Word
            attr, inlines, _target = link["c"]
            link["t"], link["c"] = "Span", [attr, inlines]
    doc = {"pandoc-api-version": read.api, "meta": {MEDIA_KEY: media_meta(vetting.media)},
           "blocks": out}  # fmt: skip
    return Model(doc, vetting.media, read.warnings + vetting.warnings, ids)
