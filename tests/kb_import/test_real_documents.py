"""``kb import`` on documents written by Word and LibreOffice (pandoc's and python-docx's test
documents, three pages of the 18F handbook converted by LibreOffice)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pipeline.kb import read_kb
from pipeline.kb.docx_import import ImportPlan
from pipeline.kb.lint import lint
from tests.kb_import.conftest import FIXTURES, REAL, TODAY, article_text

Imported = dict[str, tuple[ImportPlan, Path]]


def body(text: str) -> str:
    """The Markdown after the front matter."""
    return text.split("\n---\n", 1)[1]


@pytest.mark.parametrize("name", sorted(REAL))
def test_every_real_document_lints_clean_even_strict(imported: Imported, name: str) -> None:
    plan, root = imported[name]
    kb = read_kb(root)
    assert len(kb.articles) == len(plan.articles) >= 1
    report = lint(kb, today=TODAY)
    assert [str(p) for p in report.problems] == []


def test_the_18f_pages_become_one_article_each_with_their_sections(imported: Imported) -> None:
    plan, root = imported["18f"]
    assert plan.split_level == 1
    assert [(a.id, a.title) for a in plan.articles] == [
        ("leave-types", "Leave types"),
        ("going-out-of-office", "Going out of office"),
        ("compensation-for-working-extra-hours", "Compensation for working extra hours"),
    ]
    kb = read_kb(root)
    office = kb.by_id()["going-out-of-office"]
    assert office.path == "pages/going-out-of-office.md"
    assert [(s.level, s.title) for s in office.sections][:3] == [
        (1, "Going out of office"),
        (2, "Your overall responsibilities"),
        (3, "Notifying GSA of international travel, for security clearance holders"),
    ]
    assert office.meta.summary == (
        "You must report to work or have an approved leave request in HR Links, "
        "every scheduled work day."
    )
    text = article_text(imported, "18f", 1)
    assert (
        "[leave request in HR Links](https://handbook.tts.gsa.gov/tools/hrlinks/#using-leave)"
        in text
    )
    # LibreOffice recorded no dates: today, with a warning
    assert office.meta.updated == TODAY
    assert any("records neither when it was modified nor created" in w for w in plan.warnings)


def test_front_matter_is_kb_new_s_with_the_document_s_date(imported: Imported) -> None:
    text = article_text(imported, "notes")
    assert text.startswith(
        '---\nid: a-footnote\ntitle: "A footnote"\ntype: page\nsummary: "Test footnote."\n'
        "tags: []\naudience: []\nupdated: 2014-06-12\nreview_by: 2027-12-01\n"
        "owner: Network secretariat\n---\n# A footnote\n"
    )


def test_footnotes_are_kept(imported: Imported) -> None:
    text = body(article_text(imported, "notes"))
    assert "Test footnote.[^1] Test endnote.[^2]" in text
    assert "[^1]: My note." in " ".join(text.split())
    assert "[^2]: This is an endnote at the end of the document." in " ".join(text.split())


def test_tables_are_pipe_tables_or_plain_html(imported: Imported) -> None:
    text = body(article_text(imported, "tables"))
    assert "| Lebron James   | Basketball | Very High | Leaving Cleveland |" in text
    assert "<td><p>Simple</p>" in text  # a cell of two paragraphs
    assert "style=" not in text  # Word's column widths are not kept


def test_lists_are_kept(imported: Imported) -> None:
    lines = body(article_text(imported, "lists")).splitlines()
    assert "- one" in lines[2:] or any(line.startswith("- ") for line in lines)
    assert any(line.lstrip().startswith("1. ") for line in lines)
    assert any(line.startswith("    ") and line.strip()[:2] in ("- ", "1.") for line in lines)


def test_quote_styles_are_block_quotes(imported: Imported) -> None:
    text = body(article_text(imported, "quotes"))
    assert "> I don’t know why this would be in italics" in text
    assert "> This is called the Intense Quote style." in text
    assert "> >" not in text


def test_a_picture_is_extracted_and_linked_relatively(imported: Imported) -> None:
    plan, root = imported["image"]
    (image,) = plan.images
    assert image.path == "images/pandoc-image/image1.jpg"
    with zipfile.ZipFile(FIXTURES / "pandoc-image.docx") as docx:
        assert (root / image.path).read_bytes() == docx.read("word/media/image1.jpg")
    text = body(article_text(imported, "image"))
    assert (
        "![He realizes he's making the file-size too big.](../images/pandoc-image/image1.jpg"
        in text
    )
    assert "{width=" not in text


def test_internal_links_point_at_the_article_holding_their_target(imported: Imported) -> None:
    plan, _root = imported["links"]
    assert [a.id for a in plan.articles] == [
        "an-internal-link-and-an-external-link",
        "a-section-for-testing-link-targets",
    ]
    text = body(article_text(imported, "links"))
    assert "An [external link](http://google.com) to a popular website." in text
    assert "An [internal link](a-section-for-testing-link-targets.md) to a section header." in text
    assert "An [internal link](a-section-for-testing-link-targets.md) to a bookmark." in text


def test_headings_deeper_than_the_split_level_shift_under_the_title(imported: Imported) -> None:
    plan, _root = imported["headers"]
    assert plan.split_level == 1  # every level has one heading: the highest one
    headings = [line for line in body(article_text(imported, "headers")).splitlines()
                if line.startswith("#")]  # fmt: skip
    assert headings[:3] == ["# A Test of Headers", "## Second Level", "### Third level"]


def test_comments_are_listed_and_never_become_text(imported: Imported) -> None:
    plan, _root = imported["comments"]
    text = article_text(imported, "comments")
    comments = [r for r in plan.remarks if r["kind"] == "comment"]
    assert len(comments) == 5
    first = comments[0]
    assert first == {
        "kind": "comment",
        "author": "Jesse Rosenthal",
        "date": "2016-05-09T16:13:00Z",
        "text": "I left a comment.",
        "article": "pandoc-comments",
        "path": "pages/pandoc-comments.md",
        "anchor": "some text to have a comment",
    }
    assert comments[1]["anchor"] == "a new paragraph. And so"  # across two paragraphs
    for comment in comments:
        assert comment["text"] not in text
    assert "I want some text to have a comment on it." in text
    assert any("has no headings: imported as one article" in w for w in plan.warnings)


def test_tracked_changes_are_read_accepted_and_listed(imported: Imported) -> None:
    plan, _root = imported["deletion"]
    assert (
        body(article_text(imported, "deletion")).strip().endswith("This is a text with a deletion.")
    )
    assert plan.remarks == [
        {
            "kind": "deletion",
            "author": "eng-dept",
            "date": "2014-06-25T10:42:00Z",
            "text": "n excessively modified",
            "article": "pandoc-track-changes-deletion",
            "path": "pages/pandoc-track-changes-deletion.md",
        }
    ]
    plan, _root = imported["insertion"]
    assert "This is a text with two exciting insertions." in article_text(imported, "insertion")
    assert [(r["kind"], r["text"]) for r in plan.remarks] == [("insertion", "two exciting")]


def test_the_same_document_gives_the_same_ids(imported: Imported, tmp_path: Path) -> None:
    from tests.kb_import.conftest import import_into

    again = import_into(tmp_path / "kb", FIXTURES / "18f-travel-and-leave.docx")
    plan, _root = imported["18f"]
    assert [(a.id, a.text) for a in again.articles] == [(a.id, a.text) for a in plan.articles]
