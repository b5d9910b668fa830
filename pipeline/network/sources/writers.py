"""Write the network to a folder of CSV/YAML, an ``.xlsx`` workbook or a snapshot ``.json``.

Every file is written to a temporary name first (:func:`pipeline.fs.new_temp`) and moved into
place, fsynced, once all are written (:func:`pipeline.fs.move_into_place`), so an interrupted
export never leaves a half-written file behind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ...errors import UsageError
from ...fs import move_into_place, new_temp
from ..model import NetworkData
from ..snapshot import Snapshot
from ..tables import ALL_TABLES, ENTITY_TABLES, cell_text, to_tables

CSV_ENCODING = "utf-8-sig"
"""CSV files get a byte-order mark so spreadsheet programs open accents and Arabic correctly."""


def write_files(files: dict[Path, Callable[[Path], None]]) -> None:
    """Write each file to a temporary sibling, then rename them all into place."""
    temps: dict[Path, Path] = {}
    try:
        for path, write in files.items():
            temp = new_temp(path)
            temps[path] = temp
            write(temp)
        for path, temp in temps.items():
            move_into_place(temp, path)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)


def _refuse(existing: list[Path], overwrite: bool) -> None:
    """Refuse to replace existing files without ``overwrite``, and anything but a file ever."""
    others = [p for p in existing if p.is_dir() or (p.exists() and not p.is_file())]
    if others:
        names = ", ".join(str(p) for p in others)
        raise UsageError(
            f"{names}: a folder (or other non-file) stands where the export would write a file; "
            "nothing was written: move it away or export elsewhere"
        )
    if existing and not overwrite:
        names = ", ".join(str(p) for p in existing)
        raise UsageError(f"{names} already exist(s); pass --force to replace")


def _csv_text(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_text(row.get(c)) for c in columns])
    return out.getvalue()


class _Dumper(yaml.SafeDumper):
    """The safe YAML dumper, writing a Decimal as the exact number it is (``current: 46.7``)."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(value, "f"))


_Dumper.add_representer(Decimal, _represent_decimal)


def _tidy(value: Any) -> Any:
    """Whole numbers as integers (``target: 8``, not ``8.0``), recursively."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    return value


def _yaml_text(value: Any) -> str:
    return yaml.dump(_tidy(value), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _text_writer(text: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("w", encoding=encoding, newline="") as handle:
            handle.write(text)

    return write


def write_folder(data: NetworkData, folder: Path, overwrite: bool = False) -> str:
    """Write ``network.yaml``, ``strategy.yaml`` and one CSV per entity table into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = to_tables(data, with_strategy=False)
    files: dict[Path, Callable[[Path], None]] = {
        folder / "network.yaml": _text_writer(
            _yaml_text(data.network.model_dump(exclude_defaults=True))
        ),
        folder / "strategy.yaml": _text_writer(
            _yaml_text(data.strategy.model_dump(exclude_defaults=True))
        ),
    }
    for spec in ENTITY_TABLES:
        text = _csv_text(spec.columns, tables[spec.name])
        files[folder / f"{spec.name}.csv"] = _text_writer(text, CSV_ENCODING)
    _refuse([p for p in files if p.exists()], overwrite)
    write_files(files)
    return str(folder)


def write_xlsx(data: NetworkData, path: Path, overwrite: bool = False) -> str:
    """Write one sheet per table into the workbook ``path``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    _refuse([path] if path.exists() else [], overwrite)
    tables = to_tables(data)

    def write(temp: Path) -> None:
        wb = Workbook(write_only=True)
        for spec in ALL_TABLES:
            ws = wb.create_sheet(spec.name)
            ws.append(list(spec.columns))
            for row in tables[spec.name]:
                cells: list[Any] = []
                for column in spec.columns:
                    value = row.get(column)
                    if isinstance(value, list):
                        value = cell_text(value)
                    if isinstance(value, str) and value.startswith("="):
                        cell = WriteOnlyCell(ws, value=value)
                        cell.data_type = "s"  # text that looks like a formula stays text
                        value = cell
                    cells.append(value)
                ws.append(cells)
        wb.save(temp)

    path.parent.mkdir(parents=True, exist_ok=True)
    write_files({path: write})
    return str(path)


def write_snapshot(snapshot: Snapshot, path: Path, overwrite: bool = True) -> str:
    """Write the snapshot JSON to ``path``."""
    _refuse([path] if path.exists() else [], overwrite)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_files({path: _text_writer(snapshot.to_json())})
    return str(path)
