"""act-007's budget (row 8) gets a third decimal."""

from pathlib import Path

from tests.hostile.edits import set_cell


def make(root: Path) -> None:
    network = root / "kb" / "network"
    set_cell(network / "activities.csv", "act-007", "budget", "37000.505")
