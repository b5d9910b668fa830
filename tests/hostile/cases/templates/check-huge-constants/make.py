"""The sample project's strategy.docx with the hostile paragraphs of this case."""

from pathlib import Path

from tests.hostile.cases.templates.hostile_docx import add_paragraphs


def make(root: Path) -> None:
    add_paragraphs(
        root,
        "{{ 'x' * 999999999 }}",
        "{{ title|center(9999999999) }}",
        "{{ '%0999999999d' % 1 }}",
        "{{ range(10**9)|list }}",
    )
