"""Benchmark (issue 3): search over a generated KB of 10,000 articles (~3 million words).

Measures, in one run: the full index build; an incremental update after one article changes;
warm query latency (p50/p95 over 50 mixed queries: terms, phrases, filters) against SQLite FTS5
answering the same queries; and the wall time of `netdocs search` as a whole command against
`grep -ril` over the same files. Goals: update <= 2% of a rebuild; command <= 3x grep;
warm p95 <= 5x FTS5.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from gen_kb import ensure  # noqa: E402

from pipeline.kb.reader import iter_markdown, read_article  # noqa: E402
from pipeline.search.engine import SearchIndex, refresh  # noqa: E402

NETDOCS = str(Path(sys.executable).parent / "netdocs")

TERMS = [
    "network",
    "coordinator funding",
    "baseline audit",
    "mobilise resources",
    "renewal",
    "webinar teachers",
    "greening skills",
    "consortium deadline",
    "governance roles",
    "peer learning exchange",
]
PHRASES = [
    '"action plan"',
    '"focal point"',
    '"capacity building"',
    '"annual meeting"',
    '"promising practice"',
]
FILTERED = [
    ("quality", "lesson"),
    ("partnership", "practice"),
    ("policy dialogue", "glossary"),
    ("monitoring", "page"),
    ("youth employment", "principle"),
]


def queries() -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    while len(out) < 50:
        out += [(q, None) for q in TERMS] + [(q, None) for q in PHRASES] + list(FILTERED)
    return out[:50]


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def fts_build(db: Path, kb: Path) -> sqlite3.Connection:
    if db.exists():
        db.unlink()
    con = sqlite3.connect(db)
    con.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, type UNINDEXED, title, "
        "summary, body, tokenize='porter')"
    )
    rows = []
    for path in iter_markdown(kb):
        a, _ = read_article(path, kb)
        assert a is not None
        rows.append((a.id, a.type, a.title, a.meta.summary, a.text))
    con.executemany("INSERT INTO docs VALUES (?,?,?,?,?)", rows)
    con.commit()
    return con


def fts_query(con: sqlite3.Connection, q: str, kind: str | None) -> list[str]:
    match = q if q.startswith('"') else " OR ".join(q.split())
    sql = (
        "SELECT id, snippet(docs, 4, '**', '**', '...', 20) FROM docs WHERE docs MATCH ? "
        + ("AND type = ? " if kind else "")
        + "ORDER BY bm25(docs, 0, 0, 4.0, 2.0, 1.0) LIMIT 10"
    )
    args = (match, kind) if kind else (match,)
    return [r[0] for r in con.execute(sql, args)]


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    kb = ensure(10_000, 300)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in iter_markdown(kb))
    cache = HERE / ".data" / "search-cache"
    shutil.rmtree(cache, ignore_errors=True)
    print(f"[search] generated KB: 10,000 articles, {words:,} words")

    full = timed(lambda: refresh(cache, kb, rebuild=True))
    print(f"[search] full index build: {full:.1f} s")

    target = next(iter_markdown(kb))
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original + "\nAn edit for the benchmark.\n", encoding="utf-8")
        update = timed(lambda: refresh(cache, kb))
    finally:
        target.write_text(original, encoding="utf-8")
        refresh(cache, kb)
    print(
        f"[search] one-article update: {update:.2f} s = {100 * update / full:.2f}% of a "
        "rebuild (goal <= 2%)"
    )

    index = SearchIndex.open(cache, kb)
    qs = queries()
    for q, kind in qs[:5]:  # warm up
        index.query(q, type=kind)
    ours = [timed(lambda q=q, k=kind: index.query(q, type=k)) for q, kind in qs]
    index.close()
    db = HERE / ".data" / "fts5.db"
    con = fts_build(db, kb)
    for q, kind in qs[:5]:
        fts_query(con, q, kind)
    fts = [timed(lambda q=q, k=kind: fts_query(con, q, k)) for q, kind in qs]
    con.close()
    print(
        f"[search] warm query netdocs: p50 {1000 * pct(ours, 0.5):.1f} ms, "
        f"p95 {1000 * pct(ours, 0.95):.1f} ms"
    )
    print(
        f"[search] warm query FTS5:    p50 {1000 * pct(fts, 0.5):.2f} ms, "
        f"p95 {1000 * pct(fts, 0.95):.2f} ms"
    )
    print(f"[search] warm p95 ratio vs FTS5: {pct(ours, 0.95) / pct(fts, 0.95):.1f}x (goal <= 5x)")

    # the command searches the index just built: a project whose netdocs.toml names the
    # generated KB and the benchmark's cache
    project = HERE / ".data" / "search-project"
    project.mkdir(exist_ok=True)
    (project / "netdocs.toml").write_text(f'kb = "{kb}"\ncache = "{cache}"\n', encoding="utf-8")
    env = dict(os.environ, NO_COLOR="1")
    ours_cmd, grep_cmd = [], []
    for q in ["coordinator", "baseline audit", "mobilise"]:
        for _ in range(5):
            ours_cmd.append(
                timed(
                    lambda q=q: subprocess.run(
                        [NETDOCS, "search", q], cwd=project, env=env, capture_output=True,
                        check=True,
                    )
                )
            )  # fmt: skip
            grep_cmd.append(
                timed(
                    lambda q=q: subprocess.run(
                        ["grep", "-ril", q, str(kb)], capture_output=True, check=False
                    )
                )
            )
    ours_med, grep_med = statistics.median(ours_cmd), statistics.median(grep_cmd)
    print(
        f"[search] `netdocs search` wall time: median {ours_med:.3f} s; "
        f"`grep -ril`: median {grep_med:.3f} s; ratio {ours_med / grep_med:.1f}x (goal <= 3x)"
    )
    print(f"[search] where `netdocs search` spends its time: {command_profile(project, env)}")


PHASES = {
    "settings": ("pipeline/config.py", "load_settings"),
    "index walk and open": ("pipeline/search/engine.py", "open"),
    "query": ("pipeline/search/engine.py", "query"),
    "output": ("pipeline/commands/search.py", "print_hits"),
}
"""Profiled functions whose cumulative time `command_profile` reports."""


IMPORTED = ("click", "pydantic", "whoosh", "rich", "markdown_it", "yaml")
"""Packages whose import time `command_profile` reports (as loaded by `netdocs search`)."""


def command_profile(project: Path, env: dict[str, str]) -> str:
    """Where one `netdocs search` spends its time: the import time of each of
    :data:`IMPORTED` (python -X importtime) and the seconds in each of :data:`PHASES` under
    cProfile (which includes the imports each phase triggers)."""
    import pstats
    import tempfile

    said = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pipeline.cli", "search", "coordinator"],
        cwd=project, env=env, capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    loaded = dict.fromkeys(IMPORTED, 0)
    total = 0
    ancestors: list[str] = []  # -X importtime prints a module after the ones it imports
    for line in reversed(said.splitlines()):
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cumulative, raw = line.split(":", 1)[1].split("|")
        if not cumulative.strip().isdigit():
            continue  # the header
        name = raw.strip()
        depth = (len(raw) - len(raw.lstrip()) - 1) // 2
        del ancestors[depth:]
        root = name.split(".")[0]
        if depth == 0:
            total += int(cumulative)
        if root in loaded and not any(a.split(".")[0] == root for a in ancestors):
            loaded[root] += int(cumulative)
        ancestors.append(name)
    imports = ", ".join(f"{k} {v / 1e6:.2f} s" for k, v in loaded.items() if v)
    imports = (
        f"imports {total / 1e6:.2f} s ({imports}; none of: "
        + ", ".join(k for k, v in loaded.items() if not v)
        + ")"
    )

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "search.prof"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "pipeline.cli", "search",
             "coordinator"],
            cwd=project, env=env, capture_output=True, check=True,
        )  # fmt: skip
        whole = time.perf_counter() - started
        stats = pstats.Stats(str(out)).stats  # type: ignore[attr-defined]
    found = dict.fromkeys(PHASES, 0.0)
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.items():
        for phase, (where, function) in PHASES.items():
            if name == function and filename.endswith(where):
                found[phase] = max(found[phase], cumulative)
    parts = ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in found.items())
    return f"{imports}; {parts} (of {whole:.2f} s under the profiler)"


if __name__ == "__main__":
    main()
