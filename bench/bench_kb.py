"""Benchmark (issue 2): reading and linting a 10,000-article KB vs bare markdown-it-py.

The floor is markdown-it-py's CommonMark parser reading and parsing the same files with no
plugins and nothing else. Goal: lint <= 2x the bare parse.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_kb import ensure  # noqa: E402
from markdown_it import MarkdownIt  # noqa: E402

from pipeline.kb import read_kb  # noqa: E402
from pipeline.kb.lint import lint  # noqa: E402
from pipeline.kb.reader import iter_markdown  # noqa: E402

ARTICLES = 10_000


def best_of(n: int, fn) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    root = ensure(ARTICLES, 300)
    files = list(iter_markdown(root))
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    md = MarkdownIt("commonmark")

    def bare() -> None:
        for f in files:
            md.parse(f.read_text(encoding="utf-8"))

    def ours() -> None:
        report = lint(read_kb(root))
        assert report.errors == 0, report.problems[:3]

    floor = best_of(2, bare)
    mine = best_of(2, ours)
    print(f"[kb lint] {len(files)} articles, {words:,} words")
    print(f"[kb lint] bare markdown-it-py parse: {floor:.2f} s")
    print(f"[kb lint] netdocs read + lint:      {mine:.2f} s")
    print(f"[kb lint] ratio: {mine / floor:.2f}x (goal <= 2.0x)")


if __name__ == "__main__":
    main()
