"""Workbooks, SQLite databases and HTTP endpoints, each against a real instance."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from network_helpers import problems
from openpyxl import load_workbook

from pipeline.errors import DataError
from pipeline.network import Snapshot, export_network, load_network


@pytest.fixture
def workbook(tmp_path: Path, sample: Snapshot) -> Path:
    path = tmp_path / "network.xlsx"
    export_network(sample, path)
    return path


def test_xlsx_missing_sheet_and_formula_cell(workbook: Path) -> None:
    wb = load_workbook(workbook)
    del wb["clusters"]
    ws = wb["activities"]
    header = [c.value for c in ws[1]]
    budget = header.index("budget") + 1
    ws.cell(row=3, column=budget, value="=SUM(1,2)")
    wb.save(workbook)
    found = problems(workbook)
    assert found[0] == (
        "activities!K3: error: formula =SUM(1,2) is not read: replace it by its value (copy, "
        "then Paste Special > Values)"
    )
    assert found[1].startswith("network.xlsx: error: no sheet 'clusters' (sheets: network,")
    assert len(found) == 2


def test_xlsx_bad_cells_are_named_by_sheet_and_cell(workbook: Path) -> None:
    wb = load_workbook(workbook)
    ws = wb["organisations"]
    ws["D5"] = "Portugal"  # the country column
    wb["network"]["B4"] = None  # secretariat
    wb.save(workbook)
    assert problems(workbook) == [
        "network!B4: error: 'network.secretariat' is required",
        "organisations!D5: error: unknown country code 'Portugal' (ISO 3166 alpha-2, e.g. PT)",
    ]


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "network.xlsx"
    path.write_text("id,name\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"not a readable .xlsx workbook \(not a zip archive"):
        load_network(path)


def test_xlsx_with_a_bad_crc_names_the_damaged_part(tmp_path: Path, workbook: Path) -> None:
    """A real zip whose part fails its CRC when the workbook is opened: the damaged part is
    named, not 'not a workbook'."""
    member = "xl/workbook.xml"
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            stored = info.filename == member
            dst.writestr(
                info.filename,
                src.read(info),
                zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
            )
    with zipfile.ZipFile(bad) as archive:
        info = archive.getinfo(member)
    data = bytearray(bad.read_bytes())
    data[info.header_offset + 30 + len(member) + len(info.extra) + info.compress_size // 2] ^= 1
    bad.write_bytes(bytes(data))
    with pytest.raises(DataError) as caught:
        load_network(bad)
    assert caught.value.format_message() == (
        f"bad.xlsx: the workbook is damaged inside (part {member}): Bad CRC-32 for file "
        f"'{member}'; open it in Excel or LibreOffice and save it again, or restore a copy"
    )


def test_sqlite_table_lacking_a_column(tmp_path: Path, sample: Snapshot) -> None:
    db = tmp_path / "network.db"
    export_network(sample, f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE activities DROP COLUMN lead")
        conn.execute("DROP TABLE partnerships")  # optional: read as none
        conn.execute("UPDATE organisations SET joined = '31/02/2026' WHERE id = 'org-010'")
    assert problems(f"sqlite:///{db}") == [
        "table activities: error: missing column(s) 'lead'",
        "table organisations id=org-010 column joined: error: '31/02/2026' is not a date: day 31 "
        "does not exist in month 2 of 2026; write dates as YYYY-MM-DD",
    ]


def test_sqlite_missing_table_and_missing_file(tmp_path: Path, sample: Snapshot) -> None:
    from pipeline.errors import NotFoundError

    db = tmp_path / "network.db"
    export_network(sample, f"sqlite:///{db}")
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE cluster_members")
    assert problems(f"sqlite:///{db}") == [f"sqlite:///{db}: error: no table 'cluster_members'"]
    with pytest.raises(NotFoundError, match="no such database file"):
        load_network(f"sqlite:///{tmp_path / 'missing.db'}")


def test_http_source(http_server: Callable[..., str], sample: Snapshot) -> None:
    bare = json.dumps(sample.network.model_dump(mode="json")).encode()
    url = http_server("/api/network", (200, "application/json; charset=utf-8", bare, 0.0))
    loaded = load_network(url)
    assert loaded.network == sample.network
    assert (loaded.source, loaded.sha256) == (url, sample.sha256)
    snap_url = http_server(
        "/snapshot.json", (200, "application/json", sample.to_json().encode(), 0)
    )
    assert load_network(snap_url).provenance() == sample.provenance()


def test_http_invalid_data_is_located_by_json_path(
    http_server: Callable[..., str], sample: Snapshot
) -> None:
    doc = sample.network.model_dump(mode="json")
    doc["organisations"][2]["status"] = "dormant"
    doc["risks"][0]["likelihood"] = 7
    url = http_server("/bad", (200, "application/json", json.dumps(doc).encode(), 0.0))
    assert problems(url) == [
        "$.organisations[2].status: error: 'dormant' is not a valid status: expected 'active', "
        "'inactive' or 'pending'",
        "$.risks[0].likelihood: error: likelihood 7 is off the 1-5 scale: rate it from 1 "
        "(lowest) to 5 (highest)",
    ]


@pytest.mark.parametrize(
    ("route", "message"),
    [
        ((500, "text/plain", b"boom", 0.0), r"answered 500 Internal Server Error"),
        ((200, "text/html", b"<!DOCTYPE html><title>Login</title>", 0.0),
         r"returned HTML \(text/html\)"),
        ((200, "application/json", b"{not json", 0.0), r"not JSON \(Expecting property name"),
        ((200, "application/json", b"[1, 2]", 0.0), r"expected a JSON object"),
        ((200, "application/json", b"{}", 1.5), r"did not answer within 0.3 s"),
    ],
)  # fmt: skip
def test_http_failures(
    http_server: Callable[..., str], route: tuple[int, str, bytes, float], message: str
) -> None:
    url = http_server("/x", route)
    with pytest.raises(DataError, match=message):
        load_network(url, timeout=0.3)


def test_http_unreachable() -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DataError, match=f"cannot reach http://127.0.0.1:{port}/"):
        load_network(f"http://127.0.0.1:{port}/", timeout=2)
