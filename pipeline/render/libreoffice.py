"""LibreOffice processes for the PDF stage: finding the tools, one long-lived office, batches.

- :func:`soffice_path` and :func:`uno_python` find the ``soffice`` executable and a Python that
  can ``import uno`` (overridable with ``NETDOCS_SOFFICE`` and ``NETDOCS_UNO_PYTHON``).
- :class:`Office` is one headless LibreOffice with a private profile, started by us, plus the
  UNO worker script (:mod:`.uno_worker`) that drives it; requests go as JSON lines with a
  deadline each. It raises :class:`OfficeGone` when LibreOffice or the worker died and
  :class:`OfficeTimeout` when a request ran out of time (both leave it to the caller to
  :meth:`Office.stop` and start anew).
- :func:`convert_batch` is the fallback without UNO: one ``soffice --convert-to pdf`` process
  for many files at once.

Both run LibreOffice in a new session (Ctrl-C in the terminal does not reach it), so the owner
decides how it ends: :meth:`Office.stop` asks it to quit, then terminates and kills it, and
removes the profile.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..fs import remove_tree

log = logging.getLogger(__name__)

WORKER = Path(__file__).with_name("uno_worker.py")
SOFFICE_ENV = "NETDOCS_SOFFICE"
"""Environment variable naming the LibreOffice executable to use."""
UNO_PYTHON_ENV = "NETDOCS_UNO_PYTHON"
"""Environment variable naming a Python interpreter that can ``import uno``."""
_MAC_SOFFICE = Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")


class OfficeGone(Exception):
    """LibreOffice or its worker stopped (crashed, killed) while we needed it."""


class OfficeTimeout(Exception):
    """A request to LibreOffice did not finish in time."""


def soffice_path(explicit: str | Path | None = None) -> str | None:
    """The LibreOffice executable, or ``None`` when it is not installed.

    ``explicit`` (else ``$NETDOCS_SOFFICE``) names it; it must then be an executable file.
    """
    named = explicit if explicit is not None else os.environ.get(SOFFICE_ENV)
    if named:
        found = shutil.which(str(named))
        return found if found and Path(found).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return str(_MAC_SOFFICE) if _MAC_SOFFICE.is_file() else None


def uno_python(soffice: str, explicit: str | Path | None = None) -> str | None:
    """A Python interpreter that can ``import uno`` for ``soffice``, or ``None``.

    ``explicit`` (else ``$NETDOCS_UNO_PYTHON``) is the only candidate when given; otherwise the
    Python bundled with LibreOffice (macOS, Windows), then the system ``python3`` (Debian and
    Ubuntu put ``python3-uno`` there).
    """
    named = explicit if explicit is not None else os.environ.get(UNO_PYTHON_ENV)
    if named:
        candidates = [str(named)]
    else:
        program = Path(os.path.realpath(soffice)).parent
        candidates = [
            str(program / "python"),
            str(program.parent / "Resources" / "python"),
            "/usr/bin/python3",
            shutil.which("python3") or "",
        ]
    for candidate in dict.fromkeys(c for c in candidates if c):
        if _imports_uno(candidate):
            return candidate
    return None


@functools.lru_cache(maxsize=16)
def _imports_uno(python: str) -> bool:
    found = shutil.which(python)
    if not found:
        return False
    try:
        done = subprocess.run(
            [found, "-I", "-c", "import uno"],
            capture_output=True,
            timeout=30,
            check=False,
            env=_clean_env(),
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def _clean_env(home: str | None = None) -> dict[str, str]:
    """The environment without this interpreter's Python settings (the venv's)."""
    drop = {"PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    if home is not None:
        env["HOME"] = home
    return env


def _soffice_command(soffice: str, profile: Path, *extra: str) -> list[str]:
    return [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        *extra,
    ]


class Office:
    """One headless LibreOffice and the UNO worker connected to it."""

    def __init__(self, soffice: str, python: str, *, start_timeout: float = 60.0) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="netdocs-office-"))
        self._log = open(self.folder / "office.log", "wb")  # noqa: SIM115 - closed in stop()
        pipe = f"netdocs-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        self._soffice: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[bytes] | None = None
        self._buffer = b""
        self._next_id = 0
        self._ready = False
        self.busy = False
        try:
            self._soffice = subprocess.Popen(
                _soffice_command(
                    soffice,
                    self.folder / "profile",
                    f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
                ),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=self._log,
                env=_clean_env(home=str(self.folder)),
                start_new_session=True,
            )
            self._worker = subprocess.Popen(
                [
                    python,
                    "-I",
                    str(WORKER),
                    "--pipe",
                    pipe,
                    "--connect-timeout",
                    str(start_timeout),
                    "--parent",
                    str(os.getpid()),
                    "--office-group",
                    str(self._soffice.pid),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                env=_clean_env(home=str(self.folder)),
                start_new_session=True,
            )
        except BaseException:
            self.stop()
            raise
        self._start_timeout = start_timeout
        self._ready = False
        log.debug("LibreOffice starting (pid %s), profile in %s", self._soffice.pid, self.folder)

    def wait_ready(self) -> None:
        """Wait until the worker is connected to LibreOffice (start-up runs in the background)."""
        if self._ready:
            return
        ready = self._read(self._start_timeout + 5)
        if ready.get("event") != "ready":
            raise OfficeGone(f"unexpected first message from the UNO worker: {ready}")
        self._ready = True

    def log_tail(self, limit: int = 600) -> str:
        """The end of what LibreOffice and the worker wrote (for error messages)."""
        try:
            text = (self.folder / "office.log").read_text("utf-8", "replace")
        except OSError:
            return ""
        lines = [ln for ln in text.splitlines() if "javaldx" not in ln and ln.strip()]
        return "\n".join(lines)[-limit:]

    @property
    def pid(self) -> int | None:
        """Process id of LibreOffice (the leader of its process group)."""
        return self._soffice.pid if self._soffice is not None else None

    def alive(self) -> bool:
        return all(p is not None and p.poll() is None for p in (self._soffice, self._worker))

    def request(self, message: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait at most ``timeout`` seconds for its answer."""
        self.wait_ready()
        assert self._worker is not None and self._worker.stdin is not None
        self._next_id += 1
        message = {**message, "id": self._next_id}
        self.busy = True
        try:
            self._worker.stdin.write((json.dumps(message) + "\n").encode("utf-8"))
            self._worker.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise OfficeGone(f"the UNO worker stopped: {exc}") from exc
        answer = self._read(timeout)
        if answer.get("id") != self._next_id:
            raise OfficeGone(f"out-of-step answer from the UNO worker: {answer}")
        if answer.get("fatal"):
            raise OfficeGone(str(answer.get("error", "LibreOffice stopped")))
        self.busy = False
        return answer

    def _read(self, timeout: float) -> dict[str, Any]:
        """The next JSON line from the worker; checks both processes while waiting."""
        assert self._worker is not None and self._worker.stdout is not None
        fd = self._worker.stdout.fileno()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise OfficeTimeout(f"no answer from LibreOffice within {timeout:g} s")
                if selector.select(min(left, 0.5)):
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        raise OfficeGone("the UNO worker stopped")
                    self._buffer += chunk
                elif not self.alive():
                    raise OfficeGone("LibreOffice stopped")
        line, _, self._buffer = self._buffer.partition(b"\n")
        try:
            answer: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError as exc:
            raise OfficeGone(f"garbled answer from the UNO worker: {line[:200]!r}") from exc
        return answer

    def stop(self, *, grace: float = 10.0) -> None:
        """End the worker and LibreOffice (politely when idle, else at once); remove the profile."""
        worker, soffice = self._worker, self._soffice
        polite = self._ready and not self.busy and self.alive()
        if worker is not None and worker.stdin is not None:
            if polite:
                try:
                    worker.stdin.write(b'{"op": "quit"}\n')
                    worker.stdin.flush()
                except OSError:
                    polite = False
            try:
                worker.stdin.close()
            except OSError:
                pass  # the worker is gone already: nothing to close
        for process in (worker, soffice):
            if process is not None:
                _end(process, grace if polite else 0.0)
        if worker is not None and worker.stdout is not None:
            worker.stdout.close()
        self._log.close()
        try:
            remove_tree(self.folder)  # the private profile, read-only parts included
        except OSError as exc:  # a file LibreOffice still holds: the system's /tmp cleaning
            log.debug("LibreOffice profile %s not removed: %s", self.folder, exc)
        self._worker = self._soffice = None


