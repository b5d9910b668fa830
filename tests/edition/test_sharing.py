"""The published edition can be shared as it is (issue 14): every file and folder has the
ordinary mode of a new one under the umask (0644 and 0755 under 022), and no lock file is left
beside it."""

from __future__ import annotations

import os
import stat

from .conftest import Edition


def _umask() -> int:
    mask = os.umask(0o022)  # read it (the tests run in one thread)
    os.umask(mask)
    return mask


def test_every_file_and_folder_has_the_ordinary_mode(edition: Edition) -> None:
    edition.require_published()
    mask = _umask()  # the edition was published by a child process with this umask
    files, folders = 0o666 & ~mask, 0o777 & ~mask
    if mask == 0o022:
        assert (files, folders) == (0o644, 0o755)
    wrong = []
    paths = [edition.folder, *sorted(edition.folder.rglob("*"))]
    for path in paths:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_symlink():
            continue
        want = folders if path.is_dir() else files
        if mode != want:
            wrong.append(f"{edition.name(path) or '.'}: {mode:o}, not {want:o}")
    assert len(paths) > 50
    assert not wrong, "\n".join(wrong[:20])


def test_no_lock_file_outlives_the_publish(edition: Edition) -> None:
    edition.require_published()
    outputs = edition.folder.parent
    left = sorted(p.name for p in outputs.iterdir() if p.name.endswith(".lock"))
    assert not left, f"left in {outputs}: {left}"
