"""Benchmark: the Word round trip (issue 16) against plain pandoc doing the reading or writing
part of the same work, on the bundled handbook.

Two editions of the bundled project are published (Word only; the second after 20 sentences of
the knowledge base were changed). Then, each timed as the median of ``--rounds`` runs, beside
pandoc on the same input in the same run:

- ``kb import`` of the published handbook.docx into an empty KB (split, front matter, pictures,
  cross references) vs ``pandoc -f docx+styles -t commonmark_x`` of the same file;
- ``review import`` of that handbook with 100 comments (map each to its article and line) vs
  ``pandoc -f docx --track-changes=all -t json`` of the same file;
- the handbook's redline between the two editions (diff word by word, tracked changes) vs
  ``pandoc -f commonmark_x -t docx`` of the new edition's recorded Markdown.

    .venv/bin/python bench/bench_wordio.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import load_settings  # noqa: E402
from pipeline.kb import read_kb  # noqa: E402
from pipeline.kb.docx_import import plan_import  # noqa: E402
from pipeline.kb.model import KnowledgeBase  # noqa: E402
from pipeline.publish.redline import redline  # noqa: E402
from pipeline.publish.run import publish  # noqa: E402
from pipeline.render.pandoc import MARKDOWN_FORMAT, pandoc_path  # noqa: E402
from pipeline.review.run import review_document  # noqa: E402


def median(rounds: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def pandoc(*args: str) -> None:
    subprocess.run([pandoc_path(), *args], check=True, capture_output=True)


def editions(base: Path) -> Path:
    """A copy of the bundled project with two editions, 2026 and 2027 (20 sentences changed)."""
    root = base / "project"
    for name in ("kb", "templates"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copyfile(ROOT / "netdocs.toml", root / "netdocs.toml")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")
    publish(load_settings(cwd=root), edition="2026-annual-meeting", formats=("docx",))
    changed = 0
    for path in sorted((root / "kb").rglob("*.md")):
        if changed >= 20 or path.name == "README.md":
            continue
        text = path.read_text(encoding="utf-8")
        new, n = re.subn(r"\bthe network\b", "the whole network", text, count=1)
        if n:
            path.write_text(new, encoding="utf-8")
            changed += 1
    publish(load_settings(cwd=root), edition="2027-annual-meeting", formats=("docx",))
    return root


def commented(docx_path: Path, target: Path, count: int) -> Path:
    import docx

    document = docx.Document(str(docx_path))
    paragraphs = [p for p in document.paragraphs if len(p.runs) >= 1 and len(p.text) > 60]
    step = max(1, len(paragraphs) // count)
    for i, paragraph in enumerate(paragraphs[::step][:count]):
        document.add_comment(paragraph.runs[0], text=f"Comment {i}", author="Ana Silva",
                             initials="AS")  # fmt: skip
    document.save(str(target))
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="netdocs-bench-wordio-") as tmp:
        base = Path(tmp)
        print("publishing two editions of the bundled project (Word only)...", flush=True)
        root = editions(base)
        old = root / "outputs" / "2026-annual-meeting"
        new = root / "outputs" / "2027-annual-meeting"
        handbook = new / "handbook.docx"
        empty = KnowledgeBase(root=base / "empty-kb", articles=[], problems=[])
        rows = []

        ours = median(args.rounds, lambda: plan_import(handbook, empty))
        theirs = median(args.rounds, lambda: pandoc("-f", "docx+styles", "-t", "commonmark_x",
                                                    str(handbook)))  # fmt: skip
        rows.append(("kb import handbook.docx", ours, theirs, "pandoc docx → Markdown"))

        reviewed = commented(handbook, base / "reviewed.docx", 100)
        kb_root = root / "kb"
        read_kb(kb_root)
        review = review_document(reviewed, root / "outputs", kb_root, None)
        mapped = sum(1 for i in review.items if i.article)
        outputs = root / "outputs"
        ours = median(args.rounds, lambda: review_document(reviewed, outputs, kb_root, None))
        theirs = median(args.rounds, lambda: pandoc("-f", "docx", "--track-changes=all", "-t",
                                                    "json", str(reviewed)))  # fmt: skip
        rows.append((f"review import, 100 comments ({mapped} mapped)", ours, theirs,
                     "pandoc --track-changes=all"))  # fmt: skip

        target = base / "handbook-redline.docx"
        ours = median(args.rounds, lambda: redline(old, new, "handbook", target))
        source = str(new / "source" / "handbook.md")
        plain = str(base / "plain.docx")
        args_ = ("-f", MARKDOWN_FORMAT, "-t", "docx", "-o", plain, source)
        theirs = median(args.rounds, lambda: pandoc(*args_))
        rows.append(("redline of the handbook", ours, theirs, "pandoc Markdown → docx"))

    print(f"{'work':44} {'netdocs':>9} {'pandoc':>9} {'ratio':>7}  against")
    for name, ours, theirs, against in rows:
        print(f"{name:44} {ours:8.2f}s {theirs:8.2f}s {ours / theirs:6.1f}x  {against}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
