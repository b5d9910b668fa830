"""One picture rule for every format (:func:`pipeline.render.pictures.picture_bytes`): alt text
required, a readable file, the bytes of a PNG, JPEG or GIF image; each mistake a located
:class:`RenderError`, the same through the .docx and through the HTML site. Every picture fits
the text area of its section; a part of several pictures (:class:`Pictures`) shows each on its
own, in the .docx and on the site, its caption after the last."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pipeline.errors import RenderError
from pipeline.render import MarkdownBlock, Picture, render_document
from pipeline.render.catalog import Part
from pipeline.render.pictures import PIC, WP, A, W, fit_pictures, picture_bytes
from pipeline.render.values import Pictures
from pipeline.render.writers import render_formats

from .helpers import ROOT, TEMPLATES, base_context

PNG = (ROOT / "kb" / "images" / "roadmap.png").read_bytes()
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"

PARTS = (
    Part("Figures", "picture", "chart", "A picture.", "Figure 1. The map"),
    Part("Text", "body", "block", "Text."),
)


def test_the_kind_comes_from_the_bytes_not_the_name(tmp_path: Path) -> None:
    (tmp_path / "map.png").write_bytes(GIF)  # named .png, but a GIF
    assert picture_bytes(Picture(tmp_path / "map.png", alt="Map"), "picture") == (GIF, "gif")
    assert picture_bytes(Picture(PNG, alt="Map"), "picture") == (PNG, "png")
    assert picture_bytes(Picture(JPEG, alt="Map"), "picture") == (JPEG, "jpg")


BAD = [
    (lambda d: Picture(PNG, alt="  "), r"^picture: a picture needs alt text"),
    (lambda d: Picture(d / "gone.png", alt="Map"), r"^picture: cannot read picture .*gone\.png"),
    (lambda d: Picture(b"<svg onload=alert(1)>", alt="Map"), r"^picture: .*PNG, JPEG or GIF"),
]


@pytest.mark.parametrize(("make", "message"), BAD, ids=["no-alt", "unreadable", "not-an-image"])
@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_every_format_refuses_the_same_pictures(
    tmp_path: Path, fmt: str, make: object, message: str
) -> None:
    picture = make(tmp_path)  # type: ignore[operator]
    context = base_context(picture=picture, body=MarkdownBlock("Text.\n"), running_title="T")
    targets = (
        {"docx": tmp_path / "a.docx"} if fmt == "docx" else {"html": tmp_path / "s" / "index.html"}
    )
    with pytest.raises(RenderError, match=message):
        render_formats(TEMPLATES / "base.docx", context, PARTS, targets, title="T")
    assert not any((tmp_path / "s").rglob("*.html"))  # nothing half written


def test_a_jpeg_reaches_the_site_as_a_jpeg(tmp_path: Path) -> None:
    context = {"picture": Picture(JPEG, alt="A photo"), "body": MarkdownBlock("Text.\n")}
    index = tmp_path / "s" / "index.html"
    render_formats(TEMPLATES / "base.docx", context, PARTS, {"html": index}, title="T")
    pages = "".join(p.read_text(encoding="utf-8") for p in index.parent.glob("*.html"))
    src = pages.split('<img src="', 1)[1].split('"', 1)[0]
    assert src.endswith(".jpg") and (index.parent / src).read_bytes() == JPEG
    assert 'alt="A photo"' in pages


# -- every picture fits its section; a part of several pictures --------------------------------

EMU_PER_CM = 360_000


def _extents(document: Any) -> list[tuple[int, int, int, int]]:
    """(wp:extent cx, cy, pic a:ext cx, cy) of each picture, in body order."""
    out = []
    for inline in document.element.body.iter(f"{{{WP}}}inline"):
        extent = inline.find(f"{{{WP}}}extent")
        ext = inline.find(f".//{{{PIC}}}spPr/{{{A}}}xfrm/{{{A}}}ext")
        out.append((int(extent.get("cx")), int(extent.get("cy")), int(ext.get("cx")),
                    int(ext.get("cy"))))  # fmt: skip
    return out


def test_pictures_shrink_to_their_own_section_s_text_area_keeping_their_aspect() -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    document = Document()
    portrait = document.sections[0]
    portrait.page_width, portrait.page_height = Cm(21), Cm(29.7)
    portrait.left_margin = portrait.right_margin = Cm(2.5)
    portrait.top_margin = portrait.bottom_margin = Cm(2)
    document.add_picture(io.BytesIO(PNG), width=Cm(30))
    document.add_picture(io.BytesIO(PNG), width=Cm(5))
    landscape = document.add_section(WD_SECTION.NEW_PAGE)
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = Cm(29.7), Cm(21)
    landscape.left_margin = landscape.right_margin = Cm(2.2)
    landscape.top_margin, landscape.bottom_margin = Cm(2.5), Cm(2.2)
    document.add_picture(io.BytesIO(PNG), width=Cm(30))
    document.add_picture(io.BytesIO(PNG), width=Cm(8), height=Cm(40))  # tall and narrow
    before = _extents(document)

    assert fit_pictures(document.element.body) == 3
    after = _extents(document)
    (big, small, wide, tall) = after
    assert abs(big[0] - 16 * EMU_PER_CM) < 2000 and big[:2] == big[2:]  # portrait text width
    assert small == before[1]  # already fits: untouched
    assert abs(wide[0] - 25.3 * EMU_PER_CM) < 2000 and wide[:2] == wide[2:]  # landscape width
    assert abs(tall[1] - (16.3 - 2) * EMU_PER_CM) < 2000  # the text height less the caption's
    for (w0, h0, *_), (w1, h1, *_) in zip(before, after, strict=True):
        assert abs(w1 / h1 - w0 / h0) < 0.01  # aspect kept
    assert fit_pictures(document.element.body) == 0  # nothing left to do


def test_a_part_of_several_pictures_gives_each_its_paragraph_and_the_caption_last(
    tmp_path: Path,
) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    template = Document()
    template.add_paragraph("Timeline", style="Heading 1")
    template.add_paragraph("The chart below shows the activities.")
    slot = template.add_paragraph("{{ figures }}")
    slot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    slot.paragraph_format.keep_with_next = True
    template.add_paragraph("Figure 1. Activities over time")
    template.save(tmp_path / "t.docx")
    figures = Pictures((Picture(PNG, alt="Part 1", width_mm=300), Picture(PNG, alt="Part 2")))

    render_document(tmp_path / "t.docx", {"figures": figures}, tmp_path / "out.docx")
    with zipfile.ZipFile(tmp_path / "out.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml")).find(f"{{{W}}}body")
    paragraphs = list(body.iterchildren(f"{{{W}}}p"))
    texts = ["".join(p.itertext()) for p in paragraphs]
    assert texts[:2] == ["Timeline", "The chart below shows the activities."]
    pictures = paragraphs[2:4]
    assert [[d.get("descr") for d in p.iter(f"{{{WP}}}docPr")] for p in pictures] == [
        ["Part 1"],
        ["Part 2"],
    ]
    assert all(p.find(f".//{{{W}}}br") is None for p in pictures)  # no line break left
    keep = [p.find(f"{{{W}}}pPr/{{{W}}}keepNext") is not None for p in paragraphs[1:4]]
    assert keep == [True, False, True]  # the introduction with the first, the last with its caption
    assert [p.find(f"{{{W}}}pPr/{{{W}}}jc").get(f"{{{W}}}val") for p in pictures] == ["center"] * 2
    assert texts[4] == "Figure 1. Activities over time"
    width = int(next(pictures[0].iter(f"{{{WP}}}extent")).get("cx"))
    assert width < 300 * 36_000  # fitted to the page


def test_a_part_of_several_pictures_reaches_the_site_as_several_images(tmp_path: Path) -> None:
    figures = Pictures((Picture(PNG, alt="Part one"), Picture(JPEG, alt="Part two")))
    context = {"picture": figures, "body": MarkdownBlock("Text.\n")}
    index = tmp_path / "s" / "index.html"
    render_formats(TEMPLATES / "base.docx", context, PARTS, {"html": index}, title="T")
    pages = "".join(p.read_text(encoding="utf-8") for p in sorted(index.parent.glob("*.html")))
    assert pages.count("<img ") == 2
    one, two, caption = (pages.index(s) for s in ('alt="Part one"', 'alt="Part two"', "Figure 1."))
    assert one < two < caption


def test_several_pictures_need_at_least_one_and_only_pictures() -> None:
    with pytest.raises(TypeError):
        Pictures(())
    with pytest.raises(TypeError):
        Pictures((MarkdownBlock("x"),))  # type: ignore[arg-type]
