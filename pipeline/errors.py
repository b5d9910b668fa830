"""One error hierarchy for netdocs.

The library raises these; only the CLI prints them. Each class carries the exit code the
command ends with, so a script can tell a usage mistake (2) from a failed check (1).
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any, Literal

import click

Level = Literal["error", "warning"]

UNFINISHED = "unfinished"
"""``Problem.rule`` of unfinished material: ``netdocs publish`` refuses it, ``build`` warns."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input, located precisely enough for a person to fix it."""

    where: str
    """Where it is: ``path:line``, ``file:row:column``, ``sheet!cell``, a JSON path, a template."""
    level: Level
    """``error`` fails the check; ``warning`` fails it only in strict mode."""
    message: str
    """What is wrong and what to do about it."""
    rule: str = field(default="", compare=False)
    """What kind of problem it is, where a caller must tell kinds apart: ``UNFINISHED`` marks
    material that must not print (placeholders, scaffold text, empty sections)."""

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


class QueryTooGeneralError(NetdocsError):
    """A search query holds only words too common to search for ("how do I"). Exit code 1,
    like a search that finds nothing: the query is well formed, it just asks nothing."""


_OS_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space, then run this again",
    errno.EDQUOT: "the disk quota is used up: free some space, then run this again",
    errno.EROFS: "the file system is read-only: choose a writable folder",
    errno.EACCES: "permission denied: make it writable for you, or choose another folder",
    errno.EPERM: "the operation is not permitted (read-only or immutable file?): "
    "make it writable, or choose another folder",
    errno.EMLINK: "too many links",
    errno.ENAMETOOLONG: "the file name is too long: choose a shorter name",
}


class DocxError(NetdocsError):
    """A Word document netdocs was given cannot be read (not a .docx, protected, damaged,
    too large)."""


class WriteError(NetdocsError):
    """The file system refused a read or write (full disk, read-only or protected folder)."""

    @classmethod
    def from_os(cls, exc: OSError, consequence: str = "") -> WriteError:
        """One message for an OSError: the path, what went wrong, what to do about it."""
        path = exc.filename or "a file"
        if exc.filename2:
            path = f"{exc.filename} → {exc.filename2}"
        advice = _OS_ADVICE.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()
        tail = f" ({consequence})" if consequence else ""
        verb = "write" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS) else "use"
        return cls(f"cannot {verb} {path}: {advice}{tail}")


def is_environment_error(exc: BaseException) -> bool:
    """An OSError caused by the machine (disk, permissions), not by a bug in netdocs."""
    return isinstance(exc, OSError) and exc.errno in _OS_ADVICE
