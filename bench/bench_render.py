"""Benchmark: 1,000 KB articles rendered into one Word document, against plain pandoc.

Prints the seconds netdocs takes (template rendering, Markdown merge, TOC, reproducible zip)
and the seconds pandoc takes to convert the same Markdown concatenated into one .docx (what a
user would do by hand), and their ratio. Goal: <= 1.5x pandoc, with an empty conversion cache
(every article read by pandoc). Also shown: the same render with the per-article cache full
(nothing read again) and after one article changed (one article read again).

    .venv/bin/python bench/bench_render.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.render import MarkdownBlock, render_document  # noqa: E402
from pipeline.render import model as render_model  # noqa: E402
from pipeline.render.pandoc import MARKDOWN_FORMAT, pandoc_path  # noqa: E402

IMAGE = ROOT / "tests" / "render" / "fixtures" / "fidelity" / "img" / "trend.png"


def article(i: int) -> str:
    """A KB-like article: headings, lists, a table, a footnote, links, code, sometimes an image."""
    image = "![Member trend](img/trend.png)\n\n" if i % 10 == 0 else ""
    return f"""# Article {i}: working with cluster {i % 17}

Conveners of cluster {i % 17} meet **twice a year**; see [the convener role](roles/a{i + 1}.md)
and the [network site](https://vetnon.example.org/{i}).[^n{i}]

## Steps

1. Agree the agenda with the *secretariat*.
2. Invite members:
   - institutions of the region
   - partner ministries
3. Send the minutes within `10` days.

| Member | Country | Since |
|--------|---------|------:|
| College {i} | Kenya | 2019 |
| Institute {i} | Peru | 2021 |

> A good meeting ends with decisions, not with more meetings.

{image}```text
agenda-{i}.docx
```

[^n{i}]: Rule adopted at the {2000 + i % 26} annual meeting.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; medians shown")
    args = parser.parse_args()
    template_source = ROOT / "templates" / "base.docx"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "img").mkdir()
        (folder / "img" / "trend.png").write_bytes(IMAGE.read_bytes())
        texts = [article(i) for i in range(args.articles)]
        template = folder / "loop.docx"
        document = docx.Document(str(template_source))
        for paragraph in document.paragraphs:
            if paragraph.text.strip() == "{{p body }}":
                paragraph.insert_paragraph_before("{%p for a in articles %}")
                paragraph.text = "{{p a }}"
                paragraph._p.addnext(document.add_paragraph("{%p endfor %}")._p)
        document.save(str(template))
        blocks = [
            MarkdownBlock(
                t,
                folder=folder,
                heading_offset=1,
                anchor=f"a{i}.md",
                links=lambda h: h.removeprefix("roles/"),
                name=f"a{i}.md",
            )
            for i, t in enumerate(texts)
        ]
        context = {
            "network_name": "Global VET Network of Networks",
            "network_short": "VETNoN",
            "edition": "2026-annual-meeting",
            "title": "Handbook",
            "subtitle": "Bench",
            "date": "14 May 2026",
            "articles": blocks,
        }
        ours_runs = []
        for run in range(args.repeat):  # cold: a new, empty cache each time
            render_model._MEMORY.clear()  # and nothing this process read before
            start = time.perf_counter()
            render_document(template, context, folder / "netdocs.docx", cache=folder / f"c{run}")
            ours_runs.append(time.perf_counter() - start)
        warm_runs = []
        for _ in range(args.repeat):  # warm: the cache of the first cold run, from disk
            render_model._MEMORY.clear()  # as a new process would find it
            start = time.perf_counter()
            render_document(template, context, folder / "netdocs.docx", cache=folder / "c0")
            warm_runs.append(time.perf_counter() - start)
        changed_runs = []
        read_before = render_model.STATS.articles
        for run in range(args.repeat):  # one article changed since the last render
            edited = dict(context)
            edited["articles"] = list(blocks)
            edited["articles"][run] = MarkdownBlock(
                texts[run] + f"\nEdited {run}.\n", folder=folder, heading_offset=1,
                anchor=f"a{run}.md", name=f"a{run}.md",
            )  # fmt: skip
            render_model._MEMORY.clear()
            start = time.perf_counter()
            render_document(template, edited, folder / "netdocs.docx", cache=folder / "c0")
            changed_runs.append(time.perf_counter() - start)
        read_again = render_model.STATS.articles - read_before

        (folder / "all.md").write_text("\n\n".join(texts), encoding="utf-8")
        theirs_runs = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run(
                [
                    pandoc_path(),
                    "-f",
                    MARKDOWN_FORMAT,
                    "-t",
                    "docx",
                    "--reference-doc",
                    str(template_source),
                    "--resource-path",
                    str(folder),
                    "-o",
                    str(folder / "pandoc.docx"),
                    str(folder / "all.md"),
                ],
                check=True,
                capture_output=True,
            )
            theirs_runs.append(time.perf_counter() - start)
    ours, theirs = statistics.median(ours_runs), statistics.median(theirs_runs)
    warm, changed = statistics.median(warm_runs), statistics.median(changed_runs)
    print(f"articles:          {args.articles}")
    print(f"netdocs render:    {ours:6.2f} s (median of {args.repeat}, empty cache)")
    print(f"pandoc (by hand):  {theirs:6.2f} s")
    print(f"ratio:             {ours / theirs:6.2f}x  (goal <= 1.5x)")
    print(f"cache full:        {warm:6.2f} s  ({warm / theirs:.2f}x pandoc)")
    print(f"one article new:   {changed:6.2f} s  ({changed / theirs:.2f}x pandoc; "
          f"{read_again} articles read again in {args.repeat} runs)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
