"""Fit tables that come from Markdown to the page: full text width, columns sized by content.

Pandoc writes tables with an automatic width and equal columns sized for its own default page;
LibreOffice keeps those widths, so a six-column table wraps every few letters. Tables placed by
a designer in a template are never touched: only tables of Markdown blocks are fitted.
"""

from __future__ import annotations

import re

from docx.document import Document
from docx.oxml.parser import parse_xml
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHAR, PAD = 125, 280
"""Width of one character of table text (bold headers included) and of a cell's margins, in
twentieths of a point."""


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def text_width(document: Document) -> int:
    """Width between the margins of the document's last section, in twentieths of a point."""
    section = document.sections[-1]
    width = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    return max(int(width / 635), 2000)  # EMU -> twips


def _cell_text(cell: etree._Element) -> str:
    return "".join(t.text or "" for t in cell.iter(_w("t")))


_BREAKS = re.compile(r"[ \t\n\r]+")
"""Where a line may break: not at a no-break space ("EUR\u00a0153,000.00" is one word)."""


def _widths(rows: list[list[etree._Element]], columns: int, width: int) -> list[int]:
    """Each column gets room for its longest word; the rest is shared by amount of text."""
    texts = [[_cell_text(r[i]) for r in rows] for i in range(columns)]
    cap = int(width * (0.4 if columns <= 3 else 0.25))  # long ids may wrap rather than starve
    mins = [
        min(cap, PAD + CHAR * max((len(w) for t in col for w in _BREAKS.split(t)), default=1))
        for col in texts
    ]
    if sum(mins) > width:
        mins = [int(m * width / sum(mins)) for m in mins]
    # Spare width goes to columns whose text is longer than their longest word (they wrap).
    longest = [max((len(t) for t in col), default=1) for col in texts]
    words = [(m - PAD) // CHAR for m in mins]
    weights = [max(n - w, 0) ** 0.75 + 0.01 for n, w in zip(longest, words, strict=True)]
    extra = width - sum(mins)
    widths = [m + int(extra * wt / sum(weights)) for m, wt in zip(mins, weights, strict=True)]
    widths[-1] += width - sum(widths)
    return widths


def fit_table(table: etree._Element, width: int) -> None:
    """Give ``table`` the full ``width`` and columns proportional to their content."""
    rows = [[c for c in row.iterchildren(_w("tc"))] for row in table.iterchildren(_w("tr"))]
    if not rows:
        return
    columns = len(rows[0])
    if (
        columns == 0
        or any(len(r) != columns for r in rows)
        or table.find(f".//{_w('gridSpan')}") is not None
    ):
        return  # merged cells: leave pandoc's layout alone
    widths = _widths(rows, columns, width)
    props = table.find(_w("tblPr"))
    if props is None:
        props = parse_xml(f'<w:tblPr xmlns:w="{W}"/>')
        table.insert(0, props)
    for tag in ("tblW", "tblLayout"):
        for old in props.findall(_w(tag)):
            props.remove(old)
    props.append(parse_xml(f'<w:tblW xmlns:w="{W}" w:type="dxa" w:w="{width}"/>'))
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
    for row in rows:
        for cell, value in zip(row, widths, strict=True):
            tc_pr = cell.find(_w("tcPr"))
            if tc_pr is None:
                tc_pr = parse_xml(f'<w:tcPr xmlns:w="{W}"/>')
                cell.insert(0, tc_pr)
            for old in tc_pr.findall(_w("tcW")):
                tc_pr.remove(old)
            tc_pr.insert(0, parse_xml(f'<w:tcW xmlns:w="{W}" w:type="dxa" w:w="{value}"/>'))


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


_AFTER_CANT_SPLIT = tuple(_w(t) for t in ("trHeight", "tblHeader", "tblCellSpacing", "jc",
                                           "hidden", "ins", "del", "trPrChange"))  # fmt: skip
"""Children of ``w:trPr`` the schema puts after ``w:cantSplit``."""


def keep_rows_whole(table: etree._Element) -> None:
    """Mark every row of ``table`` ``cantSplit``: a row moves to the next page whole, never
    leaving the end of a wrapped cell alone under a repeated header."""
    for row in table.iterchildren(_w("tr")):
        props = row.find(_w("trPr"))
        if props is None:
            props = parse_xml(f'<w:trPr xmlns:w="{W}"/>')
            before = row.find(_w("tblPrEx"))
            if before is not None:
                before.addnext(props)
            else:
                row.insert(0, props)
        if props.find(_w("cantSplit")) is not None:
            continue
        flag = parse_xml(f'<w:cantSplit xmlns:w="{W}"/>')
        later = next((c for c in props if c.tag in _AFTER_CANT_SPLIT), None)
        if later is not None:
            later.addprevious(flag)
        else:
            props.append(flag)


def fit_tables(elements: list[etree._Element], width: int) -> None:
    """Fit every table in ``elements`` (nested tables get the width of their cell's table) and
    keep each of their rows on one page."""
    for element in elements:
        tables = [element] if element.tag == _w("tbl") else list(element.iter(_w("tbl")))
        for table in tables:
            fit_table(table, width)
            keep_rows_whole(table)
