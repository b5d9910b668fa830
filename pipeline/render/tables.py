"""Lay tables out for the page: widths from their content, rows whole, headers repeated.

Pandoc writes tables with an automatic width and equal columns sized for its own default page;
LibreOffice keeps those widths, so a six-column table wraps every few letters. Tables of
Markdown blocks are fitted to the text width of the section they are in (:func:`fit_table`):
the classic automatic table layout, where a column needs at least its longest word and at most
its longest paragraph, measured with Calibri's (Carlito's) character widths.

Every table of the document, a designer's own included (:func:`lay_out_tables`), keeps each
row on one page (``cantSplit``), repeats its header row on every page (``tblHeader``), keeps
its header with the first row under it and the paragraph that introduces it ("…:") with it.
A table too wide for a portrait page goes into a landscape section of its own
(:func:`landscape_section`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass

from docx.document import Document
from docx.oxml.parser import parse_xml
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PAD = 280
"""Width of a cell's margins (the Table style's 100 + 100) and some slack, in twentieths of a
point."""
FONT_TWIPS = 220
"""Size of table text (11 pt) in twentieths of a point: one em."""
WORD_CAP = 0.4
"""Share of the text width a column's longest word may claim (a longer word, say a URL, wraps
inside the word rather than starving the other columns)."""

# Advance widths of Carlito (metric-compatible with Calibri), in thousandths of an em, for
# the characters from " " to "~"; other characters count as _OTHER.
_REGULAR = (
    226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463, 894, 579, 544, 533,
    615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662, 517, 673, 543, 459, 487, 642,
    567, 890, 519, 487, 468, 307, 386, 307, 498, 498, 291, 479, 525, 423, 525, 498, 305, 471,
    525, 229, 239, 455, 229, 799, 525, 527, 525, 525, 349, 391, 335, 525, 452, 715, 433, 453,
    395, 314, 460, 314, 498,
)  # fmt: skip
_BOLD = (
    226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 507, 276, 276, 498, 498, 498, 463, 898, 606, 561, 529,
    630, 488, 459, 637, 631, 267, 331, 547, 423, 874, 659, 676, 532, 686, 563, 473, 495, 653,
    591, 906, 551, 520, 478, 325, 430, 325, 498, 498, 300, 494, 537, 418, 537, 503, 316, 474,
    537, 246, 255, 480, 246, 813, 537, 538, 537, 537, 355, 399, 347, 537, 473, 745, 459, 474,
    397, 344, 475, 344, 498,
)  # fmt: skip
_OTHER = 560
"""Width of a character outside ASCII (accented letters are close to their base letter; CJK
wider, but rare in tables)."""


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def measure(text: str, bold: bool = False) -> int:
    """Width of ``text`` on one line of table text, in twentieths of a point."""
    table = _BOLD if bold else _REGULAR
    total = 0
    for ch in text:
        code = ord(ch) - 32
        total += table[code] if 0 <= code < len(table) else 226 if ch == "\u00a0" else _OTHER
    return (total * FONT_TWIPS + 999) // 1000


# -- sections ----------------------------------------------------------------------------------


def text_width(document: Document) -> int:
    """Width between the margins of the document's last section, in twentieths of a point."""
    body_sect = document.element.body.find(_w("sectPr"))
    return section_width(body_sect) if body_sect is not None else 9026


def section_width(sect_pr: etree._Element) -> int:
    """Width between the margins of the section ``sect_pr`` describes (one column's, when it
    has several), in twips: :func:`text_area`'s, or an A4 page's with 2.54 cm margins when
    the section gives no page size."""
    area = text_area(sect_pr)
    return max(area[0], 2000) if area is not None else 9026


