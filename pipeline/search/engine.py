"""The search engine behind one small interface: all that netdocs outside this package calls.

::

    with SearchIndex.open(cache, kb_root) as index:   # refresh, then open
        index.report                              # what the refresh did
        result = index.query("what does a convener do", type="role")
        doc = index.document("convener")          # stored fields, or None
        groups = index.related("convener")        # what `netdocs show` lists
        index.ids(); index.suggest("cordinator")

    refresh(cache, kb_root, rebuild=True)          # build or update without searching

No Whoosh object crosses this interface (results are the package's own dataclasses), so the
engine can be replaced by changing ``pipeline/search/`` alone; a test fails when a module
outside it imports whoosh. One Whoosh searcher is opened per :class:`SearchIndex` and reused
by every call until :meth:`SearchIndex.close`.

Whoosh is unmaintained upstream and so is its fork whoosh-reloaded; netdocs is tested with
the versions in :data:`SUPPORTED_WHOOSH`, and :func:`check_engine` says so when the installed
one is outside them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from . import index as _index
from .index import Figures, RefreshReport

if TYPE_CHECKING:
    from whoosh.index import FileIndex
    from whoosh.searching import Searcher

    from .query import Hit, SearchResult
    from .related import Related, RelatedGroup

__all__ = [
    "SUPPORTED_WHOOSH",
    "Document",
    "Figures",
    "Hit",
    "RefreshReport",
    "Related",
    "RelatedGroup",
    "SearchIndex",
    "SearchResult",
    "check_engine",
    "has_syntax",
    "refresh",
    "stored_figures",
]

log = logging.getLogger(__name__)

_RESULTS = {
    "Hit": "query",
    "SearchResult": "query",
    "Related": "related",
    "RelatedGroup": "related",
}


def __getattr__(name: str) -> Any:
    """The result types, imported when first asked for (the query parser loads with them)."""
    if name in _RESULTS:
        import importlib

        return getattr(importlib.import_module(f".{_RESULTS[name]}", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SUPPORTED_WHOOSH = ((2, 7, 5), (2, 8))
"""whoosh-reloaded versions netdocs is tested with: at least the first, below the second (the
last release is 2.7.5, February 2024; the project has announced it is no longer maintained)."""


def engine_version() -> tuple[int, ...]:
    """The installed Whoosh's version, as numbers."""
    import whoosh

    return tuple(int(n) for n in whoosh.__version__[:3])


def check_engine(version: tuple[int, ...] | None = None) -> str:
    """A warning when the installed Whoosh is outside :data:`SUPPORTED_WHOOSH` ('' when it is
    inside); the caller decides how to show it."""
    got = engine_version() if version is None else version
    low, high = SUPPORTED_WHOOSH
    if low <= got[: len(low)] and got[: len(high)] < high:
        return ""
    shown = ".".join(map(str, got))
    return (
        f"whoosh-reloaded {shown} is installed, but netdocs is tested with versions "
        f">={'.'.join(map(str, low))},<{'.'.join(map(str, high))}: search may fail or rank "
        f"differently; install a tested one with: pip install "
        f"'whoosh-reloaded>={'.'.join(map(str, low))},<{'.'.join(map(str, high))}'"
    )


@dataclass(frozen=True)
class Document:
    """What the index stores of one article (no Whoosh object)."""

    id: str
    title: str
    type: str
    path: str
    """KB-relative POSIX path of the article's file."""
    lang: str = ""
    summary: str = ""
    tags: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    """Role ids the article is written for."""
    step: tuple[int, ...] = ()
    """Roadmap steps the article belongs to."""
    links: tuple[str, ...] = ()
    """KB-relative paths of the articles it links to."""

    @classmethod
    def of(cls, stored: Mapping[str, Any]) -> Document:
        return cls(
            id=stored["id"],
            title=stored.get("title", ""),
            type=stored.get("type", ""),
            path=stored["path"],
            lang=stored.get("lang", ""),
            summary=stored.get("summary", ""),
            tags=_index.stored_list(stored.get("tags")),
            audience=_index.stored_list(stored.get("audience")),
            step=tuple(int(x) for x in _index.stored_list(stored.get("step")) if x.isdigit()),
            links=_index.stored_list(stored.get("links")),
        )


def has_syntax(text: str) -> bool:
    """Does the query use the query language (phrases, operators, fields, wildcards), so that
    its count is of the articles matching it as written rather than every word?"""
    from .query import has_syntax as written

    return bool(written(text))


