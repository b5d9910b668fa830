import os
import subprocess
from pathlib import Path

import pytest


def make(root: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root for chattr +i (a read-only folder does not stop root)")
    (root / "outputs").mkdir()
    done = subprocess.run(["chattr", "+i", str(root / "outputs")], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not possible here: {done.stderr.strip()}")
