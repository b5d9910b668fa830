"""Strict, safe rendering: hostile values print as written; templates cannot escape the sandbox."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from pipeline.errors import TemplateError, ValidationError
from pipeline.render import MarkdownBlock, render_bytes, render_document

from .helpers import base_context, part_xml

HOSTILE = [
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "AT&T <b>bold</b> \"quoted\" 'single' & more",
    "Ünïcödé 🎓🌍 emoji",
    "مرحبا بالعالم",  # Arabic (right to left)
    "שלום עולם",  # Hebrew (right to left)
    "职业教育网络",  # CJK
    "]]><!-- &amp; -->",
]
TEXT_FIELDS = ["network_name", "edition", "title", "subtitle", "date"]


def _all_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    for section in document.sections:
        text += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(text)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_in_every_field_print_as_written(handbook: Path, value: str) -> None:
    context = base_context(**{f: f"{f}: {value}" for f in TEXT_FIELDS})
    context["body"] = MarkdownBlock(f"Body: {value}")
    result = render_bytes(handbook, context)
    text = _all_text(result.data)
    for field in TEXT_FIELDS:
        assert f"{field}: {value}" in text
    assert f"Body: {value}" in text or value.startswith(("{%", "]]", "AT&T"))
    assert "49" not in text.replace("2026", "")
    assert result.warnings == []


def test_control_characters_are_removed_with_a_warning_naming_the_field(handbook: Path) -> None:
    context = base_context(title="Hand\x00book\x0b", subtitle="ok", members=[{"name": "A\x07B"}])
    result = render_bytes(handbook, context)
    assert "Handbook" in _all_text(result.data)
    where = {p.where for p in result.warnings}
    assert where == {"title", "members[0].name"}
    assert all("control" in p.message for p in result.warnings)
    with pytest.raises(ValidationError, match="strict"):
        render_bytes(handbook, context, strict=True)


@pytest.mark.parametrize(
    "tag",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ network_name.__class__.__base__.__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
    ],
)
def test_templates_cannot_reach_python_internals(template_copy, tag: str) -> None:  # type: ignore[no-untyped-def]
    template = template_copy("base.docx")
    document = docx.Document(str(template))
    document.add_paragraph(tag)
    document.save(str(template))
    with pytest.raises(TemplateError, match=r"base.docx: .*(unsafe|undefined)"):
        render_bytes(template, base_context())


def test_missing_variable_names_template_variable_and_closest(template_copy) -> None:  # type: ignore[no-untyped-def]
    template = template_copy("base.docx")
    document = docx.Document(str(template))
    document.add_paragraph("{{ netwrok_name }}")
    document.save(str(template))
    with pytest.raises(TemplateError) as info:
        render_bytes(template, base_context())
    message = info.value.format_message()
    assert "base.docx" in message and "'netwrok_name'" in message
    assert "closest: network_name" in message


def test_syntax_error_names_template_and_text_around(template_copy, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    template = template_copy("base.docx")
    document = docx.Document(str(template))
    document.add_paragraph("Before the mistake")
    document.add_paragraph("Members: {% for m in members %}{{ m.name }")
    document.save(str(template))
    out = tmp_path / "out.docx"
    with pytest.raises(TemplateError) as info:
        render_document(template, base_context(members=[]), out)
    message = info.value.format_message()
    assert message.startswith("base.docx: Jinja syntax error")
    assert "Members:" in message
    assert not out.exists()


def test_markdown_block_inside_a_line_is_refused(template_copy) -> None:  # type: ignore[no-untyped-def]
    template = template_copy("base.docx")
    document = docx.Document(str(template))
    for paragraph in document.paragraphs:
        if paragraph.text == "{{p body }}":
            paragraph.text = "Intro: {{ body }}"
    document.save(str(template))
    with pytest.raises(TemplateError, match=r"\{\{p body \}\}"):
        render_bytes(template, base_context())


def test_values_are_escaped_in_headers(handbook: Path) -> None:
    result = render_bytes(handbook, base_context(network_name="R&D <Network>"))
    headers = [n for n in ("word/header1.xml", "word/header2.xml")]
    xml = "".join("".join(part_xml(result.data, n).itertext()) for n in headers)
    assert "R&D <Network>" in xml


# -- images: only vetted files of the knowledge base are embedded (issue 10, item 4) ----------

_PNG = (Path(__file__).resolve().parents[2] / "kb" / "images" / "roadmap.png").read_bytes()


def _media(data: bytes) -> list[bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [zf.read(n) for n in zf.namelist() if n.startswith("word/media/")]


def test_word_embeds_only_images_vetted_inside_the_kb(handbook: Path, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    (kb / "pages").mkdir(parents=True)
    (kb / "images").mkdir()
    (kb / "images" / "ok.png").write_bytes(_PNG)
    (kb / "images" / "notes.png").write_text("plain text named .png", encoding="utf-8")
    secret = tmp_path / "secret.png"
    secret.write_bytes(_PNG[:-8] + b"SECRET!!")
    (kb / "images" / "link.png").symlink_to(secret)
    text = (
        "![A map](../images/ok.png)\n\n"
        f"![f](file://{secret}) ![abs]({secret}) ![up](../../secret.png)\n"
        "![l](../images/link.png) ![n](../images/notes.png) ![r][ref]\n\n"
        f"[ref]: {secret}\n"
    )
    block = MarkdownBlock(text, folder=kb / "pages", anchor="pages/a.md", name="a")
    result = render_bytes(handbook, base_context(body=block))
    media = _media(result.data)
    assert media == [_PNG]
    messages = [p.message for p in result.warnings]
    assert len(messages) == 6, messages
    assert any("file: URLs are not embedded" in m for m in messages)
    assert any("symlink to" in m and "outside the knowledge base" in m for m in messages)
    assert any("content is not a PNG image" in m for m in messages)
    assert all(m.startswith("a: image ") and "alt text is shown" in m for m in messages)
    assert "A map" in part_xml(result.data, "word/document.xml").xpath(
        "string(//*[local-name()='docPr']/@descr)"
    )


def test_a_block_without_a_folder_embeds_no_file(handbook: Path, tmp_path: Path) -> None:
    (tmp_path / "x.png").write_bytes(_PNG)
    block = MarkdownBlock(f"![x]({tmp_path / 'x.png'}) ![w](https://example.org/w.png)")
    result = render_bytes(handbook, base_context(body=block))
    assert _media(result.data) == []
    assert [p.message for p in result.warnings] == [
        f"body: image '{tmp_path / 'x.png'}': this Markdown cannot embed files "
        "(its alt text is shown instead)"
    ]
    xml = part_xml(result.data, "word/_rels/document.xml.rels")
    assert any(r.get("Target") == "https://example.org/w.png" for r in xml)
