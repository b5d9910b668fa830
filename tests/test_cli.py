"""The command line as a newcomer meets it: help, version, exit codes, kb list and kb new."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest

from pipeline import __version__
from pipeline.cli import cli
from tests.conftest import BUNDLED_KB, REPO, article, run


def all_commands() -> list[list[str]]:
    from pipeline.docs import _commands

    return [[], *_commands(cli, click.Context(cli), [])]


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"netdocs, version {__version__}"


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p) or "netdocs")
def test_every_command_has_short_and_long_help(path: list[str]) -> None:
    short, long = run(*path, "-h"), run(*path, "--help")
    assert short.exit_code == 0 and short.stdout == long.stdout
    assert "Usage: netdocs" in short.stdout
    if path and not isinstance(cli.get_command(click.Context(cli), path[0]), click.Group):
        assert "Example" in short.stdout, "each command's help carries an example"


def test_unknown_option_is_a_usage_error() -> None:
    result = run("kb", "lint", "--strcit")
    assert result.exit_code == 2 and "Did you mean '--strict'?" in result.output


def test_kb_list_json_shape(write_kb: Any) -> None:
    root = write_kb(
        {
            "roles/convener.md": article("convener", "role"),
            "lessons/l.md": article("lesson-l", "lesson", "step: [2, 3]\n"),
        }
    )
    result = run("kb", "list", "--kb", str(root), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(a["id"], a["type"], a["step"], a["path"]) for a in data] == [
        ("convener", "role", [], "roles/convener.md"),
        ("lesson-l", "lesson", [2, 3], "lessons/l.md"),
    ]
    assert data[0]["title"] == "Title of convener"
    only = json.loads(run("kb", "list", "--kb", str(root), "--json", "--type", "lesson").stdout)
    assert [a["id"] for a in only] == ["lesson-l"]


def test_kb_new_writes_a_valid_article_and_never_overwrites(write_kb: Any) -> None:
    root = write_kb({"roles/convener.md": article("convener", "role")})
    result = run(
        "kb", "new", "lesson", "Start with a baseline audit", "--step", "1", "--kb", str(root)
    )
    assert result.exit_code == 0
    path = Path(result.stdout.strip())
    assert path == root / "lessons" / "lesson-start-with-a-baseline-audit.md"
    text = path.read_text()
    assert "type: lesson" in text and "step: [1]" in text and "## What happened" in text
    lint = run("kb", "lint", "--kb", str(root))
    assert lint.exit_code == 1, lint.stdout  # a new article is unfinished until written
    assert "scaffold text left as 'netdocs kb new' wrote it" in lint.stdout
    again = run("kb", "new", "lesson", "Start with a baseline audit", "--kb", str(root))
    assert again.exit_code == 2
    assert "already exists" in again.output
    assert path.read_text() == text


def test_kb_new_roadmap_step_takes_the_first_free_step(write_kb: Any) -> None:
    root = write_kb({"roadmap/s1.md": article("step-1-x", "roadmap-step", "step: 1\n")})
    result = run("kb", "new", "roadmap-step", "Features & values", "--kb", str(root))
    path = Path(result.stdout.strip())
    assert path.name == "step-2-features-values.md"
    assert "step: 2\n" in path.read_text()
    assert 'title: "Features & values"' in path.read_text()


HEAVY = ("docx", "docxtpl", "matplotlib", "pypandoc", "pydantic", "openpyxl", "sqlalchemy")


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["search", "--help"],
        ["search", "convener", "--kb", "KB"],
        ["show", "convener", "--kb", "KB"],
    ],
    ids=["help", "search-help", "search", "show"],
)
def test_help_search_and_show_start_light(argv: list[str], write_kb: Any, tmp_path: Path) -> None:
    kb = write_kb({"roles/convener.md": article("convener", "role", body="# Convener\n")})
    argv = [str(kb) if a == "KB" else a for a in argv]
    # the settings and the front matter are one pydantic declaration each (issue 12): a
    # command that reads them loads pydantic; --help reads neither
    heavy = HEAVY if argv[-1] == "--help" else tuple(m for m in HEAVY if m != "pydantic")
    code = (
        "import sys\n"
        "from pipeline.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(m for m in {heavy!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:", out.stdout + out.stderr
    if argv[0] in ("search", "show"):
        assert "convener" in out.stdout.lower()


def test_bug_gets_one_clear_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline import cli as cli_module

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(cli_module.cli, "main", boom)
    monkeypatch.setattr(sys, "argv", ["netdocs", "kb", "lint"])
    with pytest.raises(SystemExit) as info:
        cli_module.main(["kb", "lint"])
    assert info.value.code == 70
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: kaboom" in err and "Traceback" not in err


def test_readme_command_reference_is_current() -> None:
    from pipeline.docs import main

    assert main(["--check", str(REPO / "README.md")]) == 0, "run `make docs`"


def test_bundled_kb_exists() -> None:
    assert (BUNDLED_KB / "README.md").is_file()
