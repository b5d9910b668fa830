"""Benchmark (issue 15): relevance of netdocs against SQLite FTS5 on every corpus and split.

Runs bench/relevance.py over every corpus in tests/search/corpora/ (real public handbooks and
documentation sets, and the bundled kb/) and prints hit@3 and MRR of netdocs and of FTS5
(porter, bm25, words OR-ed) side by side, per corpus and split (tune, holdout, all), then the
goals of the issue, each marked met or missed:

- on every corpus, netdocs' hit@3 and MRR over all its questions are at least FTS5's;
- hit@3 of netdocs over all questions of all corpora is at least 0.85.

Exit status 0 either way (a missed goal is a figure to report, not a crash).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from relevance import Evaluation, evaluate, format_table  # noqa: E402

HIT3_GOAL = 0.85
"""hit@3 of netdocs over every question of every corpus (the issue's goal)."""


def goals(ev: Evaluation) -> list[tuple[str, bool]]:
    """Each goal of the issue as (description with the figures, met)."""
    out: list[tuple[str, bool]] = []
    for corpus, splits in ev.table.items():
        if corpus == "overall":
            continue
        nd, fts = splits["all"]["netdocs"], splits["all"]["fts5"]
        out.append(
            (
                f"{corpus}: netdocs >= FTS5 (hit@3 {nd.hit3:.2f} vs {fts.hit3:.2f}, "
                f"MRR {nd.mrr:.2f} vs {fts.mrr:.2f})",
                nd.hit3 >= fts.hit3 and nd.mrr >= fts.mrr,
            )
        )
    overall = ev.table.get("overall") or next(iter(ev.table.values()))
    hit3 = overall["all"]["netdocs"].hit3
    out.append((f"overall hit@3 >= {HIT3_GOAL:.2f} (netdocs {hit3:.2f})", hit3 >= HIT3_GOAL))
    return out


def main() -> int:
    start = time.perf_counter()
    ev = evaluate()
    elapsed = time.perf_counter() - start
    print(format_table(ev))
    print()
    for text, met in goals(ev):
        print(f"  [{'met' if met else 'MISSED'}] {text}")
    print(
        f"\n({len(ev.outcomes)} questions, {elapsed:.1f} s; misses: bench/relevance.py "
        "--show-misses)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
