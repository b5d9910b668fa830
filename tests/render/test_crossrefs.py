"""Cross-references in the one document model: a link to an article the document holds is an
internal link; one to an article it does not hold is plain text, followed by what the block's
``outside`` callable says of where the target is (both the Word and the web model)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pipeline.render import MarkdownBlock
from pipeline.render.bookmarks import bookmark_name
from pipeline.render.catalog import Part
from pipeline.render.model import Model, docx_model, web_model

from .helpers import NS

PARTS = (Part("Guide", "body", "loop", "The articles."),)
WHERE = {"lessons/renewals.md": "(handbook, section 'Lessons learned for step 7')"}


def _blocks() -> list[MarkdownBlock]:
    links = {
        "held.md": "roles/convener.md",
        "held.md#duties": "roles/convener.md#duties",
        "renewals.md": "lessons/renewals.md",
        "nowhere.md": "pages/nowhere.md",
    }
    text = (
        "# Strategy\n\nSee [the convener](held.md), [their duties](held.md#duties), "
        "[renewals forgotten](renewals.md) and [a page](nowhere.md).\n"
    )
    return [
        MarkdownBlock(text, anchor="pages/strategy.md", links=links, outside=WHERE.get),
        MarkdownBlock("# Convener\n\n## Duties\n\nText.\n", anchor="roles/convener.md"),
    ]


def _models() -> list[tuple[str, Model]]:
    blocks = _blocks()
    return [("docx", docx_model(blocks)), ("web", web_model({"body": blocks}, PARTS))]


def _links(node: Any, out: list[str]) -> list[str]:
    if isinstance(node, list):
        for item in node:
            _links(item, out)
    elif isinstance(node, dict):
        if node.get("t") == "Link":
            out.append(node["c"][2][0])
        _links(node.get("c"), out)
    return out


def _text(node: Any) -> str:
    """The plain text of ``node`` (words joined by single spaces)."""
    words: list[str] = []

    def walk(n: Any) -> None:
        if isinstance(n, list):
            for item in n:
                walk(item)
        elif isinstance(n, dict):
            if n.get("t") == "Str":
                words.append(n["c"])
            elif n.get("t") in ("Space", "SoftBreak"):
                words.append(" ")
            else:
                walk(n.get("c"))

    walk(node)
    return "".join(words)


@pytest.mark.parametrize("which", ["docx", "web"])
def test_a_link_to_an_article_the_document_lacks_names_where_it_is(which: str) -> None:
    model = dict(_models())[which]
    text = _text(model.doc["blocks"])
    assert "renewals forgotten (handbook, section 'Lessons learned for step 7')" in text
    # no text for a target in no document: the link's text alone, not a link
    assert "and a page." in text


@pytest.mark.parametrize("which", ["docx", "web"])
def test_a_link_to_an_article_the_document_holds_is_an_internal_link(which: str) -> None:
    model = dict(_models())[which]
    links = _links(model.doc["blocks"], [])
    held = [link for link in links if link[1:] in model.ids]
    assert held == [
        "#" + bookmark_name("roles/convener.md"),
        "#" + bookmark_name("roles/convener.md#duties"),
    ]
    # the link to no document's article: plain text in the web model; in Word, merge unwraps
    # it once it knows the template's bookmarks too (tests/render/test_formats.py)
    assert [link for link in links if link not in held] == (
        ["#" + bookmark_name("pages/nowhere.md")] if which == "docx" else []
    )
    assert "the convener (handbook" not in _text(model.doc["blocks"])


def test_without_an_outside_callable_the_link_text_stands_alone() -> None:
    block = MarkdownBlock("[renewals forgotten](r.md).\n", links={"r.md": "lessons/r.md"})
    web = web_model({"body": [block]}, PARTS)
    assert _links(web.doc["blocks"], []) == []
    assert _text(web.doc["blocks"]) == "Guiderenewals forgotten."  # the part heading, the text
    word = docx_model([block])
    assert _text(word.doc["blocks"]).startswith("renewals forgotten.")
    assert [link[1:] in word.ids for link in _links(word.doc["blocks"], [])] == [False]


def test_in_the_written_docx_the_reference_is_text_and_the_held_link_a_hyperlink(
    tmp_path: Path,
) -> None:
    import docx

    from pipeline.render import render_document

    template = tmp_path / "t.docx"  # one slot, whatever the bundled templates ask besides
    document = docx.Document()
    document.add_paragraph("{{p body }}")
    document.save(str(template))
    text = (
        "# Strategy\n\n## Duties\n\nSee [our duties](#duties), "
        "[renewals forgotten](renewals.md) and [a page](nowhere.md).\n"
    )
    links = {"renewals.md": "lessons/renewals.md", "nowhere.md": "pages/nowhere.md"}
    block = MarkdownBlock(text, anchor="pages/strategy.md", links=links, outside=WHERE.get)
    out = tmp_path / "a.docx"
    render_document(template, {"body": block}, out, cache=tmp_path / "c")
    with zipfile.ZipFile(out) as zf:
        body = etree.fromstring(zf.read("word/document.xml"))
    paragraph = next(p for p in body.iter(f"{{{NS['w']}}}p") if "renewals" in "".join(p.itertext()))
    assert "".join(paragraph.itertext()) == (
        "See our duties, renewals forgotten (handbook, section 'Lessons learned for step 7') "
        "and a page."
    )
    anchors = [h.get(f"{{{NS['w']}}}anchor") for h in paragraph.iter(f"{{{NS['w']}}}hyperlink")]
    assert anchors == [bookmark_name("pages/strategy.md#duties")]
    marks = {b.get(f"{{{NS['w']}}}name") for b in body.iter(f"{{{NS['w']}}}bookmarkStart")}
    assert anchors[0] in marks
