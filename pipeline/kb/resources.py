"""Which files an article may pull into a document: the one check, used by lint and converters.

An article names images (``![alt](../images/map.png)``); every document format embeds them.
:func:`check_image` decides, for one image as written in one article, whether it is embedded
and from which file, or why it is refused. ``kb lint`` reports the refusals as errors; the
converters (pandoc for docx, HTML, EPUB and ODT) call the same function and embed only the
files it returned, so what lint accepts is exactly what a document may contain:

- a path is read the way the reader reads links: relative to the article's folder, or to the
  knowledge-base root when it starts with ``/`` (never from the file system's root);
- it must stay inside the knowledge base, also after following symlinks;
- it must be a regular file of an image type, by extension *and* by its first bytes;
- ``http(s):`` images are not fetched: documents show them as links; any other scheme
  (``file:``, ``data:``...) is refused.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
"""Image types documents embed: extension -> the bytes such a file starts with."""

IMAGE_KINDS = "PNG, JPEG or GIF"
"""The embeddable types, as messages name them."""

REMOTE_SCHEMES = ("http", "https")
"""Schemes of images shown as links (never fetched while building)."""

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


@dataclass(frozen=True)
class ImageCheck:
    """The verdict on one image as written in one article."""

    src: str
    """The image source as written."""
    path: Path | None = None
    """The vetted file to embed (symlinks resolved, inside the knowledge base)."""
    url: str | None = None
    """An ``http(s):`` image: shown as a link to ``url``, never fetched."""
    problem: str | None = None
    """Why the image is refused (a lint error; documents show the alt text instead)."""
    kb_path: str | None = None
    """KB-relative POSIX path the source names, when it names one."""


def split_target(src: str) -> tuple[str | None, str]:
    """``(scheme or None, path part)`` of an image or link target (query and anchor dropped)."""
    m = _SCHEME_RE.match(src)
    if m:
        return m.group(1).lower(), src
    if src.startswith("//"):
        return "https", src
    return None, unquote(src.split("#", 1)[0].split("?", 1)[0])


def kb_relative(target: str, folder: str) -> str:
    """The KB-relative path ``target`` names from ``folder`` (``/x`` is the KB root's ``x``);
    it starts with ``../`` (or is ``..``) when it climbs out of the knowledge base."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/") or ".")
    return posixpath.normpath(posixpath.join(folder, target))


def check_image(src: str, folder: str, root: Path) -> ImageCheck:
    """Vet image ``src`` written in an article of KB-relative ``folder`` of the KB at ``root``."""
    scheme, target = split_target(src.strip())
    if scheme in REMOTE_SCHEMES:
        return ImageCheck(src, url=src)
    if scheme is not None:
        hint = (
            "copy the file into the KB (e.g. images/) and link it relatively"
            if scheme == "file"
            else f"only files inside the KB and {'/'.join(REMOTE_SCHEMES)} links are allowed"
        )
        return ImageCheck(src, problem=f"image '{src}': {scheme}: URLs are not embedded; {hint}")
    if not target:
        return ImageCheck(src, problem=f"image '{src}' names no file")
    rel = kb_relative(target, folder)
    if rel == ".." or rel.startswith("../"):
        return ImageCheck(
            src,
            problem=f"image '{src}' points outside the knowledge base: "
            "copy it into the KB (e.g. images/) and link it from there",
        )
    problem, path = check_file(root, rel, f"image '{src}'")
    if problem is not None:
        return ImageCheck(src, problem=problem, kb_path=rel)
    assert path is not None
    ext = path.suffix.lower()
    if Path(rel).suffix.lower() not in IMAGE_SIGNATURES or ext not in IMAGE_SIGNATURES:
        return ImageCheck(
            src,
            problem=f"image '{src}' is not a {IMAGE_KINDS} file (by its name): "
            "only images are embedded in documents",
            kb_path=rel,
        )
    if not _starts_with(path, IMAGE_SIGNATURES[ext]):
        return ImageCheck(
            src,
            problem=f"image '{src}' is named {ext} but its content is not a {ext[1:].upper()} "
            "image: only images are embedded in documents; save it again as an image",
            kb_path=rel,
        )
    return ImageCheck(src, path=path, kb_path=rel)


def check_file(root: Path, rel: str, what: str) -> tuple[str | None, Path | None]:
    """``(problem, None)`` or ``(None, real path)`` for KB-relative file ``rel``: it must exist,
    be a regular file, and stay inside ``root`` once symlinks are followed."""
    base = real_root(root)
    candidate = Path(root) / rel
    if "\x00" in rel:
        return f"{what} is not a valid file name (it holds a NUL character)", None
    try:
        real = Path(os.path.realpath(candidate, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"{what} is a symlink loop ({rel}): point the link at a real file", None
        hint = (
            ": a path starting with '/' starts at the KB's folder"
            if what.startswith("image '/")
            else ""
        )
        return f"{what} does not exist (looked for {rel}{hint})", None
    if not inside(real, base):
        return (
            f"{what} is a symlink to {real}, outside the knowledge base: "
            "copy the file into the KB instead of linking it",
            None,
        )
    if not real.is_file():
        return f"{what} is not a file ({rel})", None
    return None, real


def real_root(root: Path) -> Path:
    """The knowledge-base folder with its symlinks resolved (what 'inside' is measured from)."""
    return Path(os.path.realpath(root))


def inside(path: Path, base: Path) -> bool:
    """Whether real path ``path`` is ``base`` or below it."""
    return path == base or base in path.parents


def _starts_with(path: Path, signatures: tuple[bytes, ...]) -> bool:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return False
    return head.startswith(signatures)
