"""``netdocs build``: one document, or one per cluster."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..documents.registry import REGISTRY, document_type, per_cluster_types
from ..errors import NetdocsError, UsageError
from .common import as_of_option, data_option, is_quiet, kb_option, progress_bar, settings

if TYPE_CHECKING:
    from ..config import Settings
    from ..kb import KnowledgeBase
    from ..network import Snapshot

CTX = {"help_option_names": ["-h", "--help"]}
PER_CLUSTER = ", ".join(t.name for t in per_cluster_types())
"""The document types that can be built per cluster, for the options' help."""

HELP = """Build a Word document from the knowledge base and the network data.

\b
DOC is one of:
{types}

The knowledge base is linted and the data validated first; nothing is written from
half-valid input. Unfinished material (a TODO, scaffold text, a placeholder name) is
drafted with a warning; `netdocs publish` refuses it. Each document ends with a sources
appendix (articles, data snapshot, template, netdocs version). Drafts go to
outputs/drafts/; `netdocs publish` makes the edition.

\b
Example:
  netdocs build strategy
  netdocs build action-plan --cluster africa --pdf
  netdocs build progress-report --all-clusters --data network.xlsx
  netdocs build action-plan --as-of 2026-12-31
"""


def _types_help() -> str:
    """One line per document type (from the registry); a per-cluster-only one says so."""
    width = max(len(name) for name in REGISTRY) + 2
    return "\n".join(
        f"  {t.name:{width}}{t.description}" + ("" if t.network else " (needs --cluster)")
        for t in REGISTRY.values()
    )


def _period_types() -> str:
    return " and ".join(t.name for t in REGISTRY.values() if t.reports_on_a_period) or "none"


# The choices and the help are read from REGISTRY once, when this module is imported: a type
# registered later (documents.registry.register) is not offered here.
@click.command("build", context_settings=CTX, help=HELP.format(types=_types_help()))
@click.argument("document", metavar="DOC", type=click.Choice(list(REGISTRY)))
@click.option("--cluster", metavar="ID", help=f"Only this cluster ({PER_CLUSTER}).")
@click.option(
    "--all-clusters",
    is_flag=True,
    help=f"One document per cluster, built in parallel ({PER_CLUSTER}).",
)
@data_option
@kb_option
@as_of_option
@click.option(
    "--period",
    metavar="ID",
    help=f"Reporting period ({_period_types()}): the id of a recorded period, such as "
    "2024-25 (default: the edition's, the latest that has ended by the meeting).",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Word template to use instead of templates/DOC.docx.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (with --all-clusters: a folder). Default: outputs/drafts/DOC.docx, "
    "per cluster outputs/drafts/clusters/ (drafts never touch a published edition).",
)
@click.option(
    "--pdf",
    "pdf",
    is_flag=True,
    help="Also convert the document(s) to PDF beside the .docx (needs LibreOffice).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes for --all-clusters (default: one per CPU core).",
)
@click.pass_context
def build_cmd(
    ctx: click.Context,
    document: str,
    cluster: str | None,
    all_clusters: bool,
    data_source: str | None,
    kb_dir: Path | None,
    as_of: str | None,
    period: str | None,
    template: Path | None,
    output: Path | None,
    jobs: int | None,
    pdf: bool,
) -> None:
    from ..documents.build import (
        Built,
        Failed,
        build_document,
        build_for_clusters,
        default_output,
        load_inputs,
        to_pdf,
    )

    if cluster and all_clusters:
        raise UsageError("give either --cluster ID or --all-clusters, not both")
    doc_type = document_type(document)
    if (cluster or all_clusters) and not doc_type.per_cluster:
        names = " and ".join(t.name for t in per_cluster_types())
        raise UsageError(f"--cluster and --all-clusters apply to {names}")
    if not doc_type.network and not (cluster or all_clusters):
        raise UsageError(
            f"a {doc_type.title.lower()} is about one cluster: add --cluster ID or --all-clusters"
        )
    if period is not None and not doc_type.reports_on_a_period:
        raise UsageError(f"--period applies to {_period_types()}")
    s = settings(ctx, kb=kb_dir, data=data_source, as_of=as_of)
    if period is not None:
        s = replace(s, period=period)
    kb, snapshot = load_inputs(s)
    quiet = is_quiet(ctx)
    _warn_unfinished(s, kb, snapshot)
    if not all_clusters:
        built = build_document(
            document, s, kb, snapshot, cluster=cluster, template=template, output=output
        )
        for warning in built.warnings:
            click.echo(f"warning: {warning}", err=True)
        if not quiet:
            click.echo(f"wrote {built.path} in {built.seconds:.1f} s")
        if pdf:
            for pdf_path in to_pdf([built.path]):
                if not quiet:
                    click.echo(f"wrote {pdf_path}")
        return

    ids = [c.id for c in snapshot.network.clusters_in_order()]

    def target(cid: str) -> Path:
        if output is not None:
            return output / f"{document}-{cid}.docx"
        return default_output(s, document, cid)

    failures: list[Failed] = []
    with progress_bar(quiet) as bar:
        task = bar.add_task(f"{document} per cluster", total=len(ids))

        def advance(result: Built | Failed) -> None:
            if isinstance(result, Failed):
                failures.append(result)
                bar.console.print(
                    f"[red]failed[/] {result.cluster}: {result.message}",
                    markup=True,
                    highlight=False,
                )
            bar.advance(task)

        results = build_for_clusters(
            document,
            s,
            kb,
            snapshot,
            template=template,
            outputs=target,
            jobs=jobs,
            progress=advance,
        )
    done = [r for r in results if isinstance(r, Built)]
    if not quiet:
        folder = target(ids[0]).parent if ids else s.outputs
        click.echo(f"wrote {len(done)} of {len(results)} documents to {folder}")
    if pdf and done:
        pdfs = to_pdf([r.path for r in done])
        if not quiet:
            click.echo(f"wrote {len(pdfs)} PDF(s) beside them")
    if failures:
        raise NetdocsError(
            f"{len(failures)} cluster(s) failed: " + ", ".join(f.cluster for f in failures)
        )


def _warn_unfinished(s: Settings, kb: KnowledgeBase, snapshot: Snapshot) -> None:
    """Print what publish would refuse, one located line each, and say that it would."""
    from ..publish.readiness import REFUSED_HINT, as_draft_warning, check_readiness

    ready = check_readiness(s, kb, snapshot, s.as_of_for(snapshot.read_at.date()))
    for problem in ready.problems:
        click.echo(as_draft_warning(problem), err=True)
    if ready.problems:
        click.echo(
            f"note: {len(ready.problems)} item(s) above drafted anyway; {REFUSED_HINT}", err=True
        )
