import subprocess
from pathlib import Path


def cleanup(root: Path) -> None:
    edition = root / "outputs" / "2026-annual-meeting"
    subprocess.run(["chattr", "-i", str(edition)], capture_output=True)