def text_area(sect_pr: etree._Element) -> tuple[int, int] | None:
    """Width and height in twips of the text area of the section ``sect_pr`` describes (page
    size less margins and gutter, one column's width when there are several); ``None``
    without a page size. Tables (:func:`section_width`) and pictures
    (:func:`.pictures.fit_pictures`) both read it."""
    size = sect_pr.find(_w("pgSz"))
    if size is None or size.get(_w("w")) is None or size.get(_w("h")) is None:
        return None
    margins = sect_pr.find(_w("pgMar"))

    def twips(element: etree._Element | None, name: str) -> int:
        value = element.get(_w(name)) if element is not None else None
        return abs(int(float(value))) if value else 0

    width = twips(size, "w") - twips(margins, "left") - twips(margins, "right")
    width -= twips(margins, "gutter")
    height = twips(size, "h") - twips(margins, "top") - twips(margins, "bottom")
    cols = sect_pr.find(_w("cols"))
    count = int(cols.get(_w("num"), "1")) if cols is not None else 1
    if count > 1:
        width = (width - twips(cols, "space") * (count - 1)) // count
    return width, height


def section_of(element: etree._Element) -> etree._Element | None:
    """The ``w:sectPr`` of the section ``element`` (anywhere in the body) is in."""
    top = element
    for ancestor in element.iterancestors():
        if ancestor.tag == _w("body"):
            break
        top = ancestor
    for candidate in (top, *top.itersiblings()):
        if candidate.tag == _w("sectPr"):
            return candidate
        if candidate.tag == _w("p"):
            found = candidate.find(f"{_w('pPr')}/{_w('sectPr')}")
            if found is not None:
                return found
    return None


def is_landscape(sect_pr: etree._Element) -> bool:
    size = sect_pr.find(_w("pgSz"))
    if size is None:
        return False
    return int(size.get(_w("w"), "0")) > int(size.get(_w("h"), "0"))


def available_width(element: etree._Element, document_width: int) -> int:
    """Text width where ``element`` is: its cell's width inside a table, else its section's."""
    for ancestor in element.iterancestors(_w("tc")):
        width = ancestor.find(f"{_w('tcPr')}/{_w('tcW')}")
        if width is not None and width.get(_w("type")) == "dxa":
            return max(int(width.get(_w("w"), "0")) - PAD, 1000)
        break
    sect = section_of(element)
    return section_width(sect) if sect is not None else document_width


# -- column widths -----------------------------------------------------------------------------


_BREAKS = re.compile(r"[ \t\n\r]+|(?<=[-\u2013/])(?=[^\W\d_])")
"""Where a line may break: at spaces (not at a no-break space: "EUR\u00a0153,000.00" is one
word) and after a hyphen, dash or slash followed by a letter ("roles/centre-coordinator.md"),
as Word and LibreOffice do; never inside a date or number range ("2026-01-01", "2025–2029")."""


@dataclass(frozen=True)
class Extent:
    """What one column needs."""

    least: int
    """Its longest word plus the cell margins, in twips (nothing narrower avoids breaking
    inside a word)."""
    most: int
    """Its longest paragraph on one line plus the cell margins (nothing wider helps)."""


def _paragraph_texts(cell: etree._Element) -> list[tuple[str, bool]]:
    """The text of each paragraph of ``cell`` and whether it is (all) bold."""
    found = []
    for paragraph in cell.iter(_w("p")):
        runs = [r for r in paragraph.iter(_w("r")) if r.find(_w("t")) is not None]
        text = "".join(t.text or "" for r in runs for t in r.iter(_w("t")))
        bold = bool(runs) and all(r.find(f"{_w('rPr')}/{_w('b')}") is not None for r in runs)
        found.append((text, bold))
    return found


def extents(rows: list[list[etree._Element]], columns: int, header_rows: int = 0) -> list[Extent]:
    """What each of ``columns`` needs (the first ``header_rows`` are set in bold)."""
    result = []
    for i in range(columns):
        least = most = 0
        for r, row in enumerate(rows):
            for text, bold in _paragraph_texts(row[i]):
                bold = bold or r < header_rows
                most = max(most, measure(text.strip(), bold))
                for word in _BREAKS.split(text):
                    least = max(least, measure(word, bold))
        result.append(Extent(least + PAD, max(most, least) + PAD))
    return result


