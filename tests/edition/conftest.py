"""The bundled project's whole edition, published once for the edition-wide tests.

``netdocs publish`` runs for real, in a subprocess, in a fresh copy of the bundled project,
with the formats the bundled publish makes except PDF (docx, and the handbook as HTML, EPUB
and ODT). Under ``pytest -n auto`` (xdist's default ``--dist load``, which may send these tests
to any worker) the first worker to need the edition publishes it into the run's shared temp
folder under a file lock; the others wait for it and read the same files, so a run publishes
once whatever the number of workers.

When ``netdocs publish`` refuses the bundled project (its check stage found problems), the
Word documents are drafted instead with ``netdocs build``, which builds unfinished material
with a warning, so the totals and leftovers can still be read and reported;
``test_leftovers.py::test_the_bundled_edition_publishes`` then fails with the refusal, and the
tests of the handbook's HTML, EPUB and ODT (which only ``publish`` makes) fail too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.publish.conftest import EDITION_FORMATS, locked, make_project

EPOCH = "1790000000"  # 2026-09-21 14:13 UTC, as in tests/documents: reproducible documents
FORMATS = ",".join(EDITION_FORMATS)  # every format of the bundled publish but PDF
TIMEOUT = 900  # seconds; a publish of the bundled project takes about 20 on one core


@dataclass(frozen=True)
class Edition:
    """The published edition: where it is and what it holds."""

    folder: Path
    """The edition folder (``outputs/EDITION``)."""
    docx: tuple[Path, ...]
    """Every built Word document: the network's and the per-cluster ones."""
    html: tuple[Path, ...]
    """The landing page and every page of the handbook's HTML site."""
    epub: tuple[Path, ...]
    odt: tuple[Path, ...]
    refused: str | None = None
    """Why ``netdocs publish`` refused the bundled project (the documents are then drafts
    made by ``netdocs build``), or ``None`` when it published."""

    def require_published(self) -> None:
        """Fail the test when publish refused the bundled project: only publish makes the
        handbook's HTML, EPUB and ODT."""
        if self.refused is not None:
            pytest.fail(
                "netdocs publish refused the bundled project (test_leftovers.py::"
                "test_the_bundled_edition_publishes says why), and only publish makes the "
                "handbook's HTML, EPUB and ODT",
                pytrace=False,
            )

    def name(self, path: Path) -> str:
        """A document as the failure messages name it: its path in the edition folder."""
        return path.relative_to(self.folder).as_posix()


def _netdocs(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(SOURCE_DATE_EPOCH=EPOCH, NO_COLOR="1", COLUMNS="200", CI="true")
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


DRAFTS = (
    ("strategy", "-o", "drafts/strategy.docx"),
    ("action-plan", "-o", "drafts/action-plan.docx"),
    ("handbook", "-o", "drafts/handbook.docx"),
    ("action-plan", "--all-clusters", "-j", "2", "-o", "drafts/clusters"),
    ("progress-report", "--all-clusters", "-j", "2", "-o", "drafts/clusters"),
)
"""``netdocs build`` runs that draft the edition's Word documents, as publish names them."""


def _publish(base: Path) -> None:
    """Publish the bundled project under ``base`` (or draft it, if publish refuses it);
    record the outcome in ``base``."""
    shutil.rmtree(base / "project", ignore_errors=True)  # a worker that died half-way
    root = make_project(base / "project")
    if (REPO / "netdocs.toml").is_file():  # the bundled project's own settings, when it has them
        shutil.copyfile(REPO / "netdocs.toml", root / "netdocs.toml")
    result = _netdocs(root, "publish", "--formats", FORMATS, "-j", "2")
    if result.returncode != 0:
        (base / "refused.txt").write_text(
            f"netdocs publish --formats {FORMATS} exited {result.returncode} on the bundled "
            f"project:\n{result.stdout}\n{result.stderr}",
            encoding="utf-8",
        )
        for args in DRAFTS:
            drafted = _netdocs(root, "build", *args)
            if drafted.returncode != 0:
                (base / "failed.txt").write_text(
                    f"netdocs publish refused the bundled project, and drafting it failed "
                    f"too: netdocs build {' '.join(args)} exited {drafted.returncode}:\n"
                    f"{drafted.stdout}\n{drafted.stderr}",
                    encoding="utf-8",
                )
                break
    (base / "done").write_text(str(result.returncode), encoding="utf-8")


def _publish_once(base: Path) -> None:
    """:func:`_publish`, with a hang recorded as a failure rather than retried by each worker."""
    try:
        _publish(base)
    except subprocess.TimeoutExpired as exc:
        (base / "failed.txt").write_text(
            f"netdocs did not finish within {exc.timeout} s: {' '.join(map(str, exc.cmd))}",
            encoding="utf-8",
        )
        (base / "done").write_text("timeout", encoding="utf-8")


def published_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the run's published edition (see the module doc), published now if no
    worker did yet: ``project/`` in it is the project, ``refused.txt`` or ``failed.txt`` say
    when publish refused the bundled project or failed."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, shared by its workers
    base = shared / "edition-published"
    base.mkdir(exist_ok=True)
    with locked(shared / "edition-published.lock"):
        if not (base / "done").is_file():
            _publish_once(base)
    return base


@pytest.fixture(scope="session")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Edition:
    """The bundled project's edition, published once per test run (see the module doc)."""
    base = published_base(tmp_path_factory)
    if (base / "failed.txt").is_file():
        pytest.fail((base / "failed.txt").read_text(encoding="utf-8"), pytrace=False)
    refused = None
    if (base / "refused.txt").is_file():
        refused = (base / "refused.txt").read_text(encoding="utf-8")
        folder = base / "project" / "drafts"
    else:
        outputs = base / "project" / "outputs"
        editions = [p for p in outputs.iterdir() if p.is_dir() and not p.name.startswith(".")]
        assert len(editions) == 1, f"one edition folder expected in {outputs}, found {editions}"
        folder = editions[0]
    found = Edition(
        folder=folder,
        docx=tuple(sorted(folder.rglob("*.docx"))),
        html=tuple(sorted(folder.rglob("*.html"))),
        epub=tuple(sorted(folder.rglob("*.epub"))),
        odt=tuple(sorted(folder.rglob("*.odt"))),
        refused=refused,
    )
    assert found.docx, f"no .docx built in {folder}"
    return found
