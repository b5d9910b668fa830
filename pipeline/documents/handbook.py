"""The handbook: the model for strategic network building, from the knowledge base.

Each roadmap step is followed by the lessons learned and good practices whose ``step`` names it
(placed by their metadata: an article tied to several steps appears under the first and is
referred to from the others).
"""

from __future__ import annotations

from functools import cached_property

from ..kb.model import Article, KnowledgeBase
from ..render import MarkdownBlock
from .common import (
    Inputs,
    article_block,
    block,
    link_resolver,
    md,
    of_type,
    org_name,
    organisations,
    pick,
    plain_text,
    table,
)
from .parts import State, section, sources_section
from .types import NETWORK, DocumentType


def _at_step(extras: list[Article], n: int, kind: str) -> tuple[list[Article], list[Article]]:
    """Lessons or practices of step ``n``: those placed here (their first step) and those
    placed under an earlier step."""
    here = [a for a in extras if a.type == kind and n in a.meta.step]
    return ([a for a in here if min(a.meta.step) == n],
            [a for a in here if min(a.meta.step) != n])  # fmt: skip


def _steps_and_extras(kb: KnowledgeBase) -> tuple[list[Article], list[Article]]:
    steps = sorted(of_type(kb, "roadmap-step"), key=lambda a: a.meta.step)
    return steps, of_type(kb, "lesson") + of_type(kb, "practice")


def roadmap_blocks(inputs: Inputs) -> list[MarkdownBlock]:
    steps, extras = _steps_and_extras(inputs.kb)
    blocks: list[MarkdownBlock] = []
    for step in steps:
        n = step.meta.step[0]
        blocks.append(article_block(inputs, step, 2))
        for kind, label in (("lesson", "Lessons learned"), ("practice", "Good practices")):
            placed, elsewhere = _at_step(extras, n, kind)
            if not placed and not elsewhere:
                continue
            blocks.append(block(f"# {label} for step {n}", f"step-{n}-{kind}", level=3))
            blocks += [article_block(inputs, a, 4) for a in placed]
            if elsewhere:
                links = ", ".join(f"[{md(a.title)}]({a.path})" for a in elsewhere)
                blocks.append(
                    MarkdownBlock(
                        f"See also, under an earlier step: {links}.",
                        links=_root_links,
                        name=f"step-{n}-{kind}-see",
                    )
                )
    return blocks


def _root_links(href: str) -> str | None:
    """Links written with KB-root paths (generated text)."""
    return href


def glossary(inputs: Inputs, terms: list[Article]) -> MarkdownBlock:
    """The glossary terms (sorted) as one definition list."""
    if not terms:
        return block("_The glossary is empty._", "glossary")
    entries = []
    for a in terms:
        text = " ".join(s.text for s in a.sections if s.text).strip() or a.meta.summary
        entries.append(f"{md(a.title)}\n:   {md(plain_text(inputs, text))}")
    folder = terms[0].source.parent
    return MarkdownBlock(
        "\n\n".join(entries), folder=folder, name="glossary", links=link_resolver(terms[0])
    )


def directory(inputs: Inputs) -> str:
    data = inputs.data
    orgs = organisations(data)
    parts = []
    for c in sorted(data.clusters, key=lambda c: (c.kind != "regional", c.name)):
        leads = []
        if c.coordinator:
            leads.append(f"Coordinating centre: {org_name(orgs, c.coordinator)}")
        if c.convener:
            leads.append(f"Convener: {md(c.convener)}")
        lead = "; ".join(leads) or "No coordinating centre or convener yet"
        rows = [
            (
                org_name(orgs, m),
                md(orgs[m].country) if m in orgs else "not a member",
                md(orgs[m].type) if m in orgs else "not a member",
                md(orgs[m].status) if m in orgs else "not a member",
            )
            for m in sorted(c.members, key=lambda m: orgs[m].name if m in orgs else m)
        ]
        parts += [
            f"# {md(c.name)} ({md(c.kind)} cluster)",
            lead + ".",
            table(["Member institution", "Country", "Type", "Status"], rows),
        ]
    return "\n\n".join(parts) or "_No clusters are recorded._"


CLUSTER_PAGES = ("value-added-of-clusters", "cluster-outputs", "thematic-cluster-approach")
SERVICE_PAGES = ("online-services", "manual-of-operating-procedures", "partnerships")


