"""The strategy: its parts in order, results framework, risks, no handbook text, cover."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.config import Settings
from pipeline.documents.build import Built
from pipeline.documents.common import Inputs, Plan
from pipeline.documents.strategy import DOCUMENT, RESULTS_HEADERS, RISK_HEADERS
from pipeline.errors import KBError
from pipeline.network.model import DocumentStatus
from pipeline.network.snapshot import Snapshot
from pipeline.render import MarkdownBlock, Picture
from tests.documents.conftest import headings

STRATEGY = [
    "Foreword",
    "Executive summary",
    "Vision and mission",
    "The four aspirations",
    "Results framework",
    "Governance in brief",
    "Monitoring and evaluation",
    "Risks to the strategy",
    "Membership overview",
    "Sources",
]
"""The strategy's Heading 1s, in order (the bundled network has four aspirations)."""


def make(project: Any, snapshot: Snapshot | None = None, settings: Settings | None = None) -> Plan:
    bundled, kb, snap, _ = project
    settings = settings or bundled
    inputs = Inputs(kb, snapshot or snap, settings, settings.templates / "strategy.docx")
    return DOCUMENT.make(inputs)


@pytest.fixture(scope="module")
def plan(project: Any) -> Plan:
    return make(project)


def text_of(plan: Plan, part: str) -> str:
    value = plan.context[part]
    assert isinstance(value, MarkdownBlock), part
    return value.text


def level_one(plan: Plan) -> list[str]:
    """The Heading 1s the parts print: each part's heading, and the ``#`` headings of a block
    whose headings are not shifted."""
    found: list[str] = []
    for part in DOCUMENT.parts:
        if part.heading:
            found.append(part.heading)
        value = plan.context[part.name]
        if isinstance(value, MarkdownBlock) and value.heading_offset == 0:
            found += re.findall(r"^# (.+)$", value.text, re.MULTILINE)
    return found


