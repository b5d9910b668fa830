"""Terminal output: no path or id is ever broken across lines, at any width; related articles
come in capped groups; the count says what it counts."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest

from pipeline.commands.screen import Part, Screen, cells, wrap
from pipeline.commands.search import print_hits, print_related, summary_line
from pipeline.search.query import Hit, SearchResult
from pipeline.search.related import Related, RelatedGroup
from tests.conftest import REPO, article

LONG = "roles/regional-cluster-coordinator-of-the-western-balkans.md#two-roles-at-the-same-time"


def _hit(n: int, path: str = LONG, title: str = "Cluster coordinator") -> Hit:
    return Hit(
        id=f"id-{n}", title=title, type="role", path=path.split("#")[0],
        anchor=path.split("#")[1] if "#" in path else "", section="Two roles at the same time",
        score=1.0, snippet="The **cluster** coordinator of roles/focal-point.md works with "
        "the **secretariat** and the centres of the region, every week.",
    )  # fmt: skip


def _screen(width: int | None) -> tuple[Screen, StringIO]:
    buf = StringIO()
    return Screen(wrap=width is not None, width=width, styled=False, file=buf), buf


@pytest.mark.parametrize("width", [20, 30, 40, 57, 80, 120])
def test_no_path_is_broken_at_any_width(width: int) -> None:
    result = SearchResult("cluster", [_hit(1), _hit(2, "pages/a.md", "A " * 30)], 2, {"role": 2})
    out, buf = _screen(width)
    print_hits(out, result)
    lines = buf.getvalue().splitlines()
    for whole in (LONG, "pages/a.md", "roles/focal-point.md"):
        assert any(whole in line for line in lines), (whole, lines)
    for line in lines:
        # a line is wider than the screen only when it is one path, alone on its line
        assert cells(line) <= width or line.strip() in (LONG,), (width, line)
    if width >= len(LONG) + 3:
        assert f"   {LONG}" in lines or any(line.endswith(f"  {LONG}") for line in lines)


def test_a_pipe_gets_one_line_per_entry() -> None:
    out, buf = _screen(None)
    print_hits(out, SearchResult("cluster", [_hit(1)], 1, {"role": 1}))
    assert buf.getvalue().splitlines() == [
        f"1. Cluster coordinator  role  {LONG}",
        "   Two roles at the same time",
        "   The cluster coordinator of roles/focal-point.md works with the secretariat and the "
        "centres of the region, every week.",
        "",
        "1 article matches every word (role 1); showing the best match",
    ]


def test_wrap_breaks_between_words_only() -> None:
    rows = wrap([Part("aaa bbb "), Part("x y z/w", whole=True), Part(" ccc")], 7, indent=1, hang=2)
    text = ["".join(p.text for p in row) for row in rows]
    assert text == [" aaa", "  bbb", "x y z/w", "  ccc"]
    assert cells("日本語") == 6 and cells("é") == 1


@pytest.mark.parametrize(
    ("total", "shown", "facets", "line"),
    [
        (3, 10, {"role": 2, "lesson": 1}, "3 articles match every word (role 2, lesson 1); "
         "showing the 10 best matches"),
        (0, 10, {}, "no article matches every word; showing the 10 best matches"),
        (1, 1, {}, "1 article matches every word; showing the best match"),
        (1234, 10, {"role": 20}, "1,234 articles match every word; showing the 10 best matches"),
    ],
)  # fmt: skip
def test_the_count_says_what_it_counts(
    total: int, shown: int, facets: dict[str, int], line: str
) -> None:
    result = SearchResult("q", [_hit(n) for n in range(shown)], total, facets)
    assert summary_line(result) == line


def test_a_query_in_the_query_language_counts_matches_as_written() -> None:
    result = SearchResult('"baseline audit"', [_hit(1)], 4, {"role": 4})
    assert summary_line(result, written=True) == (
        "4 articles match the query as written (role 4); showing the best match"
    )
    none = SearchResult("a NOT b", [_hit(1)], 0, {})
    assert summary_line(none, written=True).startswith("no article matches the query as written")


def test_related_groups_are_capped_and_ids_whole() -> None:
    many = [Related(f"lesson-with-a-rather-long-identifier-{n}", "A lesson", "lesson", "x.md")
            for n in range(15)]  # fmt: skip
    groups = [
        RelatedGroup("links-in", "linked from", many),
        RelatedGroup("links-out", "links to", many[:2]),
    ]
    out, buf = _screen(30)
    print_related(out, groups, shown=6)
    lines = buf.getvalue().splitlines()
    assert lines[0] == "linked from" and "  and 9 more" in lines
    assert lines[lines.index("  and 9 more") + 1] == "links to"
    shown = [line for line in lines if "lesson-with" in line]
    assert len(shown) == 8 and all(
        re.fullmatch(r"lesson-with-a-rather-long-identifier-\d+", s.strip()) for s in shown
    )


def _pty_run(args: list[str], cwd: Path, columns: int) -> str:
    """Run netdocs with its stdout on a real terminal ``columns`` wide; what it printed."""
    master, slave = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(PYTHONPATH=str(REPO), COLUMNS=str(columns), NO_COLOR="1", TERM="xterm")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=cwd, env=env, stdout=slave,
        stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait(timeout=60)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    said = b"".join(chunks).decode().replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", said)  # bold and underline stay with NO_COLOR


def test_a_real_terminal_forty_columns_wide(write_kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    long = "roles/the-coordinator-of-a-regional-cluster.md"
    root = write_kb(
        {
            long: article("the-coordinator-of-a-regional-cluster", "role", "step: [1]\n",
                          "# Coordinator\n\nThe coordinator of a regional cluster, and more.\n"),
            "pages/other.md": article("other", extra="step: [1]\n", body="Coordinator news.\n"),
        }
    )  # fmt: skip
    said = _pty_run(["search", "coordinator", "--kb", str(root)], tmp_path, 40)
    lines = said.splitlines()
    assert f"{long}#coordinator" in lines, said  # wider than the screen: alone, unindented
    assert "   pages/other.md" in lines or any(x.endswith("  pages/other.md") for x in lines)
    assert all(cells(line) <= 40 for line in lines if line != f"{long}#coordinator"), said
    shown = _pty_run(["show", "other", "--kb", str(root)], tmp_path, 40)
    assert "  the-coordinator-of-a-regional-cluster" in shown.splitlines(), shown
    assert all(cells(line) <= 40 for line in shown.splitlines()), shown
