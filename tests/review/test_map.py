"""A reviewed handbook and strategy map each comment and tracked change to the right article,
section and line, or to the data record it shows."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from pipeline.review.run import Review, review_document
from tests.review.conftest import EDITION, Published
from tests.review.reviewing import Change, Note, review

HANDBOOK_CHANGES = [
    Change("A small secretariat runs", old="small", new="lean"),
    Change(
        "Most VET institutions already",
        old="A new international network that competed with them would struggle for their time. ",
    ),
    Change("The handbook follows the seven", after="The handbook follows", new=" closely"),
    Change("Privileged access to the best", old="best", new="most active", author="Carla Ruiz"),
]
HANDBOOK_NOTES = [
    Note("Baseline audit.", "Which survey tool?", on="Collect structured information"),
    Note("Leadership and visibility on a theme", "Say which theme."),  # a point comment
    Note("Handbook", "Use the network's name.", on="Handbook"),  # the cover: the template's
    Note("Roles in the network", "Rename it.", on="Roles in the network", heading=True),
]


@pytest.fixture(scope="module")
def handbook(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Review:
    folder = tmp_path_factory.mktemp("reviewed")
    reviewed = review(
        published.docx("handbook"), folder / "handbook-ana.docx", HANDBOOK_CHANGES, HANDBOOK_NOTES
    )
    return review_document(reviewed, published.outputs, published.kb, None)


def by_text(result: Review, text: str) -> list:  # type: ignore[type-arg]
    found = [i for i in result.items if i.text == text]
    assert found, f"no item {text!r} in {[i.text for i in result.items]}"
    return found


def test_each_tracked_change_maps_to_its_article_line(
    handbook: Review, published: Published
) -> None:
    intro = "pages/introduction.md"
    (small,) = by_text(handbook, "small")
    (lean,) = by_text(handbook, "lean")
    assert (small.kind, lean.kind) == ("deletion", "insertion")
    assert lean.pair == small.number  # a substitution
    for item in (small, lean):
        assert (item.article, item.path, item.origin) == ("introduction", intro, "article")
        assert item.line == published.line_of(intro, "A small [secretariat]")
        assert item.section == "What the network is"
        assert item.mapped_by == "bookmark" and item.exact
        assert (item.author, item.date) == ("Ana Silva", "2026-11-03T10:00:00Z")
    (deleted,) = [i for i in handbook.items if i.text.startswith("A new international")]
    assert deleted.line == published.line_of(intro, "Most VET institutions already")
    assert deleted.section == "Why a network of networks"
    (closely,) = by_text(handbook, " closely")
    assert closely.line == published.line_of(intro, "The handbook follows the seven")
    assert closely.anchor.startswith("The handbook follows ^ the seven steps")
    (active,) = by_text(handbook, "most active")
    assert (active.article, active.author) == ("convener", "Carla Ruiz")
    assert active.line == published.line_of("roles/convener.md", "Privileged access to the")
    assert active.section == "Benefits"


def test_comments_map_to_the_line_of_their_text(handbook: Review, published: Published) -> None:
    (survey,) = by_text(handbook, "Which survey tool?")
    assert (survey.kind, survey.author, survey.anchor) == (
        "comment",
        "Bo Chen",
        "Collect structured information",
    )
    assert survey.article == "step-1-baseline" and survey.section == "Activities"
    line = published.line_of("roadmap/step-1-baseline.md", "Collect structured information")
    assert survey.where == f"roadmap/step-1-baseline.md:{line}"
    (point,) = by_text(handbook, "Say which theme.")  # no anchored text: placed by position
    assert point.article == "convener" and point.exact
    assert point.line == published.line_of("roles/convener.md", "Leadership and visibility")


def test_the_templates_own_text_is_reported_as_such(handbook: Review) -> None:
    for text in ("Use the network's name.", "Rename it."):  # the cover, a part's heading
        (item,) = by_text(handbook, text)
        assert (item.origin, item.article, item.line) == ("template", None, None)
        assert "template" in item.note


def test_every_item_is_reported_in_document_order(handbook: Review) -> None:
    assert [i.number for i in handbook.items] == list(range(1, len(handbook.items) + 1))
    assert len(handbook.items) == 6 + 4  # a substitution is two items (a deletion, an insertion)
    assert handbook.items[0].text == "Use the network's name."  # the cover comes first
    kinds = [i.kind for i in handbook.items]
    assert kinds.count("comment") == 4 and kinds.count("insertion") == 3


def test_strategy_rows_are_from_the_data(published: Published, tmp_path: Path) -> None:
    reviewed = review(
        published.docx("strategy"),
        tmp_path / "strategy.docx",
        notes=[
            Note("Africa cluster", "New coordinator in 2027.", on="Africa cluster"),
            Note("Consortia form too late", "Score too high?", on="Consortia form"),
            Note("Members choose the clusters", "Unclear."),
            Note("The Global VET Network of Networks was", "Sign it.", on="The Global VET"),
        ],
    )
    result = review_document(reviewed, published.outputs, published.kb, None)
    (cluster,) = by_text(result, "New coordinator in 2027.")
    assert (cluster.origin, cluster.record_kind, cluster.record) == ("data", "clusters", "africa")
    assert cluster.note.startswith("from the data: change it at the source")
    assert cluster.block == "block:membership" and cluster.article is None
    (risk,) = by_text(result, "Score too high?")
    assert (risk.origin, risk.record_kind) == ("data", "risks")
    assert risk.record and risk.record in risk.note
    (boilerplate,) = by_text(result, "Unclear.")
    assert (boilerplate.origin, boilerplate.record) == ("generated", None)
    assert "netdocs writes itself" in boilerplate.note
    (foreword,) = by_text(result, "Sign it.")
    assert (foreword.origin, foreword.article) == ("article", "foreword")


def _without_bookmarks(source: Path, target: Path, only: bytes = b"") -> Path:
    """``source`` with every bookmark deleted (as retyping text in Word does), or only those
    whose start names ``only``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                pattern = rb'<w:bookmarkStart [^>]*w:name="' + only if only else rb"<w:bookmark"
                data = re.sub(pattern + rb"[^>]*/>", b"", data)
            out.writestr(info, data)
    return target


