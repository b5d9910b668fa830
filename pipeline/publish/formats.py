"""The formats ``netdocs publish --formats`` accepts: every writer of the one table
(:data:`pipeline.render.writers.FORMATS`: docx, html, epub, odt) plus ``pdf`` (made from the
.docx by LibreOffice)."""

from __future__ import annotations

from ..render.writers import FORMATS as WRITER_FORMATS

FORMATS: tuple[str, ...] = ("docx", "pdf", *(f for f in WRITER_FORMATS if f != "docx"))
"""Formats ``netdocs publish --formats`` accepts, in the order the help lists them."""
