"""pipeline.fs: atomic writes, folder swaps and hashing, written once."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import fs


class Boom(Exception):
    pass


def test_atomic_write_writes_and_creates_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out.bin"
    fs.atomic_write(target, b"new bytes")
    assert target.read_bytes() == b"new bytes"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.bin"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def failing_fsync(fd: int) -> None:  # the data is written, then the disk gives up
        raise Boom("disk full")

    monkeypatch.setattr(fs.os, "fsync", failing_fsync)
    with pytest.raises(Boom):
        fs.atomic_write(target, b"new")
    monkeypatch.setattr(fs.os, "fsync", real_fsync)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_write_that_raises_midway_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old")

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fs.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fs.atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_the_mode_of_an_existing_file_is_kept_and_a_new_file_gets_the_usual_one(
    tmp_path: Path,
) -> None:
    kept = tmp_path / "kept.sh"
    kept.write_text("#!/bin/sh\n")
    kept.chmod(0o750)
    fs.atomic_write_text(kept, "#!/bin/sh\necho\n")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o750
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.txt"
        fs.atomic_write_text(fresh, "x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # not mkstemp's private 0600
        temp = fs.new_temp(tmp_path / "other.txt")
        assert stat.S_IMODE(temp.stat().st_mode) == 0o644
    finally:
        os.umask(umask)


@pytest.fixture
def umask_027() -> Iterator[None]:
    """This process's umask set to 027 (group may read, others nothing) for the test."""
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path, follow_symlinks=False).st_mode)


def test_the_umask_is_read_without_changing_it(umask_027: None) -> None:
    assert fs.umask() == 0o027
    assert (fs.file_mode(), fs.folder_mode()) == (0o640, 0o750)
    assert os.umask(0o027) == 0o027  # unchanged by reading it
    os.umask(0o022)
    assert (fs.umask(), fs.file_mode(), fs.folder_mode()) == (0o022, 0o644, 0o755)


def test_a_file_a_tool_made_private_gets_the_ordinary_mode_when_moved_into_place(
    tmp_path: Path, umask_027: None
) -> None:
    made = tmp_path / ".out.pdf.1234.tmp"  # as LibreOffice writes it: 0600
    made.write_bytes(b"%PDF")
    made.chmod(0o600)
    fs.move_into_place(made, tmp_path / "out.pdf")
    assert _mode(tmp_path / "out.pdf") == 0o640
    kept = tmp_path / "kept.pdf"  # a file that exists keeps its mode
    kept.write_bytes(b"old")
    kept.chmod(0o604)
    again = tmp_path / ".kept.tmp"
    again.write_bytes(b"%PDF")
    again.chmod(0o600)
    fs.move_into_place(again, kept)
    assert _mode(kept) == 0o604 and kept.read_bytes() == b"%PDF"


def test_make_folder_and_share_tree_give_ordinary_modes(tmp_path: Path, umask_027: None) -> None:
    folder = fs.make_folder(tmp_path, ".edition.staging-")
    assert folder.name.startswith(".edition.staging-") and _mode(folder) == 0o750  # not 0700
    (folder / "site").mkdir()
    (folder / "site").chmod(0o700)
    (folder / "site" / "page.html").write_text("x")
    (folder / "site" / "page.html").chmod(0o600)
    (folder / "manifest.json").write_text("{}")
    (folder / "manifest.json").chmod(0o666)  # too open is made ordinary too
    (folder / "tool.sh").write_text("#!/bin/sh\n")
    (folder / "tool.sh").chmod(0o700)
    outside = tmp_path / "outside.txt"
    outside.write_text("not the edition's")
    outside.chmod(0o600)
    (folder / "link").symlink_to(outside)
    folder.chmod(0o700)
    fs.share_tree(folder)
    assert _mode(folder) == 0o750 and _mode(folder / "site") == 0o750
    assert _mode(folder / "site" / "page.html") == 0o640
    assert _mode(folder / "manifest.json") == 0o640
    assert _mode(folder / "tool.sh") == 0o750  # an executable stays one
    assert _mode(outside) == 0o600  # a link is not followed


def test_write_json_ends_with_a_newline_and_keeps_key_order(tmp_path: Path) -> None:
    fs.write_json(tmp_path / "d.json", {"b": 1, "a": "é"})
    assert (tmp_path / "d.json").read_text(encoding="utf-8") == '{\n  "b": 1,\n  "a": "é"\n}\n'
    fs.write_json(tmp_path / "c.json", {"b": 1}, indent=None)
    assert (tmp_path / "c.json").read_text() == '{"b": 1}\n'