def test_the_first_articles_bookmark_deleted(published: Published, tmp_path: Path) -> None:
    reviewed = review(
        published.docx("handbook"),
        tmp_path / "commented.docx",
        notes=[
            Note("Most VET institutions already", "Too long.", on="Most VET institutions"),
            Note("Handbook", "On the cover.", on="Handbook"),
        ],
    )
    stripped = _without_bookmarks(reviewed, tmp_path / "first.docx", only=b"pages_introduction_md")
    result = review_document(stripped, published.outputs, published.kb, None)
    cover, long = result.items
    assert (cover.text, cover.origin) == ("On the cover.", "template")
    assert (long.article, long.mapped_by, long.section) == (
        "introduction",
        "heading",
        "Why a network of networks",
    )
    assert long.line == published.line_of("pages/introduction.md", "Most VET institutions")


def test_deleted_bookmarks_map_what_can_be_mapped(published: Published, tmp_path: Path) -> None:
    reviewed = review(
        published.docx("handbook"),
        tmp_path / "commented.docx",
        changes=[Change("A small secretariat runs", old="small", new="lean")],
        notes=[
            Note("Baseline audit.", "Which survey tool?", on="Collect structured information"),
        ],
    )
    stripped = _without_bookmarks(reviewed, tmp_path / "stripped.docx")
    result = review_document(stripped, published.outputs, published.kb, None)
    assert len(result.items) == 3  # nothing dropped
    (survey,) = by_text(result, "Which survey tool?")
    assert (survey.article, survey.mapped_by) == ("step-1-baseline", "text")
    assert survey.line == published.line_of(
        "roadmap/step-1-baseline.md", "Collect structured information"
    )
    (lean,) = by_text(result, "lean")
    assert lean.article == "introduction"
    assert lean.line == published.line_of("pages/introduction.md", "A small [secretariat]")


def test_an_item_nothing_places_is_listed_unmapped(published: Published, tmp_path: Path) -> None:
    import docx

    document = docx.Document(str(published.docx("handbook")))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("A small secretariat"))
    for run in paragraph.runs:
        run.text = ""
    paragraph.runs[0].text = "Zebras quietly juggle forty lanterns under violet skies."
    document.add_comment(paragraph.runs[0], text="What is this?", author="Ana Silva")
    retyped = tmp_path / "retyped.docx"
    document.save(str(retyped))
    stripped = _without_bookmarks(retyped, tmp_path / "stripped.docx")
    heading_gone = tmp_path / "no-heading.docx"
    with zipfile.ZipFile(stripped) as zin, zipfile.ZipFile(heading_gone, "w") as out:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"What the network is", b"Something else entirely")
            out.writestr(info, data)
    result = review_document(heading_gone, published.outputs, published.kb, None)
    (item,) = result.items
    assert (item.origin, item.article, item.line) == ("unmapped", None, None)
    assert "not mapped" in item.note
    by_heading = review_document(stripped, published.outputs, published.kb, None)
    (item,) = by_heading.items  # its heading is still there: its section's line
    assert (item.article, item.mapped_by, item.exact) == ("introduction", "heading", False)
    assert item.line == published.line_of("pages/introduction.md", "## What the network is")


def test_a_change_in_a_footnote_is_found_by_its_text(published: Published, tmp_path: Path) -> None:
    target = tmp_path / "footnote.docx"
    text = b", and are not those of the source organisations."
    with zipfile.ZipFile(published.docx("handbook")) as zin, zipfile.ZipFile(target, "w") as out:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/footnotes.xml":
                at = data.index(text)
                start, end = data.rindex(b"<w:r>", 0, at), data.index(b"</w:r>", at) + 6
                run = (
                    data[start:end]
                    .replace(b"<w:t", b"<w:delText")
                    .replace(b"</w:t>", b"</w:delText>")
                )
                mark = b'<w:del w:id="9999" w:author="Ana Silva" w:date="2026-11-03T10:00:00Z">'
                data = data[:start] + mark + run + b"</w:del>" + data[end:]
            out.writestr(info, data)
    result = review_document(target, published.outputs, published.kb, None)
    (item,) = result.items
    assert (item.kind, item.text) == ("deletion", text.decode())
    assert (item.article, item.mapped_by) == ("sources", "text")
    assert item.line == published.line_of("pages/sources.md", "[^1]: Addresses of the network")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_a_document_saved_again_by_libreoffice_maps_the_same(
    handbook: Review, tmp_path: Path, published: Published
) -> None:
    out = tmp_path / "lo"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
         "--convert-to", "docx", "--outdir", str(out), str(handbook.docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    again = review_document(out / handbook.docx.name, published.outputs, published.kb, None)
    mapped = [(i.kind, i.text, i.article, i.line, i.author) for i in again.items]
    assert mapped == [(i.kind, i.text, i.article, i.line, i.author) for i in handbook.items]
    assert again.edition.name == EDITION and again.document == "handbook"
