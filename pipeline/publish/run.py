"""``netdocs publish``: the whole edition for the annual meeting.

Stages: check (KB lint --strict, data validation, template pre-flight; any error stops the
publish before anything is written) → plan (input key per document) → documents (only those
whose key changed, in parallel) → pdf (one LibreOffice for all) → formats (the handbook as an
HTML site, EPUB and ODT) → finish (changes.md, data snapshot, manifest.json, index.html).

The edition is built in a staging folder next to the target, unchanged files are hard-linked
from the previous edition, and the staging folder is swapped in at the end: an interrupted
publish (Ctrl-C, a crash, kill -9) leaves the previous edition as it was. A lock file makes a
second concurrent publish of the same outputs folder stop with a clear message.
"""

from __future__ import annotations

import fcntl
import logging
import os
import queue
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Settings
from ..errors import (
    NetdocsError,
    Problem,
    RenderError,
    ToolMissingError,
    UsageError,
    ValidationError,
)
from ..kb import KnowledgeBase, read_kb
from ..kb.lint import lint
from ..network import Snapshot, load_network
from . import changes as changes_mod
from .formats import FORMATS
from .landing import Row, landing_page
from .manifest import MANIFEST, file_entry, read_manifest, write_json
from .plan import DESCRIPTIONS, Planned, plan_edition, sha256_file

log = logging.getLogger(__name__)

Stage = Callable[[str, int], Any]
"""progress(stage, total) -> a callable advance(n=1); supplied by the CLI."""


@dataclass
class StageReport:
    name: str
    built: int = 0
    skipped: int = 0
    seconds: float = 0.0
    note: str = ""


