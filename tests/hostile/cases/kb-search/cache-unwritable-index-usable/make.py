"""Build the index, then make its cache unwritable in a way root meets too, then edit the KB."""

from __future__ import annotations

from pathlib import Path

from pipeline.search import generations
from pipeline.search.index import index_dir, refresh


def make(root: Path) -> None:
    cache, kb = root / ".netdocs", root / "kb"
    refresh(cache, kb)
    lock = index_dir(cache, kb) / generations.LOCK
    lock.unlink()
    lock.mkdir()
    (kb / "pages" / "new.md").write_text(
        "---\nid: new\ntitle: New\ntype: page\nsummary: New.\n---\n# New\n\nQuokkas.\n",
        encoding="utf-8",
    )
