"""One error hierarchy for netdocs.

The library raises these; only the CLI prints them. Each class carries the exit code the
command ends with, so a script can tell a usage mistake (2) from a failed check (1).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any, Literal

import click

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located precisely enough for a person to fix it."""

    where: str
    """Where it is: ``path:line``, ``file:row:column``, ``sheet!cell``, a JSON path, a template."""
    level: Level
    """``error`` fails the check; ``warning`` fails it only in strict mode."""
    message: str
    """What is wrong and what to do about it."""

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "level": self.level, "message": self.message}


class NetdocsError(click.ClickException):
    """Base of every error netdocs reports to a user. Exit code 1 unless a subclass says."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.format_message()}", file=file, err=True)


class UsageError(NetdocsError):
    """The command was called wrongly (bad option value, unknown id, missing file)."""

    exit_code = 2


class ConfigError(UsageError):
    """``netdocs.toml`` or a command-line override is invalid."""


class NotFoundError(UsageError):
    """A named thing (article, cluster, template, file) does not exist."""


class ValidationError(NetdocsError):
    """Input failed validation; carries every problem found, not just the first."""

    def __init__(self, summary: str, problems: Iterable[Problem] = ()) -> None:
        self.problems = list(problems)
        lines = [summary] + [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class KBError(NetdocsError):
    """The knowledge base could not be read."""


class DataError(NetdocsError):
    """Network data could not be read or is invalid."""


class TemplateError(NetdocsError):
    """A Word template is broken or does not fit the document's context."""


class RenderError(NetdocsError):
    """A document could not be rendered or converted."""


class ToolMissingError(NetdocsError):
    """An external program (LibreOffice) is needed but not installed; says how to install it."""


class SearchIndexError(NetdocsError):
    """The search index could not be built or read."""
