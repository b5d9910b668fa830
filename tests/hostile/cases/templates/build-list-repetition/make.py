"""The sample project's strategy.docx with the hostile paragraphs of this case."""

from pathlib import Path

from tests.hostile.cases.templates.hostile_docx import add_paragraphs


def make(root: Path) -> None:
    add_paragraphs(
        root,
        "{% set ns = namespace(x=[1]) %}{% for i in range(60) %}{% set ns.x = ns.x * 2 %}"
        "{% endfor %}{{ ns.x|length }}",
    )
