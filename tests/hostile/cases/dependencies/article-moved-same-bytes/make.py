"""A first publish, then the lesson moved to another folder under another name (same depth:
its own ``../`` links still resolve; no article links to it by path)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def make(root: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(SOURCE_DATE_EPOCH="1790000000", CI="true")
    subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "publish", "--formats", "docx", "-j", "1"],
        cwd=root, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    edition = root / "outputs" / "2026-annual-meeting"
    inodes = {p.relative_to(edition).as_posix(): p.stat().st_ino for p in edition.rglob("*.docx")}
    (root / "inodes-before.json").write_text(json.dumps(inodes), encoding="utf-8")
    kb = root / "kb"
    (kb / "lessons" / "lesson-start-small-joint-activity.md").rename(
        kb / "practices" / "starting-small.md"
    )
