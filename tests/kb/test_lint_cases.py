"""Golden tests: each folder in cases/ is a knowledge base with mistakes; expected.txt is the
exact output of ``netdocs kb lint`` run inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_lint_reports_exactly_the_expected_problems(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case / "kb")
    expected = (case / "expected.txt").read_text(encoding="utf-8")
    result = run("kb", "lint", "--kb", ".")
    assert result.stdout == expected
    has_errors = ": error: " in expected
    assert result.exit_code == (1 if has_errors else 0)
    strict = run("kb", "lint", "--kb", ".", "--strict")
    assert strict.exit_code == (1 if has_errors or ": warning: " in expected else 0)


def test_plain_markdown_folder_gives_warnings_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parent / "cases" / "plain" / "kb")
    result = run("kb", "lint", "--kb", ".")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(": warning: no front matter" in line for line in lines)
    listing = run("kb", "list", "--kb", ".", "--json")
    ids = {a["id"]: a for a in __import__("json").loads(listing.stdout)}
    assert ids["getting-started"]["title"] == "Getting started with the network"
    assert ids["getting-started"]["type"] == "page"
    assert ids["guide-roles"]["title"] == "roles"


def test_json_format_lists_every_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    case = Path(__file__).parent / "cases" / "links"
    monkeypatch.chdir(case / "kb")
    result = run("kb", "lint", "--kb", ".", "--format", "json")
    data = json.loads(result.stdout)
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert [f"{p['where']}: {p['level']}: {p['message']}" for p in data["problems"]] == expected
    assert data["ok"] is False and data["errors"] == 5 and data["warnings"] == 1
    assert result.exit_code == 1
