"""The Word side of the redline: a styles-only reference document, and the finishing touches
pandoc's tracked changes need to behave in Word and LibreOffice.

- :func:`reference_doc`: the document type's template with its body emptied and its headers
  and footers unhooked (they hold Jinja tags such as ``{{ running_title }}``), so pandoc takes
  its styles, page size and margins and nothing of its text.
- :func:`finish_tracking`: pandoc numbers every ``w:ins``/``w:del`` from 1 again and again
  (Word wants one id per change), and it tracks the text of an inserted or deleted paragraph
  but not the paragraph itself, so accepting a deletion would leave an empty paragraph behind.
  Every change gets an id of its own; a paragraph whose whole text is inserted (deleted) gets
  its paragraph mark marked so too, and a table row all of whose text is, the row (``w:trPr``).
- :func:`with_properties`: the custom document properties that say what the redline is
  (:data:`REDLINE`), so that one sent to reviewers is told from a published document.
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Iterable, Iterator
from itertools import count
from pathlib import Path

from lxml import etree

from ..docx_file import main_part
from ..errors import TemplateError
from ..fs import atomic_write

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT = ("t", "delText", "tab", "br", "cr", "drawing", "pict", "footnoteReference",
            "endnoteReference", "sym", "noBreakHyphen", "object")  # fmt: skip
"""Run children that are something on the page."""
_TRACKED_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
REDLINE = "netdocs-redline"
"""The custom property of a redline: the two editions it compares, ``OLD..NEW``."""


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def reference_doc(template: Path, target: Path) -> None:
    """Write a copy of ``template`` without body text, headers or footers to ``target``
    (its main part wherever ``_rels/.rels`` says: Word may save it as ``word/document2.xml``)."""
    try:
        with zipfile.ZipFile(template) as zin:
            main = main_part(zin) or "word/document.xml"
            document = etree.fromstring(zin.read(main))
            items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    except (OSError, zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise TemplateError(
            f"{template}: not a Word document that can lend its styles ({exc}); "
            "restore it from the project, or run `netdocs templates build`"
        ) from None
    body = document.find(_w("body"))
    if body is None:
        raise TemplateError(f"{template}: {main} has no body")
    sections = body.findall(f".//{_w('sectPr')}")
    section = copy.deepcopy(sections[-1]) if sections else etree.Element(_w("sectPr"))
    for child in list(section):
        if child.tag in (_w("headerReference"), _w("footerReference"), _w("titlePg")):
            section.remove(child)
    for child in list(body):
        body.remove(child)
    body.append(etree.Element(_w("p")))
    body.append(section)
    data = etree.tostring(document, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, content in items:
            zout.writestr(info, data if info.filename == main else content)
    atomic_write(target, out.getvalue())


def with_properties(docx: bytes, edition: str, document: str, editions: tuple[str, str]) -> bytes:
    """``docx`` with the custom properties of the redline of the ``document`` (type) of the
    edition ``edition`` since ``editions[0]``: ``netdocs-edition``, ``netdocs-document`` and
    :data:`REDLINE` (``OLD..NEW``), no ``netdocs-cluster``, any other kept (``docProps/custom.xml``
    written, with its relationship and content type when pandoc gave none)."""
    from ..render.custom_props import (
        CLUSTER,
        CONTENT_TYPE,
        DOCUMENT,
        EDITION,
        PART,
        RELATIONSHIP,
        properties_xml,
        read_custom_properties,
    )

    props = read_custom_properties(docx)
    props.pop(CLUSTER, None)
    props.update({EDITION: edition, DOCUMENT: document, REDLINE: "..".join(editions)})
    with zipfile.ZipFile(io.BytesIO(docx)) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == PART:
                continue
            if info.filename == "[Content_Types].xml":
                data = _with_child(data, "Override", "PartName", "/" + PART,
                                   ContentType=CONTENT_TYPE)  # fmt: skip
            elif info.filename == "_rels/.rels":
                data = _with_child(data, "Relationship", "Type", RELATIONSHIP, Target=PART)
            zout.writestr(info, data)
        zout.writestr(PART, properties_xml(props))
    return out.getvalue()


def _with_child(xml: bytes, tag: str, attribute: str, value: str, **more: str) -> bytes:
    """``xml`` with a child ``tag`` whose ``attribute`` is ``value`` (added, with ``more``
    attributes and a new ``Id`` for a relationship, when it has none)."""
    root = etree.fromstring(xml)
    namespace = etree.QName(root).namespace
    name = f"{{{namespace}}}{tag}" if namespace else tag
    if any(child.get(attribute) == value for child in root.iter(name)):
        return xml
    child = etree.SubElement(root, name, {attribute: value, **more})
    if tag == "Relationship":
        used = {el.get("Id") for el in root}
        child.set("Id", next(f"rId{n}" for n in count(1000) if f"rId{n}" not in used))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish_tracking(docx: bytes, author: str, date: str) -> bytes:
    """``docx`` (pandoc's) with one id per change and whole inserted or deleted paragraphs
    and table rows tracked as such."""
    with zipfile.ZipFile(io.BytesIO(docx)) as zin:
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    parts = {info.filename: etree.fromstring(data)
             for info, data in items if info.filename in _TRACKED_PARTS}  # fmt: skip
    ids = _first_free_id(parts.values())
    for root in parts.values():
        for run in list(root.iter(_w("r"))):
            if run.find(_w("delText")) is not None and _change_of(run, None) != "del":
                wrapper = _change("del", author, date)  # pandoc's space after a deleted
                run.addprevious(wrapper)  # footnote's number: deleted text, but not tracked
                wrapper.append(run)
        for paragraph in root.iter(_w("p")):
            state = _paragraph_state(paragraph)
            if state:
                _mark_paragraph(paragraph, state, author, date)
        for row in root.iter(_w("tr")):
            state = _row_state(row)
            if state:
                _mark_row(row, state, author, date)
        for change in root.iter(_w("ins"), _w("del")):
            change.set(_w("id"), str(next(ids)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            root = parts.get(info.filename)
            if root is not None:
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)  # fmt: skip
            zout.writestr(info, data)
    return out.getvalue()


def _first_free_id(roots: Iterable[etree._Element]) -> Iterator[int]:
    """Ids above every annotation id already used (bookmarks, comments)."""
    used = [0]
    for root in roots:
        for el in root.iter(_w("bookmarkStart"), _w("bookmarkEnd"), _w("commentRangeStart")):
            value = el.get(_w("id"), "")
            if value.isdigit():
                used.append(int(value))
    return count(max(used) + 1)


def _paragraph_state(paragraph: etree._Element) -> str:
    """``ins`` or ``del`` when every run of the paragraph with content is inside one kind of
    change, else ''."""
    kinds: set[str] = set()
    for run in paragraph.iter(_w("r")):
        if _inner_paragraph(run) is not paragraph or not _has_content(run) or _blank(run):
            continue
        change = _change_of(run, paragraph)
        kinds.add(change or "plain")
        if change is None:
            return ""
    return kinds.pop() if len(kinds) == 1 else ""


def _inner_paragraph(node: etree._Element) -> etree._Element | None:
    parent = node.getparent()
    while parent is not None and parent.tag != _w("p"):
        parent = parent.getparent()
    return parent


def _has_content(run: etree._Element) -> bool:
    return any(child.tag in {_w(n) for n in _CONTENT} for child in run)


def _blank(run: etree._Element) -> bool:
    """Only spaces (pandoc's between a footnote's number and its text)?"""
    texts = [c for c in run if c.tag in (_w("t"), _w("delText"))]
    return len(texts) == len(run.findall(_w("*"))) - (run.find(_w("rPr")) is not None) and all(
        not (t.text or "").strip() for t in texts
    )


def _change_of(run: etree._Element, paragraph: etree._Element | None) -> str | None:
    parent = run.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag == _w("ins"):
            return "ins"
        if parent.tag == _w("del"):
            return "del"
        parent = parent.getparent()
    return None


def _mark_paragraph(paragraph: etree._Element, state: str, author: str, date: str) -> None:
    ppr = paragraph.find(_w("pPr"))
    if ppr is None:
        ppr = etree.Element(_w("pPr"))
        paragraph.insert(0, ppr)
    rpr = ppr.find(_w("rPr"))
    if rpr is None:
        rpr = etree.Element(_w("rPr"))
        later = [c for c in ppr if c.tag in (_w("sectPr"), _w("pPrChange"))]
        if later:
            later[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, _change(state, author, date))


def _row_state(row: etree._Element) -> str:
    """``ins``/``del`` when every paragraph of the row with text was marked so."""
    kinds: set[str] = set()
    for paragraph in row.iter(_w("p")):
        if not any(_has_content(r) for r in paragraph.iter(_w("r"))):
            continue
        mark = paragraph.find(f"{_w('pPr')}/{_w('rPr')}")
        found = [c.tag for c in mark] if mark is not None else []
        if _w("ins") in found:
            kinds.add("ins")
        elif _w("del") in found:
            kinds.add("del")
        else:
            return ""
    return kinds.pop() if len(kinds) == 1 else ""


def _mark_row(row: etree._Element, state: str, author: str, date: str) -> None:
    trpr = row.find(_w("trPr"))
    if trpr is None:
        trpr = etree.Element(_w("trPr"))
        prex = row.find(_w("tblPrEx"))
        if prex is not None:
            prex.addnext(trpr)
        else:
            row.insert(0, trpr)
    trpr.append(_change(state, author, date))


def _change(state: str, author: str, date: str) -> etree._Element:
    el = etree.Element(_w(state))
    el.set(_w("id"), "0")  # numbered with the others
    el.set(_w("author"), author)
    el.set(_w("date"), date)
    return el
