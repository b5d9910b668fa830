"""Transitional: a document's model in a file, for :mod:`.formats`' ``html_site``/``epub``/``odt``.

The Markdown rewriting that lived here (regular expressions over the articles) is gone: the
HTML, EPUB and ODT are made from the one document model (:mod:`pipeline.render.model`), like
the .docx. :func:`write_markdown` keeps its signature for the publish stage that still calls
it; it writes the model as JSON (not Markdown) for :mod:`.formats` to read back. New code calls
:func:`pipeline.render.writers.render_formats`; this module goes when nothing calls it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import fs
from ..render.catalog import Part
from ..render.model import ArticleCache, web_model
from ..render.values import clean_context


def write_markdown(
    context: Mapping[str, Any],
    parts: Sequence[Part],
    title: str,
    target: Path,
    *,
    cache: Path | None = None,
) -> Path:
    """Write the document model of ``context`` (its ``parts`` in order) to ``target``; its
    charts are written beside it, so ``target``'s folder must live as long as the file."""
    clean, _problems = clean_context(context)
    model = web_model(clean, parts, cache=ArticleCache(cache), media_folder=target.parent)
    fs.write_json(
        target,
        {"title": title, "doc": model.doc, "media": model.media, "warnings": model.warnings},
        indent=None,
    )
    return target
