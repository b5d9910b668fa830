"""Lines for a person at a terminal: wrapped at spaces only, so a path or an id is never broken.

In a terminal, a :class:`Screen` wraps each line to the terminal's width (``COLUMNS`` when
set) between words, never inside one: a path or id that does not fit where it would go starts
the next line, whole, and one wider than the terminal gets a line of its own. Styles (bold,
colours) are click's, only in a terminal and never with ``NO_COLOR``. In a pipe every line is
printed whole and plain, so ``grep`` and scripts see one line per entry.

Loads nothing but click and the standard library (``netdocs search`` starts fast).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

import click

STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True},
    "heading": {"bold": True},
    "dim": {"dim": True},
    "path": {"fg": "cyan"},
    "section": {"italic": True},
    "match": {"bold": True, "fg": "yellow"},
}
"""What each kind of text looks like in a terminal."""

_SPACES = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Part:
    """A run of text of one style."""

    text: str
    style: str = ""
    """A key of :data:`STYLES` ('' for plain text)."""
    whole: bool = False
    """Never broken, even at its spaces (a path, an id)."""


def cells(text: str) -> int:
    """Columns ``text`` takes in a terminal (wide East Asian characters take two)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def wrap(
    parts: list[Part], width: int, indent: int = 0, hang: int | None = None
) -> list[list[Part]]:
    """``parts`` as lines of at most ``width`` columns, broken only between words (``indent``
    before the first line, ``hang`` before the others). A word or whole part wider than the
    rest of the line starts the next one; one wider than ``width`` gets a line to itself,
    unindented."""
    hang = indent if hang is None else hang
    tokens: list[tuple[str, Part]] = []  # (the space before it, the word)
    gap = ""
    for part in parts:
        if part.whole:
            tokens.append((gap, part))
            gap = ""
            continue
        for piece in _SPACES.split(part.text):
            if not piece:
                continue
            if piece.isspace():
                gap += " " * len(piece)
            else:
                tokens.append((gap, Part(piece, part.style)))
                gap = ""
    lines: list[list[Part]] = []
    line: list[Part] = []
    used = 0
    for gap, token in tokens:
        size = cells(token.text)
        if line and used + len(gap) + size > width:
            lines.append(line)
            line = []
        if not line:
            pad = indent if not lines else hang
            if pad + size > width:
                pad = 0
            line, used = ([Part(" " * pad)] if pad else []), pad
        else:
            line.append(Part(gap))
            used += len(gap)
        line.append(token)
        used += size
    if line:
        lines.append(line)
    return lines or [[]]


class Screen:
    """Where a command's lines for a person go (stdout, or stderr for notes)."""

    def __init__(
        self,
        stderr: bool = False,
        wrap: bool | None = None,
        width: int | None = None,
        styled: bool | None = None,
        file: IO[str] | None = None,
    ) -> None:
        """``wrap``: wrap lines (default: only in a terminal); ``width``: the columns to wrap
        to (default: the terminal's, ``COLUMNS``, else 80)."""
        self.stderr = stderr
        self.file = file
        stream = file or (sys.stderr if stderr else sys.stdout)
        tty = bool(getattr(stream, "isatty", lambda: False)())
        wraps = tty if wrap is None else wrap
        self.width: int | None = None
        if wraps:
            self.width = width or shutil.get_terminal_size((80, 24)).columns or 80
        self.styled = (tty and not os.environ.get("NO_COLOR")) if styled is None else styled

    def _echo(self, text: str) -> None:
        click.echo(text, file=self.file, err=self.stderr, color=self.styled or None)

    def _render(self, line: list[Part]) -> str:
        if not self.styled:
            return "".join(p.text for p in line)
        return "".join(
            click.style(p.text, **STYLES[p.style]) if p.style in STYLES else p.text for p in line
        )

    def line(self, parts: list[Part], indent: int = 0, hang: int | None = None) -> None:
        """Print ``parts`` as one entry: wrapped in a terminal (see :func:`wrap`), else whole."""
        if self.width is None:
            self._echo(
                self._render([Part(" " * indent), *parts]) if indent else self._render(parts)
            )
            return
        for row in wrap(parts, self.width, indent, hang):
            self._echo(self._render(row))

    def say(self, text: str) -> None:
        """Print a message (a note, a warning, a count): wrapped between words in a terminal."""
        for paragraph in text.split("\n"):
            self.line([Part(paragraph)])

    def rule(self, title: str = "") -> None:
        """A horizontal line across the screen, with ``title`` in it."""
        width = self.width or 80
        if not title:
            self._echo(self._render([Part("─" * width, "dim")]))
            return
        side = max(2, (width - cells(title) - 2) // 2)
        self._echo(
            self._render(
                [
                    Part("─" * side, "dim"),
                    Part(f" {title} ", "heading"),
                    Part("─" * max(2, width - side - cells(title) - 2), "dim"),
                ]
            )  # fmt: skip
        )
