"""The handbook: principles in the network's own order, the roadmap figure once, the sources
page as the article it is, the how-to-use part, and where the handbook holds each article (for
the cross-references of the other documents). Tested on the document's context and model, not
on rendered pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from pipeline.documents.articles import article_block
from pipeline.documents.common import Inputs, Plan
from pipeline.documents.handbook import DOCUMENT, section_of, where_in_handbook
from pipeline.kb.model import in_listing_order
from pipeline.kb.reader import read_kb
from pipeline.render import MarkdownBlock
from pipeline.render.model import docx_model, part_blocks, web_model
from tests.conftest import article

SLIDES = (
    ("principle-incentives-for-participation",
     "provide incentives for participation and contribution"),
    ("principle-build-on-existing-networks", "benefit and build on existing networks"),
    ("principle-avoid-bureaucracy", "avoid further layers of bureaucracy"),
    ("principle-flexibility", "avoid rigid process, build in flexibility"),
    ("principle-associate-states-with-clusters", "associate states with clusters"),
    ("principle-inter-cluster-coordination", "inter-cluster coordination"),
    ("principle-voluntary-participation", "voluntary participation"),
    ("principle-integration-across-levels",
     "enhance integration between international, regional, national and local levels"),
)  # fmt: skip
"""The guiding principles of the thematic clustering slides (Working Group 3), in their order,
with the words of each the KB title keeps."""


@pytest.fixture(scope="module")
def inputs(project: Any) -> Inputs:
    settings, kb, snapshot, _out = project
    return Inputs(kb, snapshot, settings, Path("handbook.docx"))


@pytest.fixture(scope="module")
def plan(inputs: Inputs) -> Plan:
    return DOCUMENT.make(inputs)


def _blocks(plan: Plan, part: str) -> list[MarkdownBlock]:
    return part_blocks(plan.context[part])


def test_the_principles_are_in_the_order_of_the_thematic_clustering_slides(plan: Plan) -> None:
    assert [b.name for b in _blocks(plan, "principles")] == [i for i, _w in SLIDES]


def test_every_principle_of_the_slides_is_in_the_kb_faithfully(project: Any) -> None:
    _settings, kb, _snapshot, _out = project
    principles = {a.id: a for a in kb.of_type("principle")}
    assert set(principles) == {i for i, _w in SLIDES}  # no principle missing, none added
    for n, (ident, words) in enumerate(SLIDES, 1):
        assert principles[ident].meta.order == n, ident
        assert words in principles[ident].title.lower(), ident


def test_articles_are_listed_by_order_then_title(write_kb: Any) -> None:
    root = write_kb(
        {
            "principles/a.md": article("a", "principle", "order: 2\n"),
            "principles/b.md": article("b", "principle", "order: 1\n"),
            "principles/c.md": article("c", "principle"),  # none: after those with one
            "principles/d.md": article("d", "principle", "order: 3\n"),
        }
    )
    kb = read_kb(root)
    assert [a.id for a in in_listing_order(kb.of_type("principle"))] == ["b", "a", "d", "c"]


def _images(plan: Plan) -> list[tuple[str, str]]:
    """(block, image path) of every Markdown image of the handbook's context."""
    out = []
    for part in DOCUMENT.parts:
        for block in part_blocks(plan.context.get(part.name)):
            for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", block.text):
                out.append((block.name, src))
    return out


def test_the_roadmap_figure_appears_once_at_the_start_of_the_roadmap(plan: Plan) -> None:
    figures = [(name, src) for name, src in _images(plan) if src.endswith("roadmap.png")]
    assert figures == [("step-1-baseline", "../images/roadmap.png")]
    assert _blocks(plan, "roadmap")[0].name == "step-1-baseline"


def test_the_sources_page_keeps_its_headings_links_and_disclaimer(plan: Plan) -> None:
    (block,) = _blocks(plan, "sources")
    text = block.text
    assert block.anchor == "pages/sources.md"  # links to the page land on it
    for heading in ("# Sources of this handbook", "## Documents used", "## Our own experience",
                    "# Knowledge-base articles used", "# Network data"):  # fmt: skip
        assert f"\n{heading}\n" in f"\n{text}", heading
    assert text.index("## Our own experience") < text.index("# Knowledge-base articles used")
    assert "their material has been reworked, and any errors are ours" in text
    assert re.search(r"^\[\^1\]: Addresses of the network's online services", text, re.M)
    assert "[cluster coordinator](../roles/cluster-coordinator.md)" in text
    assert block.resolve("../roles/cluster-coordinator.md") == "roles/cluster-coordinator.md"


