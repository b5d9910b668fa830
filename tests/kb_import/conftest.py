"""Shared fixtures of the ``kb import`` tests: the real documents, each imported once."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.kb import KnowledgeBase, read_kb
from pipeline.kb.docx_import import ImportPlan, plan_import, write_import

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 12, 1)
"""The import day of every test (so ``review_by`` and the no-date warning are fixed)."""

REAL = {
    "comments": "pandoc-comments.docx",
    "insertion": "pandoc-track_changes_insertion.docx",
    "deletion": "pandoc-track_changes_deletion.docx",
    "notes": "pandoc-notes.docx",
    "tables": "pandoc-tables.docx",
    "image": "pandoc-image.docx",
    "links": "pandoc-links.docx",
    "lists": "pandoc-lists.docx",
    "quotes": "pandoc-block_quotes.docx",
    "headers": "pandoc-headers.docx",
    "python-docx": "python-docx-test.docx",
    "18f": "18f-travel-and-leave.docx",
}
"""Short name -> fixture file (see fixtures/README.md for where each comes from)."""


def empty_kb(root: Path) -> KnowledgeBase:
    return KnowledgeBase(root=root, articles=[], problems=[])


def import_into(root: Path, source: Path, **options: object) -> ImportPlan:
    """Import ``source`` into the KB at ``root`` (empty or not) and return the plan."""
    base = read_kb(root) if root.is_dir() else empty_kb(root)
    plan = plan_import(source, base, today=TODAY, **options)  # type: ignore[arg-type]
    write_import(plan)
    return plan


@pytest.fixture(scope="session")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ImportPlan, Path]]:
    """Each real document imported into a KB of its own: name -> (plan, KB folder)."""
    out = {}
    for name, file in REAL.items():
        root = tmp_path_factory.mktemp("kb-" + name)
        out[name] = (import_into(root, FIXTURES / file), root)
    return out


def article_text(imported: dict[str, tuple[ImportPlan, Path]], name: str, n: int = 0) -> str:
    """The file of the ``n``-th article imported from document ``name``."""
    plan, root = imported[name]
    return (root / plan.articles[n].path).read_text(encoding="utf-8")
