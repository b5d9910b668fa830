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


_FIRST: dict[tuple[str, ...], Path] = {}
"""The bundled project published once per set of formats (in this process), to copy."""


@pytest.fixture
def published_copy(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """``published_copy(formats)``: the settings of a private copy of the bundled project whose
    edition was published once in ``formats`` (``processes=1``, the SOURCE_DATE_EPOCH of
    :func:`project`). Tests that start from a first edition copy it instead of each publishing
    the same one again."""
    from pipeline.publish.run import publish

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")

    def copy(formats: tuple[str, ...]) -> Any:
        if formats not in _FIRST:
            root = make_project(tmp_path_factory.mktemp("first") / "project")
            with monkeypatch.context() as inside:
                inside.chdir(root)
                publish(load_settings(cwd=root), formats=formats, processes=1)
            _FIRST[formats] = root
        root = tmp_path / "project"
        shutil.copytree(_FIRST[formats], root, symlinks=True)
        monkeypatch.chdir(root)
        return load_settings(cwd=root)

    return copy
