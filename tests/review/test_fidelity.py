"""The review's second round: what a reviewer did is what an editor accepts (a word typed
before another keeps its space, a new paragraph is a paragraph, a heading deleted whole goes
with its marker), the report prints a reviewer's text as typed, generated wording is not a
data record's, a comment over two articles says so, a redline or a damaged document is
refused by name, and git that cannot answer stops ``--apply``."""

from __future__ import annotations

import copy
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import UsageError
from pipeline.kb import critic
from pipeline.kb.lint import lint
from pipeline.kb.reader import read_kb
from pipeline.review import apply as apply_module
from pipeline.review.apply import apply_review, as_markdown
from pipeline.review.docx_reader import read_reviewed
from pipeline.review.report import what
from pipeline.review.run import review_document
from tests.conftest import run
from tests.review.conftest import EDITION, Published
from tests.review.reviewing import DATE, PRESERVE, Change, Note, W, _split, _wrap, find, review
from tests.review.test_fixes import plain

HOW = "pages/how-to-use-this-handbook.md"
INTRO = "pages/introduction.md"
STEP1 = "roadmap/step-1-baseline.md"
CONVENER = "roles/convener.md"
LEAN = Change("A small secretariat runs", old="small", new="lean")


def _apply(project: Published, reviewed: Path) -> Any:
    return apply_review(review_document(reviewed, project.outputs, project.kb, None))


def _mark(paragraph: Any, tag: str, ident: int, author: str) -> None:
    """Track ``paragraph``'s mark (its end) as inserted or deleted (``w:pPr/w:rPr/w:ins``)."""
    ppr = paragraph.find(W + "pPr")
    if ppr is None:
        ppr = paragraph.makeelement(W + "pPr", {})
        paragraph.insert(0, ppr)
    rpr = ppr.find(W + "rPr")
    if rpr is None:
        rpr = ppr.makeelement(W + "rPr", {})
        ppr.append(rpr)
    rpr.append(rpr.makeelement(W + tag, {W + "id": str(ident), W + "author": author,
                                         W + "date": DATE}))  # fmt: skip


def _delete_whole(paragraph: Any, ident: int) -> None:
    """Delete ``paragraph`` whole, as Word tracks it: every run and the paragraph mark."""
    for r in list(paragraph._p.iter(W + "r")):
        if r.getparent().tag in (W + "p", W + "hyperlink"):
            ident += 1
            _wrap(r, "del", "Del", ident)
    _mark(paragraph._p, "del", ident + 1, "Del")


