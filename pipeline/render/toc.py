"""Fill the table-of-contents field with the document's headings.

A TOC field in a template holds only a placeholder until someone updates it; Word does so when
the file opens (the templates set ``updateFields``) but LibreOffice, and so every PDF, would
print the placeholder. :func:`fill_toc` writes the field's result the way Word does: one
``TOC n`` paragraph per heading, linked to a ``_Toc`` bookmark on the heading. Page numbers are
left out: they are unknown before layout and LibreOffice prints a field's stored result as it
is, so the PDF shows a clickable list of headings; Word replaces it with the full table, page
numbers included, when it updates the field (on open). The field itself stays.
"""

from __future__ import annotations

import re

from docx.document import Document
from lxml import etree

from .merge import w

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def fill_toc(document: Document) -> int:
    """Fill the first TOC field of ``document`` from its headings; returns the entry count."""
    body = document.element.body
    begin = _toc_begin(body)
    if begin is None:
        return 0
    first_para = begin.getparent().getparent()
    levels = _heading_levels(document, _outline_range(begin))
    start = max((int(b.get(w("id"), "0")) for b in body.iter(w("bookmarkStart"))), default=0) + 1
    entries: list[etree._Element] = []
    seen_toc = False
    for index, paragraph in enumerate(body.iter(w("p"))):
        if paragraph is first_para:
            seen_toc = True
            continue
        if not seen_toc:
            continue
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        level = levels.get(style.get(w("val"), "") if style is not None else "")
        text = "".join(t.text or "" for t in paragraph.iter(w("t"))).strip()
        if level is None or not text:
            continue
        name = f"_Toc{900000000 + index}"
        _bookmark(paragraph, name, str(start + len(entries)))
        entries.append(_entry(level, text, name))
    if not entries:
        return 0
    _replace_result(begin, entries)
    return len(entries)


def _toc_begin(body: etree._Element) -> etree._Element | None:
    """The ``fldChar begin`` run of the first field whose instruction starts with TOC."""
    pending: etree._Element | None = None
    for el in body.iter(w("fldChar"), w("instrText")):
        if el.tag == w("fldChar") and el.get(w("fldCharType")) == "begin":
            pending = el
        elif el.tag == w("instrText") and pending is not None:
            if (el.text or "").strip().startswith("TOC"):
                return pending
            pending = None
    return None


def _outline_range(begin: etree._Element) -> tuple[int, int]:
    run = begin.getparent()
    instr = ""
    for sibling in run.itersiblings():
        found = sibling.find(w("instrText"))
        if found is None:
            break
        instr += found.text or ""
    match = re.search(r'\\o\s+"(\d)-(\d)"', instr)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 3)


def _heading_levels(document: Document, outline: tuple[int, int]) -> dict[str, int]:
    levels: dict[str, int] = {}
    for style in document.styles:
        match = re.fullmatch(r"heading (\d)", (style.name or "").lower())
        if match and outline[0] <= int(match.group(1)) <= outline[1]:
            levels[style.style_id] = int(match.group(1))
    return levels


def _bookmark(paragraph: etree._Element, name: str, bid: str) -> None:
    start = etree.Element(w("bookmarkStart"), {w("id"): bid, w("name"): name})
    ppr = paragraph.find(w("pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        paragraph.insert(0, start)
    paragraph.append(etree.Element(w("bookmarkEnd"), {w("id"): bid}))


def _run(child: etree._Element) -> etree._Element:
    run = etree.Element(w("r"))
    run.append(child)
    return run


def _text(value: str, tag: str = "t") -> etree._Element:
    el = etree.Element(w(tag))
    el.text = value
    el.set(_XML_SPACE, "preserve")
    return el


def _fld(kind: str) -> etree._Element:
    return _run(etree.Element(w("fldChar"), {w("fldCharType"): kind}))


def _entry(level: int, text: str, bookmark: str) -> etree._Element:
    paragraph = etree.Element(w("p"))
    ppr = etree.SubElement(paragraph, w("pPr"))
    etree.SubElement(ppr, w("pStyle"), {w("val"): f"TOC{level}"})
    link = etree.SubElement(paragraph, w("hyperlink"), {w("anchor"): bookmark, w("history"): "1"})
    link.append(_run(_text(text)))
    return paragraph


def _replace_result(begin: etree._Element, entries: list[etree._Element]) -> None:
    """Put ``entries`` between the field's ``separate`` and ``end`` marks."""
    begin_run = begin.getparent()
    paragraph = begin_run.getparent()
    separate = end = None
    for run in begin_run.itersiblings(w("r")):
        mark = run.find(w("fldChar"))
        kind = mark.get(w("fldCharType")) if mark is not None else None
        if kind == "separate" and separate is None:
            separate = run
        elif kind == "end":
            end = run
            break
    if separate is None or end is None:
        return  # a TOC spread over paragraphs (already updated in Word): leave it to Word
    for run in list(separate.itersiblings()):
        if run is end:
            break
        paragraph.remove(run)
    tail = list(end.itersiblings())  # what followed the field (a page break) moves with it
    anchor = paragraph
    for entry in entries:
        anchor.addnext(entry)
        anchor = entry
    # like Word: the field starts in the first entry and ends in the last one
    head = [begin_run, *begin_run.itersiblings()]
    head = head[: head.index(separate) + 1]
    entries[0].find(w("pPr")).addnext(head[0])
    for prev, run in zip(head, head[1:], strict=False):
        prev.addnext(run)
    for el in [end, *tail]:
        entries[-1].append(el)
    leftover = [c for c in paragraph if c.tag != w("pPr")]
    if not leftover:
        paragraph.getparent().remove(paragraph)
