"""Lint rules for figures in articles: citations that name no figure, and counts the data owns
written out as numbers.

- ``[[figure:NAME]]`` with an unknown name, or malformed, is an error at its line, with a
  "did you mean" among the figures' names and the command that lists them;
- a citation in the title or summary is an error (only the body is filled in);
- ``stated-figure`` (a warning): a sentence about the network as a whole that states one of the
  counts the figures own as a number ("VETNoN tracks ten key performance indicators", "the
  network has 84 member institutions in 73 countries") is told which figure to cite, since the
  number goes stale with the next edition's data. Anecdotes ("a cluster of five members") are
  not about the network as a whole and do not fire.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import replace

from ..errors import UNFINISHED, Problem
from ..figure_defs import DEFINITIONS
from .figrefs import SYNTAX, find_citations, prose_spans
from .model import Article

Where = Callable[[int], str]

LIST_HINT = "netdocs data figures lists the names"
STATED_FIGURE = "stated-figure"
"""``Problem.rule`` of a count written as a number where a figure should be cited."""

_NUMBER_WORDS = (
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred"
).split()
_NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+|\d+|(?:"
    + "|".join(_NUMBER_WORDS)
    + r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)"
)
_NOUNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"key performance indicators|performance indicators|KPIs|indicators", ("kpis",)),
    (r"collective aspirations|aspirations", ("aspirations",)),
    (r"regional clusters|regional cluster networks", ("clusters-regional",)),
    (r"thematic clusters", ("clusters-thematic",)),
    (r"clusters", ("clusters",)),
    (r"active member institutions|active members", ("members-active",)),
    (r"pending members|pending member institutions", ("members-pending",)),
    (r"inactive members|inactive member institutions", ("members-inactive",)),
    (
        r"member institutions|member organisations|member organizations|members|"
        r"institutions|organisations|organizations",
        ("members",),
    ),
    (r"countries", ("countries-active", "countries")),
    (r"activities", ("activities-in-plan", "activities")),
    (r"partnerships", ("partnerships",)),
)
_NOUN_NAMES = {i: names for i, (_p, names) in enumerate(_NOUNS)}
_COUNT = re.compile(
    r"\b(" + _NUMBER + r")\s+(?:" + "|".join(f"(?P<n{i}>{p})" for i, (p, _n) in enumerate(_NOUNS))
    + r")\b",
    re.IGNORECASE,
)  # fmt: skip
_SUBJECT = r"\b(?:(?:the|our) network|VETNoN|the strategy|the action plan)"
_WHOLE = re.compile(
    _SUBJECT + r"\s+(?:now\s+|currently\s+|still\s+)?(?:has|have|tracks|counts|comprises|"
    r"includes|groups|brings together|consists of|is made up of|numbers|spans|covers|unites|"
    r"connects|gathers|contains|lists|defines|monitors|measures|sets)\b",
    re.IGNORECASE,
)
"""A sentence about the network as a whole, in the present tense ("VETNoN tracks ...", "the
network has ..."): an anecdote in the past tense ("the network's first framework listed forty
indicators") is history, not a count of this edition's data."""
_POSSESSIVE = re.compile(_SUBJECT + r"'s\s+$", re.IGNORECASE)
"""A count right after "the network's" ("the network's five regional clusters")."""
_SENTENCE_END = re.compile(r"[.!?;:](?:\s|$)|\n\s*\n")


def citation_problems(article: Article, where: Where) -> list[Problem]:
    """Unknown and malformed citations in the body; citations in the title or summary. They
    would print as written, so they count as unfinished: publish refuses them, build warns."""
    out: list[Problem] = []
    names = sorted(DEFINITIONS)
    for cite in find_citations(article.body, article.body_line):
        if not cite.ok:
            out.append(Problem(where(cite.line), "error", f"{cite.problem} ({LIST_HINT})"))
        elif cite.name not in DEFINITIONS:
            near = difflib.get_close_matches(cite.name, names, n=1, cutoff=0.6)
            hint = f"did you mean [[figure:{near[0]}]]? " if near else ""
            out.append(
                Problem(
                    where(cite.line),
                    "error",
                    f"unknown figure '{cite.name}' in '{cite.text}': {hint}({LIST_HINT})",
                )
            )
    for key, value in (("title", article.meta.title), ("summary", article.meta.summary)):
        if article.has_front_matter and "[[" in value and find_citations(value):
            out.append(
                Problem(
                    where(article.line_of(key)),
                    "error",
                    f"a figure citation in the {key} is printed as written: only the body's "
                    f"{SYNTAX} are filled in; write the {key} without it",
                )
            )
    return [replace(p, rule=UNFINISHED) for p in out]


def stated_figures(article: Article, where: Where) -> list[Problem]:
    """Counts the figures own, written as numbers in sentences about the whole network."""
    body = article.body
    if not _COUNT.search(body):
        return []
    out: list[Problem] = []
    for lo, hi in prose_spans(body):
        for found in _COUNT.finditer(body, lo, hi):
            if not _about_the_network(body, lo, found.start()):
                continue
            names = _names(found)
            cites = " or ".join(f"[[figure:{n}]]" for n in names)
            label = DEFINITIONS[names[0]].label if names[0] in DEFINITIONS else names[0]
            out.append(
                Problem(
                    where(article.body_line + body.count("\n", 0, found.start())),
                    "warning",
                    f"'{found.group(0)}' states a count the network data owns "
                    f"({label.lower()}): cite {cites} instead, so it stays true "
                    f"with the next edition's data ({LIST_HINT})",
                    rule=STATED_FIGURE,
                )
            )
    return out


def _names(found: re.Match[str]) -> tuple[str, ...]:
    for i, names in _NOUN_NAMES.items():
        if found.group(f"n{i}") is not None:
            return names
    return ()


def _about_the_network(body: str, lo: int, at: int) -> bool:
    """Does the sentence holding offset ``at`` speak of the network as a whole before it?"""
    start = lo
    for end in _SENTENCE_END.finditer(body, lo, at):
        start = end.end()
    if _POSSESSIVE.search(body[max(start, at - 40) : at]):
        return True
    return _WHOLE.search(body, start, at) is not None
