import subprocess
from pathlib import Path


def cleanup(root: Path) -> None:
    subprocess.run(["umount", str(root / "outputs")], capture_output=True)
