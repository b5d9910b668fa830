"""The review tests read the run's shared published edition (never changed: what a test
changes it copies) and make reviewed documents from its .docx files (:mod:`.reviewing`)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.publish.conftest import EDITION_FORMATS, first_edition

EDITION = "2026-annual-meeting"


@dataclass(frozen=True)
class Published:
    """The shared project and its edition (read only)."""

    root: Path

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def edition(self) -> Path:
        return self.outputs / EDITION

    @property
    def kb(self) -> Path:
        return self.root / "kb"

    def docx(self, stem: str) -> Path:
        return self.edition / f"{stem}.docx"

    def line_of(self, path: str, text: str) -> int:
        """The 1-based line of the article ``path`` that holds ``text``."""
        lines = (self.kb / path).read_text(encoding="utf-8").split("\n")
        found = [i + 1 for i, line in enumerate(lines) if text in line]
        assert found, f"{text!r} is not in {path}"
        return found[0]


@pytest.fixture(scope="session")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return Published(first_edition(tmp_path_factory, EDITION_FORMATS))


@pytest.fixture
def project(published: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Published:
    """A project of one's own, the current folder: a copy of the KB and netdocs.toml, the
    shared outputs linked (read only)."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(published.kb, root / "kb")
    shutil.copy2(published.root / "netdocs.toml", root / "netdocs.toml")
    (root / "outputs").symlink_to(published.outputs, target_is_directory=True)
    monkeypatch.chdir(root)
    return Published(root)
