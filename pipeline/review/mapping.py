"""Map each comment and tracked change of a reviewed document to where its text came from.

An item falls in the block whose bookmark it last passed (the edition's source map names
each block's bookmark) and in the section whose heading bookmark it last passed within that
block (else the last heading it passed, matched by title). Its line is where its text is in
the article file, looked for within that section's lines, then in the whole article; else
the section's heading line. Where the bookmarks were deleted (Word drops a bookmark when the
text that holds it is retyped), the item's text is looked for in the document's recorded
Markdown (``source/<stem>.md``), then its last heading among the articles' headings and the
template's part headings; what none of them places is listed as unmapped, never dropped.
Text of a generated block is traced to the data record it shows (:mod:`.records`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import locate
from .model import Marked, Reviewed, ReviewItem
from .records import Record, holds, match_record

log = logging.getLogger(__name__)

DATA_NOTE = "from the data: change it at the source"
GENERATED_NOTE = "text netdocs writes itself ({block}): not in the KB"
TEMPLATE_NOTE = "the template's own text (cover, contents, headings): change the template"


@dataclass
class _Place:
    block: Any = None
    """The :class:`~pipeline.documents.source.SourceBlock`, or None."""
    section: Any = None
    by: str = ""


@dataclass
class Mapper:
    """Maps the items of one reviewed document (see the module docstring)."""

    reviewed: Reviewed
    source_map: Any
    """The document's :class:`~pipeline.documents.source.SourceMap`."""
    markdown: str
    """Its recorded Markdown (``source/<stem>.md``)."""
    kb_root: Path
    records: list[Record] = field(default_factory=list)
    _files: dict[str, list[str] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from ..render.bookmarks import bookmark_name

        self.blocks: dict[str, Any] = {}
        self.sections: dict[str, tuple[Any, Any]] = {}
        for block in self.source_map.blocks:
            for name in (block.bookmark, bookmark_name(block.bookmark)):
                self.blocks.setdefault(name, block)
            for section in block.sections:
                for name in (section.bookmark, bookmark_name(section.bookmark)):
                    self.sections.setdefault(name, (block, section))
        self.states = self._states()
        self.part_headings = {locate.normalise(b.part_heading) for b in self.source_map.blocks
                              if b.part_heading}  # fmt: skip
        first = [i for i, name in enumerate(self.reviewed.bookmarks) if name in self.blocks]
        self.first_block = first[0] if first else None
        self._md_plain: locate.Plain | None = None

    def _states(self) -> list[tuple[Any, Any, int]]:
        """For each count of bookmarks passed, the block and section they leave one in, and
        the count at which that block's bookmark was passed."""
        block = section = None
        start = 0
        out: list[tuple[Any, Any, int]] = [(None, None, 0)]
        for count, name in enumerate(self.reviewed.bookmarks, start=1):
            if name in self.blocks:
                block, section, start = self.blocks[name], None, count
            elif name in self.sections and self.sections[name][0] is block:
                section = self.sections[name][1]
            out.append((block, section, start))
        return out

    # -- placing an item --------------------------------------------------------------------
    def map(self) -> list[ReviewItem]:
        out: list[ReviewItem] = []
        for index, item in enumerate(self.reviewed.items):
            mapped = self.map_one(index + 1, item)
            self.continues(mapped, item)
            if item.pair is not None:
                mapped.pair = item.pair + 1
                deletion = out[item.pair]
                if deletion.path == mapped.path and deletion.line is not None:
                    mapped.line, mapped.exact = deletion.line, deletion.exact  # its place
            out.append(mapped)
        return out

    def map_one(self, number: int, item: Marked) -> ReviewItem:
        anchor = _anchor(item)
        result = ReviewItem(number, item.kind, item.author, item.date, item.text, anchor,
                            origin="unmapped", within_insertion=item.within_insertion)  # fmt: skip
        if item.part:
            return self.elsewhere(result, item)
        if self.on_part_heading(item):
            result.origin, result.note = "template", TEMPLATE_NOTE
            return result
        place = self.by_bookmark(item)
        if place.block is None:
            if self.first_block is not None and item.bookmarks <= self.first_block:
                place = self.by_heading(item, parts=False)  # the first bookmarks deleted?
                if place.block is None:
                    result.origin, result.note = "template", TEMPLATE_NOTE
                    return result
            else:
                place = self.by_text(item)
            if place.by == "template":
                result.origin, result.note = "template", TEMPLATE_NOTE
                return result
        if place.block is None:
            place = self.by_heading(item)
        if place.block is None:
            result.note = (
                "not mapped: its bookmarks were deleted and its text and heading are not in the "
                "edition's Markdown; find it by its text"
            )
            return result
        block = place.block
        result.block = block.key
        result.mapped_by = place.by
        if block.article is None:
            return self.from_data(result, item, block)
        result.origin = "article"
        result.article = block.article
        result.path = block.path
        if place.section is None:
            place.section = self.section_by_heading(item, block)
        if place.section is not None:
            result.section = place.section.title
        self.find_line(result, item, block, place.section)
        return result

    def continues(self, result: ReviewItem, item: Marked) -> None:
        """A comment whose range ends in a later block: its note says which ones it covers
        (it is mapped, and applied, at its start)."""
        if item.kind != "comment" or item.part or item.end_bookmarks <= item.bookmarks:
            return
        last = len(self.states) - 1
        start = self.states[min(item.bookmarks, last)][0]
        later: list[str] = []
        for block, _section, _at in self.states[item.bookmarks + 1 : item.end_bookmarks + 1]:
            if block is None or block is start:
                continue
            name = block.article or block.key
            if name not in later and name != result.article:
                later.append(name)
        if later:
            note = "continues into " + ", ".join(later)
            result.note = f"{result.note}; {note}" if result.note else note

    def elsewhere(self, result: ReviewItem, item: Marked) -> ReviewItem:
        """An item outside the body: a footnote's is looked for by its text; a header's or
        footer's is the template's; a comment placed nowhere is unmapped."""
        if "header" in item.part or "footer" in item.part:
            result.origin = "template"
            result.note = f"in a header or footer ({item.part}): change the template"
            return result
        place = self.by_text(item) if item.part != "?" else _Place()
        if place.block is None or place.block.article is None:
            where = "not anchored anywhere in the text" if item.part == "?" else f"in {item.part}"
            result.note = f"not mapped: {where}; find it by its text"
            return result
        block = place.block
        result.origin, result.mapped_by, result.block = "article", "text", block.key
        result.article, result.path = block.article, block.path
        self.find_line(result, item, block, None)
        return result

    def on_part_heading(self, item: Marked) -> bool:
        """Is the item on a heading the template prints before a part (not an article's)?"""
        if not item.in_heading or not item.headings:
            return False
        title = locate.normalise(self.reviewed.headings[item.headings - 1].text)
        block = self.states[min(item.bookmarks, len(self.states) - 1)][0]
        if block is not None and title in {locate.normalise(s.title) for s in block.sections}:
            return False
        return title in self.part_headings

    def by_bookmark(self, item: Marked) -> _Place:
        block, section, start = self.states[min(item.bookmarks, len(self.states) - 1)]
        if block is None:
            return _Place()
        if block.article is not None and not self._headings_agree(item, block, start):
            return _Place()  # a later block's bookmark was deleted: placed otherwise
        return _Place(block, section, "bookmark")

    def _headings_agree(self, item: Marked, block: Any, start: int) -> bool:
        """Do the headings between the block's bookmark (the ``start``-th bookmark) and the
        item belong to the block?"""
        titles = {locate.normalise(s.title) for s in block.sections}
        for heading in self.reviewed.headings[: item.headings]:
            if heading.bookmarks >= start and locate.normalise(heading.text) not in titles:
                return False
        return True

    def by_text(self, item: Marked) -> _Place:
        """The block whose recorded Markdown holds the item's text."""
        needle = _needle(item)
        if not needle:
            return _Place()
        if self._md_plain is None:
            self._md_plain = locate.plain(self.markdown.split("\n"))
        if _spans(item):
            found = locate.find_in_context(self._md_plain, needle, item.before, item.after,
                                           alone=False)  # fmt: skip
        else:
            context = f"{locate.tail(item.before)} {locate.head(item.after)}".strip()
            found = locate.find(self._md_plain, context or needle)
        if found is None:
            return _Place()
        line = found.start[0]
        block = None
        for candidate in self.source_map.blocks:
            if candidate.markdown_line <= line:
                block = candidate
            elif (
                candidate.part_heading
                and line < candidate.markdown_line
                and (self.markdown.split("\n", line)[line - 1] == f"# {candidate.part_heading}")
            ):
                return _Place(None, None, "template")  # a part's heading: the template's
        return _Place(block, None, "text") if block is not None else _Place()

    def by_heading(self, item: Marked, *, parts: bool = True) -> _Place:
        """The block and section whose heading is the last one the item passed (``parts``:
        or the first block of the part whose heading it is)."""
        if not item.headings:
            return _Place()
        title = locate.normalise(self.reviewed.headings[item.headings - 1].text)
        if not title:
            return _Place()
        for block in self.source_map.blocks:
            for section in block.sections:
                if locate.normalise(section.title) == title:
                    return _Place(block, section, "heading")
        for block in self.source_map.blocks if parts else ():
            if block.part_heading and locate.normalise(block.part_heading) == title:
                return _Place(block, None, "heading")
        return _Place()

    def section_by_heading(self, item: Marked, block: Any) -> Any:
        if not item.headings:
            return None
        title = locate.normalise(self.reviewed.headings[item.headings - 1].text)
        matches = [s for s in block.sections if locate.normalise(s.title) == title]
        return matches[-1] if matches else None

    # -- the article's line -----------------------------------------------------------------
    def lines(self, path: str) -> list[str] | None:
        if path not in self._files:
            try:
                with open(self.kb_root / path, encoding="utf-8", newline="") as fh:
                    self._files[path] = fh.read().split("\n")
            except (OSError, UnicodeDecodeError):
                self._files[path] = None
        return self._files[path]

    def find_line(self, result: ReviewItem, item: Marked, block: Any, section: Any) -> None:
        lines = self.lines(block.path)
        fallback = section.line if section is not None else block.line
        if lines is None:
            result.line = fallback
            result.note = f"the article is no longer at {block.path} in the KB"
            return
        first, last = _range(block, section, len(lines))
        found, point, trail = self._search(lines, item, first, last)
        if found is None or not found.whole:  # a whole match elsewhere in the article wins
            anywhere = self._search(lines, item, 1, len(lines))
            if anywhere[0] is not None and (found is None or anywhere[0].whole):
                found, point, trail = anywhere
        if found is None:
            result.line = fallback
            result.note = "its text is not in the article (changed since?): the section's line"
            return
        result.line = point[0]
        result.exact = True
        span = (item.kind == "comment" and bool(item.original)) or (
            item.kind == "deletion" and not item.within_insertion)  # fmt: skip
        result.position = {"start": list(found.start), "end": list(found.end),
                           "point": list(point), "whole": found.whole, "span": span,
                           "trail": trail, "paragraph": item.whole_paragraph}  # fmt: skip

    def _search(
        self, lines: list[str], item: Marked, first: int, last: int
    ) -> tuple[locate.Found | None, locate.Point, str]:
        """Where the item's text is in lines ``first``-``last``, the point it is at (an
        insertion's or point comment's place; a span's start), and the punctuation the text
        before that point ends with."""
        haystack = locate.plain(lines, first, last)
        if _spans(item):
            text = item.original if item.kind == "comment" else item.text
            found = locate.find_in_context(haystack, text, item.before, item.after)
            return found, found.start if found else (0, 0), ""
        if item.before:  # an insertion, a point comment: just after the text before it
            found = locate.find(haystack, locate.tail(item.before), last=True)
            if found is not None:
                return found, found.end, _trail(item.before) + (" " if item.space_before else "")
        if item.after:
            found = locate.find(haystack, locate.head(item.after))
            if found is not None:
                return found, found.start, ""
        if item.previous:
            found = locate.find(haystack, locate.tail(item.previous), last=True)
            if found is not None:
                return found, found.end, _trail(item.previous)
        return None, (0, 0), ""

    # -- generated text ---------------------------------------------------------------------
    def from_data(self, result: ReviewItem, item: Marked, block: Any) -> ReviewItem:
        text = item.row or item.paragraph or item.anchor or item.text
        record = match_record(text, self.records)
        if record is None and item.row is None and item.paragraph != text:
            record = match_record(item.paragraph, self.records)
        if record is not None and not holds(record, _changed(item), row=item.row is not None):
            record = None  # the words changed or commented on are the block's own, not its
        if record is not None:
            result.origin = "data"
            result.record, result.record_kind = record.id, record.kind
            result.record_source = record.place or None
            where = f" in {record.place}" if record.place else ""
            result.note = f"{DATA_NOTE} ({record.named}{where})"
        else:
            result.origin = "generated"
            result.note = GENERATED_NOTE.format(block=block.key)
        return result


def _range(block: Any, section: Any, count: int) -> tuple[int, int]:
    """The lines of ``section`` in its article (the block's body without one)."""
    if section is None:
        first = block.line or 1
        starts = [s.line for s in block.sections if s.line > first]
        return first, (min(starts) - 1 if starts else count)
    later = [s.line for s in block.sections if s.line > section.line]
    return section.line, (min(later) - 1 if later else count)


def _trail(text: str) -> str:
    """The punctuation ``text`` ends with (after its last letter or digit)."""
    for i in range(len(text) - 1, -1, -1):
        if text[i].isalnum():
            return text[i + 1 :]
    return text


def _spans(item: Marked) -> bool:
    """The item covers published text (a comment on a range, a deletion)."""
    if item.kind == "comment":
        return bool(item.original)
    return item.kind == "deletion" and not item.within_insertion


def _needle(item: Marked) -> str:
    """The published text that places ``item``."""
    if item.kind == "comment" and item.original:
        return item.original
    if item.kind == "deletion" and not item.within_insertion and item.text.strip():
        return item.text
    return locate.tail(item.before) or locate.head(item.after) or locate.tail(item.previous)


def _changed(item: Marked) -> str:
    """The published words an item changes or is on: a deletion's text, a comment's range;
    for an insertion or a point comment, the word on either side of it."""
    if item.kind == "deletion" and item.text.strip():
        return item.text
    if item.kind == "comment" and item.original:
        return item.original
    return " ".join(x for x in (locate.tail(item.before, 1), locate.head(item.after, 1)) if x)


def _anchor(item: Marked) -> str:
    """What the report shows an item anchored to."""
    if item.kind == "comment":
        return item.anchor or _around(item)
    return _around(item)


def _around(item: Marked) -> str:
    before, after = locate.tail(item.before, 6), locate.head(item.after, 6)
    if not before and not after:
        if item.in_heading:  # a heading changed whole: the heading, not the text above
            return locate.tail(item.paragraph, 6)
        return locate.tail(item.previous, 6)
    return f"{before} ^ {after}".strip()
