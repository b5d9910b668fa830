"""Is the edition fit to print? Unfinished material and contradicting dates.

``netdocs publish`` refuses an edition that would print unfinished material — a TODO in an
article, scaffold text left as ``kb new`` wrote it, a convener called "Dr. Placeholder" in the
data, a section of a cluster's progress-report narrative its coordinator has not written for
the edition's reporting period — or whose ``netdocs.toml`` gives another meeting date than
the data: it lists every such problem, located, and writes nothing. ``netdocs build`` makes
drafts, so it builds anyway and prints the same problems as warnings.

What counts as unfinished is decided where it is found (``kb lint`` and ``data check`` mark
those problems with ``rule == UNFINISHED``); this module only gathers them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..config import Settings
from ..errors import UNFINISHED, Problem
from ..kb import KnowledgeBase
from ..network import Snapshot
from ..network.model import NARRATIVE_SECTIONS

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
    narratives: list[Problem] = field(default_factory=list)
    """Progress-report narrative sections not written for the edition's reporting period, one
    per cluster and section, each at its row and column when the source can say so."""

    @property
    def unfinished(self) -> list[Problem]:
        return self.kb + self.data + self.narratives

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
        ([contradiction] if contradiction else []) + unknown_documents(snapshot),
        unwritten_narratives(settings, snapshot),
    )


def unknown_documents(snapshot: Snapshot) -> list[Problem]:
    """A document status (table ``documents``) naming no document type: its document would
    print as a draft however it was recorded, so the name is a mistake to fix."""
    import difflib

    from ..documents.registry import REGISTRY

    out = []
    for status in snapshot.network.documents:
        if status.document in REGISTRY:
            continue
        close = difflib.get_close_matches(status.document, list(REGISTRY), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        out.append(
            Problem(
                f"documents: document '{status.document}'",
                "error",
                f"no document type is called '{status.document}' ({hint}the types are "
                f"{', '.join(REGISTRY)}); its status would be printed on no cover",
            )
        )
    return out


def unwritten_narratives(settings: Settings, snapshot: Snapshot) -> list[Problem]:
    """Every narrative section a cluster coordinator has not written for the edition's
    reporting period (:func:`~pipeline.documents.progress_report.missing_sections`), one
    problem each: ``narratives.csv:4:impact: cluster africa, period 2025-26: 'Impact' is not
    written ...``."""
    from ..documents.progress_report import missing_sections, writer_of

    data = snapshot.network
    meeting = settings.meeting_date or data.network.meeting.date
    missing = missing_sections(data, meeting, settings.period)
    if not missing:
        return []
    place = narrative_places(snapshot)
    recorded = {p.id for p in data.periods}
    out = []
    for cluster, period, heading in missing:
        column = next(name for name, h in NARRATIVE_SECTIONS if h == heading)
        where, has_row = place(cluster.id, period, column)
        writer = writer_of(cluster)
        fix = (
            f"the {writer} writes it in column {column}"
            if has_row
            else f"no narrative of this cluster for this period yet: add a row with cluster "
            f"{cluster.id}, period {period} and the text of each section"
            + ("" if period in recorded else f", after recording the period {period} "
               "(id, start, end) in periods.csv")
        )  # fmt: skip
        out.append(
            Problem(
                where,
                "warning",
                f"cluster {cluster.id}, period {period}: '{heading}' is not written ({fix}; "
                "netdocs build drafts it as not written yet)",
                rule=UNFINISHED,
            )
        )
    return out


def narrative_places(snapshot: Snapshot) -> Callable[[str, str, str], tuple[str, bool]]:
    """``(cluster, period, column)`` -> where that narrative's cell is (``narratives.csv:4:
    impact`` for a folder; the table, cluster, period and column for other sources) and
    whether the source has a row for it."""
    source = snapshot.source
    folder = Path(source)
    if "://" not in source and folder.is_dir():
        from ..network.sources.folder import read_csv_table
        from ..network.tables import NARRATIVES

        path = folder / f"{NARRATIVES.name}.csv"
        read: list[Problem] = []
        table = read_csv_table(path, NARRATIVES, read) if path.is_file() else None
        if table is not None:
            rows = table.rows
            at = table.place

            def in_csv(cluster: str, period: str, column: str) -> tuple[str, bool]:
                index = next(
                    (i for i, r in enumerate(rows)
                     if r.get("cluster") == cluster and r.get("period") == period),
                    None,
                )  # fmt: skip
                return (at(index, column), True) if index is not None else (at(None, None), False)

            return in_csv
    recorded = {(n.cluster, n.period) for n in snapshot.network.narratives}
    is_folder = "://" not in source and folder.is_dir()

    def elsewhere(cluster: str, period: str, column: str) -> tuple[str, bool]:
        has_row = (cluster, period) in recorded
        if is_folder:  # no narratives.csv yet
            return "narratives.csv", has_row
        cell = f", column {column}" if has_row else ""
        return f"{source} (narratives table, cluster {cluster}, period {period}{cell})", has_row

    return elsewhere


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
