"""PDF stage: one LibreOffice for many files, tables of contents with page numbers."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.errors import RenderError, ToolMissingError
from pipeline.render import MarkdownBlock, render_document
from pipeline.render.libreoffice import soffice_path, uno_python
from pipeline.render.pdf import PdfBatch, PdfConverter
from pipeline.render.toc import TocEntry, number_toc_file, toc_levels

from .helpers import TEMPLATES, base_context

SOFFICE = soffice_path()
UNO = uno_python(SOFFICE) if SOFFICE else None
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: "
    "apt-get install --no-install-recommends libreoffice-writer-nogui",
)
needs_uno = pytest.mark.skipif(
    SOFFICE is None or UNO is None,
    reason="LibreOffice with python3-uno is not installed: apt-get install "
    "--no-install-recommends libreoffice-writer-nogui python3-uno",
)
TOC_LINE = re.compile(r"^(\S.*?)\s*\.{3,}\s*(\d+)$")


def handbook_text(parts: int, tag: str = "") -> str:
    """Markdown long enough for headings on several pages (every heading text unique)."""
    filler = " ".join(["Members share practice, plan activities and report on them."] * 12)
    sections = []
    for i in range(1, parts + 1):
        sections.append(f"# Part {i}{tag}: the network at work\n\n{filler}\n\n{filler}\n")
        for j in range(1, 4):
            sections.append(f"## Topic {i}.{j}{tag}\n\n{filler}\n\n- one\n- two\n\n{filler}\n")
    return "\n".join(sections)


def render(folder: Path, name: str, parts: int = 4) -> Path:
    out = folder / f"{name}.docx"
    body = MarkdownBlock(handbook_text(parts))
    render_document(
        TEMPLATES / "base.docx", base_context(title=name, running_title=name, body=body), out
    )
    return out


def pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return text.split("\f")


def toc_lines(pages: list[str]) -> list[tuple[str, int]]:
    """``(text, page)`` of each dot-leader line of the PDF's text."""
    found = []
    for page in pages:
        for line in page.splitlines():
            match = TOC_LINE.match(line.strip())
            if match:
                found.append((match.group(1).strip(), int(match.group(2))))
    return found


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[PdfConverter, Path, PdfBatch]:
    """Three handbooks and a corrupt file converted in one batch through one LibreOffice."""
    if SOFFICE is None or UNO is None:
        pytest.skip("LibreOffice with python3-uno is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    files = [render(folder, "one", 4), render(folder, "two", 2), render(folder, "three", 6)]
    broken = folder / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a Word document")
    with PdfConverter() as converter:
        batch = converter.convert_many([files[0], broken, files[1], files[2]])
    return converter, folder, batch


@needs_uno
def test_pdf_toc_shows_the_page_of_each_heading(
    converted: tuple[PdfConverter, Path, PdfBatch],
) -> None:
    _, folder, _ = converted
    pages = pdf_pages(folder / "one.pdf")
    entries = toc_lines(pages)
    assert [text for text, _ in entries][:3] == [
        "Part 1: the network at work",
        "Topic 1.1",
        "Topic 1.2",
    ]
    assert len(entries) == 16
    assert len({page for _, page in entries}) > 3  # the headings are spread over pages
    for text, page in entries:
        lines = [line.strip() for line in pages[page - 1].splitlines()]
        assert text in lines, f"{text!r} is not on page {page}"
    assert "Update this field" not in "".join(pages)


@needs_uno
def test_docx_toc_has_the_same_page_numbers(converted: tuple[PdfConverter, Path, PdfBatch]) -> None:
    _, folder, _ = converted
    in_pdf = toc_lines(pdf_pages(folder / "one.pdf"))
    document = docx.Document(io.BytesIO((folder / "one.docx").read_bytes()))
    in_docx = [
        tuple(p.text.rsplit("\t", 1))
        for p in document.paragraphs
        if p.style is not None and re.fullmatch(r"toc \d", p.style.name.lower())
    ]
    assert in_docx == [(text, str(page)) for text, page in in_pdf]
    assert toc_levels(folder / "one.docx")[:2] == [
        (1, "Part 1: the network at work"),
        (2, "Topic 1.1"),
    ]


@needs_uno
def test_docx_stores_the_page_count_the_pdf_has(
    converted: tuple[PdfConverter, Path, PdfBatch],
) -> None:
    _, folder, batch = converted
    result = next(r for r in batch.results if r.docx.name == "one.docx")
    with zipfile.ZipFile(folder / "one.docx") as zf:
        footers = [zf.read(n).decode() for n in zf.namelist() if n.startswith("word/footer")]
        settings = zf.read("word/settings.xml").decode()
    shown = [
        re.search(r"NUMPAGES.*?<w:t[^>]*>([^<]*)</w:t>", f, re.S)
        for f in footers
        if "NUMPAGES" in f
    ]
    assert shown and all(m is not None and m.group(1) == str(result.pages) for m in shown)
    assert result.pages is not None and result.pages > 3
    assert "updateFields" not in settings


@needs_uno
def test_batch_uses_one_libreoffice_and_names_the_corrupt_file(
    converted: tuple[PdfConverter, Path, PdfBatch],
) -> None:
    converter, folder, batch = converted
    assert converter.starts == 1
    assert [r.docx.name for r in batch.results] == ["one.docx", "two.docx", "three.docx"]
    assert len(batch.errors) == 1 and "broken.docx" in batch.errors[0].format_message()
    assert sorted(p.name for p in folder.glob("*.pdf")) == ["one.pdf", "three.pdf", "two.pdf"]
    assert not list(folder.glob(".*"))  # no temporary file left behind


@needs_uno
def test_corrupt_docx_error_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a Word document")
    good = render(tmp_path, "good", 1)
    with PdfConverter() as converter:
        batch = converter.convert_many([broken, good])
    assert len(batch.errors) == 1
    assert "broken.docx" in batch.errors[0].format_message()
    assert [r.pdf.name for r in batch.results] == ["good.pdf"]
    with pytest.raises(RenderError, match=r"broken\.docx"):
        batch.raise_errors()


@needs_uno
def test_docx_with_page_numbers_is_reproducible_and_reopens(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    with PdfConverter() as converter:
        for folder in (first, second):
            folder.mkdir()
            converter.convert(render(folder, "doc", 3))
    data = (first / "doc.docx").read_bytes()
    assert data == (second / "doc.docx").read_bytes()
    # LibreOffice opens the numbered .docx; plain --convert-to prints the stored numbers
    again = tmp_path / "again"
    done = subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(again),
            str(first / "doc.docx"),
        ],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert toc_lines(pdf_pages(again / "doc.pdf")) == toc_lines(pdf_pages(first / "doc.pdf"))


@needs_uno
def test_libreoffice_killed_mid_batch_is_restarted_once(tmp_path: Path) -> None:
    files = [render(tmp_path, "a", 1), render(tmp_path, "b", 1)]
    with PdfConverter() as converter:
        converter.convert(files[0])
        office = converter._office
        assert office is not None and office.pid is not None
        os.killpg(office.pid, signal.SIGKILL)
        result = converter.convert(files[1])
    assert converter.starts == 2
    assert result.toc and result.pdf.is_file()


@needs_uno
def test_timeout_fails_the_file_and_stops_libreoffice(tmp_path: Path) -> None:
    source = render(tmp_path, "slow", 2)
    with PdfConverter(timeout=0.01) as converter:
        with pytest.raises(RenderError, match=r"slow\.docx.*within"):
            converter.convert(source)
        assert converter._office is None
    assert not (tmp_path / "slow.pdf").exists()


@needs_uno
def test_ctrl_c_stops_libreoffice_and_removes_the_profile(tmp_path: Path) -> None:
    source = render(tmp_path, "doc", 1)
    with pytest.raises(KeyboardInterrupt):
        with PdfConverter() as converter:
            converter.convert(source)
            office = converter._office
            assert office is not None and office.pid is not None
            profile, pid = office.folder, office.pid
            raise KeyboardInterrupt
    assert not profile.exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)