def distribute(needs: list[Extent], width: int) -> list[int]:
    """Column widths for a table at most ``width`` wide (the automatic table layout).

    Each column gets its least width (a longest word capped at :data:`WORD_CAP` of ``width``);
    the rest of the width is shared in proportion to how much more each column could use
    (most − least). A table that needs less than ``width`` keeps its natural width; one whose
    least widths do not fit is scaled down to ``width``.
    """
    cap = int(width * WORD_CAP)
    least = [min(n.least, cap) for n in needs]
    most = [max(n.most, low) for n, low in zip(needs, least, strict=True)]
    if sum(most) <= width:
        return most
    if sum(least) >= width:
        widths = [max(int(low * width / sum(least)), 1) for low in least]
    else:
        spare = width - sum(least)
        room = [high - low for low, high in zip(least, most, strict=True)]
        widths = [low + int(spare * r / sum(room)) for low, r in zip(least, room, strict=True)]
    widths[-1] += width - sum(widths)
    return widths


def _rows(table: etree._Element) -> list[list[etree._Element]]:
    return [list(row.iterchildren(_w("tc"))) for row in table.iterchildren(_w("tr"))]


def _span(cell: etree._Element) -> int:
    span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
    return int(span.get(_w("val"), "1")) if span is not None else 1


def _cell_text(cell: etree._Element) -> str:
    return "".join(t.text or "" for t in cell.iter(_w("t"))).strip()


@dataclass
class _Shape:
    """A table's rows sorted for fitting."""

    columns: int
    rows: list[list[etree._Element]]
    """Rows of one cell per column: they size the columns."""
    groups: list[list[etree._Element]]
    """Rows that only name a group in their first cell: they will span the table."""
    spanning: list[etree._Element]
    """Cells that already span the whole table (a group row merged before)."""


def _shape(table: etree._Element) -> _Shape | None:
    """The rows of ``table`` by kind; ``None`` when its cells are merged otherwise (then its
    layout is left alone)."""
    rows = _rows(table)
    if not rows or not rows[0]:
        return None
    columns = max(sum(_span(c) for c in row) for row in rows)
    headers = _header_count(table)
    shape = _Shape(columns, [], [], [])
    for index, row in enumerate(rows):
        if len(row) == 1 and _span(row[0]) == columns and columns > 1:
            shape.spanning.append(row[0])
        elif len(row) != columns or any(_span(c) != 1 for c in row):
            return None  # merged cells: leave pandoc's layout alone
        elif (
            columns >= 3
            and index >= headers
            and _cell_text(row[0])
            and _emphasised(row[0])
            and not any(_cell_text(c) for c in row[1:])
            and not any(c.find(f".//{_w('drawing')}") is not None for c in row[1:])
        ):
            shape.groups.append(row)
        else:
            shape.rows.append(row)
    return shape if shape.rows else None


def _emphasised(cell: etree._Element) -> bool:
    """The text of ``cell`` starts in bold or italic: how a group's name is written
    (``**Aspiration 1: Attractive VET**``, ``_Objective 1.2: …_ (no indicator yet)``), unlike
    an author's plain row with blank cells, whose layout stays as it is."""
    first = next((r for r in cell.iter(_w("r")) if "".join(r.itertext()).strip()), None)
    if first is None:
        return False
    props = first.find(_w("rPr"))
    return props is not None and any(props.find(_w(tag)) is not None for tag in ("b", "i"))


def least_width(table: etree._Element, width: int) -> int:
    """The narrowest ``table`` can be in ``width`` without breaking words other than those
    longer than :data:`WORD_CAP` of it (0 when it has merged cells)."""
    shape = _shape(table)
    if shape is None:
        return 0
    cap = int(width * WORD_CAP)
    needs = extents(shape.rows, shape.columns, _header_count(table))
    return sum(min(n.least, cap) for n in needs)


