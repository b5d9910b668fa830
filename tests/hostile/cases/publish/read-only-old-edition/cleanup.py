import subprocess
from pathlib import Path


def cleanup(root: Path) -> None:
    subprocess.run(["chattr", "-i", str(root / "outputs" / "2026-annual-meeting")], capture_output=True)