def _end(process: subprocess.Popen[bytes], grace: float) -> None:
    """Wait ``grace`` seconds for ``process`` and its group to exit, then terminate, then kill.

    LibreOffice's launcher can exit before ``soffice.bin`` does, so the whole process group
    (started with ``start_new_session``) is waited for, not only the launcher.
    """
    if _wait_group(process, grace):
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        _signal_group(process, sig)
        if _wait_group(process, 5.0):
            return


def _wait_group(process: subprocess.Popen[bytes], seconds: float) -> bool:
    """Wait up to ``seconds`` for ``process`` to exit and its process group to empty."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None and not _group_alive(process.pid):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)


def _group_alive(pgid: int) -> bool:
    if sys.platform == "win32":
        return False
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    try:
        if sys.platform != "win32":
            os.killpg(process.pid, sig)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass  # already gone


@dataclass(frozen=True)
class BatchOutcome:
    """What :func:`convert_batch` made of one file."""

    docx: Path
    """The input."""
    pdf: Path | None
    """The PDF produced (in the batch folder), ``None`` when LibreOffice made none."""


def convert_batch(
    soffice: str, files: Sequence[Path], folder: Path, timeout: float
) -> tuple[list[BatchOutcome], str]:
    """Convert ``files`` to PDF in ``folder`` with one ``soffice --convert-to pdf`` process.

    The files' stems must be unique (the PDFs are named after them). Returns one outcome per
    file, in order, and what LibreOffice printed (to explain a missing PDF). Raises
    :class:`OfficeTimeout` when the whole batch takes more than ``timeout`` seconds.
    """
    out = folder / "out"
    command = _soffice_command(soffice, folder / "profile", "--convert-to", "pdf")
    command += ["--outdir", str(out), *(str(f.resolve()) for f in files)]
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_clean_env(home=str(folder)),
        start_new_session=True,
    )
    try:
        printed, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _end(process, 0.0)
        process.communicate()
        raise OfficeTimeout(f"LibreOffice did not finish within {timeout:g} s") from exc
    except BaseException:  # Ctrl-C: do not leave LibreOffice running
        _end(process, 0.0)
        raise
    output = printed.decode("utf-8", "replace")
    outcomes = []
    for file in files:
        produced = out / f"{file.stem}.pdf"
        outcomes.append(BatchOutcome(file, produced if produced.is_file() else None))
    return outcomes, output
