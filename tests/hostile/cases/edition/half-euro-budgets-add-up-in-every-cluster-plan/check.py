"""Every cluster's plan: every total row, the "Total budget" line and the funding totals add
up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.edition.docx_tables import budget_problems


def check(root: Path, result: Any) -> None:
    plans = sorted((root / "plans").glob("*.docx"))
    assert len(plans) >= 8, plans
    problems = [p for plan in plans for p in budget_problems(plan)]
    assert not problems, "\n".join(problems)