def fit_table(table: etree._Element, width: int) -> None:
    """Size the columns of ``table`` by their content, the table at most ``width`` wide.

    A row (of three columns or more) with text in its first cell only, starting in bold or
    italic, names a group of the rows under it ("Aspiration 1: Attractive VET"): it does not
    size the first column but spans the whole table.
    """
    shape = _shape(table)
    if shape is None:
        return
    widths = distribute(extents(shape.rows, shape.columns, _header_count(table)), width)
    props = table.find(_w("tblPr"))
    if props is None:
        props = parse_xml(f'<w:tblPr xmlns:w="{W}"/>')
        table.insert(0, props)
    for tag in ("tblW", "tblLayout"):
        for old in props.findall(_w(tag)):
            props.remove(old)
    props.append(parse_xml(f'<w:tblW xmlns:w="{W}" w:type="dxa" w:w="{sum(widths)}"/>'))
    props.append(parse_xml(f'<w:tblLayout xmlns:w="{W}" w:type="fixed"/>'))
    _order(props)
    grid = table.find(_w("tblGrid"))
    if grid is None:
        grid = parse_xml(f'<w:tblGrid xmlns:w="{W}"/>')
        props.addnext(grid)
    for col in list(grid):
        grid.remove(col)
    for value in widths:
        grid.append(parse_xml(f'<w:gridCol xmlns:w="{W}" w:w="{value}"/>'))
    for row in shape.rows:
        for cell, value in zip(row, widths, strict=True):
            _cell_width(cell, value)
    for row in shape.groups:
        for cell in row[1:]:
            cell.getparent().remove(cell)
        _cell_width(row[0], sum(widths), span=shape.columns)
    for cell in shape.spanning:
        _cell_width(cell, sum(widths), span=shape.columns)


def _cell_width(cell: etree._Element, value: int, span: int = 1) -> None:
    tc_pr = cell.find(_w("tcPr"))
    if tc_pr is None:
        tc_pr = parse_xml(f'<w:tcPr xmlns:w="{W}"/>')
        cell.insert(0, tc_pr)
    for old in tc_pr.findall(_w("tcW")) + tc_pr.findall(_w("gridSpan")):
        tc_pr.remove(old)
    if span > 1:  # the schema's order: cnfStyle, tcW, gridSpan
        tc_pr.insert(0, parse_xml(f'<w:gridSpan xmlns:w="{W}" w:val="{span}"/>'))
    tc_pr.insert(0, parse_xml(f'<w:tcW xmlns:w="{W}" w:type="dxa" w:w="{value}"/>'))
    style = tc_pr.find(_w("cnfStyle"))
    if style is not None:
        tc_pr.insert(0, style)


# The schema fixes the order of tblPr's children.
_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
)


def _order(props: etree._Element) -> None:
    rank = {_w(t): i for i, t in enumerate(_TBLPR_ORDER)}
    children = sorted(props, key=lambda el: rank.get(el.tag, len(rank)))
    for child in children:
        props.append(child)


# -- rows, header rows, keeping together ---------------------------------------------------------

_TRPR_ORDER = tuple(
    _w(t)
    for t in ("cnfStyle", "divId", "gridBefore", "gridAfter", "wBefore", "wAfter", "cantSplit",
              "trHeight", "tblHeader", "tblCellSpacing", "jc", "hidden", "ins", "del",
              "trPrChange")
)  # fmt: skip
"""The schema's order of the children of ``w:trPr``."""


def _row_props(row: etree._Element) -> etree._Element:
    props = row.find(_w("trPr"))
    if props is None:
        props = parse_xml(f'<w:trPr xmlns:w="{W}"/>')
        before = row.find(_w("tblPrEx"))
        if before is not None:
            before.addnext(props)
        else:
            row.insert(0, props)
    return props