# -- missing tools -----------------------------------------------------------------------------


def test_missing_soffice_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bogus = tmp_path / "no" / "soffice"
    with pytest.raises(ToolMissingError, match="apt-get install .*libreoffice-writer-nogui") as err:
        PdfConverter(soffice=bogus)
    assert str(bogus) in err.value.format_message()
    monkeypatch.setenv("NETDOCS_SOFFICE", str(bogus))
    with pytest.raises(ToolMissingError, match="libreoffice-writer-nogui"):
        PdfConverter()


@needs_soffice
def test_missing_uno_is_an_error_when_toc_pages_are_required(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = "apt-get install -y --no-install-recommends python3-uno"
    with pytest.raises(ToolMissingError, match=re.escape(expected)):
        PdfConverter(python=tmp_path / "python3")
    monkeypatch.setenv("NETDOCS_UNO_PYTHON", str(tmp_path / "python3"))
    with pytest.raises(ToolMissingError, match=re.escape(expected)):
        PdfConverter(require_toc_pages=True)


@needs_soffice
def test_without_uno_falls_back_to_one_soffice_for_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETDOCS_UNO_PYTHON", str(tmp_path / "python3"))
    files = [render(tmp_path, "a", 1), render(tmp_path, "b", 1)]
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 this is not a Word document")
    with PdfConverter() as converter:
        assert converter.engine == "batch"
        assert converter.notice is not None and "python3-uno" in converter.notice
        batch = converter.convert_many([files[0], broken, files[1]])
    assert [r.pdf.name for r in batch.results] == ["a.pdf", "b.pdf"]
    assert all(r.pages and not r.toc for r in batch.results)
    assert len(batch.errors) == 1 and "broken.docx" in batch.errors[0].format_message()


# -- page numbers into the .docx (no LibreOffice needed) ---------------------------------------


def test_number_toc_file_is_idempotent_and_replaces_numbers(tmp_path: Path) -> None:
    source = render(tmp_path, "doc", 2)
    levels = toc_levels(source)
    assert levels[:2] == [(1, "Part 1: the network at work"), (2, "Topic 1.1")]
    first = [TocEntry(level, text, str(n + 3)) for n, (level, text) in enumerate(levels)]
    assert number_toc_file(source, first) == len(levels)
    once = source.read_bytes()
    assert number_toc_file(source, first) == len(levels)
    assert source.read_bytes() == once
    number_toc_file(source, [TocEntry(e.level, e.text, "9") for e in first])
    texts = [
        p.text
        for p in docx.Document(str(source)).paragraphs
        if p.style is not None and re.fullmatch(r"toc \d", p.style.name.lower())
    ]
    assert texts[0] == "Part 1: the network at work\t9"
    assert all(t.count("\t") == 1 and t.endswith("\t9") for t in texts)


def test_number_toc_file_names_a_file_that_is_not_a_docx(tmp_path: Path) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_text("plain text")
    with pytest.raises(RenderError, match=r"bad\.docx"):
        number_toc_file(bad, [])
