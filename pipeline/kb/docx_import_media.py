"""The pictures of an imported .docx: where each goes in the knowledge base (``kb import``)."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from .docx_import_ast import Cleaned
from .resources import IMAGE_SIGNATURES


@dataclass
class ImportedImage:
    """One picture the import writes."""

    path: str
    """Knowledge-base relative path (``images/guide/image1.png``)."""
    member: str
    """Its part in the .docx (``word/media/image1.png``)."""
    size: int
    data: bytes = field(repr=False, default=b"")


def pictures(
    data: bytes, found: Cleaned, kept: list[int], doc_slug: str, warnings: list[str]
) -> tuple[dict[str, tuple[str, bool]], list[ImportedImage]]:
    """pandoc's media path -> (KB path, embeddable) of each picture the articles show, and
    the pictures to write (their bytes from ``data``, the checked .docx)."""
    out: dict[str, tuple[str, bool]] = {}
    images: list[ImportedImage] = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = {i.filename: i for i in archive.infolist()}
        for segment, src in found.images:
            if src in out or segment not in kept or re.match(r"^https?://", src):
                continue
            member = "word/" + src if not src.startswith("word/") else src
            info = names.get(member)
            if info is None:
                warnings.append(
                    f"the picture '{src}' is linked from outside the document, not inside it: "
                    "left out (insert the picture itself in Word and import again)"
                )
                continue
            name = posixpath.basename(member)
            path = f"images/{doc_slug}/{name}"
            ext = posixpath.splitext(name)[1].lower()
            with archive.open(info) as fh:
                head = fh.read(8)
            embeddable = ext in IMAGE_SIGNATURES and head.startswith(IMAGE_SIGNATURES[ext])
            if not embeddable:
                warnings.append(
                    f"the picture {name} is not a PNG, JPEG or GIF file, which documents "
                    f"embed: saved as {path} and linked; convert it to PNG and show it with "
                    "![description](...)"
                )
            out[src] = (path, embeddable)
            images.append(ImportedImage(path, member, info.file_size, archive.read(info)))
    return out, images


def undescribed(
    found: Cleaned,
    media: dict[str, tuple[str, bool]],
    article_of: dict[int, tuple[str, str]],
) -> str | None:
    """The warning naming each picture with no description (alt text) and the article showing
    it, or None when every picture has one."""
    named = []
    for segment, src in found.no_alt:
        if segment in article_of and src in media:
            where = f"{media[src][0]} in {article_of[segment][1]}"
            if where not in named:
                named.append(where)
    if not named:
        return None
    return (
        f"{len(named)} picture(s) have no description (alt text): {'; '.join(named)}; "
        "describe each in its ![...] for readers who cannot see it (or in Word: right-click "
        "the picture > View Alt Text, and import again)"
    )
