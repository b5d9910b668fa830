"""The stages of a publish after the checks: documents, PDFs, other formats, finish.

A :class:`Run` holds one publish's inputs, plan and folders; each stage is one of its methods.
Unchanged files are hard-linked from the previous edition into the staging folder.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Settings
from ..documents.registry import REGISTRY
from ..errors import NetdocsError, RenderError, ToolMissingError
from ..kb import KnowledgeBase
from ..network import Snapshot
from ..network.figures import Figures
from . import changes as changes_mod
from .landing import Row, edition_page
from .manifest import MANIFEST, file_entry, write_json
from .plan import Planned, sha256_file
from .report import PublishReport, Stage, StageReport


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _entry(manifest: dict[str, Any] | None, rel: str) -> dict[str, Any] | None:
    if manifest is None:
        return None
    return next((e for e in manifest["files"] if e["path"] == rel), None)


def reusable(previous: dict[str, Any] | None, folder: Path, formats: tuple[str, ...]
              ) -> dict[str, str]:  # fmt: skip
    """docx path -> input key, for documents of the previous edition still intact."""
    out: dict[str, str] = {}
    if previous is None or "docx" not in formats:
        return out
    for e in previous["files"]:
        if e.get("format") != "docx" or "key" not in e:
            continue
        path = folder / e["path"]
        if path.is_file() and path.stat().st_size == e["size"] and sha256_file(path) == e["sha256"]:
            out[e["path"]] = e["key"]
    return out


def pdf_tools(wanted: bool, required: bool) -> str:
    """'' when PDFs can be made; else the message saying how to get them."""
    if not wanted:
        return ""
    from ..render.libreoffice import soffice_path
    from ..render.pdf import INSTALL_HINT

    if soffice_path() is not None:
        return ""
    if required:
        raise ToolMissingError(f"--require pdf: {INSTALL_HINT}")
    return f"no PDFs: {INSTALL_HINT} (publishing the other formats)"


DERIVED = {"html": "handbook-html/index.html", "epub": "handbook.epub", "odt": "handbook.odt"}
"""The handbook's other formats and the file that stands for each in the manifest."""


