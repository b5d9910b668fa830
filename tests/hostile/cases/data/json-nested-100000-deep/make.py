"""{"network": [[[[...]]]]}, 100,000 levels deep (one line, 200 KB)."""

from pathlib import Path


def make(root: Path) -> None:
    depth = 100_000
    (root / "deep.json").write_text('{"network": ' + "[" * depth + "]" * depth + "}")
