"""What a document was built from, recorded while it was built (as Sphinx's environment does
with ``note_dependency``).

A document reaches the knowledge base, the network data and the edition's dates only through
its :class:`~pipeline.documents.common.Inputs`; each reach is noted in a :class:`Recorder`,
and :meth:`Recorder.freeze` turns the notes into :class:`Dependencies`, the document's rebuild
key. The next publish *replays* the record against the current KB, data and dates
(:func:`what_changed`): the same articles looked up, the same listings run again (a new article in
a section the handbook lists changes that listing's hash), the data's sha256, the as-of day,
and so on. A document whose record replays unchanged need not be built again.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from ..errors import Problem
from ..fs import sha256_file, sha256_json, sha256_text
from ..kb.model import Article, KnowledgeBase

if TYPE_CHECKING:
    from ..network import Snapshot

ALL = "all"
"""The listing of every article, in path order."""
TYPE = "type:"
"""Prefix of the listing of the articles of one type (``type:role``), in path order."""


def run_listing(kb: KnowledgeBase, query: str) -> list[Article] | None:
    """The articles ``query`` lists in ``kb`` (None for a query this version does not know)."""
    if query == ALL:
        return list(kb.articles)
    if query.startswith(TYPE):
        return kb.of_type(query[len(TYPE) :])
    return None


def listing_hash(articles: Sequence[Article]) -> str:
    """Hash of the ids, paths and content hashes of a listing, in its order (an article moved
    or renamed changes it: the output prints and links by the path)."""
    return sha256_json([[a.id, a.path, a.content_hash] for a in articles])


def article_read(article: Article) -> tuple[str, str]:
    """What a document depends on in an article it read: its KB-relative path and its content
    sha256. The path counts as much as the bytes: an article moved or renamed with the same
    content gets other bookmark and anchor names, other relative links and image folder, and
    another path in the sources appendix."""
    return (article.path, article.content_hash)


class Dependencies(BaseModel):
    """Everything one document read, each with the value it had: the document's rebuild key.

    A field left at its default was not read (a document that never looks at the as-of day
    does not depend on it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    articles: dict[str, tuple[str, str] | None] = {}
    """KB article id -> (its KB-relative path, its content sha256), :func:`article_read`
    (``None``: looked up, and there was none). A record of an older version (id -> sha256
    alone) does not validate: the document has no record and is built again."""
    listings: dict[str, str] = {}
    """KB listing (:data:`ALL`, ``type:KIND``) -> :func:`listing_hash` of what it returned."""
    files: dict[str, str | None] = {}
    """Other KB files read (images), KB-relative path -> sha256 (``None``: missing)."""
    data: str | None = None
    """sha256 of the network data, when the data (or a figure computed from it) was read."""
    as_of: str | None = None
    """The edition's as-of day (ISO), when the document computes with it."""
    meeting: str | None = None
    """The edition's meeting day (ISO), when printed or computed with."""
    changes: str | None = None
    """sha256 of the 'what changed' text, when printed."""
    title: str | None = None
    """The edition's display name, when printed."""

    @property
    def uses_date(self) -> bool:
        return self.as_of is not None


@dataclass(frozen=True)
class Sources:
    """The current KB, data and edition dates a record is replayed against (what many records
    share, the articles by id, each listing and file hash, is computed once)."""

    kb: KnowledgeBase
    snapshot: Snapshot
    as_of: date
    meeting: date
    changes: str = ""
    title: str = ""
    _memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @cached_property
    def by_id(self) -> dict[str, Article]:
        return self.kb.by_id()

    def listing(self, query: str) -> str:
        """:func:`listing_hash` of ``query`` now ('unknown listing' for a query this version
        does not run)."""
        key = f"listing {query}"
        if key not in self._memo:
            found = run_listing(self.kb, query)
            self._memo[key] = "unknown listing" if found is None else listing_hash(found)
        return str(self._memo[key])

    def file(self, rel: str) -> str | None:
        """sha256 of the KB file ``rel`` now (None when it is missing)."""
        key = f"file {rel}"
        if key not in self._memo:
            self._memo[key] = _file_hash(self.kb.root / rel)
        return self._memo[key]  # type: ignore[no-any-return]


def replay(record: Dependencies, now: Sources) -> Dependencies:
    """``record`` as a build from ``now`` would write it: the same reads, today's values."""
    by_id = now.by_id
    return Dependencies(
        articles={i: article_read(a) if (a := by_id.get(i)) else None for i in record.articles},
        listings={q: now.listing(q) for q in record.listings},
        files={p: now.file(p) for p in record.files},
        data=now.snapshot.sha256 if record.data is not None else None,
        as_of=now.as_of.isoformat() if record.as_of is not None else None,
        meeting=now.meeting.isoformat() if record.meeting is not None else None,
        changes=sha256_text(now.changes) if record.changes is not None else None,
        title=now.title if record.title is not None else None,
    )


def what_changed(record: Dependencies, now: Sources) -> list[str]:
    """What changed among the things ``record`` says were read ([] when nothing did)."""
    current = replay(record, now)
    if current == record:
        return []
    out = [f"article {i}" for i in record.articles if record.articles[i] != current.articles[i]]
    out += [f"listing {q}" for q in record.listings if record.listings[q] != current.listings[q]]
    out += [f"file {p}" for p in record.files if record.files[p] != current.files[p]]
    for name in ("data", "as_of", "meeting", "changes", "title"):
        if getattr(record, name) != getattr(current, name):
            out.append(name.replace("_", "-"))
    return out


def _file_hash(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except OSError:
        return None


@dataclass
class Recorder:
    """The notes taken while one document is built."""

    articles: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    listings: dict[str, str] = field(default_factory=dict)
    files: dict[str, str | None] = field(default_factory=dict)
    data: str | None = None
    as_of: str | None = None
    meeting: str | None = None
    changes: str | None = None
    title: str | None = None

    def article(self, article: Article) -> None:
        self.articles.setdefault(article.id, article_read(article))

    def absent(self, article_id: str) -> None:
        self.articles.setdefault(article_id, None)

    def listing(self, query: str, found: Sequence[Article]) -> None:
        self.listings[query] = listing_hash(found)
        for a in found:
            self.article(a)

    def file(self, root: Path, rel: str) -> None:
        if rel not in self.files:
            self.files[rel] = _file_hash(root / rel)

    def freeze(self) -> Dependencies:
        return Dependencies(
            articles=dict(self.articles),
            listings=dict(self.listings),
            files=dict(self.files),
            data=self.data,
            as_of=self.as_of,
            meeting=self.meeting,
            changes=self.changes,
            title=self.title,
        )


class RecordedKB(KnowledgeBase):
    """The knowledge base as a document sees it: every article it reaches is noted.

    A :class:`~pipeline.kb.model.KnowledgeBase` to every function that reads one
    (``articles``, ``by_id()``, ``by_path()``, ``of_type()``), plus :meth:`get` and
    :meth:`pick`; it cannot be changed."""

    def __init__(self, kb: KnowledgeBase, recorder: Recorder) -> None:  # noqa: D107
        # no super().__init__(): the fields are read through the wrapped KB
        self._kb, self._rec = kb, recorder

    @property  # type: ignore[override]
    def root(self) -> Path:
        return self._kb.root

    @root.setter
    def root(self, value: Path) -> None:
        raise AttributeError("a document's view of the knowledge base is read-only")

    @property  # type: ignore[override]
    def articles(self) -> list[Article]:
        found = list(self._kb.articles)
        self._rec.listing(ALL, found)
        return found

    @articles.setter
    def articles(self, value: list[Article]) -> None:
        raise AttributeError("a document's view of the knowledge base is read-only")

    @property  # type: ignore[override]
    def problems(self) -> list[Problem]:
        return list(self._kb.problems)

    @problems.setter
    def problems(self, value: list[Problem]) -> None:
        raise AttributeError("a document's view of the knowledge base is read-only")

    def of_type(self, kind: str) -> list[Article]:
        found = self._kb.of_type(kind)
        self._rec.listing(TYPE + kind, found)
        return found

    def get(self, article_id: str) -> Article | None:
        """The article with this id (the first of a repeated id), or None."""
        found = self._kb.by_id().get(article_id)
        if found is None:
            self._rec.absent(article_id)
        else:
            self._rec.article(found)
        return found

    def pick(self, *ids: str) -> list[Article]:
        """The articles with these ids that exist, in the order given."""
        return [a for i in ids if (a := self.get(i)) is not None]

    def by_id(self) -> dict[str, Article]:
        """Articles by id; each looked up is noted (listing them all notes the whole KB)."""
        return _Lookup(self)

    def by_path(self) -> dict[str, Article]:
        """Articles by KB-relative path (notes the whole KB: paths are not a key here)."""
        return {a.path: a for a in self.articles}


class _Lookup(dict[str, Article]):
    """``by_id()`` of a :class:`RecordedKB`: a lookup notes the article (or its absence);
    anything that sees every key notes the whole KB."""

    def __init__(self, view: RecordedKB) -> None:
        super().__init__()
        self._view = view

    def _all(self) -> dict[str, Article]:
        out: dict[str, Article] = {}
        for a in self._view.articles:
            out.setdefault(a.id, a)
        return out

    def __getitem__(self, article_id: str) -> Article:
        found = self._view.get(article_id)
        if found is None:
            raise KeyError(article_id)
        return found

    def get(self, article_id: str, default: Any = None) -> Any:  # type: ignore[override]
        found = self._view.get(article_id)
        return default if found is None else found

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self._view.get(article_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def keys(self) -> Any:
        return self._all().keys()

    def values(self) -> Any:
        return self._all().values()

    def items(self) -> Any:
        return self._all().items()
