"""No leftover anywhere in the plan, and its totals add up without the missing budgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.edition.docx_tables import budget_problems
from tests.edition.test_leftovers import docx_parts, leftovers


def check(root: Path, result: Any) -> None:
    problems = leftovers("plan.docx", docx_parts(root / "plan.docx"))
    problems += budget_problems(root / "plan.docx")
    assert not problems, "\n".join(problems)
