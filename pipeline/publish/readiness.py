"""Is the edition fit to print? Unfinished material and contradicting dates.

``netdocs publish`` refuses an edition that would print unfinished material — a TODO in an
article, scaffold text left as ``kb new`` wrote it, a convener called "Dr. Placeholder" in the
data — or whose ``netdocs.toml`` gives another meeting date than the data: it lists every such
problem, located, and writes nothing. ``netdocs build`` makes drafts, so it builds anyway and
prints the same problems as warnings.

What counts as unfinished is decided where it is found (``kb lint`` and ``data check`` mark
those problems with ``rule == UNFINISHED``); this module only gathers them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..config import Settings
from ..errors import UNFINISHED, Problem
from ..kb import KnowledgeBase
from ..network import Snapshot

REFUSED_HINT = (
    "netdocs publish refuses them until they are fixed (netdocs kb lint and netdocs data "
    "check show them too)"
)
"""The line ``netdocs build`` prints after the unfinished items it drafted anyway."""


@dataclass(frozen=True)
class Readiness:
    """What stands between the drafts and a published edition."""

    kb: list[Problem]
    """Unfinished material in the knowledge base (from ``kb lint``), each at path:line."""
    data: list[Problem]
    """Unfinished material in the network data (from ``data check``), each at its cell."""
    contradictions: list[Problem]
    """Settings that contradict the data (the meeting date)."""

    @property
    def unfinished(self) -> list[Problem]:
        return self.kb + self.data

    @property
    def problems(self) -> list[Problem]:
        return self.unfinished + self.contradictions

    @property
    def ready(self) -> bool:
        return not self.problems


def unfinished_in(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that mark unfinished material."""
    return [p for p in problems if p.rule == UNFINISHED]


def kb_unfinished(kb: KnowledgeBase, as_of: date) -> list[Problem]:
    """The KB's unfinished material, from ``kb lint`` (with the edition's as-of day)."""
    from ..kb.lint import lint

    return unfinished_in(lint(kb, today=as_of).problems)


def data_where(snapshot: Snapshot, key: str) -> str:
    """Where a key of the data's ``network`` part is written, for a message."""
    source = snapshot.source
    path = Path(source)
    if "://" not in source and path.is_dir():
        return f"{path / 'network.yaml'}: {key}"
    return f"{source} (network table, key {key})"


def meeting_contradiction(settings: Settings, snapshot: Snapshot) -> Problem | None:
    """A problem when ``meeting_date`` is set and differs from the data's meeting date."""
    ours, theirs = settings.meeting_date, snapshot.network.network.meeting.date
    if ours is None or ours == theirs:
        return None
    config = str(settings.config_file) if settings.config_file else "the settings"
    return Problem(
        f"{config}: meeting_date",
        "error",
        f"the edition's meeting date {ours.isoformat()} contradicts the data's "
        f"{theirs.isoformat()} ({data_where(snapshot, 'meeting.date')}); the documents would "
        "print both: correct whichever is wrong",
    )


def check_readiness(
    settings: Settings,
    kb: KnowledgeBase,
    snapshot: Snapshot,
    as_of: date,
    lint_problems: Iterable[Problem] | None = None,
) -> Readiness:
    """Gather the unfinished material of the KB and the data, and the contradicting dates.

    ``lint_problems``: the problems of a ``kb lint`` already run (with ``as_of``), so the KB is
    not linted twice."""
    kb_side = (
        unfinished_in(lint_problems) if lint_problems is not None else kb_unfinished(kb, as_of)
    )
    data_side = unfinished_in(snapshot.warnings)
    contradiction = meeting_contradiction(settings, snapshot)
    return Readiness(
        kb_side + uncomputed_citations(settings, kb, snapshot),
        data_side,
        [contradiction] if contradiction else [],
    )


def uncomputed_citations(
    settings: Settings, kb: KnowledgeBase, snapshot: Snapshot
) -> list[Problem]:
    """Citations of figures this data gives no value for: they would print as written."""
    from ..documents.common import edition_figures
    from ..kb.figrefs import find_citations
    from ..kb.reader import display

    missing = edition_figures(settings, snapshot).uncomputed
    if not missing:
        return []
    out = []
    for article in kb.articles:
        for cite in find_citations(article.body, article.body_line):
            if cite.ok and cite.name in missing:
                out.append(
                    Problem(
                        f"{display(kb.root / article.path)}:{cite.line}",
                        "error",
                        f"{cite.text} cannot be filled in: {missing[cite.name]} "
                        "(rephrase the sentence, or fix the data)",
                        rule=UNFINISHED,
                    )
                )
    return out


def as_refusal(problem: Problem) -> Problem:
    """``problem`` as an error that stops a publish (its rule kept)."""
    return problem if problem.level == "error" else replace(problem, level="error")


def as_draft_warning(problem: Problem) -> str:
    """One line for ``netdocs build``'s stderr: ``warning: WHERE: MESSAGE``."""
    message = " ".join(problem.message.split())
    return f"warning: {problem.where}: {message}"
