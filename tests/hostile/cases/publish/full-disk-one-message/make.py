import os
import subprocess
from pathlib import Path

import pytest


def make(root: Path) -> None:
    """outputs/ is a 600 KB file system: the lock and the first documents fit, the rest not."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a tiny file system for outputs/")
    (root / "outputs").mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(root / "outputs")],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
