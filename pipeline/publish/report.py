"""What a publish reports: per stage, what was built and skipped and how long it took."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Stage = Callable[[str, int], Any]
"""progress(stage, total) -> a callable advance(n=1); supplied by the CLI."""


@dataclass
class StageReport:
    name: str
    built: int = 0
    skipped: int = 0
    seconds: float = 0.0
    note: str = ""


@dataclass
class PublishReport:
    """What a publish did."""

    folder: Path
    stages: list[StageReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """Outputs that could not be made (the rest of the edition was published)."""
    changed: bool = True
    """False when nothing needed rebuilding and the edition was left untouched."""

    @property
    def built(self) -> int:
        return sum(s.built for s in self.stages)
