"""Read a reviewed .docx: its comments and tracked changes, in document order, each with where
it is (the bookmarks and headings passed before it, its paragraph and table row).

``word/document.xml`` is walked once with lxml (start and end events), so a position is
exact: an item is after every bookmark whose ``w:bookmarkStart`` comes before it in the file.
Comments' texts, authors and dates come from python-docx (``Document.comments``), their
ranges from ``w:commentRangeStart``/``w:commentRangeEnd`` (or, for a point comment, the
``w:commentReference``). Tracked changes are ``w:ins``/``w:del`` (``w:delText``) and moved text
``w:moveTo``/``w:moveFrom``, in paragraphs and in tables; adjacent ones of the same author
and kind are one item, and an insertion right beside a deletion of the same author replaces
it (:attr:`.model.Marked.pair`).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..docx_file import DocxError
from .model import Heading, Marked, Reviewed

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
_OTHER_PART = re.compile(r"word/(footnotes|endnotes|header\d*|footer\d*)\.xml")
"""The parts besides the body whose comments and tracked changes are read too."""
_CHANGE = {W + "ins": "insertion", W + "moveTo": "insertion",
           W + "del": "deletion", W + "moveFrom": "deletion"}  # fmt: skip


def read_part(archive: zipfile.ZipFile, name: str, path: Path) -> Any:
    """The XML part ``name`` parsed (None when the document has none)."""
    from lxml import etree

    try:
        data = archive.read(name)
    except KeyError:
        return None
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(data, parser)
    except (zipfile.BadZipFile, etree.XMLSyntaxError, OSError, EOFError) as exc:
        raise DocxError(
            f"{path.name} is damaged ({name} cannot be read: {exc}): open it in Word or "
            "LibreOffice, save it again as .docx and run this again"
        ) from None


def read_reviewed(path: Path) -> Reviewed:
    """Everything :mod:`pipeline.review` needs from the reviewed document at ``path``."""
    from ..docx_file import Reading, main_part, read_docx

    path = Path(path)
    data = read_docx(path, Reading(kind="reviewed document"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = main_part(archive) or "word/document.xml"
        document = read_part(archive, name, path)
        if document is None:
            raise DocxError(
                f"{path.name} has no document text ({name} is missing): open it in Word or "
                "LibreOffice, save it again as .docx and run this again"
            )
        properties, damaged = _properties(archive)
        styles = read_part(archive, "word/styles.xml", path)
        others = [(name, read_part(archive, name, path)) for name in sorted(archive.namelist())
                  if _OTHER_PART.fullmatch(name)]  # fmt: skip
    comments = _comments(path, data)
    levels = _heading_styles(styles)
    walker = _Walker(levels, comments)
    walker.walk(document.find(W + "body"))
    items = walker.finish()
    for name, root in others:  # footnotes, headers and footers: after the body's items
        other = _Walker(levels, comments, walker.ranged)
        other.walk(root)
        for item in other.finish():
            item.part = name
            items.append(item)
    for cid, found in comments.items():  # a comment with no place in the text
        if cid not in walker.ranged:
            item = Marked("comment", found.author, found.date, found.text, part="?")
            item.bookmarks, item.headings = len(walker.bookmarks), len(walker.headings)
            items.append(item)
    return Reviewed(
        properties=properties,
        bookmarks=walker.bookmarks,
        headings=walker.headings,
        items=items,
        properties_damaged=damaged,
    )


def _properties(archive: zipfile.ZipFile) -> tuple[dict[str, str], str]:
    """The custom properties (name -> text) and, when ``docProps/custom.xml`` is there but
    cannot be read, why (a strict reader: a damaged part is not taken for no properties)."""
    from ..render.custom_props import PART, parse_properties

    try:
        data = archive.read(PART)
    except KeyError:
        return {}, ""
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        return {}, f"{PART} cannot be read: {exc}"
    try:
        return parse_properties(data), ""
    except ValueError as exc:
        return {}, f"{PART} {exc}"


@dataclass(frozen=True)
class _Comment:
    author: str
    initials: str
    date: str
    text: str


def _comments(path: Path, data: bytes) -> dict[str, _Comment]:
    """The document's comments by id, read with python-docx."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise DocxError(
            f"{path.name} is damaged (python-docx cannot open it: {exc}): open it in Word or "
            "LibreOffice, save it again as .docx and run this again"
        ) from None
    out: dict[str, _Comment] = {}
    for comment in document.comments:
        raw = comment._element.get(W + "date", "")  # python-docx reads a bad one as 1970
        out[str(comment.comment_id)] = _Comment(
            author=comment.author or "",
            initials=comment.initials or "",
            date=iso_date(raw),
            text="\n".join(p.text for p in comment.paragraphs).strip(),
        )
    return out


