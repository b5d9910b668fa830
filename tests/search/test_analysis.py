"""Stemming and British/American spelling: both spellings find each other."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.search.analysis import normalise_spelling, text_analyzer
from pipeline.search.index import ensure_index
from pipeline.search.query import search
from tests.conftest import article

PAIRS = [
    ("mobilise", "mobilize"),
    ("organisation", "organization"),
    ("organising", "organizing"),
    ("programme", "program"),
    ("centre", "center"),
    ("labour", "labor"),
    ("analyse", "analyze"),
    ("cancelled", "canceled"),
    ("practise", "practice"),
    ("licence", "license"),
]


@pytest.mark.parametrize(("british", "american"), PAIRS)
def test_spellings_meet(british: str, american: str) -> None:
    a = text_analyzer()
    assert [t.text for t in a(british)] == [t.text for t in a(american)]


def test_stemming_joins_word_forms() -> None:
    a = text_analyzer()
    stems = {t.text for t in a("organise organising organisation organised")}
    assert len(stems) == 1


def test_unrelated_words_stay_apart() -> None:
    assert normalise_spelling("four") == "four"
    assert normalise_spelling("your") == "your"
    assert normalise_spelling("wise") == "wise"


@pytest.mark.parametrize(("british", "american"), PAIRS[:5])
def test_search_finds_the_other_spelling(
    write_kb: Any, tmp_path: Any, british: str, american: str
) -> None:
    root = write_kb(
        {
            "uk.md": article("uk", body=f"# UK\n\nThe network will {british} its members.\n"),
            "other.md": article("other", body="# Other\n\nNothing related here at all.\n"),
        }
    )
    ix, _ = ensure_index(tmp_path / "cache", root)
    try:
        assert [h.id for h in search(ix, american).hits] == ["uk"]
    finally:
        ix.close()
