"""pipeline.fs.link_or_copy: the one way a file of the previous edition is put into the new
one (a hard link, else a copy under the atomic-write rules)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from pipeline import fs
from pipeline.publish import stages


def test_a_hard_link_where_links_can_be_made(tmp_path: Path) -> None:
    source = tmp_path / "a.docx"
    source.write_bytes(b"document")
    target = tmp_path / "new" / "deep" / "a.docx"
    fs.link_or_copy(source, target)
    assert target.read_bytes() == b"document"
    assert target.stat().st_ino == source.stat().st_ino


def test_an_existing_target_is_replaced(tmp_path: Path) -> None:
    source = tmp_path / "a.docx"
    source.write_bytes(b"new")
    target = tmp_path / "b.docx"
    target.write_bytes(b"old")
    fs.link_or_copy(source, target)
    assert target.read_bytes() == b"new" and target.stat().st_ino == source.stat().st_ino


def test_a_copy_where_links_cannot_be_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    source = tmp_path / "a.docx"
    source.write_bytes(b"document")
    target = tmp_path / "out" / "a.docx"
    fs.link_or_copy(source, target)
    assert target.read_bytes() == b"document"
    assert target.stat().st_ino != source.stat().st_ino
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.docx"]  # no temporary left


def test_a_missing_source_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        fs.link_or_copy(tmp_path / "none.docx", tmp_path / "out.docx")


def test_publish_uses_the_one_in_fs() -> None:
    assert stages.link_or_copy is fs.link_or_copy
