"""Tables from Markdown fill the text width; the last row survives at the end of a block."""

from __future__ import annotations

from pathlib import Path

from docx import Document

from pipeline.render import MarkdownBlock, render_document
from pipeline.render.tables import PAD, Extent, distribute, measure, section_of, section_width

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


W_NS = NS[1:-1]
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _sections(doc: Document) -> list[object]:
    return list(doc.element.body.iter(f"{NS}sectPr"))


def test_a_table_too_wide_for_portrait_gets_a_landscape_section(tmp_path: Path) -> None:
    names = ["Internationalisation", "Apprenticeships", "Responsibilities", "Accreditation"]
    names += ["Sustainability", "Documentation", "Coordinator"]
    head = "| " + " | ".join(names) + " |\n|" + " --- |" * len(names) + "\n"
    row = "| " + " | ".join(f"{n.lower()} value" for n in names) + " |\n"
    text = f"# Before\n\nText.\n\n## Wide\n\nThe table:\n\n{head}{row}{row}\n# After\n\nText.\n"
    doc = render(text, tmp_path)
    before, turned, after = _sections(doc)
    size = turned.find(f"{NS}pgSz")  # type: ignore[attr-defined]
    assert size.get(f"{NS}orient") == "landscape"
    assert int(size.get(f"{NS}w")) > int(size.get(f"{NS}h"))
    for portrait in (before, after):
        assert portrait.find(f"{NS}pgSz").get(f"{NS}orient") is None  # type: ignore[attr-defined]
    # the cover keeps its own first page; the later sections continue without one
    assert before.find(f"{NS}titlePg") is not None  # type: ignore[attr-defined]
    assert after.find(f"{NS}titlePg") is None and turned.find(f"{NS}titlePg") is None  # type: ignore[attr-defined]
    # the table, its heading and its lead-in are in the landscape section, fitted to it
    body = doc.element.body
    table = doc.tables[0]._tbl
    heading = next(
        p
        for p in body.iter(f"{NS}p")
        if "".join(t.text or "" for t in p.iter(f"{NS}t")) == "Wide"
        and p.find(f"{NS}pPr/{NS}pStyle").get(f"{NS}val").startswith("Heading")
    )
    assert section_of(table) is turned and section_of(heading) is turned
    assert section_of(body.find(f"{NS}p")) is before
    assert sum(_grid(table)) == section_width(turned) > section_width(before)
    # the landscape pages have the same header text, its right tab at their right margin
    headers = doc.part.rels
    portrait_header = headers[before.find(f"{NS}headerReference").get(R_ID)].target_part  # type: ignore[attr-defined]
    landscape_header = headers[turned.find(f"{NS}headerReference").get(R_ID)].target_part  # type: ignore[attr-defined]
    text_of = "".join
    assert text_of(landscape_header.element.itertext()) == text_of(
        portrait_header.element.itertext()
    )
    stops = [int(t.get(f"{NS}pos")) for t in landscape_header.element.iter(f"{NS}tab")
             if t.get(f"{NS}val") == "right"]  # fmt: skip
    assert stops == [section_width(turned)]


def test_a_table_typed_into_a_template_keeps_rows_whole_and_repeats_its_header(
    tmp_path: Path,
) -> None:
    template = Document(str(TEMPLATE))
    slot = next(p for p in template.paragraphs if p.text.strip() == "{{p body }}")
    table = template.add_table(rows=3, cols=2)
    table.style = template.styles["Table"]
    for r, texts in enumerate((["Who", "What"], ["{{ title }}", "b"], ["c", "d"])):
        for cell, text in zip(table.rows[r].cells, texts, strict=True):
            cell.text = text
    lead = template.add_paragraph("The people:")
    slot._p.addnext(lead._p)
    lead._p.addnext(table._tbl)
    path = tmp_path / "typed.docx"
    template.save(str(path))
    out = tmp_path / "out.docx"
    render_document(path, {**CONTEXT, "body": MarkdownBlock("Text.")}, out)
    tbl = Document(str(out)).tables[0]._tbl
    rows = list(tbl.iterchildren(f"{NS}tr"))
    assert "".join(rows[1].itertext()).startswith("T")  # rendered
    assert all(r.find(f"{NS}trPr/{NS}cantSplit") is not None for r in rows)
    assert [r.find(f"{NS}trPr/{NS}tblHeader") is not None for r in rows] == [True, False, False]
    assert tbl.getprevious().find(f"{NS}pPr/{NS}keepNext") is not None  # the lead-in
    assert all(p.find(f"{NS}pPr/{NS}keepNext") is not None for p in rows[0].iter(f"{NS}p"))


def test_a_row_naming_a_group_spans_the_table_and_does_not_size_the_first_column(
    tmp_path: Path,
) -> None:
    group = "Aspiration 1: Attractive VET, a long name for the group of rows under it"
    text = (
        "| Indicator | Baseline | Current |\n| --- | --- | --- |\n"
        f"| **{group}** | | |\n| Members | 0 → 8 | 7 |\n| Partners | 2 → 10 | 6 |\n"
    )
    tbl = render(text, tmp_path).tables[0]._tbl
    rows = list(tbl.iterchildren(f"{NS}tr"))
    grid = _grid(tbl)
    cells = list(rows[1].iterchildren(f"{NS}tc"))
    assert len(cells) == 1 and "".join(t.text for t in cells[0].iter(f"{NS}t")) == group
    assert cells[0].find(f"{NS}tcPr/{NS}gridSpan").get(f"{NS}val") == "3"
    assert int(cells[0].find(f"{NS}tcPr/{NS}tcW").get(f"{NS}w")) == sum(grid)
    names = max(measure("Indicator", bold=True), measure("Members"), measure("Partners"))
    assert grid[0] == names + PAD  # sized by the indicators, not by the group's text
    assert [len(list(r.iterchildren(f"{NS}tc"))) for r in rows] == [3, 1, 3, 3]


def test_an_authors_plain_row_with_blank_cells_keeps_its_cells(tmp_path: Path) -> None:
    """Only a row whose text starts in bold or italic names a group; a plain one ("Total"
    with blank cells, as an author may type it) keeps every cell and sizes its column."""
    text = (
        "| Item | Amount | Note |\n| --- | --- | --- |\n"
        "| Travel | 100 | flights |\n| Total of every line above | | |\n"
    )
    tbl = render(text, tmp_path).tables[0]._tbl
    rows = list(tbl.iterchildren(f"{NS}tr"))
    assert [len(list(r.iterchildren(f"{NS}tc"))) for r in rows] == [3, 3, 3]
    assert all(c.find(f"{NS}tcPr/{NS}gridSpan") is None for c in rows[2].iterchildren(f"{NS}tc"))
