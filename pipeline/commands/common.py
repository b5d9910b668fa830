"""Options and helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:  # the settings' schema needs pydantic: loaded when a command runs, not for --help
    from ..config import Settings

F = TypeVar("F", bound=Callable[..., Any])

kb_option = click.option(
    "--kb",
    "kb_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Knowledge-base folder (default: kb/ of the project).",
)

data_option = click.option(
    "--data",
    "data_source",
    metavar="SOURCE",
    help="Network data: a folder of CSV/YAML, an .xlsx workbook, a snapshot .json, "
    "a database URL (sqlite:///network.db) or an http(s) URL (default: kb/network/).",
)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON and nothing else.")


def settings(ctx: click.Context, **overrides: Any) -> Settings:
    """Project settings for this run: netdocs.toml, then the command's options."""
    from ..config import load_settings

    root = ctx.find_root()
    config = (root.obj or {}).get("config") if root.obj else None
    return load_settings(config=config, **overrides)


def is_quiet(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool((root.obj or {}).get("quiet"))


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")


def progress_bar(quiet: bool, console: Any = None) -> Any:
    """The progress bar of long commands (rich): description, bar, done/total, time."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "[progress.description]{task.description:<10}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
    )


as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Compute every figure, overdue flag, renewal and the Gantt's today line as of this "
    "day (default: as_of in netdocs.toml, else the day the data is read).",
)

review_as_of_option = click.option(
    "--as-of",
    "as_of",
    metavar="YYYY-MM-DD",
    help="Count reviews as due on this day (default: as_of in netdocs.toml, else today), "
    "as netdocs publish does.",
)
