"""The sample project without its progress-report template."""

from pathlib import Path


def make(root: Path) -> None:
    (root / "templates" / "progress-report.docx").unlink()
