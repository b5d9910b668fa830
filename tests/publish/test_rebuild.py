"""Incremental publish: exactly the documents whose recorded dependencies changed are built
again; every other one is the previous edition's file, hard-linked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.publish.manifest import FileEntry, read_manifest
from pipeline.publish.run import publish

ROLE = "roles/convener.md"
"""A role article: only the handbook prints the roles (the other documents never list them)."""


def _docx(folder: Path) -> dict[str, FileEntry]:
    manifest = read_manifest(folder)
    assert manifest is not None and not manifest.damaged
    return {e.path: e for e in manifest.files if e.format == "docx"}


def _inodes(folder: Path, paths: set[str]) -> dict[str, int]:
    return {p: (folder / p).stat().st_ino for p in paths}


MOVED = "lesson-start-small-joint-activity"
"""A lesson no article links to by its path (moving it leaves every link of the KB valid)."""
MOVES = (
    "lessons/lesson-start-small-joint-activity.md",
    "lessons/lesson-small-first.md",
    "practices/starting-small.md",
)
"""Where it is, then renamed in place (in the same position among the articles: no listing's
order changes), then moved to another folder at the same depth (its ``../`` links still
resolve)."""

PLAN_NOTES: list[str] = []


def _rebuilt(project: Any) -> tuple[set[str], dict[str, FileEntry]]:
    """Publish again: the documents built (not linked from the previous edition), and the
    new manifest's entries (the plan's note saying why is kept in :data:`PLAN_NOTES`)."""
    folder = project.outputs / project.edition
    before = _inodes(folder, set(_docx(folder)))
    report = publish(project, formats=("docx",), processes=1)
    entries = _docx(folder)
    after = _inodes(folder, set(entries))
    rebuilt = {p for p in after if after[p] != before.get(p)}
    PLAN_NOTES.append(next(s.note for s in report.stages if s.name == "plan"))
    if report.changed:
        stage = next(s for s in report.stages if s.name == "documents")
        assert (stage.built, stage.skipped) == (len(rebuilt), len(entries) - len(rebuilt))
    else:
        assert rebuilt == set()
    return rebuilt, entries


def _users(entries: dict[str, FileEntry], article_id: str) -> set[str]:
    """The documents whose record says they read the article."""
    return {
        p
        for p, e in entries.items()
        if e.inputs is not None and article_id in e.inputs.dependencies.articles
    }


def test_exactly_the_documents_that_read_what_changed_are_rebuilt(published_copy: Any) -> None:
    project = published_copy(("docx",))  # its first edition: all 19 documents built
    folder = project.outputs / project.edition
    entries = _docx(folder)
    assert len(entries) == 19 and all(e.inputs is not None for e in entries.values())

    # nothing changed: nothing is built, nothing is touched
    assert _rebuilt(project) == (set(), entries)

    # one role article revised: the handbook (the only document that reads it) is rebuilt
    role = project.kb / ROLE
    role.write_text(
        role.read_text(encoding="utf-8") + "\nConveners meet once a year.\n", encoding="utf-8"
    )
    users = _users(entries, "convener")  # the handbook, and whatever prints the roles
    assert "handbook.docx" in users and not any("progress-report" in u for u in users)
    rebuilt, entries = _rebuilt(project)
    assert rebuilt == users
    assert PLAN_NOTES[-1].startswith(f"19 documents, {len(users)} to build (")
    assert "handbook: article convener, listing type:role" in PLAN_NOTES[-1]
    assert "Conveners meet once a year." in _text(folder / "handbook.docx")

    # a new article in a section the handbook lists (the roles): the handbook again, only it
    (project.kb / "roles" / "observer.md").write_text(
        "---\nid: observer\ntitle: Observer\ntype: role\n"
        "summary: An organisation that follows the network's work without being a member.\n"
        "updated: 2026-10-01\nreview_by: 2027-10-01\nowner: Network secretariat\n---\n"
        "# Observer\n\nAn observer follows the network's work and may attend its annual "
        "meeting, without the rights and duties of a member institution.\n",
        encoding="utf-8",
    )
    listers = {p for p, e in entries.items()
               if e.inputs and "type:role" in e.inputs.dependencies.listings}  # fmt: skip
    assert "handbook.docx" in listers
    rebuilt, entries = _rebuilt(project)
    assert rebuilt == listers
    assert "An observer follows the network" in _text(folder / "handbook.docx")
    assert "observer" in entries["handbook.docx"].inputs.dependencies.articles  # type: ignore[union-attr]

    # an article the strategy and the handbook read, and not every document: those that do
    read = {p: e.inputs.dependencies.articles for p, e in entries.items() if e.inputs}
    shared = sorted(a for a in read["strategy.docx"] if a in read["handbook.docx"]
                    and _users(entries, a) != set(entries))  # fmt: skip
    assert shared, "the strategy reads no article of the handbook"
    recorded = read["strategy.docx"][shared[0]]
    assert recorded is not None
    article = project.kb / recorded[0]
    article.write_text(article.read_text(encoding="utf-8") + "\nMeasured every year.\n",
                       encoding="utf-8")  # fmt: skip
    users = _users(entries, shared[0])
    assert {"strategy.docx", "handbook.docx"} <= users
    rebuilt, entries = _rebuilt(project)
    assert rebuilt == users

    # an image an article of the handbook shows: the handbook
    image = project.kb / "images" / "roadmap.png"
    image.write_bytes(image.read_bytes() + b"\0")  # still a PNG: trailing bytes are ignored
    assert {p for p, e in entries.items() if e.inputs and "images/roadmap.png"
            in e.inputs.dependencies.files} == {"handbook.docx"}  # fmt: skip
    rebuilt, _ = _rebuilt(project)
    assert rebuilt == {"handbook.docx"}

    # and once more, nothing changed: nothing rebuilt
    assert _rebuilt(project)[0] == set()


def test_an_article_moved_with_the_same_bytes_rebuilds_exactly_its_documents(
    published_copy: Any,
) -> None:
    """Same id, same bytes, another name, then another folder: the documents that read it print
    and link it by its path (anchors, links, the sources appendix), so exactly those are
    rebuilt, each time."""
    project = published_copy(("docx",))
    folder = project.outputs / project.edition
    entries = _docx(folder)
    users = _users(entries, MOVED)
    assert users and users != set(entries)  # some documents read it, not all
    for old, new in zip(MOVES, MOVES[1:], strict=False):
        (project.kb / new).parent.mkdir(parents=True, exist_ok=True)
        (project.kb / old).rename(project.kb / new)
        rebuilt, entries = _rebuilt(project)
        assert rebuilt == users, new
        assert {entries[p].inputs.dependencies.articles[MOVED][0]  # type: ignore[union-attr,index]
                for p in users} == {new}  # fmt: skip
    assert _rebuilt(project)[0] == set()  # recorded: moved once, rebuilt once


def test_a_manifest_without_records_rebuilds_everything(published_copy: Any) -> None:
    project = published_copy(("docx",))
    folder = project.outputs / project.edition
    manifest = read_manifest(folder)
    assert manifest is not None
    manifest.files = [e.model_copy(update={"inputs": None}) for e in manifest.files]
    manifest.write(folder)  # as an older netdocs, or a hand-edited file, would leave it
    report = publish(project, formats=("docx",), processes=1)
    documents = next(s for s in report.stages if s.name == "documents")
    assert (documents.built, documents.skipped) == (19, 0)
    assert all(e.inputs is not None for e in _docx(folder).values())


def _text(docx: Path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(str(docx)).paragraphs)