def _parts(kb: KnowledgeBase) -> dict[str, list[Article]]:
    return {
        "introduction": pick(kb, "introduction"),
        "roles": of_type(kb, "role"),
        "principles": of_type(kb, "principle"),
        "clusters": pick(kb, *CLUSTER_PAGES),
        "services": pick(kb, *SERVICE_PAGES),
        "glossary": sorted(kb.of_type("glossary"), key=lambda a: a.title.lower()),
        "sources": pick(kb, "sources"),
    }


def articles(kb: KnowledgeBase) -> list[Article]:
    """Every KB article the handbook uses, in the order it prints them."""
    parts = _parts(kb)
    return (
        parts["introduction"]
        + _roadmap_order(kb)
        + parts["roles"]
        + parts["principles"]
        + parts["clusters"]
        + parts["services"]
        + parts["glossary"]
        + parts["sources"]
    )


def _roadmap_order(kb: KnowledgeBase) -> list[Article]:
    """Each step, then the lessons and practices placed under it (as roadmap_blocks prints)."""
    steps, extras = _steps_and_extras(kb)
    out: list[Article] = []
    for step in steps:
        out.append(step)
        for kind in ("lesson", "practice"):
            out += _at_step(extras, step.meta.step[0], kind)[0]
    return out


class Handbook(State):
    """What the handbook's parts share: the articles of each part."""

    @cached_property
    def chosen(self) -> dict[str, list[Article]]:
        return _parts(self.kb)

    def blocks(self, part: str) -> list[MarkdownBlock]:
        """The articles of ``part``, each a block whose title is a Heading 2."""
        return [article_block(self.inputs, a, 2) for a in self.chosen[part]]


def cover_lines(s: Handbook) -> tuple[str, str]:
    net = s.data.network
    return "Handbook", f"The model for strategic network building of {net.short_name}"


def introduction(s: Handbook) -> list[MarkdownBlock]:
    return s.blocks("introduction")


def roadmap(s: Handbook) -> list[MarkdownBlock]:
    return roadmap_blocks(s.inputs)


def roles(s: Handbook) -> list[MarkdownBlock]:
    return s.blocks("roles")


def principles(s: Handbook) -> list[MarkdownBlock]:
    return s.blocks("principles")


def clusters(s: Handbook) -> list[MarkdownBlock]:
    return s.blocks("clusters")


def services(s: Handbook) -> list[MarkdownBlock]:
    return s.blocks("services")


def glossary_part(s: Handbook) -> MarkdownBlock:
    return glossary(s.inputs, s.chosen["glossary"])


def directory_part(s: Handbook) -> MarkdownBlock:
    return block(directory(s.inputs), "directory")


def changes(s: Handbook) -> MarkdownBlock:
    text = s.inputs.changes or (
        "This is the first edition built with netdocs: there is no earlier edition to compare with."
    )
    return block(text, "changes")


def sources_note(s: Handbook) -> str:
    """The sources page's second and third sections, before the sources appendix's tables."""
    sources_page = s.chosen["sources"]
    if not sources_page:
        return ""
    page = sources_page[0]
    return "\n\n".join(
        md(plain_text(s.inputs, sec.text)) for sec in page.sections[1:3] if sec.text
    ).strip()


DOCUMENT = DocumentType(
    name="handbook",
    title="Handbook",
    description="the model for strategic network building, from the knowledge base",
    summary="The model for strategic network building: the seven-step roadmap, roles, "
    "principles, lessons and practices.",
    scopes=(NETWORK,),
    accent="7A3B69",
    formats=("docx", "pdf", "html", "epub", "odt"),  # also read on screens and e-readers
    cover=cover_lines,
    state=Handbook,
    articles=articles,
    sections=(
        section("Introduction", "introduction", "loop", "The introduction articles.",
                introduction),
        section("The roadmap in seven steps", "roadmap", "loop",
                "Each roadmap step, followed by its lessons learned and good practices.", roadmap),
        section("Roles in the network", "roles", "loop", "The role articles.", roles),
        section("Guiding principles", "principles", "loop", "The guiding principle articles.",
                principles),
        section("The value added of clusters", "clusters", "loop",
                "Value added, outputs and the thematic cluster approach.", clusters),
        section("Online services and operating procedures", "services", "loop",
                "Online services, operating procedures and partnerships.", services),
        section("Glossary", "glossary", "block", "The glossary as a definition list.",
                glossary_part),
        section("Network directory", "directory", "block",
                "Members per cluster with coordinators and conveners.", directory_part),
        section("What changed since the last edition", "changes", "block",
                "Changes since the previous edition (empty on a first edition).", changes),
        sources_section(articles, note=sources_note),
    ),
)  # fmt: skip
"""The handbook's record in :data:`~.registry.REGISTRY`."""
