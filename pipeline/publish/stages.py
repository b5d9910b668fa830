"""The stages of a publish after the checks: documents (each in every wanted format), PDFs,
finish.

A :class:`Run` holds one publish's inputs, plan and folders; each stage is one of its methods.
The files of unchanged documents are hard-linked from the previous edition into the staging
folder: only the files its manifest lists, each still as it was published (size and sha256;
every page of an HTML site too). A document with one of its files missing, damaged or edited
is built again; a file the manifest does not list (a stray file in a site's folder) is not
carried into the new edition.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..config import Settings
from ..documents.common import shown_source
from ..documents.registry import REGISTRY
from ..documents.source import source_paths
from ..errors import NetdocsError, RenderError, ToolMissingError
from ..fs import atomic_write, atomic_write_text, link_or_copy
from ..kb import KnowledgeBase
from ..network import Snapshot
from ..network.figures import Figures
from ..render.writers import derived_path
from . import changes as changes_mod
from .landing import Row, edition_page
from .manifest import DataRecord, FileEntry, Manifest, Recorded
from .plan import Planned
from .report import PublishReport, Stage, StageReport

if TYPE_CHECKING:
    from ..documents.build import Built, Job


def reusable(previous: Manifest | None, folder: Path) -> dict[str, FileEntry]:
    """docx path -> its entry, for the documents of the previous edition still intact (every
    document is built as a .docx, whatever the formats asked for)."""
    if previous is None:
        return {}
    return {
        e.path: e
        for e in previous.files
        if e.format == "docx" and e.key is not None and e.intact(folder)
    }


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


def label(fmt: str) -> str:
    """A format's name on the landing page and in messages: its writer's
    (:attr:`~pipeline.render.writers.Writer.label`); the PDF, LibreOffice's, has no writer."""
    from ..render.writers import WRITERS

    return "PDF" if fmt == "pdf" else WRITERS[fmt].label


def is_site(rel: str) -> bool:
    """Is the file standing for a format the start page of a site (a folder of its own)?"""
    return PurePosixPath(rel).name == "index.html"


def in_site(index: str, rel: str) -> bool:
    """Is ``rel`` a file of the site whose start page is ``index`` (POSIX paths)?"""
    return rel.startswith(PurePosixPath(index).parent.as_posix() + "/")


def site_files(folder: Path, index: str) -> list[str]:
    """The files of the HTML site whose start page is ``index`` (POSIX, inside ``folder``)."""
    site = folder / PurePosixPath(index).parent
    if not site.is_dir():
        return []
    return sorted(f.relative_to(folder).as_posix() for f in site.rglob("*") if f.is_file())


