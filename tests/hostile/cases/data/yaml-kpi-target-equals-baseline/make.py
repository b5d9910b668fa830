"""a1-k1's target (line 20 of strategy.yaml) becomes 0, its baseline."""

from pathlib import Path


def make(root: Path) -> None:
    path = root / "kb" / "network" / "strategy.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    baseline: 0\n    target: 8\n" in text
    path.write_text(text.replace("    target: 8\n", "    target: 0\n", 1), encoding="utf-8")
