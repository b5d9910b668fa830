"""Merge pandoc's Word XML for Markdown blocks into a rendered template.

docxtpl's own ``Subdoc`` drops footnotes and list numbering and, with images, writes files that
python-docx and LibreOffice cannot open (python-docx-template issue #620). This module does the
merge itself, on the python-docx object model of the rendered template:

- body elements are copied in place of the block's slot paragraph;
- hyperlink and image relationships are re-created on the receiving part (images through the
  package's image store, so one picture used twice is stored once);
- list numbering (``w:num`` / ``w:abstractNum``) gets fresh ids above the template's, one new
  definition per list, so each list restarts and no list continues another;
- footnotes move into the document's footnotes part (created when the template has none);
- bookmarks get fresh ids and valid names (:func:`.bookmarks.bookmark_name`);
- internal links (relative links the document model resolved to a target key,
  :mod:`.model`) stay links when the document has that bookmark, and become plain text
  otherwise;
- styles pandoc used that the template lacks are copied from pandoc's styles.

Ids are assigned in document order, so the same inputs give the same XML.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Sequence

from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.parser import parse_xml
from lxml import etree

from ..errors import RenderError
from .bookmarks import bookmark_name
from .pandoc import PandocOutput, Rel, W
from .tables import (
    available_width,
    fit_table,
    fit_tables,
    landscape_section,
    lay_out_tables,
    section_of,
    section_width,
    text_width,
)
from .values import MarkdownBlock

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag or attribute."""
    return f"{{{W}}}{tag}"


_REL_ATTRS = (f"{{{R}}}id", f"{{{R}}}embed", f"{{{R}}}link")
_STYLE_TAGS = frozenset({w("pStyle"), w("rStyle"), w("tblStyle")})
_NUM_ID, _FOOTNOTE_REF, _HYPERLINK = w("numId"), w("footnoteReference"), w("hyperlink")
_BM_START, _BM_END, _VAL, _ID, _NAME, _ANCHOR = (
    w("bookmarkStart"),
    w("bookmarkEnd"),
    w("val"),
    w("id"),
    w("name"),
    w("anchor"),
)
_DOC_PR, _PIC_CNVPR = f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr"
_CHANGES = frozenset({w("ins"), w("del")})
"""Tracked changes (a draft's suggestions): pandoc numbers them per conversion, Word wants
each id once in the document."""
_FIRST_CHANGE = 900_000
"""The first id given to a tracked change (apart from the bookmarks' ids)."""


