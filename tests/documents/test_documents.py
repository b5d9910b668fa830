"""The four documents of the bundled project: structure, tables, values, charts, sources."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from pipeline.documents.action_plan import period
from pipeline.documents.build import Built
from pipeline.documents.common import Inputs
from pipeline.network.figures import in_plan, number_text
from tests.documents.conftest import headings
from tests.documents.test_action_plan import HEADINGS as action_plan_headings
from tests.documents.test_progress_report import HEADINGS as progress_headings
from tests.documents.test_strategy import STRATEGY as strategy_headings

STRATEGY = strategy_headings
ACTION_PLAN = action_plan_headings
HANDBOOK = [
    "Introduction",
    "How to use this handbook",
    "The roadmap in seven steps",
    "Roles in the network",
    "Guiding principles",
    "The value added of clusters",
    "Online services and operating procedures",
    "Glossary",
    "Network directory",
    "What changed since the last edition",
    "Sources",
]
PROGRESS = progress_headings


def body_headings(path: Path) -> list[str]:
    found = headings(path)
    return found[found.index(next(h for h in found if h != "Contents")) :] if found else []


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("strategy", STRATEGY),
        ("action-plan", ACTION_PLAN),
        ("handbook", HANDBOOK),
        ("progress-report:africa", PROGRESS),
        ("action-plan:africa", ACTION_PLAN),
    ],
)
def test_headings_in_order(built: dict[str, Built], key: str, expected: list[str]) -> None:
    assert headings(built[key].path) == expected


def tables_after(doc: Any, title: str) -> list[Any]:
    """Tables between the Heading 2 ``title`` and the next heading of level 1 or 2."""
    body = doc.element.body
    out, inside = [], False
    for child in body.iterchildren():
        tag = child.tag.split("}")[1]
        if tag == "p":
            style = child.find(".//{*}pStyle")
            name = (
                style.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
                if style is not None
                else ""
            )
            text = "".join(t.text or "" for t in child.iter("{*}t"))
            if name in ("Heading1", "Heading2"):
                inside = text == title
        elif tag == "tbl" and inside:
            from docx.table import Table

            out.append(Table(child, doc))
    return out


def test_action_plan_tables_hold_every_activity_of_each_aspiration(
    built: dict[str, Built], project: Any
) -> None:
    settings, kb, snapshot, _ = project
    data = snapshot.network
    inputs = Inputs(kb, snapshot, settings, Path("t.docx"))
    first, last = period(inputs)
    doc = Document(str(built["action-plan"].path))
    for n, aspiration in enumerate(data.strategy.aspirations, 1):
        expected = [
            a
            for a in data.activities
            if a.aspiration == aspiration.id and in_plan(a, first, last, inputs.today)
        ]
        tables = tables_after(doc, f"Aspiration {n}: {aspiration.title}")
        rows = [r for t in tables for r in t.rows[1:]]
        assert len(rows) == len(expected), aspiration.title
        assert {r.cells[0].text.split()[0] for r in rows} == {a.id for a in expected}


def test_per_cluster_action_plan_has_only_that_clusters_activities(
    built: dict[str, Built], project: Any
) -> None:
    _, _, snapshot, _ = project
    ids = {a.id for a in snapshot.network.activities}
    africa = {a.id for a in snapshot.network.activities if a.cluster == "africa"}
    text = " ".join(
        c.text
        for t in Document(str(built["action-plan:africa"].path)).tables
        for r in t.rows
        for c in r.cells
    )
    found = set(re.findall(r"\bact-\d+\b", text)) & ids
    assert found and found <= africa
    assert "coordinated by" in Document(str(built["action-plan:africa"].path)).paragraphs[
        4
    ].text or any(
        "coordinated by" in p.text
        for p in Document(str(built["action-plan:africa"].path)).paragraphs[:8]
    )


def test_progress_report_member_table_has_every_member(
    built: dict[str, Built], project: Any
) -> None:
    _, _, snapshot, _ = project
    cluster = next(c for c in snapshot.network.clusters if c.id == "africa")
    doc = Document(str(built["progress-report:africa"].path))
    members = next(t for t in doc.tables if t.rows[0].cells[0].text == "Member institution")
    assert len(members.rows) - 1 == len(cluster.members)


def test_strategy_kpi_current_values_equal_the_data(built: dict[str, Built], project: Any) -> None:
    settings, kb, snapshot, _ = project
    doc = Document(str(built["strategy"].path))
    kpi_rows = {  # the results framework: aspiration and objective rows span the table
        r.cells[0].text: r.cells[2].text.replace("\u00a0", " ")
        for t in doc.tables
        if t.rows[0].cells[0].text == "Indicator"
        for r in t.rows[1:]
        if r.cells[1]._tc is not r.cells[0]._tc and r.cells[1].text.strip()
    }
    values = Inputs(kb, snapshot, settings, Path("x")).fig.kpis
    assert len(kpi_rows) == len(values)
    for v in values:
        assert v.current is not None
        assert kpi_rows[v.name] == number_text(v.current, v.unit), v.name


def test_membership_table_counts(built: dict[str, Built], project: Any) -> None:
    _, _, snapshot, _ = project
    doc = Document(str(built["strategy"].path))
    regions = next(t for t in doc.tables if t.rows[0].cells[0].text == "Region")
    *rows, total = regions.rows[1:]
    assert total.cells[0].text == "All regions"
    assert sum(int(r.cells[2].text) for r in rows) == len(snapshot.network.organisations)
    assert int(total.cells[2].text) == len(snapshot.network.organisations)
    assert int(total.cells[1].text) == sum(int(r.cells[1].text) for r in rows)


def images(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode()
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
    alts = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert len(media) >= len(alts) > 0 or not alts
    return alts


def test_charts_are_embedded_with_alt_text(built: dict[str, Built]) -> None:
    strategy = images(built["strategy"].path)
    assert any(a.startswith("Bar chart of member institutions per region") for a in strategy)
    assert any(a.startswith("Bar chart of member institutions per cluster") for a in strategy)
    plan = images(built["action-plan"].path)
    assert any(a.startswith("Gantt chart of") for a in plan)
    assert any(a.startswith("Bar chart of budget per funding source") for a in plan)
    assert any(
        a.startswith("Bar chart of activities")
        for a in images(built["progress-report:africa"].path)
    )


def test_sources_appendix_lists_every_article_used(built: dict[str, Built], project: Any) -> None:
    _, kb, snapshot, _ = project
    for key, result in built.items():
        doc = Document(str(result.path))
        listed = {
            r.cells[0].text
            for t in doc.tables
            if t.rows[0].cells[0].text == "Id"
            for r in t.rows[1:]
        }
        assert listed == set(result.articles), key
        text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        assert snapshot.sha256 in text.replace("\n", "")
    handbook = set(built["handbook"].articles)
    for kind in ("roadmap-step", "role", "principle", "lesson", "practice", "glossary"):
        assert {a.id for a in kb.of_type(kind)} <= handbook, kind


def test_lessons_and_practices_follow_their_step(built: dict[str, Built], project: Any) -> None:
    _, kb, _, _ = project
    order = [
        p.text
        for p in Document(str(built["handbook"].path)).paragraphs
        if p.style is not None and p.style.name.startswith("Heading")
    ]
    steps = {a.meta.step[0]: a.title for a in kb.of_type("roadmap-step")}
    for a in kb.of_type("lesson") + kb.of_type("practice"):
        first = min(a.meta.step)
        position = order.index(a.title)
        step_at = order.index(steps[first])
        next_step = (
            order.index(steps[first + 1]) if first < 7 else order.index("Roles in the network")
        )
        assert step_at < position < next_step, a.title


def test_no_none_and_consistent_formats(built: dict[str, Built]) -> None:
    for key, result in built.items():
        doc = Document(str(result.path))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        assert "None" not in cells and "" not in [c for c in cells[1:] if c is None], key
        text = "\n".join(cells)
        assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", text), "dates are ISO"
        for amount in re.findall(r"\b(?:EUR|USD) ([\d,]+)", text):
            assert re.fullmatch(r"\d{1,3}(,\d{3})*", amount), amount


def test_two_builds_are_byte_identical(
    built: dict[str, Built], project: Any, tmp_path: Path
) -> None:
    from pipeline.documents.build import build_document

    settings, kb, snapshot, _ = project
    again = build_document("strategy", settings, kb, snapshot, output=tmp_path / "s.docx")
    assert again.path.read_bytes() == built["strategy"].path.read_bytes()


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install "
    "--no-install-recommends libreoffice-writer-nogui",
)
def test_every_document_converts_to_pdf(built: dict[str, Built], tmp_path: Path) -> None:
    files = [str(b.path) for b in built.values()]
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *files,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for b in built.values():
        pdf = tmp_path / (b.path.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 10_000, pdf
        text = (
            subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            if shutil.which("pdftotext")
            else ""
        )
        if text:
            assert "Sources" in text and "Global VET Network of Networks" in text


def test_today_is_the_editions_as_of_date(project: Any) -> None:
    settings, kb, snapshot, _ = project
    assert settings.as_of is not None  # the bundled netdocs.toml sets it
    assert Inputs(kb, snapshot, settings, Path("x")).today == settings.as_of
    assert snapshot.read_at.date() == date(2026, 9, 21)  # the read time does not matter
    unset = replace(settings, as_of=None)
    assert Inputs(kb, snapshot, unset, Path("x")).today == date(2026, 9, 21)
