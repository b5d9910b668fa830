"""A private copy of the bundled project to publish from (its netdocs.toml included: the
documents' dates come from its as_of, not from SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import load_settings
from tests.conftest import REPO

EPOCH = "1790000000"
"""SOURCE_DATE_EPOCH of every publish here (2026-09-21 14:13 UTC): reproducible documents."""


def make_project(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "kb", root / "kb")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy2(REPO / "netdocs.toml", root / "netdocs.toml")  # edition, title and dates
    return root


def as_in_a_terminal() -> None:
    """``preexec_fn`` of a command a test interrupts: SIGINT and SIGTERM as a terminal's
    foreground command has them (default, not blocked). A test run started in the background
    by a shell without job control (``cmd &`` in a script, CI wrappers) has SIGINT ignored,
    and a child inherits that: it would never see the test's Ctrl-C."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return load_settings(cwd=root)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """``(settings, folder)``: the bundled project published in every format, as ``netdocs
    publish`` without ``--formats`` does, once per test run whatever the number of workers
    (read it, never change it: copy it). It is a copy of the run's first edition in every
    format but PDF (:func:`first_edition`), published again, which adds the PDFs (when
    LibreOffice is there) and reuses the rest."""
    from pipeline.publish.run import publish

    shared = shared_temp(tmp_path_factory)
    base = shared / "published-every-format"
    root = base / "project"
    with pytest.MonkeyPatch.context() as inside:
        inside.setenv("SOURCE_DATE_EPOCH", EPOCH)
        with locked(shared / f"{base.name}.lock"):
            if not (base / "done").is_file():
                shutil.rmtree(base, ignore_errors=True)  # a worker that failed half-way
                first = first_edition(tmp_path_factory, EDITION_FORMATS)
                shutil.copytree(first, root, symlinks=True)
                publish(load_settings(cwd=root))
                (base / "done").write_text("published", encoding="utf-8")
        settings = load_settings(cwd=root)
        yield settings, settings.outputs / settings.edition


EDITION_FORMATS = ("docx", "html", "epub", "odt")
"""The formats ``tests/edition`` publishes the bundled project in (``--formats
docx,html,epub,odt``): :func:`first_edition` in them is that edition."""


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created) for the block, across processes."""
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def shared_temp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The run's temp folder, shared by its xdist workers (each worker's own folder else)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def first_edition(tmp_path_factory: pytest.TempPathFactory, formats: tuple[str, ...]) -> Path:
    """The root of a project whose first edition was published in ``formats``, once per test
    run whatever the number of workers: the first worker to need it publishes it under a file
    lock, the others wait for it. Never modify it: copy it."""
    from pipeline.publish.run import publish

    if formats == EDITION_FORMATS:  # the edition tests/edition publishes: the same one
        from tests.edition.conftest import published_base

        edition = published_base(tmp_path_factory)
        for problem in ("failed.txt", "refused.txt"):
            if (edition / problem).is_file():
                pytest.fail((edition / problem).read_text(encoding="utf-8"), pytrace=False)
        return edition / "project"
    shared = shared_temp(tmp_path_factory)
    base = shared / f"first-edition-{'-'.join(formats)}"
    with locked(shared / f"{base.name}.lock"):
        if not (base / "done").is_file():
            shutil.rmtree(base, ignore_errors=True)  # a worker that failed half-way
            root = make_project(base / "project")
            with pytest.MonkeyPatch.context() as inside:
                inside.setenv("SOURCE_DATE_EPOCH", EPOCH)
                inside.chdir(root)
                publish(load_settings(cwd=root), formats=formats, processes=1)
            (base / "done").write_text("published", encoding="utf-8")
    return base / "project"


@pytest.fixture
def published_copy(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Any:
    """``published_copy(formats)``: the settings of a private copy of the bundled project whose
    edition was published in ``formats`` (:func:`first_edition`, ``processes=1``, the
    SOURCE_DATE_EPOCH of :func:`project`). Tests that start from a first edition copy it
    instead of each publishing the same one again."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)

    def copy(formats: tuple[str, ...]) -> Any:
        first = first_edition(tmp_path_factory, formats)
        root = tmp_path_factory.mktemp("copy") / "project"
        shutil.copytree(first, root, symlinks=True)
        monkeypatch.chdir(root)
        return load_settings(cwd=root)

    return copy