@dataclass
class Run:
    """One publish in progress: its inputs, its plan and where it writes."""

    settings: Settings
    kb: KnowledgeBase
    snapshot: Snapshot
    report: PublishReport
    planned: list[Planned]
    previous: Manifest | None
    target: Path
    staging: Path
    changes_md: str
    earlier: str | None
    advance_for: Stage
    can_pdf: bool
    chosen: tuple[str, ...] | None = None
    """The formats ``--formats`` asked for (every document in each); ``None``: each document
    type's own (:attr:`~pipeline.documents.types.DocumentType.formats`)."""
    earlier_folder: Path | None = None
    """The earlier edition's folder: the redlines compare with it."""
    records: dict[str, tuple[Recorded, str]] = field(default_factory=dict)
    """docx path -> the record and key of each document built by this publish."""
    reused_files: dict[str, list[FileEntry]] = field(default_factory=dict)
    """docx path -> the previous edition's entries of the files of each reused document, in
    the wanted formats besides the PDF (its .docx, each other format, every page of its site),
    each checked intact: what :meth:`link_reused` links."""
    _intact: dict[str, FileEntry | None] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.planned = [self._with_formats(p) for p in self.planned]

    def formats_of(self, p: Planned) -> tuple[str, ...]:
        """The formats ``p`` is published in."""
        return self.chosen if self.chosen is not None else REGISTRY[p.kind].formats

    def others_of(self, p: Planned) -> list[str]:
        """The formats ``p`` is published in besides docx and pdf (the PDF is LibreOffice's),
        in the writers' order."""
        from ..render.writers import FORMATS as WRITTEN

        return [f for f in WRITTEN if f != "docx" and f in self.formats_of(p)]

    def pdf_for(self, p: Planned) -> bool:
        """Is a PDF of ``p`` wanted, and can it be made?"""
        return self.can_pdf and "pdf" in self.formats_of(p)

    @property
    def todo(self) -> list[Planned]:
        return [p for p in self.planned if p.build]

    def previous_file(self, rel: str, key: str) -> FileEntry | None:
        """The previous edition's entry of ``rel`` when it belongs to the document with
        ``key`` and the file is still as published (size and sha256), else None."""
        if rel not in self._intact:
            e = self.previous.entry(rel) if self.previous else None
            self._intact[rel] = e if e is not None and e.intact(self.target) else None
        e = self._intact[rel]
        return e if e is not None and e.key == key else None

    def _with_formats(self, p: Planned) -> Planned:
        """``p``, to be built when a wanted format of it is missing from the previous edition,
        or one of its files (a page of its site) is missing, damaged or edited."""
        if p.build:
            return p
        files = self._previous_files(p)
        if isinstance(files, str):
            return replace(p, reused=None, key="", why=(files,))
        self.reused_files[p.docx] = files
        return p

    def _previous_files(self, p: Planned) -> list[FileEntry] | str:
        """The previous edition's entries of the files of ``p`` (reused) in the wanted formats
        besides the PDF, each intact; else why the document is built again."""
        assert self.previous is not None
        # the .docx was found intact by reusable(): a document is planned for reuse only then
        docx = self.previous.entry(p.docx)
        if docx is None or docx.key != p.key:
            return "no earlier build"
        files = [docx]
        for rel in source_paths(p.docx):
            found = self.previous_file(rel, p.key)
            if found is None:
                return "no source record yet"
            files.append(found)
        for fmt in self.others_of(p):
            rel = derived_path(p.docx, fmt)
            e = self.previous.entry(rel)
            if e is None or e.key != p.key or e.format != fmt:
                return f"no {label(fmt)} yet"
            pages = [rel]
            if is_site(rel):
                pages += [f.path for f in self.previous.files
                          if f.format == "html-page" and in_site(rel, f.path)]  # fmt: skip
            for page in pages:
                found = self.previous_file(page, p.key)
                if found is None:
                    return f"{page} missing or changed since it was published"
                files.append(found)
        return files

    def reusable_pdf(self, p: Planned) -> bool:
        """Is the previous edition's PDF of ``p`` (reused) still as it was published?"""
        return not p.build and self.previous_file(p.stem + ".pdf", p.key) is not None

    @cached_property
    def figures(self) -> Figures:
        """The edition's figures, computed once for all its documents."""
        from ..documents.common import edition_figures

        return edition_figures(self.settings, self.snapshot)

    def record(self, p: Planned) -> tuple[Recorded | None, str]:
        """The record and key of a document of this edition (built now or reused)."""
        if p.reused is not None:
            return p.reused, p.key
        return self.records.get(p.docx, (None, ""))

    def up_to_date(self) -> bool:
        pdfs = all(self.reusable_pdf(p) for p in self.planned if self.pdf_for(p))
        return not self.todo and pdfs

    def converter(self, stack: ExitStack, require_pdf: bool) -> Any:
        """A started PDF converter when any PDF has to be made, else None."""
        if all(self.reusable_pdf(p) for p in self.planned if self.pdf_for(p)):
            return None
        from ..render import PdfConverter

        conv = stack.enter_context(PdfConverter(require_toc_pages=require_pdf))
        if conv.notice:
            self.report.notes.append(conv.notice)
        return conv

    def link_reused(self) -> None:
        """Put the unchanged documents of the previous edition, in every wanted format, into
        the staging folder: the files :attr:`reused_files` lists, checked intact, and no other.

        Done before the PDF stage starts, which may need to convert one of them."""
        for p in self.planned:
            for e in self.reused_files.get(p.docx, []) if not p.build else []:
                link_or_copy(self.target / e.path, self.staging / e.path)

    def _job(self, p: Planned) -> Job:
        """The job building ``p`` in every wanted format."""
        from ..documents.build import Job

        others = self.others_of(p)
        outputs = tuple((f, self.staging / derived_path(p.docx, f)) for f in others)
        return Job(p.kind, p.cluster, self.staging / p.docx, p.template,
                   formats=("docx", *others), outputs=outputs)  # fmt: skip

    def stage_documents(
        self, processes: int | None, on_built: Callable[[Path], None] | None = None
    ) -> None:
        from ..documents.build import Built, Failed, build_many

        t0 = time.perf_counter()
        todo = self.todo
        stage = StageReport("documents", skipped=len(self.planned) - len(todo))
        advance = self.advance_for("documents", len(todo))
        jobs = [self._job(p) for p in todo]
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
        for p, result in zip(todo, results, strict=True):
            assert isinstance(result, Built) and result.dependencies is not None
            self._write_source(p, result)
            record = Recorded(template=p.template_sha256, netdocs=__version__,
                              dependencies=result.dependencies)  # fmt: skip
            self.records[p.docx] = (record, record.key(p.kind, p.cluster))
        stage.built = len(results)
        stage.seconds = time.perf_counter() - t0
        self.report.stages.append(stage)

    def _redlines(self) -> list[str]:
        """Write the redlines against the earlier edition (:mod:`.redline`) into the staging
        folder; their paths. One that cannot be written is a note, not a failed publish."""
        if self.earlier_folder is None:
            return []
        from .redline import edition_redlines

        try:
            done = edition_redlines(
                self.earlier_folder,
                self.staging,
                as_of=self.figures.as_of.isoformat(),
                edition=self.target.name,
                templates=self.settings.templates,
            )
        except NetdocsError as exc:
            self.report.notes.append(f"no redlines: {exc.format_message()}")
            return []
        if done.reason:
            self.report.notes.append(done.reason)
        return done.paths

    def _write_source(self, p: Planned, result: Built) -> None:
        """Record what ``p`` was built from: its Markdown and source map (:mod:`pipeline.
        documents.source`), named after its place in this edition."""
        assert result.source is not None
        markdown, mapping = source_paths(p.docx)
        source_map = replace(result.source.map, edition=self.target.name, docx=p.docx)
        atomic_write_text(self.staging / markdown, result.source.markdown)
        atomic_write_text(self.staging / mapping, source_map.to_json())

    def stage_finish(self) -> None:
        t0 = time.perf_counter()
        staging, snapshot = self.staging, self.snapshot
        # the data's source as the documents print it: relative to the project, not a path of
        # this machine (its sha256 does not depend on it)
        shown = shown_source(snapshot.source, self.settings.root)
        atomic_write_text(
            staging / changes_mod.DATA_FILE, replace(snapshot, source=shown).to_json()
        )
        if self.changes_md:
            atomic_write_text(
                staging / "changes.md",
                f"# What changed since {self.earlier}\n\n" + self.changes_md,
            )
        files: list[FileEntry] = []
        rows: list[Row] = []
        for p in self.planned:
            rows.append(self._document_files(p, files))
        files.append(FileEntry.of(staging, changes_mod.DATA_FILE, format="json"))
        changed: list[tuple[str, str, int]] = []
        if self.changes_md:
            files.append(FileEntry.of(staging, "changes.md", format="markdown"))
            changed.append(("Markdown", "changes.md", (staging / "changes.md").stat().st_size))
        for rel in self._redlines():
            files.append(FileEntry.of(staging, rel, format="docx"))
            changed.append((f"Word redline: {_redlined(rel)}", rel, (staging / rel).stat().st_size))
        if changed:
            rows.append(
                Row(
                    "What changed",
                    f"Changes since the edition {self.earlier}; the redlines show the text's "
                    "changes as tracked changes to accept or reject in Word or LibreOffice.",
                    changed,
                    "Network documents",
                )
            )
        page = edition_page(self.settings, snapshot, rows)
        atomic_write_text(staging / "index.html", page)
        files.append(FileEntry.of(staging, "index.html", format="html"))
        manifest = Manifest(
            edition=self.target.name,
            title=self.settings.title,
            as_of=self.figures.as_of.isoformat(),
            netdocs=__version__,
            # the pre-flight passed for these bytes: the next publish need not check them again
            templates={p.template.name: p.template_sha256 for p in self.planned},
            data=DataRecord(
                source=shown,
                read_at=snapshot.read_at.isoformat(),
                sha256=snapshot.sha256,
            ),
            kb=changes_mod.kb_inventory(self.kb),
            files=files,
        )
        manifest.write(staging)
        self.report.stages.append(
            StageReport("finish", built=len(files), seconds=time.perf_counter() - t0)
        )

    def _document_files(self, p: Planned, files: list[FileEntry]) -> Row:
        """Manifest entries of one document's files; its row on the landing page."""
        staging = self.staging
        record, key = self.record(p)
        common: dict[str, Any] = {"document": p.kind, "cluster": p.cluster, "key": key,
                                  "inputs": record}  # fmt: skip
        for fmt, rel in zip(("markdown", "source-map"), source_paths(p.docx), strict=True):
            if (staging / rel).is_file():
                files.append(FileEntry.of(staging, rel, format=fmt, **common))
        links = []
        for fmt, rel in (("docx", p.docx), ("pdf", p.stem + ".pdf")):
            if (staging / rel).is_file():
                files.append(FileEntry.of(staging, rel, format=fmt, **common))
                links.append((label(fmt), rel, (staging / rel).stat().st_size))
        for fmt in self.others_of(p):
            rel = derived_path(p.docx, fmt)
            if not (staging / rel).is_file():
                continue
            files.append(FileEntry.of(staging, rel, format=fmt, **common))
            if is_site(rel):
                pages = [f for f in site_files(staging, rel) if f != rel]
                files += [FileEntry.of(staging, f, format="html-page", **common) for f in pages]
                size = sum((staging / f).stat().st_size for f in [rel, *pages])
            else:
                size = (staging / rel).stat().st_size
            links.append((label(fmt), rel, size))
        cluster = next((c for c in self.snapshot.network.clusters if c.id == p.cluster), None)
        name = REGISTRY[p.kind].title
        return Row(
            f"{name}: {cluster.name}" if cluster else name,
            REGISTRY[p.kind].summary,
            links,
            "Cluster documents" if p.cluster else "Network documents",
            cluster=p.cluster,
        )


