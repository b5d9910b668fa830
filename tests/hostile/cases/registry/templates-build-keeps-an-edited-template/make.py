"""A designer's paragraph added to the sample project's handbook.docx."""

from pathlib import Path

import docx


def make(root: Path) -> None:
    path = root / "templates" / "handbook.docx"
    document = docx.Document(str(path))
    document.add_paragraph("A designer's note")
    document.save(str(path))
