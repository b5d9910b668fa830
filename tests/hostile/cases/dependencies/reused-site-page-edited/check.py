"""Only the strategy is rebuilt; the edited page is netdocs' again; every file the manifest
lists is as it says (verify), and the stray file is in neither the edition nor its manifest."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from pipeline.publish.manifest import read_manifest, verify


def check(root: Path, result: subprocess.CompletedProcess[str]) -> None:
    edition = root / "outputs" / "2026-annual-meeting"
    before = json.loads((root / "inodes-before.json").read_text(encoding="utf-8"))
    rebuilt = {p for p, inode in before.items() if (edition / p).stat().st_ino != inode}
    assert rebuilt == {"strategy.docx"}, rebuilt
    page = (root / "edited-page.txt").read_text(encoding="utf-8")
    assert "edited by hand" not in (edition / page).read_text(encoding="utf-8")
    manifest = read_manifest(edition)
    assert manifest is not None and manifest.entry(page) is not None
    assert manifest.entry("handbook-html/notes.html") is None
    assert verify(edition).ok
