"""``netdocs redline``: Word documents with tracked changes between two editions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..errors import NotFoundError
from .common import echo_json, is_quiet, json_option, settings

CTX = {"help_option_names": ["-h", "--help"]}
DOCUMENTS = ("handbook", "strategy")


@click.command("redline", context_settings=CTX)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="[NEW]", required=False)
@click.option(
    "--document",
    type=click.Choice([*DOCUMENTS, "all"]),
    default="all",
    show_default=True,
    help="Which document to compare.",
)
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write DOCUMENT-redline.docx into (default: outputs/drafts/).",
)
@json_option
@click.pass_context
def redline_cmd(
    ctx: click.Context,
    old: str,
    new: str | None,
    document: str,
    folder: Path | None,
    as_json: bool,
) -> None:
    """Show what changed in the text since an earlier edition, as tracked changes in Word.

    OLD and NEW are editions in the project's outputs folder (their names) or edition folders;
    NEW defaults to the project's edition (edition in netdocs.toml). Writes
    handbook-redline.docx and strategy-redline.docx (--document chooses): the new edition's
    text with every insertion and deletion since OLD as a tracked change, word by word inside
    a paragraph, that Word and LibreOffice accept or reject one by one. They are made from the
    Markdown each edition recorded (its source/ folder, which netdocs publish writes; an
    edition published by an older netdocs has none); netdocs publish also writes them into
    the edition itself when an earlier edition exists.

    \b
    Example:
      netdocs redline 2025-annual-meeting
      netdocs redline 2025-annual-meeting 2026-annual-meeting --document handbook
      netdocs redline outputs/2025-annual-meeting outputs/2026-annual-meeting -o /tmp/redlines
    """
    from ..publish.redline import (
        check_pair,
        find_edition,
        redline,
        redline_name,
        require_sources,
        source_path,
    )
    from ..publish.redline_source import read_edition

    s = settings(ctx)
    old_folder = find_edition(s.outputs, old)
    new_folder = find_edition(s.outputs, new or s.edition)
    check_pair(old_folder, new_folder)
    before, after = read_edition(old_folder).as_of, read_edition(new_folder).as_of
    if before and after and before > after:
        click.echo(
            f"note: {old_folder.name} (as of {before}) is later than {new_folder.name} (as of "
            f"{after}): the redline shows the text going back; name the earlier edition first",
            err=True,
        )
    stems = DOCUMENTS if document == "all" else (document,)
    for edition in (old_folder, new_folder):
        require_sources(edition, stems[0] if len(stems) == 1 else "")
    chosen = [
        st for st in stems if all(source_path(e, st).is_file() for e in (old_folder, new_folder))
    ]
    if not chosen:
        raise NotFoundError(
            f"neither the {' nor the '.join(stems)} is recorded in both {old_folder} and "
            f"{new_folder} (source/): publish them again with this netdocs"
        )
    target = folder if folder is not None else s.outputs / "drafts"
    quiet = is_quiet(ctx) or as_json
    done: list[dict[str, Any]] = []
    for stem in stems:
        if stem not in chosen:
            click.echo(f"note: no {stem} in both {old_folder.name} and {new_folder.name}", err=True)
            continue
        if not quiet:
            click.echo(f"comparing the {stem} of {old_folder.name} and {new_folder.name}", err=True)
        result = redline(
            old_folder, new_folder, stem, target / redline_name(stem), templates=s.templates
        )
        for warning in result.warnings:
            click.echo(f"warning: {warning}", err=True)
        done.append(
            {
                "document": stem,
                "path": str(result.path),
                "old": result.old,
                "new": result.new,
                "insertions": result.insertions,
                "deletions": result.deletions,
                "unchanged": result.unchanged,
                "changes": [
                    {"key": c.key, "change": c.change, "title": c.title} for c in result.changes
                ],
            }
        )
        if quiet:
            continue
        counts = ", ".join(
            f"{result.count(kind)} {kind}" for kind in ("revised", "added", "removed")
        )
        click.echo(
            f"wrote {result.path}: {counts}, {result.unchanged} unchanged "
            f"({_many(result.insertions, 'insertion')}, {_many(result.deletions, 'deletion')})"
        )
        for change in result.changes:
            click.echo(f"  {change.change:<8} {change.title}" + (
                f" ({change.key})" if change.title != change.key else ""))  # fmt: skip
    if as_json:
        echo_json(done)


def _many(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
