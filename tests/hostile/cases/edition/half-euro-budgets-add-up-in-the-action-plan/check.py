"""Every total row, the "Total budget" line and the funding/aspiration totals add up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.edition.docx_tables import budget_problems


def check(root: Path, result: Any) -> None:
    problems = budget_problems(root / "plan.docx")
    assert not problems, "\n".join(problems)
