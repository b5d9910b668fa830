"""Searches racing ``netdocs index --rebuild``, all as real processes: each answers from the
previous index while the rebuild writes, with no LockError and no traceback (issue 15, item 9).

An article's word changes from quokkaold to quokkanew just before the rebuild starts; the
searches start once the rebuild holds the writers' lock. A search that finds the lock held
says so ("being updated by another netdocs process") and must
answer from the previous index, so it still finds quokkaold; one that ran after the swap (or
updated the index itself first) must not. At least one search has to meet the rebuild.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from pipeline.commands.search import SEARCH_WAIT
from pipeline.search import generations
from pipeline.search.index import index_dir
from tests.conftest import REPO, article

SEARCHERS = 2
MAX_SEARCHES = 6
"""Searches per searcher at most; each searcher stops when the rebuild has ended."""
FILLERS = 250
"""Articles added to the bundled KB's 94 to start with; more are added when the first build
shows that a rebuild would not outlast a search's wait for the lock (:data:`LONG_ENOUGH`)."""
LONG_ENOUGH = 3 * SEARCH_WAIT
"""Seconds the rebuild must take (as long as the first build took), so that searches meet it
on a fast machine too: a search waits SEARCH_WAIT for the lock before it answers from the
previous index."""
BUSY = "the search index is being updated by another netdocs process"


def _netdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args],
        cwd=cwd, env=_env(), capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = str(REPO)
    return env


def _clean(said: str) -> bool:
    return "Traceback" not in said and "LockError" not in said and "internal error" not in said


def test_searches_during_a_rebuild_answer_from_the_previous_index(
    kb_copy: Path, tmp_path: Path
) -> None:
    kb = str(kb_copy)
    target = kb_copy / "roles" / "convener.md"
    original = target.read_text(encoding="utf-8")
    target.write_text(original + "\n\nThe quokkaold rule.\n", encoding="utf-8")
    body = original.split("---\n", 2)[2]  # so that the rebuild outlasts a search's wait

    def fill(first: int, last: int) -> None:
        for n in range(first, last):
            (kb_copy / "pages" / f"filler-{n}.md").write_text(article(f"filler-{n}", body=body))

    fill(0, FILLERS)
    started = time.monotonic()
    assert _netdocs(tmp_path, "index", "--kb", kb).returncode == 0
    took = time.monotonic() - started
    if took < LONG_ENOUGH:  # a fast machine: more articles, so the rebuild takes long enough
        articles = FILLERS + 94
        fill(FILLERS, FILLERS + int(articles * (LONG_ENOUGH / max(took, 0.5) - 1)) + 1)
        assert _netdocs(tmp_path, "index", "--kb", kb).returncode == 0
    target.write_text(original + "\n\nThe quokkanew rule.\n", encoding="utf-8")

    rebuild = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "index", "--rebuild", "--kb", kb],
        cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    container = index_dir(tmp_path / ".netdocs", kb_copy)
    deadline = time.monotonic() + 60
    while rebuild.poll() is None and time.monotonic() < deadline:  # until it holds the lock
        with generations.writer_lock(container, 0) as free:
            if not free:
                break
        time.sleep(0.02)
    problems: list[str] = []
    during: list[bool] = []
    lock = threading.Lock()

    def searcher() -> None:
        for _ in range(MAX_SEARCHES):
            result = _netdocs(tmp_path, "search", "quokkaold", "--json", "--kb", kb)
            said = result.stdout + result.stderr
            found = [h["id"] for h in json.loads(result.stdout or "[]")]
            busy = BUSY in result.stderr
            problem = ""
            if result.returncode not in (0, 1) or not _clean(said):
                problem = f"exit {result.returncode}: {said}"
            elif (
                busy and found != ["convener"] and not (found == [] and rebuild.poll() is not None)
            ):
                # (the one excuse: the swap came between its last try of the lock and its
                # opening the index, so the rebuild ended meanwhile)
                problem = f"answered during the rebuild, not from the previous index: {said}"
            elif not busy and found:
                problem = f"answered after the rebuild from an old index: {said}"
            with lock:
                during.append(busy)
                if problem:
                    problems.append(problem)
            if rebuild.poll() is not None:
                return

    threads = [threading.Thread(target=searcher) for _ in range(SEARCHERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    out, _ = rebuild.communicate(timeout=120)
    assert not any(t.is_alive() for t in threads), "a search hung"
    assert rebuild.returncode == 0 and _clean(out), out
    assert problems == [], "\n".join(problems[:3])
    assert any(during), f"no search met the rebuild ({len(during)} searches): make the KB bigger"
    # after the race: the new text is searched, and only the current and previous index remain
    after = _netdocs(tmp_path, "search", "quokkanew", "--json", "--kb", kb)
    assert [h["id"] for h in json.loads(after.stdout)] == ["convener"], after.stderr
    assert len(list(container.glob("g-*"))) <= 2


def test_a_rebuild_waits_for_a_writer_and_never_breaks_its_lock(
    kb_copy: Path, tmp_path: Path
) -> None:
    """Two rebuilds at once: one waits for the other (no LockError), both succeed."""
    kb = str(kb_copy)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "index", "--rebuild", "--kb", kb],
            cwd=tmp_path,
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(2)
    ]
    started = time.monotonic()
    outs = [p.communicate(timeout=240)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert all(_clean(o) and "built the index of " in o for o in outs), outs
    assert time.monotonic() - started < 240
