"""m-03 (row 4) is owned by org-999, which is neither a member organisation nor a role."""

from pathlib import Path

from tests.hostile.edits import set_cell


def make(root: Path) -> None:
    set_cell(root / "kb" / "network" / "milestones.csv", "m-03", "owner", "org-999")
