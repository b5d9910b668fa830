"""netdocs search / show / index from the command line: output, JSON, filters, bad queries."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import run

KEYS = ["id", "title", "type", "path", "anchor", "section", "score", "snippet"]


def test_text_output_has_results_and_facets(kb_built: Path) -> None:
    result = run("search", "convener", "--kb", str(kb_built), "--limit", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. ")
    assert "roles/convener.md#" in result.stdout or "glossary/glossary-convener.md#" in (
        result.stdout
    )
    summary = lines[-1]
    assert re.fullmatch(
        r"(\d+ articles match every word( \(.+\))?|no article matches every word)"
        r"; showing the 2 best matches",
        summary,
    ), summary
    assert lines[-2] == ""


def test_json_is_a_list_of_documented_objects_and_nothing_else(kb_built: Path) -> None:
    result = run("search", "baseline audit", "--kb", str(kb_built), "--json", "--limit", "5")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list) and 1 <= len(data) <= 5
    for item in data:
        assert list(item) == KEYS
        assert (kb_built / item["path"]).is_file()
        assert isinstance(item["score"], float)
    scores = [item["score"] for item in data]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("option", "value", "key", "check"),
    [
        ("--type", "lesson", "type", lambda v: v == "lesson"),
        ("--step", "1", "id", lambda v: v.startswith(("step-1", "lesson", "practice"))),
    ],
)
def test_filters(kb_built: Path, option: str, value: str, key: str, check) -> None:  # type: ignore[no-untyped-def]
    result = run(
        "search", "members", option, value, "--kb", str(kb_built), "--json", "--limit", "50"
    )
    data = json.loads(result.stdout)
    assert data and all(check(item[key]) for item in data)


def test_audience_tag_and_lang_filters(kb_built: Path) -> None:
    from pipeline.kb import read_kb

    kb = read_kb(kb_built)
    for_conveners = {a.id for a in kb.articles if "convener" in a.meta.audience}
    data = json.loads(
        run(
            "search",
            "cluster",
            "--audience",
            "convener",
            "--kb",
            str(kb_built),
            "--json",
            "--limit",
            "200",
        ).stdout
    )
    assert data and {d["id"] for d in data} <= for_conveners
    tagged = {a.id for a in kb.articles if "funding" in a.meta.tags}
    data = json.loads(
        run(
            "search",
            "network",
            "--tag",
            "funding",
            "--kb",
            str(kb_built),
            "--json",
            "--limit",
            "200",
        ).stdout
    )
    assert {d["id"] for d in data} <= tagged
    none = run("search", "cluster", "--lang", "fr", "--kb", str(kb_built))
    assert none.exit_code == 1 and "no results" in none.output


def test_field_queries_phrases_and_operators(kb_built: Path) -> None:
    def ids(q: str) -> list[str]:
        return [
            d["id"]
            for d in json.loads(
                run("search", q, "--kb", str(kb_built), "--json", "--limit", "100").stdout
            )
        ]

    assert all(i.startswith("lesson-") for i in ids("type:lesson renewal"))
    titled = ids("title:funding")
    assert titled and "lesson-eu-funding-deadlines" in titled
    phrase = ids('"promising practice"')
    assert "glossary-promising-practice" in phrase
    without = ids('"promising practice" NOT database')
    assert "online-services" in phrase and "online-services" not in without
    both = ids("convener AND renewal")
    assert set(both) <= set(ids("convener")) & set(ids("renewal"))


def test_misspelling_suggests_and_finds(kb_built: Path) -> None:
    result = run("search", "cordinator", "--kb", str(kb_built), "--limit", "3")
    assert result.exit_code == 0
    assert "did you mean: coordinator" in result.stderr
    assert "cluster-coordinator" in result.stdout


BAD = [
    ('"convener role', 0, "an unbalanced quote or parenthesis was ignored"),
    ("((convener", 0, "an unbalanced quote or parenthesis was ignored"),
    ("convener))", 0, "an unbalanced quote or parenthesis was ignored"),
    ("AND", 2, "has only operators"),
    ("OR", 2, "has only operators"),
    ("NOT convener", 2, "only says what to leave out"),
    ("*", 2, "'*' alone would match everything"),
    ("", 2, "empty query"),
    ("   ", 2, "empty query"),
    ("the of and", 1, 'error: the query "the of and" is too general'),
    ("how do I", 1, 'error: the query "how do I" is too general'),
    ("conv\x00ener\x07 \x1b[31mrole", 0, "control characters in the query were ignored"),
    ("foo:bar convener", 0, "unknown field 'foo'"),
    ("zzqxv", 1, "no results"),
]


@pytest.mark.parametrize(("query", "code", "message"), BAD, ids=[repr(b[0]) for b in BAD])
def test_bad_queries_never_crash(kb_built: Path, query: str, code: int, message: str) -> None:
    result = run("search", query, "--kb", str(kb_built))
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_json_without_results_is_an_empty_list(kb_built: Path) -> None:
    result = run("search", "zzqxv", "--kb", str(kb_built), "--json")
    assert result.exit_code == 1 and json.loads(result.stdout) == []
    text = run("search", "how do I", "--kb", str(kb_built))
    assert text.exit_code == 1 and text.stdout == "", "without --json, nothing on stdout"


def test_ten_thousand_character_query(kb_built: Path) -> None:
    query = ("convener " * 1200)[:10_000]
    result = run("search", query, "--kb", str(kb_built), "--limit", "1")
    assert result.exit_code == 0
    assert "searched for its first" in result.stderr


def test_a_query_too_general_is_an_error_with_exit_1(kb_built: Path) -> None:
    for query in ("how do I", "what is the"):
        result = run("search", query, "--kb", str(kb_built), "--json")
        assert result.exit_code == 1, result.output
        assert json.loads(result.stdout) == [], "a pipe gets JSON, as for no results"
        assert "[]" not in result.stderr
        error = result.stderr.splitlines()[-1]
        assert error.startswith(f'error: the query "{query}" is too general: '), error
        assert "Traceback" not in result.output


def test_show_article_with_related_in_capped_groups(kb_built: Path) -> None:
    result = run("show", "cluster-coordinator", "--kb", str(kb_built))
    assert result.exit_code == 0
    out = result.stdout
    assert "Cluster coordinator" in out and "related" in out
    lines = out[out.index(" related ") :].splitlines()[1:]
    headings = [line for line in lines if line and not line.startswith(" ")]
    assert headings == [
        "links to", "written for this role", "also for the same readers", "linked from"
    ]  # fmt: skip
    items = [line.split()[0] for line in lines if line.startswith("  ") and "more" not in line]
    assert len(items) == len(set(items)), "each article once"
    assert "glossary-cluster-coordinator" in items  # links here
    for heading, nxt in zip(headings, [*headings[1:], None], strict=True):
        group = lines[lines.index(heading) + 1 : lines.index(nxt) if nxt else None]
        shown = [line for line in group if re.match(r"  \S", line) and " more" not in line]
        assert 1 <= len(shown) <= 6, (heading, group)
    assert any(re.fullmatch(r"  and \d+ more", line) for line in lines)
    step = run("show", "step-1-baseline", "--kb", str(kb_built)).stdout
    assert "also in roadmap step 1" in step and "lesson-contact-database-decay" in step


def test_show_raw_prints_the_source(kb_built: Path) -> None:
    result = run("show", "convener", "--raw", "--kb", str(kb_built))
    assert result.exit_code == 0
    assert result.stdout == (kb_built / "roles" / "convener.md").read_text(encoding="utf-8")


def test_show_unknown_id_suggests_close_ones(kb_built: Path) -> None:
    result = run("show", "convenor", "--kb", str(kb_built))
    assert result.exit_code == 1
    assert "no article 'convenor'; closest ids: convener" in result.output


def test_index_command_reports_what_it_did(kb_copy: Path) -> None:
    from pipeline.kb.reader import read_kb

    n = len(read_kb(kb_copy).articles)
    assert n > 90  # the bundled KB
    first = run("index", "--kb", str(kb_copy))
    assert first.exit_code == 0 and first.stdout.startswith(f"built the index of {n} articles")
    again = run("index", "--kb", str(kb_copy))
    assert again.stdout.startswith(f"the index is up to date ({n} articles)")
    rebuilt = run("index", "--rebuild", "--kb", str(kb_copy))
    assert rebuilt.stdout.startswith(f"built the index of {n} articles")
    assert not any(p.name == "index" for p in kb_copy.rglob("*")), "index stays out of the KB"


def _ids(kb: Path, query: str) -> list[str]:
    result = run("search", query, "--kb", str(kb), "--json", "--limit", "200")
    assert result.exit_code in (0, 1), result.output
    return [d["id"] for d in json.loads(result.stdout)]


def test_documented_wildcard_finds_what_the_words_find(kb_built: Path) -> None:
    wild = _ids(kb_built, "coord*")
    assert "cluster-coordinator" in wild
    assert set(_ids(kb_built, "coordinator coordination coordinate")) <= set(wild)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("coordinator*", "cluster-coordinator"),  # longer than the stem 'coordin'
        ("c?nvener", "convener"),  # the stem is 'conven': matched on the words as written
        ("title:fund*", "lesson-eu-funding-deadlines"),
        ("*vener", "convener"),
        ("convener NOT coord*", "glossary-thematic-cluster"),
    ],
)
def test_wildcards(kb_built: Path, query: str, expected: str) -> None:
    assert expected in _ids(kb_built, query)


def test_wildcard_matches_every_word_it_covers_and_gets_no_did_you_mean(kb_built: Path) -> None:
    assert set(_ids(kb_built, "organisation organisations organised")) <= set(
        _ids(kb_built, "organis*")
    )
    result = run("search", "organis*", "--kb", str(kb_built))
    assert result.exit_code == 0 and "did you mean" not in result.output


def test_wildcard_excludes_and_matches_nothing(kb_built: Path) -> None:
    assert "cluster-coordinator" not in _ids(kb_built, "convener NOT coord*")
    none = run("search", "zzqx*", "--kb", str(kb_built))
    assert none.exit_code == 1 and "no results" in none.output


def test_a_question_mark_ending_a_word_is_punctuation_not_a_pattern(kb_built: Path) -> None:
    assert _ids(kb_built, "what is a convener?") == _ids(kb_built, "what is a convener")
