"""Build documents: load the KB and the data once, make each context, render, record provenance.

:func:`build_document` renders one document; :func:`build_for_clusters` renders one per cluster
in worker processes (:mod:`pipeline.workers`: the KB and the data are read once and handed to
each worker), reporting each cluster's success or failure without stopping the others.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
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
from ..fs import sha256_file
from ..kb import KnowledgeBase, read_kb
from ..network import Snapshot, load_network
from ..network.figures import Figures
from .common import Inputs, edition_figures
from .deps import Dependencies
from .registry import DocumentType, document_type, per_cluster_types
from .source import DocumentSource, document_source


def _per_cluster_names() -> str:
    return " and ".join(t.name for t in per_cluster_types())


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
    files: dict[str, Path] = field(default_factory=dict)
    """Format -> the file written (``docx`` is :attr:`path`)."""
    dependencies: Dependencies | None = None
    """What the document read while it was made: its rebuild key."""
    source: DocumentSource | None = None
    """Its Markdown and source map (:mod:`.source`), recorded in the edition."""


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
    path = template or settings.templates / document_type(kind).template
    if not path.is_file():
        raise NotFoundError(
            f"template {path} does not exist (netdocs templates build creates the bundled ones)"
        )
    return path


def find_cluster(snapshot: Snapshot, cluster_id: str) -> Any:
    clusters = {c.id: c for c in snapshot.network.clusters}
    if cluster_id not in clusters:
        ordered = ", ".join(c.id for c in snapshot.network.clusters_in_order())
        raise UsageError(f"no cluster '{cluster_id}'; valid ids: {ordered}")
    return clusters[cluster_id]


DRAFTS = "drafts"
"""Folder of ``outputs/`` that ``netdocs build`` writes to: never a published edition."""


def default_output(settings: Settings, kind: str, cluster: str | None = None) -> Path:
    """Where ``netdocs build`` writes a document when not told: ``outputs/drafts/``."""
    folder = settings.outputs / DRAFTS
    if cluster:
        return folder / "clusters" / f"{kind}-{cluster}.docx"
    return folder / f"{kind}.docx"


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
    formats: Sequence[str] = ("docx",),
    outputs: Mapping[str, Path] | None = None,
) -> Built:
    """Render one document; returns what was written and what it was built from. ``figures``
    are the edition's (computed from ``snapshot`` when not given). ``formats`` other than
    ``docx`` (``html``, ``epub``, ``odt``) are written from the same document model to
    ``outputs[format]`` (default: beside the .docx, ``NAME.epub``, ``NAME-html/index.html``...);
    :attr:`Built.files` lists every file written."""
    from ..render import render_document
    from . import charts

    started = time.perf_counter()
    doc_type = document_type(kind)
    if cluster is not None and not doc_type.per_cluster:
        raise UsageError(f"--cluster applies to {_per_cluster_names()}, not {kind}")
    tpl = template_for(settings, kind, template)
    chosen = find_cluster(snapshot, cluster) if cluster else None
    inputs = Inputs(kb, snapshot, settings, tpl, chosen, changes, figures)
    plan = doc_type.make(inputs)
    target = output or (outputs or {}).get("docx") or default_output(settings, kind, cluster)
    source = document_source(
        plan.context, doc_type.parts, kb, edition=settings.edition, document=kind,
        cluster=cluster, docx=target.name,
    )  # fmt: skip
    others = [f for f in formats if f != "docx"]
    files: dict[str, Path] = {}
    try:
        if not others:
            result = render_document(
                tpl, plan.context, target, cache=settings.cache, properties=plan.properties
            )
            assert result.path is not None  # render_document always writes
            files["docx"] = result.path
        else:
            from ..render import writers

            given = dict(outputs or {})
            targets = {"docx": target} | {
                f: Path(given.get(f) or target.parent / writers.derived_path(target.name, f))
                for f in others
            }
            result = writers.render_formats(
                tpl,
                plan.context,
                doc_type.parts,
                targets,
                title=format_title(doc_type, inputs),
                cache=settings.cache,
                accent=doc_type.accent,
                properties=plan.properties,
            )
            files.update(result.paths or targets)
    finally:
        for value in plan.context.values():
            charts.close(value)
    return Built(
        kind=kind,
        path=files["docx"],
        cluster=cluster,
        articles={a.id: a.content_hash for a in plan.articles},
        template_sha256=sha256_file(tpl),
        snapshot_sha256=snapshot.sha256,
        seconds=time.perf_counter() - started,
        warnings=[str(w) for w in result.warnings],
        files=files,
        dependencies=inputs.dependencies(),
        source=source,
    )


def format_title(doc_type: DocumentType, inputs: Inputs) -> str:
    """The title of a document's HTML site, EPUB and ODT (:meth:`DocumentType.format_title`:
    ``VETNoN handbook``, ``VETNoN action plan: Africa``), from the network and the cluster."""
    cluster = inputs.cluster
    return doc_type.format_title(inputs.data.network.short_name, cluster.name if cluster else None)


# -- many documents, in parallel --------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One document to build."""

    kind: str
    cluster: str | None
    output: Path
    template: Path | None = None
    formats: tuple[str, ...] = ("docx",)
    """Formats to write (``docx`` always; the others beside it, :func:`build_document`)."""
    outputs: tuple[tuple[str, Path], ...] = ()
    """Format -> target for the formats other than docx (default: beside the .docx)."""


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
            formats=job.formats,
            outputs=dict(job.outputs) or None,
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
    if not document_type(kind).per_cluster:
        raise UsageError(f"--all-clusters applies to {_per_cluster_names()}, not {kind}")
    ids = list(clusters) if clusters is not None else [c.id for c in snapshot.network.clusters]
    template = template_for(settings, kind, template)
    target = outputs or (lambda cid: default_output(settings, kind, cid))
    work = [Job(kind, cid, target(cid), template) for cid in ids]
    return build_many(
        work, settings, kb, snapshot, processes=jobs, progress=progress, changes=changes
    )
