"""Fixtures for search tests: a private copy of the bundled KB and a private cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import BUNDLED_KB, run


@pytest.fixture
def kb_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled KB articles in tmp_path/kb; the cwd (and so the cache) is tmp_path."""
    dest = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB, dest, ignore=shutil.ignore_patterns("network"))
    monkeypatch.chdir(tmp_path)
    return dest


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("built")
    dest = root / "kb"
    shutil.copytree(BUNDLED_KB, dest, ignore=shutil.ignore_patterns("network"))
    before = os.getcwd()
    os.chdir(root)
    try:
        assert run("index", "--kb", str(dest)).exit_code == 0
    finally:
        os.chdir(before)
    return dest


@pytest.fixture
def kb_built(_built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """:func:`kb_copy` with its index built once per module: for tests that only read the KB
    (the cwd, and so the cache, is its parent)."""
    monkeypatch.chdir(_built.parent)
    return _built
