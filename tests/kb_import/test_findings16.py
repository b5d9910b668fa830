"""``kb import`` on what the review of issue 16 found: empty headings, documents of headings
only, pictures without a description, links to files beside the document, tables Markdown
writes as HTML, a main part not called word/document.xml, and --dry-run's refusal."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.kb import read_kb
from pipeline.kb.docx_import import ImportPlan
from pipeline.kb.docx_import_bookmarks import bookmark_headings
from pipeline.kb.lint import lint
from pipeline.render.pandoc import pandoc_path
from tests.conftest import run
from tests.kb_import.conftest import FIXTURES, TODAY, import_into


def png() -> bytes:
    """A valid 1x1 PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def make_docx(tmp_path: Path, markdown: str, name: str = "guide.docx") -> Path:
    """A .docx written by pandoc from ``markdown`` (its pictures read from ``tmp_path``, so
    not in netdocs's sandbox)."""
    (tmp_path / "small.png").write_bytes(png())
    path = tmp_path / name
    subprocess.run(
        [pandoc_path(), "-f", "markdown", "-o", str(path), f"--resource-path={tmp_path}"],
        input=markdown.encode(),
        check=True,
        capture_output=True,
    )
    return path


def imported(tmp_path: Path, markdown: str) -> tuple[ImportPlan, Path]:
    root = tmp_path / "kb"
    return import_into(root, make_docx(tmp_path, markdown)), root


def strict_lint(root: Path) -> list[str]:
    """Every problem ``kb lint --strict`` reports on the KB at ``root``."""
    return [str(p) for p in lint(read_kb(root), today=TODAY).problems]


def body(root: Path, path: str) -> str:
    return (root / path).read_text(encoding="utf-8").split("\n---\n", 1)[1]


def test_an_empty_heading_starts_no_article_and_is_named_in_a_warning(tmp_path: Path) -> None:
    plan, root = imported(
        tmp_path,
        "# Intro\n\nIntro text.\n\n#\n\nUnder a blank heading.\n\n# Two\n\nMore text.\n\n"
        "## \n\nUnder a blank section.\n",
    )
    assert [(a.title, a.path) for a in plan.articles] == [
        ("Intro", "pages/intro.md"),
        ("Two", "pages/two.md"),
    ]
    intro = body(root, "pages/intro.md")
    assert "Under a blank heading." in intro
    assert "\n# \n" not in intro and "\n#\n" not in intro
    two = body(root, "pages/two.md")
    assert "Under a blank section." in two and "## \n" not in two and "##\n" not in two
    assert any(
        w.startswith("a level-1 heading has no text (after 'Intro'): it starts no article")
        for w in plan.warnings
    ), plan.warnings
    assert "1 heading(s) with no text inside the articles are left out" in " ".join(plan.notes)
    assert strict_lint(root) == []


def test_a_document_of_headings_only_says_so(tmp_path: Path) -> None:
    source = make_docx(tmp_path, "# Title\n\n# Title2\n\n## Deeper\n")
    with pytest.raises(UsageError) as caught:
        import_into(tmp_path / "kb", source)
    message = caught.value.format_message()
    assert "has only headings (2: 'Title', 'Title2') and no text under them" in message
    assert "no text to import" not in message
    assert not (tmp_path / "kb").exists()


def test_pictures_take_their_title_or_caption_as_alt_text_else_a_warning_names_them(
    tmp_path: Path,
) -> None:
    plan, root = imported(
        tmp_path,
        "# One\n\nText one.\n\n"
        '![](small.png "A title only")\n\n'
        "![A caption under it](small.png)\n\n"
        "Para with ![](small.png) inline.\n\n"
        '## ![](small.png "Logo")\n\nUnder a heading of a picture.\n\n# Two\n\nMore text.\n',
    )
    text = body(root, "pages/one.md")
    assert "\n![Logo](../images/guide/" in text and "## " not in text  # kept as a paragraph
    assert "![A title only](../images/guide/" in text
    assert "![A caption under it](../images/guide/" in text
    assert "Para with ![](../images/guide/" in text
    [picture] = plan.images
    missing = [w for w in plan.warnings if "have no description (alt text)" in w]
    assert missing == [
        f"1 picture(s) have no description (alt text): {picture.path} in pages/one.md; "
        "describe each in its ![...] for readers who cannot see it (or in Word: right-click "
        "the picture > View Alt Text, and import again)"
    ]
    problems = strict_lint(root)
    assert len(problems) == 1 and "has no alt text" in problems[0], problems


