"""Fixtures for search tests: a private copy of the bundled KB and a private cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_KB


@pytest.fixture
def kb_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled KB articles in tmp_path/kb; the cwd (and so the cache) is tmp_path."""
    dest = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, dest, ignore=shutil.ignore_patterns("network"))
    monkeypatch.chdir(tmp_path)
    return dest
