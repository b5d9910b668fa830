"""The progress report: its headings, planned versus achieved for the reporting period, the
coordinator's narrative (made safe, a section not written printed as missing)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.documents.common import Inputs
from pipeline.documents.narrative import safe_markdown
from pipeline.documents.progress_report import (
    DOCUMENT,
    ProgressReport,
    missing_sections,
    narrative,
    planned,
)
from pipeline.network.model import NARRATIVE_SECTIONS, Activity, Narrative, reporting_period

HEADINGS = [
    "The cluster and its members",
    "Membership statistics",
    "Planned versus achieved",
    "Narrative",
    "Promising practices",
    "Contribution to the KPIs",
    "Points to follow up",
    "Sources",
]
NARRATIVE = [heading for _, heading in NARRATIVE_SECTIONS]
PERIOD = ("2025-26", date(2025, 10, 1), date(2026, 9, 30))


def _inputs(project: Any, network: Any = None, cluster: str = "africa") -> Inputs:
    settings, kb, snapshot, _ = project
    if network is not None:
        snapshot = replace(snapshot, network=network)
    found = next(c for c in snapshot.network.clusters if c.id == cluster)
    return Inputs(kb, snapshot, settings, Path("progress-report.docx"), cluster=found)


def _headings(markdown: str) -> list[str]:
    return [line.lstrip("#").strip() for line in markdown.splitlines() if line.startswith("#")]


def _with_narrative(project: Any, **sections: str | None) -> Any:
    net = project[2].network
    others = [n for n in net.narratives if not (n.cluster == "africa" and n.period == "2025-26")]
    mine = Narrative(cluster="africa", period="2025-26", **sections)  # type: ignore[arg-type]
    return net.model_copy(update={"narratives": [*others, mine]})


@pytest.fixture(scope="module")
def made(project: Any) -> Any:
    return DOCUMENT.make(_inputs(project)).context


def test_the_edition_reports_on_2025_26(project: Any) -> None:
    period = reporting_period(project[2].network, project[0].meeting_date)
    assert (period.id, period.start, period.end) == PERIOD


def test_headings_are_present_and_in_order(made: Any) -> None:
    assert [s.part.heading for s in DOCUMENT.sections if s.part.heading] == HEADINGS
    assert made["period"] == "Reporting period 2025–26: 1 October 2025 – 30 September 2026"
    assert made["subtitle"] == (
        "Regional cluster of VETNoN, coordinated by Ridgeway Technical College Nairobi"
    )
    assert _headings(made["narrative"].text) == NARRATIVE
    assert _headings(made["membership"].text) == ["New members in 2025–26", "Renewals due"]
    every = [h for s in DOCUMENT.sections for h in [s.part.heading] if h]
    every += [h for s in DOCUMENT.sections if s.part.kind == "block"
              for h in _headings(made[s.part.name].text)]  # fmt: skip
    assert every.count("Next steps") == 1  # the narrative's; the data's are points to follow up


def test_the_docx_has_the_headings_in_order(
    project: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The one real .docx: built with a template made from the current parts."""
    from docx import Document

    from pipeline.documents.build import build_document
    from pipeline.render.template_factory import build_template

    settings, kb, snapshot, _ = project
    folder = tmp_path_factory.mktemp("progress")
    template = folder / "progress-report.docx"
    template.write_bytes(build_template(DOCUMENT.design))
    built = build_document("progress-report", settings, kb, snapshot, cluster="africa",
                           template=template, output=folder / "africa.docx")  # fmt: skip
    doc = Document(str(built.path))
    styled = [(p.style.name, p.text) for p in doc.paragraphs if p.style is not None]
    level1 = [t for s, t in styled if s == "Heading 1" and t != "Contents"]
    assert level1 == HEADINGS
    level2 = [t for s, t in styled if s == "Heading 2"]
    assert level2[level2.index(NARRATIVE[0]) :][: len(NARRATIVE)] == NARRATIVE
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Activity")
    ids = [r.cells[0].text.split(" ", 1)[0] for r in table.rows[1:]]
    net, (_, start, end) = snapshot.network, PERIOD
    assert ids == [a.id for a in sorted(net.activities, key=lambda a: (a.start, a.id))
                   if a.cluster == "africa" and a.start <= end and a.end >= start]  # fmt: skip


def _rows(markdown: str) -> list[str]:
    """The activity ids of the planned-versus-achieved table."""
    lines = markdown.split("# Milestones")[0].splitlines()
    return [re.sub(r"\\(.)", r"\1", ln[2:].split(" ", 1)[0]) for ln in lines
            if ln.startswith("| ") and not ln.startswith(("| Activity", "| ---"))]  # fmt: skip


def test_planned_versus_achieved_is_exactly_the_activities_of_the_period(
    project: Any, made: Any
) -> None:
    net, (_, start, end) = project[2].network, PERIOD
    expected = sorted(
        (a for a in net.activities if a.cluster == "africa" and a.start <= end and a.end >= start),
        key=lambda a: (a.start, a.id),
    )
    assert expected and _rows(made["planned"].text) == [a.id for a in expected]
    base = next(a for a in net.activities if a.cluster == "africa")

    def act(ident: str, first: date, last: date, cluster: str | None = "africa") -> Activity:
        return base.model_copy(update={"id": ident, "start": first, "end": last,
                                       "cluster": cluster})  # fmt: skip

    edges = [
        act("x-ends-on-the-first-day", date(2025, 1, 1), start),
        act("x-starts-on-the-last-day", end, date(2027, 1, 1)),
        act("x-spans-the-period", date(2025, 1, 1), date(2027, 1, 1)),
        act("x-ends-the-day-before", date(2025, 1, 1), date(2025, 9, 30)),
        act("x-starts-the-day-after", date(2026, 10, 1), date(2026, 12, 1)),
        act("x-other-cluster", date(2026, 1, 1), date(2026, 2, 1), "asia-pacific"),
    ]
    state = ProgressReport(_inputs(project, net.model_copy(update={"activities": edges})))
    assert _rows(planned(state).text) == [
        "x-ends-on-the-first-day", "x-spans-the-period", "x-starts-on-the-last-day"
    ]  # fmt: skip
    none = ProgressReport(_inputs(project, net.model_copy(update={"activities": edges[3:]})))
    assert "_The cluster planned no activity for the period._" in planned(none).text


