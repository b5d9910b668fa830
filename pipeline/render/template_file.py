"""Open a .docx template within size limits, so that a zip bomb is refused, never unpacked.

Before python-docx sees a template, :func:`read_template` checks it with
:func:`pipeline.docx_file.read_docx` under the template limits below (:data:`MAX_UNPACKED`,
:data:`MAX_PART`, :data:`MAX_PARTS`, :data:`MAX_FILE`): the sizes its central directory
declares, then the bytes actually inflated, part by part, so a zip whose headers understate the
sizes is stopped too. What python-docx opens is the copy made from those checked bytes (stored
uncompressed), never the file itself.
"""

from __future__ import annotations

import io
from pathlib import Path

from docxtpl import DocxTemplate

from ..docx_file import Limits, Reading, read_docx
from ..errors import TemplateError

MAX_FILE = 50 * 1024**2
"""Largest template file (bytes on disk)."""
MAX_UNPACKED = 100 * 1024**2
"""Largest total size of a template's parts once unpacked (bytes)."""
MAX_PART = 50 * 1024**2
"""Largest single part (document XML, header, image...) once unpacked (bytes)."""
MAX_PARTS = 2000
"""Most parts a template may hold."""


def read_template(path: Path) -> bytes:
    """The .docx ``path`` as checked, uncompressed zip bytes; :class:`TemplateError` if it is
    not a readable .docx or goes over a size limit."""
    limits = Limits(file=MAX_FILE, unpacked=MAX_UNPACKED, part=MAX_PART, parts=MAX_PARTS)
    how = Reading("template", limits, TemplateError, require_document=False)
    return read_docx(path, how)


def open_template(path: Path) -> DocxTemplate:
    """A :class:`DocxTemplate` of ``path`` opened from its checked bytes."""
    return DocxTemplate(io.BytesIO(read_template(path)))
