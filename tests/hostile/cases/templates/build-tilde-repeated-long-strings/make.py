"""The sample project's strategy.docx with the hostile paragraph of this case."""

from pathlib import Path

from tests.hostile.cases.templates.hostile_docx import add_paragraphs


def make(root: Path) -> None:
    add_paragraphs(root, '{{ "a" ~ ["x" * 4000000] * 4000000 }}')
