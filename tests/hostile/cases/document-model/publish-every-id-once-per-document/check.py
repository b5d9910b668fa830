"""Every id of every document's site (all its pages) and EPUB (all its chapters) is defined
once: not repeated by another block, nor copied with a heading's text into the contents or
the pages' next/previous links. pandoc's footnote ids are per page (linked on their page)."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

_ID = re.compile(rb'\sid="([^"]+)"')
_PAGE_IDS = {"sitenav", "TOC", "title-block-header", "toc-title"}
"""pandoc's page template: once on each page of a site."""
_NOTES = re.compile(r"fn\d+|fnref\d+|footnotes")


def _repeated(name: str, texts: list[bytes]) -> None:
    pages = [[i.decode() for i in _ID.findall(t)] for t in texts]
    for page in pages:
        twice = sorted(i for i, n in Counter(page).items() if n > 1)
        assert not twice, f"{name}: ids defined twice on one page: {twice}"
    counts = Counter(i for page in pages for i in page
                     if i not in _PAGE_IDS and not _NOTES.fullmatch(i))  # fmt: skip
    twice = sorted(i for i, n in counts.items() if n > 1)
    assert not twice, f"{name}: ids defined twice: {twice}"


def check(root: Path, result: Any) -> None:
    edition = root / "outputs" / "2026-annual-meeting"
    sites = sorted(p.parent for p in edition.rglob("index.html") if p.parent.name.endswith("-html"))
    assert len(sites) > 1, "not every document made its HTML site"
    for site in sites:
        _repeated(site.name, [p.read_bytes() for p in sorted(site.glob("*.html"))])
    epubs = sorted(edition.rglob("*.epub"))
    assert len(epubs) > 1, "not every document made its EPUB"
    for epub in epubs:
        with zipfile.ZipFile(epub) as zf:
            names = [n for n in zf.namelist() if n.endswith(".xhtml") and "nav" not in n]
            _repeated(epub.name, [zf.read(n) for n in names])
