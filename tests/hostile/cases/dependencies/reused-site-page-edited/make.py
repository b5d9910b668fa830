"""A first publish (Word and HTML), then a page of the strategy's site edited by hand and a
stray file put into the handbook's site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def make(root: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(SOURCE_DATE_EPOCH="1790000000", CI="true")
    argv = ["publish", "--formats", "docx,html", "-j", "1"]
    subprocess.run([sys.executable, "-m", "pipeline.cli", *argv],
                   cwd=root, env=env, check=True, capture_output=True, timeout=300)  # fmt: skip
    edition = root / "outputs" / "2026-annual-meeting"
    inodes = {p.relative_to(edition).as_posix(): p.stat().st_ino for p in edition.rglob("*.docx")}
    (root / "inodes-before.json").write_text(json.dumps(inodes), encoding="utf-8")
    page = sorted((edition / "strategy-html").glob("*.html"))[-1]  # not its start page
    (root / "edited-page.txt").write_text(page.relative_to(edition).as_posix(), encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</body>", "<p>edited by hand</p></body>"), encoding="utf-8")
    (edition / "handbook-html" / "notes.html").write_text("<p>stray</p>", encoding="utf-8")
