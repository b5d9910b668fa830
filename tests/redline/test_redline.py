"""The redline .docx: real tracked changes for what changed, nothing for what did not."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from pipeline.render.pandoc import MARKDOWN_FORMAT, run_pandoc

from .conftest import (
    NEW,
    NS,
    OLD,
    Made,
    W,
    accepted,
    inside,
    mark,
    paragraphs,
    source_markdown,
    text,
)


def _paragraph(made: Made, words: str) -> object:
    found = [p for p in paragraphs(made.part()) if words in text(p)]
    assert len(found) == 1, (words, [text(p) for p in found])
    return found[0]


def test_a_changed_sentence_is_tracked_word_by_word(made: Made) -> None:
    p = _paragraph(made, "Each thematic cluster has")
    inserted = ["".join(t.text for t in e.iter(f"{{{W}}}t")) for e in p.iterfind(".//w:ins", NS)]
    deleted = [
        "".join(t.text for t in e.iter(f"{{{W}}}delText")) for e in p.iterfind(".//w:del", NS)
    ]
    assert [s.strip() for s in inserted] == ["one", "normally"]
    assert [s.strip() for s in deleted] == ["a", "usually"]
    assert (
        text(p, side="new").split()
        == (
            "Each thematic cluster has one convener. The convener is normally a member "
            "institution with recognised expertise in the theme."
        ).split()
    )
    assert "usually" in text(p, side="old") and "normally" not in text(p, side="old")
    assert mark(p) == ""  # the paragraph itself stays
    for change in p.iterfind(".//w:ins", NS):
        assert change.get(f"{{{W}}}author") == "VETNoN"
        assert change.get(f"{{{W}}}date") == "2026-10-31T00:00:00Z"


def test_unchanged_articles_have_no_tracked_change(made: Made) -> None:
    for words in ("The network was built", "A second paragraph", "Vocational education"):
        p = _paragraph(made, words)
        assert p.find(".//w:ins", NS) is None and p.find(".//w:del", NS) is None, words
        assert mark(p) == ""
    assert "link to the convener" in text(_paragraph(made, "A second paragraph"))


def test_an_added_article_is_inserted_whole_and_a_removed_one_deleted_whole(made: Made) -> None:
    for words, kind in (("Online services", "ins"), ("The portal opens", "ins"),
                        ("Focal point", "del"), ("Each cluster has a focal", "del")):  # fmt: skip
        p = _paragraph(made, words)
        runs = [r for r in p.iter(f"{{{W}}}r") if r.find("w:t", NS) is not None or
                r.find("w:delText", NS) is not None]  # fmt: skip
        assert runs and all(inside(r, kind) for r in runs), words
        assert mark(p) == kind, words


def test_list_items_added_and_changed(made: Made) -> None:
    added = _paragraph(made, "A seat on the advisory body.")
    assert mark(added) == "ins" and added.find("w:pPr/w:numPr", NS) is not None
    changed = _paragraph(made, "access to practitioners")
    inserted = "".join(t.text for t in changed.iterfind(".//w:ins//w:t", NS))
    assert inserted.split() == ["Privileged", "access"]  # "Access" is another word
    assert [t.text for t in changed.iterfind(".//w:del//w:delText", NS)] == ["Access"]
    kept = "".join(t.text for t in changed.iterfind(".//w:t", NS) if not inside(t, "ins"))
    assert kept.split() == ["to", "practitioners", "in", "every", "region."]


def test_table_rows_and_cells(made: Made) -> None:
    table = made.part().find(".//w:tbl", NS)
    assert table is not None
    rows = table.findall("w:tr", NS)
    by_text = {"".join(text(p) for p in r.iter(f"{{{W}}}p")): r for r in rows}
    beta = next(r for t, r in by_text.items() if t.startswith("Beta"))
    assert [t.text for t in beta.iterfind(".//w:del//w:delText", NS)] == ["2020"]
    assert [t.text for t in beta.iterfind(".//w:ins//w:t", NS)] == ["2021"]
    assert beta.find("w:trPr/w:ins", NS) is None and beta.find("w:trPr/w:del", NS) is None
    gamma = next(r for t, r in by_text.items() if t.startswith("Gamma"))
    delta = next(r for t, r in by_text.items() if t.startswith("Delta"))
    assert gamma.find("w:trPr/w:ins", NS) is not None
    assert delta.find("w:trPr/w:del", NS) is not None
    alpha = next(r for t, r in by_text.items() if t.startswith("Alpha"))
    assert alpha.find(".//w:ins", NS) is None and alpha.find(".//w:del", NS) is None


def test_a_changed_footnote_is_tracked(made: Made) -> None:
    notes = made.part("word/footnotes.xml")
    texts = {kind: [text(p) for p in paragraphs(notes) if mark(p) == kind] for kind in
             ("ins", "del")}  # fmt: skip
    assert any("renewable twice" in t for t in texts["ins"])
    assert any("renewable once" in t for t in texts["del"])


def test_every_change_has_its_own_id(made: Made) -> None:
    ids = []
    for name in ("word/document.xml", "word/footnotes.xml"):
        ids += [e.get(f"{{{W}}}id") for e in made.part(name).iter(f"{{{W}}}ins", f"{{{W}}}del")]
    assert len(ids) == len(set(ids)) > 10


def _pandoc_paragraphs(markdown: str, tmp_path: Path) -> list[str]:
    out = tmp_path / "plain.docx"
    run_pandoc(["-f", MARKDOWN_FORMAT, "-t", "docx", "-o", str(out)], "pandoc failed: ",
               stdin=markdown.encode("utf-8"))  # fmt: skip
    from lxml import etree

    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    return [" ".join(text(p).split()) for p in paragraphs(root) if text(p).strip()]


@pytest.mark.parametrize(("side", "blocks"), [("new", NEW), ("old", OLD)])
def test_accept_all_gives_the_new_text_and_reject_all_the_old(
    made: Made, side: str, blocks: list[object], tmp_path: Path
) -> None:
    got = accepted(made.part(), side)
    got = got[got.index("Introduction") :]  # after the redline's title and introduction
    assert got == _pandoc_paragraphs(source_markdown(blocks), tmp_path)  # type: ignore[arg-type]


def test_the_result_says_what_changed(made: Made) -> None:
    r = made.result
    assert [(c.key, c.change, c.title) for c in r.changes] == [
        ("block:membership", "revised", "Members (generated text)"),
        ("roles/convener.md", "revised", "Convener"),
        ("roles/focal-point.md", "removed", "Focal point"),
        ("pages/online-services.md", "added", "Online services"),
    ]
    assert r.unchanged == 5  # 3 part headings, the foreword, the glossary entry
    assert (r.old, r.new) == ("2025-annual-meeting", "2026-annual-meeting")
    counted = {k: len(list(made.part().iter(f"{{{W}}}{k}"))) for k in ("ins", "del")}
    assert r.insertions > 5 and r.deletions > 5 and counted["ins"] >= r.insertions - 2


def test_title_introduction_and_the_templates_styles(made: Made) -> None:
    texts = [text(p) for p in paragraphs(made.part()) if text(p)]
    assert texts[0] == "Handbook: changes since 2025 Annual Meeting"
    assert "Accept All Changes" in texts[2] and "2026 Annual Meeting" in texts[1]
    with zipfile.ZipFile(made.docx) as zf:
        document = zf.read("word/document.xml").decode()
        styles = zf.read("word/styles.xml").decode()
    assert "{{" not in document and "{%" not in document
    assert "headerReference" not in document and "footerReference" not in document
    assert 'w:styleId="CoverNetwork"' in styles  # the handbook template's, not pandoc's


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_it(made: Made, tmp_path: Path) -> None:
    from pipeline.render.pdf import convert_to_pdf

    copy = tmp_path / "handbook-redline.docx"
    shutil.copy(made.docx, copy)
    pdf = convert_to_pdf(copy)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        import subprocess

        shown = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        assert "usuallynormally" in shown.stdout  # both sides of the change show, side by side


def test_two_editions_with_the_same_text_give_no_tracked_change(tmp_path: Path) -> None:
    from pipeline.publish.redline import redline

    from .conftest import make_edition

    old = make_edition(tmp_path, "2025-annual-meeting", {"handbook": NEW},
                       title="2025 Annual Meeting", as_of="2025-10-31", short=None)  # fmt: skip
    new = make_edition(tmp_path, "2026-annual-meeting", {"handbook": NEW},
                       title="2026 Annual Meeting", as_of="2026-10-31", short=None)  # fmt: skip
    result = redline(old, new, "handbook", tmp_path / "same.docx")
    assert (result.changes, result.insertions, result.deletions) == ([], 0, 0)
    assert result.unchanged == 8
    with zipfile.ZipFile(tmp_path / "same.docx") as zf:
        document = zf.read("word/document.xml").decode()
    assert "<w:ins " not in document and "<w:del " not in document
    assert "No text of the handbook changed since 2025 Annual Meeting." in document


def test_the_command_offers_the_documents_a_publish_redlines() -> None:
    from pipeline.commands.redline import DOCUMENTS
    from pipeline.publish.redline import REDLINED

    assert DOCUMENTS == REDLINED


def test_the_redline_says_what_it_is_in_its_custom_properties(made: Made) -> None:
    """So that a redline sent to reviewers is told from the published handbook."""
    from pipeline.render.custom_props import read_custom_properties

    assert read_custom_properties(made.docx) == {
        "netdocs-edition": "2026-annual-meeting",
        "netdocs-document": "handbook",
        "netdocs-redline": "2025-annual-meeting..2026-annual-meeting",
    }


def test_properties_are_added_to_a_document_that_had_none(made: Made) -> None:
    """Without pandoc's (empty) docProps/custom.xml, the part, its relationship and its
    content type are added (once)."""
    from pipeline.publish.redline_docx import with_properties
    from pipeline.render.custom_props import read_custom_properties

    out = io.BytesIO()
    with zipfile.ZipFile(made.docx) as zin, zipfile.ZipFile(out, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "_rels/.rels":
                data = re.sub(rb"<Relationship [^>]*custom-properties[^>]*/>", b"", data)
            if name != "docProps/custom.xml":
                zout.writestr(name, data)
    bare = out.getvalue()
    assert read_custom_properties(bare) == {}
    done = with_properties(bare, "new", "strategy", ("old", "new"))
    assert read_custom_properties(done) == {
        "netdocs-edition": "new", "netdocs-document": "strategy", "netdocs-redline": "old..new"
    }  # fmt: skip
    with zipfile.ZipFile(io.BytesIO(done)) as zf:
        assert b'Target="docProps/custom.xml"' in zf.read("_rels/.rels")
        assert b'PartName="/docProps/custom.xml"' in zf.read("[Content_Types].xml")
    again = with_properties(done, "new", "handbook", ("old", "new"))
    with zipfile.ZipFile(io.BytesIO(again)) as zf:
        assert zf.read("_rels/.rels").count(b"custom-properties") == 1
    assert read_custom_properties(again)["netdocs-document"] == "handbook"
