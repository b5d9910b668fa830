"""Open a .docx someone hands netdocs (a template, a Word guide to import, a reviewed document)
within size limits, and say plainly what it is when it is not a .docx.

A .docx is a zip. :func:`read_docx` first looks at what the file is: a password-protected
Word document (or a Word 97-2003 .doc) is an OLE compound file, a PDF starts with ``%PDF``;
then it checks the sizes the zip's central directory declares (:class:`Limits`) and unpacks it
part by part, counting the bytes actually inflated, so a zip whose headers understate the
sizes is stopped too. What the caller opens is the copy made from those checked bytes (stored
uncompressed), never the file itself. Light: the standard library only.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import DocxError, NetdocsError

__all__ = ["DocxError", "Limits", "Reading", "main_part", "mb", "read_docx"]

_OFFICE_DOCUMENT = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)
_STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

_CHUNK = 1024**2
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The signature of an OLE compound file: a Word 97-2003 .doc, or an encrypted .docx."""


@dataclass(frozen=True)
class Limits:
    """How large a .docx may be."""

    file: int = 50 * 1024**2
    """Largest file (bytes on disk)."""
    unpacked: int = 100 * 1024**2
    """Largest total size of its parts once unpacked (bytes)."""
    part: int = 50 * 1024**2
    """Largest single part (document XML, header, image...) once unpacked (bytes)."""
    parts: int = 2000
    """Most parts it may hold."""


def mb(size: int) -> str:
    """``size`` bytes in megabytes, as messages print it (``52.4 MB``)."""
    return f"{size / 1024**2:,.1f} MB"


@dataclass(frozen=True)
class Reading:
    """How to read one kind of .docx: its limits, and how its errors are worded."""

    kind: str = "document"
    """What the file is to the user (``template``, ``document``), as messages name it."""
    limits: Limits = Limits()
    error: type[NetdocsError] = DocxError
    """The error raised (a template's is :class:`~pipeline.errors.TemplateError`)."""
    smaller: str = "images compressed (Word: File > Compress Pictures)"
    """The advice for a file over a limit."""
    require_document: bool = True
    """Refuse a zip without ``word/document.xml``."""

    def too_big(self, path: Path, what: str, size: int, limit: int) -> NetdocsError:
        return self.error(
            f"{path.name}: {what} unpacks to {mb(size)}, over the limit of {mb(limit)} "
            f"(a zip bomb, or a {self.kind} full of large images); save a smaller "
            f"{self.kind}, with {self.smaller}"
        )


def read_docx(path: Path, how: Reading = Reading()) -> bytes:
    """The .docx ``path`` as checked, uncompressed zip bytes; ``how.error`` if it is not a
    readable .docx (saying what it is instead) or goes over a limit."""
    try:
        size = path.stat().st_size
        if size > how.limits.file:
            raise how.error(
                f"{path.name}: the file is {mb(size)}, over the limit of {mb(how.limits.file)} "
                f"for a {how.kind}; save a smaller {how.kind}"
            )
        with path.open("rb") as fh:
            head = fh.read(8)
        _check_kind(path, head, how)
        with zipfile.ZipFile(path) as zf:
            members = [info for info in zf.infolist() if not info.is_dir()]
            _check_declared(path, members, how)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
                total = 0
                for info in members:
                    data = _read_member(path, zf, info, total, how)
                    total += len(data)
                    copy.writestr(info.filename, data)
            main = main_part(zf) if how.require_document else None
    except NetdocsError:
        raise
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise how.error(
            f"{path.name}: not a readable .docx {how.kind} ({exc}); open it in Word and save "
            "it again as a .docx"
        ) from exc
    if how.require_document and main is None:
        raise how.error(
            f"{path.name}: a zip file, but not a Word document (it has no main document part, "
            "word/document.xml); open it in Word or LibreOffice and save it as a .docx"
        )
    return out.getvalue()


def main_part(archive: zipfile.ZipFile) -> str | None:
    """The name of the main document part of a .docx (``word/document.xml``, or whatever
    ``_rels/.rels`` names as the office document: Word may call it ``word/document2.xml``),
    or ``None`` when it has none."""
    from xml.etree import ElementTree as ET

    names = set(archive.namelist())
    try:
        rels = ET.fromstring(archive.read("_rels/.rels"))
    except (KeyError, ET.ParseError):
        rels = None
    if rels is not None:
        for rel in rels:
            if rel.get("Type") in (_OFFICE_DOCUMENT, _STRICT_OFFICE_DOCUMENT):
                target = (rel.get("Target") or "").lstrip("/")
                if target in names:
                    return target
    return "word/document.xml" if "word/document.xml" in names else None


def _check_kind(path: Path, head: bytes, how: Reading) -> None:
    """Refuse, saying what it is, a file that is no zip at all."""
    if head.startswith(_OLE):
        raise how.error(
            f"{path.name}: a password-protected Word document, or an old Word 97-2003 .doc, "
            "which netdocs cannot read; remove the password (Word: File > Info > Protect "
            "Document) or save it as a .docx, then try again"
        )
    if head.startswith(b"%PDF"):
        raise how.error(f"{path.name}: a PDF, not a Word document; give the .docx it was made from")
    if not head.startswith(b"PK"):
        raise how.error(
            f"{path.name}: not a readable .docx {how.kind} (a .docx is a zip file; this one "
            "is not); open it in Word or LibreOffice and save it as a .docx"
        )


def _check_declared(path: Path, members: list[zipfile.ZipInfo], how: Reading) -> None:
    limits = how.limits
    if len(members) > limits.parts:
        raise how.error(
            f"{path.name}: the file holds {len(members):,} parts, over the limit of "
            f"{limits.parts:,} for a {how.kind}; save it again from Word"
        )
    for info in members:
        if info.file_size > limits.part:
            raise how.too_big(path, f"its part {info.filename}", info.file_size, limits.part)
    total = sum(info.file_size for info in members)
    if total > limits.unpacked:
        raise how.too_big(path, "the file", total, limits.unpacked)


def _read_member(
    path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, before: int, how: Reading
) -> bytes:
    """Part ``info``, inflated chunk by chunk, refused as soon as it (or the file, with the
    ``before`` bytes of the parts read so far) passes a limit."""
    limits = how.limits
    chunks: list[bytes] = []
    size = 0
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > limits.part:
                raise how.too_big(path, f"its part {info.filename}", size, limits.part)
            if before + size > limits.unpacked:
                raise how.too_big(path, "the file", before + size, limits.unpacked)
            chunks.append(chunk)
    return b"".join(chunks)
