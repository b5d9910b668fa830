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


class SourcesOption(click.Option):
    """An option whose help (and metavar) name the kinds of data source, made from their table
    (:data:`pipeline.network.sources.SOURCES`) when the help is shown: importing the network
    package when the CLI starts would load pydantic for every command."""

    def __init__(
        self,
        *args: Any,
        help_text: Callable[[], str],
        metavar_text: Callable[[], str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.help_text, self.metavar_text = help_text, metavar_text

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        self.help = self.help_text()
        if self.metavar_text is not None:
            self.metavar = self.metavar_text()
        return super().get_help_record(ctx)


def source_phrases(*, writable: bool = False) -> str:
    """Every kind of data source as help names it (``a folder of CSV/YAML, ... or ...``)."""
    from ..network.sources import phrases

    return phrases(writable=writable)


data_option = click.option(
    "--data",
    "data_source",
    metavar="SOURCE",
    cls=SourcesOption,
    help_text=lambda: f"Network data: {source_phrases()} (default: kb/network/).",
)

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON and nothing else.")


def settings(ctx: click.Context, **overrides: Any) -> Settings:
    """Project settings for this run: netdocs.toml, then the command's options."""
    from ..config import load_settings

    root = ctx.find_root()
    config = (root.obj or {}).get("config") if root.obj else None
    return load_settings(config=config, **overrides)


def folders(ctx: click.Context, kb: Path | None = None) -> Any:
    """The knowledge-base and cache folders (``.kb``, ``.cache``) for this run, read without
    validating the whole of netdocs.toml (so without loading pydantic) when the file is plain;
    else the full :func:`settings`, which reports what is wrong with it."""
    from ..config_file import folders as read_folders

    root = ctx.find_root()
    config = (root.obj or {}).get("config") if root.obj else None
    return read_folders(config=config, kb=kb) or settings(ctx, kb=kb)


def is_quiet(ctx: click.Context) -> bool:
    root = ctx.find_root()
    return bool((root.obj or {}).get("quiet"))


def echo_json(value: Any) -> None:
    """Print ``value`` as indented JSON on stdout."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n")


def progress_bar(quiet: bool, console: Any = None) -> Any:
    """The progress bar of long commands (rich): description, bar, done/total, time."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from ..workers import quiet_threads

    class _Progress(Progress):  # type: ignore[misc]
        def start(self) -> None:
            with quiet_threads():  # its refresh thread leaves Ctrl-C to the main thread
                super().start()

    return _Progress(
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