@dataclass
class PublishReport:
    """What a publish did."""

    folder: Path
    stages: list[StageReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """Outputs that could not be made (the rest of the edition was published)."""
    changed: bool = True
    """False when nothing needed rebuilding and the edition was left untouched."""

    @property
    def built(self) -> int:
        return sum(s.built for s in self.stages)


class LockedError(NetdocsError):
    """Another publish of the same edition is running."""


@contextmanager
def edition_lock(outputs: Path, edition: str) -> Iterator[None]:
    outputs.mkdir(parents=True, exist_ok=True)
    path = outputs / f".{edition}.lock"
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise LockedError(
                f"another netdocs publish of {edition} is running ({holder}); "
                "wait for it to finish, then run this again"
            ) from exc
        fh.seek(0)
        fh.truncate()
        fh.write(f"process {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _recover(target: Path) -> None:
    """Clean up after a publish that was killed: remove its staging folder, and finish its
    swap if it died between the two renames. Runs under the lock, so none of these is live."""
    for stale in target.parent.glob(f".{target.name}.staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    if target.exists():
        for old in target.parent.glob(f".{target.name}.old-*"):
            shutil.rmtree(old, ignore_errors=True)
        return
    olds = sorted(target.parent.glob(f".{target.name}.old-*"))
    if olds:
        os.replace(olds[-1], target)
        log.warning("restored the previous edition left by an interrupted publish")


def check_all(
    settings: Settings, data: str | None, trusted: dict[str, str] | None = None
) -> tuple[KnowledgeBase, Snapshot]:
    """Lint (strict), validate and pre-flight everything; raise with every problem found.

    ``trusted`` maps template files to the sha256 they had when they last passed the
    pre-flight with this netdocs version: those are not checked again.
    """
    from ..documents.build import TEMPLATE_FILES

    problems: list[Problem] = []
    if not settings.kb.is_dir():
        raise UsageError(f"no knowledge-base folder at {settings.kb}")
    kb = read_kb(settings.kb)
    report = lint(kb)
    problems += [
        p if p.level == "error" else Problem(p.where, "error", p.message + " (strict)")
        for p in report.problems
    ]
    snapshot: Snapshot | None = None
    try:
        snapshot = load_network(data or settings.data)
    except ValidationError as exc:
        problems += exc.problems
    templates = [settings.templates / f for f in TEMPLATE_FILES.values()]
    missing = [t for t in templates if not t.is_file()]
    problems += [
        Problem(str(t), "error", "template missing (netdocs templates build)") for t in missing
    ]
    to_check = [
        t for t in templates if t.is_file() and (trusted or {}).get(t.name) != sha256_file(t)
    ]
    if to_check:
        from ..render import check_templates

        for path, found in check_templates(to_check).items():
            problems += [Problem(str(path), p.level, p.message) for p in found]
    if problems or snapshot is None:
        raise ValidationError(
            f"publish stopped before writing anything: {len(problems)} problem(s) to fix", problems
        )
    return kb, snapshot


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def publish(
    settings: Settings,
    *,
    edition: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    data: str | None = None,
    folder: Path | None = None,
    force: bool = False,
    require_pdf: bool = False,
    processes: int | None = None,
    stage: Stage | None = None,
) -> PublishReport:
    """Publish the edition; see the module docstring."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise UsageError(
            f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    if edition:
        settings = replace(settings, edition=edition)
    target = (folder or settings.outputs / settings.edition).resolve()
    outputs = target.parent
    report = PublishReport(target)

    with edition_lock(outputs, target.name):
        _recover(target)
        t0 = time.perf_counter()
        last = read_manifest(target)
        trusted = None
        if last is not None and last.get("netdocs") == __version__:
            trusted = last.get("templates")
        kb, snapshot = check_all(settings, data, trusted)
        note = f"{len(kb.articles)} articles, data {snapshot.sha256[:12]}"
        report.stages.append(StageReport("check", seconds=time.perf_counter() - t0, note=note))

        t0 = time.perf_counter()
        earlier = changes_mod.find_earlier(outputs, target.name)
        changes_md = changes_mod.changes_markdown(earlier, kb, snapshot) if earlier else ""
        planned = plan_edition(kb, snapshot, settings.templates, changes_md)
        previous = None if force else last
        reuse = _reusable(previous, target, formats)
        todo = [p for p in planned if p.key != reuse.get(p.docx)]
        note = f"{len(planned)} documents, {len(todo)} to build"
        report.stages.append(StageReport("plan", seconds=time.perf_counter() - t0, note=note))

        pdf_tools_note = _pdf_tools("pdf" in formats, require_pdf)
        if pdf_tools_note:
            report.notes.append(pdf_tools_note)
        run = _Run(settings, kb, snapshot, report, planned, todo, previous, target,
                   target, formats, changes_md, earlier.name if earlier else None,
                   stage or (lambda name, total: lambda n=1: None),
                   "pdf" in formats and not pdf_tools_note)  # fmt: skip
        if run.up_to_date():
            report.changed = False
            report.notes.append("nothing changed since the last publish: no document rebuilt")
            return report

        run.staging = Path(tempfile.mkdtemp(dir=outputs, prefix=f".{target.name}.staging-"))
        try:
            with ExitStack() as stack, ThreadPoolExecutor(max_workers=2) as pool:
                # LibreOffice starts in the background now; pandoc (HTML, EPUB, ODT) needs only
                # the KB and the data, so it starts now too; each document goes to LibreOffice
                # as soon as it is built.
                conv = run.converter(stack, require_pdf)
                formats_done = pool.submit(run.stage_formats)
                pdfs = _PdfQueue(run, conv)
                pdf_done = pool.submit(pdfs.run)
                try:
                    run.stage_documents(processes, on_built=pdfs.put)
                finally:
                    pdfs.close()
                pdf_done.result()
                formats_done.result()
            run.stage_finish()
            _swap(run.staging, target)
        finally:
            if run.staging.exists() and run.staging != target:
                shutil.rmtree(run.staging, ignore_errors=True)
    return report


# -- reuse -------------------------------------------------------------------------------------


def _entry(manifest: dict[str, Any] | None, rel: str) -> dict[str, Any] | None:
    if manifest is None:
        return None
    return next((e for e in manifest["files"] if e["path"] == rel), None)


def _reusable(previous: dict[str, Any] | None, folder: Path, formats: tuple[str, ...]
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


def _pdf_tools(wanted: bool, required: bool) -> str:
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
class _Run:
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

    def stage_documents(
        self, processes: int | None, on_built: Callable[[Path], None] | None = None
    ) -> None:
        from ..documents.build import Built, Failed, Job, build_many

        t0 = time.perf_counter()
        stage = StageReport("documents")
        for p in self.planned:
            if p not in self.todo:
                _link_or_copy(self.target / p.docx, self.staging / p.docx)
                stage.skipped += 1
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
        )
        failed = [r for r in results if isinstance(r, Failed)]
        if failed:
            raise NetdocsError("publish stopped: " + "; ".join(
                f"{f.kind}{' ' + f.cluster if f.cluster else ''}: {f.message}" for f in failed)
                + " (the previous edition is unchanged)")  # fmt: skip
        stage.built = sum(isinstance(r, Built) for r in results)
        stage.seconds = time.perf_counter() - t0
        self.report.stages.append(stage)

    def stage_formats(self) -> None:
        wanted = [f for f in DERIVED if f in self.formats]
        if not wanted:
            return
        from ..documents.build import make_plan
        from ..documents.common import Inputs
        from ..render.catalog import PARTS
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
            )
            plan = make_plan("handbook", inputs)
            title = f"{self.snapshot.network.network.short_name} handbook"
            with tempfile.TemporaryDirectory() as tmp:
                md = write_markdown(
                    plan.context, PARTS["handbook.docx"], title, Path(tmp) / "handbook.md"
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
        net = snapshot.network.network
        page = landing_page(
            net.name, self.target.name,
            f"Annual meeting, {net.meeting.city}, {net.meeting.date.isoformat()}", rows,
            f"Built by netdocs {__version__} from data read "
            f"{snapshot.read_at.isoformat(timespec='seconds')} (sha256 {snapshot.sha256[:12]}).",
        )  # fmt: skip
        (staging / "index.html").write_text(page, encoding="utf-8")
        files.append(file_entry(staging, "index.html", format="html"))
        from ..documents.build import TEMPLATE_FILES

        templates = self.settings.templates
        manifest = {
            "edition": self.target.name,
            "netdocs": __version__,
            "templates": {f: sha256_file(templates / f) for f in TEMPLATE_FILES.values()},
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
            "template": sha256_file(p.template),
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
        name = p.kind.replace("-", " ").capitalize()
        return Row(
            f"{name}: {cluster.name}" if cluster else name,
            DESCRIPTIONS[p.kind],
            links,
            "Cluster documents" if p.cluster else "Network documents",
        )


class _PdfQueue:
    """The PDF stage: reused PDFs are linked; each new .docx is converted as it arrives."""

    def __init__(self, run: _Run, conv: Any) -> None:
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
        self.advance = run.advance_for("pdf", waiting) if conv is not None else None

    def put(self, docx: Path) -> None:
        if self.conv is not None:
            self.queue.put(docx)

    def close(self) -> None:
        self.queue.put(None)

    def run(self) -> None:
        while (docx := self.queue.get()) is not None:
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


def _link_or_copy_fn(source: str, target: str) -> None:
    _link_or_copy(Path(source), Path(target))


def _swap(staging: Path, target: Path) -> None:
    """Put the staging folder in place of the target (the old one is removed after)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
