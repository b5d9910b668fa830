"""Reader unit tests: the model built from Markdown, and files that cannot be read."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pipeline.kb import read_kb
from pipeline.kb.lint import lint
from pipeline.kb.model import id_from_path, slugify
from tests.conftest import article, run

BODY = """# The convener

Intro with [a link](../roles/other.md#duties) and [web](https://example.org).

## Duties & tasks

- one
  - nested *emphasis*

## Duties & tasks

| a | b |
|---|---|
| 1 | 2 |

Term
: Definition of the term.

Note[^1] and ![A map](../images/map.png).

[^1]: The footnote text.

```python
print("code")
```
"""


def test_article_model(write_kb: Any) -> None:
    root = write_kb({"roles/convener.md": article("convener", "role", "tags: [a, b]\n", BODY)})
    kb = read_kb(root)
    assert kb.problems == []
    (a,) = kb.articles
    assert (a.id, a.type, a.path, a.meta.tags) == (
        "convener",
        "role",
        "roles/convener.md",
        ("a", "b"),
    )
    assert a.body_line == 8
    assert [(s.title, s.anchor, s.level, s.line) for s in a.sections] == [
        ("The convener", "the-convener", 1, 8),
        ("Duties & tasks", "duties--tasks", 2, 12),
        ("Duties & tasks", "duties--tasks-1", 2, 17),
    ]
    assert "nested emphasis" in a.sections[1].text
    assert "Definition of the term." in a.sections[2].text
    assert 'print("code")' in a.sections[2].text
    assert "The footnote text." in a.text
    internal, external = a.links
    assert (internal.path, internal.anchor, internal.line) == ("roles/other.md", "duties", 10)
    assert external.external and external.path is None
    (image,) = a.images
    assert (image.path, image.alt, image.line) == ("images/map.png", "A map", 26)


def test_crlf_and_bom_are_accepted(write_kb: Any) -> None:
    text = article("a", body="# A\r\n\r\n## Part\r\n").replace("\n", "\r\n")
    root = write_kb({"a.md": b"\xef\xbb\xbf" + text.encode()})
    kb = read_kb(root)
    assert kb.problems == []
    assert [s.anchor for s in kb.articles[0].sections] == ["a", "part"]


def test_ten_megabyte_file_is_reported_not_parsed(write_kb: Any) -> None:
    big = article("big", body="word " * 2_100_000)
    root = write_kb({"big.md": big, "ok.md": article("ok")})
    kb = read_kb(root)
    assert [a.id for a in kb.articles] == ["ok"]
    (problem,) = kb.problems
    assert problem.where.endswith("big.md:1")
    assert "10.0 MB" in problem.message and "split it" in problem.message


def test_deeply_nested_list_warns_and_does_not_crash(write_kb: Any) -> None:
    deep = "\n".join("  " * i + "- item" for i in range(200))
    root = write_kb({"deep.md": article("deep", body=deep + "\n")})
    kb = read_kb(root)
    (problem,) = kb.problems
    assert problem.level == "warning" and "levels deep" in problem.message
    assert problem.where.endswith("deep.md:16")  # where the tenth level starts


def test_same_file_anchor_links_are_checked(write_kb: Any) -> None:
    body = "# A\n\n## Real\n\n[ok](#real) [bad](#unreal)\n"
    root = write_kb({"a.md": article("a", body=body)})
    report = lint(read_kb(root))
    assert [p.message for p in report.problems] == [
        "broken anchor '#unreal' in link '#unreal': a.md has no such heading; did you mean '#real'?"
    ]


def test_every_problem_is_reported_at_once(write_kb: Any) -> None:
    root = write_kb(
        {
            "a.md": article("same", body="Text.\n"),
            "b.md": article("same", body="[x](missing.md)\n"),
            "c.md": b"\xff\xfe",
            "d.md": "",
        }
    )
    report = lint(read_kb(root))
    assert report.errors == 4
    assert report.failed()


def test_slug_and_ids() -> None:
    assert slugify("What makes a successful Cluster Coordinator?") == (
        "what-makes-a-successful-cluster-coordinator"
    )
    assert slugify("Étape 1 : base") == "étape-1--base"
    assert id_from_path("guide/Getting Started.md") == "guide-getting-started"


def test_lint_on_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("kb", "lint", "--kb", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert "no knowledge-base folder at" in result.output


def _bomb(levels: int = 9) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels - 1):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    lines.append("tags: [" + ", ".join([f"*l{levels - 2}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_is_refused_fast_with_its_line(write_kb: Any) -> None:
    root = write_kb({"bomb.md": article("bomb", extra=_bomb(), body="# Bomb\n")})
    started = time.perf_counter()
    kb = read_kb(root)
    assert time.perf_counter() - started < 1.0
    (problem,) = kb.problems
    # l0-l2 expand to 9, 91 and 820 values; l3 is the first key past the bound (line 9).
    assert problem.where.endswith("bomb.md:9")
    assert problem.level == "error"
    assert "'l3' expands through YAML aliases (*name) to more than 1,000 values" in problem.message
    (a,) = kb.articles  # still listed, under metadata derived from the file
    assert (a.id, a.meta.tags) == ("bomb", ())


def test_yaml_alias_that_contains_itself_is_refused(write_kb: Any) -> None:
    root = write_kb({"loop.md": article("loop", extra="tags: &t [x, *t]\n")})
    (problem,) = read_kb(root).problems
    assert problem.where.endswith("loop.md:6")
    assert "'tags' refers to itself through a YAML alias" in problem.message


def test_a_few_yaml_aliases_are_still_read(write_kb: Any) -> None:
    extra = "audience: &who [secretariat, convener]\ntags: *who\n"
    kb = read_kb(write_kb({"a.md": article("a", extra=extra)}))
    assert kb.problems == []
    assert kb.articles[0].meta.tags == ("secretariat", "convener")
    assert kb.articles[0].meta.audience == ("secretariat", "convener")
