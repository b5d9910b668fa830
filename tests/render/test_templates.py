"""``netdocs templates`` and the template factory."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.documents.templates import build_templates, designs, specs
from pipeline.errors import TemplateError
from pipeline.render import MarkdownBlock, render_document
from pipeline.render.template_factory import build_template

from .helpers import ROOT, TEMPLATES, base_context


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="netdocs")
    return result.exit_code, result.output


def test_bundled_templates_pass_the_check() -> None:
    code, output = _run("templates", "check")
    assert code == 0, output
    for name in ("base", "strategy", "action-plan", "handbook", "progress-report"):
        assert f"ok     {TEMPLATES / (name + '.docx')}" in output


def test_check_reports_missing_variable_with_closest_names(tmp_path: Path) -> None:
    template = tmp_path / "strategy.docx"
    shutil.copy(TEMPLATES / "strategy.docx", template)
    document = docx.Document(str(template))
    document.add_paragraph("{{ edtion }}")
    document.save(str(template))
    code, output = _run("templates", "check", str(template))
    assert code == 1
    assert (
        "strategy.docx: error: uses variable 'edtion' that the context does not provide "
        "(closest: edition)" in output
    )


def test_check_refuses_include_import_and_extends_with_their_paragraph(tmp_path: Path) -> None:
    template = tmp_path / "strategy.docx"
    shutil.copy(TEMPLATES / "strategy.docx", template)
    document = docx.Document(str(template))
    document.add_paragraph("{% include 'cover.docx' %}")
    document.add_paragraph("{% extends 'base.docx' %}")
    document.save(str(template))
    code, output = _run("templates", "check", str(template))
    assert code == 1
    assert "ok " not in output
    for tag, text in (("include", "'cover.docx'"), ("extends", "'base.docx'")):
        assert (
            "strategy.docx: error: the body (word/document.xml), paragraph "
            f'"{{% {tag} {text} %}}": {{% {tag} %}} is not allowed: a template is one .docx '
            "file and cannot use other templates; put that text in this template instead"
        ) in output, output


def test_check_refuses_a_zip_bomb(tmp_path: Path) -> None:
    template = tmp_path / "handbook.docx"
    with (
        zipfile.ZipFile(TEMPLATES / "handbook.docx") as src,
        zipfile.ZipFile(template, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("word/media/filler.png", b"\0" * (120 * 1024**2))
    code, output = _run("templates", "check", "--json", str(template))
    assert code == 1
    (problem,) = json.loads(output)["templates"][0]["problems"]
    assert problem["message"] == (
        "its part word/media/filler.png unpacks to 120.0 MB, over the limit of 50.0 MB "
        "(a zip bomb, or a template full of large images); save a smaller template, with "
        "images compressed (Word: File > Compress Pictures)"
    )


def test_check_json(tmp_path: Path) -> None:
    code, output = _run("templates", "check", "--json", str(TEMPLATES / "handbook.docx"))
    assert code == 0
    assert json.loads(output)["templates"][0]["ok"] is True


def test_check_unknown_file_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _run("templates", "check", str(tmp_path / "nope.docx"))
    assert code == 2 and "nope.docx: no such template" in output


def test_templates_have_the_designer_features() -> None:
    for spec in specs():
        document = docx.Document(str(TEMPLATES / spec))
        names = {s.name for s in document.styles}
        for style in (
            "Heading 1",
            "Heading 4",
            "Body Text",
            "Compact",
            "Block Text",
            "Table",
            "Caption",
            "Footnote Text",
            "Source Code",
            "TOC Heading",
            "Title",
        ):
            assert style in names, (spec, style)
        section = document.sections[0]
        assert section.different_first_page_header_footer
        assert "{{ network_name }}" in section.header.paragraphs[0].text
        footer = section.footer.paragraphs[0]._p.xml
        assert "PAGE" in footer and "NUMPAGES" in footer
        assert "TOC \\o" in document.element.body.xml


def test_committed_templates_match_the_generator() -> None:
    for design in designs():
        assert (TEMPLATES / design.file).read_bytes() == build_template(design), design.file


def test_factory_never_overwrites_an_edited_template(tmp_path: Path) -> None:
    assert set(build_templates(tmp_path).values()) == {"written"}
    assert set(build_templates(tmp_path).values()) == {"unchanged"}
    edited = tmp_path / "handbook.docx"
    document = docx.Document(str(edited))
    document.add_paragraph("A designer's note")
    document.save(str(edited))
    before = edited.read_bytes()
    with pytest.raises(TemplateError, match="handbook.docx.*--force"):
        build_templates(tmp_path)
    assert edited.read_bytes() == before
    assert build_templates(tmp_path, force=True)["handbook.docx"] == "written"


def _cover(data: bytes) -> list[tuple[str, str]]:
    """(style, text) of the cover's paragraphs: those before the first page break."""
    document = docx.Document(io.BytesIO(data))
    out = []
    for paragraph in document.paragraphs:
        out.append((paragraph.style.name if paragraph.style else "", paragraph.text))
        if 'w:type="page"' in paragraph._p.xml:
            break
    return out


