"""The index follows the KB incrementally, survives crashes and recovers from damage."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from whoosh import index as windex

from pipeline.errors import SearchIndexError
from pipeline.search import generations
from pipeline.search.index import (
    current_dir,
    ensure_index,
    index_dir,
    make_schema,
    open_current,
    refresh,
)
from pipeline.search.query import search
from tests.conftest import REPO, article, run


def ids(cache: Path, kb: Path, q: str) -> list[str]:
    ix, _ = ensure_index(cache, kb)
    try:
        return [h.id for h in search(ix, q, limit=50).hits]
    finally:
        ix.close()


def test_edit_add_delete_then_search(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert "zebracrossing" not in " ".join(ids(cache, kb_copy, "convener"))
    # edit
    convener = kb_copy / "roles" / "convener.md"
    convener.write_text(convener.read_text() + "\n## Zebra\n\nThe zebracrossing policy.\n")
    report = refresh(cache, kb_copy)
    assert report.changed == ["roles/convener.md"] and not report.added and not report.rebuilt
    assert ids(cache, kb_copy, "zebracrossing") == ["convener"]
    # add
    (kb_copy / "pages" / "new.md").write_text(article("new-page", body="A zebracrossing too.\n"))
    report = refresh(cache, kb_copy)
    assert report.added == ["pages/new.md"] and report.touched == 1
    assert sorted(ids(cache, kb_copy, "zebracrossing")) == ["convener", "new-page"]
    # delete
    (kb_copy / "pages" / "new.md").unlink()
    report = refresh(cache, kb_copy)
    assert report.deleted == ["pages/new.md"]
    assert ids(cache, kb_copy, "zebracrossing") == ["convener"]
    # untouched: nothing to do
    assert refresh(cache, kb_copy).touched == 0


def test_touch_without_change_reindexes_nothing(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    refresh(cache, kb_copy)
    os.utime(kb_copy / "roles" / "convener.md")
    assert refresh(cache, kb_copy).touched == 0


def test_search_refreshes_a_stale_index_by_itself(kb_copy: Path) -> None:
    assert run("search", "convener", "--kb", str(kb_copy)).exit_code == 0
    (kb_copy / "pages" / "zz.md").write_text(article("zz", body="Quokkas visit the network.\n"))
    result = run("search", "quokkas", "--kb", str(kb_copy), "--json")
    assert '"id": "zz"' in result.stdout


def test_one_index_per_kb_folder(kb_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-kb"
    other.mkdir()
    (other / "x.md").write_text(article("other-kb", body="Quokkas only here.\n"))
    cache = tmp_path / "cache"
    assert index_dir(cache, kb_copy) != index_dir(cache, other)
    assert ids(cache, other, "quokkas") == ["other-kb"]
    assert ids(cache, kb_copy, "quokkas") == []


def test_corrupt_index_is_rebuilt_with_a_message(kb_copy: Path) -> None:
    run("index", "--kb", str(kb_copy))
    folder = current_dir(kb_copy.parent / ".netdocs", kb_copy)
    assert folder is not None
    for toc in folder.glob("*.toc"):
        toc.write_bytes(b"garbage")
    result = run("search", "convener", "--kb", str(kb_copy))
    assert result.exit_code == 0
    assert "note: rebuilt the search index: the index could not be read" in result.stderr


def test_locked_index_still_answers(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    ix, _ = ensure_index(cache, kb_copy)
    try:
        with generations.writer_lock(index_dir(cache, kb_copy), 0) as locked:  # another writer
            assert locked
            (kb_copy / "pages" / "zz.md").write_text(article("zz"))
            report = refresh(cache, kb_copy, wait=0.2)
            assert report.skipped.startswith("the search index is being updated by another")
            assert [h.id for h in search(ix, "convener").hits]
    finally:
        ix.close()
    assert refresh(cache, kb_copy).added == ["pages/zz.md"]


def test_kill_during_write_leaves_previous_index_usable(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    refresh(cache, kb_copy)
    container = index_dir(cache, kb_copy)
    code = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from pipeline.search import generations
        from whoosh import index
        container = Path({str(container)!r})
        with generations.writer_lock(container, 0) as locked:
            assert locked
            staging = generations.new_generation(container)
            generations.clone(generations.current(container), staging)
            w = index.open_dir(str(staging)).writer()
            w.delete_by_term("path", "roles/convener.md")
            for i in range(200):
                w.add_document(path=f"x{{i}}.md", id=f"x{{i}}", title="halfwrittenxyz", body="x")
            w.commit()
            print("ready", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert len(list(container.glob("g-*"))) == 2  # the dead writer's generation is left over
    assert "convener" in ids(cache, kb_copy, "convener")
    assert ids(cache, kb_copy, "halfwrittenxyz") == []
    # the dead writer's lock was released with it: the next change is written, and the
    # leftover generation is removed
    (kb_copy / "pages" / "zz.md").write_text(article("zz", body="Quokkas.\n"))
    assert refresh(cache, kb_copy, wait=1).added == ["pages/zz.md"]
    assert ids(cache, kb_copy, "quokkas") == ["zz"]
    assert len(list(container.glob("g-*"))) == 2  # the current and the previous one


def test_searches_during_updates_never_crash(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    refresh(cache, kb_copy)
    errors: list[BaseException] = []
    stop = threading.Event()
    target = kb_copy / "roles" / "convener.md"
    original = target.read_text()

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 15:
            n += 1
            target.write_text(original + f"\n\nRevision {n} mentions quokka{n}.\n")
            try:
                refresh(cache, kb_copy, wait=5)
            except BaseException as exc:  # noqa: BLE001 - the test reports any failure
                errors.append(exc)

    def reader() -> None:
        for _ in range(25):
            result = run("search", "convener", "--kb", str(kb_copy), "--json")
            if result.exit_code != 0 or "Traceback" in result.output:
                errors.append(AssertionError(result.output))

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    stop.set()
    assert errors == []


def test_a_search_that_loses_a_swap_opens_the_new_generation(
    kb_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    refresh(cache, kb_copy)
    container = index_dir(cache, kb_copy)
    gone = container / "g-pruned-meanwhile"  # what the pointer named a moment ago
    real = generations.current
    calls: list[Path | None] = []

    def racing(folder: Path) -> Path | None:
        calls.append(gone if not calls else real(folder))
        return calls[-1]

    monkeypatch.setattr(generations, "current", racing)
    ix = open_current(cache, kb_copy)
    try:
        assert [h.id for h in search(ix, "convener").hits]
    finally:
        ix.close()
    assert calls[0] == gone and calls[-1] == real(container)


def test_a_damaged_generation_is_not_mistaken_for_a_swap(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    refresh(cache, kb_copy)
    folder = current_dir(cache, kb_copy)
    assert folder is not None
    for toc in folder.glob("*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(SearchIndexError, match="cannot be opened .*run: netdocs index --rebuild"):
        open_current(cache, kb_copy)


def test_an_index_of_the_older_one_folder_layout_is_replaced(kb_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    container = index_dir(cache, kb_copy)
    container.mkdir(parents=True)
    windex.create_in(str(container), make_schema()).close()  # the index as earlier versions kept it
    (container / "manifest.json").write_text("{}")
    report = refresh(cache, kb_copy)
    assert report.rebuilt and report.reason == "no index yet"
    assert not list(container.glob("*.toc")) and not (container / "manifest.json").exists()
    assert "convener" in ids(cache, kb_copy, "convener")


def test_an_unchanged_kb_is_recognised_from_its_walk_alone(
    kb_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The signature of the walk (paths, sizes, mtimes) matches: no manifest is read."""
    cache = tmp_path / "cache"
    n = len(refresh(cache, kb_copy).added)
    import pipeline.search.index as index_module

    def unread(_folder: Path) -> None:
        raise AssertionError("the manifest was read")

    with monkeypatch.context() as m:
        m.setattr(index_module, "_load_manifest", unread)
        report = refresh(cache, kb_copy)
        assert (report.unchanged, report.touched, report.rebuilt) == (n, 0, False)
    # a touched file (new mtime, same bytes) does not match: compared, then remembered
    os.utime(kb_copy / "roles" / "convener.md", ns=(1, 1))
    assert refresh(cache, kb_copy).touched == 0
    with monkeypatch.context() as m:
        m.setattr(index_module, "_load_manifest", unread)
        assert refresh(cache, kb_copy).unchanged == n
    # a changed file of the same size is re-indexed
    target = kb_copy / "roles" / "convener.md"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("convener", "convenor", 1), encoding="utf-8")
    assert refresh(cache, kb_copy).changed == ["roles/convener.md"]
    # another schema version never takes the signature for its own
    monkeypatch.setattr(index_module, "SCHEMA_VERSION", "0.test")
    assert refresh(cache, kb_copy).rebuilt


def test_each_article_is_indexed_in_its_own_language(write_kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """'les' is a French stop word, a word like any other in English; 'the' the other way."""
    root = write_kb(
        {
            "fr.md": article("fr", extra="lang: fr\n", body="Les quokkas et the end.\n"),
            "en.md": article("en", body="Les Paul played; the quokkas.\n"),
        }
    )
    cache = tmp_path / "cache"
    refresh(cache, root)
    ix = open_current(cache, root)
    try:
        with ix.searcher() as s:
            reader = s.reader()

            def terms(article_id: str) -> set[str]:
                docnum = s.document_number(id=article_id)
                return {
                    t.decode()
                    for t in reader.lexicon("body")
                    if docnum in set(reader.postings("body", t).all_ids())
                }

            french, english = terms("fr"), terms("en")
            assert not {"les", "le", "et"} & french and "the" in french, french
            assert "the" not in english and {"les", "le"} & english, english
    finally:
        ix.close()
