"""A .docx handed to netdocs is checked before anything opens it: what it is when it is not a
.docx, and the size limits (pipeline/docx_file.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from pipeline.docx_file import DocxError, Limits, Reading, read_docx
from pipeline.render.custom_props import read_custom_properties


def _docx(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return path


def test_a_docx_is_read_as_checked_stored_bytes(tmp_path: Path) -> None:
    path = _docx(tmp_path / "guide.docx", {"word/document.xml": b"<w:document/>" * 100})
    data = read_docx(path)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("word/document.xml") == b"<w:document/>" * 100
        assert all(i.compress_type == zipfile.ZIP_STORED for i in zf.infolist())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
         r"guide.docx: a password-protected Word document, or an old Word 97-2003 \.doc.*"
         r"remove the password"),
        (b"%PDF-1.7\n%...", r"guide.docx: a PDF, not a Word document"),
        (b"just some text\n", r"guide.docx: not a readable .docx document \(a .docx is a zip"),
        (b"PK\x03\x04broken", r"guide.docx: not a readable .docx document \(.*\); open it in Word"),
    ],
    ids=["protected", "pdf", "text", "corrupt"],
)  # fmt: skip
def test_what_is_not_a_docx_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "guide.docx"
    path.write_bytes(content)
    with pytest.raises(DocxError, match=message):
        read_docx(path)


def test_a_truncated_docx_is_damaged(tmp_path: Path) -> None:
    path = _docx(tmp_path / "guide.docx", {"word/document.xml": b"x" * 5000})
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(DocxError, match=r"guide.docx: not a readable .docx document"):
        read_docx(path)


def test_a_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = _docx(tmp_path / "book.docx", {"content.xml": b"<office/>"})
    with pytest.raises(
        DocxError, match=r"book.docx: a zip file, but not a Word document \(it has no main"
    ):
        read_docx(path)


def test_a_large_image_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = _docx(
        tmp_path / "guide.docx",
        {"word/document.xml": b"<w:document/>", "word/media/image1.png": b"\0" * 3_000_000},
    )
    how = Reading(limits=Limits(part=1_000_000, unpacked=10_000_000))
    with pytest.raises(
        DocxError,
        match=r"guide.docx: its part word/media/image1.png unpacks to 2.9 MB, over the limit "
        r"of 1.0 MB .* save a smaller document, with images compressed",
    ):
        read_docx(path, how)


def test_custom_properties_of_a_file_without_them(tmp_path: Path) -> None:
    path = _docx(tmp_path / "guide.docx", {"word/document.xml": b"<w:document/>"})
    assert read_custom_properties(path) == {}
    (tmp_path / "text.docx").write_text("no zip", encoding="utf-8")
    assert read_custom_properties(tmp_path / "text.docx") == {}


def test_the_main_part_is_the_one_the_package_names(tmp_path: Path) -> None:
    from pipeline.docx_file import main_part

    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/>'
        "</Relationships>"
    )
    parts = {"_rels/.rels": rels.encode(), "word/document2.xml": b"<w:document/>"}
    path = _docx(tmp_path / "guide.docx", parts)
    with zipfile.ZipFile(io.BytesIO(read_docx(path))) as zf:
        assert main_part(zf) == "word/document2.xml"
    plain = _docx(tmp_path / "plain.docx", {"word/document.xml": b"<w:document/>"})
    with zipfile.ZipFile(plain) as zf:
        assert main_part(zf) == "word/document.xml"
