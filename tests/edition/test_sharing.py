"""The published edition can be shared as it is (issue 14): every file and folder has the
ordinary mode of a new one under the umask (0644 and 0755 under 022), and no lock file is left
beside it."""

from __future__ import annotations

import stat

from pipeline import fs

from .conftest import Edition


def test_every_file_and_folder_has_the_ordinary_mode(edition: Edition) -> None:
    edition.require_published()
    wrong = []
    paths = [edition.folder, *sorted(edition.folder.rglob("*"))]
    for path in paths:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if path.is_symlink():
            continue
        want = fs.folder_mode() if path.is_dir() else fs.file_mode()
        if mode != want:
            wrong.append(f"{edition.name(path) or '.'}: {mode:o}, not {want:o}")
    assert len(paths) > 50
    assert not wrong, "\n".join(wrong[:20])


def test_no_lock_file_outlives_the_publish(edition: Edition) -> None:
    edition.require_published()
    outputs = edition.folder.parent
    left = sorted(p.name for p in outputs.iterdir() if p.name.endswith(".lock"))
    assert not left, f"left in {outputs}: {left}"
