"""CriticMarkup (pipeline.kb.critic): the parser, the writers, accepting and rejecting."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from pipeline.kb import critic
from pipeline.kb.critic import Suggestion

# -- the parser --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "kind", "old", "new", "note"),
    [
        ("{++inserted++}", "insertion", "", "inserted", ""),
        ("{--deleted--}", "deletion", "deleted", "", ""),
        ("{~~old~>new~~}", "substitution", "old", "new", ""),
        ("{>>a remark<<}", "comment", "", "", "a remark"),
        ("{==marked==}", "highlight", "marked", "marked", ""),
        ("{==marked==}{>>why?<<}", "highlight", "marked", "marked", "why?"),
        ("{++ spaced ++}", "insertion", "", " spaced ", ""),
        ("{~~a~>b~>c~~}", "substitution", "a", "b~>c", ""),
        ("{++++}", "insertion", "", "", ""),
    ],
)
def test_each_kind_is_found_with_its_texts(
    markup: str, kind: str, old: str, new: str, note: str
) -> None:
    text = f"Before {markup} after."
    (s,) = critic.find(text)
    assert (s.kind, s.old, s.new, s.comment) == (kind, old, new, note)
    assert (s.start, s.end, s.markup) == (7, 7 + len(markup), markup)
    assert (s.line, s.column, s.end_line) == (1, 8, 1)
    assert critic.problems(text) == []


def test_lines_and_columns_count_from_first_line() -> None:
    text = "one\ntwo {++x++}\n\nand {--a\nb--} end\n"
    ins, dele = critic.find(text, first_line=10)
    assert (ins.line, ins.column, ins.end_line) == (11, 5, 11)
    assert (dele.line, dele.column, dele.end_line) == (13, 5, 14)


def test_a_suggestion_may_span_lines_and_paragraphs() -> None:
    text = "Intro {++first line\nsecond line\n\n- a list item++} end\n"
    (s,) = critic.find(text)
    assert s.new == "first line\nsecond line\n\n- a list item"
    assert (s.line, s.end_line) == (1, 4)


def test_markup_in_code_is_text() -> None:
    text = (
        "Write `{++x++}` or ``{--y--}`` to suggest.\n\n"
        "```\n{~~a~>b~~}\n```\n\n"
        "    {>>indented code<<}\n\n"
        "~~~markdown\n{==h==}\n~~~\n"
    )
    assert critic.scan(text) == critic.Scan([], [])


def test_a_closer_inside_a_code_span_does_not_close() -> None:
    (s,) = critic.find("Use {++the `a++}` operator++} here.")
    assert s.new == "the `a++}` operator"
    (s,) = critic.find("{~~`a~>b`~>`c`~~}")
    assert (s.old, s.new) == ("`a~>b`", "`c`")


def test_an_opener_before_the_closer_means_the_first_is_not_closed() -> None:
    text = "A {++ nested {==b==} ++} end."
    found = critic.scan(text)
    assert [(s.kind, s.old) for s in found.suggestions] == [("highlight", "b")]
    assert found.problems == [
        (
            1,
            "'{++' (insertion) is not closed before the '{==' at line 1: suggestions do not "
            "nest; end the insertion with '++}' first",
        ),
        (1, "'++}' closes no insertion: delete it, or write '++\\}' for the characters themselves"),
    ]


def test_malformed_markup_is_reported_at_its_line() -> None:
    text = "ok {++a++}\n\n{~~no separator~~}\n\nlast {-- never closed\n"
    found = critic.scan(text, first_line=5)
    assert [s.kind for s in found.suggestions] == ["insertion"]
    assert found.problems == [
        (
            7,
            "substitution '{~~no separator~~}' has no '~>' between the old and the new text: "
            "write {~~old~>new~~}",
        ),
        (
            9,
            "'{--' (deletion) is not closed: end it with '--}', or write '\\{--' for the "
            "characters themselves",
        ),
    ]


def test_a_closer_left_behind_is_reported() -> None:
    text = "An editor deleted the opener ++} here.\n\n`x++}` is code, ++\\} is escaped."
    assert critic.problems(text, first_line=3) == [
        (3, "'++}' closes no insertion: delete it, or write '++\\}' for the characters themselves")
    ]
    assert [line for line, _m in critic.problems("{++ a {==b==} ++}\n--}")] == [1, 1, 2]


def test_a_backslash_makes_an_opener_literal() -> None:
    found = critic.scan(r"Write \{++ to open an insertion, \\{++but this one opens++}.")
    assert [(s.kind, s.new, s.column) for s in found.suggestions] == [
        ("insertion", "but this one opens", 36)
    ]
    assert found.problems == []
    (s,) = critic.find(r"x \\{++y++}")
    assert s.new == "y"


def test_a_comment_after_a_space_is_not_the_highlights() -> None:
    found = critic.find("{==a==} {>>b<<}")
    assert [(s.kind, s.comment) for s in found] == [("highlight", ""), ("comment", "b")]


@pytest.mark.parametrize(
    ("content", "author", "date", "note"),
    [
        ("Ana Silva (2026-11-03): check this", "Ana Silva", "2026-11-03", "check this"),
        ("(2026-11-03T10:15:00Z): dated only", "", "2026-11-03T10:15:00Z", "dated only"),
        ("Ana (undated): no date", "Ana", "", "no date"),
        ("Note: not signed", "", "", "Note: not signed"),
        ("Look (see above): not a date", "", "", "Look (see above): not a date"),
    ],
)
def test_signed_comments(content: str, author: str, date: str, note: str) -> None:
    (s,) = critic.find("{>>" + content + "<<}")
    assert (s.author, s.date, s.comment) == (author, date, note)


def test_excerpt_is_one_short_line() -> None:
    (s,) = critic.find("{++" + "word " * 30 + "\nmore++}")
    assert s.excerpt() == "{++" + ("word " * 12)[:54].rstrip() + "..."
    assert len(s.excerpt()) <= 60 and "\n" not in s.excerpt()


# -- the writers -------------------------------------------------------------------------------

HOSTILE = [
    "plain words",
    "a++}b",
    "ends with +",
    "+ starts",
    "x--}y",
    "a<<}b",
    "ends with <",
    "c~~}d",
    "e==}f",
    "{++ opens",
    "{-- {~~ {>> {==",
    "ends with {",
    r"already \{++ escaped",
    "old ~> arrow",
    "ends with ~",
    "two\nlines",
    "`code ++}` span",
    "`a~>b` in code",
    "one ` backtick",
    "``{--`` code",
]


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


@pytest.mark.parametrize("text", HOSTILE)
def test_writers_round_trip_through_find(text: str) -> None:
    for markup, kind in (
        (critic.insertion(text), "insertion"),
        (critic.deletion(text), "deletion"),
        (critic.substitution(text, text + "!"), "substitution"),
        (critic.comment(text, "Ana Silva", "2026-11-03"), "comment"),
        (critic.highlight(text, text), "highlight"),
    ):
        scanned = critic.scan(f"Before {markup} after.")
        assert scanned.problems == [], markup
        (s,) = scanned.suggestions
        assert (s.kind, s.markup) == (kind, markup)
        if kind == "comment":
            assert (s.author, s.date) == ("Ana Silva", "2026-11-03")
        # what is kept prints exactly as the text given would
        kept = s.new if kind != "highlight" else s.old
        if kind == "substitution":
            assert _html(s.old) == _html(text)
            assert _html(kept) == _html(text + "!")
        elif kind == "comment":  # on one line
            assert _html(s.comment) == _html(" / ".join(text.splitlines()))
        else:
            assert _html(kept or s.old) == _html(text)


def test_writers_keep_plain_text_as_given() -> None:
    assert critic.insertion("new words") == "{++new words++}"
    assert critic.deletion("old") == "{--old--}"
    assert critic.substitution("a", "b") == "{~~a~>b~~}"
    assert critic.comment("why?") == "{>>why?<<}"
    assert critic.comment("why?", author="Ana Silva", date="2026-11-03") == (
        "{>>Ana Silva (2026-11-03): why?<<}"
    )
    assert critic.comment("why?", author="Ana") == "{>>Ana (undated): why?<<}"
    assert critic.comment("why?", date="2026-11-03") == "{>>(2026-11-03): why?<<}"
    assert critic.highlight("this", "vague", "Ana", "2026-11-03") == (
        "{==this==}{>>Ana (2026-11-03): vague<<}"
    )


def test_writers_escape_what_would_break_the_markup() -> None:
    assert critic.insertion("a++}b") == r"{++a++\}b++}"
    assert critic.comment("see <<} here") == r"{>>see <<\} here<<}"
    assert critic.insertion("{--x") == r"{++\{--x++}"
    assert critic.insertion(r"\{--x") == r"{++\{--x++}"  # already escaped: left alone
    assert critic.insertion("ends {") == r"{++ends \{++}"
    assert critic.substitution("a ~> b", "c ~> d") == r"{~~a ~\> b~>c ~> d~~}"
    assert critic.insertion("`a++}` code") == "{++`a++}` code++}"  # code is never escaped
    assert critic.substitution("`x~>y`", "z") == "{~~`x~>y`~>z~~}"
    assert critic.insertion("one ` tick") == r"{++one \` tick++}"


def test_writers_refuse_empty_text_and_bad_dates() -> None:
    with pytest.raises(ValueError, match="an empty insertion changes nothing"):
        critic.insertion("")
    with pytest.raises(ValueError, match="not an ISO date"):
        critic.comment("x", author="Ana", date="3 November")


# -- accepting and rejecting -------------------------------------------------------------------

TEXT = (
    "The convener {++now ++}meets {--twice--} a year; {~~the plan~>our plan~~} is due.\n"
    "{>>Ana Silva (2026-11-03): check the date<<}\n"
    "A {==key phrase==}{>>too vague<<} and `{++code++}` stay.\n"
)


def test_accept_applies_every_suggestion() -> None:
    assert critic.accept(TEXT) == (
        "The convener now meets  a year; our plan is due.\nA key phrase and `{++code++}` stay.\n"
    )


def test_reject_undoes_every_suggestion() -> None:
    assert critic.reject(TEXT) == (
        "The convener meets twice a year; the plan is due.\nA key phrase and `{++code++}` stay.\n"
    )


def test_a_comment_alone_on_its_line_takes_the_line_so_the_paragraph_stays_one() -> None:
    text = "First line\n{>>a remark<<}\nlast line"
    assert critic.accept(text) == "First line\nlast line"
    assert critic.reject("First line\n  {++added++}  ") == "First line"
    assert critic.accept("{--gone--}\nrest") == "rest"


def test_accept_one_and_reject_one_touch_only_that_suggestion() -> None:
    ins, dele, sub, com, hl = critic.find(TEXT)
    once = critic.accept_one(TEXT, dele)
    assert [s.kind for s in critic.find(once)] == [
        "insertion",
        "substitution",
        "comment",
        "highlight",
    ]
    assert "meets  a year" in once
    again = critic.reject_one(once, critic.find(once)[1])
    assert "the plan is due" in again and "{++now ++}" in again


def test_resolve_leaves_undecided_suggestions() -> None:
    def only_insertions(s: Suggestion) -> bool | None:
        return True if s.kind == "insertion" else None

    out = critic.resolve(TEXT, only_insertions)
    assert out.startswith("The convener now meets {--twice--}")


def test_malformed_markup_is_left_as_written() -> None:
    text = "a {++ never closed and {--gone--}"
    assert critic.accept(text) == "a {++ never closed and "


def test_mask_keeps_length_and_lines() -> None:
    text = "A {++new\nline++} {--old--} {~~x~>y~~} {>>c<<} {==h==}{>>n<<}."
    for accepted in (None, True, False):
        masked = critic.mask(text, accepted)
        assert len(masked) == len(text) and masked.count("\n") == 1
    assert critic.mask(text).split() == ["A", "new", "line", "old", "x", "y", "h", "."]
    assert critic.mask(text, True).split() == ["A", "new", "line", "y", "h", "."]
    assert critic.mask(text, False).split() == ["A", "old", "x", "h", "."]
    assert critic.mask_accepted(text) == critic.mask(text, True)


def test_a_comment_is_written_on_one_line() -> None:
    markup = critic.comment("Please check.\n\n# Not a heading\n- nor a list", author="Ana")
    assert markup == "{>>Ana (undated): Please check. / # Not a heading / - nor a list<<}"
    with pytest.raises(ValueError, match="an empty comment"):
        critic.comment(" \n ")


# -- drafts: suggestions as Word tracked changes -----------------------------------------------


def test_to_pandoc_writes_tracked_change_spans_that_word_shows() -> None:
    import io
    import zipfile

    from pipeline.render.pandoc import MARKDOWN_FORMAT, run_pandoc

    text = (
        "Each {++active ++}cluster {--mostly--} has a {~~lead~>[convener](a.md)~~}. "
        "{>>Ana (2026-11-03): why?<<}A {==key==}{>>vague<<} word.\n\n"
        "Then {++a new paragraph\n\nand another++} and {--a ] b--}.\n"
    )
    markdown = critic.to_pandoc(text, author="Ana Silva", date="2026-11-03T00:00:00Z")
    attrs = 'author="Ana Silva" date="2026-11-03T00:00:00Z"'
    assert markdown == (
        f"Each [active ]{{.insertion {attrs}}}cluster [mostly]{{.deletion {attrs}}} has a "
        f"[lead]{{.deletion {attrs}}}[[convener](a.md)]{{.insertion {attrs}}}. A key word.\n\n"
        f"Then [a new paragraph]{{.insertion {attrs}}}\n\n[and another]{{.insertion {attrs}}} "
        "and a ] b.\n"
    )
    docx, _warnings = run_pandoc(
        ["-f", MARKDOWN_FORMAT, "-t", "docx", "-o", "-"], "pandoc", stdin=markdown.encode()
    )
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert xml.count("<w:ins ") == 4 and xml.count("<w:del ") == 2
    assert '<w:delText xml:space="preserve">mostly</w:delText>' in xml
    assert "{++" not in xml and "{&gt;&gt;" not in xml
