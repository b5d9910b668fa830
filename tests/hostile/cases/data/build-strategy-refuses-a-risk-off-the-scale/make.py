"""r-01's likelihood (row 2) is 7, off the register's 1-5 scale."""

from pathlib import Path

from tests.hostile.edits import set_cell


def make(root: Path) -> None:
    set_cell(root / "kb" / "network" / "risks.csv", "r-01", "likelihood", "7")
