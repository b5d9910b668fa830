"""Edits the catalogue's ``make.py`` files make to a copy of the sample network's CSV files."""

from __future__ import annotations

import csv
import io
from pathlib import Path


def set_cell(path: Path, row_id: str, column: str, value: str) -> None:
    """Set ``column`` of the row whose first cell is ``row_id`` (the file keeps its BOM)."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r[0] == row_id)
    row[rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")


LESSON = "kb/lessons/lesson-action-plan-tied-to-academic-year.md"


def unfinished_kb_and_data(root: Path) -> None:
    """A TODO left in a lesson and a placeholder convener in the data."""
    lesson = root / LESSON
    text = lesson.read_text(encoding="utf-8").rstrip("\n") + "\n"
    lesson.write_text(text + "\nTODO: add the 2025 figures.\n", encoding="utf-8")
    clusters = root / "kb" / "network" / "clusters.csv"
    rows = list(csv.reader(io.StringIO(clusters.read_text(encoding="utf-8-sig"))))
    column = rows[0].index("convener")
    for row in rows:
        if row[0] == "greening-tvet":
            row[column] = "Dr. Amara Placeholder"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    clusters.write_text(out.getvalue(), encoding="utf-8")


def unfinished_where(root: Path) -> tuple[str, str]:
    """Where the two are: the TODO's path:line, the convener's FILE:ROW:COLUMN."""
    lines = (root / LESSON).read_text(encoding="utf-8").split("\n")
    todo = next(i for i, line in enumerate(lines, 1) if line.startswith("TODO: add the 2025"))
    clusters = (root / "kb" / "network" / "clusters.csv").read_text(encoding="utf-8")
    row = next(i for i, line in enumerate(clusters.split("\n"), 1) if "Amara" in line)
    return f"{LESSON}:{todo}", f"clusters.csv:{row}:convener"
