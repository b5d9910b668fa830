"""The pages of the edition's PDFs, as a reader sees them (issue 14).

The strategy, the network's action plan and one progress report of the published edition are
converted to PDF through LibreOffice (one process), and their pages are read with pdfplumber:

- every picture lies inside its page;
- no page ends with a heading (a heading stays with what follows it);
- a figure caption sits under its picture, on the same page;
- the PDF's title is the document's running title (with the cluster's name for a per-cluster
  document).
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.render.libreoffice import soffice_path, uno_python

from .conftest import Edition

pdfplumber = pytest.importorskip("pdfplumber", reason="pdfplumber is a dev dependency")

SOFFICE = soffice_path()
DOCUMENTS = ("strategy.docx", "action-plan.docx", "clusters/progress-report-africa.docx")
MARGIN = 56.7
"""Points from the page's top and bottom edges that hold the running header and footer (2 cm)."""
HEADING_SIZE = 12.5
"""Text at least this large (points) is a heading (the body is 10–11 pt, captions smaller)."""


@dataclass
class Page:
    """What the tests read of a PDF page (read once: pdfplumber takes seconds per document)."""

    width: float
    height: float
    images: list[tuple[float, float, float, float]]
    """(x0, top, x1, bottom) of each picture, in points from the top left."""
    lines: list[tuple[float, float, float, str]]
    """(top, bottom, largest font size, text) of each body line."""


@dataclass
class Pdf:
    pages: list[Page]
    title: str


@pytest.fixture(scope="module")
def pdfs(edition: Edition, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pdf]:
    if SOFFICE is None or uno_python(SOFFICE) is None:
        pytest.skip(
            "LibreOffice with python3-uno is not installed: apt-get install "
            "--no-install-recommends libreoffice-writer-nogui python3-uno"
        )
    from pipeline.render.pdf import PdfConverter

    folder = tmp_path_factory.mktemp("edition-pdf")
    jobs = []
    for name in DOCUMENTS:
        copy = folder / name.replace("/", "-")
        shutil.copyfile(edition.folder / name, copy)
        jobs.append((copy, copy.with_suffix(".pdf")))
    with PdfConverter() as converter:
        batch = converter.convert_many(jobs)
    batch.raise_errors()
    return {name: _read(pdf) for name, (_, pdf) in zip(DOCUMENTS, jobs, strict=True)}


def _read(path: Path) -> Pdf:
    with pdfplumber.open(path) as doc:
        pages = [
            Page(
                float(page.width),
                float(page.height),
                [
                    (float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"]))
                    for i in page.images
                ],  # fmt: skip
                _lines(page),
            )
            for page in doc.pages
        ]
        return Pdf(pages, str(doc.metadata.get("Title", "")))


def _lines(page: object) -> list[tuple[float, float, float, str]]:
    """The page's body lines between header and footer: (top, bottom, largest size, text)."""
    rows: dict[int, list[dict[str, object]]] = defaultdict(list)
    for char in page.chars:  # type: ignore[attr-defined]
        rows[round(float(char["top"]))].append(char)
    height = float(page.height)  # type: ignore[attr-defined]
    lines = []
    for _, chars in sorted(rows.items()):
        top = min(float(c["top"]) for c in chars)  # type: ignore[arg-type]
        bottom = max(float(c["bottom"]) for c in chars)  # type: ignore[arg-type]
        if top < MARGIN or bottom > height - MARGIN:
            continue
        size = max(float(c["size"]) for c in chars)  # type: ignore[arg-type]
        text = "".join(str(c["text"]) for c in sorted(chars, key=lambda c: float(c["x0"])))  # type: ignore[arg-type]
        if text.strip():
            lines.append((top, bottom, size, text.strip()))
    return lines


def test_every_picture_lies_inside_its_page(pdfs: dict[str, Pdf]) -> None:
    outside = []
    pictures = 0
    for name, pdf in pdfs.items():
        for number, page in enumerate(pdf.pages, 1):
            for x0, top, x1, bottom in page.images:
                pictures += 1
                if x0 < -1 or top < -1 or x1 > page.width + 1 or bottom > page.height + 1:
                    outside.append(f"{name} page {number}: picture at {x0:.0f},{top:.0f}–"
                                   f"{x1:.0f},{bottom:.0f} on a {page.width:.0f}×"
                                   f"{page.height:.0f} page")  # fmt: skip
    assert pictures >= len(pdfs) * 2, "each document has its logo and at least one chart"
    assert not outside, "\n".join(outside)


def test_no_page_ends_with_a_heading(pdfs: dict[str, Pdf]) -> None:
    """Neither a heading nor a heading with a single line after it ends a page."""
    stranded = []
    for name, pdf in pdfs.items():
        for number, page in enumerate(pdf.pages[:-1], 1):
            last = page.lines[-2:]
            heading = next((line for line in last if line[2] >= HEADING_SIZE), None)
            if number > 1 and heading is not None:
                stranded.append(f"{name} page {number} ends with {heading[3]!r}")
    assert not stranded, "\n".join(stranded)


def test_figure_captions_sit_under_their_picture(pdfs: dict[str, Pdf]) -> None:
    alone = []
    captions = 0
    for name, pdf in pdfs.items():
        for number, page in enumerate(pdf.pages, 1):
            for top, _, _, text in page.lines:
                if not text.startswith("Figure ") or "." not in text[:12]:
                    continue
                captions += 1
                if not any(bottom <= top + 2 for _, _, _, bottom in page.images):
                    alone.append(f"{name} page {number}: {text!r} has no picture above it")
    assert captions >= 2, "the action plan and the progress report have captioned charts"
    assert not alone, "\n".join(alone)


def test_pdf_titles_are_the_running_titles(pdfs: dict[str, Pdf]) -> None:
    titles = {name: pdf.title for name, pdf in pdfs.items()}
    assert titles["strategy.docx"].startswith("Strategy 2025–2029"), titles
    assert titles["action-plan.docx"].startswith("Action plan"), titles
    assert "Africa cluster" in titles["clusters/progress-report-africa.docx"], titles
