"""One set of figures for the whole edition: every document, and ``data summary``, prints the
value of the edition's :class:`~pipeline.network.figures.Figures` wherever it prints a label.

The figures are computed here from the published project's own settings and data (the as-of
date comes from its ``netdocs.toml``), then every table row of every built document whose
first cell is a figure's label (or a KPI's name) is compared with it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.documents.common import edition_figures
from pipeline.network import load_network
from pipeline.network.figures import Figures, number_text
from tests.edition.conftest import Edition
from tests.edition.docx_tables import parse_amounts, read_tables


def _project(edition: Edition) -> Path:
    return next(p for p in edition.folder.parents if (p / "kb").is_dir())


@pytest.fixture(scope="module")
def figures(edition: Edition) -> Figures:
    root = _project(edition)
    settings = load_settings(cwd=root)
    return edition_figures(settings, load_network(settings.data))


Printed = dict[str, list[tuple[str, str]]]


def _rows(edition: Edition, header: str | None) -> Printed:
    """First cell -> [(where, rest of the row)] over the tables of every document: the
    two-column tables of labels and values (``header`` None), or the tables whose first
    column is headed ``header``."""
    rows: Printed = defaultdict(list)
    for path in edition.docx:
        for t in read_tables(path):
            if (header is None and len(t.header) != 2) or (header and t.header[0] != header):
                continue
            for i, row in enumerate(t.rows[1:], 1):
                cells = [c.text for c in row]
                where = f"{edition.name(path)} {t.where(i)}"
                rows[cells[0]].append((where, " | ".join(cells[1:])))
    return rows


@pytest.fixture(scope="module")
def printed(edition: Edition) -> Printed:
    return _rows(edition, None)


def _labelled(printed: Printed, label: str) -> list[tuple[str, str]]:
    """Rows whose first cell is ``label`` or ``label`` followed by a period (``… 2026–2027``)."""
    pattern = re.compile(re.escape(label) + r"(?: \d{4}–\d{4})?")
    return [hit for first, hits in printed.items() if pattern.fullmatch(first) for hit in hits]


def _same(printed: str, text: str) -> bool:
    """Equal as printed, or the same amount printed with cents (``EUR 5`` = ``EUR 5.00``)."""
    if printed == text:
        return True
    a, b = parse_amounts(printed), parse_amounts(text)
    return bool(a and b and len(a) == len(b) == 1 and a[0] == b[0])


def test_every_label_prints_the_figures_value(figures: Figures, printed: Printed) -> None:
    wrong = []
    seen = 0
    for figure in figures.network.values():
        for where, value in _labelled(printed, figure.label):
            seen += 1
            if not _same(value, figure.text):
                wrong.append(f"{where}: {figure.label} = {value!r}, the figure is {figure.text!r}")
    assert not wrong, "\n".join(wrong)
    assert seen >= 8, "the strategy's table at a glance prints most network figures"


def test_the_activities_in_the_plan_agree_between_strategy_and_action_plan(
    figures: Figures, printed: Printed, edition: Edition
) -> None:
    plan = figures.plan()
    label = f"Activities in the action plan {plan.first.year}–{plan.last.year}"
    hits = printed[label]
    documents = {where.split(" ", 1)[0] for where, _ in hits}
    assert {"strategy.docx", "action-plan.docx"} <= documents, hits
    network_level = [v for w, v in hits if not w.startswith("clusters/")]
    assert set(network_level) == {figures["activities-in-plan"].text}


def test_kpis_print_the_same_values_everywhere(figures: Figures, edition: Edition) -> None:
    printed = _rows(edition, "Indicator")
    for kpi in figures.kpis:
        assert kpi.current is not None
        current = number_text(kpi.current, kpi.unit)
        hits = printed[kpi.name]
        assert hits, f"KPI {kpi.name!r} is printed nowhere"
        for where, rest in hits:
            cells = rest.split(" | ")
            # the strategy: Baseline → target | Current | ...; a progress report:
            # Baseline → target | Network | This cluster [| Cluster's share]
            assert cells[1] == current, f"{where}: {rest}"


def test_clusters_print_the_same_members_everywhere(figures: Figures, edition: Edition) -> None:
    printed = _rows(edition, "Cluster")
    for cluster in figures.clusters.values():
        rows = printed[cluster.name]
        assert rows, f"{cluster.name} is in no members-per-cluster table"
        for where, rest in rows:
            *_, active, every = rest.split(" | ")
            assert (active, every) == (str(cluster.active_members), str(cluster.members)), where
        report = edition.folder / "clusters" / f"progress-report-{cluster.id}.docx"
        if report.is_file():
            from docx import Document

            text = "\n".join(p.text for p in Document(str(report)).paragraphs)
            said = re.search(r"It has (\d+) member institutions \((\d+) active\)", text)
            assert said, f"{report.name} does not say how many members the cluster has"
            assert said.groups() == (str(cluster.members), str(cluster.active_members))


def test_data_summary_prints_the_documents_figures(edition: Edition, figures: Figures) -> None:
    root = _project(edition)
    run = subprocess.run(
        [sys.executable, "-m", "pipeline", "data", "summary"],
        cwd=root, capture_output=True, text=True, check=True,
        env={"COLUMNS": "200", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    for figure in figures.network.values():
        line = next((ln for ln in run.stdout.splitlines() if f" {figure.label} " in ln), None)
        assert line is not None, f"data summary does not print {figure.label!r}"
        assert re.search(rf"│\s+{re.escape(figure.text)} │", line), line
    for kpi in figures.kpis:
        assert kpi.progress is not None
        line = next(ln for ln in run.stdout.splitlines() if f"{kpi.name} ({kpi.id})" in ln)
        assert number_text(kpi.progress, "%") in line, line
    exact = subprocess.run(
        [sys.executable, "-m", "pipeline", "data", "summary", "--json"],
        cwd=root, capture_output=True, text=True, check=True,
    )  # fmt: skip
    data = json.loads(exact.stdout)
    by_name = {f["name"]: f for f in data["figures"]}
    assert by_name["budget-in-plan"]["value"] == str(figures["budget-in-plan"].value)
    assert by_name["member-participation"]["value"] == str(figures["member-participation"].value)
    assert data["as_of"] == figures.as_of.isoformat()
