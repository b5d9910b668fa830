"""``kb new`` with titles too long to become a file name as they are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.kb import read_kb
from pipeline.kb.scaffold import MAX_SLUG_CHARS, _short_slug
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
    assert _short_slug("short-title") == "short-title"
    assert _short_slug("x" * 300) == "x" * MAX_SLUG_CHARS
    assert _short_slug("ab-" + "c" * 100) == ("ab-" + "c" * 100)[:MAX_SLUG_CHARS]
    words = "-".join(["word"] * 40)
    assert _short_slug(words) == "-".join(["word"] * 12)  # 59 characters, ends at a word
