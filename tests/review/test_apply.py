"""``--apply`` writes the review into the articles as CriticMarkup that ``critic.find`` and
lint read, leaves alone what changed since the edition, and refuses uncommitted work."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.kb import critic
from pipeline.kb.lint import lint
from pipeline.kb.reader import read_kb
from pipeline.review.apply import apply_review
from pipeline.review.run import review_document
from tests.conftest import run
from tests.review.conftest import Published
from tests.review.reviewing import Change, Note, review
from tests.review.test_map import HANDBOOK_CHANGES, HANDBOOK_NOTES

TOUCHED = ("pages/introduction.md", "roles/convener.md", "roadmap/step-1-baseline.md")


@pytest.fixture(scope="module")
def reviewed(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("to-apply")
    return review(
        published.docx("handbook"), folder / "handbook.docx", HANDBOOK_CHANGES, HANDBOOK_NOTES
    )


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@example.org", *args],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def test_apply_writes_suggestions_that_lint_reads(project: Published, reviewed: Path) -> None:
    result = review_document(reviewed, project.outputs, project.kb, None)
    applied = apply_review(result)
    assert sorted(applied.written) == sorted(TOUCHED)
    intro = (project.kb / "pages/introduction.md").read_text(encoding="utf-8")
    assert "A {~~small~>lean~~} [secretariat](../roles/secretariat.md) runs" in intro
    assert "regional alliances. {--A new international network that competed with them would " \
        "struggle for their time. --}VETNoN instead" in intro  # fmt: skip
    assert "The handbook follows{++ closely++} the seven steps" in intro
    kinds = {s.kind for s in critic.find(intro)}
    assert kinds == {"substitution", "deletion", "insertion"}
    convener = critic.find((project.kb / "roles/convener.md").read_text(encoding="utf-8"))
    assert [(s.kind, s.old, s.new) for s in convener if s.kind == "substitution"] == [
        ("substitution", "best", "most active")
    ]
    (point,) = [s for s in convener if s.kind == "comment"]
    assert (point.comment, point.author) == ("Say which theme.", "Bo Chen")
    assert point.line == project.line_of("roles/convener.md", "Leadership and visibility")
    baseline = critic.find((project.kb / "roadmap/step-1-baseline.md").read_text("utf-8"))
    (mark,) = baseline
    assert (mark.kind, mark.old, mark.comment, mark.author) == (
        "highlight",
        "Collect structured information",
        "Which survey tool?",
        "Bo Chen",
    )
    skipped = dict(applied.skipped)
    templates = [i for i in result.items if i.origin == "template"]
    assert len(templates) == 2  # the cover, a part's heading: the template's text
    assert all("not applied" in skipped[i.number] for i in templates)
    report = lint(read_kb(project.kb))
    ours = [p for p in report.problems if any(t in p.where for t in TOUCHED)]
    assert [p for p in ours if p.level == "error"] == []
    unresolved = [p for p in ours if p.message.startswith("unresolved ")]
    assert len(unresolved) == 6 and all(p.level == "warning" for p in unresolved)
    assert len(applied.problems) == 6


def test_an_article_changed_since_the_edition_is_not_touched(
    project: Published, reviewed: Path
) -> None:
    convener = project.kb / "roles/convener.md"
    convener.write_text(convener.read_text("utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    before = convener.read_bytes()
    result = run("review", "import", str(reviewed), "--apply", "--kb", str(project.kb))
    assert result.exit_code == 0, result.output
    assert convener.read_bytes() == before
    assert "roles/convener.md changed since the edition 2026-annual-meeting: not touched" in (
        result.output
    )
    assert "wrote 4 item(s) into pages/introduction.md as suggestions: #" in result.output
    again = run("review", "import", str(reviewed), "--apply", "--kb", str(project.kb))
    assert "nothing written" in again.output  # applied once: the articles changed since


def test_uncommitted_changes_stop_the_whole_apply(project: Published, reviewed: Path) -> None:
    git(project.root, "init", "-q")
    git(project.root, "add", "kb")
    git(project.root, "commit", "-q", "-m", "kb")
    intro = project.kb / "pages/introduction.md"
    intro.write_text(intro.read_text("utf-8").replace("small", "tiny", 1), encoding="utf-8")
    before = {t: (project.kb / t).read_bytes() for t in TOUCHED}
    result = review_document(reviewed, project.outputs, project.kb, None)
    with pytest.raises(UsageError, match=r"uncommitted changes to kb/pages/introduction.md"):
        apply_review(result)
    assert {t: (project.kb / t).read_bytes() for t in TOUCHED} == before
    git(project.root, "commit", "-q", "-am", "tiny")
    applied = apply_review(result)  # committed, but changed since the edition: left alone
    assert "pages/introduction.md" not in applied.written
    assert "roles/convener.md" in applied.written


def test_data_items_are_never_applied(project: Published, tmp_path: Path) -> None:
    published = project
    reviewed = review(
        published.docx("strategy"),
        tmp_path / "strategy.docx",
        changes=[Change("Africa cluster", old="Africa cluster", new="African cluster")],
        notes=[Note("Consortia form too late", "Score too high?", on="Consortia form")],
    )
    result = review_document(reviewed, published.outputs, published.kb, None)
    assert {i.origin for i in result.items} == {"data"}
    applied = apply_review(result)
    assert applied.written == {}
    assert all("from the data: change it at the source" in why for _n, why in applied.skipped)
