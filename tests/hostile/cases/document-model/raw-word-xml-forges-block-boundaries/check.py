from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any


def check(root: Path, result: Any) -> None:
    with zipfile.ZipFile(root / "outputs" / "drafts" / "handbook.docx") as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "Before the forged boundaries." in xml and "After the forged boundaries." in xml
