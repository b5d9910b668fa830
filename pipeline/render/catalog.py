"""The Jinja variables each template may use: the contract between templates and documents.

Each document type (strategy, action plan, handbook, progress report) provides a context with
at least these variables; ``netdocs templates check`` verifies every template against the
variables of its document type, and ``templates/README.md`` documents them. A template whose
name is not listed here (a custom template) is checked against :data:`BASE`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Variable:
    """One variable of a document context."""

    description: str
    """What it holds, for the template README and error messages."""
    block: bool = False
    """A Markdown block: must stand alone in its paragraph as ``{{p name }}``."""
    example: object = "Example"
    """A sample value (plain text), used to render previews and tests."""


COMMON: dict[str, Variable] = {
    "network_name": Variable("Name of the network.", example="Global VET Network of Networks"),
    "network_short": Variable("Short name of the network.", example="VETNoN"),
    "edition": Variable(
        "Display name of the edition the document belongs to.", example="2026 Annual Meeting"
    ),
    "title": Variable("Title of the document.", example="Strategy 2026-2030"),
    "subtitle": Variable(
        "Line under the title on the cover.", example="Adopted at the annual meeting"
    ),
    "date": Variable("Publication date, already formatted.", example="14 May 2026"),
}
"""Variables every document type provides (cover, header and footer)."""

BASE: dict[str, Variable] = {
    **COMMON,
    "body": Variable("Main content: Markdown rendered to Word.", block=True, example="Body text."),
}


@dataclass(frozen=True)
class Part:
    """One part of a document's body: a Heading 1 and what the document puts under it."""

    heading: str | None
    """The Heading 1 printed in the template before the part (None: no heading)."""
    name: str
    """The context variable."""
    kind: str
    """``block`` (a Markdown block), ``loop`` (a list of blocks) or ``chart`` (an image)."""
    description: str
    """What the variable holds."""
    caption: str | None = None
    """Caption printed under a chart."""

    @property
    def variable(self) -> Variable:
        example: object = "Example." if self.kind != "loop" else []
        return Variable(self.description, block=self.kind == "block", example=example)