def iso_date(raw: str) -> str:
    """A ``w:date`` as written when it is an ISO date and time, else '' (undated)."""
    import datetime

    raw = raw.strip()
    try:
        datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return raw


def _heading_styles(styles: Any) -> dict[str, int]:
    """Style id -> heading level, for the paragraph styles that are headings (by name,
    ``Heading N``, or by outline level, following ``basedOn``)."""
    if styles is None:
        return {}
    found: dict[str, tuple[str, int | None, str | None]] = {}
    for style in styles.iter(W + "style"):
        if style.get(W + "type") != "paragraph":
            continue
        sid = style.get(W + "styleId") or ""
        name_el = style.find(W + "name")
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        based = style.find(W + "basedOn")
        level = int(outline.get(W + "val", "9")) + 1 if outline is not None else None
        found[sid] = (
            name_el.get(W + "val", "") if name_el is not None else "",
            level,
            based.get(W + "val") if based is not None else None,
        )
    levels: dict[str, int] = {}
    for sid in found:
        seen: set[str] = set()
        current: str | None = sid
        while current in found and current not in seen:
            seen.add(current)
            name, level, based_on = found[current]
            match = _HEADING_STYLE.fullmatch(name.strip()) or _HEADING_STYLE.fullmatch(current)
            if match:
                levels[sid] = int(match.group(1))
                break
            if level is not None:
                if level <= 9:
                    levels[sid] = level
                break
            current = based_on
    return levels


@dataclass
class _Paragraph:
    """The paragraph being read: its published text so far and its pending items."""

    parts: list[str] = field(default_factory=list)
    """Published text (text kept and text deleted in review)."""
    items: list[tuple[Marked, int]] = field(default_factory=list)
    """Items that start in it, with the published length before them."""
    heading: int | None = None
    outline: int | None = None
    mark: str = ""
    """``insertion``/``deletion`` when its paragraph mark is tracked as inserted/deleted."""

    @property
    def length(self) -> int:
        return sum(len(p) for p in self.parts)

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class _Change:
    """The tracked change being read."""

    item: Marked
    paragraph: int
    """The number of the paragraph it is in."""
    end: int = -1
    """The published length of the paragraph where it ended (-1: still open)."""


