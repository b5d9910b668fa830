"""The Whoosh index of a knowledge base: build, incremental refresh, recovery.

One index per knowledge-base folder lives in ``<cache>/index/<key>/`` (``key`` derived from the
folder's absolute path), never inside the KB. ``manifest.json`` beside the index records each
indexed file's size, mtime and sha256, so a refresh re-reads only files whose stat changed and
re-indexes only those whose content changed. Every change is written as a new generation of the
index and swapped in whole (:mod:`.generations`), so a search always opens a complete index and
a crash during a write leaves the previous one in place; an index that cannot be opened is
rebuilt, and the caller is told why.

Figure citations (``[[figure:kpis]]``) are indexed as their values, so a snippet shows "8", not
the citation: the caller that has the edition's figures passes them (``figures``), the manifest
keeps them, and a later refresh without figures (``netdocs search``, which never loads the
network data) indexes new articles with the same values. When figures change, only the articles
that cite one are re-indexed. Before any figures were given, a citation shows the figure's
label ("Key performance indicators").
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import struct
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as windex
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.index import FileIndex
from whoosh.searching import Searcher

from ..errors import SearchIndexError
from ..fs import atomic_write_text, sha256_file, sha256_text, write_json
from ..kb.paths import stat_markdown
from . import analysis, generations
from .analysis import ANALYSIS_VERSION, TOKEN_PATTERN, stemmer, text_analyzer, word_analyzer

if TYPE_CHECKING:  # the KB's model and Markdown parser load only when an article is read
    from ..kb.model import Article

log = logging.getLogger(__name__)

SCHEMA_VERSION = f"5.{ANALYSIS_VERSION}"
"""Bumped whenever the schema changes (the part after the dot whenever the analysis does); an
older index is rebuilt."""

NO_INDEX_WAIT = 120.0
"""Seconds a refresh waits for another process's write when there is no usable index."""

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
    read_only: str = ""
    """Why the index could not be updated (the cache cannot be written), if so; the index as
    last built is still searched."""
    seconds: float = 0.0

    @property
    def touched(self) -> int:
        return len(self.added) + len(self.changed) + len(self.deleted)


def index_dir(cache: Path, kb_root: Path) -> Path:
    """Folder of the index for ``kb_root`` (one per KB folder)."""
    key = sha256_text(str(kb_root.resolve()))[:16]
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


@dataclass
class Figures:
    """The figure values an index is built with, and the articles that cite a figure."""

    values: dict[str, str] | None = None
    """Name -> printed value (``None``: no figures were ever given; citations show labels)."""
    cited: set[str] = field(default_factory=set)
    """KB-relative paths of the indexed articles with a figure citation."""
    loader: Callable[[], Mapping[str, str] | None] | None = field(default=None, compare=False)
    """Computes the values, called at most once and only when an article cites a figure and
    there are no values yet (so a KB that cites nothing never loads the network data)."""

    def shown(self) -> Mapping[str, str]:
        """What a citation is indexed as: its value, or its label while there are none."""
        if self.values is None and self.loader is not None:
            loader, self.loader = self.loader, None
            got = loader()
            if got is not None:
                self.values = dict(got)
        return self.values if self.values is not None else _labels()

    @classmethod
    def of(cls, manifest: dict[str, Any] | None) -> Figures:
        if manifest is None:
            return cls()
        values = manifest.get("figures")
        kept: dict[str, str] | None = None
        if isinstance(values, dict) and all(isinstance(v, str) for v in values.values()):
            kept = {str(k): v for k, v in values.items()}
        cited = manifest.get("cited")
        return cls(
            kept,
            {str(p) for p in cited} if isinstance(cited, list) else set(),
        )


def _labels() -> dict[str, str]:
    """Each figure's label, standing in for its value (loads the figures' definitions, and with
    them the network model, only when an indexed article cites a figure)."""
    from ..figure_defs import DEFINITIONS

    return {name: d.label for name, d in DEFINITIONS.items()}