def test_a_section_not_written_is_printed_as_missing(project: Any) -> None:
    missing = (
        "**Not written yet:** the cluster coordinator has not written this section for 2025–26."
    )
    net = _with_narrative(project, achievements="We *did* it.", impact="  ", lessons="Listen.",
                          challenges="Money.", next_steps=None)  # fmt: skip
    text = narrative(ProgressReport(_inputs(project, net))).text
    sections = dict(re.findall(r"^# ([^\n]+)\n\n(.*?)(?=\n\n# |\Z)", text, re.S | re.M))
    assert list(sections) == NARRATIVE
    assert sections["Achievements"] == "We *did* it\\."
    assert sections["Impact"] == sections["Next steps"] == missing
    unwritten = missing_sections(net, date(2026, 10, 6))
    assert [(c.id, p, h) for c, p, h in unwritten] == [
        ("africa", "2025-26", "Impact"), ("africa", "2025-26", "Next steps")
    ]  # fmt: skip
    nothing = net.model_copy(update={"narratives": []})
    text = narrative(ProgressReport(_inputs(project, nothing))).text
    assert text.count(missing) == len(NARRATIVE)
    assert len(missing_sections(nothing, date(2026, 10, 6))) == len(NARRATIVE) * len(net.clusters)


def test_the_bundled_narratives_are_all_written(project: Any, made: Any) -> None:
    assert missing_sections(project[2].network, date(2026, 10, 6)) == []
    assert "Not written yet" not in made["narrative"].text


HOSTILE = """# My own title

Intro with <span onclick="x()">inline HTML</span> and a <b>bold</b> tag.

<div><script>alert('x')</script><img src=x onerror="alert(1)">Raw block text</div>

![a picture](file:///etc/passwd) ![remote](https://evil.example/p.png)

[safe link](https://example.org/a_(b)) [bad](javascript:alert(1)) [local](../roles/x.md)
<https://example.org/auto>

```{=openxml}
<w:p><w:r><w:t>forged</w:t></w:r></w:p>
```

`{=html}` and {.class} and [x]{=openxml} and \\[escaped\\]

###### Deep heading

- item *one*
- item **two**
  1. nested
"""


def test_a_hostile_narrative_is_made_safe() -> None:
    out = safe_markdown(HOSTILE, top=2)
    links = ["[safe link](https://example.org/a_%28b%29)",
             "[https\\:\\/\\/example\\.org\\/auto](https://example.org/auto)"]  # fmt: skip
    assert all(link in out for link in links)
    rest = out
    for link in links:
        rest = rest.replace(link, "")
    # nothing else is markup: no tag, image, link, raw block or attribute survives unescaped
    assert re.findall(r"(?<!\\)[<>\[\]!{}`()]", rest) == []
    assert "<script" not in out and "onerror" not in out and "alert('x')" not in out
    assert [ln for ln in out.splitlines() if ln.startswith("#")] == [
        "## My own title", "### Deep heading"
    ]  # fmt: skip
    assert "Raw block text" in out and "inline HTML" in out and " remote" in out
    assert "\\[bad\\]\\(javascript" in out and "[local]" not in out
    assert "- item *one*\n- item **two**\n  1. nested" in out


def test_a_hostile_narrative_stays_inside_its_section(project: Any) -> None:
    net = _with_narrative(project, achievements=HOSTILE, impact="# Impact\n\nReal impact.",
                          challenges="c", lessons="l", next_steps="n")  # fmt: skip
    text = narrative(ProgressReport(_inputs(project, net))).text
    top = [ln[2:] for ln in text.splitlines() if ln.startswith("# ")]
    assert top == NARRATIVE  # no coordinator's heading at the sections' level
    assert "## Impact\n\nReal impact\\." in text


def test_pandoc_reads_no_raw_content_image_or_attribute_from_a_hostile_narrative() -> None:
    """What the document model is made of: pandoc's AST of the safe Markdown."""
    import json
    import subprocess

    from pipeline.render.pandoc import MARKDOWN_FORMAT, pandoc_path

    out = safe_markdown(HOSTILE + "\n:::{.x}\nfenced\n:::\n\n- [ ] task ~~gone~~ [^1]\n", top=2)
    done = subprocess.run([pandoc_path(), "-f", MARKDOWN_FORMAT, "-t", "json"],
                          input=out.encode(), capture_output=True, check=True)  # fmt: skip
    kinds: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            kinds.add(str(node.get("t")))
            walk(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(json.loads(done.stdout)["blocks"])
    assert not kinds & {"RawBlock", "RawInline", "Image", "Div", "Span", "Note", "Strikeout",
                        "CodeBlock", "Figure", "Table"}  # fmt: skip
    assert {"Header", "Link", "Emph", "Strong", "BulletList", "OrderedList"} <= kinds
