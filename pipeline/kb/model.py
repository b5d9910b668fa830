"""The knowledge base's own model: articles, their metadata, sections, links and images.

An article's metadata, :class:`Meta`, is declared once, with its validation, in :mod:`.schema`
(a pydantic model); it is importable from here too, loaded when first asked for, so that what
needs only the names below (``--help``) does not load pydantic.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem

if TYPE_CHECKING:
    from .schema import Meta

ARTICLE_TYPES: tuple[str, ...] = (
    "role",
    "principle",
    "roadmap-step",
    "lesson",
    "practice",
    "glossary",
    "page",
)
"""The kinds of article, in the order documents present them."""

ROADMAP_STEPS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)
"""The seven steps of the roadmap for building a network of networks."""


def __getattr__(name: str) -> Any:
    if name == "Meta":
        from .schema import Meta

        return Meta
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Link:
    """A link found in an article body."""

    href: str
    """The target as written."""
    text: str
    """The link text."""
    line: int
    """1-based line in the source file."""
    path: str | None = None
    """KB-relative POSIX path of the target file for internal links, else None."""
    anchor: str | None = None
    """The ``#anchor`` part, if any (without the ``#``)."""
    external: bool = False
    """True for links with a scheme (https:, mailto:)."""
    outside: bool = False
    """True when a relative link climbs out of the knowledge-base folder."""


@dataclass(frozen=True)
class Image:
    """An image referenced by an article."""

    src: str
    """The source as written."""
    alt: str
    """Alternative text."""
    line: int
    """1-based line in the source file."""
    path: str | None = None
    """KB-relative POSIX path for local images, else None."""
    external: bool = False
    """True for images with a URL scheme."""
    outside: bool = False
    """True when the path climbs out of the knowledge-base folder."""


@dataclass(frozen=True)
class Section:
    """A part of an article cut at a heading (the part before the first heading has level 0)."""

    title: str
    """Heading text (the article title for the part before any heading)."""
    anchor: str
    """Stable anchor, GitHub style; unique within the article ('' for the part before a heading)."""
    level: int
    """Heading level 1-6, or 0 for the part before the first heading."""
    line: int
    """1-based line of the heading in the source file."""
    text: str
    """Plain text of the section body (without the heading)."""


@dataclass
class Article:
    """One Markdown file of the knowledge base, read and typed."""

    path: str
    """KB-relative POSIX path (``roles/convener.md``)."""
    source: Path
    """Absolute path of the file."""
    meta: Meta
    """Front matter (derived from the file for plain Markdown)."""
    body: str
    """Markdown body without the front matter."""
    body_line: int
    """1-based line of the file where ``body`` starts."""
    sections: list[Section]
    """The article cut at its headings, in order."""
    links: list[Link]
    """Outgoing links, in order."""
    images: list[Image]
    """Images, in order."""
    content_hash: str
    """sha256 of the file's bytes."""
    has_front_matter: bool = True
    """False when the file is plain Markdown and metadata was derived."""
    meta_lines: dict[str, int] = field(default_factory=dict)
    """Line of each front-matter key, for messages."""

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def type(self) -> str:
        return self.meta.type

    @property
    def text(self) -> str:
        """Plain text of the whole body."""
        return "\n\n".join(s.text for s in self.sections if s.text)

    @property
    def anchors(self) -> set[str]:
        return {s.anchor for s in self.sections if s.anchor}

    def line_of(self, key: str) -> int:
        """Line of a front-matter key, or of the front matter's start when unknown."""
        return self.meta_lines.get(key, 1)


@dataclass
class KnowledgeBase:
    """All articles of a knowledge-base folder, plus the problems met while reading them."""

    root: Path
    """The knowledge-base folder."""
    articles: list[Article]
    """Articles in path order."""
    problems: list[Problem]
    """Problems found while reading (files that could not be read, front matter errors)."""

    def by_id(self) -> dict[str, Article]:
        """Articles by id (the first one wins when ids repeat; lint reports the repeat)."""
        out: dict[str, Article] = {}
        for article in self.articles:
            out.setdefault(article.id, article)
        return out

    def by_path(self) -> dict[str, Article]:
        return {a.path: a for a in self.articles}

    def of_type(self, kind: str) -> list[Article]:
        return [a for a in self.articles if a.type == kind]


def listing_key(article: Article) -> tuple[tuple[int, ...], bool, int, str]:
    """Where ``article`` comes among articles of its type in a document: by roadmap step, then
    by its ``order`` (those without one after those with one), then by title."""
    order = article.meta.order
    return (article.meta.step, order is None, order or 0, article.title.lower())


def in_listing_order(articles: list[Article]) -> list[Article]:
    """``articles`` sorted by :func:`listing_key`."""
    return sorted(articles, key=listing_key)


_SLUG_DROP = re.compile(r"[^\w\- ]", re.UNICODE)


def slugify(text: str) -> str:
    """GitHub-style anchor: lower case, punctuation dropped, spaces to dashes."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return _SLUG_DROP.sub("", text).replace(" ", "-")


def id_from_path(path: str) -> str:
    """An article id derived from a KB-relative path (``guide/Getting Started.md``)."""
    stem = path[:-3] if path.lower().endswith(".md") else path
    slug = re.sub(r"[^a-z0-9]+", "-", unicodedata.normalize("NFKD", stem).lower())
    return slug.strip("-") or "article"
