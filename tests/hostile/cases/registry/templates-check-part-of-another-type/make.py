"""The action plan's chart placed in the sample project's handbook.docx."""

from pathlib import Path

import docx


def make(root: Path) -> None:
    path = root / "templates" / "handbook.docx"
    document = docx.Document(str(path))
    document.add_paragraph("{{ gantt_chart }}")
    document.save(str(path))
