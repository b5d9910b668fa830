"""Queries on the bundled KB: questions in natural language, words with punctuation, what the
counts mean, the article a question names, the section it asks for, snippets."""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path
from typing import Any

import pytest
from whoosh import query as wq

from pipeline.errors import QueryTooGeneralError
from pipeline.kb import read_kb
from pipeline.search import analysis
from pipeline.search.index import ensure_index
from pipeline.search.passages import SNIPPET_CHARS
from pipeline.search.query import QueryError, has_syntax, plan, search
from tests.conftest import BUNDLED_KB, article, run


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
    both = ids("convener AND renewal")
    assert both and both <= ids("convener") & ids("renewal")
    assert "cluster-coordinator" in ids("coord*")
    assert "cluster-coordinator" in ids("cordinator~")
    assert ids("convener OR renewal") >= ids("convener") | ids("renewal")


def _cli_ids(kb: Path, query: str) -> list[str]:
    result = run("search", query, "--kb", str(kb), "--json", "--limit", "200")
    assert result.exit_code in (0, 1), result.output
    return [d["id"] for d in json.loads(result.stdout)]


@pytest.mark.parametrize(
    "query",
    ["convener NOT convener", "type:lesson convener NOT convener", "(convener) NOT convener"],
)
def test_not_holds_when_nothing_matches_as_written(kb_built: Path, query: str) -> None:
    result = run("search", query, "--kb", str(kb_built))
    assert result.exit_code == 1, result.output
    assert "no results" in result.stderr and result.stdout == ""


def test_partial_matches_keep_not_and_exact_fields(kb_built: Path, kb: Any) -> None:
    text = {a.id: (a.meta.title + " " + a.meta.summary + " " + a.body).lower() for a in kb.articles}
    kinds = {a.id: a.meta.type for a in kb.articles}
    assert all("deadline" not in text[i] for i in _cli_ids(kb_built, "title:funding NOT deadline"))
    # nothing has all of these words: the best partial matches, lessons only, none with "survey"
    found = _cli_ids(kb_built, "type:lesson convener membership zzqx NOT survey")
    assert found and {kinds[i] for i in found} == {"lesson"}
    assert all("survey" not in text[i] for i in found)
    found = _cli_ids(kb_built, "type:lesson (convener OR membership) zzqx")
    assert found and {kinds[i] for i in found} == {"lesson"}


@pytest.mark.parametrize(
    ("query", "code", "message"),
    [
        ("NOT NOT convener", 2, "only says what to leave out"),
        ("convener ANDNOT ANDNOT secretariat", 0, "searched for 'convener ANDNOT secretariat'"),
        ("convener AND AND secretariat", 0, "searched for 'convener AND secretariat'"),
        ("AND convener OR", 0, "searched for 'convener'"),
        ("convener NOT", 0, "searched for 'convener'"),
        ("AND OR NOT", 2, "has only operators"),
    ],
)
def test_operators_in_a_row_are_read_as_one(
    kb_built: Path, query: str, code: int, message: str
) -> None:
    result = run("search", query, "--kb", str(kb_built))
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "internal error" not in result.output


def test_an_and_not_pair_is_kept(ix: Any) -> None:
    assert search(ix, "convener AND NOT secretariat").notes == []
    assert {h.id for h in search(ix, "convener AND NOT secretariat", limit=200).hits} == {
        h.id for h in search(ix, "convener ANDNOT secretariat", limit=200).hits
    }


FUZZ_TOKENS = ["NOT", "AND", "OR", "ANDNOT", "(", ")", '"', "title:", "type:lesson", "convener",
               "secretariat", "coord*", "~"]  # fmt: skip


def _fuzz_queries() -> list[str]:
    rng = random.Random(15)
    pairs = [" ".join(p) for p in itertools.product(FUZZ_TOKENS, repeat=2)]
    longer = [" ".join(rng.choices(FUZZ_TOKENS, k=rng.randint(3, 6))) for _ in range(250)]
    return pairs + longer


def test_any_mix_of_operators_quotes_and_fields_is_answered_or_refused(ix: Any) -> None:
    crashed = []
    for query in _fuzz_queries():
        try:
            search(ix, query)
        except (QueryError, QueryTooGeneralError):
            pass
        except Exception as exc:  # anything else is a crash ("internal error")
            crashed.append((query, repr(exc)))
    assert not crashed, crashed[:10]


def test_a_tag_query_finds_the_articles_with_the_tag(kb_built: Path, kb: Any) -> None:
    def tagged(*tags: str) -> set[str]:
        return {a.id for a in kb.articles if set(tags) & set(a.meta.tags)}

    assert tagged("funding") and tagged("coordination")
    for query, tags in [
        ("tags:funding", ("funding",)),
        ("tags:funding OR tags:coordination", ("funding", "coordination")),
    ]:
        result = run("search", query, "--kb", str(kb_built), "--limit", "200")
        assert result.exit_code == 0, result.output
        found = _cli_ids(kb_built, query)
        assert set(found) == tagged(*tags)
        assert found == _cli_ids(kb_built, query), "the same order every time"
    # a tag's words count as the query's: the tagged article whose title has them first
    assert _cli_ids(kb_built, "tags:coordination")[0] == "principle-inter-cluster-coordination"


def test_too_general_keeps_the_operators_the_query_had(ix: Any) -> None:
    with pytest.raises(QueryTooGeneralError, match='the query "the OR of" is too general'):
        search(ix, "the OR of")


def test_a_stop_word_is_never_suggested(write_kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # a French article quotes English: "the" is indexed for spelling suggestions, yet an
    # English query never searches for it
    kb = write_kb(
        {
            "pages/fr.md": article(
                "fr", extra="lang: fr\n", body='Ils disent "the network"; le convener ouvre.\n'
            ),
            "pages/en.md": article("en", body="The convener leads the cluster.\n"),
        }
    )
    monkeypatch.chdir(kb.parent)
    alone = run("search", "ther", "--kb", str(kb))
    assert alone.exit_code == 1, alone.output
    assert "no results" in alone.stderr and "too general" not in alone.output
    assert "did you mean" not in alone.output
    more = run("search", "convener ther", "--kb", str(kb))
    assert more.exit_code == 0, more.output
    assert "did you mean" not in more.output


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
    some = search(ix, "convener renewal")
    assert some.matched == "all" and some.total > 0
    assert some.total == len(_docs(ix, _every_word(["convener", "renewal"])))


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