def test_cover_has_logo_period_and_status_each_in_its_own_style() -> None:
    for design in designs():  # the committed templates are the generator's (test above)
        cover = _cover((TEMPLATES / design.file).read_bytes())
        assert cover[0] == ("Cover Logo", "{{ logo }}"), design.file
        assert ("Cover Meta", "{{ period }}") in cover, design.file
        assert ("Cover Status", "{{ status }}") in cover, design.file
        assert [s for s, _ in cover].index("Cover Status") > [s for s, _ in cover].index("Title")
    for name in ("logo", "period", "status"):
        assert name in specs()["strategy.docx"].variables, name


def _template(tmp_path: Path, *lines: str) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    path = tmp_path / "custom.docx"
    document.save(str(path))
    return path


LOGO = (ROOT / "kb" / "images" / "logo.png").read_bytes()


def _media(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [n for n in zf.namelist() if n.startswith("word/media/")]


def test_logo_renders_as_a_picture_or_nothing_and_may_be_left_out(tmp_path: Path) -> None:
    from pipeline.render import Picture, check_template, render_bytes

    logo = Picture(LOGO, alt="VETNoN logo", width_mm=60)
    with_logo = _template(tmp_path, "{{ logo }}", "{{ title }}")
    shown = render_bytes(with_logo, {"logo": logo, "title": "Strategy"}).data
    assert len(_media(shown)) == 1
    assert (
        'descr="VETNoN logo"'
        in zipfile.ZipFile(io.BytesIO(shown)).read("word/document.xml").decode()
    )
    none = render_bytes(with_logo, {"logo": "", "title": "Strategy"}).data
    assert _media(none) == [] and "Strategy" in docx.Document(io.BytesIO(none)).paragraphs[1].text
    # a designer's template without {{ logo }} renders, and templates check accepts it
    without = _template(tmp_path, "{{ title }} · {{ status }}")
    assert check_template(without, specs()["strategy.docx"]) == []
    text = render_bytes(without, {"logo": logo, "title": "Strategy", "status": "Draft"}).data
    assert _media(text) == []
    assert docx.Document(io.BytesIO(text)).paragraphs[0].text == "Strategy · Draft"


def _part_text(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name).decode("utf-8")


def _header_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = sorted(n for n in zf.namelist() if n.startswith("word/header"))
        texts = [
            "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", zf.read(n).decode())) for n in names
        ]
    return " | ".join(t for t in texts if t.strip())


def _repeated_words(text: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"\w{4,}", text)]
    return sorted({w for w in words if words.count(w) > 1})


def test_running_header_names_the_document_once_and_no_field_asks_to_be_updated() -> None:
    for design in designs():
        data = (TEMPLATES / design.file).read_bytes()
        header = _header_text(data)
        assert header == "{{ network_name }}{{ running_title }}", design.file
        assert design.kind not in header
        assert "updateFields" not in _part_text(data, "word/settings.xml"), design.file
        assert "w:dirty" not in _part_text(data, "word/document.xml"), design.file


def test_a_rendered_document_opens_with_its_contents_filled(tmp_path: Path) -> None:
    out = tmp_path / "strategy.docx"
    body = MarkdownBlock("# Vision\n\nText.\n\n## Mission\n\nText.\n\n# Results\n\nText.\n")
    title = "Strategy 2025–2029"
    render_document(
        TEMPLATES / "base.docx",
        base_context(title=title, running_title=title, body=body),
        out,
    )
    data = out.read_bytes()
    header = _header_text(data)
    assert header == f"Global VET Network of Networks{title}"
    assert _repeated_words(header) == []
    assert "updateFields" not in _part_text(data, "word/settings.xml")
    document = _part_text(data, "word/document.xml")
    assert "w:dirty" not in document and "Update this field" not in document
    toc = [
        p.text
        for p in docx.Document(str(out)).paragraphs
        if p.style is not None and re.fullmatch(r"TOC \d", p.style.name)
    ]
    assert toc == ["Vision", "Mission", "Results"]  # stored in the field, without a PDF


def test_headings_and_captions_keep_with_what_follows() -> None:
    for design in designs():
        styles = docx.Document(str(TEMPLATES / design.file)).styles
        for name in ("Heading 1", "Heading 2", "Heading 3", "Heading 4", "Table Caption"):
            assert styles[name].paragraph_format.keep_with_next, (design.file, name)
        # a figure keeps with its caption under it; that caption need not keep with the text
        assert styles["Captioned Figure"].base_style.paragraph_format.keep_with_next
        assert not styles["Image Caption"].paragraph_format.keep_with_next
