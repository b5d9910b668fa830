"""The lesson exactly as `netdocs kb new lesson "X" --step 1` writes it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.kb.scaffold import render_article


def make(root: Path) -> None:
    text = render_article("lesson-x", "lesson", "X", (1,), date(2026, 10, 1))
    (root / "kb" / "lessons" / "lesson-x.md").write_text(text, encoding="utf-8")
