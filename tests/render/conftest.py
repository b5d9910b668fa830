"""Fixtures of the rendering tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import TEMPLATES


@pytest.fixture(scope="session")
def handbook() -> Path:
    """A bundled template with one Markdown slot (base.docx; the fixture keeps its old name)."""
    return TEMPLATES / "base.docx"  # the neutral template: one {{p body }} slot


@pytest.fixture
def template_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a bundled template into a temporary folder (to edit it in a test)."""

    def copy(name: str = "base.docx") -> Path:
        target = tmp_path / name
        shutil.copy(TEMPLATES / name, target)
        return target

    return copy
