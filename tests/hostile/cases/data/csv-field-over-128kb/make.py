"""A copy of the sample network whose third organisation has a 200,000-character name."""

import csv
import shutil
from pathlib import Path


def make(root: Path) -> None:
    shutil.copytree(root / "kb" / "network", root / "net")
    path = root / "net" / "organisations.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[3][1] = "x" * 200_000
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
