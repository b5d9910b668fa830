"""The Word file ``netdocs kb import`` reads, checked before pandoc sees it.

A file that is not a .docx (a PDF, a text file renamed), a password-protected one (Word
encrypts it into an OLE compound file), a corrupt one (a truncated zip) and one with a part
too large to read safely (a 200 MB picture) are each refused by
:func:`pipeline.docx_file.read_docx`, with a message naming the file and the fix, before
anything runs or is written; pandoc and the picture extraction read the checked copy it
returns. The core properties (title, modified and created dates) are read here, from
``docProps/core.xml``.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from ..docx_file import Reading, read_docx
from ..errors import NotFoundError

READING = Reading(kind="Word guide")
"""How a guide to import is read: the limits of :class:`pipeline.docx_file.Limits`."""

_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"


@dataclass(frozen=True)
class CoreProperties:
    """What ``docProps/core.xml`` says about a document."""

    title: str
    """The document's title (File > Properties), ``""`` when unset."""
    modified: date | None
    """The day it was last saved, when recorded."""
    created: date | None
    """The day it was created, when recorded."""


def read_source(path: Path) -> tuple[bytes, CoreProperties]:
    """The checked bytes of the Word guide ``path`` (:func:`pipeline.docx_file.read_docx`:
    refused, saying what it is, unless a readable .docx within the size limits) and its core
    properties."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file: give the path of a Word document (.docx)")
    data = read_docx(path, READING)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        core = archive.read("docProps/core.xml") if "docProps/core.xml" in names else b""
    return data, _core_properties(core)


def _core_properties(xml: bytes) -> CoreProperties:
    if not xml:
        return CoreProperties("", None, None)
    try:
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return CoreProperties("", None, None)

    def text(ns: str, tag: str) -> str:
        node = root.find(f"{{{ns}}}{tag}")
        return (node.text or "").strip() if node is not None else ""

    return CoreProperties(
        title=" ".join(text(_DC, "title").split()),
        modified=_day(text(_DCTERMS, "modified")),
        created=_day(text(_DCTERMS, "created")),
    )


def _day(value: str) -> date | None:
    """The day of a W3CDTF timestamp (``2016-06-23T13:59:00Z``); None when unreadable."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
