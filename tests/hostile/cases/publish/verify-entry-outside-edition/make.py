import os
from pathlib import Path


def make(root: Path) -> None:
    os.symlink("..", root / "ed" / "link")
