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


# -- characters no font has --------------------------------------------------------------------


def test_a_character_no_installed_font_has_is_a_warning_on_its_line(tmp_path: Path) -> None:
    from pipeline.kb.glyphs import parse_charsets
    from pipeline.kb.lint import _glyphs
    from pipeline.kb.reader import read_kb

    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "growth.md").write_text(
        "---\nid: growth\ntitle: Growth ✓\ntype: page\n---\n# Growth\n\n"
        "Fine: é — “quoted” and a joiner\u200d with a selector ✓\ufe0f.\n\n"
        "Growing 🌱 and 🌱 again, melting 🫠.\n",
        encoding="utf-8",
    )
    kb = read_kb(tmp_path)
    latin = parse_charsets("20-7e a0-17f 2013-2014 201c-201d\n2713 1f331-1f331 zz")
    problems = _glyphs(kb, latin)
    assert [(p.where.rsplit(":", 1)[1], p.level) for p in problems] == [("10", "warning")]
    assert problems[0].message.startswith(
        "no installed font has '🫠' (U+1FAE0 MELTING FACE): the PDF shows an empty box"
    )
    assert "make pdf-tools: fonts-symbola" in problems[0].message
    title = _glyphs(kb, parse_charsets("20-7e a0-17f 2013-2014 201c-201d 1f331 1fae0"))
    check = "no installed font has '✓' (U+2713 CHECK MARK)"
    assert [(p.where.rsplit(":", 1)[1], p.message.split(":")[0]) for p in title] == [
        ("3", check),  # the title's line
        ("8", check),
    ]


def test_the_fallback_fonts_cover_emoji_arabic_and_cjk() -> None:
    """On a machine with the fonts of make pdf-tools (skipped, saying so, elsewhere)."""
    import shutil

    from pipeline.kb.glyphs import FONT_PACKAGES, installed, uncovered

    coverage = installed()
    if shutil.which("fc-list") is None or coverage is None:
        pytest.skip("fontconfig's fc-list is not installed")
    text = "Growing 🌱 ✓ — تربط الشبكة — 网络连接 — ネットワーク"
    if uncovered(text, coverage):
        pytest.skip(f"the fallback fonts are not installed ({FONT_PACKAGES})")
    assert uncovered("Melting 🫠, private \ue000", coverage) == ["🫠", "\ue000"]
