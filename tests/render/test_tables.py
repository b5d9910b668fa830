"""Tables from Markdown fill the text width; the last row survives at the end of a block."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from pipeline.render import MarkdownBlock, render_document
from pipeline.render.tables import PAD, Extent, distribute, measure

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "base.docx"
CONTEXT = dict(
    network_name="N",
    network_short="N",
    edition="2026-annual-meeting",
    title="T",
    running_title="T",
    subtitle="S",
    date="1 May 2026",
    period="",
    status="Draft",
    logo="",
)


def render(text: str, tmp_path: Path) -> Document:
    out = tmp_path / "t.docx"
    render_document(TEMPLATE, {**CONTEXT, "body": MarkdownBlock(text)}, out)
    return Document(str(out))


def test_last_row_of_a_table_that_ends_the_block(tmp_path: Path) -> None:
    doc = render("Intro.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |", tmp_path)
    assert [[c.text for c in r.cells] for r in doc.tables[0].rows] == [
        ["a", "b"],
        ["1", "2"],
        ["3", "4"],
    ]
    assert not any("|" in p.text for p in doc.paragraphs)


NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _grid(tbl: object) -> list[int]:
    return [int(c.get(f"{NS}w")) for c in tbl.tblGrid.iterchildren(f"{NS}gridCol")]  # type: ignore[attr-defined]


def _text_width(doc: Document) -> int:
    section = doc.sections[-1]
    return int((section.page_width - section.left_margin - section.right_margin) / 635)


def test_tables_span_the_text_width_with_columns_by_content(tmp_path: Path) -> None:
    text = (
        "| Id | Name | Start | Lead |\n| --- | --- | --- | --- |\n"
        "| a-1 | A long organisation name that needs room to breathe, and more room still, "
        "since it goes on and on about what the activity is for | 2026-01-01 | Lisbon "
        "Polytechnic Institute, its vocational school |\n"
    )
    doc = render(text, tmp_path)
    width = _text_width(doc)
    tbl = doc.tables[0]._tbl
    grid = _grid(tbl)
    assert sum(grid) == width  # more text than fits on one line: the full width
    tbl_w = tbl.tblPr.find(f"{NS}tblW")
    assert tbl_w.get(f"{NS}type") == "dxa" and int(tbl_w.get(f"{NS}w")) == width
    # the name gets the most room, the lead more than its longest word, the date just fits
    assert grid[1] > grid[3] > grid[2] > grid[0]
    assert grid[2] == measure("2026-01-01") + PAD and grid[0] == measure("a-1") + PAD


def test_a_table_of_short_cells_keeps_its_natural_width(tmp_path: Path) -> None:
    doc = render("| Region | Active |\n| --- | --- |\n| Africa | 15 |\n", tmp_path)
    grid = _grid(doc.tables[0]._tbl)
    assert grid == [measure("Region", bold=True) + PAD, measure("Active", bold=True) + PAD]
    assert sum(grid) < _text_width(doc) / 2


def test_distribute_gives_each_column_its_longest_word_and_shares_the_rest() -> None:
    needs = [Extent(1000, 1000), Extent(1500, 9500), Extent(1200, 5200)]
    widths = distribute(needs, 10000)
    assert sum(widths) == 10000
    # 6300 to share in proportion to 0 : 8000 : 4000
    assert widths == [1000, 1500 + 4200, 1200 + 2100]
    assert distribute(needs, 20000) == [1000, 9500, 5200]  # natural width: no wider
    squeezed = distribute(needs, 3500)  # words too long for the width: scaled to it
    assert sum(squeezed) == 3500 and squeezed[1] > squeezed[2] > squeezed[0]


def test_rows_never_split_across_pages(tmp_path: Path) -> None:
    text = "| a | b |\n| --- | --- |\n| 1 | a long cell " + "that wraps " * 40 + "|\n| 3 | 4 |"
    doc = render(text, tmp_path)
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    rows = list(doc.tables[0]._tbl.iterchildren(f"{ns}tr"))
    assert len(rows) == 3
    for row in rows:
        props = row.find(f"{ns}trPr")
        assert props is not None and props.find(f"{ns}cantSplit") is not None
        order = [child.tag for child in props]  # the schema's order: cantSplit before tblHeader
        if f"{ns}tblHeader" in order:
            assert order.index(f"{ns}cantSplit") < order.index(f"{ns}tblHeader")
