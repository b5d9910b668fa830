from pathlib import Path
from typing import Any

from tests.hostile.edits import unfinished_where


def check(root: Path, result: Any) -> None:
    """Each is one located warning line; one note says publish refuses them."""
    at_kb, at_data = unfinished_where(root)
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"warning: {at_kb}: ") and "'TODO'" in line for line in lines)
    assert any(line.startswith("warning: ") and at_data in line and "Dr. Amara Placeholder" in line
               for line in lines)  # fmt: skip
    notes = [line for line in lines if line.startswith("note: ")]
    assert len(notes) == 1 and "netdocs publish refuses them until they are fixed" in notes[0]
    assert not any(line.startswith("error") for line in lines)