def _save_manifest(
    folder: Path, kb_root: Path, files: dict[str, list[Any]], figures: Figures
) -> None:
    data = {
        "schema": SCHEMA_VERSION,
        "kb": str(kb_root.resolve()),
        "files": files,
        "figures": figures.values,
        "cited": sorted(figures.cited & set(files)),
    }
    write_json(_manifest_path(folder), data, indent=None)
    # after the manifest: a signature that fails to be written leaves an older one, which
    # no longer matches the KB, so the next refresh compares the manifest
    atomic_write_text(folder / SIGNATURE, _signature((r, f[0], f[1]) for r, f in files.items()))


SIGNATURE = "stats.sig"
"""File beside the manifest: a digest of every indexed file's path, size and mtime (and the
schema version). A refresh whose walk gives the same digest has nothing to do, and reads
neither the manifest nor any file."""


def _signature(stats: Iterable[tuple[str, int, int]]) -> str:
    """Digest of (KB-relative path, size, mtime in ns), in path order."""
    text = "".join(f"{rel}\0{size}\0{mtime}\n" for rel, size, mtime in sorted(stats))
    return sha256_text(f"{SCHEMA_VERSION}\n{text}")


def _unchanged(gen: Path, stats: dict[str, os.stat_result]) -> bool:
    """Does the KB's walk match the signature ``gen`` was last given?"""
    try:
        kept = (gen / SIGNATURE).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return False
    return kept == _signature((r, st.st_size, st.st_mtime_ns) for r, st in stats.items())


Opened = tuple[FileIndex, Searcher]
"""An index and a searcher on it (whose segments have been read, so it is not damaged)."""


def _open_checked(folder: Path) -> Opened:
    """Open an existing index for reading, with the searcher that checked it (opening one
    reads each segment's term table: a search that reuses it opens the index once); raises
    one of :data:`UNREADABLE` when the index is damaged."""
    ix = windex.open_dir(str(folder), readonly=True)
    searcher = ix.searcher()  # touch the segments so damage shows now, not mid-query
    try:
        searcher.doc_count()
    except BaseException:
        searcher.close()
        raise
    return ix, searcher


def _document(article: Article) -> dict[str, Any]:
    """The indexed fields of ``article`` (with its figure citations already filled in)."""
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


def stored_list(value: Any) -> tuple[str, ...]:
    """The items of a comma-joined stored field (tags, audience, step, links; see
    :func:`_document`)."""
    text = value.decode() if isinstance(value, bytes) else str(value or "")
    return tuple(x for x in text.split(",") if x)


def _unique_words(*texts: str) -> str:
    """Each distinct word once: enough for spelling suggestions, a third of the indexing."""
    seen = dict.fromkeys(w.lower() for t in texts for w in _WORDS.findall(t))
    return " ".join(seen)


_WORDS = re.compile(TOKEN_PATTERN)


def _scan(
    kb_root: Path,
    known: dict[str, list[Any]],
    stats: dict[str, os.stat_result] | None = None,
) -> tuple[dict[str, list[Any]], list[str]]:
    """Stat every file (unless ``stats`` has them); hash those whose size or mtime changed.
    Returns (files, to_read)."""
    files: dict[str, list[Any]] = {}
    to_read: list[str] = []
    for rel, st in (stats if stats is not None else stat_markdown(kb_root)).items():
        old = known.get(rel)
        if old and old[0] == st.st_size and old[1] == st.st_mtime_ns:
            files[rel] = old
            continue
        try:
            digest = sha256_file(kb_root / rel)
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
    figures: Mapping[str, str] | None = None,
    load_figures: Callable[[], Mapping[str, str] | None] | None = None,
) -> RefreshReport:
    """Bring the index of ``kb_root`` up to date; rebuild it when asked, missing or damaged.

    ``figures`` (name -> printed value) are the edition's figures, indexed in place of the
    articles' citations; without them, the values the index was last given are kept, and when
    there are none yet, ``load_figures`` is called for them the first time an article to index
    cites one.

    The new state is written as a new generation and swapped in whole (see
    :mod:`.generations`). When another process is writing, waits up to ``wait`` seconds, then
    returns with ``skipped`` set; when the cache cannot be written, returns with
    ``read_only`` set. Either way the current index stays searchable. Raises
    :class:`SearchIndexError` only when there is no usable index and none can be made.
    """
    report, opened = _refresh(cache, kb_root, rebuild, wait, progress, figures, load_figures)
    _close(opened)
    return report


