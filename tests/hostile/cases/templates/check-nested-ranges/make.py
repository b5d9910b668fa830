"""The sample project's strategy.docx with the hostile paragraphs of this case."""

from pathlib import Path

from tests.hostile.cases.templates.hostile_docx import add_paragraphs


def make(root: Path) -> None:
    add_paragraphs(
        root, "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}"
    )
