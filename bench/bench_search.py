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

    cmd_queries = ["coordinator", "baseline audit", "mobilise"]
    env = dict(os.environ, NO_COLOR="1")
    ours_cmd, grep_cmd = [], []
    # untimed: the command's own index (in the project's cache) is built or brought up to date
    subprocess.run([NETDOCS, "index", "--kb", str(kb)], cwd=HERE / ".data", env=env, check=True)
    for q in cmd_queries:
        for _ in range(5):
            ours_cmd.append(
                timed(
                    lambda q=q: subprocess.run(
                        [NETDOCS, "search", q, "--kb", str(kb)],
                        cwd=HERE / ".data",
                        env=env,
                        capture_output=True,
                        check=False,
                    )
                )
            )
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


if __name__ == "__main__":
    main()
