"""act-005's budget (row 6) is negative."""

from pathlib import Path

from tests.hostile.edits import set_cell


def make(root: Path) -> None:
    network = root / "kb" / "network"
    set_cell(network / "activities.csv", "act-005", "budget", "-229000")
