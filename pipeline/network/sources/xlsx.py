"""Read an ``.xlsx`` workbook: one sheet per table, a header row, then one row per record.

Formula cells are refused (their value depends on the program that last saved the file): the
problem names the cell and asks for the value to be pasted instead.
"""

from __future__ import annotations

import logging
import math
import zipfile
import zlib
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from ...errors import DataError, Problem
from ..assemble import assemble
from ..tables import (
    ALL_TABLES,
    OPTIONAL_TABLES,
    PlaceFn,
    Raw,
    RawTable,
    TableSpec,
    check_header,
    normal_header,
    row_dict,
)

log = logging.getLogger(__name__)

_DAMAGED = (zlib.error, zipfile.BadZipFile, EOFError, KeyError, ValueError, ParseError)
"""What openpyxl lets through from a corrupt deflate stream, a bad CRC or truncated XML."""


def _place(sheet: str, header: list[str], rows: list[int]) -> PlaceFn:
    letters = {name: get_column_letter(i + 1) for i, name in enumerate(header)}

    def place(row: int | None, column: str | None) -> str:
        if row is None:
            return f"{sheet}!"
        return f"{sheet}!{letters.get(column or '', 'A')}{rows[row]}"

    return place


def _value(cell: Any) -> Any:
    """A cell's value as netdocs reads it: a day as a date, a number as an exact Decimal.

    openpyxl gives numbers as floats; ``Decimal(repr(x))`` is the shortest decimal that is that
    float, which is what the spreadsheet shows (0.1 stays 0.1; ``Decimal(0.1)`` would not).
    """
    value = cell.value
    if isinstance(value, datetime) and value.time() == time(0):
        return value.date()
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    return value


def _read_sheet(ws: Any, spec: TableSpec, problems: list[Problem]) -> tuple[RawTable, bool]:
    ws.reset_dimensions()
    rows_iter = ws.iter_rows()
    header_cells = next(rows_iter, ())
    header = [normal_header(str(c.value)) if c.value is not None else "" for c in header_cells]
    while header and not header[-1]:
        header.pop()
    header_problems = check_header(spec, header, f"{ws.title}!1")
    if header_problems:
        problems.extend(header_problems)
        return RawTable(spec, [], _place(ws.title, header, [])), False
    width = len(header)
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    complete = True
    for number, cells in enumerate(rows_iter, start=2):
        bad = False
        values: list[Any] = []
        for index, cell in enumerate(cells):
            if cell.value is None:
                values.append(None)
                continue
            where = f"{ws.title}!{get_column_letter(index + 1)}{number}"
            if cell.data_type == "f":
                problems.append(
                    Problem(
                        where,
                        "error",
                        f"formula {cell.value!s} is not read: replace it by its value "
                        "(copy, then Paste Special > Values)",
                    )
                )
                bad = True
            elif index >= width:
                problems.append(
                    Problem(where, "error", f"value {cell.value!r} beyond the last column")
                )
                bad = True
            values.append(_value(cell))
        if bad:
            complete = False
            continue
        row = row_dict(spec, header, values)
        if row:
            rows.append(row)
            numbers.append(number)
    return RawTable(spec, rows, _place(ws.title, header, numbers)), complete


def _bad_part(path: Path) -> str | None:
    """The first member of the workbook's zip that cannot be read back whole."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                try:
                    with archive.open(info) as member:
                        while member.read(1 << 20):
                            pass
                except (*_DAMAGED, OSError):
                    return info.filename
    except (zipfile.BadZipFile, OSError):
        return None
    return None


def _damaged(path: Path, where: str, exc: BaseException) -> DataError:
    """The error for a workbook whose zip or XML is corrupt, naming the damaged part."""
    part = _bad_part(path)
    inside = f" (part {part})" if part else ""
    why = f"corrupt compressed data: {exc}" if isinstance(exc, zlib.error) else str(exc)
    return DataError(
        f"{where}: the workbook is damaged inside{inside}: {why}; open it in Excel or "
        "LibreOffice and save it again, or restore a copy"
    )


def read_xlsx(path: Path) -> Raw:
    """Read every sheet of a network workbook, collecting all problems."""
    if not zipfile.is_zipfile(path):  # a BadZipFile later is a real zip that is damaged
        raise DataError(
            f"{path}: not a readable .xlsx workbook (not a zip archive, as every .xlsx is); "
            "save it from the spreadsheet as an Excel workbook (.xlsx)"
        )
    try:
        wb = load_workbook(path, read_only=True, data_only=False)
    except _DAMAGED as exc:
        raise _damaged(path, path.name, exc) from exc
    except (InvalidFileException, OSError) as exc:
        raise DataError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    incomplete: set[str] = set()
    try:
        sheets = {normal_header(name): name for name in wb.sheetnames}
        for spec in ALL_TABLES:
            name = sheets.get(spec.name)
            if name is None:
                if spec.name not in OPTIONAL_TABLES:
                    problems.append(
                        Problem(
                            path.name,
                            "error",
                            f"no sheet '{spec.name}' (sheets: {', '.join(wb.sheetnames)})",
                        )
                    )
                    incomplete.add(spec.name)
                continue
            try:
                table, complete = _read_sheet(wb[name], spec, problems)
            except _DAMAGED as exc:
                raise _damaged(path, f"{path.name}!{name}", exc) from exc
            tables[spec.name] = table
            if not complete:
                incomplete.add(spec.name)
            log.debug("read %d rows from sheet %s", len(table.rows), name)
    finally:
        wb.close()
    raw = assemble(tables, lambda loc: path.name)
    raw.problems[:0] = problems
    raw.incomplete |= incomplete
    if "network" in incomplete:
        raw.incomplete |= {"network", "strategy"}
    return raw