def test_a_link_to_a_file_beside_the_document_becomes_its_text(tmp_path: Path) -> None:
    plan, root = imported(
        tmp_path,
        "# Links\n\nSee [the photo](court-exif.jpg), [the site](https://example.org) "
        "and [the form](forms/apply.pdf).\n",
    )
    text = body(root, "pages/links.md")
    assert "See the photo, [the site](https://example.org) and the form." in text
    [warning] = [w for w in plan.warnings if "link(s) to files" in w]
    assert warning.startswith(
        "2 link(s) to files on the author's computer or beside the document (court-exif.jpg...)"
    )
    assert strict_lint(root) == []


def test_tables_written_as_html_carry_no_attributes_lint_removes(tmp_path: Path) -> None:
    plan, root = imported(
        tmp_path,
        "# Table\n\nSome text.\n\n"
        "+------+--------+\n| Name | Region |\n+:=====+=======:+\n| A    | North  |\n"
        "+------+        +\n| B    |        |\n+------+--------+\n\n"
        "+------+-------------+\n| Step | What        |\n+======+=============+\n"
        "| 1    | a. one      |\n|      | b. two      |\n+------+-------------+\n\n"
        "| Left | Right |\n|:-----|------:|\n| a    | b     |\n",
    )
    text = body(root, "pages/table.md")
    assert '<td rowspan="2">North</td>' in text
    assert "<ol>\n<li>one</li>" in text
    assert "style=" not in text and "type=" not in text
    assert "|:-----|------:|" in text  # a pipe table keeps its alignments
    assert any("written as HTML tables" in n and "pages/table.md" in n for n in plan.notes)
    assert strict_lint(root) == []


def _renamed_main_part(source: Path, target: Path) -> Path:
    """``source`` with its main part moved to word/document2.xml (as Word may name it)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            name = info.filename
            if name == "word/document.xml":
                name = "word/document2.xml"
            elif name == "word/_rels/document.xml.rels":
                name = "word/_rels/document2.xml.rels"
            elif name in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"word/document.xml", b"word/document2.xml")
            new.writestr(name, data)
    return target


def test_bookmarks_are_read_from_a_main_part_named_document2(tmp_path: Path) -> None:
    source = FIXTURES / "pandoc-links.docx"
    renamed = _renamed_main_part(source, tmp_path / "renamed.docx")
    original = bookmark_headings(source.read_bytes())
    assert original
    assert bookmark_headings(renamed.read_bytes()) == original


def test_dry_run_refuses_as_the_import_would(tmp_path: Path) -> None:
    source = tmp_path / "image.docx"
    shutil.copy(FIXTURES / "pandoc-image.docx", source)
    root = tmp_path / "kb"
    first = run("kb", "import", str(source), "--kb", str(root))
    assert first.exit_code == 0, first.output
    dry = run("kb", "import", str(source), "--kb", str(root), "--dry-run")
    assert dry.exit_code == 2, dry.output
    assert dry.stderr.startswith("error: 2 file(s) already exist; nothing was written:\n")
    assert "would create" not in dry.stdout
    forced = run("kb", "import", str(source), "--kb", str(root), "--dry-run", "--force")
    assert forced.exit_code == 0, forced.output
    assert f"would create: {root / 'pages/image.md'} (replaced)\n" in forced.stdout