def table_rows(markdown: str, first_header: str) -> list[list[str]]:
    """The body rows of the pipe table whose first header cell is ``first_header``."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in line.strip().strip("|").split(" | ")])
    return rows


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u00a0", " ")


def test_headings_in_order(plan: Plan) -> None:
    assert level_one(plan) == STRATEGY


def test_aspirations_heading_counts_them(project: Any) -> None:
    _, _, snapshot, _ = project
    data = snapshot.network
    three = data.model_copy(
        update={"strategy": data.strategy.model_copy(
            update={"aspirations": data.strategy.aspirations[:3]})}
    )  # fmt: skip
    plan = make(project, Snapshot.of(three, "test"))
    assert "The three aspirations" in level_one(plan)


def test_results_framework_has_one_row_per_kpi_with_owner_source_and_frequency(
    plan: Plan, project: Any
) -> None:
    _, _, snapshot, _ = project
    data = snapshot.network
    rows = table_rows(text_of(plan, "results"), RESULTS_HEADERS[0])
    kpi_rows = [r for r in rows if r[1]]  # aspirations' and objectives' rows have no values
    kpis = [k for a in data.strategy.aspirations for k in a.kpis]
    assert len(kpi_rows) == len(kpis) == 8
    by_name = {plain(r[0]).split(" (")[0]: r for r in kpi_rows}
    orgs = {o.id: o.name for o in data.organisations}
    for kpi in kpis:
        row = by_name[kpi.name]
        reported = plain(row[3])
        assert kpi.owner and kpi.source and kpi.frequency
        owner = orgs.get(kpi.owner) or kpi.owner.replace("-", " ").capitalize()
        assert reported.startswith(f"**{owner}**: {kpi.source}, "), reported
        assert kpi.frequency.replace("-", " ").split()[0] in reported.lower()
    # each KPI sits under the objective it measures, under its aspiration
    heads = [plain(r[0]) for r in rows]
    at = heads.index("Share of active members taking part in a cluster activity")
    objectives = [h for h in heads[:at] if h.startswith("*Objective")]
    aspirations = [h for h in heads[:at] if h.startswith("**Aspiration")]
    assert objectives[-1].startswith("*Objective 4.2: Involve every member")
    assert aspirations[-1] == "**Aspiration 4: A strong network of networks**"


def test_results_framework_falls_back_to_the_aspirations_objectives(project: Any) -> None:
    _, _, snapshot, _ = project
    data = snapshot.network
    first = data.strategy.aspirations[0]
    unlinked = first.model_copy(
        update={"kpis": [k.model_copy(update={"objective": None}) for k in first.kpis]}
    )
    changed = data.model_copy(
        update={"strategy": data.strategy.model_copy(
            update={"aspirations": [unlinked, *data.strategy.aspirations[1:]]})}
    )  # fmt: skip
    rows = table_rows(text_of(make(project, Snapshot.of(changed, "t")), "results"), "Indicator")
    heads = [plain(r[0]) for r in rows]
    assert "*Objectives 1.1 and 1.2 together*" in heads
    assert len([r for r in rows if r[1]]) == 8


def test_risks_are_sorted_by_score(plan: Plan, project: Any) -> None:
    _, _, snapshot, _ = project
    risks = snapshot.network.risks
    rows = table_rows(text_of(plan, "risks"), RISK_HEADERS[0])
    assert len(rows) == len(risks) > 1
    scores = [int(re.match(r"\*\*(\d+)\*\*", r[1]).group(1)) for r in rows]  # type: ignore[union-attr]
    assert scores == sorted((r.score for r in risks), reverse=True)
    top = max(risks, key=lambda r: r.score)
    assert plain(rows[0][0]).startswith(top.risk)
    assert rows[0][1] == f"**{top.score}** ({top.likelihood}\u00a0×\u00a0{top.impact})"


@pytest.mark.parametrize("text", ["How to apply it", "Pitfalls", "Next step:", "Checklist",
                                  "this handbook"])  # fmt: skip
def test_no_handbook_text(plan: Plan, text: str) -> None:
    for name, value in plan.context.items():
        blocks = value if isinstance(value, list) else [value]
        for b in blocks:
            if isinstance(b, MarkdownBlock):
                assert text not in plain(b.text), name


def test_no_link_leaves_the_strategy(plan: Plan) -> None:
    for part in DOCUMENT.parts:
        value = plan.context[part.name]
        if isinstance(value, MarkdownBlock):
            assert not re.search(r"\]\((?!#)", value.text), part.name
    assert "see the handbook, section “Roles in the network”" in text_of(plan, "governance")


def test_summary_figures_and_headline_kpis(plan: Plan, project: Any) -> None:
    settings, kb, snapshot, _ = project
    fig = Inputs(kb, snapshot, settings, Path("x")).fig
    summary = plain(text_of(plan, "summary"))
    for name in ("members-active", "countries-active", "partnerships"):
        assert f"| {fig[name].label} | {fig[name].text} |" in summary
    headline = table_rows(text_of(plan, "summary"), "Aspiration")
    firsts = [a.kpis[0] for a in snapshot.network.strategy.aspirations if a.kpis]
    assert [plain(r[1]) for r in headline] == [k.name for k in firsts]


def test_cover_shows_logo_period_and_status(plan: Plan) -> None:
    logo = plan.context["logo"]
    assert isinstance(logo, Picture) and isinstance(logo.source, bytes)
    assert logo.source.startswith(b"\x89PNG") and logo.alt == "VETNoN logo"
    assert plan.context["status"] == "Adopted on 8 October 2025"
    assert plan.context["period"] == "Strategy period 2025–2029"


def test_status_follows_the_data(project: Any) -> None:
    _, _, snapshot, _ = project
    data = snapshot.network
    others = [d for d in data.documents if d.document != "strategy"]
    none = make(project, Snapshot.of(data.model_copy(update={"documents": others}), "t"))
    assert none.context["status"] == "Draft for the annual meeting in Lisbon, 6 October 2026"
    draft = DocumentStatus(document="strategy", status="draft")
    drafted = make(project, Snapshot.of(data.model_copy(update={"documents": [draft]}), "t"))
    assert drafted.context["status"] == none.context["status"]
    adopted = DocumentStatus(document="strategy", status="adopted", adopted=date(2026, 10, 7))
    later = make(project, Snapshot.of(data.model_copy(update={"documents": [adopted]}), "t"))
    assert later.context["status"] == "Adopted on 7 October 2026"


def test_logo_from_templates_first_then_none(project: Any, tmp_path: Path) -> None:
    settings, kb, snapshot, _ = project
    (tmp_path / "logo.png").write_bytes(b"GIF89a" + bytes(20))
    designed = dataclasses.replace(settings, templates=tmp_path)
    inputs = Inputs(kb, snapshot, designed, settings.templates / "strategy.docx")
    context = DOCUMENT.make(inputs).context
    assert context["logo"].source.startswith(b"GIF89a")
    files = inputs.dependencies().files
    assert any(p.endswith("logo.png") and p.startswith("..") for p in files)

    bare = dataclasses.replace(kb, root=tmp_path / "kb")  # no images/logo.png there
    (tmp_path / "logo.png").unlink()
    bare_inputs = Inputs(bare, snapshot, designed, settings.templates / "strategy.docx")
    from pipeline.documents.common import logo

    assert logo(bare_inputs) == ""
    assert bare_inputs.dependencies().files["images/logo.png"] is None

    (tmp_path / "kb" / "images").mkdir(parents=True)
    (tmp_path / "kb" / "images" / "logo.png").write_text("not a picture")
    with pytest.raises(KBError, match=r"images/logo\.png: the logo is not a PNG, JPEG or GIF"):
        logo(Inputs(bare, snapshot, designed, Path("x.docx")))


def test_strategy_docx(built: dict[str, Built]) -> None:
    path = built["strategy"].path
    assert headings(path) == STRATEGY
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode()
    cover = xml[: xml.index('w:type="page"')]  # the cover ends with a page break
    assert re.search(r'<wp:docPr [^>]*descr="VETNoN logo"', cover)
    assert "Adopted on 8 October 2025" in cover and "Strategy period 2025–2029" in cover
    text = re.sub(r"<[^>]+>", "", xml)
    for gone in ("How to apply it", "Pitfalls", "Next step:"):
        assert gone not in text
