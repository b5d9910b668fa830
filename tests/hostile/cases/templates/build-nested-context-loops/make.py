"""The sample project's strategy.docx with five nested loops over the context."""

from pathlib import Path

from tests.hostile.cases.templates.hostile_docx import NESTED_CONTEXT_LOOPS, add_paragraphs


def make(root: Path) -> None:
    add_paragraphs(root, NESTED_CONTEXT_LOOPS)
