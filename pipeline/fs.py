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

Modes: everything netdocs makes gets the ordinary mode of a new file or folder, 0666 or 0777
minus the umask (0644 and 0755 under umask 022, 0640 and 0750 under 027), even where a tool
makes it private (``tempfile.mkstemp``/``mkdtemp`` make 0600 and 0700): :func:`file_mode` and
:func:`folder_mode` are those modes, :func:`make_folder` makes a new folder with it,
:func:`apply_umask` gives one path its mode and :func:`share_tree` a whole folder. The umask is
read without changing it (:func:`umask`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import threading
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


def _umask_from_proc() -> int | None:
    """The umask as the kernel reports it (``Umask:`` in /proc/self/status, Linux 4.7 on),
    read without changing it; None where that line is not there."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return None


def _umask_by_setting() -> int:
    """The umask, read the only portable way: setting it and setting it back. That changes it
    for every thread of the process for a moment, so it is done once, at import (before
    netdocs starts any thread), and under a lock."""
    with _UMASK_GUARD:
        found = os.umask(0o077)
        os.umask(found)
    return found


_UMASK_GUARD = threading.Lock()
_found = _umask_from_proc()
_UMASK_AT_IMPORT: int = _umask_by_setting() if _found is None else _found


def umask() -> int:
    """The process's umask now (from /proc/self/status; where there is none, as it was when
    netdocs started: reading it otherwise means changing it, which races with other threads
    creating files)."""
    found = _umask_from_proc()
    return _UMASK_AT_IMPORT if found is None else found


def file_mode() -> int:
    """The mode of an ordinary new file: 0666 minus the umask (0644 under umask 022)."""
    return 0o666 & ~umask()


def folder_mode() -> int:
    """The mode of an ordinary new folder: 0777 minus the umask (0755 under umask 022)."""
    return 0o777 & ~umask()


def _file_mode(path: Path) -> int:
    """The existing file's mode, else the usual mode for a new file (0666 minus umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return file_mode()


def apply_umask(path: Path, mask: int | None = None) -> None:
    """Give ``path`` (a file or a folder, not a link) the ordinary mode of a new one under the
    umask ``mask`` (default: the process's, :func:`umask`), whatever made it: a folder's
    (0777 minus the umask), an executable's (a file with its owner's x bit keeps x), else a
    file's (0666 minus the umask). A file of another user (linked from their edition) keeps
    the mode they gave it: only its owner may change it."""
    st = os.stat(path, follow_symlinks=False)
    may_change = os.geteuid() in (st.st_uid, 0)
    if stat.S_ISLNK(st.st_mode) or not may_change:
        return
    mask = umask() if mask is None else mask
    full = 0o777 if stat.S_ISDIR(st.st_mode) or st.st_mode & stat.S_IXUSR else 0o666
    mode = full & ~mask
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(path, mode)


def share_tree(folder: Path) -> None:
    """:func:`apply_umask` on ``folder`` and everything in it (links are left as they are and
    not followed): files and folders that a tool made private get their ordinary modes. The
    umask is read once for the whole tree."""
    mask = umask()
    apply_umask(folder, mask)
    for parent, folders, files in os.walk(folder):
        for name in (*folders, *files):
            apply_umask(Path(parent, name), mask)


def make_folder(parent: Path, prefix: str) -> Path:
    """A new folder with a unique name starting with ``prefix`` in ``parent``, with the
    ordinary mode of a new folder (``tempfile.mkdtemp`` makes it 0700)."""
    folder = Path(tempfile.mkdtemp(dir=parent, prefix=prefix))
    try:
        os.chmod(folder, folder_mode())
    except BaseException:
        folder.rmdir()
        raise
    return folder


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
    folder) over ``path``, durably: the file is fsynced first, the folder after. It gets the
    mode ``path`` has, or a new file's (a tool may have made it private)."""
    mode = _file_mode(Path(path))
    with Path(temp).open("rb+") as fh:
        if stat.S_IMODE(os.fstat(fh.fileno()).st_mode) != mode:
            os.fchmod(fh.fileno(), mode)
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
