"""The styles-only reference document the redline borrows from the document type's template."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from pipeline.publish.redline_docx import reference_doc

from .conftest import NS, REPO


def _moved_main_part(template: Path, target: Path) -> None:
    """``template`` saved as Word sometimes does: its main part in word/document2.xml."""
    with zipfile.ZipFile(template) as zin, zipfile.ZipFile(target, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"word/document.xml", b"word/document2.xml")
            if name == "word/_rels/document.xml.rels":
                name = "word/_rels/document2.xml.rels"
            zout.writestr(name.replace("word/document.xml", "word/document2.xml"), data)


def test_the_reference_has_the_templates_styles_and_no_text(tmp_path: Path) -> None:
    template = tmp_path / "handbook.docx"
    _moved_main_part(REPO / "templates" / "handbook.docx", template)
    target = tmp_path / "out" / "reference.docx"
    target.parent.mkdir()
    reference_doc(template, target)
    assert [p.name for p in target.parent.iterdir()] == ["reference.docx"]  # no temporary left
    with zipfile.ZipFile(template) as zt, zipfile.ZipFile(target) as zr:
        assert "word/document.xml" not in zr.namelist()
        assert zr.read("word/styles.xml") == zt.read("word/styles.xml")
        body = etree.fromstring(zr.read("word/document2.xml")).find("w:body", NS)
        original = etree.fromstring(zt.read("word/document2.xml")).find("w:body", NS)
    assert body is not None and original is not None and len(original) > 2
    assert [etree.QName(c).localname for c in body] == ["p", "sectPr"]
    assert not "".join(body.itertext()).strip()
    assert body.find("w:sectPr/w:headerReference", NS) is None
    assert body.find("w:sectPr/w:pgSz", NS) is not None
