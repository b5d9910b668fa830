"""Open a .docx template within size limits, so that a zip bomb is refused, never unpacked.

A .docx is a zip. Before python-docx sees a template, :func:`read_template` checks the sizes
its central directory declares (:data:`MAX_UNPACKED`, :data:`MAX_PART`, :data:`MAX_PARTS`),
then unpacks it part by part, counting the bytes actually inflated, so a zip whose headers
understate the sizes is stopped too. What python-docx opens is the copy made from those
checked bytes (stored uncompressed), never the file itself.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docxtpl import DocxTemplate

from ..errors import TemplateError

MAX_FILE = 50 * 1024**2
"""Largest template file (bytes on disk)."""
MAX_UNPACKED = 100 * 1024**2
"""Largest total size of a template's parts once unpacked (bytes)."""
MAX_PART = 50 * 1024**2
"""Largest single part (document XML, header, image...) once unpacked (bytes)."""
MAX_PARTS = 2000
"""Most parts a template may hold."""
_CHUNK = 1024**2


def _mb(size: int) -> str:
    return f"{size / 1024**2:,.1f} MB"


def _too_big(path: Path, what: str, size: int, limit: int) -> TemplateError:
    return TemplateError(
        f"{path.name}: {what} unpacks to {_mb(size)}, over the limit of {_mb(limit)} "
        "(a zip bomb, or a template full of large images); save a smaller template, with "
        "images compressed (Word: File > Compress Pictures)"
    )


def read_template(path: Path) -> bytes:
    """The .docx ``path`` as checked, uncompressed zip bytes; :class:`TemplateError` if it is
    not a readable .docx or goes over a size limit."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE:
            raise TemplateError(
                f"{path.name}: the file is {_mb(size)}, over the limit of {_mb(MAX_FILE)} "
                "for a template; save a smaller template"
            )
        with zipfile.ZipFile(path) as zf:
            members = [info for info in zf.infolist() if not info.is_dir()]
            _check_declared(path, members)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
                total = 0
                for info in members:
                    data = _read_member(path, zf, info, total)
                    total += len(data)
                    copy.writestr(info.filename, data)
    except TemplateError:
        raise
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise TemplateError(
            f"{path.name}: not a readable .docx template ({exc}); open it in Word and save it "
            "again as a .docx"
        ) from exc
    return out.getvalue()


def _check_declared(path: Path, members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_PARTS:
        raise TemplateError(
            f"{path.name}: the file holds {len(members):,} parts, over the limit of "
            f"{MAX_PARTS:,} for a template; save it again from Word"
        )
    for info in members:
        if info.file_size > MAX_PART:
            raise _too_big(path, f"its part {info.filename}", info.file_size, MAX_PART)
    total = sum(info.file_size for info in members)
    if total > MAX_UNPACKED:
        raise _too_big(path, "the file", total, MAX_UNPACKED)


def _read_member(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, before: int) -> bytes:
    """Part ``info``, inflated chunk by chunk, refused as soon as it (or the file, with the
    ``before`` bytes of the parts read so far) passes a limit."""
    chunks: list[bytes] = []
    size = 0
    with zf.open(info) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > MAX_PART:
                raise _too_big(path, f"its part {info.filename}", size, MAX_PART)
            if before + size > MAX_UNPACKED:
                raise _too_big(path, "the file", before + size, MAX_UNPACKED)
            chunks.append(chunk)
    return b"".join(chunks)


def open_template(path: Path) -> DocxTemplate:
    """A :class:`DocxTemplate` of ``path`` opened from its checked bytes."""
    return DocxTemplate(io.BytesIO(read_template(path)))
