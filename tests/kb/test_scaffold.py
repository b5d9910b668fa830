"""``kb new`` with titles too long to become a file name as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import UNFINISHED
from pipeline.kb import ARTICLE_TYPES, read_kb
from pipeline.kb.lint import lint
from pipeline.kb.scaffold import MAX_SLUG_CHARS, short_slug
from tests.conftest import article, run

LONG_TITLE = " ".join(["Coordination"] * 25)  # 324 characters


def test_a_300_character_title_gets_a_short_id_and_keeps_its_text(write_kb: Any) -> None:
    root = write_kb({"a.md": article("a")})
    result = run("kb", "new", "lesson", LONG_TITLE, "--step", "1", "--kb", str(root))
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.name == "lesson-coordination-coordination-coordination-coordination.md"
    kb = read_kb(root)
    assert kb.problems == []
    (new,) = [a for a in kb.articles if a.path.startswith("lessons/")]
    assert new.title == LONG_TITLE
    assert new.id == path.stem


def test_a_second_article_with_the_same_long_title_is_refused(write_kb: Any) -> None:
    root = write_kb({"a.md": article("a")})
    assert run("kb", "new", "glossary", LONG_TITLE, "--kb", str(root)).exit_code == 0
    again = run("kb", "new", "glossary", LONG_TITLE + " again", "--kb", str(root))
    assert again.exit_code == 2
    assert "an article with id 'glossary-coordination-" in again.output
    assert "already exists" in again.output


def test_short_slug_cuts_at_a_word_unless_the_word_is_the_whole_slug() -> None:
    assert short_slug("short-title") == "short-title"
    assert short_slug("x" * 300) == "x" * MAX_SLUG_CHARS
    assert short_slug("ab-" + "c" * 100) == ("ab-" + "c" * 100)[:MAX_SLUG_CHARS]
    words = "-".join(["word"] * 40)
    assert short_slug(words) == "-".join(["word"] * 12)  # 59 characters, ends at a word


def test_a_new_lesson_fails_lint_at_each_line_kb_new_wrote(write_kb: Any) -> None:
    root = write_kb({"a.md": article("a", body="# A\n\nText.\n")})
    result = run("kb", "new", "lesson", "X", "--step", "1", "--kb", str(root))
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    lines = path.read_text(encoding="utf-8").split("\n")
    assert read_kb(root).problems == []  # the front matter is valid
    lint = run("kb", "lint", "--kb", str(root))
    assert lint.exit_code == 1
    shown = str(path.relative_to(Path.cwd())) if path.is_relative_to(Path.cwd()) else str(path)
    found = [line.removeprefix(shown + ":") for line in lint.stdout.splitlines()]
    summary = lines.index('summary: "netdocs:scaffold: say in one or two sentences what a '
                          'reader learns here"') + 1  # fmt: skip
    heads = [n + 1 for n, line in enumerate(lines) if line.startswith("## ")]
    hints = [n + 1 for n, line in enumerate(lines) if line.startswith("<!-- netdocs:scaffold: ")]
    assert len(heads) == 3 and len(hints) == 3
    title = lines.index("# X") + 1
    assert found == sorted(
        [f"{summary}: error: the summary is still the one 'netdocs kb new' wrote: say in one "
         "or two sentences what a reader finds in the article",
         f"{title}: error: the article has no text beyond its title: write it, or delete the "
         "file (an empty article still prints as a chapter)"]
        + [f"{n}: error: heading '{lines[n - 1][3:]}' has nothing under it: write the section "
           "or remove the heading" for n in heads]
        + [f"{n}: error: scaffold text left as 'netdocs kb new' wrote it "
           f"('{lines[n - 1][23:-4]}'): write what it asks for, then delete the comment"
           for n in hints],
        key=lambda s: int(s.split(":", 1)[0]),
    )  # fmt: skip


@pytest.mark.parametrize("kind", ARTICLE_TYPES)
def test_every_new_article_is_valid_and_only_unfinished(write_kb: Any, kind: str) -> None:
    root = write_kb({"a.md": article("a", body="# A\n\nText.\n")})
    steps = ("--step", "2") if kind in ("lesson", "practice", "roadmap-step") else ()
    assert run("kb", "new", kind, "Something new", *steps, "--kb", str(root)).exit_code == 0
    kb = read_kb(root)
    assert kb.problems == []
    # a lone roadmap step also misses the other six steps: that is not the scaffold's doing
    problems = [p for p in lint(kb).problems if not p.where.endswith("roadmap/")]
    assert problems and all(p.rule == UNFINISHED and p.level == "error" for p in problems), [
        str(p) for p in problems
    ]
    assert any("scaffold text left" in p.message for p in problems)


def test_a_new_principle_takes_the_next_position(write_kb: Any) -> None:
    root = write_kb(
        {
            "principles/a.md": article("principle-a", "principle", "order: 1\n"),
            "principles/b.md": article("principle-b", "principle", "order: 4\n"),
        }
    )
    result = run("kb", "new", "principle", "Share results", "--kb", str(root))
    assert result.exit_code == 0, result.output
    new = read_kb(root).by_id()["principle-share-results"]
    assert new.meta.order == 5 and new.line_of("order") == 5
    assert not [p for p in lint(read_kb(root)).problems if "order" in p.message]
