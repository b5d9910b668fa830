"""The ``netdocs`` command line: a thin Click layer over the library.

Sub-commands live in ``pipeline/commands/`` and are imported only when they are run, so
``netdocs --help`` and ``netdocs search`` start without loading docx, matplotlib or pandoc.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# name -> (module, attribute, one-line help shown by `netdocs --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "kb": ("pipeline.commands.kb", "kb", "Lint, list and create knowledge-base articles."),
    "index": ("pipeline.commands.search", "index_cmd", "Build or update the search index."),
    "search": ("pipeline.commands.search", "search_cmd", "Search the knowledge base."),
    "show": ("pipeline.commands.search", "show_cmd", "Show one article in the terminal."),
    "data": (
        "pipeline.commands.data",
        "data",
        "Check, summarise, snapshot and export network data.",
    ),
    "templates": ("pipeline.commands.templates", "templates", "Check and build templates."),
    "build": ("pipeline.commands.build", "build_cmd", "Build a Word document (strategy, ...)."),
    "publish": ("pipeline.commands.publish", "publish_cmd", "Publish the whole edition."),
    "verify": ("pipeline.commands.publish", "verify_cmd", "Check a published edition."),
    "review": (
        "pipeline.commands.review",
        "review",
        "Bring reviewers' Word comments and tracked changes back to the articles.",
    ),
    "redline": (
        "pipeline.commands.redline",
        "redline_cmd",
        "Word documents with tracked changes between two editions.",
    ),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        try:
            module = importlib.import_module(entry[0])
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("pipeline."):
                return None  # the command is not built yet
            raise
        command: click.Command = getattr(module, entry[1])
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][2]) for name in sorted(COMMANDS) if self._exists(name)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    @staticmethod
    def _exists(name: str) -> bool:
        return importlib.util.find_spec(COMMANDS[name][0]) is not None


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "--version", prog_name="netdocs")
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Project settings file (default: the nearest netdocs.toml, else built-in defaults).",
)
@click.option("-v", "--verbose", count=True, help="Say more (repeat for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Only print results and errors.")
@click.pass_context
def cli(ctx: click.Context, config: Path | None, verbose: int, quiet: bool) -> None:
    """netdocs: the knowledge base, search and documents of a network of VET institutions.

    Editors keep the network's guidance as Markdown in kb/; netdocs checks it, searches it and
    turns it, with the network's live data, into the strategy, action plan and handbook.

    \b
    Examples:
      netdocs kb lint                 check every article
      netdocs search "what does a convener do"
      netdocs kb new lesson "Start with a baseline audit"
    """
    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose == 1:
        level = logging.INFO
    elif verbose > 1:
        level = logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)
    ctx.obj = {"config": config, "verbose": verbose, "quiet": quiet}


class Terminated(BaseException):
    """The process was asked to stop (SIGTERM): unwind like Ctrl-C, so clean-up runs."""


def _terminate(signum: int, frame: Any) -> None:
    raise Terminated


def main(argv: list[str] | None = None) -> Any:
    """Console-script entry point: user errors are printed by Click; bugs get one clear line.

    Ctrl-C and SIGTERM unwind the command (its clean-up runs: staging folders, LibreOffice,
    worker processes) and end with one line and exit status 130 or 143.
    """
    import signal

    from .errors import WriteError, is_environment_error

    signal.signal(signal.SIGTERM, _terminate)
    try:
        return cli.main(args=argv, prog_name="netdocs", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):  # Ctrl-C, or EOF at a prompt
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Terminated:
        click.echo("terminated", err=True)
        sys.exit(143)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:
        if is_environment_error(exc):  # a full disk or a protected folder: not a bug
            WriteError.from_os(exc).show()  # type: ignore[arg-type]
            sys.exit(1)
        if "-v" in sys.argv or "--verbose" in sys.argv or "-vv" in sys.argv:
            raise
        click.echo(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in netdocs, not in your files. Please report it with the command "
            "you ran; add -v to see the details.",
            err=True,
        )
        sys.exit(70)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
