"""Two other versions' folders in the project's cache: one used today, one abandoned 40 days ago."""

from __future__ import annotations

import os
import time
from pathlib import Path


def make(root: Path) -> None:
    cache = root / ".netdocs"  # the project's cache folder (netdocs.toml: cache)
    old = time.time() - 40 * 24 * 3600
    for name in ("articles-otherversion", "articles-abandoned"):
        (cache / name / "ab").mkdir(parents=True)
        (cache / name / "ab" / "entry.json").write_text('{"blocks": []}', encoding="utf-8")
    for path in (cache / "articles-abandoned", cache / "articles-abandoned" / "ab"):
        os.utime(path, (old, old))
