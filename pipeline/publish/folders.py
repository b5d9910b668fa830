"""The edition folder: who may replace it, the lock on it, and the swap that puts a new edition
in place. The one home for these rules (publish calls them; nothing else deletes a folder).

- Publish only ever replaces a folder it made: one holding a manifest written by netdocs (or an
  empty folder). Anything else at the target is refused, named, and left untouched.
- The lock is a POSIX record lock (``lockf``): it belongs to the process that took it, is not
  inherited by child processes, and is released by the kernel when that process dies. The lock
  file names its holder; a name left behind by a process that died is reported as taken over.
  (A POSIX lock is also dropped when its process closes any descriptor of the file: only
  :func:`edition_lock` ever opens it.)
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
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import NetdocsError, UsageError
from ..fs import atomic_write_text, fsync_folder, replace_folder
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


@contextmanager
def _locked(path: Path, edition: str, notes: list[str]) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "r+", encoding="utf-8") as fh:
        try:
            fcntl.lockf(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise LockedError(
                f"another netdocs publish of {edition} is running ({holder}); "
                "wait for it to finish, then run this again"
            ) from exc
        fh.seek(0)
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
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            fcntl.lockf(fh, fcntl.LOCK_UN)


def make_staging(target: Path) -> Path:
    """A new staging folder beside ``target``, marked as netdocs' own."""
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.staging-"))
    atomic_write_text(staging / STAGING_MARK, f"process {os.getpid()}\n")
    return staging


def finish_staging(staging: Path) -> None:
    """Remove the mark: the staging folder is complete and about to become the edition."""
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
