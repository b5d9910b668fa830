"""What a reviewer types is written as text, never as Markdown; text from a data record
without an id (the strategy's vision) is named by its field and the file to change."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.kb import critic
from pipeline.kb.lint import lint
from pipeline.kb.reader import read_kb
from pipeline.render.pandoc import MARKDOWN_FORMAT, run_pandoc
from pipeline.review.apply import apply_review, as_markdown
from pipeline.review.report import where
from pipeline.review.run import review_document
from tests.conftest import run
from tests.review.conftest import Published
from tests.review.reviewing import Change, Note, review

INTRO = "pages/introduction.md"
AT_START = "# Note: *not* bold, _nor_ this, [a link](x.md), `code`, <b>tags</b> & &amp; | ~~s~~ "
"""Inserted at a paragraph's start: once accepted, ``#`` is at the line's start."""
SUBSTITUTE = "- *lean* 1. <team>"
MIDDLE = " closely [sic] \\ {++ not ++} markup"


def plain(markdown: str) -> str:
    out, _warnings = run_pandoc(
        ["-f", MARKDOWN_FORMAT, "-t", "plain", "--wrap=none"], "render", stdin=markdown.encode()
    )
    return out.decode("utf-8")


def test_reviewers_markup_characters_are_written_as_text(
    project: Published, tmp_path: Path
) -> None:
    reviewed = review(
        project.docx("handbook"),
        tmp_path / "typed.docx",
        changes=[
            Change("Most VET institutions already", before="Most VET", new=AT_START),
            Change("A small secretariat runs", old="small", new=SUBSTITUTE),
            Change("The handbook follows the seven", after="The handbook follows", new=MIDDLE),
        ],
    )
    original = (project.kb / INTRO).read_text(encoding="utf-8")
    applied = apply_review(review_document(reviewed, project.outputs, project.kb, None))
    assert applied.written == {INTRO: [1, 2, 3, 4]}, applied.skipped
    text = (project.kb / INTRO).read_text(encoding="utf-8")
    found = critic.find(text)
    assert [s.kind for s in found] == ["substitution", "insertion", "insertion"]
    assert critic.problems(text) == []
    report = lint(read_kb(project.kb))
    ours = [p for p in report.problems if INTRO in p.where]
    assert [p.message for p in ours if p.level == "error"] == []
    assert len([p for p in ours if p.message.startswith("unresolved ")]) == 3
    assert plain(critic.reject(text)) == plain(original)
    expected = (
        plain(original)
        .replace("Most VET institutions already", AT_START + "Most VET institutions already")
        .replace("A small secretariat", f"A {SUBSTITUTE} secretariat")
        .replace("The handbook follows", "The handbook follows" + MIDDLE)
    )
    assert plain(critic.accept(text)) == expected


@pytest.mark.parametrize(
    "typed", ["# heading?", "- a list?", "+ b", "12. c", "> quote", "=== under", ": defined"]
)
def test_a_line_start_stays_text(typed: str) -> None:
    assert plain(f"Before.\n\n{as_markdown(typed)} after.\n").split() == [
        "Before.",
        *typed.split(),
        "after.",
    ]


def test_strategy_fields_name_the_field_and_the_file(published: Published, tmp_path: Path) -> None:
    reviewed = review(
        published.docx("strategy"),
        tmp_path / "strategy.docx",
        notes=[
            Note("Every young person and adult", "Say 'everyone'.", on="Every young person"),
            Note("VETNoN connects national", "Too long.", on="VETNoN connects national"),
            Note("Africa cluster", "New coordinator in 2027.", on="Africa cluster"),
        ],
    )
    result = review_document(reviewed, published.outputs, published.kb, None)
    items = {i.text: i for i in result.items}
    vision, mission = items["Say 'everyone'."], items["Too long."]
    strategy_yaml = "kb/network/strategy.yaml"
    for item, field in ((vision, "vision"), (mission, "mission")):
        assert (item.origin, item.record, item.record_kind) == ("data", f"strategy.{field}",
                                                                "strategy")  # fmt: skip
        assert item.record_source is not None
        assert item.record_source.startswith(f"{strategy_yaml}:")
        assert item.record_source.endswith(f" {field}")
        line = int(item.record_source.split(":")[1].split()[0])
        source = (published.root / strategy_yaml).read_text(encoding="utf-8").split("\n")
        assert source[line - 1].startswith(f"{field}:")
        assert item.note == f"from the data: change it at the source (strategy.{field} in " \
            f"{item.record_source})"  # fmt: skip
        assert where(item) == f"from the data\nstrategy.{field}\n{item.record_source}"
    cluster = items["New coordinator in 2027."]
    assert (cluster.record_kind, cluster.record) == ("clusters", "africa")
    assert cluster.record_source is not None
    (row,) = [n for n, line in enumerate(
        (published.root / "kb/network/clusters.csv").read_text("utf-8").split("\n"), start=1
    ) if line.startswith("africa,")]  # fmt: skip
    assert cluster.record_source == f"kb/network/clusters.csv:{row}"


def test_the_table_names_the_file(published: Published, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    reviewed = review(
        published.docx("strategy"),
        tmp_path / "strategy.docx",
        notes=[Note("VETNoN connects national", "Too long.", on="VETNoN connects national")],
    )
    monkeypatch.chdir(published.root)
    result = run("review", "import", str(reviewed), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "strategy.mission" in result.output
    assert "kb/network/strategy.yaml:" in result.output


def test_a_category_places_no_row_an_identity_does() -> None:
    from pipeline.review.records import Record, match_record

    orgs = [
        Record("organisations", f"org-00{i}", (f"org 00{i}", f"lycée number {i}", "africa"),
               f"Lycée number {i}")
        for i in range(1, 4)
    ]  # fmt: skip
    cluster = Record("clusters", "africa", ("africa", "africa cluster"), "Africa cluster")
    # a "members per region" row: every organisation of the region says "Africa"
    assert match_record("Africa | 15 | 17", orgs) is None
    assert match_record("Africa | 15 | 17", [*orgs, cluster]) is cluster
    # a member row names its organisation, whatever its region
    assert match_record("Lycée number 2 | Africa | 2019", [*orgs, cluster]) is orgs[1]
