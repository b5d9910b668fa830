"""After the first publish (the case's project), the lesson moved to another folder under
another name (same depth: its own ``../`` links still resolve; no article links to it by
path)."""

from __future__ import annotations

import json
from pathlib import Path


def make(root: Path) -> None:
    edition = root / "outputs" / "2026-annual-meeting"
    inodes = {p.relative_to(edition).as_posix(): p.stat().st_ino for p in edition.rglob("*.docx")}
    (root / "inodes-before.json").write_text(json.dumps(inodes), encoding="utf-8")
    kb = root / "kb"
    (kb / "lessons" / "lesson-start-small-joint-activity.md").rename(
        kb / "practices" / "starting-small.md"
    )