class Merger:
    """Copies converted blocks into one rendered document; call :meth:`finish` at the end."""

    def __init__(
        self, document: Document, output: PandocOutput, blocks: Sequence[MarkdownBlock]
    ) -> None:
        self.document = document
        self.out = output
        self.blocks = blocks
        self._num_map: dict[str, str] = {}
        self._abstract_map: dict[str, str] = {}
        self._styles_used: set[str] = set()
        self._links: list[etree._Element] = []
        self._footnotes: XmlPart | None = None
        self._numbering = document.part.numbering_part.element
        ids = [
            int(el.get(w(attr), "0"))
            for tag, attr in (("num", "numId"), ("abstractNum", "abstractNumId"))
            for el in self._numbering.iterchildren(w(tag))
        ]
        self._next_num = max(ids, default=0) + 1
        body = document.element.body
        self._next_bookmark = (
            max((int(el.get(w("id"), "0")) for el in body.iter(w("bookmarkStart"))), default=0) + 1
        )
        self._next_note = 1
        self._next_change = _FIRST_CHANGE
        self._source_nums = _index(output.numbering, "num", "numId")
        self._source_abstracts = _index(output.numbering, "abstractNum", "abstractNumId")
        self._hyperlink_ids: dict[tuple[int, str], str] = {}
        self._rid_counters: dict[int, int] = {}
        self._width = text_width(document)
        self._shared: set[int] = set()
        self._too_wide: list[etree._Element] = []
        self._turned: dict[tuple[str, int], str] = {}
        self.landscape: list[etree._Element] = []
        """Tables of Markdown blocks moved to landscape pages (too wide for portrait)."""

    # -- placing -----------------------------------------------------------------------------

    def share(self, indexes: Iterable[int]) -> None:
        """Blocks that will be inserted more than once (copied each time, not moved)."""
        self._shared.update(indexes)

    def insert(self, index: int, slot: etree._Element) -> None:
        """Replace the paragraph ``slot`` by the content of block ``index`` (see
        :meth:`share` for a block placed more than once)."""
        fragment = self.out.fragments[index]
        if index in self._shared:  # placed more than once: each place gets its own copy
            elements = [copy.deepcopy(e) for e in fragment]
        else:  # pandoc's own elements move in (its tree is not used again)
            elements = list(fragment)
        ids: dict[str, str] = {}
        for element in elements:
            self._import(element, self.document.part, self.out.document_rels, ids)
        self._too_wide += fit_tables(elements, available_width(slot, self._width))
        parent = slot.getparent()
        if parent is None:
            raise RenderError("a Markdown block slot has no parent element")
        for element in elements:
            slot.addprevious(element)
        parent.remove(slot)
        if parent.tag == w("tc") and parent[-1].tag != w("p"):
            parent.append(parse_xml(f'<w:p xmlns:w="{W}"/>'))  # a cell must end with a paragraph

    def _import(
        self, root: etree._Element, part: Part, rels: dict[str, Rel], ids: dict[str, str]
    ) -> None:
        for el in list(root.iter()):
            tag = el.tag
            if not isinstance(tag, str):
                continue
            attrib = el.attrib
            if attrib:
                for attr in _REL_ATTRS:
                    rid = attrib.get(attr)
                    if rid is not None:
                        self._relink(el, attr, rid, part, rels)
            if tag in _STYLE_TAGS:
                self._styles_used.add(el.get(_VAL, ""))
            elif tag == _NUM_ID:
                el.set(_VAL, self._num(el.get(_VAL, "0")))
            elif tag == _FOOTNOTE_REF:
                el.set(_ID, self._footnote(el.get(_ID, "")))
            elif tag == _BM_START or tag == _BM_END:
                old = el.get(_ID, "")
                if old not in ids:
                    ids[old] = str(self._next_bookmark)
                    self._next_bookmark += 1
                el.set(_ID, ids[old])
                if tag == _BM_START:
                    el.set(_NAME, bookmark_name(el.get(_NAME, "")))
            elif tag in _CHANGES:
                el.set(_ID, str(self._next_change))
                self._next_change += 1
            elif tag == _HYPERLINK and el.get(_ANCHOR) is not None:
                el.set(_ANCHOR, bookmark_name(el.get(_ANCHOR, "")))
                self._links.append(el)
            elif tag == _DOC_PR:
                # pandoc puts the image's path in the picture's description: use the alt text
                for pic in el.getparent().iter(_PIC_CNVPR):
                    pic.set("descr", el.get("descr", ""))

    def _relink(
        self, el: etree._Element, attr: str, rid: str, part: Part, rels: dict[str, Rel]
    ) -> None:
        rel = rels.get(rid)
        if rel is None:
            raise RenderError(f"pandoc output refers to a missing relationship {rid}")
        if rel.reltype == RT.HYPERLINK and rel.external:
            el.set(attr, self._hyperlink_rid(part, rel.target))
        elif rel.reltype == RT.IMAGE and not rel.external:
            blob = self.out.media.get(f"word/{rel.target}")
            if blob is None:
                raise RenderError(f"pandoc output lacks the image {rel.target}")
            image = self.document.part.package.get_or_add_image_part(io.BytesIO(blob))
            el.set(attr, part.relate_to(image, RT.IMAGE))
        else:
            raise RenderError(f"unexpected relationship in pandoc output: {rel.reltype}")

    def _hyperlink_rid(self, part: Part, target: str) -> str:
        """The id of an external hyperlink relationship (python-docx's lookup is linear)."""
        key = (id(part), target)
        if key not in self._hyperlink_ids:
            if not self._hyperlink_ids:
                for rel in part.rels.values():
                    if rel.is_external and rel.reltype == RT.HYPERLINK:
                        self._hyperlink_ids[(id(part), rel.target_ref)] = rel.rId
            if key not in self._hyperlink_ids:
                rid = f"rId{self._next_rid(part)}"
                part.rels.add_relationship(RT.HYPERLINK, target, rid, is_external=True)
                self._hyperlink_ids[key] = rid
        return self._hyperlink_ids[key]

    def _next_rid(self, part: Part) -> int:
        counter = self._rid_counters.get(id(part), len(part.rels) + 1)
        while f"rId{counter}" in part.rels:
            counter += 1
        self._rid_counters[id(part)] = counter + 1
        return counter

    # -- numbering ---------------------------------------------------------------------------

    def _num(self, old: str) -> str:
        if old == "0" or self.out.numbering is None:
            return old
        if old in self._num_map:
            return self._num_map[old]
        found = self._source_nums.get(old)
        if found is None:
            return "0"
        num = copy.deepcopy(found)
        abstract_ref = num.find(w("abstractNumId"))
        if abstract_ref is not None:
            abstract_ref.set(w("val"), self._abstract(abstract_ref.get(w("val"), "")))
        new = str(self._take_num_id())
        num.set(w("numId"), new)
        self._numbering.append(num)
        self._num_map[old] = new
        return new

    def _abstract(self, old: str) -> str:
        if old in self._abstract_map:
            return self._abstract_map[old]
        assert self.out.numbering is not None
        found = self._source_abstracts.get(old)
        if found is None:
            raise RenderError(f"pandoc numbering lacks abstract list {old}")
        abstract = copy.deepcopy(found)
        new_id = self._take_num_id()
        abstract.set(w("abstractNumId"), str(new_id))
        nsid = abstract.find(w("nsid"))
        if nsid is not None:  # Word joins lists that share an nsid: make it unique
            nsid.set(w("val"), f"{(0x4E440000 + new_id) & 0xFFFFFFFF:08X}")
        first_num = self._numbering.find(w("num"))
        if first_num is not None:
            first_num.addprevious(abstract)  # schema order: all abstractNum before num
        else:
            self._numbering.append(abstract)
        self._abstract_map[old] = str(new_id)
        return str(new_id)

    def _take_num_id(self) -> int:
        value = self._next_num
        self._next_num += 1
        return value

    # -- footnotes ---------------------------------------------------------------------------

    def _footnote(self, old: str) -> str:
        note = self.out.footnotes.get(old)
        if note is None:
            raise RenderError(f"pandoc output lacks footnote {old}")
        part = self._footnotes_part()
        new = str(self._next_note)
        self._next_note += 1
        note = copy.deepcopy(note)
        note.set(w("id"), new)
        self._import(note, part, self.out.footnote_rels, {})
        part.element.append(note)
        return new

    def _footnotes_part(self) -> XmlPart:
        if self._footnotes is not None:
            return self._footnotes
        doc_part = self.document.part
        for rel in doc_part.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                part = rel.target_part
                if not isinstance(part, XmlPart):  # python-docx loads footnotes as a blob
                    xml_part = XmlPart.load(
                        part.partname, part.content_type, part.blob, part.package
                    )
                    for old in part.rels.values():
                        xml_part.load_rel(old.reltype, old._target, old.rId, old.is_external)
                    rel._target = xml_part
                    part = xml_part
                self._footnotes = part
                break
        else:
            xml = f'<w:footnotes xmlns:w="{W}" xmlns:r="{R}"/>'
            part = XmlPart(
                PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(xml), doc_part.package
            )
            for separator in self.out.separators:
                part.element.append(copy.deepcopy(separator))
            doc_part.relate_to(part, RT.FOOTNOTES)
            self._footnotes = part
        ids = [
            int(n.get(w("id"), "0")) for n in self._footnotes.element.iterchildren(w("footnote"))
        ]
        self._next_note = max([0, *ids]) + 1
        return self._footnotes

    # -- finishing ---------------------------------------------------------------------------

    def finish(self) -> None:
        """Drop duplicate bookmarks, settle internal links, copy missing styles; lay out
        every table (:func:`.tables.lay_out_tables`) and turn those too wide for a portrait
        page to landscape pages (:func:`.tables.landscape_section`)."""
        body = self.document.element.body
        lay_out_tables(self.document)
        portrait = self._width
        for table in self._too_wide:
            if table.getparent() is body and landscape_section(table):
                section = section_of(table)
                if section is not None:
                    width = section_width(section)
                    fit_table(table, width)
                    self._turn_headers(section, portrait, width)
                self.landscape.append(table)
        roots: list[etree._Element] = [body]
        if self._footnotes is not None:
            roots.append(self._footnotes.element)
        names = _dedupe_bookmarks(roots)
        for link in self._links:
            if link.get(w("anchor")) not in names:
                _unwrap(link)
        self._copy_styles()

    def _turn_headers(self, section: etree._Element, portrait: int, landscape: int) -> None:
        """Give the landscape ``section`` its own copies of the headers and footers, their
        right-aligned tab stops moved from the portrait to the landscape right margin."""
        part = self.document.part
        for ref in section:
            if ref.tag not in (w("headerReference"), w("footerReference")):
                continue
            rid = ref.get(f"{{{R}}}id", "")
            key = (rid, landscape)
            if key not in self._turned:
                source = part.rels[rid].target_part
                is_header = ref.tag == w("headerReference")
                name = "/word/header%d.xml" if is_header else "/word/footer%d.xml"
                element = copy.deepcopy(source.element)  # type: ignore[attr-defined]
                _move_right_tabs(element, self.document.styles.element, portrait, landscape)
                copied = type(source)(
                    part.package.next_partname(name),
                    source.content_type,
                    element,
                    part.package,
                )
                for old in source.rels.values():
                    copied.rels.add_relationship(old.reltype, old._target, old.rId, old.is_external)
                self._turned[key] = part.relate_to(copied, RT.HEADER if is_header else RT.FOOTER)
            ref.set(f"{{{R}}}id", self._turned[key])

    def _copy_styles(self) -> None:
        if self.out.styles is None:
            return
        target = self.document.styles.element
        have = {s.get(w("styleId")) for s in target.iterchildren(w("style"))}
        source = {s.get(w("styleId")): s for s in self.out.styles.iterchildren(w("style"))}
        todo = sorted(self._styles_used - have)
        while todo:
            style_id = todo.pop(0)
            if style_id in have or style_id not in source:
                continue
            style = copy.deepcopy(source[style_id])
            target.append(style)
            have.add(style_id)
            for ref in ("basedOn", "link", "next"):
                el = style.find(w(ref))
                if el is not None and el.get(w("val")) not in have:
                    todo.append(el.get(w("val"), ""))


