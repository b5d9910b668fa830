"""``kb import`` on bad input: each a clear error (or a warning) that changes nothing."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from pipeline.errors import NetdocsError, UsageError
from pipeline.kb import read_kb
from pipeline.kb.docx_import import plan_import, write_import
from pipeline.render.pandoc import run_pandoc
from tests.conftest import REPO, run
from tests.kb_import.conftest import FIXTURES, TODAY, empty_kb, import_into


def make_docx(path: Path, markdown: str) -> Path:
    """A .docx written by pandoc from ``markdown``."""
    run_pandoc(["-f", "markdown", "-o", str(path)], "pandoc: ", stdin=markdown.encode())
    return path


def refused(source: Path, tmp_path: Path) -> str:
    """The message importing ``source`` into a new KB fails with (nothing is written)."""
    root = tmp_path / "kb"
    with pytest.raises(NetdocsError) as caught:
        import_into(root, source)
    assert not root.exists()
    return caught.value.format_message()


def test_a_text_file_renamed_docx(tmp_path: Path) -> None:
    source = tmp_path / "guide.docx"
    source.write_text("Just some notes\n", encoding="utf-8")
    message = refused(source, tmp_path)
    assert message.startswith("guide.docx: not a readable .docx")
    assert "save it as a .docx" in message


def test_a_pdf(tmp_path: Path) -> None:
    source = tmp_path / "guide.docx"
    source.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert refused(source, tmp_path) == (
        "guide.docx: a PDF, not a Word document; give the .docx it was made from"
    )


def test_a_password_protected_docx(tmp_path: Path) -> None:
    source = tmp_path / "guide.docx"
    source.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    message = refused(source, tmp_path)
    assert "password-protected Word document" in message
    assert "remove the password" in message


def test_a_truncated_docx(tmp_path: Path) -> None:
    source = tmp_path / "guide.docx"
    source.write_bytes((FIXTURES / "pandoc-notes.docx").read_bytes()[:6000])
    message = refused(source, tmp_path)
    assert message.startswith("guide.docx: not a readable .docx")
    assert "save it again as a .docx" in message


def test_a_zip_that_is_not_a_word_document(tmp_path: Path) -> None:
    source = tmp_path / "guide.docx"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    assert "not a Word document (it has no main document part, word/document.xml)" in refused(
        source, tmp_path
    )


def test_a_200_mb_picture_is_refused_before_pandoc_runs(tmp_path: Path) -> None:
    """The picture's zip entry declares 200 MB (its central-directory size field says so);
    the file itself stays small."""
    source = tmp_path / "guide.docx"
    with (
        zipfile.ZipFile(FIXTURES / "pandoc-image.docx") as original,
        zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        for info in original.infolist():
            copy.writestr(info.filename, original.read(info))
    data = bytearray(source.read_bytes())
    entry = data.index(b"PK\x01\x02")
    while True:  # the central-directory entry of the picture
        name_len = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + name_len] == b"word/media/image1.jpg":
            break
        entry = data.index(b"PK\x01\x02", entry + 4)
    struct.pack_into("<I", data, entry + 24, 200 * 1024 * 1024)
    source.write_bytes(bytes(data))
    assert source.stat().st_size < 100_000
    message = refused(source, tmp_path)
    assert "its part word/media/image1.jpg unpacks to 200.0 MB, over the limit" in message
    assert "File > Compress Pictures" in message


def test_a_docx_with_no_headings_is_one_article_and_a_warning(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "notes.docx", "First sentence here. Second one.\n\nMore.\n")
    plan = import_into(tmp_path / "kb", source)
    assert [(a.id, a.title, a.path) for a in plan.articles] == [
        ("notes", "Notes", "pages/notes.md")
    ]
    assert plan.split_level is None
    assert plan.warnings == [
        f"{source} has no headings: imported as one article; give the sections Word's "
        "Heading 1, Heading 2... styles to split it"
    ]
    assert read_kb(tmp_path / "kb").articles[0].meta.summary == "First sentence here."


def test_headings_that_slug_to_nothing_or_repeat_get_ids_with_a_warning(tmp_path: Path) -> None:
    source = make_docx(
        tmp_path / "guide.docx",
        "# 合作伙伴\n\nText one.\n\n# Funding\n\nText two.\n\n# Funding\n\nText three.\n",
    )
    plan = import_into(tmp_path / "kb", source)
    assert [a.id for a in plan.articles] == ["guide-1", "funding", "funding-2"]
    assert plan.articles[0].title == "合作伙伴"
    assert plan.warnings == [
        "the heading '合作伙伴' gives no id (no Latin letters or digits): imported as "
        "'guide-1'; change the id and the file name if you prefer another",
        "the heading 'Funding' gives the id 'funding', already used by another section of "
        "the document: imported as 'funding-2'",
    ]


def test_an_id_the_kb_already_has_elsewhere_gets_a_suffix(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    first = make_docx(tmp_path / "a.docx", "# Funding\n\nText.\n")
    import_into(root, first, kind="glossary")
    plan = import_into(root, make_docx(tmp_path / "b.docx", "# Funding\n\nOther text.\n"))
    assert [a.path for a in plan.articles] == ["pages/funding.md"]  # glossary-funding elsewhere
    plan = plan_import(make_docx(tmp_path / "c.docx", "# Funding\n\nThird.\n"), read_kb(root),
                       kind="glossary", today=TODAY)  # fmt: skip
    assert [a.id for a in plan.articles] == ["glossary-funding"]  # the same file: a re-import
    assert plan.existing == [root / "glossary/glossary-funding.md"]


def test_existing_files_are_never_overwritten_without_force(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    source = FIXTURES / "pandoc-image.docx"
    import_into(root, source)
    article = root / "pages/pandoc-image.md"
    article.write_text(article.read_text() + "\nEdited.\n")
    edited = article.read_text()
    (root / "images/pandoc-image/image1.jpg").unlink()
    plan = plan_import(source, read_kb(root), today=TODAY)
    with pytest.raises(UsageError) as caught:
        write_import(plan)
    assert caught.value.format_message() == (
        f"1 file(s) already exist; nothing was written:\n  {article}\n"
        "pass --force to replace them, or import into another folder with --kb DIR"
    )
    assert article.read_text() == edited
    assert not (root / "images/pandoc-image/image1.jpg").exists()  # nothing written
    write_import(plan, force=True)
    assert "Edited." not in article.read_text()
    assert (root / "images/pandoc-image/image1.jpg").exists()


def test_unknown_type_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        plan_import(FIXTURES / "pandoc-notes.docx", empty_kb(tmp_path), kind="chapter")
    assert caught.value.format_message() == (
        "unknown type 'chapter' (choose from role, principle, roadmap-step, lesson, practice, "
        "glossary, page)"
    )
    result = run("kb", "import", str(FIXTURES / "pandoc-notes.docx"), "--type", "chapter",
                 "--kb", str(tmp_path / "kb"))  # fmt: skip
    assert result.exit_code == 2
    assert "'chapter' is not one of 'role', 'principle'" in result.output


def test_missing_file(tmp_path: Path) -> None:
    result = run("kb", "import", str(tmp_path / "nope.docx"), "--kb", str(tmp_path / "kb"))
    assert result.exit_code == 2
    assert f"error: {tmp_path / 'nope.docx'}: no such file" in result.output
    assert not (tmp_path / "kb").exists()


def test_lessons_take_their_steps(tmp_path: Path) -> None:
    source = make_docx(
        tmp_path / "lessons.docx", "# Start small\n\nIt worked.\n\n# Ask early\n\nYes.\n"
    )
    plan = import_into(tmp_path / "kb", source, kind="lesson", steps=(2, 5))
    assert [a.path for a in plan.articles] == [
        "lessons/lesson-start-small.md",
        "lessons/lesson-ask-early.md",
    ]
    kb = read_kb(tmp_path / "kb")
    assert kb.problems == []
    assert [a.meta.step for a in kb.articles] == [(2, 5), (2, 5)]


def test_a_lesson_without_steps_is_imported_with_a_warning(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "lessons.docx", "# Start small\n\nIt worked.\n")
    plan = import_into(tmp_path / "kb", source, kind="lesson")
    assert "a lesson belongs to roadmap steps: give them with --step" in " ".join(plan.warnings)


def test_roadmap_steps_take_the_free_step_numbers_or_are_refused(tmp_path: Path) -> None:
    source = make_docx(tmp_path / "road.docx", "# Begin\n\nFirst.\n\n# Then\n\nSecond.\n")
    root = tmp_path / "kb"
    import_into(root, make_docx(tmp_path / "one.docx", "# Audit\n\nA text.\n"), kind="roadmap-step")
    plan = import_into(root, source, kind="roadmap-step")
    assert [a.path for a in plan.articles] == ["roadmap/step-2-begin.md", "roadmap/step-3-then.md"]
    assert [a.meta.step for a in read_kb(root).articles] == [(1,), (2,), (3,)]
    with pytest.raises(UsageError) as caught:
        plan_import(source, read_kb(REPO / "kb"), kind="roadmap-step", today=TODAY)
    assert caught.value.format_message() == (
        f"{source} makes 2 roadmap steps and only 0 step numbers are free (the KB has steps "
        "1, 2, 3, 4, 5, 6, 7): import it as --type page, or split it at another --split-level"
    )


def test_split_level_text_before_the_first_heading_and_grouping_headings(tmp_path: Path) -> None:
    source = make_docx(
        tmp_path / "guide.docx",
        "---\ntitle: Partner guide\n---\n\nWhy this guide exists.\n\n# Part A\n\n"
        "## One\n\nText 1.\n\n### Detail\n\nMore.\n\n## Two\n\nText 2.\n\n"
        "# Part B\n\nIntro of B.\n\n## Three\n\nText 3.\n",
    )
    by_default = plan_import(source, empty_kb(tmp_path / "a"), today=TODAY)
    assert by_default.split_level == 1
    assert [a.id for a in by_default.articles] == ["partner-guide", "part-a", "part-b"]
    assert "## One\n\nText 1.\n\n### Detail" in by_default.articles[1].text
    plan = plan_import(source, empty_kb(tmp_path / "b"), split_level=2, today=TODAY)
    assert [(a.id, a.heading) for a in plan.articles] == [
        ("partner-guide", ""),
        ("one", "One"),
        ("two", "Two"),
        ("part-b", "Part B"),
        ("three", "Three"),
    ]
    assert plan.articles[0].text.endswith("---\n# Partner guide\n\nWhy this guide exists.\n")
    assert "\n# One\n\nText 1.\n\n## Detail\n\nMore.\n" in plan.articles[1].text
    assert plan.notes == [
        "the heading 'Part A' (level 1) only groups the sections after it: not imported as an "
        "article"
    ]