def _close(opened: Opened | None) -> None:
    if opened is not None:
        opened[1].close()
        opened[0].close()


def _refresh(
    cache: Path,
    kb_root: Path,
    rebuild: bool,
    wait: float,
    progress: Callable[[int, int], None] | None,
    figures: Mapping[str, str] | None,
    load_figures: Callable[[], Mapping[str, str] | None] | None,
) -> tuple[RefreshReport, Opened | None]:
    """:func:`refresh`, and the current index with a searcher, open, when it was up to date
    (it was opened to check it: a search then opens it once, not twice)."""
    started = time.perf_counter()
    container = index_dir(cache, kb_root)
    report = RefreshReport()
    given = dict(figures) if figures is not None else None
    gen = generations.current(container)
    stats = stat_markdown(kb_root)  # one walk of the KB
    if gen is not None and not rebuild and given is None and _unchanged(gen, stats):
        try:
            fresh = _open_checked(gen)
        except UNREADABLE:
            pass  # planned below: rebuilt, and the reason said
        else:
            report.unchanged = len(stats)
            report.seconds = time.perf_counter() - started
            return report, fresh
    reason, manifest, opened = _plan(gen, rebuild)
    if not reason:
        assert manifest is not None and gen is not None and opened is not None
        known: dict[str, list[Any]] = manifest["files"]
        files, to_read = _scan(kb_root, known, stats)
        if not to_read and not set(known) - set(files) and not _refigured(manifest, given):
            report.unchanged = len(files)
            kept = Figures.of(manifest)
            if given is not None and given != kept.values:  # new figures, cited nowhere yet
                kept.values = given
                _save_stats(container, gen, kb_root, files, kept)
            elif files != known or not (gen / SIGNATURE).is_file():
                # only stat data changed (touched files), or the index has no signature yet
                _save_stats(container, gen, kb_root, files, kept)
            report.seconds = time.perf_counter() - started
            return report, opened
        _close(opened)
    usable = gen is not None and reason in ("", "asked to rebuild")
    try:
        # without a usable index there is nothing to answer from: wait for the other writer
        with generations.writer_lock(container, wait if usable else NO_INDEX_WAIT) as locked:
            if not locked:
                report.skipped = (
                    "the search index is being updated by another netdocs process; "
                    "searching the current index"
                )
            else:
                _write(container, kb_root, rebuild, report, progress, given, load_figures, stats)
    except OSError as exc:
        if not usable:
            raise SearchIndexError(_unwritable(cache, container, exc, usable=False)) from exc
        report.read_only = _unwritable(cache, container, exc, usable=True)
    report.seconds = time.perf_counter() - started
    return report, None


def _refigured(manifest: dict[str, Any], given: dict[str, str] | None) -> set[str]:
    """The articles to index again because the figures they cite changed."""
    before = Figures.of(manifest)
    if given is None or given == before.values:
        return set()
    return before.cited


def _plan(gen: Path | None, rebuild: bool) -> tuple[str, dict[str, Any] | None, FileIndex | None]:
    """Why the index must be rebuilt ('' when updating it will do), its manifest, and the
    index, open (the caller closes it), when it is to be updated. The manifest is read first:
    an index another version of netdocs made is not unpickled at all."""
    if rebuild:
        return "asked to rebuild", None, None
    if gen is None:
        return "no index yet", None, None
    manifest = _load_manifest(gen)
    if manifest is None:
        return "the index was made by another version of netdocs", None, None
    try:
        opened = _open_checked(gen)
    except UNREADABLE as exc:
        return f"the index could not be read ({type(exc).__name__}: {exc})", None, None
    return "", manifest, opened


