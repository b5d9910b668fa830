"""The AST diff (pipeline.publish.redline_diff) on Markdown read by pandoc: what is tracked."""

from __future__ import annotations

from typing import Any

from pipeline.publish.redline_diff import diff_blocks
from pipeline.publish.redline_mark import Tracker
from pipeline.publish.redline_normalise import normalise
from pipeline.render.model import read_articles


def _diff(old: str, new: str) -> tuple[list[Any], Tracker]:
    read = read_articles([old, new])
    tracker = Tracker("netdocs", "2026-10-31T00:00:00Z")
    a, b = (normalise(x) for x in read.blocks)
    return diff_blocks(a, b, tracker), tracker


def _changes(node: Any, found: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """(kind, text) of every tracked span, in order."""
    found = [] if found is None else found
    if isinstance(node, dict):
        if node.get("t") == "Span" and node["c"][0][1] in (["insertion"], ["deletion"]):
            found.append((node["c"][0][1][0], _text(node["c"][1])))
            return found
        _changes(node.get("c"), found)
    elif isinstance(node, list):
        for x in node:
            _changes(x, found)
    return found


def _text(node: Any) -> str:
    if isinstance(node, dict):
        t = node.get("t")
        if t == "Str":
            return str(node["c"])
        if t == "Space":
            return " "
        if t == "Code":
            return str(node["c"][1])
        if t == "LineBreak":
            return "\n"
        return _text(node.get("c"))
    if isinstance(node, list):
        return "".join(_text(x) for x in node if not isinstance(x, str))
    return ""


def test_words_change_inside_emphasis_and_links() -> None:
    out, tracker = _diff(
        "A *very important* rule, see [the guide](guide.md).\n",
        "A *most important* rule, see [the new guide](guide.md).\n",
    )
    assert _changes(out) == [("deletion", "very"), ("insertion", "most"), ("insertion", "new ")]
    emph = out[0]["c"][2]
    assert emph["t"] == "Emph" and _text(emph) == "verymost important"
    assert all(n["t"] != "Link" for n in out[0]["c"])  # the redline keeps the link's text
    assert (tracker.insertions, tracker.deletions) == (2, 1)


def test_a_rewritten_paragraph_is_replaced_whole_in_place() -> None:
    out, _ = _diff("The meeting is in May.\n", "Members vote on the budget every autumn.\n")
    assert len(out) == 1 and out[0]["t"] == "Para"
    assert _changes(out) == [
        ("deletion", "The meeting is in May."),
        ("insertion", "Members vote on the budget every autumn."),
    ]


def test_a_phrase_changes_as_one_not_word_space_word() -> None:
    out, _ = _diff(
        "Reports are sent to the secretariat every year in March.\n",
        "Reports are sent to the cluster coordinator every year in March.\n",
    )
    assert _changes(out) == [("deletion", "secretariat"), ("insertion", "cluster coordinator")]


def test_paragraphs_added_between_unchanged_ones() -> None:
    out, _ = _diff("One.\n\nThree.\n", "One.\n\nTwo is new.\n\nThree.\n")
    assert [b["t"] for b in out] == ["Para", "Para", "Para"]
    assert _changes(out[0]) == [] and _changes(out[2]) == []
    assert _changes(out[1]) == [("insertion", "Two is new.")]


def test_a_line_rewrapped_in_the_source_is_no_change() -> None:
    out, tracker = _diff("A long sentence\nwrapped here.\n", "A long sentence wrapped\nhere.\n")
    assert _changes(out) == [] and tracker.insertions == tracker.deletions == 0


def test_ordered_list_items() -> None:
    out, _ = _diff(
        "1. Survey the members.\n2. Write the plan.\n",
        "1. Survey the members.\n2. Write the plan together.\n3. Publish it.\n",
    )
    assert out[0]["t"] == "OrderedList"
    items = out[0]["c"][1]
    assert [_changes(i) for i in items] == [
        [],
        [("deletion", "plan."), ("insertion", "plan together.")],
        [("insertion", "Publish it.")],
    ]


def test_a_table_whose_columns_changed_is_replaced_whole() -> None:
    out, _ = _diff(
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n",
    )
    assert [b["t"] for b in out] == ["Table", "Table"]
    assert {k for k, _ in _changes(out[0])} == {"deletion"}
    assert {k for k, _ in _changes(out[1])} == {"insertion"}


def test_a_changed_code_block_shows_old_and_new_code() -> None:
    out, _ = _diff("```\nnetdocs publish\n```\n", "```\nnetdocs publish --formats docx\n```\n")
    assert _changes(out) == [
        ("deletion", "netdocs publish"),
        ("insertion", "netdocs publish --formats docx"),
    ]


def test_definition_lists_and_block_quotes() -> None:
    out, _ = _diff(
        "Term\n: The old meaning of it.\n\n> Quoted once.\n",
        "Term\n: The new meaning of it.\n\n> Quoted once.\n",
    )
    assert out[0]["t"] == "DefinitionList"
    assert _changes(out[0]) == [("deletion", "old"), ("insertion", "new")]
    assert _changes(out[1]) == []


def test_pictures_show_as_their_description() -> None:
    out, _ = _diff("![The old logo](images/a.png)\n", "![The new logo](images/b.png)\n")
    assert _text(out) == "[picture: The oldnew logo]"
    assert _changes(out) == [("deletion", "old"), ("insertion", "new")]
