"""A document of the previous edition is reused only when every file of it, in every wanted
format, is as it was published (size and sha256 in the manifest; each page of its HTML site
too): a damaged or edited file rebuilds its document, and only the files the manifest lists are
carried into the new edition, so the new manifest never vouches for a file netdocs did not
write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.publish.manifest import FileEntry, read_manifest, verify
from pipeline.publish.run import publish
from tests.publish.conftest import EDITION_FORMATS

FORMATS = EDITION_FORMATS
"""The formats of the run's shared first edition (tests/edition's): copied, not published again."""


@pytest.fixture
def published(published_copy: Any) -> Any:
    """A private copy of the project with its first edition published in FORMATS."""
    return published_copy(FORMATS)


def _entries(folder: Path) -> dict[str, FileEntry]:
    manifest = read_manifest(folder)
    assert manifest is not None and not manifest.damaged
    return {e.path: e for e in manifest.files}


def _publish(project: Any) -> tuple[set[str], dict[str, FileEntry]]:
    """Publish again: the .docx files built anew (not linked from the previous edition) and
    the new manifest's entries."""
    folder = project.outputs / project.edition
    before = {p: (folder / p).stat().st_ino for p in _entries(folder) if p.endswith(".docx")}
    report = publish(project, formats=FORMATS, processes=1)
    entries = _entries(folder)
    rebuilt = {p for p, ino in before.items() if (folder / p).stat().st_ino != ino}
    if report.changed:
        stage = next(s for s in report.stages if s.name == "documents")
        assert stage.built == len(rebuilt)
    return rebuilt, entries


def _page(entries: dict[str, FileEntry], site: str) -> str:
    """A page of the site (not its start page)."""
    return next(
        p
        for p, e in entries.items()
        if e.format == "html-page" and p.startswith(site) and p.endswith(".html")
    )


def test_an_edited_page_of_a_reused_site_rebuilds_its_document(published: Any) -> None:
    project = published
    folder = project.outputs / project.edition
    entries = _entries(folder)
    page = _page(entries, "strategy-html/")
    original = (folder / page).read_bytes()
    (folder / page).write_bytes(original.replace(b"</body>", b"<p>edited by hand</p></body>"))
    assert not entries[page].intact(folder)

    rebuilt, entries = _publish(project)
    assert rebuilt == {"strategy.docx"}
    assert (folder / page).read_bytes() == original and entries[page].intact(folder)
    assert verify(folder).ok


def test_a_damaged_start_page_or_epub_rebuilds_its_document(published: Any) -> None:
    project = published
    folder = project.outputs / project.edition
    (folder / "handbook-html" / "index.html").write_bytes(b"")  # the same name, emptied
    epub = folder / "clusters" / "action-plan-africa.epub"
    epub.write_bytes(epub.read_bytes()[:-10] + b"0123456789")  # the same size, other bytes
    rebuilt, entries = _publish(project)
    assert rebuilt == {"handbook.docx", "clusters/action-plan-africa.docx"}
    assert all(e.intact(folder) for e in entries.values())


def test_a_deleted_page_of_a_reused_site_rebuilds_its_document(published: Any) -> None:
    project = published
    folder = project.outputs / project.edition
    page = _page(_entries(folder), "strategy-html/")
    (folder / page).unlink()
    rebuilt, _ = _publish(project)
    assert rebuilt == {"strategy.docx"}
    assert (folder / page).is_file() and verify(folder).ok


def test_only_the_files_the_manifest_lists_are_carried_over(published: Any) -> None:
    project = published
    """A stray file in a reused site's folder (or beside it) is not linked into the new
    edition, nor listed in its manifest."""
    folder = project.outputs / project.edition
    stray = folder / "strategy-html" / "notes.html"
    stray.write_text("<p>not made by netdocs</p>", encoding="utf-8")
    # something else changes, so that a new edition is made (the strategy is reused)
    lesson = project.kb / "lessons" / "lesson-start-small-joint-activity.md"  # not the strategy's
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    rebuilt, entries = _publish(project)
    assert "handbook.docx" in rebuilt and "strategy.docx" not in rebuilt
    assert not stray.exists() and "strategy-html/notes.html" not in entries
    assert verify(folder).ok


def _run(folder: Path, formats: tuple[str, ...], can_pdf: bool = True) -> Any:
    """A Run over the edition in ``folder`` whose one document, strategy.docx, is reused."""
    from pipeline.documents.deps import Dependencies
    from pipeline.publish.manifest import Recorded
    from pipeline.publish.plan import Planned
    from pipeline.publish.report import PublishReport
    from pipeline.publish.stages import Run

    record = Recorded(template="t", netdocs="n", dependencies=Dependencies())
    manifest = read_manifest(folder)
    assert manifest is not None
    p = Planned("strategy", None, "strategy.docx", folder / "t.docx", "t", reused=record, key="k")
    return Run(None, None, None, PublishReport(folder), [p], manifest, folder, folder,  # type: ignore[arg-type]
               "", None, lambda name, total: lambda n=1: None, can_pdf,
               chosen=formats)  # fmt: skip


def test_a_reused_pdf_must_be_as_published(tmp_path: Path) -> None:
    """A damaged PDF of a reused document is not linked: the .docx is converted again (the
    document itself is not rebuilt)."""
    from pipeline.publish.manifest import Manifest

    folder = tmp_path / "edition"
    folder.mkdir()
    (folder / "strategy.docx").write_bytes(b"docx")
    (folder / "strategy.pdf").write_bytes(b"%PDF-1.7 ...")
    (folder / "source").mkdir()
    (folder / "source/strategy.md").write_text("# Strategy\n", encoding="utf-8")
    (folder / "source/strategy.map.json").write_text("{}", encoding="utf-8")
    common = {"document": "strategy", "key": "k"}
    files = [FileEntry.of(folder, "strategy.docx", format="docx", **common),
             FileEntry.of(folder, "strategy.pdf", format="pdf", **common),
             FileEntry.of(folder, "source/strategy.md", format="markdown", **common),
             FileEntry.of(folder, "source/strategy.map.json", format="source-map",
                          **common)]  # fmt: skip
    Manifest(edition="edition", files=files).write(folder)
    run = _run(folder, ("docx", "pdf"))
    assert not run.todo and run.reusable_pdf(run.planned[0]) and run.up_to_date()

    (folder / "strategy.pdf").write_bytes(b"%PDF-1.7 !!!")  # same size, other bytes
    run = _run(folder, ("docx", "pdf"))
    assert not run.todo  # the .docx is reused ...
    assert not run.reusable_pdf(run.planned[0]) and not run.up_to_date()  # ... its PDF is not
    assert run.reused_files == {"strategy.docx": [files[0], *files[2:]]}  # docx and source