@dataclass
class Run:
    """One publish in progress: its inputs, its plan and where it writes."""

    settings: Settings
    kb: KnowledgeBase
    snapshot: Snapshot
    report: PublishReport
    planned: list[Planned]
    todo: list[Planned]
    previous: dict[str, Any] | None
    target: Path
    staging: Path
    formats: tuple[str, ...]
    changes_md: str
    earlier: str | None
    advance_for: Stage
    can_pdf: bool

    @cached_property
    def figures(self) -> Figures:
        """The edition's figures, computed once for all its documents."""
        from ..documents.common import edition_figures

        return edition_figures(self.settings, self.snapshot)

    @property
    def handbook(self) -> Planned:
        return next(p for p in self.planned if p.kind == "handbook" and p.cluster is None)

    def derived_current(self, formats: Iterable[str]) -> bool:
        """Are the handbook's HTML/EPUB/ODT of the previous edition made from this handbook?"""
        for fmt in formats:
            e = _entry(self.previous, DERIVED[fmt])
            if e is None or e.get("key") != self.handbook.key:
                return False
            if not (self.target / DERIVED[fmt]).is_file():
                return False
        return self.previous is not None

    def up_to_date(self) -> bool:
        wanted = [f for f in DERIVED if f in self.formats]
        pdfs = not self.can_pdf or all(_entry(self.previous, p.stem + ".pdf") for p in self.planned)
        return not self.todo and self.derived_current(wanted) and pdfs

    def converter(self, stack: ExitStack, require_pdf: bool) -> Any:
        """A started PDF converter when any PDF has to be made, else None."""
        if not self.can_pdf or not any(
            p in self.todo or not (self.target / (p.stem + ".pdf")).is_file() for p in self.planned
        ):
            return None
        from ..render import PdfConverter

        conv = stack.enter_context(PdfConverter(require_toc_pages=require_pdf))
        if conv.notice:
            self.report.notes.append(conv.notice)
        return conv

    def link_reused(self) -> None:
        """Put the unchanged documents of the previous edition into the staging folder.

        Done before the PDF stage starts, which may need to convert one of them."""
        for p in self.planned:
            if p not in self.todo:
                _link_or_copy(self.target / p.docx, self.staging / p.docx)

    def stage_documents(
        self, processes: int | None, on_built: Callable[[Path], None] | None = None
    ) -> None:
        from ..documents.build import Built, Failed, Job, build_many

        t0 = time.perf_counter()
        stage = StageReport("documents", skipped=len(self.planned) - len(self.todo))
        advance = self.advance_for("documents", len(self.todo))
        jobs = [Job(p.kind, p.cluster, self.staging / p.docx, p.template) for p in self.todo]
        for job in jobs:
            job.output.parent.mkdir(parents=True, exist_ok=True)

        def done(result: Built | Failed) -> None:
            advance()
            if on_built is not None and isinstance(result, Built):
                on_built(result.path)

        results = build_many(
            jobs,
            self.settings,
            self.kb,
            self.snapshot,
            processes=processes,
            progress=done,
            changes=self.changes_md,
            figures=self.figures,
        )
        failed = [r for r in results if isinstance(r, Failed)]
        machine = [f for f in failed if f.environment]
        if machine:  # a full disk stops every document alike: say it once
            raise NetdocsError(f"publish stopped: {machine[0].message} ({len(machine)} of "
                               f"{len(jobs)} documents not written; the previous edition is "
                               "unchanged)")  # fmt: skip
        if failed:
            raise NetdocsError(f"publish stopped: {_failures(failed)} (the previous edition is "
                               "unchanged)")  # fmt: skip
        stage.built = sum(isinstance(r, Built) for r in results)
        stage.seconds = time.perf_counter() - t0
        self.report.stages.append(stage)

    def stage_formats(self) -> None:
        wanted = [f for f in DERIVED if f in self.formats]
        if not wanted:
            return
        from ..documents.common import Inputs
        from .formats import epub, html_site, odt
        from .markdown import write_markdown

        t0 = time.perf_counter()
        stage = StageReport("formats")
        folders = {"html": "handbook-html", "epub": "handbook.epub", "odt": "handbook.odt"}
        if self.derived_current(wanted):
            for fmt in wanted:
                source, dest = self.target / folders[fmt], self.staging / folders[fmt]
                if source.is_dir():
                    shutil.copytree(source, dest, copy_function=_link_or_copy_fn)
                else:
                    _link_or_copy(source, dest)
                stage.skipped += 1
        else:
            advance = self.advance_for("formats", len(wanted))
            inputs = Inputs(
                self.kb,
                self.snapshot,
                self.settings,
                self.handbook.template,
                changes=self.changes_md,
                figures=self.figures,
            )
            plan = REGISTRY["handbook"].make(inputs)
            title = f"{self.snapshot.network.network.short_name} handbook"
            with tempfile.TemporaryDirectory() as tmp:
                md = write_markdown(
                    plan.context, REGISTRY["handbook"].parts, title, Path(tmp) / "handbook.md"
                )
                makers = {
                    "html": lambda: html_site(md, self.staging / folders["html"], title),
                    "epub": lambda: epub(md, self.staging / folders["epub"], title),
                    "odt": lambda: odt(md, self.staging / folders["odt"], title),
                }
                with ThreadPoolExecutor(max_workers=2) as pool:
                    for future in [pool.submit(makers[fmt]) for fmt in wanted]:
                        future.result()
                        stage.built += 1
                        advance()
        stage.seconds = time.perf_counter() - t0
        self.report.stages.append(stage)

    def stage_finish(self) -> None:
        t0 = time.perf_counter()
        staging, snapshot = self.staging, self.snapshot
        (staging / changes_mod.DATA_FILE).write_text(snapshot.to_json(), encoding="utf-8")
        if self.changes_md:
            (staging / "changes.md").write_text(
                f"# What changed since {self.earlier}\n\n" + self.changes_md, encoding="utf-8"
            )
        files: list[dict[str, Any]] = []
        rows: list[Row] = []
        for p in self.planned:
            rows.append(self._document_files(p, files))
        files.append(file_entry(staging, changes_mod.DATA_FILE, format="json"))
        if self.changes_md:
            files.append(file_entry(staging, "changes.md", format="markdown"))
            size = (staging / "changes.md").stat().st_size
            rows.append(
                Row(
                    "What changed",
                    f"Changes since the edition {self.earlier}.",
                    [("Markdown", "changes.md", size)],
                    "Network documents",
                )
            )
        page = edition_page(self.settings, snapshot, rows)
        (staging / "index.html").write_text(page, encoding="utf-8")
        files.append(file_entry(staging, "index.html", format="html"))
        manifest = {
            "edition": self.target.name,
            "title": self.settings.title,
            "as_of": self.figures.as_of.isoformat(),
            "netdocs": __version__,
            # the pre-flight passed for these bytes: the next publish need not check them again
            "templates": {p.template.name: p.template_sha256 for p in self.planned},
            "data": {
                "source": snapshot.source,
                "read_at": snapshot.read_at.isoformat(),
                "sha256": snapshot.sha256,
            },
            "kb": changes_mod.kb_inventory(self.kb),
            "files": files,
        }
        write_json(staging / MANIFEST, manifest)
        self.report.stages.append(
            StageReport("finish", built=len(files), seconds=time.perf_counter() - t0)
        )

    def _document_files(self, p: Planned, files: list[dict[str, Any]]) -> Row:
        """Manifest entries of one document's files; its row on the landing page."""
        staging = self.staging
        inputs = {
            "articles": p.articles,
            "template": p.template_sha256,
            "data": self.snapshot.sha256,
            "netdocs": __version__,
        }
        common = {"document": p.kind, "cluster": p.cluster, "key": p.key, "inputs": inputs}
        links = []
        for fmt, rel in (("docx", p.docx), ("pdf", p.stem + ".pdf")):
            if (staging / rel).is_file():
                files.append(file_entry(staging, rel, format=fmt, **common))
                links.append((fmt.upper(), rel, (staging / rel).stat().st_size))
        if p.kind == "handbook":
            site = staging / "handbook-html"
            for fmt, label in (("html", "HTML site"), ("epub", "EPUB"), ("odt", "ODT")):
                rel = DERIVED[fmt]
                if (staging / rel).is_file():
                    files.append(file_entry(staging, rel, format=fmt, **common))
                    size = (
                        sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
                        if fmt == "html"
                        else (staging / rel).stat().st_size
                    )
                    links.append((label, rel, size))
            if site.is_dir():
                for f in sorted(site.rglob("*")):
                    rel = f.relative_to(staging).as_posix()
                    if f.is_file() and rel != DERIVED["html"]:
                        files.append(file_entry(staging, rel, format="html-page", **common))
        cluster = next((c for c in self.snapshot.network.clusters if c.id == p.cluster), None)
        name = REGISTRY[p.kind].title
        return Row(
            f"{name}: {cluster.name}" if cluster else name,
            REGISTRY[p.kind].summary,
            links,
            "Cluster documents" if p.cluster else "Network documents",
        )


