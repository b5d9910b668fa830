"""Every member of the Greening TVET cluster becomes pending: its shares have no base."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.edition.docx_tables import edit_csv


def make(root: Path) -> None:
    network = root / "kb" / "network"
    with open(network / "cluster_members.csv", encoding="utf-8-sig", newline="") as handle:
        members = {
            r["organisation"] for r in csv.DictReader(handle) if r["cluster"] == "greening-tvet"
        }

    def pending(row: dict[str, str]) -> bool:
        if row["id"] in members:
            row["status"] = "pending"
        return True

    edit_csv(network / "organisations.csv", pending)
