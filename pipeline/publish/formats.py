"""The handbook in other formats, through pandoc: an HTML site, EPUB and ODT."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import RenderError

FORMATS = ("docx", "pdf", "html", "epub", "odt")
"""Formats ``netdocs publish --formats`` accepts (html, epub, odt: the handbook only)."""


def _pandoc() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def _run(args: list[str], what: str) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1767225600"))
    result = subprocess.run(
        [_pandoc(), *args], capture_output=True, text=True, env=env, timeout=600, check=False
    )
    if result.returncode != 0:
        raise RenderError(f"pandoc could not make {what}: {result.stderr.strip()[-800:]}")


MD_FORMAT = "commonmark_x-smart-tex_math_dollars-emoji-subscript-superscript"


def _convert(markdown: Path, to: str, target: Path, title: str, what: str, *extra: str) -> None:
    _run(
        [
            "-f",
            MD_FORMAT,
            str(markdown),
            "-t",
            to,
            "--toc",
            "--toc-depth=2",
            "--metadata",
            f"title={title}",
            *extra,
            "-o",
            str(target),
        ],
        what,
    )


def html_site(markdown: Path, folder: Path, title: str) -> Path:
    """A multi-page HTML site: index.html with the contents, one page per part and section,
    images copied in, internal links across pages working."""
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        built = Path(tmp) / "site"
        _convert(markdown, "chunkedhtml", built, title, "the HTML site", "--split-level=2")
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(built, folder)
    return folder / "index.html"


def epub(markdown: Path, target: Path, title: str) -> Path:
    _convert(markdown, "epub3", target, title, "the EPUB", "--split-level=2")
    return target


def odt(markdown: Path, target: Path, title: str) -> Path:
    _convert(markdown, "odt", target, title, "the ODT")
    return target
