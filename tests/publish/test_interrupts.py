"""A publish that is killed, terminated or interrupted leaves no process, no lock and no staging
folder behind, and the next publish runs; the swap never leaves the edition path empty."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.publish.folders import LockedError, edition_lock, swap
from pipeline.publish.manifest import MANIFEST
from tests.publish.conftest import as_in_a_terminal, make_project

EDITION = "2026-annual-meeting"


def _processes() -> list[tuple[int, int, str]]:
    """(pid, session id, command line) of every process."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] == "Z":
            continue
        out.append((int(entry.name), int(fields[3]), cmd))
    return out


def _left_by(pid: int) -> list[str]:
    """Processes of the publish ``pid``: its session (workers, the fork server) and the
    LibreOffice it started (its pipe name carries the pid)."""
    return [
        f"{p} {cmd[:120]}"
        for p, sid, cmd in _processes()
        if p != pid and (sid == pid or f"netdocs-{pid}-" in cmd)
    ]


def _wait_for(condition, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {seconds} s waiting for {what}")


def _start(root: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000", "CI": "true"}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "publish", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=as_in_a_terminal,  # noqa: PLW1509 - signals only
    )


def _workers_running(process: subprocess.Popen[str]) -> bool:
    # the fork server and at least one worker: the documents stage is under way
    return len([p for p, sid, _ in _processes() if sid == process.pid and p != process.pid]) >= 2


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _publish_again(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000", "CI": "true"}
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "publish", "--formats", "docx", "-j", "2"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_kill_9_leaves_no_worker_and_no_lock(root: Path) -> None:
    process = _start(root, "--formats", "docx", "-j", "2")
    _wait_for(lambda: _workers_running(process), 120, "the document workers")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    _wait_for(lambda: not _left_by(process.pid), 15, f"orphans to end: {_left_by(process.pid)}")
    again = _publish_again(root)
    assert again.returncode == 0, again.stderr
    assert "another netdocs publish" not in again.stderr
    assert (root / "outputs" / EDITION / MANIFEST).is_file()
    assert not list((root / "outputs").glob(f".{EDITION}.staging-*"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_kill_9_during_pdfs_ends_libreoffice(root: Path) -> None:
    process = _start(root, "--formats", "docx,pdf", "-j", "2")
    _wait_for(
        lambda: any(f"netdocs-{process.pid}-" in cmd for _, _, cmd in _processes()),
        120,
        "LibreOffice to start",
    )
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    _wait_for(lambda: not _left_by(process.pid), 20, f"orphans to end: {_left_by(process.pid)}")


@pytest.mark.parametrize(
    ("sig", "status", "said"),
    [(signal.SIGTERM, 143, "terminated"), (signal.SIGINT, 130, "interrupted")],
    ids=["SIGTERM", "Ctrl-C"],
)
def test_terminate_and_ctrl_c_end_cleanly(
    root: Path, sig: signal.Signals, status: int, said: str
) -> None:
    process = _start(root, "--formats", "docx", "-j", "2")
    _wait_for(lambda: _workers_running(process), 120, "the document workers")
    # Ctrl-C in a terminal reaches the whole foreground group: workers too
    os.killpg(process.pid, sig) if sig == signal.SIGINT else os.kill(process.pid, sig)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == status, stderr
    assert stderr.count(said) == 1, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert not list((root / "outputs").glob(f".{EDITION}.staging-*"))
    assert not (root / "outputs" / EDITION).exists()
    _wait_for(lambda: not _left_by(process.pid), 15, f"workers to end: {_left_by(process.pid)}")


def test_the_lock_names_its_holder_and_is_not_inherited(tmp_path: Path) -> None:
    outputs = tmp_path / "outputs"
    code = (
        "from pathlib import Path; from pipeline.publish.folders import edition_lock, "
        "LockedError\n"
        "try:\n"
        f"    with edition_lock(Path({str(outputs)!r}), {EDITION!r}): print('got it')\n"
        "except LockedError as e: print(e.format_message())\n"
    )
    with edition_lock(outputs, EDITION) as notes:
        assert notes == []
        with pytest.raises(LockedError, match=f"process {os.getpid()}"):
            with edition_lock(outputs, EDITION):
                pass
        # another process cannot take it while we hold it, and is told who holds it (the
        # file is not opened here: closing any descriptor of it would drop a POSIX lock)
        child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert f"is running (process {os.getpid()})" in child.stdout, child.stderr
    assert not (outputs / f".{EDITION}.lock").exists()  # removed when the lock is released
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert child.stdout.strip() == "got it", child.stderr


def _edition(folder: Path, text: str) -> None:
    folder.mkdir(parents=True)
    (folder / "strategy.docx").write_text(text)
    (folder / MANIFEST).write_text('{"netdocs": "0.1.0", "files": []}')


def test_the_edition_is_always_there_while_it_is_swapped(tmp_path: Path) -> None:
    target = tmp_path / EDITION
    _edition(target, "edition 0")
    missing: list[int] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if not (target / MANIFEST).is_file():
                missing.append(1)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for i in range(1, 151):
            staging = tmp_path / f".{EDITION}.staging-{i}"
            _edition(staging, f"edition {i}")
            assert swap(staging, target) == []
            assert not staging.exists()
    finally:
        stop.set()
        watcher.join()
    assert (target / "strategy.docx").read_text() == "edition 150"
    assert missing == [], f"the edition path was empty {len(missing)} times"
    assert sorted(p.name for p in tmp_path.iterdir()) == [EDITION]


def test_swap_without_exchange_falls_back_to_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pipeline.publish.folders as folders

    monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
    target = tmp_path / EDITION
    _edition(target, "old")
    staging = tmp_path / ".staging"
    _edition(staging, "new")
    assert swap(staging, target) == []
    assert (target / "strategy.docx").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == [EDITION]


def test_a_folder_filled_while_the_edition_was_built_is_not_replaced(tmp_path: Path) -> None:
    from pipeline.errors import UsageError

    target = tmp_path / EDITION
    target.mkdir()  # empty when publish looked at it first: allowed
    staging = tmp_path / ".staging"
    _edition(staging, "new")
    (target / "notes.txt").write_text("written by hand during the build")
    with pytest.raises(UsageError, match="is not an edition made by netdocs"):
        swap(staging, target)
    assert (target / "notes.txt").read_text() == "written by hand during the build"
    assert (staging / "strategy.docx").read_text() == "new"


def test_a_replaced_edition_that_cannot_be_removed_is_noted_and_removed_next_time(
    tmp_path: Path,
) -> None:
    from pipeline.publish.folders import recover

    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr to make a file that cannot be removed")
    target = tmp_path / EDITION
    _edition(target, "old")
    stuck = target / "stuck.txt"
    stuck.write_text("immutable")
    if subprocess.run(["chattr", "+i", str(stuck)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not possible here")
    staging = tmp_path / f".{EDITION}.staging-1"
    _edition(staging, "new")
    try:
        notes = swap(staging, target)
        assert len(notes) == 1 and "could not be removed" in notes[0], notes
        assert (target / "strategy.docx").read_text() == "new"
    finally:
        subprocess.run(["chattr", "-i", str(staging / "stuck.txt")], capture_output=True)
    recover(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == [EDITION]
