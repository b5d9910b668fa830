"""Every output of the publish: the project's path nowhere, the tricky article's structure
in the HTML site (heading shifted with its id, reference link resolved, image copied in)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any


def _blobs(edition: Path) -> dict[str, bytes]:
    """Every file the documents' writers made (the .docx, the site, EPUB, ODT), unzipped."""
    out: dict[str, bytes] = {}
    for path in edition.rglob("*"):
        mine = path.suffix in (".docx", ".epub", ".odt") or "handbook-html" in path.parts
        if not path.is_file() or not mine:
            continue
        data = path.read_bytes()
        out[str(path)] = data
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    out[f"{path}:{name}"] = zf.read(name)
    return out


def check(root: Path, result: Any) -> None:
    edition = root / "outputs" / "2026-annual-meeting"
    for name, blob in _blobs(edition).items():
        assert str(root).encode() not in blob, f"{name} names the project's path"
    site = edition / "handbook-html"
    pages = [" ".join(p.read_text(encoding="utf-8").split()) for p in site.glob("*.html")]
    pattern = re.compile(
        r"<h(\d)[^>]*id=\"([^\"]+)\"[^>]*>\s*(<span[^>]*></span>)?\s*"
        r"Setext heading of the tricky article"
    )
    page = next((t for t in pages if pattern.search(t)), "")
    heading = pattern.search(page)
    assert heading is not None and int(heading.group(1)) >= 2, "setext heading not shifted"
    assert '<a href="https://vetnon.example.org/">reference link</a>' in page
    assert "[reference link][site]" not in page
    srcs = re.findall(r'<img src="([^"]+)"', page)
    assert srcs, "the image is missing"
    for src in srcs:
        assert not src.startswith("/") and (site / src).is_file(), src
    with zipfile.ZipFile(edition / "handbook.epub") as zf:
        text = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xhtml"))
    assert b"The footnote of the tricky article." in text and b"[site]" not in text
