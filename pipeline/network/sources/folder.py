"""Read a folder: ``network.yaml``, ``strategy.yaml`` and one CSV file per entity table.

CSV files may be UTF-8 with or without a byte-order mark, separated by commas, semicolons
(what spreadsheets write in many European locales) or tabs.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from ...errors import Problem
from ..assemble import Doc, assemble
from ..model import LIST_SEPARATOR
from ..places import YamlPlaces
from ..tables import (
    ENTITY_TABLES,
    OPTIONAL_TABLES,
    PlaceFn,
    Raw,
    RawTable,
    TableSpec,
    check_header,
    normal_header,
)
from .limits import MAX_DIGITS, long_number_at

log = logging.getLogger(__name__)

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[misc]
    """The safe YAML loader, reading decimals (``target: 0.1``) as exact Decimals, not floats."""


def _exact_float(loader: Any, node: yaml.ScalarNode) -> Any:
    text = str(node.value).replace("_", "")
    try:
        number = Decimal(text)
    except InvalidOperation:  # YAML 1.1 forms Decimal does not read (190:20:30.15)
        return loader.construct_yaml_float(node)
    return number if number.is_finite() else loader.construct_yaml_float(node)


_Loader.add_constructor("tag:yaml.org,2002:float", _exact_float)
_LOADER: Any = _Loader


def read_text(path: Path, problems: list[Problem]) -> str | None:
    """The file's text, UTF-8 with or without BOM; a located problem if it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            Problem(
                f"{path.name}:{line}",
                "error",
                f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "save it as 'CSV UTF-8' (Excel) or with the UTF-8 character set (LibreOffice)",
            )
        )
        return None


def sniff_delimiter(first_line: str) -> str:
    """``;`` or tab when the header uses it instead of commas, else ``,``."""
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_place(name: str, header: list[str], rows: Sequence[int]) -> PlaceFn:
    def place(row: int | None, column: str | None) -> str:
        if row is None:
            return name
        where = f"{name}:{rows[row]}"
        return f"{where}:{column}" if column else where

    return place


def read_csv_table(path: Path, spec: TableSpec, problems: list[Problem]) -> RawTable | None:
    """One CSV file as a raw table; problems with its header or rows are added to ``problems``.

    Returns ``None`` when the file cannot be read at all; a table with fewer rows than the
    file when some rows were unreadable (their problems are in ``problems``).
    """
    text = read_text(path, problems)
    if text is None:
        return None
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [normal_header(h) for h in next(reader)]
    except StopIteration:
        problems.append(Problem(path.name, "error", "empty file: expected a header row"))
        return None
    except csv.Error as exc:
        problems.append(_csv_problem(path, reader.line_num, exc))
        return None
    header_problems = check_header(spec, header, f"{path.name}:1")
    if header_problems:
        problems.extend(header_problems)
        return None
    try:
        records = list(reader)
    except csv.Error as exc:
        problems.append(_csv_problem(path, reader.line_num, exc))
        return None
    width = len(header)
    numbers: Sequence[int] = range(2, len(records) + 2)
    if text.count("\n") - text.endswith("\n") >= len(records) + 1:  # a cell of several lines
        numbers = _first_lines(text, delimiter)
    if any(len(cells) != width for cells in records):
        kept = []
        for number, cells in zip(numbers, records, strict=True):
            if len(cells) == width:
                kept.append((number, cells))
            elif any(c.strip() for c in cells):
                problems.append(
                    Problem(
                        f"{path.name}:{number}",
                        "error",
                        f"row has {len(cells)} cells but the header has {width} columns "
                        "(a missing or extra separator, or an unquoted "
                        f"'{delimiter}' inside a value?)",
                    )
                )
        numbers = [n for n, _ in kept]
        records = [cells for _, cells in kept]
    # the hot loop: empty cells are left out, list cells split (45,000 rows in the benchmark)
    rows: list[dict[str, Any]] = [
        {k: v for k, v in zip(header, cells, strict=False) if v} for cells in records
    ]
    lists = spec.lists.intersection(header)
    if lists:
        for row in rows:
            for column in lists.intersection(row):
                row[column] = [i.strip() for i in row[column].split(LIST_SEPARATOR) if i.strip()]
    if any(not row for row in rows):  # blank lines
        numbers = [n for n, row in zip(numbers, rows, strict=True) if row]
        rows = [row for row in rows if row]
    return RawTable(spec, rows, _csv_place(path.name, header, numbers))


def _first_lines(text: str, delimiter: str) -> list[int]:
    """The line each record after the header starts on, when cells hold line breaks (a
    narrative's paragraphs): problems name the line a spreadsheet user sees the row on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader)
    starts = []
    end = reader.line_num
    for _ in reader:
        starts.append(end + 1)
        end = reader.line_num
    return starts


def _csv_problem(path: Path, line: int, exc: csv.Error) -> Problem:
    """A CSV file the csv module gives up on, located at the line where it stopped."""
    if "field limit" in str(exc):
        limit = csv.field_size_limit()
        message = (
            f'a cell longer than {limit // 1024} KB (from this line on): a quote (") left '
            "open, or text that does not belong in a table; close the quote or shorten the cell"
        )
    else:
        message = f"not readable as CSV ({exc}); save it again from a spreadsheet as CSV UTF-8"
    return Problem(f"{path.name}:{line}", "error", message)


def _read_yaml(path: Path, problems: list[Problem]) -> Doc:
    name = path.name
    if not path.is_file():
        problems.append(Problem(str(path.parent.name or path.parent), "error", f"no {name}"))
        return None, YamlPlaces(name, "")
    text = read_text(path, problems)
    if text is None:
        return None, YamlPlaces(name, "")
    try:
        doc = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problems.append(Problem(f"{name}{line}", "error", f"invalid YAML: {exc}"))
        return None, YamlPlaces(name, "")
    except ValueError:  # an integer too long for Python to convert
        where = long_number_at(text)
        line = f":{where[0]}:{where[1]}" if where else ""
        problems.append(
            Problem(
                f"{name}{line}",
                "error",
                f"a number of more than {MAX_DIGITS} digits; no value of the network is this "
                "long: correct or remove it",
            )
        )
        return None, YamlPlaces(name, "")
    if not isinstance(doc, dict):
        problems.append(Problem(name, "error", "expected a mapping of keys to values"))
        return None, YamlPlaces(name, "")
    return doc, YamlPlaces(name, text)


def read_folder(folder: Path) -> Raw:
    """Read every file of a network folder, collecting all problems."""
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    incomplete: set[str] = set()
    for spec in ENTITY_TABLES:
        path = folder / f"{spec.name}.csv"
        if not path.is_file():
            if spec.name not in OPTIONAL_TABLES:
                problems.append(Problem(folder.name, "error", f"no {spec.name}.csv in the folder"))
                incomplete.add(spec.name)
            continue
        before = len(problems)
        table = read_csv_table(path, spec, problems)
        if table is not None:
            tables[spec.name] = table
            log.debug("read %d rows from %s", len(table.rows), path)
        if table is None or len(problems) > before:
            incomplete.add(spec.name)
    network = _read_yaml(folder / "network.yaml", problems)
    strategy = _read_yaml(folder / "strategy.yaml", problems)
    raw = assemble(tables, lambda loc: folder.name, network, strategy)
    raw.problems[:0] = problems
    raw.incomplete |= incomplete
    if network[0] is None:
        raw.incomplete.add("network")
    if strategy[0] is None:
        raw.incomplete |= {"strategy", "aspirations"}
    return raw
