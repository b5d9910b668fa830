"""act-006's staff line (row 8) is co-financed beyond its amount; act-012's lines (rows 23-25)
add up to EUR 100 more than its budget."""

import csv
import io
from pathlib import Path


def make(root: Path) -> None:
    path = root / "kb" / "network" / "budget_lines.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = rows[0]
    for row in rows:
        if row[:2] == ["act-006", "Staff costs"]:
            row[header.index("cofinancing")] = "49500"
        if row[:2] == ["act-012", "Trainers and experts"]:
            row[header.index("amount")] = "19900"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
