"""The typed manifest (publish/manifest.py): read leniently with located problems, written and
read back unchanged, records of another version read as none."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.documents.deps import Dependencies
from pipeline.fs import sha256_text
from pipeline.publish.manifest import (
    MANIFEST,
    FileEntry,
    Manifest,
    Recorded,
    read_manifest,
    verify,
)


def _write(folder: Path, data: object) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


def test_written_and_read_back_through_the_model(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_text("hello\n", encoding="utf-8")
    record = Recorded(
        template="t" * 64,
        netdocs="0.1.0",
        dependencies=Dependencies(
            articles={"x": ("x.md", "1"), "gone": None}, data="d", as_of="2026-10-31"
        ),
    )
    entry = FileEntry.of(tmp_path, "a.docx", format="docx", document="strategy", key="k",
                         inputs=record)  # fmt: skip
    assert entry.sha256 == sha256_text("hello\n") and entry.size == 6
    Manifest(edition="ed", netdocs="0.1.0", files=[entry]).write(tmp_path)
    raw = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert list(raw) == ["edition", "title", "netdocs", "templates", "data", "kb", "files"]
    assert "meeting" not in raw["files"][0]["inputs"]["dependencies"]  # not read: not written
    back = read_manifest(tmp_path)
    assert back is not None and back.damaged == []
    assert back.files == [entry] and back.entry("a.docx") == entry
    assert back.files[0].inputs == record  # the absent article's None kept
    assert "netdocs" in back and "as_of" not in back  # what the file said
    assert verify(tmp_path).ok


def test_damaged_entries_are_left_out_and_located(tmp_path: Path) -> None:
    good = {"path": "a.txt", "sha256": "00", "size": 1}
    _write(
        tmp_path,
        {
            "edition": "ed",
            "netdocs": "0.1.0",
            "kb": "oops",
            "files": [
                good,
                {"sha256": "00", "size": 1},
                "a string",
                {"path": "b.txt", "sha256": "00", "size": "1"},
                {"path": "../x", "sha256": "00", "size": 1},
                {"path": "c.txt", "sha256": "00", "size": 1, "format": ["docx"]},
            ],
        },
    )
    manifest = read_manifest(tmp_path)
    assert manifest is not None
    assert [e.path for e in manifest.files] == ["a.txt"]
    where = tmp_path / MANIFEST
    assert [str(p) for p in manifest.damaged] == [
        f"{where}: files[1]: error: has no path",
        f"{where}: files[2]: error: is not an object with path, sha256 and size",
        f"{where}: files[3]: error: b.txt: has no sha256 or size",
        f"{where}: files[4]: error: ../x: points outside the edition (refused, not opened)",
        f"{where}: files[5]: error: c.txt: format: Input should be a valid string",
        f"{where}: kb: error: Input should be a valid dictionary",
    ]
    assert manifest.kb == {} and manifest.netdocs == "0.1.0"  # the rest is still read


def test_a_record_of_another_version_is_no_record(tmp_path: Path) -> None:
    old = {"articles": {"a": "1"}, "template": "t", "data": "d", "netdocs": "0.0.9"}
    extra = {"template": "t", "netdocs": "0.1.0", "dependencies": {"colour": "blue"}}
    _write(
        tmp_path,
        {
            "files": [
                {"path": "a.docx", "sha256": "00", "size": 1, "key": "k", "inputs": old},
                {"path": "b.docx", "sha256": "00", "size": 1, "key": "k", "inputs": extra},
                {"path": "c.docx", "sha256": "00", "size": 1, "inputs": "garbage"},
            ]
        },
    )
    manifest = read_manifest(tmp_path)
    assert manifest is not None and manifest.damaged == []
    assert [e.inputs for e in manifest.files] == [None, None, None]
    assert "netdocs" not in manifest  # not an edition's manifest: publish will not replace it


def test_not_a_manifest(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) is None
    _write(tmp_path, [1, 2])
    assert read_manifest(tmp_path) is None
    _write(tmp_path, {"files": "none"})
    assert read_manifest(tmp_path) is None
    (tmp_path / MANIFEST).write_text("{", encoding="utf-8")
    assert read_manifest(tmp_path) is None


def test_keys_follow_the_record(tmp_path: Path) -> None:
    a = Recorded(template="t", netdocs="1", dependencies=Dependencies(data="d"))
    b = Recorded(template="t", netdocs="1", dependencies=Dependencies(data="e"))
    assert a.key("strategy", None) == a.key("strategy", None)
    assert len({a.key("strategy", None), b.key("strategy", None), a.key("strategy", "x"),
                a.key("handbook", None)}) == 4  # fmt: skip
