"""Build documents: load the KB and the data once, make each context, render, record provenance.

:func:`build_document` renders one document; :func:`build_for_clusters` renders one per cluster
in worker processes (:mod:`pipeline.workers`: the KB and the data are read once and handed to
each worker), reporting each cluster's success or failure without stopping the others.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures import as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..config import Settings
from ..errors import (
    NetdocsError,
    NotFoundError,
    RenderError,
    UsageError,
    ValidationError,
    WriteError,
    is_environment_error,
)
from ..kb import KnowledgeBase, read_kb
from ..network import Snapshot, load_network
from ..network.figures import Figures
from . import DOCUMENT_TYPES, PER_CLUSTER, action_plan, handbook, progress_report, strategy
from .common import Inputs, Plan, edition_figures

TEMPLATE_FILES = {
    "strategy": "strategy.docx",
    "action-plan": "action-plan.docx",
    "handbook": "handbook.docx",
    "progress-report": "progress-report.docx",
}


@dataclass
class Built:
    """A document that was written, and what it was built from."""

    kind: str
    """Document type."""
    path: Path
    """The .docx written."""
    cluster: str | None
    """Cluster id for per-cluster documents."""
    articles: dict[str, str]
    """KB article id -> content sha256, for every article the document uses."""
    template_sha256: str
    snapshot_sha256: str
    netdocs_version: str = __version__
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Failed:
    """A per-cluster document that could not be built."""

    kind: str
    cluster: str
    message: str
    environment: bool = False
    """The machine refused it (a full disk, a protected folder), not the document's inputs."""


def load_inputs(settings: Settings, data: str | None = None) -> tuple[KnowledgeBase, Snapshot]:
    """Read and check the KB and the network data; raise with every problem if invalid."""
    kb_root = settings.kb
    if not kb_root.is_dir():
        raise UsageError(f"no knowledge-base folder at {kb_root}: pass --kb DIR")
    kb = read_kb(kb_root)
    errors = [p for p in kb.problems if p.level == "error"]
    if errors:
        raise ValidationError(
            f"the knowledge base has {len(errors)} error(s); fix them "
            "(netdocs kb lint) before building",
            errors,
        )
    snapshot = load_network(data or settings.data)
    return kb, snapshot


def template_for(settings: Settings, kind: str, template: Path | None) -> Path:
    path = template or settings.templates / TEMPLATE_FILES[kind]
    if not path.is_file():
        raise NotFoundError(
            f"template {path} does not exist (netdocs templates build creates the bundled ones)"
        )
    return path


def find_cluster(snapshot: Snapshot, cluster_id: str) -> Any:
    clusters = {c.id: c for c in snapshot.network.clusters}
    if cluster_id not in clusters:
        raise UsageError(f"no cluster '{cluster_id}'; valid ids: {', '.join(sorted(clusters))}")
    return clusters[cluster_id]


DRAFTS = "drafts"
"""Folder of ``outputs/`` that ``netdocs build`` writes to: never a published edition."""


def default_output(settings: Settings, kind: str, cluster: str | None = None) -> Path:
    """Where ``netdocs build`` writes a document when not told: ``outputs/drafts/``."""
    folder = settings.outputs / DRAFTS
    if cluster:
        return folder / "clusters" / f"{kind}-{cluster}.docx"
    return folder / f"{kind}.docx"


MODULES = {
    "strategy": strategy,
    "action-plan": action_plan,
    "handbook": handbook,
    "progress-report": progress_report,
}
"""The module of each document type: its ``context()``, ``articles()`` and ``USES_DATE``."""


def make_plan(kind: str, inputs: Inputs) -> Plan:
    if kind not in MODULES:
        raise UsageError(f"unknown document '{kind}' (choose from {', '.join(DOCUMENT_TYPES)})")
    return MODULES[kind].context(inputs)


def build_document(
    kind: str,
    settings: Settings,
    kb: KnowledgeBase,
    snapshot: Snapshot,
    *,
    cluster: str | None = None,
    template: Path | None = None,
    output: Path | None = None,
    changes: str = "",
    figures: Figures | None = None,
) -> Built:
    """Render one document; returns what was written and what it was built from. ``figures``
    are the edition's (computed from ``snapshot`` when not given)."""
    from ..render import render_document
    from . import charts

    started = time.perf_counter()
    if cluster is not None and kind not in PER_CLUSTER:
        raise UsageError(f"--cluster applies to {' and '.join(PER_CLUSTER)}, not {kind}")
    tpl = template_for(settings, kind, template)
    chosen = find_cluster(snapshot, cluster) if cluster else None
    inputs = Inputs(kb, snapshot, settings, tpl, chosen, changes, figures)
    plan = make_plan(kind, inputs)
    target = output or default_output(settings, kind, cluster)
    try:
        result = render_document(tpl, plan.context, target)
    finally:
        for value in plan.context.values():
            charts.close(value)
    assert result.path is not None  # render_document always writes
    return Built(
        kind=kind,
        path=result.path,
        cluster=cluster,
        articles={a.id: a.content_hash for a in plan.articles},
        template_sha256=hashlib.sha256(tpl.read_bytes()).hexdigest(),
        snapshot_sha256=snapshot.sha256,
        seconds=time.perf_counter() - started,
        warnings=[str(w) for w in result.warnings],
    )


