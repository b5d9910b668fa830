"""The sample project's strategy.docx with the hostile paragraphs of this case."""

from pathlib import Path

from tests.hostile.cases.templates.hostile_docx import add_paragraphs


def make(root: Path) -> None:
    add_paragraphs(
        root,
        "{% for i in range(99) %}{% for a in network_name %}{% for b in network_name %}"
        "{% for c in network_name %}{% for d in network_name %}{{ a }}{% endfor %}"
        "{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
    )
