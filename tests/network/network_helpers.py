"""Helpers for the network data tests: edit CSV cells, collect the problems of a load."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from pipeline.errors import ValidationError
from pipeline.network import load_network


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def write_rows(
    path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> None:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))


def edit_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set the cell in spreadsheet row ``row`` (header is row 1) under ``column``."""
    rows = read_rows(path)
    rows[row - 1][rows[0].index(column)] = value
    write_rows(path, rows)


def problems(source: str | Path) -> list[str]:
    """Every problem ``load_network(source)`` reports, as ``where: level: message`` lines."""
    with pytest.raises(ValidationError) as info:
        load_network(source)
    assert "nothing was loaded" in info.value.format_message()
    return [str(p) for p in info.value.problems]