PARTS: dict[str, tuple[Part, ...]] = {
    "base.docx": (Part(None, "body", "block", "Main content: Markdown rendered to Word."),),
    "strategy.docx": (
        Part(
            "The network at a glance",
            "glance",
            "block",
            "The network, its clusters and members in figures.",
        ),
        Part(
            "Shared vision and mission",
            "vision",
            "block",
            "The shared vision and the mission statement.",
        ),
        Part(
            "Collective aspirations",
            "aspirations",
            "block",
            "Each aspiration with its objectives and KPI table (baseline, target, current).",
        ),
        Part(
            "Guiding principles",
            "principles",
            "loop",
            "The guiding principles from the knowledge base, one block each.",
        ),
        Part("Membership", "membership", "block", "Membership overview tables."),
        Part(
            None,
            "chart_regions",
            "chart",
            "Chart of members per region.",
            "Figure 1. Members per region",
        ),
        Part(
            None,
            "chart_clusters",
            "chart",
            "Chart of members per cluster.",
            "Figure 2. Members per cluster",
        ),
        Part(
            "How the strategy is monitored",
            "monitoring",
            "loop",
            "How the KPIs are computed, then the KB articles on monitoring and renewal.",
        ),
        Part("Sources", "sources", "block", "KB articles, data snapshot, template, version."),
    ),
    "action-plan.docx": (
        Part(
            "About this action plan",
            "intro",
            "block",
            "Scope, period, cluster and key figures of the plan.",
        ),
        Part(
            "Activities by aspiration",
            "activities",
            "block",
            "One table of activities per collective aspiration.",
        ),
        Part("Timeline", "timeline", "block", "Introduction to the Gantt chart."),
        Part(
            None,
            "gantt_chart",
            "chart",
            "Gantt chart of the activities.",
            "Figure 1. Activities over time",
        ),
        Part(
            "Budget and funding",
            "budget",
            "block",
            "Budget totals per funding source and per aspiration.",
        ),
        Part(
            None,
            "budget_chart",
            "chart",
            "Chart of the budget per funding source.",
            "Figure 2. Budget per funding source",
        ),
        Part("Promotion activities", "promotion", "block", "Activities that promote VET."),
        Part(
            "Points to watch",
            "flags",
            "block",
            "Activities without a lead, or past their end date and not done.",
        ),
        Part("Sources", "sources", "block", "KB articles, data snapshot, template, version."),
    ),
    "handbook.docx": (
        Part("Introduction", "introduction", "loop", "The introduction articles."),
        Part(
            "The roadmap in seven steps",
            "roadmap",
            "loop",
            "Each roadmap step, followed by its lessons learned and good practices.",
        ),
        Part("Roles in the network", "roles", "loop", "The role articles."),
        Part("Guiding principles", "principles", "loop", "The guiding principle articles."),
        Part(
            "The value added of clusters",
            "clusters",
            "loop",
            "Value added, outputs and the thematic cluster approach.",
        ),
        Part(
            "Online services and operating procedures",
            "services",
            "loop",
            "Online services, operating procedures and partnerships.",
        ),
        Part("Glossary", "glossary", "block", "The glossary as a definition list."),
        Part(
            "Network directory",
            "directory",
            "block",
            "Members per cluster with coordinators and conveners.",
        ),
        Part(
            "What changed since the last edition",
            "changes",
            "block",
            "Changes since the previous edition (empty on a first edition).",
        ),
        Part("Sources", "sources", "block", "KB articles, data snapshot, template, version."),
    ),
    "progress-report.docx": (
        Part(
            "The cluster and its members",
            "members",
            "block",
            "The cluster's members and what each contributed.",
        ),
        Part("Activities", "activities", "block", "Status of the cluster's activities."),
        Part(
            None,
            "status_chart",
            "chart",
            "Chart of activities per status.",
            "Figure 1. Activities per status",
        ),
        Part("Contribution to the KPIs", "kpis", "block", "The cluster's share of the KPIs."),
        Part("Gaps", "gaps", "block", "Inactive members, renewals due, overdue activities."),
        Part("Next steps", "next_steps", "block", "What the cluster does next."),
        Part("Sources", "sources", "block", "KB articles, data snapshot, template, version."),
    ),
}
"""The body of each bundled template, in order."""


@dataclass(frozen=True)
class TemplateSpec:
    """A template and the context its document type provides."""

    name: str
    """File name in ``templates/``."""
    purpose: str
    """What the document is."""
    variables: Mapping[str, Variable] = field(default_factory=lambda: dict(BASE))
    """Variables the context provides."""


def _variables(name: str) -> dict[str, Variable]:
    return {**COMMON, **{part.name: part.variable for part in PARTS[name]}}


TEMPLATES: dict[str, TemplateSpec] = {
    spec.name: spec
    for spec in (
        TemplateSpec(
            "base.docx", "Neutral base: cover, contents, body; the others derive from it."
        ),
        TemplateSpec(
            "strategy.docx", "The network's 5-year strategy.", _variables("strategy.docx")
        ),
        TemplateSpec(
            "action-plan.docx",
            "Activities, owners, timelines and funding.",
            _variables("action-plan.docx"),
        ),
        TemplateSpec(
            "handbook.docx",
            "The model for strategic network building.",
            _variables("handbook.docx"),
        ),
        TemplateSpec(
            "progress-report.docx",
            "Consolidated progress report of one cluster.",
            _variables("progress-report.docx"),
        ),
    )
}


def spec_for(template_name: str) -> TemplateSpec:
    """The spec of a template file name; a custom template gets the base variables."""
    return TEMPLATES.get(template_name, TemplateSpec(template_name, "Custom template."))
