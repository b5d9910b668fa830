"""A private copy of the bundled project to publish from (its netdocs.toml included: the
documents' dates come from its as_of, not from SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import load_settings
from tests.conftest import REPO


def make_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "kb", root / "kb")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy2(REPO / "netdocs.toml", root / "netdocs.toml")  # edition, title and dates
    return root


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return load_settings(cwd=root)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The bundled project published once, in every format."""
    from pipeline.publish.run import publish

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1790000000"
    root = make_project(tmp_path_factory.mktemp("full") / "project")
    settings = load_settings(cwd=root)
    report = publish(settings)
    yield settings, report
    if old is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = old
