"""A cache folder that cannot be written: search answers from the index it has, or says what to
fix; never a traceback.

The tests run as root, whom chmod does not stop, so an unwritable cache is made three ways: a
file where the cache folder should be (real, for any user), the search code's one way into the
cache (``generations.writer_lock``) failing as a read-only folder makes it fail, and a real
``chmod`` for a non-root user (skipped as root).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipeline.search import generations
from pipeline.search.index import current_dir, index_dir
from tests.conftest import article, run


def _edit(kb: Path) -> None:
    (kb / "pages" / "zz.md").write_text(article("zz", body="Quokkas visit the network.\n"))


@pytest.mark.parametrize("command", [["search", "convener"], ["show", "convener"], ["index"]])
def test_cache_that_is_a_file_says_what_to_fix(kb_copy: Path, command: list[str]) -> None:
    cache = kb_copy.parent / ".netdocs"
    cache.write_text("not a folder\n")
    result = run(*command, "--kb", str(kb_copy))
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"error: cannot build the search index in {cache} ({cache} is a file, not a folder): "
        f"make {cache} a writable folder, or set 'cache' in netdocs.toml to one\n"
    )
    assert cache.read_text() == "not a folder\n", "the file is left as it was"


def test_cache_whose_index_folder_is_a_file(kb_copy: Path) -> None:
    cache = kb_copy.parent / ".netdocs"
    cache.mkdir()
    (cache / "index").write_text("")
    result = run("search", "convener", "--kb", str(kb_copy))
    assert result.exit_code == 1
    assert f"({cache / 'index'} is a file, not a folder)" in result.output


@contextmanager
def _read_only(*args: object, **kwargs: object) -> Iterator[bool]:
    raise PermissionError(errno.EACCES, "Permission denied")
    yield True  # pragma: no cover - a generator for contextmanager


def test_read_only_cache_searches_the_index_it_has(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("index", "--kb", str(kb_copy)).exit_code == 0
    before = current_dir(kb_copy.parent / ".netdocs", kb_copy)
    monkeypatch.setattr(generations, "writer_lock", _read_only)
    # nothing changed: nothing to write, no warning
    quiet = run("search", "convener", "--kb", str(kb_copy))
    assert quiet.exit_code == 0 and quiet.stderr == ""
    # an edit cannot be indexed: the old index answers, with a warning saying what to fix
    _edit(kb_copy)
    result = run("search", "convener", "--kb", str(kb_copy), "--json")
    assert result.exit_code == 0
    assert '"id": "convener"' in result.stdout
    cache = kb_copy.parent / ".netdocs"
    assert result.stderr == (
        f"warning: the search index in {cache} cannot be updated (Permission denied): make "
        f"{cache} a writable folder, or set 'cache' in netdocs.toml to one; searching the "
        "index as it was last built, which may miss recent edits\n"
    )
    assert run("search", "quokkas", "--kb", str(kb_copy)).exit_code == 1  # not indexed
    assert run("show", "convener", "--kb", str(kb_copy)).exit_code == 0
    index = run("index", "--kb", str(kb_copy))
    assert index.exit_code == 1
    *notes, error = index.output.splitlines()
    assert error == (
        f"error: the search index in {cache} cannot be updated (Permission denied): make "
        f"{cache} a writable folder, or set 'cache' in netdocs.toml to one"
    )
    # the copy has no network data: the figures its articles cite cannot be computed
    assert all(n.startswith("note: figures cited in articles show their labels") for n in notes)
    assert current_dir(cache, kb_copy) == before


def test_read_only_cache_without_an_index_says_what_to_fix(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(generations, "writer_lock", _read_only)
    result = run("search", "convener", "--kb", str(kb_copy))
    assert result.exit_code == 1
    cache = kb_copy.parent / ".netdocs"
    assert result.output == (
        f"error: cannot build the search index in {cache} (Permission denied): make {cache} "
        "a writable folder, or set 'cache' in netdocs.toml to one\n"
    )


def test_lock_file_replaced_by_a_folder_blocks_writes_not_searches(kb_copy: Path) -> None:
    """A real obstacle even root meets: the writers' lock is a folder."""
    assert run("index", "--kb", str(kb_copy)).exit_code == 0
    container = index_dir(kb_copy.parent / ".netdocs", kb_copy)
    (container / generations.LOCK).unlink()
    (container / generations.LOCK).mkdir()
    _edit(kb_copy)
    result = run("search", "convener", "--kb", str(kb_copy), "--json")
    assert result.exit_code == 0 and '"id": "convener"' in result.stdout
    assert result.stderr.startswith("warning: the search index in ")
    assert "cannot be updated (Is a directory)" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_chmod_read_only_cache(kb_copy: Path) -> None:
    assert run("index", "--kb", str(kb_copy)).exit_code == 0
    container = index_dir(kb_copy.parent / ".netdocs", kb_copy)
    _edit(kb_copy)
    container.chmod(0o555)
    try:
        result = run("search", "convener", "--kb", str(kb_copy), "--json")
    finally:
        container.chmod(0o755)
    assert result.exit_code == 0 and '"id": "convener"' in result.stdout
    assert "cannot be updated (Permission denied)" in result.stderr
