"""Hostile inputs to the readers and writers (issue 10.9), at the library layer: each is a
located :class:`DataError`/problem, never an exception of the parser underneath."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from pipeline.errors import DataError, UsageError
from pipeline.network import Snapshot, export_network, load_network
from pipeline.network.sources.limits import deep_nesting_at, line_column, long_number_at


def test_line_column_of_an_offset() -> None:
    assert line_column("ab\ncd\nef", 0) == (1, 1)
    assert line_column("ab\ncd\nef", 4) == (2, 2)


def test_long_numbers_and_deep_nesting_are_located() -> None:
    assert long_number_at('{"a": 1,\n "b": ' + "5" * 4301 + "}") == (2, 7)
    assert long_number_at('{"a": ' + "5" * 4300 + "}") is None
    deep = '{\n "x": "[[[[", "y": ' + "[" * 150
    # the "{" is level 1, so the 100th "[" (columns 20 on) is level 101; "[[[[" is text
    assert deep_nesting_at(deep) == (2, 20 + 99)
    assert deep_nesting_at("[" * 100) is None


def test_json_nested_too_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 50_000 + "]" * 50_000)
    with pytest.raises(DataError, match=r"^deep.json:1:101: arrays or objects nested more than"):
        load_network(path)


def test_sqlite_not_a_database_for_reading_and_writing(tmp_path: Path, sample: Snapshot) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"not a database at all, just a long enough line of text\n" * 4)
    before = path.read_bytes()
    url = f"sqlite:///{path}"
    with pytest.raises(DataError, match="is not an SQLite database .*nothing was loaded"):
        load_network(url)
    with pytest.raises(DataError, match="is not an SQLite database .*nothing was written"):
        export_network(sample, url, overwrite=True)
    assert path.read_bytes() == before


def test_a_locked_sqlite_database_is_waited_on_only_until_the_deadline(
    tmp_path: Path, sample: Snapshot
) -> None:
    url = f"sqlite:///{tmp_path / 'network.db'}"
    export_network(sample, url)
    holder = sqlite3.connect(tmp_path / "network.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        with pytest.raises(DataError, match=r"did not answer within 0.5 s"):
            load_network(url, timeout=0.5)
        assert time.monotonic() - start < 3
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_export_never_puts_a_file_where_a_folder_is(tmp_path: Path, sample: Snapshot) -> None:
    (tmp_path / "out.xlsx").mkdir()
    (tmp_path / "out.json").mkdir()
    for name in ("out.xlsx", "out.json"):
        with pytest.raises(UsageError, match=f"{name}: is a folder, not a"):
            export_network(sample, tmp_path / name, overwrite=True)
    folder = tmp_path / "net"
    (folder / "clusters.csv").mkdir(parents=True)
    with pytest.raises(UsageError, match="net/clusters.csv: a folder .* nothing was written"):
        export_network(sample, folder, overwrite=True)
    assert sorted(p.name for p in folder.iterdir()) == ["clusters.csv"]  # nothing half-written
