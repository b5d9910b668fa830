"""act-009 (row 10) is in 'EUX'."""

import csv
import io
from pathlib import Path


def edit(path: Path, row_id: str, column: str, value: str) -> None:
    """Set ``column`` of the row whose first cell is ``row_id``."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r[0] == row_id)
    row[rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")


def make(root: Path) -> None:
    network = root / "kb" / "network"
    edit(network / "activities.csv", "act-009", "currency", "EUX")
