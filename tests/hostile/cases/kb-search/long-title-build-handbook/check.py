"""The whole 324-character title reaches the handbook, as a heading."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

TITLE = " ".join(["Coordination"] * 25)


def check(root: Path, result: Any) -> None:
    with zipfile.ZipFile(root / "long.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    assert TITLE in xml, "the long title is missing from the handbook"
