"""Values a document context may carry besides plain text, and the cleaning of plain text.

A context handed to :func:`pipeline.render.render_document` is plain data: ``str``, numbers,
dates, ``None``, lists, tuples and dicts of those, plus three kinds of rich values:

- :class:`MarkdownBlock`: Markdown of a KB article, rendered to real Word structure (headings,
  lists, tables, footnotes, links, images). Place it in a template with ``{{p name }}`` alone in
  its paragraph.
- :class:`Chart`: a matplotlib figure, embedded as a picture with alt text (``{{ name }}``).
- :class:`Picture`: an image file or bytes, embedded with alt text (``{{ name }}``).
- :class:`Pictures`: several charts or pictures shown one after the other in one part (a Gantt
  chart split into parts), each on a line of its own (``{{ name }}``).

Text is data, never template code or markup: :func:`clean_context` turns every string into a
plain ``str`` and removes the characters XML 1.0 cannot hold (``\\x00``, ``\\x0b``...), reporting
each field it touched as a warning :class:`~pipeline.errors.Problem`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import Problem

LinkResolver = Callable[[str], str | None]
"""Turns a link href as written in an article into a link target key, or ``None``."""

Elsewhere = Callable[[str], str | None]
"""Says where a target key the document does not hold is to be found: the text printed after
the link's text (``(see the guide, section 'Glossary')``), or ``None`` when it is nowhere."""

# Characters XML 1.0 forbids: C0 controls except tab, LF, CR; surrogates; U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class MarkdownBlock:
    """Markdown of one KB article (or any Markdown text) to render as Word content."""

    text: str
    """The Markdown source (CommonMark with footnotes, pipe tables, definition lists...)."""
    folder: Path | None = None
    """Folder the article lives in: relative image paths are resolved against it."""
    heading_offset: int = 0
    """Levels added to every heading: with 1, the article's ``#`` becomes Heading 2."""
    anchor: str | None = None
    """Target key of this article (e.g. ``roles/convener.md``). A bookmark for it is placed at
    the article's start and each heading gets the key ``anchor#heading-id``, so links resolved
    to these keys land here. ``None``: no article bookmark, heading ids are kept as they are."""
    links: LinkResolver | Mapping[str, str] | None = None
    """Turns a relative link href as written (``../roles/convener.md#duties``) into a target key
    (``roles/convener.md#duties``). The link becomes an internal Word link when a block of the
    same document carries that key; otherwise, or when this gives ``None``, the link text is
    kept as plain text. URLs with a scheme (``https:``, ``mailto:``) stay external links."""
    outside: Elsewhere | None = None
    """For a link resolved to a key no block of the document carries: the text printed after
    the link's text, which then stays plain text (``renewals forgotten (see the guide, section
    'Lessons')``); ``None`` from it, or no callable, prints the link's text alone."""
    name: str = ""
    """Name used in warnings (an article path); the context field path when empty."""

    def resolve(self, href: str) -> str | None:
        """The target key ``href`` points to, or ``None``."""
        if self.links is None:
            return None
        if callable(self.links):
            return self.links(href)
        return self.links.get(href)

    def elsewhere(self, key: str) -> str | None:
        """What to print after the text of a link to ``key``, a target outside the document."""
        return self.outside(key) if self.outside is not None else None


@dataclass(frozen=True)
class Chart:
    """A matplotlib figure embedded as a PNG picture (rendered with the Agg backend)."""

    figure: Any
    """A ``matplotlib.figure.Figure``."""
    alt: str
    """Alt text read by screen readers; required."""
    width_mm: float = 150.0
    """Width on the page; the height follows the figure's aspect ratio."""
    dpi: int = 150
    """Resolution of the embedded PNG."""


@dataclass(frozen=True)
class Picture:
    """An image file (or its bytes) embedded as a picture."""

    source: Path | bytes
    """Path of a PNG/JPEG/GIF file, or its bytes."""
    alt: str
    """Alt text read by screen readers; required."""
    width_mm: float | None = None
    """Width on the page; ``None`` keeps the image's own size."""


@dataclass(frozen=True)
class Pictures:
    """Several charts or pictures of one part, shown one after the other: in a .docx each on a
    line of its own in the part's paragraph (so that a page may break between them), on the
    web each an image of its own; the part's caption follows the last one."""

    items: tuple[Chart | Picture, ...]
    """The charts and pictures, in order (at least one)."""

    def __post_init__(self) -> None:
        if not self.items or not all(isinstance(i, Chart | Picture) for i in self.items):
            raise TypeError("Pictures holds one or more Chart or Picture values")


RICH_TYPES = (MarkdownBlock, Chart, Picture, Pictures)


def clean_text(text: str) -> tuple[str, int]:
    """``text`` without the characters XML cannot hold, and how many were removed."""
    cleaned, count = _ILLEGAL_XML.subn("", text)
    return cleaned, count


def clean_context(context: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """Copy ``context`` with every string made plain, XML-safe text; warn per field touched."""
    problems: list[Problem] = []
    cleaned = {key: _clean(value, key, problems) for key, value in context.items()}
    return cleaned, problems


def _clean(value: Any, where: str, problems: list[Problem]) -> Any:
    if isinstance(value, str):
        text = "".join([value])  # a plain str even for markupsafe.Markup: data is never markup
        text, count = clean_text(text)
        if count:
            problems.append(_removed(where, count))
        return text
    if isinstance(value, Mapping):
        return {k: _clean(v, f"{where}.{k}", problems) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_clean(v, f"{where}[{i}]", problems) for i, v in enumerate(value)]
        return items if isinstance(value, list) else tuple(items)
    if isinstance(value, MarkdownBlock):
        text, count = clean_text(value.text)
        if count:
            problems.append(_removed(value.name or where, count))
        return replace(value, text=text, name=value.name or where)
    if isinstance(value, Chart | Picture):
        alt, count = clean_text(value.alt)
        if count:
            problems.append(_removed(f"{where}.alt", count))
        return replace(value, alt=alt)
    if isinstance(value, Pictures):
        cleaned = tuple(_clean(v, f"{where}[{i}]", problems) for i, v in enumerate(value.items))
        return replace(value, items=cleaned)
    return value


def _removed(where: str, count: int) -> Problem:
    what = "character" if count == 1 else "characters"
    return Problem(where, "warning", f"removed {count} {what} XML cannot hold (control codes)")


def replace_rich(value: Any, where: str, swap: Callable[[Any, str], Any]) -> Any:
    """Copy ``value`` with every rich value replaced by ``swap(value, field_path)``."""
    if isinstance(value, RICH_TYPES):
        return swap(value, where)
    if isinstance(value, Mapping):
        return {
            k: replace_rich(v, f"{where}.{k}" if where else str(k), swap) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        items = [replace_rich(v, f"{where}[{i}]", swap) for i, v in enumerate(value)]
        return items if isinstance(value, list) else tuple(items)
    return value