_BEFORE_TABS = frozenset(
    w(t)
    for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
              "numPr", "suppressLineNumbers", "pBdr", "shd")
)  # fmt: skip
"""Children of ``w:pPr`` the schema puts before ``w:tabs``."""


def _move_right_tabs(
    root: etree._Element, styles: etree._Element, portrait: int, landscape: int
) -> None:
    """In every paragraph of ``root``, replace a right tab stop at the ``portrait`` right
    margin (its own or its style's) by one at the ``landscape`` right margin."""
    by_id = {s.get(w("styleId")): s for s in styles.iterchildren(w("style"))}
    for paragraph in root.iter(w("p")):
        ppr = paragraph.find(w("pPr"))
        if ppr is None:
            ppr = parse_xml(f'<w:pPr xmlns:w="{W}"/>')
            paragraph.insert(0, ppr)
        stops = list(ppr.iterfind(f"{w('tabs')}/{w('tab')}"))
        style_id = ppr.find(w("pStyle"))
        style = by_id.get(style_id.get(w("val")) if style_id is not None else None)
        seen = 0
        while style is not None and seen < 10:  # the style's own stops, through basedOn
            stops += list(style.iterfind(f"{w('pPr')}/{w('tabs')}/{w('tab')}"))
            based = style.find(w("basedOn"))
            style = by_id.get(based.get(w("val"))) if based is not None else None
            seen += 1
        moved = {
            t.get(w("pos"))
            for t in stops
            if t.get(w("val")) == "right" and abs(int(t.get(w("pos"), "0")) - portrait) < 60
        }
        if not moved:
            continue
        tabs = ppr.find(w("tabs"))
        if tabs is None:
            tabs = parse_xml(f'<w:tabs xmlns:w="{W}"/>')
            before = [c for c in ppr if c.tag in _BEFORE_TABS]  # the schema's order
            if before:
                before[-1].addnext(tabs)
            else:
                ppr.insert(0, tabs)
        for old in list(tabs):
            if old.get(w("pos")) in moved:
                tabs.remove(old)
        for pos in sorted(moved):
            tabs.append(parse_xml(f'<w:tab xmlns:w="{W}" w:val="clear" w:pos="{pos}"/>'))
        tabs.append(parse_xml(f'<w:tab xmlns:w="{W}" w:val="right" w:pos="{landscape}"/>'))