class PdfQueue:
    """The PDF stage: reused PDFs are linked; each new .docx is converted as it arrives."""

    def __init__(self, run: Run, conv: Any) -> None:
        self.report, self.conv = run.report, conv
        self.queue: queue.Queue[Path | None] = queue.Queue()
        self.stage = StageReport("pdf")
        self.started = time.perf_counter()
        waiting = 0
        for p in run.planned:
            old_pdf = run.target / (p.stem + ".pdf")
            if p not in run.todo and old_pdf.is_file():
                _link_or_copy(old_pdf, run.staging / (p.stem + ".pdf"))
                self.stage.skipped += 1
            elif conv is not None:
                waiting += 1
                if p not in run.todo:  # a reused .docx that has no PDF yet
                    self.queue.put(run.staging / p.docx)
        self.active = conv is not None or self.stage.skipped > 0
        self.cancelled = False
        self.advance = run.advance_for("pdf", waiting) if conv is not None else None

    def put(self, docx: Path) -> None:
        if self.conv is not None:
            self.queue.put(docx)

    def close(self) -> None:
        self.queue.put(None)

    def cancel(self) -> None:
        """Convert nothing more (the documents stage failed or was interrupted)."""
        self.cancelled = True
        self.queue.put(None)

    def run(self) -> None:
        while (docx := self.queue.get()) is not None and not self.cancelled:
            # the converter writes page numbers into the .docx: never into a linked file
            if docx.stat().st_nlink > 1:
                data = docx.read_bytes()
                docx.unlink()
                docx.write_bytes(data)
            # Big documents need LibreOffice longer: 2 minutes, plus one a megabyte.
            self.conv.timeout = 120 + 60 * docx.stat().st_size / 1_048_576
            try:
                self.conv.convert(docx, docx.with_suffix(".pdf"))
            except RenderError as exc:  # publish the rest; the CLI reports this and exits 1
                self.report.failures.append(f"no PDF for {docx.name}: {exc.format_message()}")
            else:
                self.stage.built += 1
            if self.advance is not None:
                self.advance()
        if self.active:
            self.stage.seconds = time.perf_counter() - self.started
            self.report.stages.append(self.stage)


def _failures(failed: list[Any]) -> str:
    """The failed documents, one cause said once however many documents it stopped (a full
    disk stops them all with the same message)."""
    by_message: dict[str, list[str]] = {}
    for f in failed:
        by_message.setdefault(f.message, []).append(
            f"{f.kind}{' ' + f.cluster if f.cluster else ''}"
        )
    parts = []
    for message, names in by_message.items():
        who = (
            names[0]
            if len(names) == 1
            else f"{len(names)} documents ({', '.join(names[:3])}"
            + (", …)" if len(names) > 3 else ")")
        )
        parts.append(f"{who}: {message}")
    return "; ".join(parts)


def _link_or_copy_fn(source: str, target: str) -> None:
    _link_or_copy(Path(source), Path(target))
