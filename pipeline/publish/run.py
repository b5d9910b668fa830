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
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Settings
from ..errors import NetdocsError, Problem, ToolMissingError, UsageError, ValidationError
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
    from dataclasses import replace

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
    advance_for = stage or (lambda name, total: lambda n=1: None)

    with edition_lock(outputs, target.name):
        _recover(target)
        t0 = time.perf_counter()
        last = read_manifest(target)
        trusted = None
        if last is not None and last.get("netdocs") == __version__:
            trusted = last.get("templates")
        kb, snapshot = check_all(settings, data, trusted)
        report.stages.append(
            StageReport(
                "check",
                seconds=time.perf_counter() - t0,
                note=f"{len(kb.articles)} articles, data {snapshot.sha256[:12]}",
            )
        )

        t0 = time.perf_counter()
        earlier = changes_mod.find_earlier(outputs, target.name)
        changes_md = changes_mod.changes_markdown(earlier, kb, snapshot) if earlier else ""
        planned = plan_edition(kb, snapshot, settings.templates, changes_md)
        previous = None if force else last
        reuse = _reusable(previous, target, formats)
        todo = [p for p in planned if p.key not in reuse.get(p.docx, ("",))[0:1]]
        pdf_wanted = "pdf" in formats
        report.stages.append(
            StageReport(
                "plan",
                seconds=time.perf_counter() - t0,
                note=f"{len(planned)} documents, {len(todo)} to build",
            )
        )

        pdf_tools_note = _pdf_tools(pdf_wanted, require_pdf)
        if pdf_tools_note:
            report.notes.append(pdf_tools_note)
        can_pdf = pdf_wanted and not pdf_tools_note
        derived_ok = _derived_current(previous, target, planned, formats)
        if (
            not todo
            and derived_ok
            and previous is not None
            and (not can_pdf or all(_entry(previous, p.stem + ".pdf") for p in planned))
        ):
            report.changed = False
            report.notes.append("nothing changed since the last publish: no document rebuilt")
            return report

        staging = Path(tempfile.mkdtemp(dir=outputs, prefix=f".{target.name}.staging-"))
        try:
            with ExitStack() as stack, ThreadPoolExecutor(max_workers=2) as pool:
                # LibreOffice starts in the background now; pandoc (HTML, EPUB, ODT) needs only
                # the KB and the data, so it starts now too; each document goes to LibreOffice
                # as soon as it is built.
                conv = _converter(stack, report, planned, todo, target, can_pdf, require_pdf)
                formats_done = pool.submit(
                    _stage_formats, report, settings, kb, snapshot, planned, todo, previous,
                    target, staging, formats, changes_md, advance_for,
                )  # fmt: skip
                pdfs = _PdfQueue(report, conv, planned, todo, target, staging, advance_for)
                pdf_done = pool.submit(pdfs.run)
                try:
                    _stage_documents(
                        report, settings, kb, snapshot, planned, todo, reuse, target, staging,
                        changes_md, processes, advance_for, on_built=pdfs.put,
                    )  # fmt: skip
                finally:
                    pdfs.close()
                pdf_done.result()
                formats_done.result()
            _stage_finish(
                report,
                settings,
                kb,
                snapshot,
                planned,
                staging,
                target,
                formats,
                changes_md,
                earlier.name if earlier else None,
            )
            _swap(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return report


def _converter(
    stack: ExitStack,
    report: PublishReport,
    planned: list[Planned],
    todo: list[Planned],
    target: Path,
    can_pdf: bool,
    require_pdf: bool,
) -> Any:
    """A started PDF converter when any PDF has to be made, else None."""
    if not can_pdf:
        return None
    if not any(p in todo or not (target / (p.stem + ".pdf")).is_file() for p in planned):
        return None
    from ..render import PdfConverter

    conv = stack.enter_context(PdfConverter(require_toc_pages=require_pdf))
    if conv.notice:
        report.notes.append(conv.notice)
    return conv


# -- reuse -------------------------------------------------------------------------------------


def _entry(manifest: dict[str, Any] | None, rel: str) -> dict[str, Any] | None:
    if manifest is None:
        return None
    return next((e for e in manifest["files"] if e["path"] == rel), None)


def _reusable(
    previous: dict[str, Any] | None, folder: Path, formats: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    """docx path -> (input key,) for documents of the previous edition still intact."""
    out: dict[str, tuple[str, ...]] = {}
    if previous is None or "docx" not in formats:
        return out
    for e in previous["files"]:
        if e.get("format") != "docx" or "key" not in e:
            continue
        path = folder / e["path"]
        if path.is_file() and path.stat().st_size == e["size"] and sha256_file(path) == e["sha256"]:
            out[e["path"]] = (e["key"],)
    return out


def _derived_current(
    previous: dict[str, Any] | None, folder: Path, planned: list[Planned], formats: tuple[str, ...]
) -> bool:
    """Are the handbook's HTML/EPUB/ODT of the previous edition made from the same handbook?"""
    if previous is None:
        return False
    handbook = next(p for p in planned if p.kind == "handbook" and p.cluster is None)
    for fmt, rel in (
        ("html", "handbook-html/index.html"),
        ("epub", "handbook.epub"),
        ("odt", "handbook.odt"),
    ):
        if fmt in formats:
            e = _entry(previous, rel)
            if e is None or e.get("key") != handbook.key or not (folder / rel).is_file():
                return False
    return True


# -- stages ------------------------------------------------------------------------------------


def _stage_documents(
    report: PublishReport,
    settings: Settings,
    kb: KnowledgeBase,
    snapshot: Snapshot,
    planned: list[Planned],
    todo: list[Planned],
    reuse: dict[str, tuple[str, ...]],
    target: Path,
    staging: Path,
    changes_md: str,
    processes: int | None,
    advance_for: Stage,
    on_built: Callable[[Path], None] | None = None,
) -> None:
    from ..documents.build import Built, Failed, Job, build_many

    t0 = time.perf_counter()
    stage = StageReport("documents")
    for p in planned:
        if p not in todo:
            _link_or_copy(target / p.docx, staging / p.docx)
            stage.skipped += 1
    advance = advance_for("documents", len(todo))
    jobs = [Job(p.kind, p.cluster, staging / p.docx, p.template) for p in todo]
    for job in jobs:
        job.output.parent.mkdir(parents=True, exist_ok=True)

    def done(result: Built | Failed) -> None:
        advance()
        if on_built is not None and isinstance(result, Built):
            on_built(result.path)

    results = build_many(
        jobs,
        settings,
        kb,
        snapshot,
        processes=processes,
        progress=done,
        changes=_handbook_changes(changes_md),
    )
    failed = [r for r in results if isinstance(r, Failed)]
    if failed:
        raise NetdocsError(
            "publish stopped: "
            + "; ".join(
                f"{f.kind}{' ' + f.cluster if f.cluster else ''}: {f.message}" for f in failed
            )
            + " (the previous edition is unchanged)"
        )
    stage.built = sum(isinstance(r, Built) for r in results)
    stage.seconds = time.perf_counter() - t0
    report.stages.append(stage)


def _handbook_changes(changes_md: str) -> str:
    if not changes_md:
        return ""
    return changes_md


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


class _PdfQueue:
    """The PDF stage: reused PDFs are linked; each new .docx is converted as it arrives."""

    def __init__(
        self,
        report: PublishReport,
        conv: Any,
        planned: list[Planned],
        todo: list[Planned],
        target: Path,
        staging: Path,
        advance_for: Stage,
    ) -> None:
        self.report, self.conv = report, conv
        self.queue: queue.Queue[Path | None] = queue.Queue()
        self.stage = StageReport("pdf")
        self.started = time.perf_counter()
        waiting = 0
        for p in planned:
            old_pdf = target / (p.stem + ".pdf")
            if p not in todo and old_pdf.is_file():
                _link_or_copy(old_pdf, staging / (p.stem + ".pdf"))
                self.stage.skipped += 1
            elif conv is not None:
                waiting += 1
                if p not in todo:  # a reused .docx that has no PDF yet
                    self.queue.put(staging / p.docx)
        self.active = conv is not None or self.stage.skipped > 0
        self.advance = advance_for("pdf", waiting) if conv is not None else None

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
            self.conv.convert(docx, docx.with_suffix(".pdf"))
            self.stage.built += 1
            if self.advance is not None:
                self.advance()
        if self.active:
            self.stage.seconds = time.perf_counter() - self.started
            self.report.stages.append(self.stage)


def _stage_formats(
    report: PublishReport,
    settings: Settings,
    kb: KnowledgeBase,
    snapshot: Snapshot,
    planned: list[Planned],
    todo: list[Planned],
    previous: dict[str, Any] | None,
    target: Path,
    staging: Path,
    formats: tuple[str, ...],
    changes_md: str,
    advance_for: Stage,
) -> None:
    wanted = [f for f in ("html", "epub", "odt") if f in formats]
    if not wanted:
        return
    from ..documents.build import make_plan
    from ..documents.common import Inputs
    from ..render.catalog import PARTS
    from .formats import epub, html_site, odt
    from .markdown import write_markdown

    t0 = time.perf_counter()
    stage = StageReport("formats")
    handbook = next(p for p in planned if p.kind == "handbook" and p.cluster is None)
    rels = {"html": "handbook-html", "epub": "handbook.epub", "odt": "handbook.odt"}
    if _derived_current(previous, target, planned, tuple(wanted)):
        for fmt in wanted:
            source, dest = target / rels[fmt], staging / rels[fmt]
            if source.is_dir():
                shutil.copytree(source, dest, copy_function=_link_or_copy_fn)
            else:
                _link_or_copy(source, dest)
            stage.skipped += 1
    else:
        advance = advance_for("formats", len(wanted))
        plan = make_plan(
            "handbook",
            Inputs(
                kb, snapshot, settings, handbook.template, changes=_handbook_changes(changes_md)
            ),
        )
        title = f"{snapshot.network.network.short_name} handbook"
        with tempfile.TemporaryDirectory() as tmp:
            md = write_markdown(
                plan.context, PARTS["handbook.docx"], title, Path(tmp) / "handbook.md"
            )
            makers = {
                "html": lambda: html_site(md, staging / rels["html"], title),
                "epub": lambda: epub(md, staging / rels["epub"], title),
                "odt": lambda: odt(md, staging / rels["odt"], title),
            }
            with ThreadPoolExecutor(max_workers=2) as pool:
                for future in [pool.submit(makers[fmt]) for fmt in wanted]:
                    future.result()
                    stage.built += 1
                    advance()
    stage.seconds = time.perf_counter() - t0
    report.stages.append(stage)


def _link_or_copy_fn(source: str, target: str) -> None:
    _link_or_copy(Path(source), Path(target))


def _stage_finish(
    report: PublishReport,
    settings: Settings,
    kb: KnowledgeBase,
    snapshot: Snapshot,
    planned: list[Planned],
    staging: Path,
    target: Path,
    formats: tuple[str, ...],
    changes_md: str,
    earlier: str | None,
) -> None:
    t0 = time.perf_counter()
    data_file = staging / changes_mod.DATA_FILE
    data_file.write_text(snapshot.to_json(), encoding="utf-8")
    if changes_md:
        (staging / "changes.md").write_text(
            f"# What changed since {earlier}\n\n" + changes_md, encoding="utf-8"
        )
    files: list[dict[str, Any]] = []
    rows: list[Row] = []
    for p in planned:
        inputs = {
            "articles": p.articles,
            "template": sha256_file(p.template),
            "data": snapshot.sha256,
            "netdocs": __version__,
        }
        common = {"document": p.kind, "cluster": p.cluster, "key": p.key, "inputs": inputs}
        links = []
        for fmt, rel in (("docx", p.docx), ("pdf", p.stem + ".pdf")):
            if (staging / rel).is_file():
                files.append(file_entry(staging, rel, format=fmt, **common))
                links.append((fmt.upper(), rel, (staging / rel).stat().st_size))
        if p.kind == "handbook":
            for fmt, rel, label in (
                ("html", "handbook-html/index.html", "HTML site"),
                ("epub", "handbook.epub", "EPUB"),
                ("odt", "handbook.odt", "ODT"),
            ):
                if (staging / rel).is_file():
                    files.append(file_entry(staging, rel, format=fmt, **common))
                    size = (
                        sum(
                            f.stat().st_size
                            for f in (staging / "handbook-html").rglob("*")
                            if f.is_file()
                        )
                        if fmt == "html"
                        else (staging / rel).stat().st_size
                    )
                    links.append((label, rel, size))
            if (staging / "handbook-html").is_dir():
                for f in sorted((staging / "handbook-html").rglob("*")):
                    rel = f.relative_to(staging).as_posix()
                    if f.is_file() and rel != "handbook-html/index.html":
                        files.append(file_entry(staging, rel, format="html-page", **common))
        title = DESCRIPTIONS[p.kind]
        name = p.kind.replace("-", " ").capitalize()
        cluster = next((c for c in snapshot.network.clusters if c.id == p.cluster), None)
        rows.append(
            Row(
                f"{name}: {cluster.name}" if cluster else name,
                title,
                links,
                "Cluster documents" if p.cluster else "Network documents",
            )
        )
    files.append(file_entry(staging, changes_mod.DATA_FILE, format="json"))
    if changes_md:
        files.append(file_entry(staging, "changes.md", format="markdown"))
        rows.append(
            Row(
                "What changed",
                f"Changes since the edition {earlier}.",
                [("Markdown", "changes.md", (staging / "changes.md").stat().st_size)],
                "Network documents",
            )
        )
    net = snapshot.network.network
    page = landing_page(
        net.name,
        target.name,
        f"Annual meeting, {net.meeting.city}, {net.meeting.date.isoformat()}",
        rows,
        f"Built by netdocs {__version__} from data read "
        f"{snapshot.read_at.isoformat(timespec='seconds')} "
        f"(sha256 {snapshot.sha256[:12]}).",
    )
    (staging / "index.html").write_text(page, encoding="utf-8")
    files.append(file_entry(staging, "index.html", format="html"))
    from ..documents.build import TEMPLATE_FILES

    manifest = {
        "edition": target.name,
        "netdocs": __version__,
        "templates": {f: sha256_file(settings.templates / f) for f in TEMPLATE_FILES.values()},
        "data": {
            "source": snapshot.source,
            "read_at": snapshot.read_at.isoformat(),
            "sha256": snapshot.sha256,
        },
        "kb": changes_mod.kb_inventory(kb),
        "files": files,
    }
    write_json(staging / MANIFEST, manifest)
    report.stages.append(StageReport("finish", built=len(files), seconds=time.perf_counter() - t0))


def _swap(staging: Path, target: Path) -> None:
    """Put the staging folder in place of the target (the old one is removed after)."""
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
