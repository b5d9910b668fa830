"""End-to-end publish of the bundled project: files, manifest, links, TOC, incremental
rebuilds, interruption, locking, changes between editions."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from pipeline.errors import ToolMissingError, ValidationError
from pipeline.kb import read_kb
from pipeline.publish.manifest import Manifest, read_manifest, verify
from pipeline.publish.run import LockedError, edition_lock, publish
from pipeline.publish.sitecheck import check_site
from tests.conftest import REPO, run

HAS_PDF = shutil.which("soffice") is not None
CLUSTERS = [
    "africa",
    "arab-states",
    "asia-pacific",
    "digital-tvet",
    "europe-north-america",
    "greening-tvet",
    "latin-america-caribbean",
    "youth-employment",
]


def expected_files(pdf: bool) -> set[str]:
    """Every document in its type's formats, as a publish without --formats makes them: Word
    (and PDF when LibreOffice is there) for all, the handbook also as an HTML site, EPUB and
    ODT; and the edition's own files. (``tests/edition`` publishes every document in every
    format.)"""
    docs = ["strategy", "action-plan", "handbook"] + [
        f"clusters/{k}-{c}" for c in CLUSTERS for k in ("action-plan", "progress-report")
    ]
    files = {f"{d}.docx" for d in docs}
    files |= {f"handbook{suffix}" for suffix in ("-html/index.html", ".epub", ".odt")}
    if pdf:
        files |= {f"{d}.pdf" for d in docs}
    return files | {"index.html", "manifest.json", "data-snapshot.json"}


def test_every_expected_file_is_there(published: Any) -> None:
    settings, folder = published

    assert folder == settings.outputs / "2026-annual-meeting"
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert expected_files(HAS_PDF) <= present
    stray = [
        p
        for p in settings.outputs.iterdir()
        if p.name.startswith(".") and not p.name.endswith(".lock")
    ]
    assert stray == []


def test_manifest_hashes_and_inputs(published: Any) -> None:
    settings, folder = published
    manifest = read_manifest(folder)
    assert manifest is not None
    listed = {e.path for e in manifest.files}
    assert expected_files(HAS_PDF) - {"manifest.json"} <= listed
    strategy = manifest.entry("strategy.docx")
    assert strategy is not None and strategy.inputs is not None
    assert strategy.inputs.template == manifest.templates["strategy.docx"]
    read = strategy.inputs.dependencies
    kb = read_kb(settings.kb).by_id()
    assert read.articles and all(
        recorded == (kb[i].path, kb[i].content_hash) for i, recorded in read.articles.items()
    )  # each article the strategy read, at its path and hash
    assert read.data == manifest.data.sha256 and read.as_of == "2026-10-31"
    assert read.changes is None  # the strategy prints no changes
    handbook = manifest.entry("handbook.docx")
    assert handbook is not None and handbook.inputs is not None
    principle = "principle-voluntary-participation"
    guide = handbook.inputs.dependencies
    assert guide.articles[principle] == (kb[principle].path, kb[principle].content_hash)
    assert "type:principle" in guide.listings  # the principles, however many
    assert handbook.inputs.dependencies.changes is not None
    assert "images/roadmap.png" in handbook.inputs.dependencies.files
    # the file as written is the model as read: every field typed, nothing lost
    raw = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert raw["files"][0].keys() >= {"path", "sha256", "size", "format"}
    assert Manifest.model_validate(raw).model_dump() == manifest.model_dump()
    assert verify(folder).ok
    assert run("verify", str(folder)).exit_code == 0


def test_verify_reports_changed_and_missing(published: Any, tmp_path: Path) -> None:
    _, folder = published
    copy = tmp_path / "edition"
    shutil.copytree(folder, copy)
    (copy / "strategy.docx").write_bytes(b"tampered")
    (copy / "handbook.epub").unlink()
    result = run("verify", str(copy))
    assert result.exit_code == 1
    assert "changed: strategy.docx" in result.stdout and "missing: handbook.epub" in result.stdout


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_landing_page_links_every_document(published: Any) -> None:
    _, folder = published
    parser = _Links()
    parser.feed((folder / "index.html").read_text(encoding="utf-8"))
    assert parser.hrefs
    for href in parser.hrefs:
        assert (folder / href).is_file(), href
    linked = set(parser.hrefs)
    # every document in every format, each of its files linked
    assert linked == expected_files(HAS_PDF) - {"index.html", "data-snapshot.json"}
    text = (folder / "index.html").read_text(encoding="utf-8")
    assert "Global VET Network of Networks" in text and re.search(r"\d+ KB", text)


def test_html_site_internal_links_work(published: Any) -> None:
    _, folder = published
    site = check_site(folder / "handbook-html")
    assert site.pages > 20 and site.links > 300
    assert site.broken == []


@pytest.mark.skipif(
    not HAS_PDF,
    reason="LibreOffice (soffice) is not installed: apt-get "
    "install --no-install-recommends libreoffice-writer-nogui python3-uno",
)
def test_tables_of_contents_are_filled(published: Any) -> None:
    _, folder = published
    text = subprocess.run(
        ["pdftotext", "-l", "3", str(folder / "strategy.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = re.findall(
        r"^(Executive summary|Collective aspirations)\.*\s*(\d+)$", text, re.MULTILINE
    )
    assert len(entries) == 2, text[:800]
    assert "Update this field" not in text
    doc = Document(str(folder / "strategy.docx"))
    toc = [
        p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("TOC ")
    ]
    assert any(re.search(r"Collective aspirations\t\d+$", t) for t in toc), toc[:5]


def test_second_publish_rebuilds_nothing(published: Any) -> None:
    settings, folder = published
    before = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    again = publish(settings)
    assert not again.changed
    assert "nothing changed" in " ".join(again.notes)
    assert {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()} == before


def _hashes(folder: Path) -> dict[str, str]:
    manifest = read_manifest(folder)
    assert manifest is not None
    return {e.path: e.sha256 for e in manifest.files}


def _clusters(settings: Any) -> list[str]:
    from pipeline.network import load_network

    return [c.id for c in load_network(settings.data).network.clusters]


def test_one_article_change_rebuilds_only_what_uses_it(published_copy: Any) -> None:
    project = published_copy(("docx",))
    folder = project.outputs / project.edition
    before = _hashes(folder)
    # used by the handbook and each cluster's progress report, by no other document
    used = project.kb / "practices" / "practice-consolidated-reporting-template.md"
    used.write_text(used.read_text(encoding="utf-8") + "\nSent every year.\n", encoding="utf-8")
    report = publish(project, formats=("docx",))
    documents = next(s for s in report.stages if s.name == "documents")
    reports = {f"clusters/progress-report-{c}.docx" for c in _clusters(project)}
    assert (documents.built, documents.skipped) == (1 + len(reports), 19 - 1 - len(reports))
    after = _hashes(folder)
    changed = {p for p in after if p.endswith(".docx") and after[p] != before.get(p)}
    # the progress reports, rebuilt, list the article among their sources by title and date
    # only: they come out byte for byte the same
    assert changed == {"handbook.docx"}


def test_problems_stop_publish_before_anything_is_written(project: Any) -> None:
    (project.kb / "pages" / "broken.md").write_text(
        "---\nid: broken\ntitle: Broken\ntype: page\nsummary: x\n---\n[dead](nope.md)\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as info:
        publish(project, formats=("docx",))
    assert "broken link 'nope.md'" in info.value.format_message()
    assert not (project.outputs / project.edition).exists()
    result = run("publish", "--formats", "docx")
    assert result.exit_code == 1 and "publish stopped before writing anything" in result.output


def test_a_second_concurrent_publish_is_refused(project: Any) -> None:
    with edition_lock(project.outputs, project.edition):
        with pytest.raises(LockedError, match="another netdocs publish of 2026-annual-meeting"):
            publish(project, formats=("docx",))


def test_killed_publish_leaves_the_previous_edition_intact(published_copy: Any) -> None:
    project = published_copy(("docx",))
    folder = project.outputs / project.edition
    before = _hashes(folder)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline.cli",
            "-q",
            "publish",
            "--force",
            "--formats",
            "docx",
            "-j",
            "1",
        ],
        cwd=project.root,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        staging = list(project.outputs.glob(f".{project.edition}.staging-*"))
        if staging and list(staging[0].rglob("*.docx")):
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert verify(folder).ok and _hashes(folder) == before
    report = publish(project, formats=("docx",), force=True)
    assert report.changed and verify(folder).ok
    assert not list(project.outputs.glob(f".{project.edition}.staging-*"))


def test_missing_libreoffice(
    project: Any, published_copy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETDOCS_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(ToolMissingError, match="libreoffice-writer-nogui"):
        publish(project, formats=("docx", "pdf"), require_pdf=True)
    assert not (project.outputs / project.edition).exists()
    project = published_copy(("docx",))  # the Word documents are there: only PDF is wanted
    folder = project.outputs / project.edition
    before = _hashes(folder)
    with pytest.raises(ToolMissingError, match="libreoffice-writer-nogui"):
        publish(project, formats=("docx", "pdf"), require_pdf=True)
    assert _hashes(folder) == before
    report = publish(project, formats=("docx", "pdf"))
    assert any("LibreOffice is needed to make PDFs" in n for n in report.notes)
    assert (folder / "strategy.docx").is_file() and not list(folder.rglob("*.pdf"))


def test_changes_between_two_editions(published_copy: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # the run's first edition (Word) stands for last year's: its folder renamed
    project = published_copy(("docx",))
    (project.outputs / project.edition).rename(project.outputs / "2025-annual-meeting")
    kb, data = project.kb, Path(project.data)
    (kb / "pages" / "sources.md").unlink()
    (kb / "handbook.md").unlink(missing_ok=True)
    (kb / "pages" / "news.md").write_text(
        "---\nid: news\ntitle: News of the year\ntype: page\nsummary: What happened.\n---\n"
        "A lot.\n",
        encoding="utf-8",
    )
    convener = kb / "roles" / "convener.md"
    convener.write_text(
        convener.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8"
    )
    for page in kb.rglob("*.md"):  # links to the removed page would fail the lint
        text = page.read_text(encoding="utf-8")
        page.write_text(
            re.sub(r"\[([^\]]*)\]\([./]*(?:pages/)?sources\.md[^)]*\)", r"\1", text),
            encoding="utf-8",
        )
    orgs = (data / "organisations.csv").read_text(encoding="utf-8-sig").splitlines()
    new_org = orgs[1].split(",")
    new_org[0], new_org[1] = "org-999", "Newcomer Technical Institute"
    (data / "organisations.csv").write_text(
        "\n".join(orgs + [",".join(new_org)]) + "\n", encoding="utf-8"
    )
    acts = (data / "activities.csv").read_text(encoding="utf-8-sig").splitlines()
    planned = next(i for i, line in enumerate(acts) if ",planned," in line)
    act_id = acts[planned].split(",")[0]
    acts[planned] = acts[planned].replace(",planned,", ",cancelled,")
    (data / "activities.csv").write_text("\n".join(acts) + "\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    report = publish(project, edition="2026-annual-meeting", formats=("docx",))
    folder = report.folder
    text = (folder / "changes.md").read_text(encoding="utf-8")
    assert "Compared with the edition **2025\\-annual\\-meeting**" in text
    section = lambda name: text.split(f"# {name}")[1].split("\n# ")[0]  # noqa: E731
    assert "News of the year (news)" in section("Knowledge-base articles added (1)")
    assert "(sources)" in section("Knowledge-base articles removed (1)")
    assert "(convener)" in section("Knowledge-base articles revised")
    assert "Newcomer Technical Institute" in section("Members joined (1)")
    assert act_id.replace("-", "\\-") in section("Activities cancelled (1)")
    handbook = Document(str(folder / "handbook.docx"))
    paragraphs = [p.text for p in handbook.paragraphs]
    start = next(
        i
        for i, p in enumerate(handbook.paragraphs)
        if p.text == "What changed since the last edition"
        and p.style is not None
        and p.style.name == "Heading 1"
    )
    assert any("Newcomer Technical Institute" in p for p in paragraphs[start : start + 60])
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert any(e["path"] == "changes.md" for e in manifest["files"])
    # the redlines: the text's changes as tracked changes, nothing for what did not change
    listed = {e["path"] for e in manifest["files"]}
    assert {"handbook-redline.docx", "strategy-redline.docx"} <= listed
    assert "handbook-redline.docx" in (folder / "index.html").read_text(encoding="utf-8")
    xml = zipfile.ZipFile(folder / "handbook-redline.docx").read("word/document.xml").decode()
    inserted = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<w:ins [^>]*>(.*?)</w:ins>", xml)]
    deleted = [re.sub(r"<[^>]+>", "", m) for m in re.findall(r"<w:del [^>]*>(.*?)</w:del>", xml)]
    assert any("One more line." in t for t in inserted), inserted[:10]
    assert any("News of the year" in t for t in inserted)
    sources = (folder.parent / "2025-annual-meeting" / "source" / "handbook.md").read_text(
        encoding="utf-8"
    )
    assert "<!-- netdocs-block: pages/sources.md -->" in sources  # removed since: deleted
    assert deleted, "the removed article is not shown as deleted"
    untouched = Document(str(folder / "handbook.docx"))  # an article no one changed
    secretariat = next(p.text for p in untouched.paragraphs if p.text.startswith("The secretariat"))
    assert all(secretariat[:40] not in t for t in inserted + deleted)


@pytest.mark.skipif(
    not HAS_PDF,
    reason="LibreOffice (soffice) is not installed: apt-get "
    "install --no-install-recommends libreoffice-writer-nogui python3-uno",
)
def test_a_failed_pdf_is_reported_and_the_rest_is_published(
    published_copy: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.errors import RenderError
    from pipeline.render.pdf import PdfConverter

    real = PdfConverter.convert

    def flaky(self: Any, docx: Path, pdf: Path | None = None) -> Any:
        if docx.name == "strategy.docx":
            raise RenderError(f"{docx}: no answer from LibreOffice within 120 s")
        return real(self, docx, pdf)

    project = published_copy(("docx",))  # the Word documents are there: only PDF is made
    monkeypatch.setattr(PdfConverter, "convert", flaky)
    report = publish(project, formats=("docx", "pdf"), processes=2)
    folder = project.outputs / project.edition
    assert [f.split(":")[0] for f in report.failures] == ["no PDF for strategy.docx"]
    assert (folder / "strategy.docx").is_file() and not (folder / "strategy.pdf").exists()
    assert (folder / "handbook.pdf").is_file() and verify(folder).ok
    monkeypatch.setattr(PdfConverter, "convert", real)
    again = publish(project, formats=("docx", "pdf"))
    pdf = next(s for s in again.stages if s.name == "pdf")
    assert (pdf.built, again.failures) == (1, []) and (folder / "strategy.pdf").is_file()