def _set_row_flag(row: etree._Element, tag: str) -> None:
    props = _row_props(row)
    if props.find(_w(tag)) is not None:
        return
    flag = parse_xml(f'<w:{tag} xmlns:w="{W}"/>')
    rank = _TRPR_ORDER.index(_w(tag))
    later = next(
        (c for c in props if c.tag in _TRPR_ORDER and _TRPR_ORDER.index(c.tag) > rank), None
    )
    if later is not None:
        later.addprevious(flag)
    else:
        props.append(flag)


def keep_rows_whole(table: etree._Element) -> None:
    """Mark every row of ``table`` ``cantSplit``: a row moves to the next page whole, never
    leaving the end of a wrapped cell alone under a repeated header."""
    for row in table.iterchildren(_w("tr")):
        _set_row_flag(row, "cantSplit")


def _header_count(table: etree._Element) -> int:
    count = 0
    for row in table.iterchildren(_w("tr")):
        if row.find(f"{_w('trPr')}/{_w('tblHeader')}") is None:
            break
        count += 1
    return count


def _has_header_row(table: etree._Element) -> bool:
    """Does ``table`` start with a header row (marked so, or its style's first-row look on)?"""
    if _header_count(table):
        return True
    look = table.find(f"{_w('tblPr')}/{_w('tblLook')}")
    if look is None:
        return False
    first = look.get(_w("firstRow"))
    if first is not None:
        return first in ("1", "true", "on")
    return bool(int(look.get(_w("val"), "0"), 16) & 0x0020)


def repeat_header(table: etree._Element) -> None:
    """Mark the header row of ``table`` (if it has one, and more rows under it) to repeat on
    every page, and keep it with the row under it."""
    rows = list(table.iterchildren(_w("tr")))
    if len(rows) < 2 or not _has_header_row(table):
        return
    _set_row_flag(rows[0], "tblHeader")
    for row in rows[: max(_header_count(table), 1)]:
        for paragraph in row.iter(_w("p")):
            keep_with_next(paragraph)


_PPR_BEFORE_KEEP = frozenset(_w(t) for t in ("pStyle", "keepNext"))


def keep_with_next(paragraph: etree._Element) -> int:
    """Give ``paragraph`` a direct ``keepNext`` (just after its style, as the schema orders
    them), turning on one set off; 1 if it changed, 0 if it was kept with the next already."""
    ppr = paragraph.find(_w("pPr"))
    if ppr is None:
        ppr = parse_xml(f'<w:pPr xmlns:w="{W}"/>')
        paragraph.insert(0, ppr)
    flag = ppr.find(_w("keepNext"))
    if flag is not None:
        if flag.get(_w("val")) in (None, "1", "true", "on"):
            return 0
        flag.attrib.pop(_w("val"))
        return 1
    flag = parse_xml(f'<w:keepNext xmlns:w="{W}"/>')
    style = ppr.find(_w("pStyle"))
    if style is not None:
        style.addnext(flag)
    else:
        ppr.insert(0, flag)
    return 1


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(_w("t"))).strip()


def keep_lead_in(table: etree._Element) -> None:
    """Keep the paragraph just before ``table`` with it when it introduces it (ends with
    ":") or is its caption."""
    before = table.getprevious()
    if before is None or before.tag != _w("p"):
        return
    style = before.find(f"{_w('pPr')}/{_w('pStyle')}")
    caption = style is not None and "caption" in style.get(_w("val"), "").lower()
    if caption or _text(before).endswith(":"):
        keep_with_next(before)


SHORT_INTRO = 320
"""Characters of a paragraph between two headings (or a heading and a table) short enough to
keep with what follows: a section's one- or two-line introduction."""


_MARKS = frozenset(_w(t) for t in ("bookmarkStart", "bookmarkEnd", "proofErr", "permStart",
                                    "permEnd"))  # fmt: skip