def refresh(
    cache: Path,
    kb_root: Path,
    *,
    rebuild: bool = False,
    wait: float = 10.0,
    progress: Callable[[int, int], None] | None = None,
    figures: Mapping[str, str] | None = None,
    load_figures: Callable[[], Mapping[str, str] | None] | None = None,
) -> RefreshReport:
    """Build or update the index of ``kb_root`` in ``cache`` (see :func:`.index.refresh`)."""
    return _index.refresh(
        cache,
        kb_root,
        rebuild=rebuild,
        wait=wait,
        progress=progress,
        figures=figures,
        load_figures=load_figures,
    )


def stored_figures(cache: Path, kb_root: Path) -> Figures:
    """The figure values the current index was built with, and the articles citing one."""
    return _index.stored_figures(cache, kb_root)


class SearchIndex(AbstractContextManager["SearchIndex"]):
    """An open index of one knowledge base; close it (or use ``with``) when done."""

    def __init__(
        self, ix: FileIndex, report: RefreshReport | None = None, searcher: Searcher | None = None
    ) -> None:
        self._ix: FileIndex | None = ix
        self._searcher: Searcher | None = searcher
        self.report = report if report is not None else RefreshReport()
        """What bringing the index up to date did when it was opened."""

    @classmethod
    def open(
        cls,
        cache: Path,
        kb_root: Path,
        *,
        refresh: bool = True,
        rebuild: bool = False,
        wait: float = 10.0,
        figures: Mapping[str, str] | None = None,
        load_figures: Callable[[], Mapping[str, str] | None] | None = None,
    ) -> SearchIndex:
        """Bring the index of ``kb_root`` up to date (unless ``refresh`` is False) and open
        it; :attr:`report` says what the refresh did.

        Raises :class:`~pipeline.errors.SearchIndexError` when there is no usable index and
        none can be made.
        """
        if refresh:
            (ix, searcher), report = _index.ensure_searcher(
                cache, kb_root, rebuild=rebuild, wait=wait, figures=figures,
                load_figures=load_figures,
            )  # fmt: skip
        else:
            (ix, searcher), report = _index._open_current(cache, kb_root), RefreshReport()
        return cls(ix, report, searcher)

    # -- the interface -------------------------------------------------------------------

    def query(
        self,
        text: str,
        *,
        type: str | None = None,
        tag: str | None = None,
        audience: str | None = None,
        step: int | None = None,
        lang: str | None = None,
        limit: int = 10,
    ) -> SearchResult:
        """Ranked articles for ``text`` (the query language is in :mod:`.query`)."""
        from .query import search

        return search(
            cast("FileIndex", _Lending(self)), text, type=type, tag=tag, audience=audience,
            step=step, lang=lang, limit=limit,
        )  # fmt: skip

    def suggest(self, text: str) -> str | None:
        """``text`` with words the index does not know replaced by the closest it does
        (None when every word is known or nothing is close)."""
        from . import query

        cleaned, _notes = query.clean_query(text)
        return query._suggest(self._shared(), cleaned)

    def document(self, article_id: str) -> Document | None:
        """The stored fields of the article with this id, or None."""
        stored = self._shared().document(id=article_id)
        return Document.of(stored) if stored is not None else None

    def related(self, article_id: str) -> list[RelatedGroup]:
        """Articles related to ``article_id``, in groups (see :func:`.related.related`)."""
        from .related import related

        return related(self._shared(), article_id)

    def ids(self) -> list[str]:
        """Every indexed article id, sorted."""
        from .related import all_ids

        return all_ids(self._shared())

    def __len__(self) -> int:
        return int(self._shared().doc_count())

    def close(self) -> None:
        """Release the searcher and the index's files (idempotent)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- inside the package --------------------------------------------------------------

    def _shared(self) -> Searcher:
        """The one searcher of this index, opened on first use."""
        if self._ix is None:
            raise ValueError("the search index is closed")
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        return self._searcher


class _Lending:
    """The index as :func:`.query.search` takes it (``schema``, ``searcher()``), lending the
    shared searcher: leaving ``with ix.searcher() as s`` does not close it."""

    def __init__(self, owner: SearchIndex) -> None:
        self._owner = owner

    @property
    def schema(self) -> Any:
        return self._owner._shared().schema

    def searcher(self, **_kwargs: Any) -> _Lent:
        return _Lent(self._owner._shared())

    def __getattr__(self, name: str) -> Any:
        assert self._owner._ix is not None, "the search index is closed"
        return getattr(self._owner._ix, name)


class _Lent:
    """A borrowed searcher: a context manager that leaves it open."""

    def __init__(self, searcher: Searcher) -> None:
        self._searcher = searcher

    def __enter__(self) -> Searcher:
        return self._searcher

    def __exit__(self, *exc: object) -> None:
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._searcher, name)
