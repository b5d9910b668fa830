"""Figure citations (``[[figure:NAME]]``): found outside code only, replaced by their values."""

from __future__ import annotations

import time

import pytest

from pipeline.kb.figrefs import escape_markdown, find_citations, prose_spans, substitute

VALUES = {"kpis": "8", "members": "84", "budget-in-plan": "EUR 2,053,000.50"}


def test_citations_are_found_with_their_file_line_and_span() -> None:
    body = "# Title\n\nThe strategy has [[figure:kpis]] KPIs\nand [[ figure : members ]] members.\n"
    found = find_citations(body, first_line=11)
    assert [(c.name, c.line, c.text, c.ok) for c in found] == [
        ("kpis", 13, "[[figure:kpis]]", True),
        ("members", 14, "[[ figure : members ]]", True),
    ]
    assert body[found[0].start : found[0].end] == "[[figure:kpis]]"


@pytest.mark.parametrize(
    "body",
    [
        "```\n[[figure:kpis]]\n```\n",
        "~~~ text\n[[figure:kpis]]\n~~~\n",
        "Text.\n\n    [[figure:kpis]]\n",
        "Use `[[figure:kpis]]` to cite.\n",
        "Use ``a ` [[figure:kpis]]`` to cite.\n",
        "- item\n\n  ```\n  [[figure:kpis]]\n  ```\n",
        "```\nnever closed [[figure:kpis]]\n",
    ],
    ids=["fence", "tilde-fence", "indented", "inline", "double-backticks", "fence-in-list", "open"],
)
def test_citations_in_code_are_not_found_and_never_replaced(body: str) -> None:
    assert find_citations(body) == []
    assert substitute(body, VALUES) == body


def test_an_indented_list_continuation_is_not_code() -> None:
    body = "- item\n\n    still the item: [[figure:kpis]]\n"
    assert [c.name for c in find_citations(body)] == ["kpis"]
    assert substitute(body, VALUES) == "- item\n\n    still the item: 8\n"


def test_escaped_backticks_do_not_open_code() -> None:
    body = "a \\`[[figure:kpis]]\\` b\n"
    assert substitute(body, VALUES) == "a \\`8\\` b\n"


def test_an_unmatched_backtick_is_literal_text() -> None:
    body = "a ` then [[figure:kpis]]\n\nand `b` [[figure:members]]\n"
    assert substitute(body, VALUES) == "a ` then 8\n\nand `b` 84\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[figure:]]", "names no figure"),
        ("[[figure: Bad Name]]", "lower-case letters, digits, dots and dashes (for example "),
        ("[[figure:kpis", "is not closed"),
        ("[[figure:kpis]", "is not closed"),
        ("[[fig:kpis]]", "is not a figure citation: write [[figure:kpis]]"),
        ("[[figures:kpis]]", "is not a figure citation: write [[figure:kpis]]"),
    ],
)
def test_malformed_citations_are_reported_and_left_alone(text: str, problem: str) -> None:
    body = f"Intro.\n\nThe network: {text} here.\n"
    (cite,) = find_citations(body, first_line=5)
    assert not cite.ok and cite.line == 7
    assert cite.problem is not None and problem in cite.problem
    assert substitute(body, VALUES) == body


def test_unknown_names_are_left_as_written() -> None:
    body = "[[figure:kpis]] and [[figure:nope]]\n"
    assert substitute(body, VALUES) == "8 and [[figure:nope]]\n"


def test_values_are_escaped_so_they_stay_text() -> None:
    assert substitute("[[figure:budget-in-plan]]", VALUES) == "EUR 2,053,000\\.50"
    assert escape_markdown("*a* [b](c) <d>\n# e") == "\\*a\\* \\[b\\]\\(c\\) \\<d\\> \\# e"
    assert substitute("[[figure:x]]", {"x": "1. list"}) == "1\\. list"


def test_the_body_is_returned_unchanged_when_nothing_is_cited() -> None:
    body = "No citation here, only [[wiki]] links and ``code``.\n"
    assert substitute(body, VALUES) is body
    assert find_citations(body) == []


def test_prose_spans_cover_everything_but_code() -> None:
    body = "a `b` c\n\n```\nd\n```\ne\n"
    text = "".join(body[lo:hi] for lo, hi in prose_spans(body))
    assert "b" not in text and "d" not in text
    assert text.count("a") == 1 and "c" in text and "e" in text


def test_ten_thousand_articles_are_substituted_in_well_under_a_second_each() -> None:
    plain = "## Section\n\nSome text without citations, but with `code`.\n" * 20
    cited = plain + "The strategy has [[figure:kpis]] KPIs.\n\n```\n[[figure:kpis]]\n```\n"
    start = time.perf_counter()
    for _ in range(9_000):
        substitute(plain, VALUES)
    for _ in range(1_000):
        out = substitute(cited, VALUES)
    seconds = time.perf_counter() - start
    assert out.count("[[figure:kpis]]") == 1 and "has 8 KPIs" in out
    assert seconds < 5, seconds
