"""One picture rule for every format (:func:`pipeline.render.pictures.picture_bytes`): alt text
required, a readable file, the bytes of a PNG, JPEG or GIF image; each mistake a located
:class:`RenderError`, the same through the .docx and through the HTML site."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import RenderError
from pipeline.render import MarkdownBlock, Picture
from pipeline.render.catalog import Part
from pipeline.render.pictures import picture_bytes
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
    context = base_context(picture=picture, body=MarkdownBlock("Text.\n"))
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
