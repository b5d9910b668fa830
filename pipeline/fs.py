"""File-system rules, written once: atomic writes (with fsync), folder swaps, hashing.

Every file netdocs writes goes through :func:`atomic_write` (or :func:`atomic_write_text`,
:func:`write_json`): the bytes go to a temporary file in the same folder, are flushed and
fsynced, and the temporary file is renamed over the target, so a reader sees the old file or
the new one, never half of one, and a crash cannot leave a truncated file behind. A file that
another library or tool writes by name (a workbook, LibreOffice's PDF) goes to
:func:`new_temp` and then :func:`move_into_place`, under the same rules; :func:`create_new`
writes a file that must not replace one; :func:`link_or_copy` puts a file at a second path
(a hard link, else a copy). A folder is replaced whole with
:func:`replace_folder` and deleted with :func:`remove_tree`. :func:`sha256_bytes`,
:func:`sha256_text`, :func:`sha256_file` and :func:`sha256_json` are the one way a hash of
content is made.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_text(text: str) -> str:
    """Hex sha256 of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def sha256_json(data: Any) -> str:
    """Hex sha256 of ``data`` as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256_text(text)


def _file_mode(path: Path) -> int:
    """The existing file's mode, else the usual mode for a new file (0666 minus umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (ignored where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def new_temp(path: Path) -> Path:
    """A new, empty temporary file beside ``path`` (same folder, so a rename is atomic), with
    the mode ``path`` has or a new file would get. The caller fills it, then calls
    :func:`move_into_place` (or removes it)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _file_mode(path))  # mkstemp makes it private
    except BaseException:
        os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    os.close(fd)
    return Path(tmp)


def move_into_place(temp: Path, path: Path) -> None:
    """Rename the complete file ``temp`` (written by netdocs or a tool it ran, in ``path``'s
    folder) over ``path``, durably: the file is fsynced first, the folder after."""
    with Path(temp).open("rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(temp, path)
    fsync_folder(Path(path).parent)


def _write_synced(path: Path, data: bytes, mode: str = "wb") -> None:
    """Write ``data`` to ``path`` (opened with ``mode``), flushed and fsynced."""
    with open(path, mode) as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: temporary file in the same folder, fsync, rename.

    The parent folder is created when missing; the file keeps its mode when it existed. On any
    failure (a full disk, Ctrl-C) the temporary file is removed and ``path`` is unchanged."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = new_temp(path)
    try:
        _write_synced(tmp, data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def link_or_copy(source: Path, target: Path) -> None:
    """Put the file ``source`` at ``target`` as a hard link (same bytes, no copy), or, where
    links cannot be made (another file system, a FAT drive), as a copy written under the rules
    of :func:`atomic_write` (temporary file, fsync, rename). The parent folder is created
    when missing; an existing ``target`` is replaced."""
    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_symlink() or target.exists():
        target.unlink()
    try:
        os.link(source, target)
        return
    except OSError:
        if not source.is_file():
            raise
    # no link here (another file system, one without links): a copy
    tmp = new_temp(target)
    try:
        shutil.copy2(source, tmp)
        move_into_place(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def create_new(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file ``path``, completely or not at all, never replacing a file:
    raises FileExistsError when ``path`` exists (even one that appeared a moment ago)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = new_temp(path)
    try:
        _write_synced(tmp, data)
        try:
            os.link(tmp, path)  # unlike a rename, fails when the name is taken
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: an exclusive create instead
            _create_exclusive(path, data)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_folder(path.parent)


def _create_exclusive(path: Path, data: bytes) -> None:
    """Create ``path`` (FileExistsError when taken) with ``data``; removed again if writing
    fails, so no half file is left."""
    try:
        _write_synced(path, data, "xb")
    except FileExistsError:
        raise  # someone else's file: left alone
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write` of ``text`` encoded as UTF-8."""
    atomic_write(path, text.encode("utf-8"))


def write_json(path: Path, data: Any, *, indent: int | None = 2) -> None:
    """Write ``data`` as JSON (UTF-8, keys in the given order, final newline) atomically."""
    text = json.dumps(data, indent=indent, ensure_ascii=False, default=str)
    atomic_write_text(path, text + "\n")


def remove_tree(folder: Path) -> None:
    """Delete a folder netdocs made, read-only parts included; a link is never followed.

    Raises OSError when the file system still refuses."""

    def writable_and_retry(func, path, _exc):  # type: ignore[no-untyped-def]
        parent = os.path.dirname(path)
        os.chmod(parent, os.stat(parent).st_mode | stat.S_IWUSR | stat.S_IXUSR)
        if os.path.isdir(path) and not os.path.islink(path):
            os.chmod(path, os.stat(path).st_mode | stat.S_IWUSR | stat.S_IXUSR | stat.S_IRUSR)
            if func in (os.open, os.scandir):  # could not list it: now it can, start over
                _rmtree(path, writable_and_retry)  # read-only folders inside it too
                return
        func(path)

    folder = Path(folder)
    if folder.is_symlink() or not folder.exists():
        return
    _rmtree(str(folder), writable_and_retry)


def _rmtree(path: str, handler: Any) -> None:
    """shutil.rmtree with ``handler`` for each failure (``onexc`` from Python 3.12 on)."""
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=handler)
    else:
        shutil.rmtree(path, onerror=handler)


def replace_folder(built: Path, target: Path, *, keep_old: bool = False) -> Path | None:
    """Put the complete folder ``built`` in place of ``target`` (which may not exist).

    ``built`` must be on the same file system (make it beside ``target``). The old folder is
    moved aside (to ``.<name>.old-<pid>``) first and removed only once the new one is in place,
    so a failure leaves the old one as it was. With ``keep_old`` the old folder is left aside and
    returned for the caller to remove; the result is otherwise None."""
    built, target = Path(built), Path(target)
    if not target.exists() and not target.is_symlink():
        os.rename(built, target)
        fsync_folder(target.parent)
        return None
    aside = target.with_name(f".{target.name}.old-{os.getpid()}")
    remove_tree(aside)
    os.rename(target, aside)
    try:
        os.rename(built, target)
    except BaseException:
        os.rename(aside, target)
        raise
    fsync_folder(target.parent)
    if keep_old:
        return aside
    remove_tree(aside)
    return None
