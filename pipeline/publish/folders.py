"""The edition folder: who may replace it, the lock on it, and the swap that puts a new edition
in place. The one home for these rules (publish calls them; nothing else deletes a folder).

- Publish only ever replaces a folder it made: one holding a manifest written by netdocs (or an
  empty folder). Anything else at the target is refused, named, and left untouched.
- The lock is a POSIX record lock (``lockf``) on ``outputs/.<edition>.lock``: it belongs to
  the process that took it, is not inherited by child processes, and is released by the kernel
  when that process dies. The lock file names its holder while it is held, and is removed when
  the publish ends (normally, by an error or by Ctrl-C): it is unlinked while still locked, and
  a publish that locks a file checks that it is still the one at the path (same device and
  inode), else starts over with the new one, so no two publishes ever hold "the" lock at once.
  A file left behind by a killed process (kill -9) holds no lock: the next publish takes it
  over (and says so) and removes it in turn. (A POSIX lock is also dropped when its process
  closes any descriptor of the file: only :func:`edition_lock` ever opens it.)
- Every file and folder of an edition gets the ordinary mode of a new one (0644 and 0755 under
  umask 022, :func:`pipeline.fs.share_tree`), whatever wrote it (netdocs, pandoc, LibreOffice).
- The swap exchanges the staging folder and the edition in one ``renameat2(RENAME_EXCHANGE)``,
  so the edition path always holds a complete edition; where the kernel or file system cannot
  exchange, it falls back to :func:`pipeline.fs.replace_folder` (two renames, the previous
  edition put back when the second fails). Folders are deleted with
  :func:`pipeline.fs.remove_tree` (re-exported here for the publish stages).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import NetdocsError, UsageError
from ..fs import atomic_write_text, fsync_folder, make_folder, replace_folder, share_tree
from ..fs import remove_tree as remove_tree  # re-exported for the publish stages
from .manifest import MANIFEST, is_netdocs_manifest

log = logging.getLogger(__name__)

STAGING_MARK = ".netdocs-staging"
"""File inside every staging folder: only folders holding it are cleaned up as stale."""


class LockedError(NetdocsError):
    """Another publish of the same edition is running."""


def is_edition(folder: Path) -> bool:
    """Does ``folder`` hold an edition written by netdocs publish?"""
    return is_netdocs_manifest(folder)


def check_target(target: Path) -> None:
    """Refuse, before anything is written, a target that publish must not replace."""
    fix = "choose another --output or --edition, or move it away yourself"
    if target.is_symlink():
        raise UsageError(
            f"{target} is a symbolic link, not an edition made by netdocs publish; "
            f"it is left untouched: {fix}"
        )
    if not target.exists():
        return
    if not target.is_dir():
        raise UsageError(
            f"{target} is a file, not an edition made by netdocs publish; "
            f"it is left untouched: {fix}"
        )
    if is_edition(target):
        return
    try:
        empty = not any(target.iterdir())
    except OSError as exc:
        raise UsageError(f"{target} cannot be read ({exc.strerror}): {fix}") from exc
    if not empty:
        raise UsageError(
            f"{target} is not an edition made by netdocs (it has no {MANIFEST} written by "
            f"netdocs publish); publish replaces only its own editions and has left it "
            f"untouched: {fix}"
        )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(text: str) -> int | None:
    parts = text.split()
    return (
        int(parts[1]) if len(parts) >= 2 and parts[0] == "process" and parts[1].isdigit() else None
    )


@contextmanager
def edition_lock(outputs: Path, edition: str) -> Iterator[list[str]]:
    """Hold the lock of ``outputs/edition`` for one publish; yields notes for the report."""
    outputs.mkdir(parents=True, exist_ok=True)
    path = outputs / f".{edition}.lock"
    notes: list[str] = []
    key = str(path.resolve())
    with _HELD_GUARD:  # POSIX locks do not exclude the process that holds them: this does
        if key in _HELD:
            raise LockedError(
                f"another netdocs publish of {edition} is running (process {os.getpid()}, "
                "this one); wait for it to finish, then run this again"
            )
        _HELD.add(key)
    try:
        with _locked(path, edition, notes):
            yield notes
    finally:
        with _HELD_GUARD:
            _HELD.discard(key)


_HELD: set[str] = set()
_HELD_GUARD = threading.Lock()


LOCK_ATTEMPTS = 50
"""How many times a publish starts over when the lock file it locked was removed (by the
publish that held it, ending) before it could check it: each time another publish ended."""


def _same_file(fd: int, path: Path) -> bool:
    """Is the open file ``fd`` still the file at ``path`` (not removed or replaced)?"""
    try:
        there = os.stat(path)
    except FileNotFoundError:
        return False
    here = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _lock_file(path: Path, edition: str) -> IO[str]:
    """The lock file at ``path``, open and locked by this process; LockedError when another
    process holds it."""
    for _ in range(LOCK_ATTEMPTS):
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        fh = os.fdopen(fd, "r+", encoding="utf-8")
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            busy = exc.errno in (errno.EACCES, errno.EAGAIN)
            holder = fh.read().strip() if busy else ""
            fh.close()
            if not busy:
                raise
            raise LockedError(
                f"another netdocs publish of {edition} is running "
                f"({holder or 'another process'}); wait for it to finish, then run this again"
            ) from exc
        except BaseException:
            fh.close()
            raise
        if _same_file(fh.fileno(), path):
            return fh
        # locked too late: the publish holding it ended and removed it meanwhile; the file at
        # the path now (if any) is the lock
        fh.close()
    raise LockedError(
        f"the lock of {edition} ({path}) was taken and released {LOCK_ATTEMPTS} times while "
        "this publish tried to take it; wait for the other publishes to finish, then run this "
        "again"
    )


@contextmanager
def _locked(path: Path, edition: str, notes: list[str]) -> Iterator[None]:
    with _lock_file(path, edition) as fh:
        try:
            left = fh.read().strip()
            pid = _holder(left)
            if pid is not None and pid != os.getpid():
                state = "no longer running" if not _pid_alive(pid) else "no longer publishing"
                notes.append(
                    f"took over the lock of {edition} left by an interrupted publish "
                    f"(process {pid}, {state})"
                )
            fh.seek(0)
            fh.truncate()
            fh.write(f"process {os.getpid()}\n")
            fh.flush()
            yield
        finally:
            _release(fh, path)


def _release(fh: IO[str], path: Path) -> None:
    """Remove the lock file while it is still locked (a publish that opened it meanwhile finds,
    once it has locked it, that it is gone, and starts over), then unlock it. Where it cannot
    be removed, it is emptied: it names no holder."""
    try:
        if _same_file(fh.fileno(), path):  # not a file someone put there by hand meanwhile
            path.unlink()
    except OSError as exc:
        log.debug("could not remove the lock file %s (%s); emptied instead", path, exc)
        fh.seek(0)
        fh.truncate()
        fh.flush()
    fcntl.lockf(fh, fcntl.LOCK_UN)


def make_staging(target: Path) -> Path:
    """A new staging folder beside ``target`` (with a new folder's ordinary mode), marked as
    netdocs' own."""
    staging = make_folder(target.parent, f".{target.name}.staging-")
    atomic_write_text(staging / STAGING_MARK, f"process {os.getpid()}\n")
    return staging


def finish_staging(staging: Path) -> None:
    """Remove the mark: the staging folder is complete and about to become the edition. Its
    files and folders get their ordinary modes (0644 and 0755 under umask 022), whatever wrote
    them: netdocs, pandoc, LibreOffice, or an earlier netdocs whose files are linked in."""
    share_tree(staging)  # first: a failure leaves the mark, so recover() knows the folder
    (staging / STAGING_MARK).unlink(missing_ok=True)


def recover(target: Path) -> None:
    """Clean up after a publish that was killed: its marked staging folders, and an old edition
    left between two renames (put back when the target is missing). Runs under the lock."""
    for stale in target.parent.glob(f".{target.name}.staging-*"):
        if (stale / STAGING_MARK).is_file() or is_edition(stale):  # ours, or a replaced edition
            remove_tree(stale)
    olds = sorted(p for p in target.parent.glob(f".{target.name}.old-*") if is_edition(p))
    if not target.exists() and olds:
        replace_folder(olds.pop(), target)  # nothing at the target: one rename
        log.warning("restored the previous edition left by an interrupted publish")
    for old in olds:
        remove_tree(old)


_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two folders; False when this system cannot."""
    renameat2 = getattr(_libc, "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap(staging: Path, target: Path) -> list[str]:
    """Put the complete staging folder in place of ``target``; the replaced edition is removed.

    Returns notes (a replaced edition that could not be removed). Raises OSError, with the
    previous edition still in place, when the swap itself is refused."""
    finish_staging(staging)
    if not target.exists():
        replace_folder(staging, target)
        return []
    check_target(target)  # again: the folder may have been filled while the edition was built
    if _exchange(staging, target):
        old: Path | None = staging  # the previous edition now sits where staging was
        fsync_folder(target.parent)
    else:  # two renames, the previous edition put back if the second fails
        old = replace_folder(staging, target, keep_old=True)
    if old is None:
        return []
    try:
        remove_tree(old)
    except OSError as exc:
        (old / STAGING_MARK).touch()  # so that the next publish's recover() removes it
        return [
            f"the previous edition could not be removed from {old} ({exc.strerror}); "
            "the next publish removes it"
        ]
    return []