"""Body children that take no room on the page (a heading's bookmark sits before it)."""
LABEL = 60
"""Characters of a paragraph all in bold that labels what follows it ("Objectives")."""


def neighbour(element: etree._Element, after: bool) -> etree._Element | None:
    """The next (or previous) body child of ``element`` that takes room on the page."""
    found = element.getnext() if after else element.getprevious()
    while found is not None and found.tag in _MARKS:
        found = found.getnext() if after else found.getprevious()
    return found


def _is_heading(element: etree._Element | None) -> bool:
    if element is None or element.tag != _w("p"):
        return False
    style = element.find(f"{_w('pPr')}/{_w('pStyle')}")
    name = (style.get(_w("val")) or "") if style is not None else ""
    return name.replace(" ", "").lower().startswith(("heading", "title"))


def _is_label(element: etree._Element | None) -> bool:
    """A short paragraph all in bold: a label heading what follows it."""
    if element is None or element.tag != _w("p") or not 0 < len(_text(element)) <= LABEL:
        return False
    runs = [r for r in element.iter(_w("r")) if "".join(r.itertext()).strip()]
    return bool(runs) and all(r.find(f"{_w('rPr')}/{_w('b')}") is not None for r in runs)


def keep_lead_ins(body: etree._Element) -> int:
    """Keep with what follows every paragraph of ``body`` that leads into it: one ending with
    ":" (a lead-in to a list or table, as :func:`keep_lead_in` does for tables), and a short
    introduction between a heading and the next heading or table (so that a heading and its
    introduction never end a page whose next section starts overleaf); returns how many."""
    count = 0
    for paragraph in body.iterchildren(_w("p")):
        following = neighbour(paragraph, after=True)
        if following is None or following.tag not in (_w("p"), _w("tbl")):
            continue
        if paragraph.find(f"{_w('pPr')}/{_w('sectPr')}") is not None:
            continue
        text = _text(paragraph)
        intro = (
            0 < len(text) <= SHORT_INTRO
            and _is_heading(neighbour(paragraph, after=False))
            and (following.tag == _w("tbl") or _is_heading(following) or _is_label(following))
        )
        if text.endswith(":") or intro or _is_label(paragraph):
            count += keep_with_next(paragraph)
    return count


def lay_out_table(table: etree._Element) -> None:
    """Rows whole, header repeated and kept with the first row, lead-in kept with the table."""
    keep_rows_whole(table)
    repeat_header(table)
    keep_lead_in(table)


def lay_out_tables(document: Document) -> int:
    """:func:`lay_out_table` on every table of ``document``'s body (a designer's tables and
    nested ones included) and :func:`keep_lead_ins`; returns how many tables."""
    tables = list(document.element.body.iter(_w("tbl")))
    for table in tables:
        lay_out_table(table)
    keep_lead_ins(document.element.body)
    return len(tables)


def fit_tables(elements: Iterable[etree._Element], width: int) -> list[etree._Element]:
    """Fit every table in ``elements`` to ``width`` (a nested table to its cell) and lay it
    out; returns the top-level tables whose words do not fit in ``width``."""
    too_wide = []
    for element in elements:
        tables = [element] if element.tag == _w("tbl") else list(element.iter(_w("tbl")))
        for table in tables:
            nested = next(table.iterancestors(_w("tc")), None) is not None
            here = available_width(table, width) if nested else width
            fit_table(table, here)
            lay_out_table(table)
            if not nested and least_width(table, here) > here:
                too_wide.append(table)
    return too_wide


# -- landscape sections ------------------------------------------------------------------------


