"""Makers of hostile templates for the cases of this folder (each case's ``make.py`` calls one).

The hostile template replaces ``templates/strategy.docx`` of the sample project, so that
``templates check``, ``build strategy`` and ``publish`` all meet it.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx

STRATEGY = Path("templates") / "strategy.docx"
_MB = 1024**2

NESTED_CONTEXT_LOOPS = (
    "{% for i in range(99) %}{% for a in network_name %}{% for b in network_name %}"
    "{% for c in network_name %}{% for d in network_name %}{{ a }}{% endfor %}"
    "{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
)
"""Five nested loops over the context (the network's name): too much work for one render,
which build and publish must stop alike."""


def add_paragraphs(root: Path, *texts: str) -> None:
    """Append one paragraph per text (Jinja tags included) to the project's strategy.docx."""
    path = root / STRATEGY
    document = docx.Document(str(path))
    for text in texts:
        document.add_paragraph(text)
    document.save(str(path))


def zip_bomb(root: Path, megabytes: int = 1536, *, declare: int | None = None) -> None:
    """Pad strategy.docx's word/document.xml with ``megabytes`` MB of spaces (after the XML
    declaration, where XML allows them): a file of about 1.5 MB that unpacks to 1.5 GB.

    With ``declare``, the zip's headers then claim the part unpacks to ``declare`` bytes.
    """
    path = root / STRATEGY
    original = path.with_suffix(".orig")
    shutil.move(path, original)
    packed = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
    with zipfile.ZipFile(original) as src, packed as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "word/document.xml":
                dst.writestr(info.filename, data)
                continue
            head, _, rest = data.partition(b"?>")
            with dst.open(info.filename, "w") as out:
                out._compressor = _Repeating()  # type: ignore[attr-defined]
                out.write(head + b"?>")
                chunk = b" " * _MB
                for _ in range(megabytes):
                    out.write(chunk)
                out.write(rest)
    original.unlink()
    if declare is not None:
        _declare_size(path, "word/document.xml", declare)


class _Repeating:
    """A deflate compressor that compresses each repeated chunk once: after a full flush the
    compressor's state is reset, so the same chunk always compresses to the same bytes (this
    makes a 1.5 GB part in a second instead of half a minute)."""

    def __init__(self) -> None:
        self._zlib = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._known: dict[bytes, bytes] = {}

    def compress(self, data: bytes) -> bytes:
        if data in self._known:
            return self._known[data]
        packed = self._zlib.compress(data) + self._zlib.flush(zlib.Z_FULL_FLUSH)
        if len(data) >= _MB:
            self._known[data] = packed
        return packed

    def flush(self) -> bytes:
        return self._zlib.flush()


def _declare_size(path: Path, name: str, size: int) -> None:
    """Overwrite the uncompressed size of ``name`` in its local and central headers."""
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    with zipfile.ZipFile(path) as zf:
        offset = zf.getinfo(name).header_offset
    assert data[offset : offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, offset + 22, size)
    position = 0
    while (position := data.find(b"PK\x01\x02", position + 1)) != -1:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == encoded:
            struct.pack_into("<I", data, position + 24, size)
            break
    path.write_bytes(bytes(data))


def add_to_header(root: Path, text: str) -> None:
    """Append a paragraph (Jinja tags included) to the header of strategy.docx's first section."""
    path = root / STRATEGY
    document = docx.Document(str(path))
    document.sections[0].header.add_paragraph(text)
    document.save(str(path))
