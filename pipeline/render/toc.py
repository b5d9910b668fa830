"""Fill the table-of-contents field with the document's headings, then with page numbers.

A TOC field in a template holds only a placeholder until someone updates it. Rendering does not
ask Word to (no ``updateFields``, no ``w:dirty``: Word would ask about it every time the file
opens); instead :func:`fill_toc` writes the field's result the way Word does: one ``TOC n``
paragraph per heading, linked to a ``_Toc`` bookmark on the heading, so Word and LibreOffice
open the document with the same contents. Page numbers are unknown before layout, so a .docx
built without its PDF has entries without page numbers.

They come in a second step, after LibreOffice has laid the document out (see
:class:`.pdf.PdfConverter`, which reports the number its updated table prints for each entry):
:func:`number_toc` (on a parsed document) and :func:`number_toc_file` (on a .docx, rewritten
reproducibly and atomically, every other part kept byte for byte) add to each entry a tab and a
``PAGEREF`` field whose stored result is the page number, as Word writes it. The ``TOC n``
styles carry a right tab stop with a dot leader, so the number sits at the right margin. The
step is idempotent: numbers already there are replaced.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from lxml import etree

from ..errors import RenderError
from .merge import w
from .output import atomic_write, reproducible_zip

log = logging.getLogger(__name__)

_DOCUMENT_PART = "word/document.xml"
_LOOKAHEAD = 50
"""How far :func:`number_toc` looks ahead for an entry's text before giving up on it."""


@dataclass(frozen=True)
class TocEntry:
    """One line of a laid-out table of contents."""

    level: int
    """Outline level (1 for ``TOC 1``)."""
    text: str
    """The heading text as the entry shows it."""
    page: str
    """The page number the entry prints (a string: it may be roman or prefixed)."""


_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def fill_toc(document: Document) -> int:
    """Fill the first TOC field of ``document`` from its headings; returns the entry count."""
    body = document.element.body
    begin = _toc_begin(body)
    if begin is None:
        return 0
    if w("dirty") in begin.attrib:
        del begin.attrib[w("dirty")]  # its result is filled in here: nothing to ask Word
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


# -- page numbers ------------------------------------------------------------------------------


def number_toc(body: etree._Element, printed: Iterable[TocEntry]) -> int:
    """Give the entries of the first TOC field in ``body`` the page numbers of ``printed``.

    ``printed`` is the table as laid out (e.g. :attr:`.pdf.PdfResult.toc`); entries are matched
    in order by their text, so one missing on either side does not shift the others. Returns
    how many entries got a number; an entry without a match is left without one (logged).
    """
    begin = _toc_begin(body)
    if begin is None:
        return 0
    laid_out = list(printed)
    position = 0
    numbered = 0
    for paragraph in _field_paragraphs(begin):
        container = paragraph.find(w("hyperlink"))
        _drop_page_number(container if container is not None else paragraph)
        text = _normalise(_entry_text(paragraph))
        if not text:
            continue
        window = laid_out[position : position + _LOOKAHEAD]
        found = next((i for i, e in enumerate(window) if _normalise(e.text) == text), None)
        if found is None:
            log.warning("table of contents: no page number for %r", text)
            continue
        position += found + 1
        target = container.get(w("anchor")) if container is not None else None
        _add_page_number(
            container if container is not None else paragraph, laid_out[position - 1].page, target
        )
        numbered += 1
    return numbered


def toc_levels(docx: Path) -> list[tuple[int, str]]:
    """``(level, text)`` of each entry of the first TOC field of the .docx ``docx``.

    The level comes from the entry's ``TOC n`` style (0 when it has none). Raises
    :class:`RenderError` when the file is not a .docx.
    """
    root = etree.fromstring(_read_parts(docx)[1][_DOCUMENT_PART])
    body = root.find(w("body"))
    begin = _toc_begin(body) if body is not None else None
    if begin is None:
        return []
    entries = []
    for paragraph in _field_paragraphs(begin):
        style = paragraph.find(f"{w('pPr')}/{w('pStyle')}")
        match = re.search(r"(\d)$", style.get(w("val"), "") if style is not None else "")
        text = _normalise(_entry_text(paragraph))
        if text:
            entries.append((int(match.group(1)) if match else 0, text))
    return entries


def _read_parts(docx: Path) -> tuple[list[zipfile.ZipInfo], dict[str, bytes]]:
    try:
        with zipfile.ZipFile(docx) as zf:
            infos = zf.infolist()
            parts = {info.filename: zf.read(info.filename) for info in infos}
    except (OSError, zipfile.BadZipFile) as exc:
        raise RenderError(f"{docx}: cannot read it as a .docx: {exc}") from exc
    if _DOCUMENT_PART not in parts:
        raise RenderError(f"{docx}: not a Word document (no {_DOCUMENT_PART})")
    return infos, parts


