"""The sample project's strategy.docx made a zip bomb (see hostile_docx.zip_bomb)."""

from pathlib import Path

from tests.hostile.cases.templates.hostile_docx import zip_bomb


def make(root: Path) -> None:
    zip_bomb(root)
