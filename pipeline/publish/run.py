"""``netdocs publish``: the whole edition for the annual meeting.

Stages: check (KB lint --strict, data validation, template pre-flight; any error stops the
publish before anything is written) → plan (each document's recorded dependencies replayed,
:mod:`.plan`) → documents (only those whose record changed, in parallel, each written in every
wanted format: .docx, HTML site, EPUB, ODT) → pdf (one LibreOffice for all, each .docx as soon
as it is built) → finish (changes.md, data snapshot, manifest.json, index.html).

The edition is built in a staging folder next to the target, unchanged files are hard-linked
from the previous edition, and the staging folder is swapped in at the end: an interrupted
publish (Ctrl-C, a crash, kill -9) leaves the previous edition as it was. A lock file makes a
second concurrent publish of the same edition stop with a clear message; it is removed when
the publish ends, however it ends. The edition's files and folders get the ordinary modes of
new ones (0644 and 0755 under umask 022), whatever wrote them (:mod:`.folders`).
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

from .. import __version__
from ..config import Settings, check_edition_name
from ..documents.registry import REGISTRY
from ..errors import (
    UNFINISHED,
    Problem,
    UsageError,
    ValidationError,
    WriteError,
    is_environment_error,
)
from ..fs import sha256_file
from ..kb import KnowledgeBase, read_kb
from ..kb.lint import lint
from ..network import Snapshot, load_network
from ..network.snapshot import read_time
from ..workers import quiet_thread
from . import changes as changes_mod
from .folders import (
    LockedError,
    check_target,
    edition_lock,
    make_staging,
    recover,
    remove_tree,
    swap,
)
from .formats import FORMATS
from .manifest import Manifest, read_manifest
from .plan import Planned, edition_sources, plan_edition
from .readiness import as_refusal, check_readiness
from .report import PublishReport, Stage, StageReport
from .stages import PdfQueue, Run, pdf_tools, reusable

__all__ = ["LockedError", "PublishReport", "StageReport", "check_all", "edition_lock", "publish"]

log = logging.getLogger(__name__)


def check_all(
    settings: Settings, data: str | None, trusted: dict[str, str] | None = None
) -> tuple[KnowledgeBase, Snapshot]:
    """Lint (strict), validate, look for unfinished material and pre-flight everything; raise
    with every problem found.

    ``trusted`` maps template files to the sha256 they had when they last passed the
    pre-flight with this netdocs version: those are not checked again.
    """
    from ..documents.registry import REGISTRY

    problems: list[Problem] = []
    if not settings.kb.is_dir():
        raise UsageError(f"no knowledge-base folder at {settings.kb}")
    kb = read_kb(settings.kb)
    snapshot: Snapshot | None = None
    data_problems: list[Problem] = []
    try:
        snapshot = load_network(data or settings.data)
    except ValidationError as exc:
        data_problems = exc.problems
    as_of = settings.as_of_for((snapshot.read_at if snapshot else read_time()).date())
    report = lint(kb, today=as_of)
    problems += [_refusal(p) for p in report.problems]
    problems += data_problems
    unfinished = 0
    if snapshot is not None:
        ready = check_readiness(settings, kb, snapshot, as_of, lint_problems=report.problems)
        unfinished = len(ready.unfinished)
        problems += [_refusal(p) for p in ready.data + ready.narratives] + ready.contradictions
    templates = [settings.templates / t.template for t in REGISTRY.values()]
    missing = [t for t in templates if not t.is_file()]
    problems += [
        Problem(str(t), "error", "template missing (netdocs templates build)") for t in missing
    ]
    to_check = [
        t for t in templates if t.is_file() and (trusted or {}).get(t.name) != sha256_file(t)
    ]
    if to_check:
        from ..documents.templates import check_templates

        for path, found in check_templates(to_check).items():
            problems += [Problem(str(path), p.level, p.message) for p in found]
    if problems or snapshot is None:
        why = (
            f" ({unfinished} unfinished: placeholders, scaffold text, empty sections or "
            "reviewers' unresolved suggestions must not print; netdocs build still drafts with "
            "them)"
            if unfinished
            else ""
        )
        raise ValidationError(
            f"publish stopped before writing anything: {len(problems)} problem(s) to fix{why}",
            problems,
        )
    return kb, snapshot


def _refusal(problem: Problem) -> Problem:
    """``problem`` as an error that stops a publish: warnings count (strict), unfinished
    material is refused."""
    if problem.level == "error":
        return problem
    if problem.rule == UNFINISHED:
        return as_refusal(problem)
    return Problem(problem.where, "error", problem.message + " (strict)", problem.rule)


def publish(
    settings: Settings,
    *,
    edition: str | None = None,
    formats: tuple[str, ...] | None = None,
    data: str | None = None,
    folder: Path | None = None,
    force: bool = False,
    require_pdf: bool = False,
    processes: int | None = None,
    stage: Stage | None = None,
) -> PublishReport:
    """Publish the edition; see the module docstring.

    ``formats``: every document in each of these; ``None``: each document type's own
    (:attr:`~pipeline.documents.types.DocumentType.formats`)."""
    unknown = sorted(set(formats or ()) - set(FORMATS))
    if unknown:
        raise UsageError(
            f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )
    if edition:
        settings = settings.with_edition(check_edition_name(edition, "--edition"))
    target = Path(os.path.abspath(folder or settings.outputs / settings.edition))
    check_target(target)
    try:
        return _publish(settings, target, formats, data, force, require_pdf, processes, stage)
    except OSError as exc:
        if not is_environment_error(exc):
            raise  # a bug, not the machine: the CLI reports it as one
        raise WriteError.from_os(exc, "the previous edition is unchanged") from exc


def _publish(
    settings: Settings,
    target: Path,
    chosen: tuple[str, ...] | None,
    data: str | None,
    force: bool,
    require_pdf: bool,
    processes: int | None,
    stage: Stage | None,
) -> PublishReport:
    outputs = target.parent
    report = PublishReport(target)
    with edition_lock(outputs, target.name) as lock_notes:
        report.notes += lock_notes
        recover(target)
        t0 = time.perf_counter()
        last = read_manifest(target)
        if last is not None and last.damaged:
            report.notes.append(
                f"the manifest of the previous edition is damaged ({last.damaged[0]}); "
                "everything is rebuilt"
            )
            last = None
        trusted = None
        if last is not None and last.netdocs == __version__:
            trusted = last.templates
        kb, snapshot = check_all(settings, data, trusted)
        note = f"{len(kb.articles)} articles, data {snapshot.sha256[:12]}"
        report.stages.append(StageReport("check", seconds=time.perf_counter() - t0, note=note))

        t0 = time.perf_counter()
        as_of = settings.as_of_for(snapshot.read_at.date())
        earlier = changes_mod.find_earlier(outputs, target.name)
        changes_md = changes_mod.changes_markdown(earlier, kb, snapshot, as_of) if earlier else ""
        previous = None if force else last
        sources = edition_sources(settings, kb, snapshot, changes_md)
        planned = plan_edition(sources, settings.templates, reusable(previous, target))

        # every format some document of the edition is published in
        formats = chosen or tuple(
            f for f in FORMATS if any(f in REGISTRY[p.kind].formats for p in planned)
        )
        pdf_tools_note = pdf_tools("pdf" in formats, require_pdf)
        if pdf_tools_note:
            report.notes.append(pdf_tools_note)
        run = Run(settings, kb, snapshot, report, planned, previous, target,
                   target, changes_md, earlier.name if earlier else None,
                   stage or (lambda name, total: lambda n=1: None),
                   "pdf" in formats and not pdf_tools_note, chosen=chosen,
                   earlier_folder=earlier.folder if earlier else None)  # fmt: skip
        note = f"{len(planned)} documents, {len(run.todo)} to build{_why(run.todo, previous)}"
        report.stages.append(StageReport("plan", seconds=time.perf_counter() - t0, note=note))
        if run.up_to_date():
            report.changed = False
            report.notes.append("nothing changed since the last publish: no document rebuilt")
            return report

        run.staging = make_staging(target)
        swapped = False
        try:
            # the converter is the outer context: on Ctrl-C or an error, the threads are
            # joined (the PDF queue cancelled) before LibreOffice is stopped
            with ExitStack() as stack, ThreadPoolExecutor(1, initializer=quiet_thread) as pool:
                # LibreOffice starts in the background now; each document goes to it as soon
                # as it is built.
                conv = run.converter(stack, require_pdf)
                run.link_reused()
                pdfs = PdfQueue(run, conv)
                pdf_done = pool.submit(pdfs.run)
                try:
                    run.stage_documents(processes, on_built=pdfs.put)
                except BaseException:
                    pdfs.cancel()  # convert nothing more: the edition will not be published
                    raise
                finally:
                    pdfs.close()
                pdf_done.result()
            run.stage_finish()
            report.notes += swap(run.staging, target)
            swapped = True  # what is left at the staging path now is swap()'s to report
        finally:
            if not swapped and run.staging.exists():
                _discard(run.staging)
    return report


def _why(todo: list[Planned], previous: Manifest | None) -> str:
    """Why the first few documents are built again (nothing to say on a first publish)."""
    if not todo or previous is None:
        return ""
    said = [f"{p.stem}: {', '.join(p.why[:3])}{', …' if len(p.why) > 3 else ''}" for p in todo[:3]]
    return f" ({'; '.join(said)}{'; …' if len(todo) > 3 else ''})"


def _discard(staging: Path) -> None:
    """Remove a staging folder, or the replaced edition that the swap left in its place."""
    try:
        remove_tree(staging)
    except OSError as exc:
        log.warning("could not remove %s (%s); the next publish removes it", staging, exc)