def number_toc_file(
    docx: Path,
    printed: Sequence[TocEntry],
    output: Path | None = None,
    *,
    pages: int | None = None,
) -> int:
    """Write page numbers into the TOC of the .docx ``docx`` (see :func:`number_toc`), and
    with ``pages`` make it the stored result of every ``NUMPAGES`` field of the headers and
    footers (Word and LibreOffice recount them anyway; the stored result is what a reader
    that does not lay the document out shows).

    Only ``word/document.xml`` and the headers and footers change; the other parts, the entry
    order and the entries' time stay as they are, so the result is as reproducible as the
    input. Written atomically to
    ``output`` (default: ``docx`` itself); nothing is written when no entry changes. Returns the
    number of entries numbered. Raises :class:`RenderError` when the file is not a .docx.
    """
    infos, parts = _read_parts(docx)
    root = etree.fromstring(parts[_DOCUMENT_PART])
    body = root.find(w("body"))
    count = number_toc(body, printed) if body is not None else 0
    changed = {_DOCUMENT_PART: _xml_bytes(root)}
    if pages is not None:
        for name in parts:
            if re.fullmatch(r"word/(header|footer)\d*\.xml", name):
                part = etree.fromstring(parts[name])
                if _store_page_count(part, pages):
                    changed[name] = _xml_bytes(part)
    target = output or docx
    if all(parts[name] == data for name, data in changed.items()) and target == docx:
        return count
    parts.update(changed)
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as zf:
        for info in infos:
            zf.writestr(info.filename, parts[info.filename])
    stamp = dt.datetime(*infos[0].date_time, tzinfo=dt.UTC) if infos else dt.datetime.now(dt.UTC)
    atomic_write(target, reproducible_zip(raw.getvalue(), stamp))
    return count


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _store_page_count(part: etree._Element, pages: int) -> bool:
    """Make ``pages`` the stored result of the ``NUMPAGES`` fields of ``part``; returns
    whether there was one."""
    found = False
    for simple in part.iter(w("fldSimple")):
        if (simple.get(w("instr")) or "").split()[:1] == ["NUMPAGES"]:
            texts = list(simple.iter(w("t")))
            if texts:
                texts[0].text = str(pages)
                for extra in texts[1:]:
                    extra.text = ""
                found = True
    return found


def _field_paragraphs(begin: etree._Element) -> list[etree._Element]:
    """The paragraphs the field starting at ``begin`` spans (nested fields counted)."""
    first = begin.getparent().getparent()
    paragraphs = [first]
    depth = 0
    paragraph: etree._Element | None = first
    started = False
    while paragraph is not None:
        for mark in paragraph.iter(w("fldChar")):
            if mark is begin:
                started = True
            if not started:
                continue
            kind = mark.get(w("fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
            if depth == 0:
                return paragraphs
        paragraph = paragraph.getnext()
        while paragraph is not None and paragraph.tag != w("p"):
            paragraph = paragraph.getnext()
        if paragraph is not None:
            paragraphs.append(paragraph)
    return paragraphs


def _entry_text(paragraph: etree._Element) -> str:
    """The text of a TOC entry up to its page-number tab."""
    parts: list[str] = []
    for el in paragraph.iter(w("t"), w("tab")):
        if el.tag == w("tab"):
            if el.getparent().tag == w("r"):
                break
            continue  # a tab stop definition in the paragraph properties
        parts.append(el.text or "")
    return "".join(parts)


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _drop_page_number(container: etree._Element) -> None:
    """Remove a page number added before: a tab run and the ``PAGEREF`` field after it."""
    runs = [r for r in container if r.tag == w("r")]
    for i, run in enumerate(runs):
        if run.find(w("tab")) is None or i + 1 >= len(runs):
            continue
        instr = runs[i + 2].find(w("instrText")) if i + 2 < len(runs) else None
        if instr is None or "PAGEREF" not in (instr.text or ""):
            continue
        end = next(
            (
                j
                for j in range(i + 1, len(runs))
                if (m := runs[j].find(w("fldChar"))) is not None
                and m.get(w("fldCharType")) == "end"
            ),
            None,
        )
        if end is None:
            return
        for el in runs[i : end + 1]:
            container.remove(el)
        return


def _add_page_number(container: etree._Element, page: str, target: str | None) -> None:
    """Append a tab and the page number (a ``PAGEREF`` field when the entry has a target)."""
    if container.tag == w("p"):
        # no hyperlink: keep the number before the TOC's own field end, if it is here
        ends = [
            r
            for r in container.findall(w("r"))
            if (m := r.find(w("fldChar"))) is not None and m.get(w("fldCharType")) == "end"
        ]
        anchor: etree._Element | None = ends[-1] if ends else None
    else:
        anchor = None
    runs = [_run(etree.Element(w("tab")))]
    if target:
        runs += [
            _fld("begin"),
            _run(_text(f" PAGEREF {target} \\h ", "instrText")),
            _fld("separate"),
            _run(_text(page)),
            _fld("end"),
        ]
    else:
        runs.append(_run(_text(page)))
    for run in runs:
        if anchor is not None:
            anchor.addprevious(run)
        else:
            container.append(run)
