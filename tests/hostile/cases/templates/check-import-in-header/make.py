"""The sample project's strategy.docx with a hostile paragraph in its header."""

from pathlib import Path

from tests.hostile.cases.templates.hostile_docx import add_to_header


def make(root: Path) -> None:
    add_to_header(root, "{% import 'x.docx' as x %}")