def _rezip(source: Path, target: Path, parts: dict[str, bytes]) -> Path:
    """``source`` with the ``parts`` given replaced (or added)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename not in parts:
                new.writestr(info, old.read(info.filename))
        for name, data in parts.items():
            new.writestr(name, data)
    return target


# -- 1, 2: spaces and paragraph marks ---------------------------------------------------------
def test_a_word_typed_before_another_goes_after_the_space(
    project: Published, tmp_path: Path
) -> None:
    reviewed = review(
        project.docx("handbook"),
        tmp_path / "space.docx",
        changes=[
            Change(
                "A network of networks is built on",
                after="A network of networks is built on ",
                new="strong ",
            )
        ],
    )
    applied = _apply(project, reviewed)
    assert applied.written == {STEP1: [1]}, applied.skipped
    text = (project.kb / STEP1).read_text(encoding="utf-8")
    assert "is built on {++strong ++}networks that" in text
    assert "is built on strong networks that" in critic.accept(text)


def test_whole_paragraphs_inserted_and_deleted_keep_their_paragraph_marks(
    project: Published, tmp_path: Path
) -> None:
    import docx

    document = docx.Document(str(project.docx("handbook")))
    leaders = find(document, "Directors and VET leaders")._p
    new = copy.deepcopy(leaders)
    for el in list(new):
        if el.tag != W + "pPr":
            new.remove(el)
    _mark(new, "ins", 9601, "Ins")
    run_el = new.makeelement(W + "r", {})
    t = run_el.makeelement(W + "t", PRESERVE)
    t.text = "A whole new paragraph added by the reviewer."
    run_el.append(t)
    new.append(run_el)
    _wrap(run_el, "ins", "Ins", 9602)
    leaders.addnext(new)
    _delete_whole(find(document, "Why a network of networks", heading=True), 7000)
    _delete_whole(find(document, "the focal points, the secretariat"), 7500)
    document.save(str(tmp_path / "whole.docx"))

    applied = _apply(project, tmp_path / "whole.docx")
    assert sorted(applied.written) == [HOW, INTRO], applied.skipped
    how = (project.kb / HOW).read_text(encoding="utf-8")
    assert "what it offers them.\n\n{++A whole new paragraph added by the reviewer.++}\n\n" in how
    intro = (project.kb / INTRO).read_text(encoding="utf-8")
    assert "\n{--## Why a network of networks--}\n" in intro
    assert re.search(r"(?m)^\{--- the \[focal points\]\([^)]*\), the secretariat", how)
    for path, text in ((HOW, how), (INTRO, intro)):
        accepted = critic.accept(text)
        assert "Why a network of networks" not in accepted
        assert not re.search(r"(?m)^(#+|-)[ \t]*$", accepted), path  # no empty ## or bullet
        (project.kb / path).write_text(accepted, encoding="utf-8")
    assert "A whole new paragraph added by the reviewer.\n\n## " in critic.accept(how)
    errors = [p for p in lint(read_kb(project.kb)).problems if p.level == "error"]
    assert [p for p in errors if "empty" in p.message] == []


# -- 3, 13: the report prints what the reviewer typed ------------------------------------------
def test_the_report_prints_square_brackets_and_flattens_an_author(
    project: Published, tmp_path: Path
) -> None:
    reviewed = review(
        project.docx("handbook"),
        tmp_path / "brackets.docx",
        changes=[Change("A small secretariat runs", old="small", new="[see {++here++}]")],
        notes=[
            Note(
                "The handbook is written for",
                "see [/bold] and [red]red",
                on="everyone",
                author='Bo\n"Chen"',
            )
        ],  # fmt: skip
    )
    result = run("review", "import", str(reviewed), "--apply", env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "see [/bold] and [red]red" in flat
    assert "[see {++here++}]" in flat
    assert 'comment by Bo "Chen", 20' in flat  # one line, the newline flattened
    assert result.output.index("see [/bold]") < result.output.index("wrote ")  # report first


def test_literal_dashes_an_unreadable_date_and_an_empty_comment(
    project: Published, tmp_path: Path
) -> None:
    typed = "a -- b --- c ... d"
    assert plain(as_markdown(typed)).strip() == typed  # no en dash, em dash or ellipsis
    reviewed = review(
        project.docx("handbook"),
        tmp_path / "odd.docx",
        notes=[
            Note("The handbook is written for", "", on="everyone"),
            Note("Directors and VET leaders", "dated badly", on="Directors"),
        ],  # fmt: skip
    )
    with zipfile.ZipFile(reviewed) as zf:
        comments = zf.read("word/comments.xml").decode("utf-8")
    comments = comments.replace(DATE.replace("Z", ""), "yesterday")
    comments = re.sub(r'w:date="[^"]*"', 'w:date="yesterday"', comments)
    bad = _rezip(reviewed, tmp_path / "bad.docx", {"word/comments.xml": comments.encode()})
    review_ = review_document(bad, project.outputs, project.kb, None)
    empty, dated = review_.items
    assert (empty.date, dated.date) == ("", "")
    assert "comment by Bo Chen, undated: (an empty comment)" in what(empty)
    applied = apply_review(review_)
    assert (1, "an empty comment: nothing to write") in applied.skipped
    text = (project.kb / HOW).read_text(encoding="utf-8")
    assert "(no text)" not in text
    assert "{==Directors==}{>>Bo Chen (undated): dated badly<<}" in text


# -- 8, 9, 10: where an item is ----------------------------------------------------------------
def test_generated_wording_around_a_record_is_generated(
    published: Published, tmp_path: Path
) -> None:
    reviewed = review(
        published.edition / "clusters/action-plan-africa.docx",
        tmp_path / "africa.docx",
        changes=[Change("This action plan covers", old="This action plan", new="The plan")],
    )
    items = review_document(reviewed, published.outputs, published.kb, None).items
    assert [(i.kind, i.origin, i.record) for i in items] == [
        ("deletion", "generated", None),
        ("insertion", "generated", None),
    ]


def test_a_renamed_title_is_at_its_heading_and_the_front_matter_is_named(
    project: Published, tmp_path: Path
) -> None:
    import docx

    document = docx.Document(str(project.docx("handbook")))
    heading = find(document, "Convener", heading=True)
    (old,) = [r for r in _split(heading, "Convener") if r is not None]
    mark = _wrap(old, "del", "Ren", 9701)
    new = copy.deepcopy(old)
    for t in new.findall(W + "delText"):
        t.tag, t.text = W + "t", "Thematic convener"
    mark.addnext(new)
    _wrap(new, "ins", "Ren", 9702)
    document.save(str(tmp_path / "title.docx"))

    review_ = review_document(tmp_path / "title.docx", project.outputs, project.kb, None)
    deletion, insertion = review_.items
    line = project.line_of(CONVENER, "# Convener")
    assert (deletion.where, insertion.where) == (f"{CONVENER}:{line}", f"{CONVENER}:{line}")
    assert deletion.anchor == "Convener"  # not the previous article's last sentence
    applied = apply_review(review_)
    assert applied.written == {CONVENER: [1, 2]}, applied.skipped
    title_line = project.line_of(CONVENER, "title: Convener")
    assert applied.notes == [(1, "the title heading changed: when you accept it, change "
                              f"'title: Convener' in the front matter too "
                              f"({CONVENER}:{title_line})")]  # fmt: skip
    assert "# {~~Convener~>Thematic convener~~}" in (project.kb / CONVENER).read_text("utf-8")


def test_a_comment_over_two_articles_says_where_it_continues(
    published: Published, tmp_path: Path
) -> None:
    import docx

    document = docx.Document(str(published.docx("handbook")))
    first = find(document, "The handbook is published again for every annual meeting")
    second = find(document, "A network of networks is built on networks that already exist")
    comment = document.add_comment(first.runs[-1], text="spanning two articles", author="Span")
    ends = [e for e in first._p.iter(W + "commentRangeEnd")
            if e.get(W + "id") == str(comment.comment_id)]  # fmt: skip
    ref = [r for r in first._p.iter(W + "r") if r.find(W + "commentReference") is not None][-1]
    for el in (ends[0], ref):
        el.getparent().remove(el)
    second.runs[0]._r.addnext(ends[0])
    ends[0].addnext(ref)
    document.save(str(tmp_path / "span.docx"))
    (item,) = review_document(tmp_path / "span.docx", published.outputs, published.kb, None).items
    assert (item.article, item.path) == ("how-to-use-this-handbook", HOW)
    assert item.note.endswith("continues into step-1-baseline"), item.note


# -- 6, 12: which documents are read ------------------------------------------------------------
def test_a_main_part_named_otherwise_is_read(published: Published, tmp_path: Path) -> None:
    reviewed = review(published.docx("handbook"), tmp_path / "r.docx", changes=[LEAN])
    with zipfile.ZipFile(reviewed) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    moved = tmp_path / "document2.docx"
    with zipfile.ZipFile(moved, "w") as zf:
        for name, data in parts.items():
            if name in ("_rels/.rels", "[Content_Types].xml"):
                data = data.replace(b"word/document.xml", b"word/document2.xml")
            zf.writestr("word/document2.xml" if name == "word/document.xml" else name, data)
    rels = "word/_rels/document.xml.rels"
    with zipfile.ZipFile(moved, "a") as zf:
        zf.writestr("word/_rels/document2.xml.rels", parts[rels])
    assert [i.text for i in read_reviewed(moved).items] == ["small", "lean"]


def test_a_redline_and_damaged_properties_are_refused_by_name(
    project: Published, tmp_path: Path
) -> None:
    import docx

    from pipeline.render.custom_props import set_custom_properties

    published = project
    document = docx.Document(str(published.docx("handbook")))
    set_custom_properties(document, {"netdocs-redline": f"2025-annual-meeting..{EDITION}"})
    document.save(str(tmp_path / "handbook-redline.docx"))
    with pytest.raises(UsageError) as caught:
        review_document(tmp_path / "handbook-redline.docx", published.outputs, published.kb, None)
    assert str(caught.value) == (
        f"handbook-redline.docx: this is the redline of the handbook between editions "
        f"2025-annual-meeting and {EDITION}, not a published document: have reviewers comment "
        f"on outputs/{EDITION}/handbook.docx"
    )
    damaged = _rezip(published.docx("handbook"), tmp_path / "damaged.docx",
                     {"docProps/custom.xml": b"<Properties><property"})  # fmt: skip
    result = run("review", "import", str(damaged))
    assert result.exit_code == 2, result.output
    assert "damaged.docx: the document's properties are unreadable" in result.output
    assert "--edition NAME" in result.output
    assert "Traceback" not in result.output


# -- 14: git that cannot answer stops --apply ---------------------------------------------------
def test_porcelain_paths_with_renames_spaces_and_quotes() -> None:
    from pipeline.review.apply import porcelain_paths

    out = 'R  new name.md\0old "q".md\0 M roles/a b.md\0?? x.md\0'
    assert porcelain_paths(out) == ["new name.md", 'old "q".md', "roles/a b.md", "x.md"]


@pytest.mark.parametrize("failing", ["rev-parse", "status"])
def test_apply_fails_closed_when_git_cannot_answer(
    project: Published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    subprocess.run(["git", "init", "-q", str(project.kb)], check=True)
    reviewed = review(project.docx("handbook"), tmp_path / "r.docx", changes=[LEAN])
    real = apply_module._git

    def git(kb_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
        if args[0] == failing:
            said = "fatal: detected dubious ownership in repository at '/x'"
            return subprocess.CompletedProcess(["git", *args], 128, "", said)
        return real(kb_root, *args)

    monkeypatch.setattr(apply_module, "_git", git)
    before = (project.kb / INTRO).read_text(encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        _apply(project, reviewed)
    assert "git cannot say whether the articles" in str(caught.value)
    assert "dubious ownership" in str(caught.value) and "nothing was written" in str(caught.value)
    assert (project.kb / INTRO).read_text(encoding="utf-8") == before


def test_an_insertion_after_a_line_break_and_a_paragraph_in_a_crlf_file() -> None:
    """The space before an insertion may be a line break of the paragraph (the next line's
    start, not the end of a list item or heading); a new paragraph in a CRLF file keeps CRLF."""
    from pipeline.review.apply import _advance, _paragraph_end

    text = "built on\nnetworks that\n- an item\n"
    pos = {"point": [1, 8], "start": [1, 5], "trail": " "}
    assert _advance(text, 8, pos) == 9
    assert _advance(text, 22, {"point": [2, 13], "start": [2, 9], "trail": " "}) == 22
    crlf = "one\r\ntwo\r\n\r\nnext\r\n"
    assert _paragraph_end(crlf, 0) == crlf.index("\r\n\r\n")