def _continue(sect_pr: etree._Element) -> None:
    """Make ``sect_pr`` describe a section that continues the document on a new page: same
    headers and footers, no separate first page, no page-number restart."""
    for child in list(sect_pr):
        kind = child.get(_w("type"))
        if child.tag in (_w("titlePg"), _w("pgNumType"), _w("type")) or (
            child.tag in (_w("headerReference"), _w("footerReference")) and kind == "first"
        ):
            sect_pr.remove(child)
    refs = [c for c in sect_pr if c.tag in (_w("headerReference"), _w("footerReference"))]
    start = parse_xml(f'<w:type xmlns:w="{W}" w:val="nextPage"/>')
    if refs:
        refs[-1].addnext(start)
    else:
        sect_pr.insert(0, start)


def _turn(sect_pr: etree._Element) -> None:
    """Turn the page of ``sect_pr`` to landscape, its margins with it."""
    size, margins = sect_pr.find(_w("pgSz")), sect_pr.find(_w("pgMar"))
    if size is None:
        size = parse_xml(f'<w:pgSz xmlns:w="{W}" w:w="11906" w:h="16838"/>')
        sect_pr.append(size)
    width, height = size.get(_w("w"), "11906"), size.get(_w("h"), "16838")
    size.set(_w("w"), height)
    size.set(_w("h"), width)
    size.set(_w("orient"), "landscape")
    if margins is not None:  # what was the left margin is now at the top, and so on
        top, right, bottom, left = (margins.get(_w(s)) for s in ("top", "right", "bottom", "left"))
        for side, value in zip(
            ("top", "right", "bottom", "left"), (left, top, right, bottom), strict=True
        ):
            if value is not None:
                margins.set(_w(side), value)


def _end_section(paragraph: etree._Element, sect_pr: etree._Element) -> None:
    ppr = paragraph.find(_w("pPr"))
    if ppr is None:
        ppr = parse_xml(f'<w:pPr xmlns:w="{W}"/>')
        paragraph.insert(0, ppr)
    change = ppr.find(_w("pPrChange"))
    if change is not None:
        change.addprevious(sect_pr)
    else:
        ppr.append(sect_pr)


def _empty_paragraph() -> etree._Element:
    return parse_xml(
        f'<w:p xmlns:w="{W}"><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" '
        'w:lineRule="exact"/><w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>'
    )


def _goes_with_table(paragraph: etree._Element) -> bool:
    """A heading, caption or lead-in that must stay on the table's page."""
    if paragraph.tag != _w("p") or paragraph.find(f"{_w('pPr')}/{_w('sectPr')}") is not None:
        return False
    style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
    name = (style.get(_w("val"), "") if style is not None else "").lower()
    keep = paragraph.find(f"{_w('pPr')}/{_w('keepNext')}") is not None
    return name.startswith("heading") or "caption" in name or keep


def landscape_section(table: etree._Element) -> bool:
    """Put ``table`` (top level in a portrait section) on landscape pages of its own, with
    the headings, caption or lead-in just before it; returns whether it did.

    What comes before keeps the section's properties (the cover's separate first page
    included): a copy of its ``w:sectPr`` ends it. The landscape section ends in a tiny empty
    paragraph after the table; it and the portrait section after it continue the page
    numbering with the same headers and footers.
    """
    sect = section_of(table)
    body = table.getparent()
    if sect is None or body is None or body.tag != _w("body") or is_landscape(sect):
        return False
    first = table
    while (previous := first.getprevious()) is not None and _goes_with_table(previous):
        first = previous
    before = first.getprevious()
    if before is None:
        return False  # the body starts with it: the whole section would be landscape
    ending = copy.deepcopy(sect)
    if before.tag == _w("p") and before.find(f"{_w('pPr')}/{_w('sectPr')}") is None:
        _end_section(before, ending)
    else:
        end = _empty_paragraph()
        first.addprevious(end)
        _end_section(end, ending)
    _continue(sect)
    turned = copy.deepcopy(sect)
    _turn(turned)
    after = _empty_paragraph()
    table.addnext(after)
    _end_section(after, turned)
    return True
