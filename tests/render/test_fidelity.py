"""Markdown to Word fidelity: the corpus renders with the expected Word structure.

The corpus is rendered once, one block per article in a loop, into the handbook template;
each test checks one feature on the document's XML parts. ``fixtures/fidelity/corpus.expected.xml``
holds the normalised XML of the merged body, numbering and footnotes (regenerate it with
``NETDOCS_UPDATE_GOLDEN=1``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from pipeline.render import bookmark_name, render_document

from .helpers import FIDELITY, NS, article, base_context, loop_template, part_names, part_xml

CORPUS = [
    "headings.md",
    "lists.md",
    "tables.md",
    "notes.md",
    "links.md",
    "media.md",
    "roles/convener.md",
]
GOLDEN = FIDELITY / "corpus.expected.xml"
W = "{" + NS["w"] + "}"


@pytest.fixture(scope="module")
def corpus(handbook: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fidelity")
    template = loop_template(handbook, folder / "loop.docx")
    context = base_context(articles=[article(name) for name in CORPUS], running_title="Handbook")
    del context["body"]
    out = folder / "corpus.docx"
    render_document(template, context, out)
    return out


@pytest.fixture(scope="module")
def body(corpus: Path) -> etree._Element:
    return part_xml(corpus, "word/document.xml").find("w:body", NS)


def _paragraphs(body: etree._Element, style: str) -> list[str]:
    return [
        "".join(p.itertext()).strip()
        for p in body.iterfind(".//w:p", NS)
        if p.find(f"w:pPr/w:pStyle[@w:val='{style}']", NS) is not None
    ]


def _num_ids(body: etree._Element, *texts: str) -> list[tuple[str, str]]:
    found = []
    for p in body.iterfind(".//w:p", NS):
        if "".join(p.itertext()).strip() in texts:
            num = p.find("w:pPr/w:numPr", NS)
            assert num is not None, f"{texts} is not a list item"
            found.append(
                (num.find("w:numId", NS).get(W + "val"), num.find("w:ilvl", NS).get(W + "val"))
            )
    return found


def test_headings_nest_under_the_document_level(body: etree._Element) -> None:
    for level, name in enumerate(["one", "two", "three", "four", "five", "six"], start=1):
        assert f"Level {name}" in _paragraphs(body, f"Heading{level + 1}")


def test_lists_are_word_numbering_and_restart(corpus: Path, body: etree._Element) -> None:
    first = _num_ids(body, "First step", "Second step", "Third step")
    assert len({num for num, _ in first}) == 1 and {lvl for _, lvl in first} == {"0"}
    nested = _num_ids(body, "nested bullet", "deep numbered")
    assert [lvl for _, lvl in nested] == ["1", "2"]
    restart = _num_ids(body, "A new list that restarts")
    assert restart[0][0] != first[0][0], "the second numbered list continues the first"
    numbering = part_xml(corpus, "word/numbering.xml")
    nums = {
        n.get(W + "numId"): n.find("w:abstractNumId", NS).get(W + "val")
        for n in numbering.iterfind("w:num", NS)
    }
    abstracts = {a.get(W + "abstractNumId"): a for a in numbering.iterfind("w:abstractNum", NS)}
    for num_id, _ in first + restart:
        assert nums[num_id] in abstracts
    formats = abstracts[nums[first[0][0]]].find("w:lvl[@w:ilvl='0']/w:numFmt", NS).get(W + "val")
    assert formats == "decimal"
    nsids = [
        a.find("w:nsid", NS).get(W + "val")
        for a in abstracts.values()
        if a.find("w:nsid", NS) is not None
    ]
    assert len(nsids) == len(set(nsids)), "lists sharing an nsid are joined by Word"


def test_table_has_header_row_in_template_style(body: etree._Element) -> None:
    tables = [t for t in body.iterfind(".//w:tbl", NS) if "Region" in "".join(t.itertext())]
    assert len(tables) == 1
    table = tables[0]
    assert table.find("w:tblPr/w:tblStyle", NS).get(W + "val") == "Table"
    rows = table.findall("w:tr", NS)
    assert len(rows) == 4
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert ["".join(c.itertext()) for c in rows[2].findall("w:tc", NS)] == [
        "Asia & Pacific",
        "30",
        "47 %",
    ]


def test_footnotes_are_word_footnotes(corpus: Path, body: etree._Element) -> None:
    refs = [r.get(W + "id") for r in body.iterfind(".//w:footnoteReference", NS)]
    assert len(refs) == 2
    notes = part_xml(corpus, "word/footnotes.xml")
    texts = {
        n.get(W + "id"): "".join(n.itertext()).strip() for n in notes.iterfind("w:footnote", NS)
    }
    assert texts[refs[0]] == "In Turin and in Nairobi."
    assert texts[refs[1]] == "See the minutes."
    rels = part_xml(corpus, "word/_rels/footnotes.xml.rels")
    targets = [r.get("Target") for r in rels.iterfind("rel:Relationship", NS)]
    assert "https://example.org/minutes" in targets


def test_links(corpus: Path, body: etree._Element) -> None:
    rels = part_xml(corpus, "word/_rels/document.xml.rels")
    external = {
        r.get("Id"): r.get("Target")
        for r in rels.iterfind("rel:Relationship", NS)
        if r.get("TargetMode") == "External"
    }
    links = {"".join(h.itertext()): h for h in body.iterfind(".//w:hyperlink", NS)}
    assert external[links["VETNoN site"].get(f"{{{NS['r']}}}id")] == "https://vetnon.example.org"
    bookmarks = {b.get(W + "name") for b in body.iterfind(".//w:bookmarkStart", NS)}
    role = links["the convener role"].get(W + "anchor")
    assert role == bookmark_name("roles/convener.md") and role in bookmarks
    duties = links["duties"].get(W + "anchor")
    assert duties == bookmark_name("roles/convener.md#duties") and duties in bookmarks
    top = links["back to top"].get(W + "anchor")
    assert top == bookmark_name("links.md#links") and top in bookmarks
    assert "the treasurer" not in links, "a link to an article not included must be plain text"
    assert any("the treasurer" in "".join(p.itertext()) for p in body.iterfind(".//w:p", NS))
    assert all(len(name) <= 40 for name in bookmarks)


def test_images_are_embedded_with_alt_text(corpus: Path, body: etree._Element) -> None:
    assert [n for n in part_names(corpus) if n.startswith("word/media/")]
    described = [d.get("descr") for d in body.iterfind(".//wp:docPr", NS)]
    assert "Member trend over three years" in described
    ids = [d.get("id") for d in body.iterfind(".//wp:docPr", NS)]
    assert len(ids) == len(set(ids))


def test_code_quotes_and_definitions(body: etree._Element) -> None:
    assert any("Hello {name} & <welcome>" in t for t in _paragraphs(body, "SourceCode"))
    assert "Quality in VET starts with the teacher." in _paragraphs(body, "BlockText")
    assert _paragraphs(body, "DefinitionTerm") == ["Term one", "Term two"]
    assert _paragraphs(body, "Definition") == ["Its definition.", "Another definition."]


def test_toc_lists_the_headings(body: etree._Element) -> None:
    entries = _paragraphs(body, "TOC1") + _paragraphs(body, "TOC2") + _paragraphs(body, "TOC3")
    # The templates' TOC field lists two levels: the document's parts and what is under them.
    assert "Lists" in entries and "Level one" in " ".join(entries)
    assert "Level two" not in entries  # a third-level heading here


def _normalise(corpus: Path) -> str:
    """The merged content, numbering and footnotes as stable, indented XML."""
    out = []
    for part in ("word/document.xml", "word/numbering.xml", "word/footnotes.xml"):
        root = part_xml(corpus, part)
        etree.indent(root, space=" ")
        out.append(f"<!-- {part} -->\n" + etree.tostring(root, encoding="unicode"))
    return "\n".join(out) + "\n"


def test_golden_xml(corpus: Path) -> None:
    actual = _normalise(corpus)
    if os.environ.get("NETDOCS_UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.write_text(actual, encoding="utf-8")
    assert actual == GOLDEN.read_text(encoding="utf-8")