def _redlined(rel: str) -> str:
    """What a redline shows, for the landing page (``handbook-redline.docx`` → handbook)."""
    return PurePosixPath(rel).stem.removesuffix("-redline").replace("-", " ")


class PdfQueue:
    """The PDF stage: reused PDFs are linked; each new .docx is converted as it arrives."""

    def __init__(self, run: Run, conv: Any) -> None:
        self.report, self.conv = run.report, conv
        self.queue: queue.Queue[Path | None] = queue.Queue()
        self.stage = StageReport("pdf")
        self.started = time.perf_counter()
        waiting = 0
        self.wanted = {run.staging / p.docx for p in run.planned if run.pdf_for(p)}
        for p in run.planned:
            if not run.pdf_for(p):
                continue
            if run.reusable_pdf(p):  # still as published: linked
                pdf = p.stem + ".pdf"
                link_or_copy(run.target / pdf, run.staging / pdf)
                self.stage.skipped += 1
            elif conv is not None:
                waiting += 1
                if not p.build:  # a reused .docx without its PDF (or a damaged one)
                    self.queue.put(run.staging / p.docx)
        self.active = conv is not None or self.stage.skipped > 0
        self.cancelled = False
        self.advance = run.advance_for("pdf", waiting) if conv is not None else None

    def put(self, docx: Path) -> None:
        if self.conv is not None and docx in self.wanted:
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
                atomic_write(docx, docx.read_bytes())  # a new file in place of the link
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
