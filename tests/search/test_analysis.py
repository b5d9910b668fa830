"""Text analysis: words with punctuation, stop words per language, spelling, stems."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.search.analysis import (
    TOKEN_PATTERN,
    language,
    normalise_spelling,
    stop_words,
    term,
    text_analyzer,
    word_analyzer,
)
from pipeline.search.index import ensure_index
from pipeline.search.query import search
from pipeline.search.stemming import EXCEPTIONS, light_stem
from tests.conftest import article

PAIRS = [
    ("mobilise", "mobilize"),
    ("organisation", "organization"),
    ("organising", "organizing"),
    ("programme", "program"),
    ("centre", "center"),
    ("labour", "labor"),
    ("analyse", "analyze"),
    ("cancelled", "canceled"),
    ("practise", "practice"),
    ("licence", "license"),
    ("enrolment", "enrollment"),
    ("instal", "install"),
]


def terms(text: str, **kwargs: Any) -> list[str]:
    return [t.text for t in text_analyzer()(text, **kwargs)]


def positions(text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in text_analyzer()(text, positions=True)]


# --- spelling and stems -----------------------------------------------------------------------


@pytest.mark.parametrize(("british", "american"), PAIRS)
def test_spellings_meet(british: str, american: str) -> None:
    assert terms(british) == terms(american)


@pytest.mark.parametrize(
    "forms",
    [
        "organise organising organisation organised organises organisations",
        "mobilise mobilising mobilisation mobilised",
        "coordinate coordinating coordinated coordination",
        "policy policies",
        "apply applies applied applying",
        "plan plans planned planning",
        "member members member's",
        "commit commits committed committing",
        "fund funds funded funding",
        "box boxes",
        "class classes",
        "process processes processing",
        "pay pays paid paying",
        "install installs installed installing installation",
        "enrol enrols enrolled enrolling",
        "promote promoted promoting promotion promotions",
        "reimburse reimbursed reimbursement reimbursements",
        "discuss discussed discussion",
        "manage managed managing management",
        "month months monthly",
    ],
)
def test_forms_of_one_word_meet(forms: str) -> None:
    assert len(set(terms(forms))) == 1, terms(forms)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("mobility", "mobilisation"),
        ("mobility", "mobilise"),
        ("university", "universe"),
        ("universities", "universe"),
        ("general", "generous"),
        ("policy", "police"),
        ("news", "new"),
        ("organ", "organisation"),
        ("organs", "organise"),
        ("add", "ad"),
        ("coordinator", "coordination"),
        ("manager", "management"),
        ("statement", "state"),
        ("edition", "edit"),
        ("mission", "miss"),
        ("format", "form"),
    ],
)
def test_distinct_words_stay_apart(one: str, other: str) -> None:
    assert terms(one) != terms(other)


@pytest.mark.parametrize(
    "forms",
    [
        "exceed exceeds exceeded exceeding",
        "proceed proceeds proceeded proceeding",
        "succeed succeeds succeeded succeeding",
        "need needs needed needing",
        "feed feeds feeding",
        "seed seeds seeded seeding",
        "agree agreed agrees agreeing",
        "free freed frees freeing",
        "guarantee guaranteed guarantees guaranteeing",
    ],
)
def test_forms_of_a_word_in_eed_or_ee_meet(forms: str) -> None:
    assert len(set(terms(forms))) == 1, terms(forms)


@pytest.mark.parametrize(("one", "other"), [("feed", "fee"), ("seed", "see"), ("feeds", "fees")])
def test_a_word_in_eed_is_no_past_of_a_word_in_ee(one: str, other: str) -> None:
    assert terms(one) != terms(other)


def test_analysis_meets_its_plural_and_its_verb() -> None:
    # "analyses" is analysis's plural (and the verb): normalise_spelling makes it "analyzes"
    # before the stemmer looks it up
    forms = "analysis analyses analyse analyze analysed analyzed analyses analysing analyzing"
    assert len(set(terms(forms))) == 1, terms(forms)


def test_every_exception_is_reached_through_the_spelling_rules() -> None:
    # the stemmer sees a word after normalise_spelling: an exception written the British way
    # only works when its normalised form is an exception too
    missed = {
        word: light_stem(normalise_spelling(word))
        for word, stem in EXCEPTIONS.items()
        if light_stem(normalise_spelling(word)) != stem
    }
    assert missed == {}


def test_unrelated_words_keep_their_spelling() -> None:
    assert normalise_spelling("four") == "four"
    assert normalise_spelling("your") == "your"
    assert normalise_spelling("wise") == "wise"


# --- words with punctuation inside ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("e-mail", ["mail", "email"]),
        ("COVID-19", ["covid", "19", "covid19"]),
        ("co-financing", ["co", "financ", "cofinanc"]),
        ("1:1s", ["1:1"]),
        ("1-on-1", ["1:1"]),
        ("one-on-one", ["1:1"]),
        ("C++", ["c++"]),
        ("C#", ["c#"]),
        ("Erasmus+", ["erasmus+", "erasmus"]),
        ("KA3", ["ka3"]),
        ("KA3:", ["ka3"]),
        ("KA-3", ["ka3"]),
        ("U.S.", ["u.s"]),
        ("3.5", ["3.5"]),
        ("10,000", ["10000"]),
        ("R&D", ["r&d"]),
        ("the convener's role", ["convener", "rol"]),
        ("example.org", ["exampl", "org", "example.org"]),
        ("2021\u20132027", ["2021", "2027"]),
        ("3-5 years", ["year"]),
    ],
)
def test_words_with_punctuation(text: str, expected: list[str]) -> None:
    assert terms(text) == expected


def test_token_pattern_finds_whole_words() -> None:
    found = re.findall(TOKEN_PATTERN, "Use e-mail (or C++), KA3: 1:1s in the U.S. at 3.5%.")
    assert found == ["Use", "e-mail", "or", "C++", "KA3", "1:1s", "in", "the", "U.S", "at", "3.5"]


def test_joined_form_shares_the_last_parts_position() -> None:
    # phrases over the parts still match ("financing rate"), and the joined term sits beside
    # the words around it
    assert positions("eu co-financing rate") == [
        ("eu", 0),
        ("co", 1),
        ("financ", 2),
        ("cofinanc", 2),
        ("rat", 3),
    ]


def test_stop_words_leave_no_gaps() -> None:
    (role, first), (convener, second) = positions("the role of the convener")
    assert (role, convener, second - first) == ("rol", "convener", 1)


def test_a_phrase_in_a_query_has_the_parts_only() -> None:
    # Whoosh's phrase parser asks for character offsets and needs the words in order
    assert terms("co-financing rate", mode="query", chars=True) == ["co", "financ", "rat"]


def test_character_offsets_cover_each_piece() -> None:
    text = "an e-mail"
    spans = [
        (t.text, text[t.startchar : t.endchar])
        for t in text_analyzer()(text, chars=True, mode="index")
    ]
    assert spans == [("mail", "mail"), ("email", "e-mail")]


def test_words_for_suggestions_are_unstemmed() -> None:
    words = [t.text for t in word_analyzer()("The co-financing of mobilities by e-mail")]
    assert words == ["financing", "cofinancing", "mobilities", "mail", "email"]


# --- stop words per language ------------------------------------------------------------------


def test_question_words_are_stop_words() -> None:
    assert terms("how do I get reimbursed for something I paid for work") == [
        "reimburs",
        "pay",
        "work",
    ]
    assert terms("what does a convener do") == ["convener"]


@pytest.mark.parametrize(
    ("word", "stop_in", "content_in"),
    [
        ("die", "de", "en"),
        ("son", "fr", "en"),
        ("fin", "", "en"),
        ("me", "en", "de"),
        ("de", "fr", "en"),
        ("les", "fr", "en"),
        ("estado", "", "es"),
        ("comment", "fr", "en"),
        ("the", "en", "fr"),
    ],
)
def test_stop_words_belong_to_one_language(word: str, stop_in: str, content_in: str) -> None:
    if stop_in:
        assert word in stop_words(stop_in)
    assert word not in stop_words(content_in)
    with language(content_in):
        assert terms(word) != []


def test_stop_words_follow_the_language_of_the_text() -> None:
    assert terms("die Mobilität der Lernenden") == ["die", "mobilität", "der", "lernenden"]
    with language("de"):
        assert terms("die Mobilität der Lernenden") == ["mobilität", "lernenden"]
        assert stop_words(None) == stop_words("de")
    with language("fr"):
        assert terms("l'organisation de la formation") == ["organiz", "form"]
    assert stop_words("pt-BR") == stop_words("pt") != stop_words("es")
    assert stop_words("ar") == frozenset()


def test_term_of_one_word() -> None:
    assert term("Mobilities") == "mobility"
    assert term("the") == ""
    assert term("le", "fr") == "" != term("le")


# --- the index finds what was written, in its variants -----------------------------------------

DOCS = {
    "email": "Send the report by e-mail to the secretariat.",
    "cofin": "The co-financing rate depends on the region.",
    "meetings": "Hold 1:1s with every focal point each month.",
    "cpp": "A course on C++ for apprentices.",
    "c-lang": "A course on C for apprentices.",
    "version": "Version 3.5 of the template.",
    "other": "Version 35 of another template.",
    "mobility": "Learning mobility of apprentices abroad.",
    "mobilisation": "Resource mobilisation for the network.",
    "uk": "Organising the programme of the centre: labour market analyses.",
}


IN_LANGUAGES = {
    "dice": ("en", "When the die is cast, the son cannot go back."),
    "lernende": ("de", "Die Mobilität der Lernenden im Ausland."),
    "fils": ("fr", "Le fils et son école professionnelle."),
}


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("kb")
    for ident, text in DOCS.items():
        (root / f"{ident}.md").write_text(article(ident, body=f"# {ident}\n\n{text}\n"))
    for ident, (lang, text) in IN_LANGUAGES.items():
        doc = article(ident, extra=f"lang: {lang}\n", body=f"# {ident}\n\n{text}\n")
        (root / f"{ident}.md").write_text(doc)
    index, _ = ensure_index(Path(tmp_path_factory.mktemp("cache")), root)
    yield index
    index.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("email", ["email"]),
        ("e-mail", ["email"]),
        ("cofinancing", ["cofin"]),
        ("co financing", ["cofin"]),
        ('"co-financing rate"', ["cofin"]),
        ('"financing rate"', ["cofin"]),
        ("1:1", ["meetings"]),
        ("one-on-one", ["meetings"]),
        ("C++", ["cpp"]),
        ("3.5", ["version"]),
        ("mobility", ["mobility"]),
        ("mobilise", ["mobilisation"]),
    ],
)
def test_search_finds_the_variants(ix: Any, query: str, expected: list[str]) -> None:
    assert [h.id for h in search(ix, query).hits] == expected


@pytest.mark.parametrize("american", ["organizing", "program", "center", "labor", "analyze"])
def test_search_finds_the_other_spelling(ix: Any, american: str) -> None:
    assert [h.id for h in search(ix, american).hits] == ["uk"]


def test_combining_marks_stay_in_the_word() -> None:
    # Hindi's vowel signs and virama, an accent typed apart, Arabic's vowel signs
    assert terms("नमस्ते दुनिया") == ["नमस्ते", "दुनिया"]
    assert terms("cafe\u0301") == terms("café") == ["café"]
    assert terms("مَدْرَسَة") == terms("مدرسة") == ["مدرسة"]


def test_each_article_drops_the_stop_words_of_its_language(ix: Any) -> None:
    # "die" and "son" are English words, and German and French stop words
    assert [h.id for h in search(ix, "die").hits] == ["dice"]
    assert [h.id for h in search(ix, "son").hits] == ["dice"]
    assert [h.id for h in search(ix, "Mobilität Lernenden", lang="de").hits] == ["lernende"]
