from pathlib import Path


def check(root: Path, result) -> None:
    left = [p.name for p in (root / "outputs").iterdir() if p.name.startswith(".2026")]
    assert left == [], left
