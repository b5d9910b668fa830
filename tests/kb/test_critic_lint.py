"""``kb lint`` and ``publish`` read CriticMarkup: malformed markup is an error, each unresolved
suggestion a warning (so ``--strict`` and publish fail, listing each), and the other checks do
not misfire on it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import UNFINISHED, ValidationError
from pipeline.kb import read_kb
from pipeline.kb.lint import lint
from tests.conftest import article, run

ACT = "accept or reject it in your editor, then lint again"

BODY = (
    "# Title\n"  # line 7 (the front matter takes lines 1-6)
    "\n"
    "The convener {++now ++}meets the [members](b.md) twice a year.\n"
    "\n"
    "{--A whole\n"
    "paragraph.--}\n"
    "\n"
    "{>>Ana Silva (2026-11-03): TODO check the date<<}\n"
    "\n"
    "A {==key phrase==}{>>too vague<<} and {~~the plan~>our [plan](b.md#plan)~~}.\n"
    "\n"
    "Write `{++x++}` to suggest an insertion.\n"
)


def _problems(root: Path) -> list[tuple[str, str, str, str]]:
    """(where without the folder, level, message, rule) of every problem."""
    out: list[tuple[str, str, str, str]] = []
    for p in lint(read_kb(root)).problems:
        out.append((p.where.removeprefix(str(root) + "/"), p.level, p.message, p.rule))
    return out


@pytest.fixture
def reviewed(write_kb: Any) -> Path:
    other = article("b", body="# B\n\nText.\n\n## Plan\n\nThe plan.\n")
    root: Path = write_kb({"a.md": article("a", body=BODY), "b.md": other})
    return root


def test_each_unresolved_suggestion_is_a_warning_at_its_line_and_nothing_else_fires(
    reviewed: Path,
) -> None:
    assert _problems(reviewed) == [
        ("a.md:9", "warning", f"unresolved insertion '{{++now ++}}': {ACT}", UNFINISHED),
        (
            "a.md:11",
            "warning",
            f"unresolved deletion '{{--A whole paragraph.--}}' (to line 12): {ACT}",
            UNFINISHED,
        ),
        (
            "a.md:14",
            "warning",
            "unresolved comment by Ana Silva '{>>Ana Silva (2026-11-03): TODO check the "
            "date<<}': act on it and delete it in your editor, then lint again",
            UNFINISHED,
        ),
        (
            "a.md:16",
            "warning",
            "unresolved highlight '{==key phrase==}{>>too vague<<}': act on its comment and "
            "remove the highlight in your editor, then lint again",
            UNFINISHED,
        ),
        (
            "a.md:16",
            "warning",
            f"unresolved substitution '{{~~the plan~>our [plan](b.md#plan)~~}}': {ACT}",
            UNFINISHED,
        ),
    ]


def test_warnings_fail_only_strict(reviewed: Path) -> None:
    report = lint(read_kb(reviewed))
    assert (report.errors, report.warnings) == (0, 5)
    assert not report.failed() and report.failed(strict=True)


def test_malformed_markup_is_an_error_at_its_line(write_kb: Any) -> None:
    body = "# Title\n\nText {++ never closed.\n\nAnd {~~no separator~~} here.\n"
    root = write_kb({"a.md": article("a", body=body)})
    assert _problems(root) == [
        (
            "a.md:9",
            "error",
            "'{++' (insertion) is not closed before the '{~~' at line 11: suggestions do not "
            "nest; end the insertion with '++}' first",
            UNFINISHED,
        ),
        (
            "a.md:11",
            "error",
            "substitution '{~~no separator~~}' has no '~>' between the old and the new text: "
            "write {~~old~>new~~}",
            UNFINISHED,
        ),
    ]
    assert lint(read_kb(root)).failed()


def test_unfinished_text_reads_suggestions_but_not_comments(write_kb: Any) -> None:
    body = (
        "# Title\n\nReal text {>>TODO: a reviewer's note<<} here.\n\n"
        "## Kept\n\n{--Old text of the section.--}\n\n"
        "## Commented only\n\n{>>write this section<<}\n\n"
        "## Inserted\n\n{++Text with a TBD in it.++}\n"
    )
    root = write_kb({"a.md": article("a", body=body)})
    found = [(w, lvl, m, r) for w, lvl, m, r in _problems(root) if not m.startswith("unresolved")]
    assert found == [
        (
            "a.md:15",
            "error",
            "heading 'Commented only' has nothing under it: write the section or remove the "
            "heading",
            UNFINISHED,
        ),
        (
            "a.md:21",
            "error",
            "unfinished text 'TBD': finish or remove it before publishing",
            UNFINISHED,
        ),
    ]


def test_kb_lint_json_lists_them(reviewed: Path) -> None:
    result = run("kb", "lint", "--kb", str(reviewed), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["ok"], data["errors"], data["warnings"]) == (True, 0, 5)
    first = data["problems"][0]
    assert first["where"].endswith("a.md:9") and first["level"] == "warning"
    assert first["message"] == f"unresolved insertion '{{++now ++}}': {ACT}"
    strict = run("kb", "lint", "--kb", str(reviewed), "--strict")
    assert strict.exit_code == 1
    assert "a.md:16: warning: unresolved substitution" in strict.stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.publish.conftest import make_project

    return make_project(tmp_path_factory.mktemp("critic") / "project")


def test_publish_refuses_an_unresolved_suggestion_and_names_it(project: Path) -> None:
    from pipeline.config import load_settings
    from pipeline.publish.readiness import kb_unfinished
    from pipeline.publish.run import check_all

    settings = load_settings(cwd=project)
    check_all(settings, None)  # the bundled project is fit to print
    path = project / "kb" / "roles" / "convener.md"
    text = path.read_text(encoding="utf-8")
    line = text.split("\n").index("# Convener") + 3  # its first paragraph
    lines = text.split("\n")
    lines[line - 1] = "Each {++regional or ++}" + lines[line - 1].removeprefix("Each ")
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        with pytest.raises(ValidationError) as caught:
            check_all(settings, None)
        drafted = kb_unfinished(read_kb(settings.kb), date(2026, 11, 1))  # build warns of it
    finally:
        path.write_text(text, encoding="utf-8")
    problems = [(p.where, p.level, p.message) for p in caught.value.problems]
    assert problems == [
        (
            f"{path}:{line}",
            "error",
            f"unresolved insertion '{{++regional or ++}}': {ACT}",
        )
    ]
    assert str(caught.value.format_message()).startswith(
        "publish stopped before writing anything: 1 problem(s) to fix (1 unfinished: "
    )
    assert [(p.where, p.level) for p in drafted] == [(f"{path}:{line}", "warning")]
    assert f"{path}:{line}: error: unresolved insertion" in caught.value.format_message()


def test_suggestions_in_the_title_and_summary_are_found(write_kb: Any) -> None:
    text = (
        "---\nid: a\ntitle: The {++new ++}convener\ntype: page\n"
        "summary: Brings {~~all~>the~~} partners together.\n---\n# Title\n\nText.\n"
    )
    root = write_kb({"a.md": text})
    assert _problems(root) == [
        (
            "a.md:3",
            "warning",
            f"unresolved insertion in the title '{{++new ++}}': {ACT}",
            UNFINISHED,
        ),
        (
            "a.md:5",
            "warning",
            f"unresolved substitution in the summary '{{~~all~>the~~}}': {ACT}",
            UNFINISHED,
        ),
    ]
