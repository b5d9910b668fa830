"""``kb lint``: nothing unfinished prints, figure citations name real figures, and counts the
data owns are cited rather than written out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import UNFINISHED
from pipeline.kb import read_kb
from pipeline.kb.citations import STATED_FIGURE
from pipeline.kb.lint import lint
from tests.conftest import article

TEXT = "# Title\n\nA paragraph of real text.\n"


def _problems(root: Path) -> list[tuple[str, str, str, str]]:
    """(where without the folder, level, message, rule) of every problem."""
    out = []
    for p in lint(read_kb(root)).problems:
        where = p.where.removeprefix(str(root) + "/")
        out.append((where, p.level, p.message, p.rule))
    return out


def _one(root: Path) -> tuple[str, str, str, str]:
    found = _problems(root)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "marker", ["TODO", "TBD", "FIXME", "lorem ipsum", "placeholder", "<draft>", "Lorem  Ipsum"]
)
def test_each_marker_in_the_body_is_an_unfinished_error_at_its_line(
    write_kb: Any, marker: str
) -> None:
    root = write_kb({"a.md": article("a", body=f"{TEXT}\nMore text {marker} here.\n")})
    (found,) = [p for p in _problems(root) if p[1] == "error"]  # <draft> also warns as HTML
    where, level, message, rule = found
    assert (where, level, rule) == ("a.md:11", "error", UNFINISHED)
    assert message == f"unfinished text '{marker}': finish or remove it before publishing"


def test_markers_in_code_are_left_alone(write_kb: Any) -> None:
    body = TEXT + "\nWrite `TODO` to mark it.\n\n```\n# TODO: not prose\n```\n\n    FIXME\n"
    root = write_kb({"a.md": article("a", body=body)})
    assert _problems(root) == []


def test_markers_in_title_and_summary(write_kb: Any) -> None:
    text = "---\nid: a\ntitle: Budget TBD\ntype: page\nsummary: Placeholder summary.\n---\n" + TEXT
    root = write_kb({"a.md": text})
    assert {r for _w, _l, _m, r in _problems(root)} == {UNFINISHED}
    assert [(w, m) for w, _l, m, _r in _problems(root)] == [
        ("a.md:3", "unfinished text 'TBD' in the title: finish or remove it before publishing"),
        (
            "a.md:5",
            "unfinished text 'Placeholder' in the summary: finish or remove it before publishing",
        ),
    ]


@pytest.mark.parametrize("summary", ["Title of a", "title of A.", "  Title   of a ."])
def test_a_summary_equal_to_the_title_is_unfinished(write_kb: Any, summary: str) -> None:
    text = f"---\nid: a\ntitle: Title of a\ntype: page\nsummary: {summary}\n---\n{TEXT}"
    root = write_kb({"a.md": text})
    assert _one(root) == (
        "a.md:5",
        "error",
        "the summary only repeats the title: say in one or two sentences what a reader finds "
        "in the article",
        UNFINISHED,
    )


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("# Title\n\nText.\n\n## Empty\n\n## Full\n\nText.\n", [11]),
        ("# Title\n\nText.\n\n## Empty\n<!-- a comment -->\n\n\n", [11]),
        ("# Title\n\nText.\n\n## Parent\n\n### Child\n\nText.\n", []),
        ("# Title\n\nText.\n\n## Parent\n\n### Child\n\n## Next\n\nText.\n", [11, 13]),
        ("# Title\n\nText.\n\n## Code only\n\n```\nx\n```\n", []),
        ("# Title\n\nText.\n\nSetext\n------\n", [11]),
        ("# Title\n\nText.\n\n## Table\n\n| a |\n|---|\n| 1 |\n", []),
    ],
    ids=["before-a-sibling", "comment-only", "sub-heading-content", "empty-parent", "code",
         "setext", "table"],
)  # fmt: skip
def test_a_heading_with_nothing_under_it_is_unfinished(
    write_kb: Any, body: str, lines: list[int]
) -> None:
    root = write_kb({"a.md": article("a", body=body)})
    found = _problems(root)
    assert [int(w.rsplit(":", 1)[1]) for w, *_ in found] == lines
    assert all(m.endswith("has nothing under it: write the section or remove the heading")
               and r == UNFINISHED for _w, _l, m, r in found)  # fmt: skip


@pytest.mark.parametrize(
    "body", ["", "# Title of a\n", "# Title of a\n\n<!-- nothing yet -->\n", "\n\n"]
)
def test_an_article_with_no_text_beyond_its_title_is_unfinished(write_kb: Any, body: str) -> None:
    root = write_kb({"principles/p.md": article("p", "principle", body=body)})
    where, level, message, rule = _one(root)
    assert where.startswith("principles/p.md:") and level == "error" and rule == UNFINISHED
    assert message.startswith("the article has no text beyond its title")


def test_an_empty_step_list_is_unfinished_and_says_the_article_would_vanish(
    write_kb: Any,
) -> None:
    root = write_kb({"l.md": article("l", "lesson", "step: []\n", body=TEXT)})
    assert _one(root) == (
        "l.md:6",
        "error",
        "'step' is empty: a lesson tied to no roadmap step is left out of the handbook; write "
        "the steps it belongs to, e.g. step: [1, 5]",
        UNFINISHED,
    )


def test_a_bad_step_is_reported_once_by_the_schema(write_kb: Any) -> None:
    root = write_kb({"l.md": article("l", "practice", "step: [9]\n", body=TEXT)})
    assert [m for _w, _l, m, _r in _problems(root)] == [
        "step 9 names no roadmap step (the roadmap has steps 1 to 7)"
    ]


def test_scaffold_hints_are_recognised_tagged_or_as_kb_new_wrote_them_before(
    write_kb: Any,
) -> None:
    body = (
        TEXT + "\n<!-- netdocs:scaffold: Anything at all. -->\n"
        "\n<!-- The situation, briefly and concretely. -->\n\n<!-- An editor's own note. -->\n"
        "\n```\n<!-- netdocs:scaffold: shown as an example -->\n```\n"
    )
    root = write_kb({"a.md": article("a", body=body)})
    assert {r for _w, _l, _m, r in _problems(root)} == {UNFINISHED}
    assert [(w, m) for w, _l, m, _r in _problems(root)] == [
        (
            "a.md:11",
            "scaffold text left as 'netdocs kb new' wrote it ('Anything at all.'): write what "
            "it asks for, then delete the comment",
        ),
        (
            "a.md:13",
            "scaffold text left as 'netdocs kb new' wrote it ('The situation, briefly and "
            "concretely.'): write what it asks for, then delete the comment",
        ),
    ]


def test_unknown_figure_is_an_error_with_did_you_mean(write_kb: Any) -> None:
    root = write_kb({"a.md": article("a", body=TEXT + "\nWe track [[figure:kpi]] KPIs.\n")})
    assert _one(root) == (
        "a.md:11",
        "error",
        "unknown figure 'kpi' in '[[figure:kpi]]': did you mean [[figure:kpis]]? "
        "(netdocs data figures lists the names)",
        UNFINISHED,  # it would print as written: publish refuses it, build warns
    )


def test_malformed_and_misplaced_citations_are_errors(write_kb: Any) -> None:
    text = (
        "---\nid: a\ntitle: A\ntype: page\nsummary: We have [[figure:kpis]] KPIs.\n---\n"
        + TEXT
        + "\n[[figure:]] and `[[figure:nope]]`\n"
    )
    root = write_kb({"a.md": text})
    assert {r for _w, _l, _m, r in _problems(root)} == {UNFINISHED}
    assert [(w, m) for w, _l, m, _r in _problems(root)] == [
        (
            "a.md:5",
            "a figure citation in the summary is printed as written: only the body's "
            "[[figure:NAME]] are filled in; write the summary without it",
        ),
        (
            "a.md:11",
            "figure citation '[[figure:]]' names no figure: write [[figure:NAME]] "
            "(netdocs data figures lists the names)",
        ),
    ]


def test_known_citations_pass(write_kb: Any) -> None:
    body = TEXT + "\nThe network has [[figure:clusters-regional]] regional clusters.\n"
    root = write_kb({"a.md": article("a", body=body)})
    assert _problems(root) == []


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("VETNoN tracks ten key performance indicators.", "kpis"),
        ("The network has five regional clusters and more.", "clusters-regional"),
        ("The network has 84 member institutions.", "members"),
        ("Today the network's 73 countries meet.", "countries-active"),
        ("The strategy has four collective aspirations.", "aspirations"),
    ],
)
def test_a_count_the_data_owns_stated_as_a_number_is_a_warning(
    write_kb: Any, sentence: str, name: str
) -> None:
    root = write_kb({"a.md": article("a", body=f"{TEXT}\n{sentence}\n")})
    where, level, message, rule = _one(root)
    assert (where, level, rule) == ("a.md:11", "warning", STATED_FIGURE)
    assert f"cite [[figure:{name}]]" in message and "netdocs data figures" in message


@pytest.mark.parametrize(
    "sentence",
    [
        "A cluster of five members met in Nairobi.",
        "The network's first framework listed forty-three indicators.",
        "In a network with 12 members, everyone knows everyone.",
        "Five centres agreed; the network has grown since.",
        "Write `the network has 84 members` in code.",
    ],
)
def test_anecdotes_and_code_do_not_fire(write_kb: Any, sentence: str) -> None:
    root = write_kb({"a.md": article("a", body=f"{TEXT}\n{sentence}\n")})
    assert _problems(root) == []


def test_an_empty_heading_and_an_empty_list_item_are_unfinished(write_kb: Any) -> None:
    """What accepting a reviewer's deletion of a heading's or list item's text alone leaves
    (``## ``, ``- ``) is an error at its line; a ``-`` under a paragraph (a setext heading's
    underline), a bullet with text and the same lines in code are not."""
    body = (
        TEXT + "\n## \n\nText under it.\n\n- one\n-\n* \n\n1.\n\nA paragraph\n-\n\n"
        "```\n## \n- \n```\n"
    )
    root = write_kb({"a.md": article("a", body=body)})
    found = [(w, m.split(":")[0]) for w, level, m, r in _problems(root)
             if level == "error" and r == UNFINISHED]  # fmt: skip
    heading, item = (
        "an empty heading (a '#' with no title)",
        "an empty list item (a bullet with no text)",
    )
    assert found == [("a.md:11", heading), ("a.md:16", item), ("a.md:17", item), ("a.md:19", item)]