def _index(parent: etree._Element | None, tag: str, attr: str) -> dict[str, etree._Element]:
    if parent is None:
        return {}
    return {el.get(w(attr), ""): el for el in parent.iterchildren(w(tag))}


def _dedupe_bookmarks(roots: Iterable[etree._Element]) -> set[str]:
    names: set[str] = set()
    for root in roots:
        drop: set[str] = set()
        for start in root.iter(w("bookmarkStart")):
            name = start.get(w("name"), "")
            if name in names:
                drop.add(start.get(w("id"), ""))
            names.add(name)
        if drop:
            for el in list(root.iter(w("bookmarkStart"), w("bookmarkEnd"))):
                if el.get(w("id")) in drop:
                    parent = el.getparent()
                    if parent is not None:
                        parent.remove(el)
    return names


def _unwrap(link: etree._Element) -> None:
    """Replace a hyperlink by its runs, as plain text (without the Hyperlink style)."""
    parent = link.getparent()
    if parent is None:
        return
    position = parent.index(link)
    for child in list(link):
        for style in child.findall(f"{w('rPr')}/{w('rStyle')}"):
            if style.get(w("val")) == "Hyperlink":
                style.getparent().remove(style)
        parent.insert(position, child)
        position += 1
    parent.remove(link)


def renumber_drawings(roots: Iterable[etree._Element]) -> None:
    """Give every picture a unique ``wp:docPr``/``pic:cNvPr`` id, in document order."""
    next_id = 1
    for root in roots:
        for el in root.iter(f"{{{WP}}}docPr"):
            el.set("id", str(next_id))
            next_id += 1