# -- many documents, in parallel --------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One document to build."""

    kind: str
    cluster: str | None
    output: Path
    template: Path | None = None


_SHARED: dict[str, Any] = {}


def _share(shared: dict[str, Any]) -> None:
    _SHARED.update(shared)


def _build_job(job: Job) -> Built | Failed:
    settings, kb, snapshot, changes, figures = (
        _SHARED["settings"],
        _SHARED["kb"],
        _SHARED["snapshot"],
        _SHARED["changes"],
        _SHARED["figures"],
    )
    try:
        return build_document(
            job.kind,
            settings,
            kb,
            snapshot,
            cluster=job.cluster,
            template=job.template,
            output=job.output,
            changes=changes,
            figures=figures,
        )
    except NetdocsError as exc:
        return Failed(job.kind, job.cluster or "", exc.format_message())
    except Exception as exc:  # noqa: BLE001 - one document's bug must not stop the others
        if is_environment_error(exc):  # a full disk, a protected folder
            message = WriteError.from_os(exc).format_message()  # type: ignore[arg-type]
            return Failed(job.kind, job.cluster or "", message, environment=True)
        return Failed(job.kind, job.cluster or "", f"internal error: {type(exc).__name__}: {exc}")


def build_many(
    jobs: Sequence[Job],
    settings: Settings,
    kb: KnowledgeBase,
    snapshot: Snapshot,
    *,
    processes: int | None = None,
    progress: Callable[[Built | Failed], None] | None = None,
    changes: str = "",
    figures: Figures | None = None,
) -> list[Built | Failed]:
    """Build every job, in ``processes`` worker processes (the KB, the data and the edition's
    figures are computed once and handed over, not re-read); a failure is returned as
    :class:`Failed` and does not stop the others. Results come back in the order of ``jobs``."""
    from ..workers import signals_deferred, worker_pool

    processes = max(1, min(processes or os.cpu_count() or 1, len(jobs) or 1))
    figures = figures or edition_figures(settings, snapshot)
    shared = {
        "settings": settings, "kb": kb, "snapshot": snapshot, "changes": changes,
        "figures": figures,
    }  # fmt: skip
    results: dict[int, Built | Failed] = {}
    try:
        if processes == 1:
            _share(shared)
            for i, job in enumerate(jobs):
                results[i] = _build_job(job)
                if progress:
                    progress(results[i])
        else:
            with worker_pool(processes, _share, shared) as pool:
                with signals_deferred():  # the workers start during these submits
                    futures = {pool.submit(_build_job, job): i for i, job in enumerate(jobs)}
                for future in as_completed(futures):
                    try:
                        results[futures[future]] = future.result()
                    except BrokenProcessPool as exc:
                        raise RenderError(
                            "a worker process building the documents stopped unexpectedly "
                            "(out of memory, or killed); run again with -j 1 to see which "
                            "document causes it"
                        ) from exc
                    if progress:
                        progress(results[futures[future]])
    finally:
        _SHARED.clear()
    return [results[i] for i in range(len(jobs))]


def to_pdf(documents: Sequence[Path]) -> list[Path]:
    """Convert built documents to PDF beside them (one LibreOffice for all; their contents get
    page numbers). Raises ToolMissingError (how to install LibreOffice) or RenderError naming
    each document that could not be converted, after converting the others."""
    from ..render import PdfConverter

    with PdfConverter() as converter:
        batch = converter.convert_many(documents)
    batch.raise_errors()
    return [r.pdf for r in batch.results]


def build_for_clusters(
    kind: str,
    settings: Settings,
    kb: KnowledgeBase,
    snapshot: Snapshot,
    *,
    clusters: Sequence[str] | None = None,
    template: Path | None = None,
    outputs: Callable[[str], Path] | None = None,
    jobs: int | None = None,
    progress: Callable[[Built | Failed], None] | None = None,
    changes: str = "",
) -> list[Built | Failed]:
    """Build ``kind`` for each cluster (all by default) with ``jobs`` processes."""
    if kind not in PER_CLUSTER:
        raise UsageError(f"--all-clusters applies to {' and '.join(PER_CLUSTER)}, not {kind}")
    ids = list(clusters) if clusters is not None else [c.id for c in snapshot.network.clusters]
    template = template_for(settings, kind, template)
    target = outputs or (lambda cid: default_output(settings, kind, cid))
    work = [Job(kind, cid, target(cid), template) for cid in ids]
    return build_many(
        work, settings, kb, snapshot, processes=jobs, progress=progress, changes=changes
    )
