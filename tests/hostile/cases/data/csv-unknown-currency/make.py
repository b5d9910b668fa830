"""act-009 (row 10) is in 'EUX'."""

from pathlib import Path

from tests.hostile.edits import set_cell


def make(root: Path) -> None:
    network = root / "kb" / "network"
    set_cell(network / "activities.csv", "act-009", "currency", "EUX")
