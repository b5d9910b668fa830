"""The Whoosh index of a knowledge base: build, incremental refresh, recovery.

One index per knowledge-base folder lives in ``<cache>/index/<key>/`` (``key`` derived from the
folder's absolute path), never inside the KB. ``manifest.json`` beside the index records each
indexed file's size, mtime and sha256, so a refresh re-reads only files whose stat changed and
re-indexes only those whose content changed. Whoosh commits are atomic (a new table of contents
is renamed into place), so a crash during a write leaves the previous index readable; an index
that cannot be opened is rebuilt, and the caller is told why.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import re
import shutil
import struct
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import FileIndex
from whoosh.writing import LockError

from ..errors import SearchIndexError
from ..kb.model import Article
from ..kb.paths import stat_markdown
from .analysis import TOKEN_PATTERN, stemmer, text_analyzer, word_analyzer

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4
"""Bumped whenever the schema or analysis changes; an older index is rebuilt."""

UNREADABLE = (
    windex.IndexError,  # whoosh's own (wrong architecture, bad TOC), not the builtin
    windex.EmptyIndexError,
    windex.IndexVersionError,
    OSError,
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    ValueError,
    KeyError,
    AttributeError,
    ImportError,
)
"""What opening a damaged or foreign index can raise."""


def make_schema() -> Schema:
    """Fields of one indexed article (query-time boosts are in ``query.BOOSTS``).

    Queries score title, summary and body; the body also holds the headings and tags, which
    keep fields of their own for field queries (``headings:``, ``tags:``).
    """
    text = text_analyzer()
    return Schema(
        path=ID(stored=True, unique=True),
        id=ID(stored=True),
        type=ID(stored=True, sortable=True),
        lang=ID(stored=True),
        title=TEXT(analyzer=text, stored=True),
        summary=TEXT(analyzer=text, stored=True),
        headings=TEXT(analyzer=text),
        body=TEXT(analyzer=text),
        words=TEXT(analyzer=word_analyzer()),
        tags=KEYWORD(stored=True, lowercase=True, commas=True, scorable=True),
        audience=KEYWORD(stored=True, commas=True),
        step=KEYWORD(stored=True, commas=True),
        links=KEYWORD(stored=True, commas=True),
        sections=STORED(),
    )


@dataclass
class RefreshReport:
    """What a refresh did."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    rebuilt: bool = False
    reason: str = ""
    """Why the index was rebuilt (empty when it was not)."""
    skipped: str = ""
    """Why the refresh was skipped (another process holds the lock), if it was."""
    seconds: float = 0.0

    @property
    def touched(self) -> int:
        return len(self.added) + len(self.changed) + len(self.deleted)


def index_dir(cache: Path, kb_root: Path) -> Path:
    """Folder of the index for ``kb_root`` (one per KB folder)."""
    key = hashlib.sha256(str(kb_root.resolve()).encode()).hexdigest()[:16]
    return cache / "index" / key


def _manifest_path(folder: Path) -> Path:
    return folder / "manifest.json"


