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


BASE: dict[str, Variable] = {
    "network_name": Variable("Name of the network.", example="Global VET Network of Networks"),
    "network_short": Variable("Short name of the network.", example="VETNoN"),
    "edition": Variable("Edition the document belongs to.", example="2026-annual-meeting"),
    "title": Variable("Title of the document.", example="Strategy 2026-2030"),
    "subtitle": Variable(
        "Line under the title on the cover.", example="Adopted at the annual meeting"
    ),
    "date": Variable("Publication date, already formatted.", example="14 May 2026"),
    "body": Variable("Main content: Markdown rendered to Word.", block=True, example="Body text."),
}


@dataclass(frozen=True)
class TemplateSpec:
    """A template and the context its document type provides."""

    name: str
    """File name in ``templates/``."""
    purpose: str
    """What the document is."""
    variables: Mapping[str, Variable] = field(default_factory=lambda: dict(BASE))
    """Variables the context provides."""


TEMPLATES: dict[str, TemplateSpec] = {
    spec.name: spec
    for spec in (
        TemplateSpec(
            "base.docx", "Neutral base: cover, contents, body; the others derive from it."
        ),
        TemplateSpec("strategy.docx", "The network's multi-year strategy."),
        TemplateSpec("action-plan.docx", "Activities, owners and deadlines for the coming year."),
        TemplateSpec("handbook.docx", "The handbook: KB articles for members and conveners."),
        TemplateSpec("progress-report.docx", "Progress against the action plan."),
    )
}


def spec_for(template_name: str) -> TemplateSpec:
    """The spec of a template file name; a custom template gets the base variables."""
    return TEMPLATES.get(template_name, TemplateSpec(template_name, "Custom template."))
