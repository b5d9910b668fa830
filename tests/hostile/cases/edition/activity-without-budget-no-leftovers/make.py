"""The budget of every activity led in 2026 is left empty."""

from __future__ import annotations

from pathlib import Path

from tests.edition.docx_tables import edit_csv, prune_dependants


def make(root: Path) -> None:
    def no_budget(row: dict[str, str]) -> bool:
        if row["start"].startswith("2026-0"):
            row["budget"] = ""
        return True

    edit_csv(root / "kb" / "network" / "activities.csv", no_budget)
    prune_dependants(root / "kb" / "network")
