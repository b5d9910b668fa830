from pathlib import Path
from typing import Any

from tests.hostile.edits import unfinished_where


def check(root: Path, result: Any) -> None:
    """Both are listed in the one refusal, each at its place, as errors."""
    at_kb, at_data = unfinished_where(root)
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: publish stopped before writing anything: "), lines[0]
    assert sum(line.startswith("error: ") for line in lines) == 1  # one refusal
    assert any(line.startswith(f"  {at_kb}: error: ") and "'TODO'" in line for line in lines)
    assert any(at_data in line and ": error: " in line and "Dr. Amara Placeholder" in line
               for line in lines)  # fmt: skip