def test_in_the_web_model_the_sources_page_links_inside_the_handbook(plan: Plan) -> None:
    from pipeline.render.bookmarks import bookmark_name

    model = web_model(plan.context, DOCUMENT.parts)
    links: list[str] = []
    notes: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("t") == "Link":
                links.append(node["c"][2][0])
            if node.get("t") == "Note":
                notes.append(node)
            walk(node.get("c"))

    walk(model.doc["blocks"])
    assert "#" + bookmark_name("roles/cluster-coordinator.md") in links
    assert "#" + bookmark_name("pages/sources.md") in links  # the introduction's link to it
    assert all(link[1:] in model.ids for link in links if link.startswith("#"))
    assert notes  # the disclaimer is a footnote


def test_how_to_use_comes_after_the_introduction_without_repeating_its_title(plan: Plan) -> None:
    names = [p.name for p in DOCUMENT.parts]
    assert names[names.index("introduction") + 1] == "how_to_use"
    part = DOCUMENT.parts[names.index("how_to_use")]
    assert part.heading == "How to use this handbook"
    (block,) = _blocks(plan, "how_to_use")
    assert block.anchor == "pages/how-to-use-this-handbook.md"
    assert not block.text.startswith("# ") and block.heading_offset == 0  # ## -> Heading 2
    headings = re.findall(r"^## (.+)$", block.text, re.M)
    assert headings == ["Who it is for", "How it is organised", "How to find things",
                        "How it is kept up to date"]  # fmt: skip
    for role in ("secretariat", "focal-point", "cluster-coordinator", "centre-coordinator",
                 "convener"):  # fmt: skip
        assert f"(../roles/{role}.md)" in block.text, role
    assert "netdocs search" in block.text
    assert "roadmap.png" not in block.text


def test_where_the_handbook_holds_each_kind_of_article(project: Any, write_kb: Any) -> None:
    _settings, kb, _snapshot, _out = project
    by_id = kb.by_id()
    expected = {
        "lesson-renewals-forgotten": "Lessons learned for step 7",
        "practice-renewal-calendar": "Good practices for step 7",
        "practice-welcome-pack": "Good practices for step 3",  # steps 3 and 4: the first
        "step-6-action-plans": by_id["step-6-action-plans"].title,
        "convener": "Roles in the network",
        "principle-flexibility": "Guiding principles",
        "glossary-kpi": "Glossary",
        "sources": "Sources",
        "how-to-use-this-handbook": "How to use this handbook",
        "online-services": "Online services and operating procedures",
    }  # fmt: skip
    assert {i: section_of(by_id[i]) for i in expected} == expected
    assert where_in_handbook(by_id["lesson-renewals-forgotten"]) == (
        "(handbook, section 'Lessons learned for step 7')"
    )
    (other,) = read_kb(write_kb({"pages/other.md": article("other")})).articles
    assert section_of(other) is None and where_in_handbook(other) is None  # not printed


def test_a_document_without_the_target_names_the_handbook_section(project: Any) -> None:
    settings, kb, snapshot, _out = project
    inputs = Inputs(kb, snapshot, settings, Path("strategy.docx"))
    step = inputs.kb.get("step-7-monitoring-renewal")
    assert step is not None
    block = article_block(inputs, step, 2)
    model = docx_model([block])  # a document holding this step alone
    words: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("t") == "Str":
                words.append(node["c"])
            elif node.get("t") in ("Space", "SoftBreak"):
                words.append(" ")
            else:
                walk(node.get("c"))

    walk(model.doc["blocks"])
    text = "".join(words)
    assert "renewals forgotten (handbook, section 'Lessons learned for step 7')" in text
    assert "[Secretariat](../roles/secretariat.md)" in step.body
    assert "Secretariat (handbook, section 'Roles in the network')" in text
    # only the targets were read: the document's rebuild key names them, not the whole KB
    read = inputs.dependencies()
    assert "lesson-renewals-forgotten" in read.articles and "all" not in read.listings
