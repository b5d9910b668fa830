"""Publish refuses while a cluster's progress-report narrative is not written for the edition's
period, naming the cluster and the section at its cell; build drafts it and warns."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from pipeline.errors import UNFINISHED, ValidationError
from pipeline.publish.run import publish
from tests.conftest import run

MISSING = "cluster africa, period 2025-26: 'Impact' is not written"


def _empty_impact(root: Path) -> str:
    """Empty the africa cluster's 2025-26 'Impact' cell; its place (``narratives.csv:N:impact``)."""
    path = root / "kb" / "network" / "narratives.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    n = next(i for i, r in enumerate(rows) if r[:2] == ["africa", "2025-26"])
    rows[n][header.index("impact")] = "  "
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return f"narratives.csv:{n + 1}:impact"  # the reader numbers rows (cells span lines)


def _fresh_template(root: Path) -> None:
    """The progress report's template made from its current parts (the build's concern here is
    the narrative, not whether templates/ was regenerated)."""
    from pipeline.documents.progress_report import DOCUMENT
    from pipeline.render.template_factory import build_template

    (root / "templates" / DOCUMENT.template).write_bytes(build_template(DOCUMENT.design))


def test_a_missing_narrative_section_stops_publish_and_build_drafts_it(project: Any) -> None:
    at = _empty_impact(project.root)
    with pytest.raises(ValidationError) as info:
        publish(project, formats=("docx",))
    listed = [p for p in info.value.problems if MISSING in p.message]
    assert [(p.where, p.level, p.rule) for p in listed] == [(at, "error", UNFINISHED)]
    assert not (project.outputs / project.edition).exists()
    result = run("publish", "--formats", "docx")
    assert result.exit_code == 1
    assert f"  {at}: error: {MISSING}" in result.output
    assert not (project.outputs / project.edition).exists()
    _fresh_template(project.root)
    drafted = run("build", "progress-report", "--cluster", "africa")
    assert drafted.exit_code == 0, drafted.output
    assert f"warning: {at}: {MISSING}" in drafted.stderr
    assert "drafted anyway" in drafted.stderr
    from docx import Document

    doc = Document(str(project.outputs / "drafts" / "clusters" / "progress-report-africa.docx"))
    text = [p.text for p in doc.paragraphs]
    impact = next(i for i, p in enumerate(doc.paragraphs) if p.text == "Impact"
                  and p.style is not None and p.style.name == "Heading 2")  # fmt: skip
    assert text[impact + 1].startswith("Not written yet: the cluster coordinator has not")


def test_a_cluster_without_a_narrative_is_listed_section_by_section(project: Any) -> None:
    path = project.root / "kb" / "network" / "narratives.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    kept = [r for r in rows if r[:2] != ["africa", "2025-26"]]
    assert len(kept) == len(rows) - 1
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(kept)
    path.write_text(out.getvalue(), encoding="utf-8")
    result = run("publish", "--formats", "docx")
    assert result.exit_code == 1
    headings = ("Achievements", "Impact", "Challenges", "Lessons learned", "Next steps")
    for heading in headings:
        assert (
            f"  narratives.csv: error: cluster africa, period 2025-26: '{heading}' is not "
            "written (no narrative of this cluster for this period yet: add a row"
        ) in result.output
    assert not (project.outputs / project.edition).exists()