def _write(
    container: Path,
    kb_root: Path,
    rebuild: bool,
    report: RefreshReport,
    progress: Callable[[int, int], None] | None,
    given: dict[str, str] | None,
    load_figures: Callable[[], Mapping[str, str] | None] | None = None,
    stats: dict[str, os.stat_result] | None = None,
) -> None:
    """Holding the writers' lock: make the next generation and swap it in (an update compares
    the walk ``stats`` the caller made, if given, instead of walking the KB again)."""
    gen = generations.current(container)  # another writer may have swapped one in meanwhile
    reason, manifest, opened = _plan(gen, rebuild)
    _close(opened)
    staging = generations.new_generation(container)
    published = False
    try:
        if reason:
            report.rebuilt, report.reason = True, reason
            before = Figures.of(_load_manifest(gen)) if gen is not None else Figures()
            figures = Figures(given if given is not None else before.values, loader=load_figures)
            _rebuild(staging, kb_root, report, progress, figures)
        else:
            assert gen is not None and manifest is not None
            updated = _update(
                gen, staging, kb_root, manifest, report, progress, given, load_figures, stats
            )
            if not updated:
                return  # the other writer did the work
        generations.publish(container, staging)
        published = True
    finally:
        if not published:
            generations.discard(staging)
    generations.prune(container, keep={staging.name} | ({gen.name} if gen else set()))


def _save_stats(
    container: Path, gen: Path, kb_root: Path, files: dict[str, list[Any]], figures: Figures
) -> None:
    """Remember new stat data (or figures no indexed article cites) in the current generation,
    if no writer is busy (best effort)."""
    try:
        with generations.writer_lock(container, 0) as locked:
            if locked and generations.current(container) == gen:
                _save_manifest(gen, kb_root, files, figures)
    except OSError as exc:  # a read-only cache: the files are hashed again next time
        log.debug("stat data not saved: %s", exc)


def _unwritable(cache: Path, container: Path, exc: OSError, usable: bool) -> str:
    why = generations.blocked_by(container) or exc.strerror or str(exc)
    fix = f"make {cache} a writable folder, or set 'cache' in netdocs.toml to one"
    if usable:
        return f"the search index in {cache} cannot be updated ({why}): {fix}"
    return f"cannot build the search index in {cache} ({why}): {fix}"


def _read(kb_root: Path, rel: str, figures: Figures) -> Article | None:
    """The article at ``rel`` with its figure citations filled in (noted in ``figures``)."""
    from ..kb.figrefs import find_citations
    from ..kb.reader import read_article  # the Markdown parser loads only when a file changed

    article, _problems = read_article(kb_root / rel, kb_root)
    figures.cited.discard(rel)
    if article is None or "[[" not in article.body:
        return article
    if not any(c.ok for c in find_citations(article.body, article.body_line)):
        return article
    figures.cited.add(rel)
    return with_figures(article, figures.shown())


def with_figures(article: Article, values: Mapping[str, str]) -> Article:
    """``article`` with its citations replaced by ``values``, its sections cut again."""
    from ..kb.figrefs import substitute
    from ..kb.reader import _MD, _walk  # the reader's own parse, of the filled-in body

    body = substitute(article.body, values)
    if body == article.body:
        return article
    # padded to the body's first line, so lines stay the file's (and no '---' reads as a
    # front matter)
    walk = _walk(_MD.parse("\n" * (article.body_line - 1) + body), article.path)
    return replace(article, body=body, sections=walk.sections(article.title, article.body_line))


def _rebuild(
    staging: Path,
    kb_root: Path,
    report: RefreshReport,
    progress: Callable[[int, int], None] | None,
    figures: Figures,
) -> None:
    """Build a complete new index in the empty folder ``staging``."""
    files, to_read = _scan(kb_root, {})
    ix = windex.create_in(str(staging), make_schema())
    with _writing(ix, staging, kb_root, files, figures) as writer:
        for n, rel in enumerate(to_read, 1):
            article = _read(kb_root, rel, figures)
            if article is not None:
                with analysis.language(article.meta.lang):
                    writer.add_document(**_document(article))
                report.added.append(rel)
            if progress:
                progress(n, len(to_read))


@contextmanager
def _writing(
    ix: FileIndex, staging: Path, kb_root: Path, files: dict[str, Any], figures: Figures
) -> Iterator[Any]:
    """A writer on ``ix``: committed with the manifest of ``files`` when the block ends,
    cancelled when it raises. One process: Whoosh's parallel writer forks (with its queue's
    feeder thread running) and its children would hold the writer lock past a Ctrl-C."""
    writer = ix.writer(limitmb=128)
    try:
        yield writer
    except BaseException:
        writer.cancel()
        raise
    writer.commit()
    ix.close()
    _save_manifest(staging, kb_root, files, figures)


