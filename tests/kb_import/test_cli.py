"""``netdocs kb import`` as a person runs it: what it prints, --dry-run, --json, --force."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run
from tests.kb_import.conftest import FIXTURES

COMMENTS = str(FIXTURES / "pandoc-comments.docx")


def test_dry_run_prints_what_it_would_create_and_writes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    result = run("kb", "import", COMMENTS, "--kb", str(root), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"would create: {root / 'pages/pandoc-comments.md'}\n"
    assert (
        "comment (Jesse Rosenthal, 2016-05-09T16:13:00Z) in pandoc-comments "
        "(pages/pandoc-comments.md): 'I left a comment.' on 'some text to have a comment'\n"
    ) in result.stderr
    assert "warning: " in result.stderr and "has no headings" in result.stderr
    assert result.stderr.endswith(
        "1 article(s), 0 picture(s), 5 comment(s) and tracked change(s) "
        "(dry run: nothing written)\n"
    )
    assert not root.exists()


def test_import_then_refuse_then_force(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    first = run("kb", "import", str(FIXTURES / "pandoc-image.docx"), "--kb", str(root))
    assert first.exit_code == 0, first.output
    assert first.stdout == (
        f"created: {root / 'pages/pandoc-image.md'}\n"
        f"created: {root / 'images/pandoc-image/image1.jpg'}\n"
    )
    again = run("kb", "import", str(FIXTURES / "pandoc-image.docx"), "--kb", str(root))
    assert again.exit_code == 2
    assert again.stderr.startswith("error: 2 file(s) already exist; nothing was written:\n")
    assert f"  {root / 'pages/pandoc-image.md'}\n  {root / 'images/pandoc-image/image1.jpg'}\n" in (
        again.stderr
    )
    forced = run("kb", "import", str(FIXTURES / "pandoc-image.docx"), "--kb", str(root), "--force")
    assert forced.exit_code == 0
    assert f"created: {root / 'pages/pandoc-image.md'} (replaced)\n" in forced.stdout
    lint = run("kb", "lint", "--kb", str(root), "--strict")
    assert lint.exit_code == 0, lint.output


def test_json_lists_articles_pictures_and_remarks(tmp_path: Path) -> None:
    result = run("kb", "import", str(FIXTURES / "pandoc-track_changes_deletion.docx"),
                 "--kb", str(tmp_path / "kb"), "--json", "--split-level", "2")  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["written"] is True
    assert data["articles"] == [
        {
            "id": "pandoc-track-changes-deletion",
            "title": "Pandoc track changes deletion",
            "path": "pages/pandoc-track-changes-deletion.md",
            "heading": "",
        }
    ]
    assert [(r["kind"], r["author"], r["text"]) for r in data["comments_and_changes"]] == [
        ("deletion", "eng-dept", "n excessively modified")
    ]
    assert data["updated"] == "2014-06-25"
