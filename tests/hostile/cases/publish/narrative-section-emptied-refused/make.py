"""The Africa cluster's 2025-26 'Impact' emptied (white space only) in the sample network."""

import csv
import io
from pathlib import Path


def make(root: Path) -> None:
    path = root / "kb" / "network" / "narratives.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    row = next(r for r in rows if r[:2] == ["africa", "2025-26"])
    row[rows[0].index("impact")] = " \n "
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
