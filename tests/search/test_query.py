"""Queries on the bundled KB: questions in natural language, words with punctuation, what the
counts mean, the article a question names, the section it asks for, snippets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from whoosh import query as wq

from pipeline.errors import QueryTooGeneralError
from pipeline.kb import read_kb
from pipeline.search import analysis
from pipeline.search.index import ensure_index
from pipeline.search.passages import SNIPPET_CHARS
from pipeline.search.query import SearchResult, has_syntax, plan, search
from tests.conftest import BUNDLED_KB, run


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Any:
    index, _report = ensure_index(tmp_path_factory.mktemp("cache"), BUNDLED_KB)
    yield index
    index.close()


@pytest.fixture(scope="module")
def kb() -> Any:
    return read_kb(BUNDLED_KB)


# --- natural-language questions ---------------------------------------------------------------


@pytest.mark.parametrize("question", ["how do I", "what is the", "How do I?", '"how do I"'])
def test_a_query_of_only_stop_words_is_too_general(ix: Any, question: str) -> None:
    with pytest.raises(QueryTooGeneralError) as caught:
        search(ix, question)
    message = caught.value.format_message()
    assert "is too general: every word in it is a common word" in message
    assert "add what it is about, e.g. netdocs search" in message
    assert caught.value.exit_code == 1


def test_stop_words_are_those_of_the_query_language(ix: Any) -> None:
    # "comment faire" is French for "how to": only stop words in French
    with pytest.raises(QueryTooGeneralError):
        search(ix, "comment faire", lang="fr")
    with analysis.language("en"):
        assert plan(ix, "comment faire").words == [
            (analysis.term("comment"),),
            (analysis.term("faire"),),
        ]


def test_stop_words_do_not_change_the_ranking(ix: Any) -> None:
    def ranked(q: str) -> list[tuple[str, str]]:
        return [(h.id, h.anchor) for h in search(ix, q, limit=5).hits]

    assert ranked("the convener and the secretariat") == ranked("convener secretariat")
    assert ranked("what about the convener") == ranked("convener")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("how do 1:1s with my manager work", [("1:1",), ("manager",), ("work",)]),
        ("KA3: funding", [("ka3",), ("funding",)]),
        ("C++ training", [("c++",), ("training",)]),
        ("e-mail list", [("mail", "email"), ("list",)]),
        ("what's a convener", [("convener",)]),
        ("late or on weekends", [("late",), ("weekends",)]),  # lower-case 'or' is a word
    ],
)
def test_punctuation_inside_words_is_text(ix: Any, text: str, words: list[tuple[str, ...]]) -> None:
    assert not has_syntax(text)
    p = plan(ix, text)
    assert p.every is None  # plain words, no field query
    assert p.words == [tuple(analysis.term(w) for w in word) for word in words]


def test_a_known_field_before_a_colon_is_a_field(ix: Any) -> None:
    for text in ("title:funding", "Title:funding"):
        p = plan(ix, text)
        assert isinstance(p.ranked, wq.Term) and p.ranked.fieldname == "title", p.ranked
    hits = search(ix, "type:lesson renewal").hits
    assert hits and {h.type for h in hits} == {"lesson"}


def test_an_unknown_field_is_searched_as_words_with_a_note(ix: Any) -> None:
    result = search(ix, "foo:bar convener")
    assert any("unknown field 'foo'" in n for n in result.notes)
    assert result.hits


def test_query_language_still_works(ix: Any) -> None:
    def ids(q: str) -> set[str]:
        return {h.id for h in search(ix, q, limit=200).hits}

    assert "glossary-promising-practice" in ids('"promising practice"')
    assert "online-services" not in ids('"promising practice" NOT database')
    assert ids("convener AND renewal") <= ids("convener") & ids("renewal")
    assert "cluster-coordinator" in ids("coord*")
    assert "cluster-coordinator" in ids("cordinator~")
    assert ids("convener OR renewal") >= ids("convener") | ids("renewal")


# --- counts -----------------------------------------------------------------------------------


def _docs(ix: Any, q: wq.Query) -> set[int]:
    with ix.searcher() as s:
        return set(s.docs_for_query(q))


def _every_word(words: list[str]) -> wq.Query:
    fields = ("title", "summary", "body")
    return wq.And([wq.Or([wq.Term(f, analysis.term(w)) for f in fields]) for w in words])


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("what does a convener do", ["convener"]),
        ("how do we renew membership", ["renew", "membership"]),
        ("baseline audit of the landscape", ["baseline", "audit", "landscape"]),
    ],
)
def test_total_counts_articles_with_every_significant_word(
    ix: Any, kb: Any, question: str, words: list[str]
) -> None:
    result = search(ix, question)
    assert result.total == len(_docs(ix, _every_word(words)))
    assert sum(result.facets.values()) == result.total
    assert result.matched == "all"
    if len(words) > 1:
        assert result.total < len(kb.articles) / 4, "never 'half the KB matches'"


def test_total_of_a_phrase_counts_the_phrase_and_hits_hold_it(ix: Any) -> None:
    result = search(ix, '"promising practice"', limit=100)
    fields = ("title", "summary", "body")
    with analysis.language("en"):
        phrase = wq.Or(
            [wq.Phrase(f, [analysis.term("promising"), analysis.term("practice")]) for f in fields]
        )
    assert result.total == len(_docs(ix, phrase)) > 0
    assert len(result.hits) == result.total


def test_filters_narrow_the_count(ix: Any) -> None:
    every = search(ix, "convener")
    lessons = search(ix, "convener", type="lesson")
    assert lessons.total == every.facets["lesson"]
    assert lessons.facets == {"lesson": lessons.total}


def test_no_article_with_every_word_gives_partial_matches(ix: Any) -> None:
    result = search(ix, "convener renewal budget spreadsheet")
    assert result.total == 0 and result.facets == {}
    assert result.matched == "some"
    assert result.hits
    assert SearchResult.__dataclass_fields__["matched"].default == "all"


# --- the article a question names, the section it asks for ------------------------------------


_STEP = re.compile(r"^step \d: ")


def _questions(kb: Any) -> list[tuple[str, str, str]]:
    """(question, article id, heading its best section must have) for every role, principle
    and roadmap step of the bundled KB."""
    out = []
    for a in kb.articles:
        title = a.meta.title.lower()
        if a.meta.type == "role":
            out.append((f"what does a {title} do", a.id, "Responsibilities"))
        elif a.meta.type == "principle":
            out.append((f"what does {title} mean", a.id, "What it means"))
            out.append((f"why {title}", a.id, "Why it matters"))
        elif a.meta.type == "roadmap-step":
            out.append(("who is involved in " + _STEP.sub("", title), a.id, ""))
    return out


def test_the_article_a_question_names_ranks_first(ix: Any, kb: Any) -> None:
    cases = _questions(kb)
    assert len(cases) == 6 + 2 * 8 + 7
    wrong = []
    for question, expected, heading in cases:
        top = search(ix, question, limit=1).hits[0]
        if top.id != expected or (heading and top.section != heading):
            wrong.append((question, top.id, top.section))
    assert not wrong


def test_what_does_a_convener_do(ix: Any) -> None:
    hits = search(ix, "what does a convener do", limit=5).hits
    assert hits[0].id == "convener" and hits[0].section == "Responsibilities"
    lessons = [i for i, h in enumerate(hits) if h.type == "lesson"]
    assert all(i > 0 for i in lessons)


def test_steps_rank_first_for_their_own_words(ix: Any, kb: Any) -> None:
    for a in kb.articles:
        if a.meta.type == "roadmap-step":
            question = "how do we " + _STEP.sub("", a.meta.title.lower())
            assert search(ix, question, limit=1).hits[0].id == a.id, question


# --- snippets ---------------------------------------------------------------------------------


def test_snippets_mark_matched_words_and_stay_short(ix: Any) -> None:
    for hit in search(ix, "membership renewal calendar", limit=10).hits:
        marked = re.findall(r"\*\*(.+?)\*\*", hit.snippet)
        plain = hit.snippet.replace("**", "")
        assert len(plain) <= 2 * SNIPPET_CHARS
        with analysis.language("en"):
            for word in marked:
                assert analysis.term(word) in {"membership", "renewal", "calendar"} | {
                    analysis.term(w) for w in ("membership", "renewal", "calendar")
                }, word
    top = search(ix, "membership renewal calendar", limit=1).hits[0]
    assert "**" in top.snippet


def test_the_command_says_a_question_of_only_stop_words_is_too_general(kb_copy: Any) -> None:
    result = run("search", "how do I", "--kb", str(kb_copy))
    assert result.exit_code == 1, result.output
    assert 'the query "how do I" is too general: every word in it is a common word' in (
        result.output
    )
    assert "Traceback" not in result.output
