"""Custom document properties: written into a .docx, kept beside a template's own, and kept by
LibreOffice when it saves the document again (a reviewer's round trip)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from pipeline.render.custom_props import read_custom_properties, set_custom_properties


def _saved(document: object, path: Path) -> Path:
    document.save(str(path))  # type: ignore[attr-defined]
    return path


def test_written_then_read(tmp_path: Path) -> None:
    document = docx.Document()
    set_custom_properties(document, {"netdocs-edition": "2026-annual-meeting",
                                     "netdocs-document": "handbook"})  # fmt: skip
    path = _saved(document, tmp_path / "a.docx")
    assert read_custom_properties(path) == {
        "netdocs-edition": "2026-annual-meeting",
        "netdocs-document": "handbook",
    }
    again = docx.Document(str(path))
    set_custom_properties(again, {"netdocs-edition": "2027", "netdocs-document": None,
                                  "Reviewer": "Ana"})  # fmt: skip
    path = _saved(again, tmp_path / "b.docx")
    assert read_custom_properties(path) == {"netdocs-edition": "2027", "Reviewer": "Ana"}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_keeps_them_when_it_saves_the_document(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Reviewed text.")
    set_custom_properties(document, {"netdocs-edition": "2026-annual-meeting"})
    (tmp_path / "in").mkdir()
    path = _saved(document, tmp_path / "in" / "guide.docx")
    out = tmp_path / "out"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    assert read_custom_properties(out / "guide.docx").get("netdocs-edition") == (
        "2026-annual-meeting"
    )
