"""Front matter: one pydantic declaration (Meta), every problem at once at its key's line."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pipeline.kb.schema import FIELDS, REQUIRED, Meta, check_meta


def _check(data: dict[str, Any], lines: dict[str, int] | None = None) -> tuple[Meta, list[str]]:
    meta, problems = check_meta(data, {"": 1, **(lines or {})}, lambda n: f"a.md:{n}", "pages-a")
    assert all(p.level == "error" for p in problems)
    return meta, [f"{p.where}: {p.message}" for p in problems]


GOOD = {"id": "a", "title": "A", "type": "lesson", "summary": "S.", "step": [1, 5]}


def test_fields_and_required_keys_come_from_the_model() -> None:
    assert list(FIELDS) == list(Meta.model_fields)
    assert FIELDS["step"] == "roadmap step number 1-7, or a list of them, e.g. [1, 5]"
    assert FIELDS["type"].startswith("one of role, principle, roadmap-step")
    assert REQUIRED == ("id", "title", "type", "summary")


def test_valid_front_matter_is_typed() -> None:
    data = {**GOOD, "tags": ["x"], "updated": "2026-10-01", "review_by": date(2027, 1, 2),
            "owner": "Secretariat", "lang": "pt-BR", "title": " A title "}  # fmt: skip
    meta, problems = _check(data)
    assert problems == []
    assert (meta.id, meta.title, meta.step, meta.tags) == ("a", "A title", (1, 5), ("x",))
    assert (meta.updated, meta.review_by, meta.lang) == (
        date(2026, 10, 1),
        date(2027, 1, 2),
        "pt-BR",
    )


def test_every_problem_is_reported_at_once_each_at_its_key() -> None:
    data = {"id": "Bad_ID", "tittle": "x", "type": "lessn", "tags": "funding",
            "step": ["two", 9, 3], "updated": "2026-13-45", "lang": "EN",
            "owner": ["a"]}  # fmt: skip
    lines = {"id": 2, "tittle": 3, "type": 4, "tags": 5, "step": 6, "updated": 7, "lang": 8,
             "owner": 9}  # fmt: skip
    meta, found = _check(data, lines)
    assert sorted(found) == [
        "a.md:1: missing 'summary' (one or two sentences)",
        "a.md:1: missing 'title' (title as printed in documents)",
        "a.md:2: id 'Bad_ID' must use lower-case letters, digits and dashes only "
        "(for example 'bad-id')",
        "a.md:3: unknown key 'tittle'; did you mean 'title'? (allowed: id, title, type, summary, "
        "tags, audience, step, order, updated, review_by, owner, lang)",
        "a.md:4: unknown type 'lessn'; did you mean 'lesson'? (allowed: role, principle, "
        "roadmap-step, lesson, practice, glossary, page)",
        "a.md:5: 'tags' must be a list: write tags: [funding]",
        "a.md:6: step 'two' is not a number: write a step from 1 to 7, e.g. step: [1, 5]",
        "a.md:6: step 9 names no roadmap step (the roadmap has steps 1 to 7)",
        "a.md:7: 'updated' must be a date written YYYY-MM-DD, got '2026-13-45'",
        "a.md:8: lang 'EN' is not a language code (for example en, fr, pt-BR)",
        "a.md:9: 'owner' must be text (who keeps the article up to date), not a list",
    ]
    # the article is still listed, under the best metadata there is
    assert (meta.id, meta.title, meta.type, meta.summary) == ("Bad_ID", "pages-a", "page", "")
    assert (meta.tags, meta.step, meta.updated, meta.lang, meta.owner) == (
        ("funding",), (3,), None, "EN", None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({**GOOD, "step": None, "type": "practice"}, []),  # 'step' given, even if empty
        (
            {k: v for k, v in GOOD.items() if k != "step"},
            ["a.md:1: a lesson needs 'step': the roadmap steps it belongs to (roadmap step "
             "number 1-7, or a list of them, e.g. [1, 5])"],
        ),
        (
            {**GOOD, "type": "roadmap-step"},
            ["a.md:6: a roadmap-step is exactly one step: write a single number, e.g. step: 3"],
        ),
        (  # a field problem too: the rule over the whole front matter still runs
            {**GOOD, "type": "roadmap-step", "tags": "x", "step": [1, 2, 9]},
            ["a.md:5: 'tags' must be a list: write tags: [x]",
             "a.md:6: a roadmap-step is exactly one step: write a single number, e.g. step: 3",
             "a.md:6: step 9 names no roadmap step (the roadmap has steps 1 to 7)"],
        ),
        (
            {"id": "a", "type": "roadmap-step", "summary": "S", "title": ""},
            ["a.md:1: a roadmap-step needs 'step': the step number it is (roadmap step number "
             "1-7, or a list of them, e.g. [1, 5])",
             "a.md:1: missing 'title' (title as printed in documents)"],
        ),
    ],
)  # fmt: skip
def test_the_steps_must_fit_the_type(data: dict[str, Any], expected: list[str]) -> None:
    _meta, found = _check(data, {"tags": 5, "step": 6})
    assert sorted(found) == expected


def test_odd_yaml_keys_and_values_are_named() -> None:
    meta, found = _check({**GOOD, 1: "x", "audience": [1, "b"], "updated": 20261001})
    assert sorted(found) == [
        "a.md:1: 'audience' must be a list of text (list of role ids, e.g. "
        "[cluster-coordinator, secretariat])",
        "a.md:1: 'updated' must be a date written YYYY-MM-DD, got 20261001",
        "a.md:1: unknown key '1' (allowed: id, title, type, summary, tags, audience, step, "
        "order, updated, review_by, owner, lang)",
    ]
    assert meta.audience == ("1", "b") and meta.updated is None and meta.id == "a"
