"""The pandoc document of an imported .docx, cleaned and cut into articles.

pandoc reads the .docx with ``-f docx+styles --track-changes=all`` into its JSON document
model; this module works on that model only (no text is rewritten with regular expressions):

- **Word styles** are mapped (:data:`QUOTE_STYLES`, :data:`STRONG_STYLES`, ...): a "Quote"
  paragraph becomes a block quote, an "Emphasis" run emphasis, a "Verbatim Char" run code; the
  table of contents ("TOC 1", "TOC Heading") is left out, as every format netdocs writes makes
  its own; a "Title" paragraph names the document; every other style is read as plain text
  (its name is listed in the report).
- **Tracked changes** are read as Word shows them accepted: an insertion's text is kept, a
  deletion's text left out; each one is recorded (:class:`Remark`) with its author, date, text
  and the article it falls in.
- **Comments** are recorded with the text they are anchored to and never become text.
- **Bookmarks, heading ids and headings** are recorded so that cross references inside the
  document can become links between the articles (:func:`relink`); attributes pandoc keeps
  (picture sizes, ids) are dropped, as the knowledge base's Markdown has none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .docx_import_bookmarks import heading_key
from .docx_import_tables import html_table, plain_cells, plain_html
from .model import slugify

Node = dict[str, Any]

QUOTE_STYLES = frozenset({"Quote", "Intense Quote", "Block Text"})
"""Paragraph styles read as a block quote."""
TOC_STYLES = ("TOC ", "toc ", "TOC Heading", "Table of Figures")
"""Paragraph styles (prefixes) of a table of contents, left out."""
TITLE_STYLES = frozenset({"Title"})
"""Paragraph styles that name the document (the title of the text before the first heading)."""
STRONG_STYLES = frozenset({"Strong", "Intense Emphasis", "Intense Reference", "Book Title"})
EMPH_STYLES = frozenset({"Emphasis", "Subtle Emphasis", "Subtle Reference"})
CODE_STYLES = frozenset({"Verbatim Char", "HTML Code", "Source Code Char", "Code Char"})
SILENT_STYLES = frozenset(
    {
        "Normal",
        "Body Text",
        "First Paragraph",
        "Compact",
        "Hyperlink",
        "Footnote Text",
        "Footnote Reference",
        "Endnote Text",
        "Endnote Reference",
        "annotation reference",
        "annotation text",
        "List Paragraph",
        "Default Paragraph Font",
        "Caption",
        "Image Caption",
        "Table Caption",
    }
)
"""Styles that only dress ordinary text (not listed in the report as read as plain text)."""

_SILENT = frozenset(s.lower() for s in SILENT_STYLES)

EMPTY_ATTR: list[Any] = ["", [], []]

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class Remark:
    """A comment or a tracked change found in the source."""

    kind: str
    """``comment``, ``insertion`` or ``deletion``."""
    author: str
    date: str
    """As Word recorded it (``2016-05-09T16:13:00Z``), ``""`` when scrubbed."""
    text: str
    """The comment, or the text inserted or deleted."""
    segment: int
    """Index of the section (future article) it falls in."""
    anchor: str = ""
    """For a comment: the text it is anchored to (``""`` when it is anchored to none)."""


@dataclass
class Cleaned:
    """What cleaning found besides the cleaned blocks."""

    remarks: list[Remark] = field(default_factory=list)
    anchors: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    """Bookmark or heading id -> (segment, section anchor or None for the article's title)."""
    images: list[tuple[int, str]] = field(default_factory=list)
    """(segment, media path as pandoc names it, ``media/image1.png``)."""
    title: str = ""
    """The text of the document's "Title" paragraph, if any."""
    toc_entries: int = 0
    """Paragraphs of a table of contents left out."""
    file_links: list[str] = field(default_factory=list)
    """Links to files on the author's computer (``file:``) or beside the document
    (``court.jpg``, a relative link to a file the import does not bring), kept as their text."""
    no_alt: list[tuple[int, str]] = field(default_factory=list)
    """(segment, media path) of each picture with no description (alt text, title or caption)."""
    empty_headings: int = 0
    """Headings with no text, left out."""
    styles: set[str] = field(default_factory=set)
    """Word styles read as plain text."""
    headings_seen: dict[str, int] = field(default_factory=dict)
    """How many headings of each text were met so far (see :func:`heading_key`)."""

    def count_heading(self, text: str) -> str:
        """The :func:`heading_key` of the next heading with ``text``, counted."""
        fold = " ".join(text.split()).lower()
        seen = self.headings_seen.get(fold, 0)
        self.headings_seen[fold] = seen + 1
        return heading_key(text, seen)


def stringify(node: Any) -> str:
    """The plain text of a pandoc element or list of them (notes left out)."""
    out: list[str] = []

    def visit(x: Any) -> None:
        if isinstance(x, list):
            for item in x:
                visit(item)
            return
        if not isinstance(x, dict):
            return
        kind = x.get("t")
        if kind == "Str":
            out.append(x["c"])
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif kind in ("Code", "Math"):
            out.append(x["c"][1])
        elif kind == "Note":
            return
        elif kind == "Quoted":
            mark = '"' if x["c"][0]["t"] == "DoubleQuote" else "'"
            out.append(mark + stringify(x["c"][1]) + mark)
        elif kind in ("Para", "Plain", "Header", "CodeBlock"):
            if kind == "CodeBlock":
                out.append(x["c"][1])
            else:
                visit(x["c"])
            out.append(" ")
        elif "c" in x:
            visit(x["c"])

    visit(node)
    return " ".join("".join(out).split())


def heading_text(content: list[Any]) -> str:
    """The text of a heading's inlines as Word shows them accepted: deleted text and comments
    left out (``""`` for a heading with no text)."""

    def keep(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, dict) and item.get("t") == "Span":
                classes = item["c"][0][1]
                if "deletion" in classes or "comment-start" in classes:
                    continue
            if isinstance(item, dict) and isinstance(item.get("c"), list):
                item = {"t": item["t"], "c": keep(item["c"])}
            elif isinstance(item, list):
                item = keep(item)
            out.append(item)
        return out

    return stringify(keep(content))


def _has_image(node: Any) -> bool:
    if isinstance(node, list):
        return any(_has_image(x) for x in node)
    if isinstance(node, dict):
        return node.get("t") == "Image" or _has_image(node.get("c"))
    return False


def _attr_style(attr: list[Any]) -> str:
    return next((v for k, v in attr[2] if k == "custom-style"), "")


def _is_toc(style: str) -> bool:
    return any(style.startswith(p) for p in TOC_STYLES)


def _silent(style: str) -> bool:
    return style.lower() in _SILENT


def _quoted(blocks: list[Node]) -> list[Node]:
    """``blocks`` as a block quote (pandoc has made one of some quote styles already)."""
    if blocks and all(b.get("t") == "BlockQuote" for b in blocks):
        return blocks
    return [{"t": "BlockQuote", "c": blocks}]


def flatten(blocks: list[Node], found: Cleaned) -> list[Node]:
    """The top-level blocks with their style divisions taken apart, so that every heading is
    at the top (the table of contents and the title are left out and recorded)."""
    out: list[Node] = []
    for block in blocks:
        kind = block.get("t")
        if kind == "Div":
            attr, content = block["c"]
            style = _attr_style(attr)
            if _is_toc(style):
                found.toc_entries += 1
            elif style in TITLE_STYLES:
                found.title = found.title or stringify(content)
            elif style in QUOTE_STYLES:
                out.extend(_quoted(flatten(content, found)))
            else:
                if style and not _silent(style):
                    found.styles.add(style)
                out.extend(flatten(content, found))
        elif kind == "Header" and any(c.startswith("TOC") for c in block["c"][1][1]):
            found.count_heading(stringify(block["c"][2]))  # a table of contents' heading
        else:
            out.append(block)
    return out


class Cleaner:
    """Cleans the blocks of one segment after another, keeping what it finds in ``found``."""

    def __init__(self, found: Cleaned) -> None:
        self.found = found
        self.segment = 0
        self.section: str | None = None
        self.open_comments: list[Remark] = []
        self.comment_ids: dict[str, Remark] = {}
        self.caption = ""
        """The caption of the figure being cleaned (a picture's description if it has none)."""

    def segment_blocks(self, index: int, blocks: list[Node], has_title: bool) -> list[Node]:
        """``blocks`` of segment ``index`` cleaned (its first block is its title when
        ``has_title``)."""
        self.segment = index
        self.section = None
        out: list[Node] = []
        for n, block in enumerate(blocks):
            if block.get("t") == "Header" and not (has_title and n == 0):
                self.section = slugify(stringify(block["c"][2]))
            out.extend(self.node(block))
        return out

    def nodes(self, items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, dict) and "t" in item:
                out.extend(self.node(item))
            elif isinstance(item, list):
                out.append(self.nodes(item))
            else:
                out.append(item)
        return out

    def _children(self, node: Node) -> Node:
        if "c" in node:
            content = node["c"]
            node = {
                "t": node["t"],
                "c": self.nodes(content) if isinstance(content, list) else content,
            }
        return node

    def node(self, node: Node) -> list[Node]:  # noqa: C901 - one case per pandoc element
        kind = node["t"]
        if kind == "Str":
            for remark in self.open_comments:
                remark.anchor += node["c"]
            return [node]
        if kind in ("Space", "SoftBreak"):
            for remark in self.open_comments:
                remark.anchor += " "
            return [node]
        if kind in ("Para", "Plain"):
            cleaned = self._children(node)
            for remark in self.open_comments:
                remark.anchor += " "
            return [cleaned]
        if kind == "Span":
            return self._span(node)
        if kind == "Div":
            return self._div(node)
        if kind == "Header":
            level, attr, content = node["c"]
            if attr[0]:
                self.found.anchors.setdefault(attr[0], (self.segment, self.section))
            text = self.nodes(content)
            key = self.found.count_heading(stringify(text))
            self.found.anchors.setdefault(key, (self.segment, self.section))
            if not heading_text(content):  # as kb import's split sees it
                self.found.empty_headings += 1
                return [{"t": "Para", "c": text}] if _has_image(text) else []
            return [{"t": "Header", "c": [level, EMPTY_ATTR, text]}]
        if kind in ("Underline", "SmallCaps"):
            return self.nodes(node["c"])
        if kind == "Image":
            attr, alt, target = node["c"]
            self.found.images.append((self.segment, target[0]))
            alt = self.nodes(alt)
            if not stringify(alt):
                described = target[1].removeprefix("fig:").strip() or self.caption
                alt = [{"t": "Str", "c": described}] if described else []
            if not alt:
                self.found.no_alt.append((self.segment, target[0]))
            return [{"t": "Image", "c": [EMPTY_ATTR, alt, target]}]
        if kind == "Link":
            attr, content, target = node["c"]
            if attr[0]:
                self.found.anchors.setdefault(attr[0], (self.segment, self.section))
            href = target[0]
            if href.lower().startswith("file:") or not (
                href.startswith("#") or _SCHEME.match(href)
            ):
                self.found.file_links.append(target[0])
                return self.nodes(content)
            return [{"t": "Link", "c": [EMPTY_ATTR, self.nodes(content), target]}]
        if kind == "Code":
            return [{"t": "Code", "c": [EMPTY_ATTR, node["c"][1]]}]
        if kind == "CodeBlock":
            attr, text = node["c"]
            return [{"t": "CodeBlock", "c": [["", attr[1][:1], []], text]}]
        if kind == "Table":
            cleaned = self._children(node)
            cleaned["c"][0] = EMPTY_ATTR
            cleaned["c"][2] = [[align, {"t": "ColWidthDefault"}] for align, _w in cleaned["c"][2]]
            if html_table(cleaned["c"]):
                cleaned = plain_html(cleaned)
            return [plain_cells(cleaned)]
        if kind == "Figure":
            attr, caption, content = node["c"]
            caption_text = self.nodes(caption[1])
            self.caption = stringify(caption_text)
            try:
                return self.nodes(content) + caption_text
            finally:
                self.caption = ""
        if kind in ("RawBlock", "RawInline"):
            return []
        return [self._children(node)]

    def _span(self, node: Node) -> list[Node]:
        attr, content = node["c"]
        classes = attr[1]
        info = dict(attr[2])
        if "comment-start" in classes:
            remark = Remark(
                "comment", info.get("author", ""), info.get("date", ""), stringify(content),
                self.segment,
            )  # fmt: skip
            self.found.remarks.append(remark)
            self.open_comments.append(remark)
            self.comment_ids[info.get("id", "")] = remark
            return []
        if "comment-end" in classes:
            remark_or_none = self.comment_ids.get(info.get("id", ""))
            if remark_or_none in self.open_comments:
                self.open_comments.remove(remark_or_none)
                remark_or_none.anchor = " ".join(remark_or_none.anchor.split())
            return []
        if "deletion" in classes:
            self.found.remarks.append(
                Remark("deletion", info.get("author", ""), info.get("date", ""),
                       stringify(content), self.segment)
            )  # fmt: skip
            return []
        if "insertion" in classes:
            kept = self.nodes(content)
            self.found.remarks.append(
                Remark("insertion", info.get("author", ""), info.get("date", ""),
                       stringify(content), self.segment)
            )  # fmt: skip
            return kept
        if "paragraph-insertion" in classes or "paragraph-deletion" in classes:
            return []
        if attr[0]:
            self.found.anchors.setdefault(attr[0], (self.segment, self.section))
        style = _attr_style(attr)
        inner = self.nodes(content)
        if style in STRONG_STYLES:
            return [{"t": "Strong", "c": inner}]
        if style in EMPH_STYLES:
            return [{"t": "Emph", "c": inner}]
        if style in CODE_STYLES:
            return [{"t": "Code", "c": [EMPTY_ATTR, stringify(content)]}]
        if style and not _silent(style):
            self.found.styles.add(style)
        return inner

    def _div(self, node: Node) -> list[Node]:
        attr, content = node["c"]
        style = _attr_style(attr)
        if attr[0]:
            self.found.anchors.setdefault(attr[0], (self.segment, self.section))
        if _is_toc(style):
            self.found.toc_entries += 1
            return []
        if style in QUOTE_STYLES:
            return _quoted(self.nodes(content))
        if style and not _silent(style):
            self.found.styles.add(style)
        return self.nodes(content)
