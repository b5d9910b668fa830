"""``netdocs redline`` and the publish's edition_redlines, on hand-written editions."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli
from pipeline.publish.redline import edition_redlines

from .conftest import NEW, OLD, REPO, Blocks, W, make_edition

STRATEGY_OLD: Blocks = [("Foreword", [("pages/foreword.md", "The plan runs to 2029.\n")])]
STRATEGY_NEW: Blocks = [("Foreword", [("pages/foreword.md", "The plan runs to 2030.\n")])]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose outputs/ hold 2025 and 2026 editions (handbook and strategy), 2024 (no
    source records: an older netdocs) and 2023 (a handbook only)."""
    root = tmp_path_factory.mktemp("project")
    (root / "netdocs.toml").write_text(
        f'edition = "2026-annual-meeting"\ntemplates = "{REPO / "templates"}"\n', encoding="utf-8"
    )
    outputs = root / "outputs"
    make_edition(outputs, "2025-annual-meeting", {"handbook": OLD, "strategy": STRATEGY_OLD},
                 title="2025 Annual Meeting", as_of="2025-10-31")  # fmt: skip
    make_edition(outputs, "2026-annual-meeting", {"handbook": NEW, "strategy": STRATEGY_NEW},
                 title="2026 Annual Meeting", as_of="2026-10-31")  # fmt: skip
    make_edition(outputs, "2024-annual-meeting", None, title="2024", as_of="2024-10-31")
    make_edition(outputs, "2023-annual-meeting", {"handbook": OLD}, title="2023",
                 as_of="2023-10-31")  # fmt: skip
    return root


def _run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--config", str(project / "netdocs.toml"), "redline", *args], prog_name="netdocs"
    )


def _tracked(docx: Path) -> tuple[list[str], list[str]]:
    with zipfile.ZipFile(docx) as zf:
        xml = zf.read("word/document.xml").decode()
    from lxml import etree

    root = etree.fromstring(xml.encode())
    ins = ["".join(e.itertext()) for e in root.iter(f"{{{W}}}ins") if "".join(e.itertext())]
    dels = ["".join(e.itertext()) for e in root.iter(f"{{{W}}}del") if "".join(e.itertext())]
    return ins, dels


