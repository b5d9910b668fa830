"""After the first publish (Word, HTML, EPUB and ODT: the case's project, the run's shared
first edition), a page of the strategy's site edited by hand and a stray file put into the
handbook's site."""

from __future__ import annotations

import json
from pathlib import Path


def make(root: Path) -> None:
    edition = root / "outputs" / "2026-annual-meeting"
    inodes = {p.relative_to(edition).as_posix(): p.stat().st_ino for p in edition.rglob("*.docx")}
    (root / "inodes-before.json").write_text(json.dumps(inodes), encoding="utf-8")
    page = sorted((edition / "strategy-html").glob("*.html"))[-1]  # not its start page
    (root / "edited-page.txt").write_text(page.relative_to(edition).as_posix(), encoding="utf-8")
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</body>", "<p>edited by hand</p></body>"), encoding="utf-8")
    (edition / "handbook-html" / "notes.html").write_text("<p>stray</p>", encoding="utf-8")
