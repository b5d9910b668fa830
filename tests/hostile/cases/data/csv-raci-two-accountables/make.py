"""act-006's focal points (row 5) are made Accountable beside its convener (row 2)."""

import csv
import io
from pathlib import Path


def make(root: Path) -> None:
    path = root / "kb" / "network" / "raci.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    for row in rows:
        if row[:2] == ["act-006", "focal-point"]:
            row[2] = "A"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
