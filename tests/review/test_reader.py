"""The reader walks ``word/document.xml`` in order: moved text, changes in tables, a deletion
inside an insertion, a change Word split in two elements, marks that hold no text (an inserted
row, a paragraph mark), bookmarks and headings passed."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from pipeline.review.docx_reader import read_reviewed

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DATE = 'w:date="2026-11-03T10:00:00Z"'
BODY = f"""<w:body {NS}>
<w:bookmarkStart w:id="1" w:name="block_a"/>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Roles</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Keep </w:t></w:r><w:moveFrom w:id="2" w:author="A" {DATE}>
<w:r><w:delText>this</w:delText></w:r></w:moveFrom><w:r><w:t xml:space="preserve"> here </w:t></w:r>
<w:moveTo w:id="3" w:author="A" {DATE}><w:r><w:t>this</w:t></w:r></w:moveTo></w:p>
<w:bookmarkStart w:id="4" w:name="block_b"/>
<w:tbl><w:tr><w:trPr><w:ins w:id="10" w:author="B" {DATE}/></w:trPr>
<w:tc><w:p><w:pPr><w:rPr><w:ins w:id="11" w:author="B" {DATE}/></w:rPr></w:pPr>
<w:r><w:t>Row one</w:t></w:r></w:p></w:tc>
<w:tc><w:p><w:ins w:id="5" w:author="B" {DATE}><w:r><w:t>new cell</w:t></w:r></w:ins></w:p></w:tc>
</w:tr></w:tbl>
<w:p><w:ins w:id="6" w:author="C" {DATE}><w:r><w:t xml:space="preserve">added </w:t></w:r>
<w:del w:id="7" w:author="D" {DATE}><w:r><w:delText>oops</w:delText></w:r></w:del></w:ins></w:p>
<w:p><w:r><w:t xml:space="preserve">Then </w:t></w:r>
<w:ins w:id="8" w:author="E" {DATE}><w:r><w:t xml:space="preserve">two </w:t></w:r></w:ins>
<w:ins w:id="9" w:author="E" {DATE}><w:r><w:rPr><w:b/></w:rPr><w:t>parts</w:t></w:r></w:ins></w:p>
<w:sectPr/></w:body>"""


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    import docx

    from pipeline.render.custom_props import set_custom_properties

    document = docx.Document()
    body = document.element.body
    new = etree.fromstring(BODY)
    for child in list(body):
        body.remove(child)
    for child in list(new):
        body.append(child)
    set_custom_properties(document, {"netdocs-edition": "e1", "netdocs-document": "handbook"})
    path = Path(tmp_path_factory.mktemp("reader")) / "made.docx"
    document.save(str(path))
    return read_reviewed(path)


def test_items_in_document_order_with_their_places(reviewed) -> None:  # type: ignore[no-untyped-def]
    got = [(i.kind, i.text, i.author, i.moved, i.within_insertion) for i in reviewed.items]
    assert got == [
        ("deletion", "this", "A", True, False),
        ("insertion", "this", "A", True, False),
        ("insertion", "new cell", "B", False, False),
        ("insertion", "added oops", "C", False, False),
        ("deletion", "oops", "D", False, True),
        ("insertion", "two parts", "E", False, False),  # two elements, one change
    ]
    moved_from, moved_to, cell, _added, _oops, parts = reviewed.items
    assert (moved_from.before, moved_from.after) == ("Keep", "here")
    assert moved_to.before == "Keep this here"  # the text as published, the moved-from kept
    assert (cell.row, moved_from.row) == ("Row one", None)
    assert [i.bookmarks for i in reviewed.items] == [1, 1, 2, 2, 2, 2]
    assert all(i.headings == 1 for i in reviewed.items)
    assert (parts.before, parts.paragraph) == ("Then", "Then")
    assert reviewed.bookmarks == ["block_a", "block_b"]
    assert [(h.text, h.level, h.bookmarks) for h in reviewed.headings] == [("Roles", 1, 1)]
    assert reviewed.properties == {"netdocs-edition": "e1", "netdocs-document": "handbook"}
    assert all(i.date == "2026-11-03T10:00:00Z" for i in reviewed.items)
