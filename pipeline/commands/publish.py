"""``netdocs publish`` and ``netdocs verify``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import NetdocsError
from .common import (
    as_of_option,
    data_option,
    echo_json,
    is_quiet,
    json_option,
    kb_option,
    progress_bar,
    settings,
)

CTX = {"help_option_names": ["-h", "--help"]}


def _formats(value: str) -> tuple[str, ...]:
    from ..publish.formats import FORMATS

    chosen = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {','.join(FORMATS)} (comma-separated)")
    return chosen


@click.command("publish", context_settings=CTX)
@click.option("--edition", metavar="NAME", help="Edition name (default: from netdocs.toml).")
@click.option(
    "--formats",
    metavar="LIST",
    default=None,
    help="Formats to publish, comma-separated, every document in each: docx, pdf, html, epub, "
    "odt (default: every document as docx and pdf, the handbook also as html, epub and odt).",
)
@data_option
@kb_option
@as_of_option
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Edition folder (default: outputs/EDITION).",
)
@click.option("--force", is_flag=True, help="Rebuild everything, even what has not changed.")
@click.option(
    "--require",
    "required",
    type=click.Choice(["pdf"]),
    multiple=True,
    help="Fail instead of skipping PDFs when LibreOffice is missing.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Processes for building documents (default: one per CPU core).",
)
@click.pass_context
def publish_cmd(
    ctx: click.Context,
    edition: str | None,
    formats: str | None,
    data_source: str | None,
    kb_dir: Path | None,
    as_of: str | None,
    folder: Path | None,
    force: bool,
    required: tuple[str, ...],
    jobs: int | None,
) -> None:
    """Publish the whole edition for the annual meeting into one folder.

    Checks first (knowledge base in strict mode, network data, templates, unfinished material
    such as a TODO or a placeholder name, the meeting date against the data) and writes
    nothing if anything is wrong. Then builds the strategy, the action plan and the handbook, and an
    action plan and a progress report per cluster (clusters/), each as .docx and .pdf, the
    handbook also as an HTML site, EPUB and ODT (--formats chooses, for every document); and
    index.html, manifest.json and, when an earlier edition
    exists, changes.md. Only the documents whose inputs changed since the last publish (the
    articles, data and dates each one read, as recorded in the manifest) are rebuilt.
    The edition is built beside the old one and swapped in at the end, so an interrupted
    publish leaves the previous edition intact.

    \b
    Example:
      netdocs publish
      netdocs publish --formats docx,pdf --require pdf
      netdocs publish --formats docx,html
      netdocs publish --edition 2027-annual-meeting --data sqlite:///network.db
      netdocs publish --as-of 2026-12-31
    """
    from ..publish.run import publish

    s = settings(ctx, kb=kb_dir, data=data_source, as_of=as_of)
    quiet = is_quiet(ctx) or bool(os.environ.get("CI")) or not sys.stderr.isatty()
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    with progress_bar(quiet, console) as bar:

        def stage(name: str, total: int) -> Any:
            task = bar.add_task(name, total=max(total, 1), completed=0 if total else 1)

            def advance(n: int = 1) -> None:
                bar.advance(task, n)

            return advance

        report = publish(
            s,
            edition=edition,
            formats=_formats(formats) if formats is not None else None,
            data=data_source,
            folder=folder,
            force=force,
            require_pdf="pdf" in required,
            processes=jobs,
            stage=stage,
        )
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
    for failure in report.failures:
        click.echo(f"error: {failure}", err=True)
    if report.failures:
        raise NetdocsError(
            f"{report.folder} was published without {len(report.failures)} "
            "file(s); see the errors above"
        )
    if is_quiet(ctx):
        return
    if not report.changed:
        click.echo(f"{report.folder} is up to date: nothing rebuilt")
        return
    from rich.table import Table

    table = Table(title=f"Published {report.folder}", title_justify="left")
    for column in ("stage", "built", "skipped", "seconds", ""):
        table.add_column(
            column, justify="right" if column in ("built", "skipped", "seconds") else "left"
        )
    for st in report.stages:
        table.add_row(st.name, str(st.built), str(st.skipped), f"{st.seconds:.1f}", st.note)
    Console(highlight=False, soft_wrap=not sys.stdout.isatty()).print(table)
    click.echo(f"open {report.folder / 'index.html'}")


@click.command("verify", context_settings=CTX)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@json_option
def verify_cmd(folder: Path, as_json: bool) -> None:
    """Check a published edition against its manifest: report changed or missing files.

    Exit status 0 when every file is as published, 1 otherwise.

    \b
    Example:
      netdocs verify outputs/2026-annual-meeting
    """
    from ..publish.manifest import verify

    report = verify(folder)
    if as_json:
        echo_json(
            {
                "ok": report.ok,
                "checked": report.checked,
                "changed": report.changed,
                "missing": report.missing,
            }
        )
    else:
        for rel in report.changed:
            click.echo(f"changed: {rel}")
        for rel in report.missing:
            click.echo(f"missing: {rel}")
        click.echo(
            f"{report.checked} files checked: {len(report.changed)} changed, "
            f"{len(report.missing)} missing",
            err=True,
        )
    if not report.ok:
        raise NetdocsError(f"{folder} differs from its manifest")
