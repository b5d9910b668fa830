"""The checks ``netdocs kb import`` makes on a Word file before pandoc reads it.

A file that is not a .docx (a PDF, a text file renamed), a password-protected one (Word
encrypts it into an OLE compound file), a corrupt one (a truncated zip) and one with a part
too large to read safely (a 200 MB picture) are each refused with a message naming the file
and the fix, before anything runs or is written. The core properties (title, modified and
created dates) are read here too, from ``docProps/core.xml``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from ..errors import NotFoundError, UsageError

MAX_PART_BYTES = 50 * 1024 * 1024
"""Largest part (a picture, the document's XML) a .docx may hold, uncompressed, as its zip
entry declares it: Word's own pictures are a few MB; a larger one is cut down in Word with
Picture Format > Compress Pictures."""
MAX_TOTAL_BYTES = 200 * 1024 * 1024
"""Largest total uncompressed size of a .docx's parts."""

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""First bytes of an OLE compound file: a password-protected .docx, or an old .doc."""
ZIP_MAGIC = b"PK\x03\x04"

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


def check_docx(path: Path) -> CoreProperties:
    """Refuse ``path`` unless it is a readable .docx of sensible size; its core properties."""
    if not path.is_file():
        raise NotFoundError(f"{path}: no such file: give the path of a Word document (.docx)")
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        raise UsageError(
            f"{path} is a password-protected Word document or an old Word 97-2003 .doc: "
            "open it in Word, remove the password (File > Info > Protect Document > Encrypt "
            "with Password, empty) or save it as .docx, then import that file"
        )
    if head.startswith(b"%PDF"):
        raise UsageError(
            f"{path} is a PDF, not a Word document: open the original .docx, or convert the "
            "PDF in Word (File > Open) and save it as .docx"
        )
    if not head.startswith(ZIP_MAGIC):
        raise UsageError(
            f"{path} is not a Word document (.docx): it does not start as one does; "
            "save it from Word or LibreOffice as 'Word Document (.docx)'"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise UsageError(
                    f"{path} is a zip file but not a Word document (no word/document.xml): "
                    "save it from Word or LibreOffice as 'Word Document (.docx)'"
                )
            _check_sizes(path, infos)
            core = archive.read("docProps/core.xml") if "docProps/core.xml" in names else b""
    except zipfile.BadZipFile as exc:
        raise UsageError(
            f"{path} is a corrupt Word document ({exc}): it may be truncated; copy it again "
            "from its source, or open it in Word (which offers to repair it) and save it again"
        ) from exc
    return _core_properties(core)


def _check_sizes(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_PART_BYTES:
            raise UsageError(
                f"{path}: its part {info.filename} is {_mb(info.file_size)} uncompressed, more "
                f"than the {_mb(MAX_PART_BYTES)} netdocs reads: make it smaller in Word "
                "(select the picture, Picture Format > Compress Pictures) and save again"
            )
    if total > MAX_TOTAL_BYTES:
        raise UsageError(
            f"{path} holds {_mb(total)} uncompressed, more than the {_mb(MAX_TOTAL_BYTES)} "
            "netdocs reads: compress its pictures in Word (Picture Format > Compress Pictures)"
        )


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


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
