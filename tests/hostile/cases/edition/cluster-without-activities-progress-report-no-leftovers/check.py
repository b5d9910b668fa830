"""No leftover anywhere in the report (a share of nothing is left out, not printed as nan)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.edition.docx_tables import read_tables, total_problems
from tests.edition.test_leftovers import docx_parts, leftovers


def check(root: Path, result: Any) -> None:
    problems = leftovers("report.docx", docx_parts(root / "report.docx"))
    problems += list(total_problems(read_tables(root / "report.docx")))
    assert not problems, "\n".join(problems)