def test_redline_against_the_projects_edition(project: Path, tmp_path: Path) -> None:
    result = _run(project, "2025-annual-meeting", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines == [
        f"wrote {tmp_path / 'handbook-redline.docx'}: 2 revised, 1 added, 1 removed, "
        "5 unchanged (12 insertions, 11 deletions)",
        "  revised  Members (generated text) (block:membership)",
        "  revised  Convener (roles/convener.md)",
        "  removed  Focal point (roles/focal-point.md)",
        "  added    Online services (pages/online-services.md)",
        f"wrote {tmp_path / 'strategy-redline.docx'}: 1 revised, 0 added, 0 removed, "
        "1 unchanged (1 insertion, 1 deletion)",
        "  revised  Foreword (pages/foreword.md)",
    ]
    assert _tracked(tmp_path / "strategy-redline.docx") == (["2030."], ["2029."])
    assert "comparing the handbook of 2025-annual-meeting and 2026-annual-meeting" in result.stderr


def test_one_document_by_folder_and_json(project: Path, tmp_path: Path) -> None:
    outputs = project / "outputs"
    result = _run(project, str(outputs / "2025-annual-meeting"),
                  str(outputs / "2026-annual-meeting"), "--document", "strategy",
                  "-o", str(tmp_path), "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    (only,) = json.loads(result.stdout)
    assert (only["document"], only["insertions"], only["deletions"]) == ("strategy", 1, 1)
    assert only["changes"] == [
        {"key": "pages/foreword.md", "change": "revised", "title": "Foreword"}
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["strategy-redline.docx"]


def test_default_output_is_the_drafts_folder(project: Path) -> None:
    result = _run(project, "2025-annual-meeting", "--document", "strategy")
    assert result.exit_code == 0, result.output
    assert (project / "outputs" / "drafts" / "strategy-redline.docx").is_file()


def test_editions_in_the_wrong_order_get_a_note(project: Path, tmp_path: Path) -> None:
    result = _run(project, "2026-annual-meeting", "2025-annual-meeting", "--document",
                  "strategy", "-o", str(tmp_path))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "note: 2026-annual-meeting (as of 2026-10-31) is later than 2025-annual-meeting (as of "
        "2025-10-31): the redline shows the text going back; name the earlier edition first"
    )
    assert _tracked(tmp_path / "strategy-redline.docx") == (["2029."], ["2030."])


def test_an_unknown_edition_lists_those_there(project: Path) -> None:
    result = _run(project, "2022-annual-meeting")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: unknown edition '2022-annual-meeting' (editions in "
        f"{project / 'outputs'}: 2023-annual-meeting, 2024-annual-meeting, "
        "2025-annual-meeting, 2026-annual-meeting)"
    )


def test_an_edition_without_source_records_says_to_publish_it_again(project: Path) -> None:
    result = _run(project, "2024-annual-meeting")
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {project / 'outputs' / '2024-annual-meeting'} has no source/ records of the "
        "Markdown its documents were built from (it was published by an older netdocs): "
        "publish it again with this netdocs to compare it"
    )


def test_the_same_edition_twice(project: Path) -> None:
    result = _run(project, "2026-annual-meeting")
    assert result.exit_code == 2
    assert "is given twice: name an earlier edition and a later one" in result.stderr


def test_a_document_the_edition_lacks(project: Path, tmp_path: Path) -> None:
    result = _run(project, "2023-annual-meeting", "--document", "strategy", "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "the edition has no strategy (it records: handbook)" in result.stderr
    assert not list(tmp_path.iterdir())


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["redline", "--help"], prog_name="netdocs")
    assert result.exit_code == 0
    assert "Usage: netdocs redline [OPTIONS] OLD [NEW]" in result.output
    assert "netdocs redline 2025-annual-meeting" in result.output


# -- in a publish ------------------------------------------------------------------------------


def test_edition_redlines_writes_both_into_the_staging_folder(
    project: Path, tmp_path: Path
) -> None:
    staging = tmp_path / ".2027-annual-meeting.staging"
    make_edition(tmp_path, staging.name, {"handbook": NEW, "strategy": STRATEGY_NEW},
                 title="2027 Annual Meeting", as_of="2027-10-31")  # fmt: skip
    (staging / "manifest.json").unlink()  # written at the end of a publish, after these
    done = edition_redlines(project / "outputs" / "2025-annual-meeting", staging,
                            as_of="2027-10-31", edition="2027-annual-meeting",
                            templates=REPO / "templates")  # fmt: skip
    assert done.paths == ["handbook-redline.docx", "strategy-redline.docx"]
    assert done.reason == ""
    assert [r.new for r in done.results] == ["2027-annual-meeting"] * 2
    with zipfile.ZipFile(staging / "strategy-redline.docx") as zf:
        assert 'w:date="2027-10-31T00:00:00Z"' in zf.read("word/document.xml").decode()


def test_edition_redlines_without_records_in_the_earlier_edition(
    project: Path, tmp_path: Path
) -> None:
    staging = make_edition(tmp_path, "staging", {"handbook": NEW}, title="x", as_of="2027-01-01")
    done = edition_redlines(project / "outputs" / "2024-annual-meeting", staging)
    assert (done.paths, done.results) == ([], [])
    assert done.reason == (
        "no redlines: the earlier edition 2024-annual-meeting was published by an older "
        "netdocs without source records (publish it again to compare with it)"
    )
    assert sorted(p.name for p in staging.iterdir()) == [
        "data-snapshot.json", "manifest.json", "source"]  # fmt: skip


def test_edition_redlines_reads_the_as_of_from_the_staging_manifest(
    project: Path, tmp_path: Path
) -> None:
    staging = make_edition(
        tmp_path, "staging", {"handbook": NEW}, title="x", as_of="2027-03-01", short=None
    )
    done = edition_redlines(project / "outputs" / "2023-annual-meeting", staging)
    assert done.paths == ["handbook-redline.docx"]
    assert done.reason == (
        "no redline of the strategy: not in both this edition and 2023-annual-meeting"
    )
    with zipfile.ZipFile(staging / "handbook-redline.docx") as zf:
        document = zf.read("word/document.xml").decode()
    assert 'w:date="2027-03-01T00:00:00Z"' in document
    assert 'w:author="netdocs"' in document  # the data names no network short name