def _update(
    gen: Path,
    staging: Path,
    kb_root: Path,
    manifest: dict[str, Any],
    report: RefreshReport,
    progress: Callable[[int, int], None] | None,
    given: dict[str, str] | None,
    load_figures: Callable[[], Mapping[str, str] | None] | None = None,
    stats: dict[str, os.stat_result] | None = None,
) -> bool:
    """Make ``staging`` a copy of ``gen`` with the KB's changes applied; False if none."""
    known: dict[str, list[Any]] = manifest["files"]
    files, to_read = _scan(kb_root, known, stats)
    refigured = sorted((_refigured(manifest, given) & set(files)) - set(to_read))
    deleted = sorted(set(known) - set(files))
    if not to_read and not deleted and not refigured:
        report.unchanged = len(files)
        return False
    figures = Figures.of(manifest)
    if given is not None:
        figures.values = given
    figures.loader = load_figures
    generations.clone(gen, staging)
    ix = windex.open_dir(str(staging))
    with _writing(ix, staging, kb_root, files, figures) as writer:
        for rel in deleted:
            writer.delete_by_term("path", rel)
            report.deleted.append(rel)
        for n, rel in enumerate(to_read + refigured, 1):
            article = _read(kb_root, rel, figures)
            if article is None:  # unreadable now: drop it from the index
                writer.delete_by_term("path", rel)
                files.pop(rel, None)
                report.deleted.append(rel)
            else:
                with analysis.language(article.meta.lang):
                    writer.update_document(**_document(article))
                (report.changed if rel in known else report.added).append(rel)
            if progress:
                progress(n, len(to_read) + len(refigured))
    report.unchanged = len(files) - len(report.added) - len(report.changed)
    return True


def current_dir(cache: Path, kb_root: Path) -> Path | None:
    """Folder of the index searches read now (None when there is none)."""
    return generations.current(index_dir(cache, kb_root))


def stored_figures(cache: Path, kb_root: Path) -> Figures:
    """The figure values the current index was built with, and the articles citing one."""
    gen = current_dir(cache, kb_root)
    return Figures.of(_load_manifest(gen)) if gen is not None else Figures()


def open_current(cache: Path, kb_root: Path) -> FileIndex:
    """Open the current index; if it was swapped while being opened, open the new one."""
    ix, searcher = _open_current(cache, kb_root)
    searcher.close()
    return ix


def _open_current(cache: Path, kb_root: Path) -> Opened:
    container = index_dir(cache, kb_root)
    gen = generations.current(container)
    for _attempt in range(3):
        if gen is None:
            break
        try:
            return _open_checked(gen)
        except UNREADABLE as exc:
            now = generations.current(container)
            if now == gen:  # not a swap: the index itself is damaged
                raise SearchIndexError(
                    f"the search index at {gen} cannot be opened ({exc}); "
                    "run: netdocs index --rebuild"
                ) from exc
            gen = now
    raise SearchIndexError(f"there is no search index in {container} yet: run netdocs index")


def ensure_index(
    cache: Path,
    kb_root: Path,
    rebuild: bool = False,
    wait: float = 10.0,
    figures: Mapping[str, str] | None = None,
    load_figures: Callable[[], Mapping[str, str] | None] | None = None,
) -> tuple[FileIndex, RefreshReport]:
    """Refresh the index of ``kb_root`` (with the edition's ``figures``, when the caller has
    them, or those ``load_figures`` computes when an article needs them) and open it for
    searching."""
    (ix, searcher), report = ensure_searcher(cache, kb_root, rebuild, wait, figures, load_figures)
    searcher.close()
    return ix, report


def ensure_searcher(
    cache: Path,
    kb_root: Path,
    rebuild: bool = False,
    wait: float = 10.0,
    figures: Mapping[str, str] | None = None,
    load_figures: Callable[[], Mapping[str, str] | None] | None = None,
) -> tuple[Opened, RefreshReport]:
    """:func:`ensure_index`, with a searcher open on the index (the one that checked it)."""
    if not kb_root.is_dir():
        raise SearchIndexError(f"no knowledge-base folder at {kb_root}")
    report, opened = _refresh(cache, kb_root, rebuild, wait, None, figures, load_figures)
    return (opened if opened is not None else _open_current(cache, kb_root)), report
