"""Tables from Markdown fill the text width; the last row survives at the end of a block."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from pipeline.render import MarkdownBlock, render_document

TEMPLATE = Path(__file__).resolve().parents[2] / "templates" / "base.docx"
CONTEXT = dict(
    network_name="N",
    network_short="N",
    edition="2026-annual-meeting",
    title="T",
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


def test_tables_span_the_text_width_with_columns_by_content(tmp_path: Path) -> None:
    text = (
        "| Id | Name | Start |\n| --- | --- | --- |\n"
        "| a-1 | A long organisation name that needs room to breathe | 2026-01-01 |\n"
    )
    doc = render(text, tmp_path)
    section = doc.sections[-1]
    width = int((section.page_width - section.left_margin - section.right_margin) / 635)
    tbl = doc.tables[0]._tbl
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    grid = [int(c.get(f"{ns}w")) for c in tbl.tblGrid.iterchildren(f"{ns}gridCol")]
    assert sum(grid) == width
    tbl_w = tbl.tblPr.find(f"{ns}tblW")
    assert tbl_w.get(f"{ns}type") == "dxa" and int(tbl_w.get(f"{ns}w")) == width
    assert grid[1] > grid[2] > grid[0]  # the name gets the most room, the date fits whole


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
