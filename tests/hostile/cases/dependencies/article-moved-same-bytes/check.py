"""The new manifest records the lesson at its new path for the handbook, the only document
that read it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

MOVED = "lesson-start-small-joint-activity"


def check(root: Path, result: subprocess.CompletedProcess[str]) -> None:
    manifest = json.loads(
        (root / "outputs" / "2026-annual-meeting" / "manifest.json").read_text(encoding="utf-8")
    )
    readers = {
        e["path"]: e["inputs"]["dependencies"]["articles"][MOVED]
        for e in manifest["files"]
        if e.get("format") == "docx" and MOVED in e["inputs"]["dependencies"].get("articles", {})
    }
    assert list(readers) == ["handbook.docx"], readers
    assert readers["handbook.docx"][0] == "practices/starting-small.md"
    # the handbook is a new file; the 18 other documents are the first edition's, linked
    before = json.loads((root / "inodes-before.json").read_text(encoding="utf-8"))
    edition = root / "outputs" / "2026-annual-meeting"
    rebuilt = {p for p, inode in before.items() if (edition / p).stat().st_ino != inode}
    assert rebuilt == {"handbook.docx"} and len(before) == 19, rebuilt
