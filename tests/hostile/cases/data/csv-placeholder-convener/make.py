"""greening-tvet's convener (row 7) is a placeholder."""

from pathlib import Path

from tests.hostile.edits import set_cell


def make(root: Path) -> None:
    network = root / "kb" / "network"
    set_cell(network / "clusters.csv", "greening-tvet", "convener", "Dr. Amara Placeholder")
