"""The handbook: the model for strategic network building, from the knowledge base.

Each roadmap step is followed by the lessons learned and good practices whose ``step`` names it
(placed by their metadata: an article tied to several steps appears under the first and is
referred to from the others). Articles of one type are listed by step, then by their ``order``
(the guiding principles keep the order of the thematic clustering slides), then by title.
:func:`section_of` says which section of the handbook holds an article: other documents name it
beside a link to an article they do not hold (:mod:`.articles`).
"""

from __future__ import annotations

from functools import cached_property

from ..kb.model import Article, KnowledgeBase, in_listing_order
from ..network.model import ORGANISATION_TYPE_NAMES
from ..render import MarkdownBlock
from ..render.bookmarks import bookmark_name
from .articles import article_block, link_resolver, with_text
from .common import (
    Inputs,
    block,
    md,
    org_name,
    organisations,
    pick,
    plain_text,
    sources,
    table,
)
from .parts import State, section
from .types import NETWORK, DocumentType


def _at_step(extras: list[Article], n: int, kind: str) -> tuple[list[Article], list[Article]]:
    """Lessons or practices of step ``n``: those placed here (their first step) and those
    placed under an earlier step."""
    here = [a for a in extras if a.type == kind and n in a.meta.step]
    return ([a for a in here if min(a.meta.step) == n],
            [a for a in here if min(a.meta.step) != n])  # fmt: skip


def listed(kb: KnowledgeBase, kind: str) -> list[Article]:
    """The articles of type ``kind`` in the handbook's order: by step, then by ``order``, then
    by title (:func:`~pipeline.kb.model.listing_key`)."""
    return in_listing_order(kb.of_type(kind))


def _steps_and_extras(kb: KnowledgeBase) -> tuple[list[Article], list[Article]]:
    steps = sorted(listed(kb, "roadmap-step"), key=lambda a: a.meta.step)
    return steps, listed(kb, "lesson") + listed(kb, "practice")


EXTRAS = (("lesson", "Lessons learned"), ("practice", "Good practices"))
"""The kinds of article placed after each roadmap step, and the heading of each group
(``Lessons learned for step 3``)."""


def roadmap_blocks(inputs: Inputs) -> list[MarkdownBlock]:
    steps, extras = _steps_and_extras(inputs.kb)
    blocks: list[MarkdownBlock] = []
    for step in steps:
        n = step.meta.step[0]
        blocks.append(article_block(inputs, step, 2))
        for kind, label in EXTRAS:
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
        # the term carries the bookmark of its article's key: links to it are internal links
        term = f"[{md(a.title)}]{{#{bookmark_name(a.path)}}}"
        entries.append(f"{term}\n:   {md(plain_text(inputs, text))}")
    folder = terms[0].source.parent
    return MarkdownBlock(
        "\n\n".join(entries), folder=folder, name="glossary", links=link_resolver(terms[0])
    )


def directory(inputs: Inputs) -> str:
    data = inputs.data
    orgs = organisations(data)
    parts = []
    for c in data.clusters_in_order():
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
                md(ORGANISATION_TYPE_NAMES.get(orgs[m].type, orgs[m].type))
                if m in orgs
                else "not a member",
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
HOW_TO_USE = "how-to-use-this-handbook"
"""The page printed as the part "How to use this handbook" (its title left to the part's
heading)."""

PAGE_PARTS: dict[str, tuple[str, ...]] = {
    "introduction": ("introduction",),
    "how_to_use": (HOW_TO_USE,),
    "clusters": CLUSTER_PAGES,
    "services": SERVICE_PAGES,
    "sources": ("sources",),
}
"""The parts made of KB pages, and the ids of their pages in order."""
TYPE_PARTS: dict[str, str] = {"roles": "role", "principles": "principle", "glossary": "glossary"}
"""The parts made of every article of one type."""


def _parts(kb: KnowledgeBase) -> dict[str, list[Article]]:
    parts = {name: pick(kb, *ids) for name, ids in PAGE_PARTS.items()}
    parts |= {name: listed(kb, kind) for name, kind in TYPE_PARTS.items()}
    parts["glossary"] = sorted(parts["glossary"], key=lambda a: a.title.lower())
    return parts


def articles(kb: KnowledgeBase) -> list[Article]:
    """Every KB article the handbook uses, in the order it prints them."""
    parts = _parts(kb)
    return (
        parts["introduction"]
        + parts["how_to_use"]
        + _roadmap_order(kb)
        + parts["roles"]
        + parts["principles"]
        + parts["clusters"]
        + parts["services"]
        + parts["glossary"]
        + parts["sources"]
    )


def section_of(article: Article) -> str | None:
    """The heading of the handbook's section that holds ``article``: its part's heading, the
    roadmap step's title for a step, ``Lessons learned for step N`` or ``Good practices for
    step N`` for a lesson or practice (under its first step); None when the handbook does not
    print it."""
    headings = {s.part.name: s.part.heading for s in DOCUMENT.sections}
    if article.type == "roadmap-step":
        return article.title
    for kind, label in EXTRAS:
        if article.type == kind:
            return f"{label} for step {min(article.meta.step)}" if article.meta.step else None
    if article.type == "page":
        part = next((p for p, ids in PAGE_PARTS.items() if article.id in ids), None)
    else:
        part = next((p for p, kind in TYPE_PARTS.items() if article.type == kind), None)
    return headings.get(part) if part else None


def where_in_handbook(article: Article) -> str | None:
    """``(handbook, section '...')``: where the handbook prints ``article``, for a document
    that does not hold it (None when the handbook does not print it either)."""
    heading = section_of(article)
    return f"({DOCUMENT.title.lower()}, section '{heading}')" if heading else None


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


def how_to_use(s: Handbook) -> list[MarkdownBlock]:
    """The how-to-use page, its sections under the part's heading (its title not repeated)."""
    return [article_block(s.inputs, a, 1, title=False) for a in s.chosen["how_to_use"]]


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


def sources_part(s: Handbook) -> MarkdownBlock:
    """The sources page as the article it is (headings, paragraphs, links, footnotes), then the
    sources appendix's tables: one block, so that links to the page land on it and its
    footnotes stay with it."""
    tables = sources(s.inputs, articles(s.kb))
    pages = s.chosen["sources"]
    if not pages:
        return tables
    return with_text(article_block(s.inputs, pages[0], 2), tables.text)


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
        section("How to use this handbook", "how_to_use", "loop",
                "Who the handbook is for, how it is organised, how to find things and how it "
                "is kept up to date.", how_to_use),
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
        section("Sources", "sources", "block",
                "The sources page, then KB articles, data snapshot, template, version.",
                sources_part),
    ),
)  # fmt: skip
"""The handbook's record in :data:`~.registry.REGISTRY`."""
