"""A network JSON whose third line holds a number of 10,000 digits."""

from pathlib import Path


def make(root: Path) -> None:
    text = '{\n  "organisations": [],\n  "network": ' + "7" * 10_000 + "\n}\n"
    (root / "big.json").write_text(text)
