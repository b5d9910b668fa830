"""Reproducible, atomic output; charts and pictures with alt text; PDF and Markdown round trips."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import docx
import matplotlib
import pytest

from pipeline.errors import RenderError, ToolMissingError
from pipeline.render import Chart, MarkdownBlock, Picture, convert_to_pdf, render_document
from pipeline.render.pandoc import pandoc_path

from .helpers import FIDELITY, NS, article, base_context, loop_template, part_xml, soffice_missing

matplotlib.use("Agg")


def _chart() -> Chart:
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(4, 2))
    axes.bar(["Africa", "Asia", "Europe"], [12, 30, 22])
    plt.close(figure)
    return Chart(figure, alt="Members per region: Africa 12, Asia 30, Europe 22", width_mm=100)


def _chart_template(source: Path, target: Path) -> Path:
    document = docx.Document(str(source))
    document.add_paragraph("Chart: {{ chart }} Picture: {{ picture }}")
    document.save(str(target))
    return target


@pytest.fixture(scope="module")
def rich(
    handbook: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, object]]:
    folder = tmp_path_factory.mktemp("rich")
    template = _chart_template(loop_template(handbook, folder / "loop.docx"), folder / "t.docx")
    context = base_context(
        articles=[
            article(n)
            for n in (
                "lists.md",
                "tables.md",
                "notes.md",
                "links.md",
                "media.md",
                "roles/convener.md",
            )
        ],
        chart=_chart(),
        picture=Picture(FIDELITY / "img" / "trend.png", alt="Trend line", width_mm=40),
    )
    del context["body"]
    return template, context


def test_two_renders_are_byte_identical(
    rich: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    template, context = rich
    first = render_document(template, context, tmp_path / "one.docx")
    second = render_document(template, context, tmp_path / "two.docx")
    assert first.data == second.data
    assert (tmp_path / "one.docx").read_bytes() == (tmp_path / "two.docx").read_bytes()
    with zipfile.ZipFile(tmp_path / "one.docx") as zf:
        assert {i.date_time for i in zf.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    core = part_xml(first.data, "docProps/core.xml")
    assert "2026-01-01T00:00:00Z" in "".join(core.itertext())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.docx", "two.docx"]


def test_charts_and_pictures_carry_alt_text(
    rich: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    template, context = rich
    result = render_document(template, context, tmp_path / "rich.docx")
    body = part_xml(result.data, "word/document.xml")
    described = [d.get("descr") for d in body.iterfind(".//wp:docPr", NS)]
    assert "Members per region: Africa 12, Asia 30, Europe 22" in described
    assert "Trend line" in described
    ids = [d.get("id") for d in body.iterfind(".//wp:docPr", NS)]
    assert len(ids) == len(set(ids))


def test_failed_render_leaves_no_file(handbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    out.write_bytes(b"previous edition")
    with pytest.raises(RenderError):
        render_document(handbook, base_context(chart=Chart(object(), alt="x")), out)
    assert out.read_bytes() == b"previous edition"
    assert [p.name for p in tmp_path.iterdir()] == ["out.docx"]


def test_docx_converts_back_to_markdown_with_its_text(
    rich: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    template, context = rich
    out = tmp_path / "rich.docx"
    render_document(template, context, out)
    text = subprocess.run(
        [pandoc_path(), "-f", "docx", "-t", "plain", "--wrap=none", str(out)],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    for expected in (
        "Second step",
        "nested bullet",
        "A new list that restarts",
        "Quality in VET starts with the teacher.",
        "In Turin and in Nairobi.",
        "Asia & Pacific",
        "the treasurer",
        "Call meetings and keep the minutes.",
        'return f"Hello {name} & <welcome>"',
        "Its definition.",
    ):
        assert expected in text, expected
    assert docx.Document(io.BytesIO(out.read_bytes())).paragraphs


@soffice_missing
def test_docx_converts_to_pdf_with_libreoffice(
    rich: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    template, context = rich
    out = tmp_path / "rich.docx"
    render_document(template, context, out)
    pdf = convert_to_pdf(out)
    assert pdf == tmp_path / "rich.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rich.docx", "rich.pdf"]


def test_pdf_without_libreoffice_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.render.libreoffice.soffice_path", lambda explicit=None: None)
    with pytest.raises(ToolMissingError, match="apt-get install .*libreoffice-writer-nogui"):
        convert_to_pdf(tmp_path / "x.docx")


def test_missing_image_is_a_warning_naming_the_article(handbook: Path, tmp_path: Path) -> None:
    block = MarkdownBlock("![A map](nowhere.png)", folder=tmp_path, name="regions.md")
    result = render_document(handbook, base_context(body=block), tmp_path / "out.docx")
    assert any("regions.md" in p.message and "nowhere.png" in p.message for p in result.warnings)
