"""Where an index lives on disk: complete generations behind one atomically replaced pointer.

::

    <cache>/index/<key>/
        CURRENT        the name of the generation searches read; replaced in one rename
        writer.lock    held (flock) by the one process making a new generation
        g-XXXXXXXX/    one complete Whoosh index and its manifest.json each

A writer builds a new generation beside the current one (a fresh index, or hard links to the
current one's files plus an incremental commit: Whoosh never rewrites a file it wrote), then
points ``CURRENT`` at it. A generation is never changed once ``CURRENT`` has named it, so a
search always opens a complete index; the previous generation is kept until the next swap, so
a search that read the pointer just before a swap still finds its files (and one that loses
that race reads the pointer again). Writers take turns through the lock, which the system
releases when its holder dies.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..fs import atomic_write_text, remove_tree

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: writers are not serialised
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

POINTER = "CURRENT"
"""File naming the current generation."""
LOCK = "writer.lock"
"""File whose lock the writing process holds."""
PREFIX = "g-"
"""Prefix of generation folders."""


def current(container: Path) -> Path | None:
    """The current generation's folder, or None when there is none (or the cache is unusable)."""
    try:
        name = (container / POINTER).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):  # none yet, or the cache is not a readable folder
        return None
    if not name.startswith(PREFIX) or "/" in name or "\\" in name or name in (".", ".."):
        return None
    folder = container / name
    return folder if folder.is_dir() else None


def new_generation(container: Path) -> Path:
    """A fresh, empty folder for the next generation (raises OSError if the cache is unwritable)."""
    return Path(tempfile.mkdtemp(dir=container, prefix=PREFIX))


def clone(source: Path, target: Path) -> None:
    """Fill ``target`` with ``source``'s files: hard links where possible, else copies."""
    for entry in os.scandir(source):
        if not entry.is_file(follow_symlinks=False) or entry.name.endswith("LOCK"):
            continue
        dest = target / entry.name
        try:
            os.link(entry.path, dest)
        except OSError:
            shutil.copy2(entry.path, dest)


def publish(container: Path, generation: Path) -> None:
    """Point ``CURRENT`` at ``generation``, in one rename (:func:`pipeline.fs.atomic_write`)."""
    atomic_write_text(container / POINTER, generation.name + "\n")


def discard(folder: Path | str) -> None:
    """Remove a generation or staging folder, best effort: one left behind (the file system
    refused) is removed by a later :func:`prune`."""
    try:
        remove_tree(Path(folder))
    except OSError as exc:
        log.debug("%s not removed yet: %s", folder, exc)


def prune(container: Path, keep: set[str]) -> None:
    """Remove generations not in ``keep``, and files of the older one-folder layout.

    Called by the lock holder only, so no generation in the making is removed.
    """
    for entry in os.scandir(container):
        if entry.name in keep or entry.name in (POINTER, LOCK):
            continue
        if entry.is_dir(follow_symlinks=False):
            if entry.name.startswith(PREFIX):
                discard(entry.path)
        elif not _is_pointer_temp(entry.name) or _older_than(entry.path, 60):
            Path(entry.path).unlink(missing_ok=True)
    # staging folders of the older layout, beside the container
    for old in container.parent.glob(f".{container.name}-*"):
        discard(old)


def _is_pointer_temp(name: str) -> bool:
    """A pointer being written by another process (or an older netdocs's ``.current-`` file)."""
    return name.startswith((f".{POINTER}.", ".current-"))


def _older_than(path: str, seconds: float) -> bool:
    try:
        return time.time() - os.stat(path).st_mtime > seconds
    except OSError:
        return False


@contextmanager
def writer_lock(container: Path, wait: float) -> Iterator[bool]:
    """Hold the writers' lock of ``container`` (created if needed) for the ``with`` block.

    Yields False when another process still holds it after ``wait`` seconds. Raises OSError
    when the cache cannot be written (read-only, or a file where a folder should be).
    """
    container.mkdir(parents=True, exist_ok=True)
    fd = os.open(container / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            if fcntl is None:
                break
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
            if time.monotonic() >= deadline:
                yield False
                return
            time.sleep(0.05)
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def blocked_by(path: Path) -> str:
    """Why ``path`` cannot be made into a folder: names an ancestor that is a file, if any."""
    for folder in (path, *path.parents):
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                return f"{folder} is a file, not a folder"
            return ""
    return ""