class _Walker:
    """One pass over ``word/document.xml`` (see the module docstring)."""

    def __init__(
        self,
        heading_styles: dict[str, int],
        comments: dict[str, _Comment],
        ranged: set[str] | None = None,
    ) -> None:
        self.heading_styles = heading_styles
        self.comments = comments
        self.bookmarks: list[str] = []
        self.headings: list[Heading] = []
        self.items: list[Marked] = []
        self.paragraph = _Paragraph()
        self.paragraphs = 0
        self.previous = ""
        self.rows: list[list[str]] = []
        """Open table rows (nested tables: a stack), each its cells' texts."""
        self.row_items: list[list[Marked]] = []
        self.changes: list[_Change] = []
        """Open tracked changes (an insertion may hold a deletion: a stack)."""
        self.last: _Change | None = None
        """The last tracked change closed, to join an adjacent one of the same kind."""
        self.ranges: dict[str, tuple[Marked, list[str], list[str]]] = {}
        """Open comment ranges: id -> item, visible text, published text."""
        self.ranged: set[str] = set() if ranged is None else ranged
        """The comments placed so far (shared by the walks of a document's parts)."""
        self.field_depth = 0
        self.in_instruction = False

    # -- the walk ---------------------------------------------------------------------------
    def walk(self, body: Any) -> None:
        from lxml import etree

        if body is None:
            return
        for event, el in etree.iterwalk(body, events=("start", "end")):
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if event == "start":
                self.start(tag, el)
            else:
                self.end(tag, el)

    def start(self, tag: str, el: Any) -> None:
        if tag == W + "p":
            self.paragraph = _Paragraph()
        elif tag == W + "pStyle" and el.getparent().tag == W + "pPr":
            level = self.heading_styles.get(el.get(W + "val", ""))
            if level is not None:
                self.heading_starts(level)
        elif tag == W + "outlineLvl" and el.getparent().tag == W + "pPr":
            value = int(el.get(W + "val", "9"))
            if value < 9 and self.paragraph.heading is None:
                self.heading_starts(value + 1)
        elif tag == W + "bookmarkStart":
            name = el.get(W + "name") or ""
            if name and not name.startswith("_"):
                self.bookmarks.append(name)
        elif tag in _CHANGE and _is_paragraph_mark(el):
            self.paragraph.mark = _CHANGE[tag]
        elif tag in _CHANGE and not _is_mark(el):
            self.change_starts(_CHANGE[tag], el, moved=tag in (W + "moveTo", W + "moveFrom"))
        elif tag == W + "commentRangeStart":
            self.comment_starts(el.get(W + "id", ""))
        elif tag == W + "commentRangeEnd":
            self.comment_ends(el.get(W + "id", ""))
        elif tag == W + "commentReference":
            self.point_comment(el.get(W + "id", ""))
        elif tag == W + "tr":
            self.rows.append([])
            self.row_items.append([])
        elif tag == W + "tc" and self.rows:
            self.rows[-1].append("")
        elif tag in (W + "t", W + "delText"):
            self.text(el.text or "")
        elif tag in (W + "tab", W + "br", W + "cr") and el.getparent().tag == W + "r":
            self.text(" ")
        elif tag == W + "noBreakHyphen":
            self.text("-")
        elif tag == W + "instrText":
            self.in_instruction = True

    def end(self, tag: str, el: Any) -> None:
        if tag == W + "p":
            self.paragraph_ends()
        elif tag in _CHANGE and not _is_mark(el):
            self.change_ends()
        elif tag == W + "tr" and self.rows:
            cells = [c.strip() for c in self.rows.pop()]
            text = " | ".join(c for c in cells if c)
            for item in self.row_items.pop():
                item.row = text
        elif tag == W + "instrText":
            self.in_instruction = False

    # -- what each element does -------------------------------------------------------------
    def heading_starts(self, level: int) -> None:
        if self.paragraph.heading is None:
            self.paragraph.heading = len(self.headings)
            self.headings.append(Heading("", level, len(self.bookmarks)))

    def inserted(self) -> bool:
        return any(c.item.kind == "insertion" for c in self.changes)

    def text(self, text: str) -> None:
        if self.in_instruction or not text:
            return
        inserted = self.inserted()
        if not inserted:
            self.paragraph.parts.append(text)
            if self.rows and self.rows[-1]:
                self.rows[-1][-1] += text
        for change in self.changes:
            change.item.text += text
        for _item, visible, published in self.ranges.values():
            deleted = bool(self.changes) and self.changes[-1].item.kind == "deletion"
            if not deleted:
                visible.append(text)
            if not inserted:
                published.append(text)
        if not self.changes and self.last is not None and text.strip():
            self.last = None  # text between two changes: they are not adjacent

    def place(self, item: Marked) -> None:
        """Record ``item`` at the current position."""
        item.bookmarks = len(self.bookmarks)
        item.headings = len(self.headings)
        item.in_heading = self.paragraph.heading is not None
        item.previous = self.previous
        self.items.append(item)
        self.paragraph.items.append((item, self.paragraph.length))
        if self.row_items:
            self.row_items[-1].append(item)

    def change_starts(self, kind: str, el: Any, *, moved: bool) -> None:
        author = el.get(W + "author", "")
        date = iso_date(el.get(W + "date", ""))
        last = self.last
        if (
            last is not None
            and last.item.kind == kind
            and last.item.author == author
            and last.paragraph == self.paragraphs
            and last.end == self.paragraph.length
            and not self.changes
        ):
            self.changes.append(last)  # the same change, split by Word into two elements
            self.last = None
            return
        item = Marked(kind=kind, author=author, date=date, text="", moved=moved)  # type: ignore[arg-type]
        if self.changes and self.changes[-1].item.kind == "insertion" and kind == "deletion":
            item.within_insertion = True
        self.place(item)
        if (
            last is not None
            and last.item.author == author
            and last.paragraph == self.paragraphs
            and last.end == self.paragraph.length
            and {last.item.kind, kind} == {"insertion", "deletion"}
            and not self.changes
        ):
            deletion, insertion = (last.item, item) if kind == "insertion" else (item, last.item)
            insertion.pair = self.items.index(deletion)
        self.last = None
        self.changes.append(_Change(item, self.paragraphs))

    def change_ends(self) -> None:
        if not self.changes:
            return
        change = self.changes.pop()
        change.end = self.paragraph.length
        if not self.changes:
            self.last = change

    def comment_starts(self, cid: str) -> None:
        found = self.comments.get(cid)
        if found is None or cid in self.ranges or cid in self.ranged:
            return
        item = Marked("comment", found.author, found.date, found.text, initials=found.initials)
        self.place(item)
        self.ranges[cid] = (item, [], [])
        self.ranged.add(cid)

    def comment_ends(self, cid: str) -> None:
        entry = self.ranges.pop(cid, None)
        if entry is not None:
            item, visible, published = entry
            item.end_bookmarks = len(self.bookmarks)
            item.anchor = _squash("".join(visible))
            item.original = _squash("".join(published))

    def point_comment(self, cid: str) -> None:
        if cid in self.ranged:
            return
        found = self.comments.get(cid)
        if found is None:
            return
        self.ranged.add(cid)
        item = Marked("comment", found.author, found.date, found.text, initials=found.initials)
        self.place(item)

    def paragraph_ends(self) -> None:
        para = self.paragraph
        text = para.text
        if para.heading is not None:
            heading = self.headings[para.heading]
            self.headings[para.heading] = Heading(_squash(text), heading.level, heading.bookmarks)
        for item, at in para.items:
            item.space_before = text[:at][-1:].isspace()
            if item.kind != "comment" and para.mark == item.kind and at == 0 and not self.rows:
                # a new paragraph has no published text; a deleted one, only the deletion's
                whole = _squash(item.text) if item.kind == "deletion" else ""
                item.whole_paragraph = bool(item.text.strip()) and _squash(text) == whole
            item.before = _squash(text[:at])
            item.after = _squash(text[at + (len(item.text) if item.kind == "deletion" else 0) :])
            item.paragraph = _squash(text)
        for _item, visible, published in self.ranges.values():
            visible.append(" ")
            published.append(" ")
        for change in self.changes:
            change.item.text += "\n"
        if self.rows and self.rows[-1]:
            self.rows[-1][-1] += " "
        if text.strip():
            self.previous = _squash(text)
        self.paragraphs += 1
        self.last = None

    def finish(self) -> list[Marked]:
        for cid in list(self.ranges):  # a range never closed: anchored to what it covered
            self.comment_ends(cid)
        for item in self.items:
            if item.kind != "comment":
                item.text = item.text.strip("\n")
        return self.items


def _is_mark(el: Any) -> bool:
    """Is this ``w:ins``/``w:del`` a property mark (a paragraph mark, a table row inserted:
    inside ``w:rPr``, ``w:trPr``...) rather than a change holding text?"""
    parent = el.getparent()
    return parent is not None and str(parent.tag).endswith("Pr")


def _is_paragraph_mark(el: Any) -> bool:
    """Is this ``w:ins``/``w:del`` the mark of its paragraph's end (``w:pPr/w:rPr``)?"""
    parent = el.getparent()
    grand = parent.getparent() if parent is not None else None
    return parent.tag == W + "rPr" and grand is not None and grand.tag == W + "pPr"


def _squash(text: str) -> str:
    """``text`` with its runs of white space made one space, and trimmed."""
    return " ".join(text.split())