def test_move_into_place_replaces_the_target_with_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    temp = fs.new_temp(target)
    temp.write_bytes(b"%PDF new")
    fs.move_into_place(temp, target)
    assert target.read_bytes() == b"%PDF new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


@pytest.mark.parametrize("links", [True, False], ids=["hard-links", "no-hard-links"])
def test_create_new_never_replaces_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    if not links:  # e.g. some network shares: an exclusive create instead

        def no_links(*_args: object) -> None:
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr(fs.os, "link", no_links)
    target = tmp_path / "new.md"
    fs.create_new(target, b"first")
    with pytest.raises(FileExistsError):
        fs.create_new(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["new.md"]


def _folder(path: Path, text: str) -> Path:
    path.mkdir()
    (path / "f.txt").write_text(text)
    return path


def test_replace_folder_puts_the_new_folder_in_place(tmp_path: Path) -> None:
    built = _folder(tmp_path / ".built", "new")
    fs.replace_folder(built, tmp_path / "site")  # no folder there yet
    assert (tmp_path / "site" / "f.txt").read_text() == "new"
    again = _folder(tmp_path / ".built2", "newer")
    fs.replace_folder(again, tmp_path / "site")
    assert (tmp_path / "site" / "f.txt").read_text() == "newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_replace_folder_keeps_the_old_folder_when_the_second_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = _folder(tmp_path / "site", "old")
    built = _folder(tmp_path / ".built", "new")
    real_rename = os.rename
    calls: list[tuple[str, str]] = []

    def rename(src: str | Path, dst: str | Path) -> None:
        calls.append((Path(src).name, Path(dst).name))
        if len(calls) == 2:  # the old folder is aside; putting the new one in place fails
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(fs.os, "rename", rename)
    with pytest.raises(OSError, match="No space left"):
        fs.replace_folder(built, target)
    assert (target / "f.txt").read_text() == "old"
    assert (built / "f.txt").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".built", "site"]
    assert calls[1] == (".built", "site") and calls[2][1] == "site"  # moved back


def test_replace_folder_can_leave_the_old_folder_to_the_caller(tmp_path: Path) -> None:
    target = _folder(tmp_path / "site", "old")
    old = fs.replace_folder(_folder(tmp_path / ".built", "new"), target, keep_old=True)
    assert old is not None and (old / "f.txt").read_text() == "old"
    assert (target / "f.txt").read_text() == "new"


def test_remove_tree_removes_read_only_parts_and_never_follows_a_link(tmp_path: Path) -> None:
    outside = _folder(tmp_path / "outside", "keep me")
    tree = tmp_path / "tree"
    (tree / "locked").mkdir(parents=True)
    (tree / "locked" / "f.txt").write_text("x")
    (tree / "link").symlink_to(outside)
    (tree / "locked" / "deeper").mkdir()
    (tree / "locked" / "deeper" / "g.txt").write_text("y")
    (tree / "locked" / "deeper").chmod(0o500)
    (tree / "locked").chmod(0o500)
    fs.remove_tree(tree)
    assert not tree.exists()
    assert (outside / "f.txt").read_text() == "keep me"
    fs.remove_tree(tree)  # gone already: nothing to do
    link = tmp_path / "alias"
    link.symlink_to(outside)
    fs.remove_tree(link)
    assert link.is_symlink() and (outside / "f.txt").exists()


def test_the_sha256_helpers_agree(tmp_path: Path) -> None:
    data = "Zürich — 東京\n".encode()
    expected = hashlib.sha256(data).hexdigest()
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    assert fs.sha256_bytes(data) == expected
    assert fs.sha256_text("Zürich — 東京\n") == expected
    assert fs.sha256_file(path) == expected
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * (fs.CHUNK * 2 + 17))  # read in several chunks
    assert fs.sha256_file(big) == fs.sha256_bytes(big.read_bytes())
    assert fs.sha256_json({"b": [1, "é"], "a": None}) == fs.sha256_text('{"a":null,"b":[1,"é"]}')
    assert fs.sha256_json({"a": 1, "b": 2}) == fs.sha256_json({"b": 2, "a": 1})
