"""The Jinja variables a template may use: the contract between templates and documents.

Generic: the document types (``pipeline.documents.registry``) each declare their
:class:`Part` s and :class:`Design`; this module says what a part, a variable and a template's
spec are. Every context has :data:`COMMON` (cover, header, footer) and one variable per part;
``netdocs templates check`` verifies a template against the variables of its document type, and
``templates/README.md`` documents them. A template no document type names (a custom one) is
checked against :data:`BASE`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
    "title": Variable("Title of the document.", example="Strategy 2026–2030"),
    "running_title": Variable(
        "The document's full title for the running header, the docx properties and the PDF "
        "title: its title, with the kind of document when the title does not say it and the "
        "cluster's name for a per-cluster document.",
        example="Action plan 2026–2027 — Africa cluster",
    ),
    "subtitle": Variable(
        "Line under the title on the cover.", example="Adopted at the annual meeting"
    ),
    "date": Variable("Publication date, already formatted.", example="14 May 2026"),
    "period": Variable(
        "The period the document covers, as a phrase.", example="Strategy period 2025–2029"
    ),
    "status": Variable(
        "Whether the document is adopted or a draft, from the network data's document status "
        "(a document with no status recorded is a draft).",
        example="Draft for the annual meeting in Lisbon, 6 October 2026",
    ),
    "logo": Variable(
        "The network's logo as a picture (templates/logo.png, else the knowledge base's "
        "images/logo.png), or empty text when there is none; place it alone in a paragraph as "
        "{{ logo }}.",
        example="",
    ),
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


BODY: tuple[Part, ...] = (Part(None, "body", "block", "Main content: Markdown rendered to Word."),)
"""The body of a template that is not a document type's (``base.docx``, a custom one)."""


@dataclass(frozen=True)
class Design:
    """The look of one template, and the parts its body holds."""

    file: str
    """File name in ``templates/``."""
    kind: str
    """Document type printed on the cover and in the header."""
    accent: str
    """Accent colour (hex RGB) for headings and rules."""
    landscape: bool = False
    parts: tuple[Part, ...] = BODY
    """The body, in order: a Heading 1 and a tag for each part."""


BASE_DESIGN = Design("base.docx", "Document", "1F4E79")
"""The neutral base template: cover, contents, one ``{{p body }}``; the others derive from it."""


@dataclass(frozen=True)
class TemplateSpec:
    """A template and the context its document type provides."""

    name: str
    """File name in ``templates/``."""
    purpose: str
    """What the document is."""
    variables: Mapping[str, Variable] = field(default_factory=lambda: dict(BASE))
    """Variables the context provides."""


def variables(parts: Sequence[Part]) -> dict[str, Variable]:
    """The variables of a context made of :data:`COMMON` and ``parts``."""
    return {**COMMON, **{part.name: part.variable for part in parts}}


BASE_SPEC = TemplateSpec(
    BASE_DESIGN.file, "Neutral base: cover, contents, body; the others derive from it."
)


def spec_for(template_name: str, specs: Mapping[str, TemplateSpec]) -> TemplateSpec:
    """The spec of a template file name among ``specs`` (the document types' specs, which the
    caller passes: ``pipeline.documents.templates.specs()``); ``base.docx`` gets
    :data:`BASE_SPEC` and any other template (a custom one) the base variables."""
    if template_name in specs:
        return specs[template_name]
    if template_name == BASE_SPEC.name:
        return BASE_SPEC
    return TemplateSpec(template_name, "Custom template.")
