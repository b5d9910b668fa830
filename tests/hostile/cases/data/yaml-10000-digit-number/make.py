"""A copy of the sample network whose first KPI baseline has 10,000 digits."""

import shutil
from pathlib import Path


def make(root: Path) -> None:
    shutil.copytree(root / "kb" / "network", root / "net")
    path = root / "net" / "strategy.yaml"
    text = path.read_text(encoding="utf-8")
    assert "baseline: 0" in text
    path.write_text(text.replace("baseline: 0", "baseline: " + "9" * 10_000, 1), encoding="utf-8")
