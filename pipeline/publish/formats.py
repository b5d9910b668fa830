"""The formats ``netdocs publish`` makes, and (transitional) the handbook's other formats from
the file :func:`.markdown.write_markdown` wrote.

The writers themselves are :mod:`pipeline.render.writers` (one table for every format); the
functions here keep their signatures for the publish stage that still calls them and go when
it calls :func:`pipeline.render.writers.render_formats`.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from ..render.media import Vetting
from ..render.model import Model
from ..render.writers import FORMATS as WRITER_FORMATS
from ..render.writers import WRITERS, sanitise, write_html

log = logging.getLogger(__name__)

FORMATS = ("docx", "pdf", *(f for f in WRITER_FORMATS if f != "docx"))
"""Formats ``netdocs publish --formats`` accepts."""


def _model(markdown: Path) -> Model:
    record = json.loads(markdown.read_text(encoding="utf-8"))
    return Model(record["doc"], dict(record["media"]), list(record["warnings"]))


def safe_document(markdown: Path, what: str) -> tuple[dict[str, Any], Vetting]:
    """The model written to ``markdown`` as the writers see it: sanitised, only the vetted
    media in its metadata."""
    model = _model(markdown)
    for warning in model.warnings:
        log.warning("%s: %s", what, warning)
    doc = {**model.doc, "blocks": sanitise(model.doc["blocks"])}
    return doc, Vetting(dict(model.media), list(model.warnings))


def _write(fmt: str, markdown: Path, target: Path, title: str) -> Path:
    write = WRITERS[fmt].write
    assert write is not None
    for warning in write(_model(markdown), target, title):
        log.warning("the %s: %s", WRITERS[fmt].label, warning)
    return target


def html_site(markdown: Path, folder: Path, title: str) -> Path:
    """A multi-page HTML site in ``folder``: index.html with the contents, one page per part
    and section, images copied under ``media/`` and linked relatively."""
    index = folder / "index.html"
    for warning in write_html(_model(markdown), index, title):
        log.warning("the HTML site: %s", warning)
    return index


def epub(markdown: Path, target: Path, title: str) -> Path:
    return _write("epub", markdown, target, title)


def odt(markdown: Path, target: Path, title: str) -> Path:
    return _write("odt", markdown, target, title)
