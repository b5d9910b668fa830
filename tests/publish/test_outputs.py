"""What a publish leaves in outputs/: an edition with the ordinary modes of new files and
folders (0644 and 0755 under umask 022, whatever wrote them, even where an earlier build left
them private), and no lock file, whether the publish ends normally, by an error or by Ctrl-C;
and the lock still lets only one publish of an edition run at a time."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import NetdocsError
from tests.conftest import REPO, run
from tests.publish.conftest import as_in_a_terminal

EDITION = "2026-annual-meeting"
DEAD = 999_999_999
"""A process id no process has (above any kernel's pid_max)."""


def _child() -> None:
    os.umask(0o022)
    as_in_a_terminal()


def _netdocs(root: Path, *args: str, wait: bool = True) -> Any:
    """``netdocs ARGS`` in ``root`` as a separate process, with umask 022, in a session of its
    own (so Ctrl-C can reach it and its workers, as a terminal's would)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(SOURCE_DATE_EPOCH="1790000000", CI="true", PYTHONPATH=str(REPO))
    start = subprocess.run if wait else subprocess.Popen
    extra: dict[str, Any] = {"timeout": 300} if wait else {}
    return start(
        [sys.executable, "-m", "pipeline.cli", *args],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_child,  # noqa: PLW1509 - the umask and signals only
        start_new_session=True,
        **extra,
    )


def _modes(folder: Path) -> dict[str, set[str]]:
    """Mode (octal) -> paths of ``folder`` and everything in it having it, folders then files."""
    found: dict[str, set[str]] = {}
    for path in [folder, *folder.rglob("*")]:
        kind = "folder" if path.is_dir() else "file"
        mode = f"{kind} {stat.S_IMODE(path.lstat().st_mode):o}"
        found.setdefault(mode, set()).add(path.relative_to(folder.parent).as_posix())
    return found


def _left_in(outputs: Path) -> list[str]:
    """What a publish may have left beside the editions: locks, staging or old folders."""
    return sorted(p.name for p in outputs.iterdir() if p.name.startswith("."))


def test_a_publish_gives_ordinary_modes_and_removes_its_lock(published_copy: Any) -> None:
    project = published_copy(("docx",))
    outputs = project.outputs
    folder = outputs / EDITION
    # the edition as an earlier netdocs left it: the folder 0700, manifest.json and the
    # documents 0600 (the next publish links the unchanged ones: the same files); and the lock
    # file of a publish that was killed (kill -9), which holds no lock
    folder.chmod(0o700)
    for file in [folder / "manifest.json", *folder.rglob("*.docx")]:
        file.chmod(0o600)
    (outputs / f".{EDITION}.lock").write_text(f"process {DEAD}\n", encoding="utf-8")
    image = project.kb / "images" / "roadmap.png"  # shown by the handbook only: one to rebuild
    image.write_bytes(image.read_bytes() + b"\0")  # still a PNG: trailing bytes are ignored

    done = _netdocs(project.root, "publish", "--formats", "docx", "-j", "1")
    assert done.returncode == 0, done.stderr
    said = done.stdout + done.stderr
    assert "19 documents, 1 to build" in " ".join(said.split()), said
    assert f"took over the lock of {EDITION} left by an interrupted publish (process {DEAD}, " \
        "no longer running)" in " ".join(said.split()), said  # fmt: skip
    assert _left_in(outputs) == []  # no lock, no staging folder, no replaced edition
    modes = _modes(folder)
    assert set(modes) == {"folder 755", "file 644"}, modes
    assert {f"{EDITION}/clusters", f"{EDITION}/manifest.json"} <= modes["folder 755"] | modes[
        "file 644"
    ]


def test_a_publish_stopped_by_an_error_removes_its_lock(
    project: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # stopped by the checks (a template missing): before anything is written
    (project.templates / "strategy.docx").rename(project.root / "strategy.docx")
    result = run("publish", "--formats", "docx")
    assert result.exit_code == 1, result.output
    assert "template missing" in result.output
    assert _left_in(project.outputs) == []
    # stopped while the documents are built, the staging folder already made
    (project.root / "strategy.docx").rename(project.templates / "strategy.docx")
    from pipeline.publish import stages

    def fail(*args: Any, **kwargs: Any) -> None:
        assert _left_in(project.outputs)[0] == f".{EDITION}.lock"  # held while it runs
        raise NetdocsError("publish stopped: a document could not be built")

    monkeypatch.setattr(stages.Run, "stage_documents", fail)
    result = run("publish", "--formats", "docx")
    assert result.exit_code == 1, result.output
    assert "a document could not be built" in result.output
    assert list(project.outputs.iterdir()) == []  # no lock, no staging folder, no edition


def _signal_masks(pid: int) -> str:
    """How each thread of ``pid`` treats signals (blocked, ignored, caught), for a failure's
    message."""
    out = []
    for task in sorted(Path(f"/proc/{pid}/task").glob("*")):
        try:
            lines = (task / "status").read_text().splitlines()
        except OSError:
            continue
        keep = [ln for ln in lines if ln.startswith(("Name", "SigBlk", "SigIgn", "SigCgt"))]
        out.append(" ".join(keep))
    return "\n".join(out)


def test_ctrl_c_removes_the_lock(project: Any) -> None:
    process = _netdocs(project.root, "publish", "--formats", "docx", "-j", "2", wait=False)
    outputs = project.outputs
    deadline = time.monotonic() + 120
    while not list(outputs.glob(f".{EDITION}.staging-*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    assert (outputs / f".{EDITION}.lock").is_file(), "no staging folder within 2 minutes"
    time.sleep(0.5)  # the documents stage under way
    masks = _signal_masks(process.pid)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, f"{masks}\n{stderr}\n{stdout}"
    assert list(outputs.iterdir()) == []  # no lock, no staging folder, no half edition
    assert stat.S_IMODE(outputs.stat().st_mode) == 0o755


LOCKER = """
import os, sys, time
from pathlib import Path
from pipeline.publish.folders import LockedError, edition_lock
outputs, start, seconds = Path(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
held = refused = 0
time.sleep(max(0.0, start - time.time()))
end = max(start, time.time()) + seconds  # a second of racing, even for a slow starter
while time.time() < end:
    try:
        with edition_lock(outputs, "e"):
            os.close(os.open(outputs / "holder", os.O_CREAT | os.O_EXCL))  # two holders: fails
            os.unlink(outputs / "holder")
            held += 1
    except LockedError:
        refused += 1
print(held, refused)
"""


def test_racing_publishes_never_hold_the_lock_together(tmp_path: Path) -> None:
    """Each lock is removed by its holder while still locked; a process that locked the file
    just removed must see that it is no longer the lock and start over, else two processes
    hold "the" lock at once (three processes racing for a second found that every time)."""
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    start = time.time() + 2  # once every process has imported netdocs
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(outputs), str(start), "1"],
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [r.communicate(timeout=60) for r in racers]
    assert [r.returncode for r in racers] == [0, 0, 0], [err for _, err in results]
    held = [int(out.split()[0]) for out, _ in results]
    refused = [int(out.split()[1]) for out, _ in results]
    assert min(held) > 0, held  # each took the lock
    assert sum(refused) > 0, refused  # and was refused while another held it
    assert list(outputs.iterdir()) == []
