"""A reviewed handbook made with pandoc's docx writer (tracked changes from ``insertion`` and
``deletion`` spans, each block in a Div whose id is its bookmark, the document's properties
from metadata) maps each change to the right article and line, and ``--apply`` writes
CriticMarkup that lint reads; made without bookmarks and properties, ``--edition`` maps what
its text places and lists the rest as unmapped."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.documents.source import read_source_map
from pipeline.kb import critic
from pipeline.kb.lint import lint
from pipeline.kb.reader import read_kb
from pipeline.render.custom_props import read_custom_properties
from pipeline.review.apply import apply_review
from pipeline.review.docx_reader import read_reviewed
from pipeline.review.run import Review, review_document
from tests.conftest import run
from tests.review.conftest import EDITION, Published
from tests.review.pandoc_reviewing import Span, pandoc_reviewed, span

INTRO = "pages/introduction.md"
CONVENER = "roles/convener.md"
SPANS = [
    Span(INTRO, old="small", new="lean"),
    Span(
        INTRO,
        old="A new international network that competed with them would struggle for their time. ",
    ),  # fmt: skip
    Span(INTRO, after="The handbook follows", new=" closely"),
    Span(CONVENER, old="best", new="most active", author="Carla Ruiz"),
]
REVIEWERS_OWN = (
    "# Notes from the review\n\nWe read it twice and found it "
    + span("deletion", "rather")
    + " clear.\n"
)
"""A section the reviewer added: neither its text nor its heading is in the edition."""


@pytest.fixture(scope="module")
def made(published: Published, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pandoc")
    return {
        "marked": pandoc_reviewed(published.edition, folder / "handbook-ana.docx", SPANS),
        "bare": pandoc_reviewed(
            published.edition,
            folder / "handbook-bare.docx",
            SPANS,
            bookmarks=False,
            properties=False,
            extra=REVIEWERS_OWN,
        ),  # fmt: skip
    }


@pytest.fixture(scope="module")
def marked(published: Published, made: dict[str, Path]) -> Review:
    return review_document(made["marked"], published.outputs, published.kb, None)


def one(result: Review, text: str):  # type: ignore[no-untyped-def]
    (item,) = [i for i in result.items if i.text == text]
    return item


def test_pandoc_writes_bookmarks_properties_and_tracked_changes(
    published: Published, made: dict[str, Path]
) -> None:
    source_map = read_source_map(published.edition / "source" / "handbook.map.json")
    (intro,) = [b for b in source_map.blocks if b.key == INTRO]
    reviewed = read_reviewed(made["marked"])
    assert intro.bookmark in reviewed.bookmarks
    assert {s.bookmark for s in intro.sections} <= set(reviewed.bookmarks)
    assert read_custom_properties(made["marked"]) == {
        "netdocs-edition": EDITION,
        "netdocs-document": "handbook",
    }
    with zipfile.ZipFile(made["marked"]) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert len(re.findall(r"<w:ins ", xml)) == 3 and len(re.findall(r"<w:del ", xml)) == 3
    assert 'w:author="Carla Ruiz"' in xml
    bare = read_reviewed(made["bare"])
    assert (bare.bookmarks, bare.properties) == ([], {})


def test_each_change_maps_to_its_article_and_line(marked: Review, published: Published) -> None:
    assert (marked.edition.name, marked.document) == (EDITION, "handbook")
    assert len(marked.items) == 6
    small, lean = one(marked, "small"), one(marked, "lean")
    assert (small.kind, lean.kind, lean.pair) == ("deletion", "insertion", small.number)
    for item in (small, lean):
        assert (item.origin, item.article, item.path) == ("article", "introduction", INTRO)
        assert item.line == published.line_of(INTRO, "A small [secretariat]")
        assert (item.section, item.mapped_by, item.exact) == ("What the network is", "bookmark",
                                                              True)  # fmt: skip
        assert (item.author, item.date) == ("Ana Silva", "2026-11-03T10:00:00Z")
    (sentence,) = [i for i in marked.items if i.text.startswith("A new international")]
    assert sentence.line == published.line_of(INTRO, "Most VET institutions already")
    assert sentence.section == "Why a network of networks"
    closely = one(marked, " closely")
    assert closely.line == published.line_of(INTRO, "The handbook follows the seven")
    assert closely.section == "About this handbook"
    best, active = one(marked, "best"), one(marked, "most active")
    for item in (best, active):
        assert (item.article, item.author, item.section) == ("convener", "Carla Ruiz", "Benefits")
        assert item.line == published.line_of(CONVENER, "Privileged access to the best")


def test_apply_writes_critic_markup_that_lint_reads(
    project: Published, made: dict[str, Path]
) -> None:
    result = review_document(made["marked"], project.outputs, project.kb, None)
    applied = apply_review(result)
    assert applied.skipped == []
    assert applied.written == {INTRO: [1, 2, 3, 4], CONVENER: [5, 6]}
    intro = (project.kb / INTRO).read_text(encoding="utf-8")
    assert "A {~~small~>lean~~} [secretariat](../roles/secretariat.md) runs" in intro
    assert "alliances. {--A new international network that competed with them would struggle " \
        "for their time. --}VETNoN instead" in intro  # fmt: skip
    assert "The handbook follows{++ closely++} the seven steps" in intro
    convener = (project.kb / CONVENER).read_text(encoding="utf-8")
    assert [(s.kind, s.old, s.new) for s in critic.find(convener)] == [
        ("substitution", "best", "most active")
    ]
    assert [s.kind for s in critic.find(intro)] == ["substitution", "deletion", "insertion"]
    problems = [p for p in lint(read_kb(project.kb)).problems
                if INTRO in p.where or CONVENER in p.where]  # fmt: skip
    assert [p for p in problems if p.level == "error"] == []
    unresolved = [p for p in problems if p.message.startswith("unresolved ")]
    assert len(unresolved) == 4 and {p.level for p in unresolved} == {"warning"}


def test_without_bookmarks_and_properties_the_text_maps_what_it_can(
    published: Published, made: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(published.root)  # read only: no --apply
    refused = run("review", "import", str(made["bare"]))
    assert refused.exit_code == 2
    assert "handbook-bare.docx was not made by netdocs" in refused.output
    assert "--edition NAME" in refused.output
    result = run("review", "import", str(made["bare"]), "--edition", EDITION, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["edition"], data["document"]) == (EDITION, "handbook")
    items = {i["text"]: i for i in data["items"]}
    expected = {
        "small": (INTRO, "A small [secretariat]"),
        "lean": (INTRO, "A small [secretariat]"),
        " closely": (INTRO, "The handbook follows the seven"),
        "best": (CONVENER, "Privileged access to the best"),
        "most active": (CONVENER, "Privileged access to the best"),
    }
    for text, (path, line) in expected.items():
        item = items[text]
        assert (item["origin"], item["path"], item["mapped_by"]) == ("article", path, "text")
        assert item["line"] == published.line_of(path, line), text
    rather = items["rather"]
    assert (rather["origin"], rather["article"], rather["line"]) == ("unmapped", None, None)
    assert rather["note"].startswith("not mapped: its bookmarks were deleted")
    table = run("review", "import", str(made["bare"]), "--edition", EDITION)
    assert table.output.splitlines()[-1] == (
        f"handbook-bare.docx ({EDITION}, handbook): 7 items: 6 in articles, 1 unmapped"
    )


def test_another_document_without_properties_is_refused(
    published: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import docx

    letter = tmp_path / "letter.docx"
    document = docx.Document()
    document.add_heading("Dear reviewers", 1)
    document.add_paragraph("Nothing of the edition here.")
    document.save(str(letter))
    monkeypatch.chdir(published.root)
    result = run("review", "import", str(letter), "--edition", EDITION)
    assert result.exit_code == 2
    assert "none of the documents of the edition '2026-annual-meeting' has its headings" in (
        result.output
    )
