"""The Africa cluster's activities are removed from the data."""

from __future__ import annotations

from pathlib import Path

from tests.edition.docx_tables import edit_csv, prune_dependants


def make(root: Path) -> None:
    edit_csv(root / "kb" / "network" / "activities.csv", lambda row: row["cluster"] != "africa")
    prune_dependants(root / "kb" / "network")
