"""Helpers of the rendering tests: sample context, fidelity articles, docx XML access."""

from __future__ import annotations

import io
import posixpath
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pipeline.render import MarkdownBlock

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
FIDELITY = FIXTURES / "fidelity"
TEMPLATES = ROOT / "templates"
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def base_context(**extra: Any) -> dict[str, Any]:
    """Every variable the bundled templates use, with plain sample values."""
    context: dict[str, Any] = {
        "network_name": "Global VET Network of Networks",
        "network_short": "VETNoN",
        "edition": "2026-annual-meeting",
        "title": "Handbook",
        "running_title": "Handbook",
        "subtitle": "For members and conveners",
        "date": "14 May 2026",
        "period": "Strategy period 2025–2029",
        "status": "Draft",
        "logo": "",
        "body": MarkdownBlock("Body text."),
    }
    context.update(extra)
    return context


def resolver(article: str) -> Callable[[str], str | None]:
    """Links of the KB article at ``article`` (KB-relative) -> KB-relative target keys."""
    folder = posixpath.dirname(article)

    def resolve(href: str) -> str | None:
        path, _, fragment = href.partition("#")
        key = posixpath.normpath(posixpath.join(folder, path))
        return f"{key}#{fragment}" if fragment else key

    return resolve


def article(name: str, offset: int = 1) -> MarkdownBlock:
    """The fidelity fixture ``name`` (KB-relative) as a block, anchored at its path."""
    path = FIDELITY / name
    return MarkdownBlock(
        path.read_text(encoding="utf-8"),
        folder=path.parent,
        heading_offset=offset,
        anchor=name,
        links=resolver(name),
        name=name,
    )


def part_xml(docx: Path | bytes, name: str) -> etree._Element:
    """A part of a .docx, parsed."""
    source = docx if isinstance(docx, Path) else io.BytesIO(docx)
    with zipfile.ZipFile(source) as zf:
        return etree.fromstring(zf.read(name))


def part_names(docx: Path | bytes) -> list[str]:
    source = docx if isinstance(docx, Path) else io.BytesIO(docx)
    with zipfile.ZipFile(source) as zf:
        return zf.namelist()


soffice_missing = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)


def loop_template(source: Path, target: Path) -> Path:
    """``source`` with its ``{{p body }}`` replaced by a loop over ``articles``."""
    import docx

    document = docx.Document(str(source))
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == "{{p body }}":
            paragraph.insert_paragraph_before("{%p for article in articles %}")
            paragraph.text = "{{p article }}"
            after = document.add_paragraph("{%p endfor %}")
            paragraph._p.addnext(after._p)
            break
    else:
        raise AssertionError(f"{source} has no {{{{p body }}}} paragraph")
    document.save(str(target))
    return target
