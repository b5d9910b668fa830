"""Worker processes that are safe to start from a program with threads, and die with it.

netdocs never forks a process that has threads running (a fork copies locks held by other
threads, such as ``tempfile``'s or the import lock, and the child waits on them forever).
Workers come from a ``forkserver``: a fresh, single-threaded server process started by
fork+exec, from which each worker is forked. Every worker

- receives the shared inputs once, pickled, with the parent's environment, folder and log level
  (the server was started earlier and may have older ones);
- ignores Ctrl-C: the parent handles it, ends the pool, and says so once (the server is
  started with Ctrl-C ignored, which an exec keeps, so even a worker still starting is quiet);
- dies with the parent: ``PR_SET_PDEATHSIG`` kills it when the server exits, which the server
  does when the parent dies, and a watchdog thread checks the parent's process id as well.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any

PRELOAD = [
    "pipeline.documents.build",
    "pipeline.render",
    "pipeline.render.document",
    "pipeline.render.pandoc",
    "pipeline.render.model",
    "pipeline.render.writers",
    "pipeline.documents.charts",
]
"""Imported once in the server, so that each forked worker starts with them loaded."""

_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # a process id reused by another user: ours is gone
                os._exit(1)

    threading.Thread(target=watch, name="netdocs-parent-watch", daemon=True).start()


def _init(
    parent: int,
    environ: dict[str, str],
    cwd: str,
    level: int,
    setup: Callable[[Any], None],
    shared: Any,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(parent)
    os.environ.clear()
    os.environ.update(environ)
    os.chdir(cwd)
    logging.basicConfig(level=level, format="%(levelname)s: %(message)s", stream=sys.stderr)
    setup(shared)


def _context() -> Any:
    if sys.platform == "win32" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _start_server() -> None:
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    with signals_deferred():
        # SIGINT is blocked, not only ignored, while the server starts: the server inherits the
        # ignoring through the exec, and a Ctrl-C that comes meanwhile stays pending (Linux
        # never discards a blocked signal) until the deferral's handler catches it below,
        # instead of being lost while the publish goes on
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forkserver.ensure_running()
        finally:
            signal.signal(signal.SIGINT, handler)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def worker_pool(
    processes: int, setup: Callable[[Any], None], shared: Any
) -> Iterator[ProcessPoolExecutor]:
    """A pool of ``processes`` workers, each given ``shared`` through ``setup(shared)`` (a
    module-level function). On any exception, Ctrl-C included, the workers are ended at once
    and queued work is cancelled; on success the pool is shut down normally."""
    ctx = _context()
    if ctx.get_start_method() == "forkserver":
        _start_server()
    pool = ProcessPoolExecutor(
        max_workers=processes,
        mp_context=ctx,
        initializer=_init,
        initargs=(
            os.getpid(),
            dict(os.environ),
            os.getcwd(),
            logging.getLogger().getEffectiveLevel(),
            setup,
            shared,
        ),
    )
    try:
        yield pool
    except BaseException:
        end_now(pool)
        raise
    pool.shutdown(wait=True)


QUIET = (signal.SIGINT, signal.SIGTERM)
"""The signals netdocs' own threads never take: Python runs their handlers in the main thread
only, and a thread that took one while the main thread ignores it (:func:`_start_server`)
would drop it, so a Ctrl-C would be lost and the publish would go on."""


def quiet_thread() -> None:
    """Make the calling thread (not the main one) leave SIGINT and SIGTERM to the main thread:
    the initializer of netdocs' thread pools."""
    if threading.current_thread() is not threading.main_thread():
        signal.pthread_sigmask(signal.SIG_BLOCK, QUIET)


@contextmanager
def quiet_threads() -> Iterator[None]:
    """Threads started in the block leave SIGINT and SIGTERM to the main thread (a thread
    starts with the mask of the thread that starts it); one that comes meanwhile waits for the
    block's end."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, QUIET)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the block runs (in the main thread; elsewhere it does
    nothing), then act on them: starting a worker hands it its inputs through a pipe, and an
    exception raised in the middle of that write would leave the worker a truncated message."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    wanted = (signal.SIGINT, signal.SIGTERM)
    before = {sig: signal.getsignal(sig) for sig in wanted}
    for sig in wanted:
        signal.signal(sig, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
        for signum in caught[:1]:
            handler = before[signal.Signals(signum)]
            if callable(handler):
                handler(signum, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(signum)


def end_now(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and kill the workers (their documents are written atomically, so
    nothing half-written stays)."""
    # ProcessPoolExecutor has no public way to stop running work; its process table is read
    # before shutdown() forgets it.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)
