"""Every other activity's budget gets 50 cents: rounded row by row, they would not add up."""

from __future__ import annotations

from pathlib import Path

from tests.edition.docx_tables import half_euro_budgets


def make(root: Path) -> None:
    half_euro_budgets(root / "kb" / "network" / "activities.csv")
