"""Publish refuses unfinished material and a meeting date that contradicts the data; build
drafts with them and warns."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import load_settings
from pipeline.errors import UNFINISHED, Problem, ValidationError
from pipeline.kb import read_kb
from pipeline.network import load_network
from pipeline.publish.readiness import (
    REFUSED_HINT,
    as_draft_warning,
    check_readiness,
    meeting_contradiction,
)
from pipeline.publish.run import publish
from tests.conftest import REPO, run

LESSON = "lessons/lesson-action-plan-tied-to-academic-year.md"


@pytest.fixture(scope="module")
def bundled() -> Any:
    settings = load_settings(cwd=REPO)
    return settings, read_kb(settings.kb), load_network(settings.data)


def test_readiness_gathers_the_unfinished_of_the_kb_and_the_data(bundled: Any) -> None:
    settings, kb, snapshot = bundled
    todo = Problem("kb/a.md:3", "error", "unfinished text 'TODO'", rule=UNFINISHED)
    broken = Problem("kb/a.md:9", "error", "broken link 'x.md'", rule="")
    name = Problem("clusters.csv:7:convener", "warning", "reads like a placeholder", UNFINISHED)
    other = Problem("organisations.csv:2:website", "warning", "not https")
    dirty = replace(snapshot, warnings=(other, name))
    ready = check_readiness(settings, kb, dirty, date(2026, 10, 31), lint_problems=[broken, todo])
    assert (ready.kb, ready.data, ready.contradictions) == ([todo], [name], [])
    assert ready.unfinished == [todo, name] and not ready.ready
    clean = check_readiness(settings, kb, replace(snapshot, warnings=(other,)), date(2026, 10, 31),
                            lint_problems=[broken])  # fmt: skip
    assert clean.ready and clean.problems == []


def test_a_draft_warning_is_one_located_line() -> None:
    problem = Problem("kb/a.md:3", "error", "unfinished text 'TODO'\n  in the body", UNFINISHED)
    assert as_draft_warning(problem) == "warning: kb/a.md:3: unfinished text 'TODO' in the body"


def test_a_meeting_date_contradicting_the_data_names_both_files(bundled: Any) -> None:
    settings, _, snapshot = bundled
    assert settings.meeting_date == snapshot.network.network.meeting.date == date(2026, 10, 6)
    assert meeting_contradiction(settings, snapshot) is None
    assert meeting_contradiction(replace(settings, meeting_date=None), snapshot) is None
    wrong = meeting_contradiction(replace(settings, meeting_date=date(2026, 10, 7)), snapshot)
    assert wrong is not None and wrong.level == "error"
    assert wrong.where == f"{REPO / 'netdocs.toml'}: meeting_date"
    assert wrong.message == (
        "the edition's meeting date 2026-10-07 contradicts the data's 2026-10-06 "
        f"({REPO / 'kb' / 'network' / 'network.yaml'}: meeting.date); the documents would "
        "print both: correct whichever is wrong"
    )
    elsewhere = replace(snapshot, source="sqlite:///network.db")
    other = meeting_contradiction(replace(settings, meeting_date=date(2026, 10, 7)), elsewhere)
    assert other is not None
    assert "(sqlite:///network.db (network table, key meeting.date))" in other.message


# -- end to end, on a copy of the bundled project ---------------------------------------------


def _unfinish(root: Path) -> tuple[str, str]:
    """A TODO in a lesson and a placeholder convener; their locations."""
    lesson = root / "kb" / LESSON
    text = lesson.read_text(encoding="utf-8").rstrip("\n") + "\n"
    lesson.write_text(text + "\nTODO: add the 2025 figures.\n", encoding="utf-8")
    line = len(text.split("\n")) + 1
    clusters = root / "kb" / "network" / "clusters.csv"
    rows = list(csv.reader(io.StringIO(clusters.read_text(encoding="utf-8-sig"))))
    column = rows[0].index("convener")
    n = next(i for i, r in enumerate(rows) if r[0] == "greening-tvet")
    rows[n][column] = "Dr. Amara Placeholder"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    clusters.write_text(out.getvalue(), encoding="utf-8")
    return f"kb/{LESSON}:{line}", f"clusters.csv:{n + 1}:convener"


def test_publish_refuses_unfinished_kb_and_data_in_one_list(project: Any) -> None:
    at_kb, at_data = _unfinish(project.root)
    with pytest.raises(ValidationError) as info:
        publish(project, formats=("docx",))
    message = info.value.format_message()
    assert message.startswith("publish stopped before writing anything: ")
    assert (
        "unfinished: placeholders, scaffold text, empty sections or reviewers' unresolved "
        "suggestions must not print"
    ) in message
    listed = {p.where: p for p in info.value.problems}
    assert listed[at_kb].rule == UNFINISHED and listed[at_kb].level == "error"
    assert "'TODO'" in listed[at_kb].message
    assert any(w.endswith(at_data) and "Dr. Amara Placeholder" in p.message and
               p.rule == UNFINISHED and p.level == "error" for w, p in listed.items())  # fmt: skip
    assert not (project.outputs / project.edition).exists()
    result = run("publish", "--formats", "docx")
    assert result.exit_code == 1
    assert f"  {at_kb}: error: " in result.output and "Dr. Amara Placeholder" in result.output
    assert not (project.outputs / project.edition).exists()


def test_build_drafts_unfinished_material_and_warns(project: Any) -> None:
    at_kb, at_data = _unfinish(project.root)
    result = run("build", "strategy")
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"warning: {at_kb}: ") and "'TODO'" in line for line in lines)
    assert any(at_data in line and "Dr. Amara Placeholder" in line for line in lines)
    note = [line for line in lines if line.startswith("note: ")]
    assert len(note) == 1 and note[0].endswith(REFUSED_HINT)
    assert (project.outputs / "drafts" / "strategy.docx").is_file()
    assert not (project.outputs / project.edition).exists()


def test_publish_refuses_a_meeting_date_the_data_contradicts_and_build_warns(
    project: Any,
) -> None:
    toml = project.root / "netdocs.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("meeting_date = 2026-10-06",
                                                 "meeting_date = 2026-10-07"),
        encoding="utf-8",
    )  # fmt: skip
    result = run("publish", "--formats", "docx")
    assert result.exit_code == 1
    assert (
        f"  {toml}: meeting_date: error: the edition's meeting date 2026-10-07 contradicts "
        f"the data's 2026-10-06 ({project.root / 'kb' / 'network' / 'network.yaml'}: "
        "meeting.date)"
    ) in result.output
    assert not (project.outputs / project.edition).exists()
    drafted = run("build", "strategy")
    assert drafted.exit_code == 0, drafted.output
    assert (
        f"warning: {toml}: meeting_date: the edition's meeting date 2026-10-07 contradicts"
        in drafted.stderr
    )
    assert (project.outputs / "drafts" / "strategy.docx").is_file()


def test_a_figure_the_data_cannot_give_is_refused_where_it_is_cited(
    bundled: Any, tmp_path: Path
) -> None:
    settings, _, snapshot = bundled
    net = snapshot.network
    nobody = [o.model_copy(update={"status": "inactive"}) for o in net.organisations]
    empty = replace(snapshot, network=net.model_copy(update={"organisations": nobody}))
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "share.md").write_text(
        "---\nid: share\ntitle: Share\ntype: page\nsummary: How many take part.\n---\n# Share\n\n"
        "Of the active members, [[figure:member-participation]] take part.\n\n"
        "`[[figure:member-participation]]` in code is left alone.\n",
        encoding="utf-8",
    )
    kb = read_kb(tmp_path)
    ready = check_readiness(settings, kb, empty, date(2026, 10, 31), lint_problems=[])
    assert [(p.where.rsplit(":", 1)[-1], p.rule) for p in ready.kb] == [("9", UNFINISHED)]
    assert "no active members" in ready.kb[0].message
    assert check_readiness(settings, kb, snapshot, date(2026, 10, 31), lint_problems=[]).ready


def test_an_unknown_figure_is_unfinished_so_build_warns_and_publish_refuses(
    bundled: Any, tmp_path: Path
) -> None:
    settings, _, snapshot = bundled
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "count.md").write_text(
        "---\nid: count\ntitle: Count\ntype: page\nsummary: What the network tracks.\n---\n"
        "# Count\n\nThe strategy sets [[figure:kpiss]] indicators.\n",
        encoding="utf-8",
    )
    ready = check_readiness(settings, read_kb(tmp_path), snapshot, date(2026, 10, 31))
    assert [p.where.rsplit(":", 1)[-1] for p in ready.kb] == ["9"]
    assert "did you mean [[figure:kpis]]" in ready.kb[0].message