def _load_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(_manifest_path(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
        return None
    return data


def _save_manifest(folder: Path, kb_root: Path, files: dict[str, list[Any]]) -> None:
    data = {"schema": SCHEMA_VERSION, "kb": str(kb_root.resolve()), "files": files}
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".manifest-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    os.replace(tmp, _manifest_path(folder))


def open_index(folder: Path) -> FileIndex:
    """Open an existing index for reading; raises one of :data:`UNREADABLE` when damaged."""
    ix = windex.open_dir(str(folder))
    with ix.searcher() as s:  # touch the segments so damage shows now, not mid-query
        s.doc_count()
    return ix


def _document(article: Article) -> dict[str, Any]:
    meta = article.meta
    analyzer = stemmer()
    # Each section keeps its stems, so a query picks the best section without re-analysing.
    sections = [
        (s.title, s.anchor, s.text, " ".join(t.text for t in analyzer(s.title)),
         " ".join(t.text for t in analyzer(s.text)))
        for s in article.sections
    ]  # fmt: skip
    heads = " ".join(s.title for s in article.sections if s.level)
    body = "\n".join((article.text, heads, " ".join(meta.tags)))
    return {
        "path": article.path,
        "id": meta.id,
        "type": meta.type,
        "lang": meta.lang,
        "title": meta.title,
        "summary": meta.summary,
        "headings": heads,
        "body": body,
        "words": _unique_words(meta.title, meta.summary, heads, body),
        "tags": ",".join(meta.tags),
        "audience": ",".join(meta.audience),
        "step": ",".join(str(n) for n in meta.step),
        "links": ",".join(sorted({lk.path for lk in article.links if lk.path and not lk.external})),
        "sections": sections,
    }


def _unique_words(*texts: str) -> str:
    """Each distinct word once: enough for spelling suggestions, a third of the indexing."""
    seen = dict.fromkeys(w.lower() for t in texts for w in _WORDS.findall(t))
    return " ".join(seen)


_WORDS = re.compile(TOKEN_PATTERN)


def _scan(kb_root: Path, known: dict[str, list[Any]]) -> tuple[dict[str, list[Any]], list[str]]:
    """Stat every file; hash those whose size or mtime changed. Returns (files, to_read)."""
    files: dict[str, list[Any]] = {}
    to_read: list[str] = []
    for rel, st in stat_markdown(kb_root).items():
        path = kb_root / rel
        old = known.get(rel)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            files[rel] = old
            continue
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            continue
        files[rel] = [st.st_size, st.st_mtime_ns, digest]
        if not old or old[2] != digest:
            to_read.append(rel)
    return files, to_read


def refresh(
    cache: Path,
    kb_root: Path,
    rebuild: bool = False,
    wait: float = 10.0,
    progress: Callable[[int, int], None] | None = None,
) -> RefreshReport:
    """Bring the index of ``kb_root`` up to date; rebuild it when asked, missing or damaged.

    When another process is writing the index, waits up to ``wait`` seconds, then returns with
    ``skipped`` set (searching the current index stays possible).
    """
    started = time.perf_counter()
    folder = index_dir(cache, kb_root)
    report = RefreshReport()
    manifest = None if rebuild else _load_manifest(folder)
    ix: FileIndex | None = None
    if rebuild:
        report.rebuilt, report.reason = True, "asked to rebuild"
    elif not folder.is_dir() or not any(folder.glob("*.toc")):
        report.rebuilt, report.reason = True, "no index yet"
    else:
        try:
            ix = open_index(folder)
        except UNREADABLE as exc:
            report.rebuilt = True
            report.reason = f"the index could not be read ({type(exc).__name__}: {exc})"
        else:
            if manifest is None:
                report.rebuilt, report.reason = True, "the index's manifest is missing or old"
    if report.rebuilt:
        _rebuild(folder, kb_root, report, progress)
    else:
        assert ix is not None and manifest is not None
        _update(ix, folder, kb_root, manifest["files"], report, wait, progress)
    report.seconds = time.perf_counter() - started
    return report


def _read(kb_root: Path, rel: str) -> Article | None:
    from ..kb.reader import read_article  # the Markdown parser loads only when a file changed

    article, _problems = read_article(kb_root / rel, kb_root)
    return article


def _rebuild(
    folder: Path,
    kb_root: Path,
    report: RefreshReport,
    progress: Callable[[int, int], None] | None,
) -> None:
    """Build a complete new index beside the old one, then swap it in."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}-new-"))
    try:
        files, to_read = _scan(kb_root, {})
        ix = windex.create_in(str(staging), make_schema())
        # Large builds use both cores (one segment per process; later commits merge them).
        procs = min(2, os.cpu_count() or 1) if len(to_read) >= 500 else 1
        writer = ix.writer(procs=procs, limitmb=128, multisegment=procs > 1)
        try:
            for n, rel in enumerate(to_read, 1):
                article = _read(kb_root, rel)
                if article is not None:
                    writer.add_document(**_document(article))
                    report.added.append(rel)
                if progress:
                    progress(n, len(to_read))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()
        _save_manifest(staging, kb_root, files)
        old = folder.with_name(f".{folder.name}-old-{os.getpid()}")
        if folder.exists():
            os.replace(folder, old)
        try:
            os.replace(staging, folder)
        except OSError:
            if not windex.exists_in(str(folder)):  # not another process's fresh index
                raise
            log.info("another process rebuilt the index at the same time; keeping its copy")
        shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _update(
    ix: FileIndex,
    folder: Path,
    kb_root: Path,
    known: dict[str, list[Any]],
    report: RefreshReport,
    wait: float,
    progress: Callable[[int, int], None] | None,
) -> None:
    files, to_read = _scan(kb_root, known)
    deleted = sorted(set(known) - set(files))
    if not to_read and not deleted:
        report.unchanged = len(files)
        if files != known:  # only stat data changed (touched files): remember it
            _save_manifest(folder, kb_root, files)
        return
    try:
        writer = _writer(ix, wait)
    except LockError:
        report.skipped = (
            "the search index is being updated by another netdocs process; "
            "searching the current index"
        )
        return
    try:
        for rel in deleted:
            writer.delete_by_term("path", rel)
            report.deleted.append(rel)
        for n, rel in enumerate(to_read, 1):
            article = _read(kb_root, rel)
            if article is None:  # unreadable now: drop it from the index
                writer.delete_by_term("path", rel)
                files.pop(rel, None)
                report.deleted.append(rel)
            else:
                writer.update_document(**_document(article))
                (report.changed if rel in known else report.added).append(rel)
            if progress:
                progress(n, len(to_read))
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    _save_manifest(folder, kb_root, files)
    report.unchanged = len(files) - len(report.added) - len(report.changed)


def _writer(ix: FileIndex, wait: float) -> Any:
    """A writer, waiting up to ``wait`` seconds for another process's lock."""
    return ix.writer(timeout=wait, delay=0.05)


def ensure_index(
    cache: Path, kb_root: Path, rebuild: bool = False
) -> tuple[FileIndex, RefreshReport]:
    """Refresh the index of ``kb_root`` and open it for searching."""
    if not kb_root.is_dir():
        raise SearchIndexError(f"no knowledge-base folder at {kb_root}")
    report = refresh(cache, kb_root, rebuild=rebuild)
    folder = index_dir(cache, kb_root)
    try:
        return open_index(folder), report
    except UNREADABLE as exc:
        raise SearchIndexError(
            f"the search index at {folder} cannot be opened ({exc}); run: netdocs index --rebuild"
        ) from exc
