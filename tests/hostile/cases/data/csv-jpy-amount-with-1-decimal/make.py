"""act-011 (row 12) is budgeted in yen, with half a yen."""

from pathlib import Path

from tests.hostile.edits import set_cell


def make(root: Path) -> None:
    network = root / "kb" / "network"
    set_cell(network / "activities.csv", "act-011", "currency", "JPY")
    set_cell(network / "activities.csv", "act-011", "budget", "1000.5")
