"""The 2025-26 narratives of greening-tvet (its row starts on line 28) and youth-employment
(line 38) name a period and a cluster that do not exist; their cells span several lines."""

from pathlib import Path


def make(root: Path) -> None:
    path = root / "kb" / "network" / "narratives.csv"
    text = path.read_text(encoding="utf-8")
    for old, new in (("greening-tvet,2025-26", "greening-tvet,2026-27"),
                     ("youth-employment,2025-26", "youth-employmnt,2025-26")):  # fmt: skip
        assert old in text
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
