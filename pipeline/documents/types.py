"""What a document type is: one record with its parts and the function that makes each part.

A document type's module declares ``DOCUMENT = DocumentType(...)``: its name, title, one-line
description, landing-page summary, scopes (:data:`NETWORK`, :data:`CLUSTER`), the look of its
template (accent colour, orientation), its cover lines and its sections, each a template
:class:`~pipeline.render.catalog.Part` with the function that makes that part's value. The
functions take the document's *state* (:attr:`DocumentType.state`, by default
:class:`~.parts.State`): one object per build holding the inputs and what several parts share,
computed once. :mod:`.registry` lists the types; everything that needs to know them reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..render.catalog import COMMON, Design, Part, TemplateSpec, Variable, variables
from .parts import Section, State, section

if TYPE_CHECKING:
    from ..kb.model import Article, KnowledgeBase
    from .common import Inputs, Plan

NETWORK = "network"
"""Scope: one document for the whole network."""
CLUSTER = "cluster"
"""Scope: one document per cluster (``--cluster``, ``--all-clusters``; in every edition)."""
SCOPES = (NETWORK, CLUSTER)
__all__ = ["CLUSTER", "NETWORK", "DocumentType", "Section", "State", "section"]

KINDS = ("block", "loop", "chart")
"""What a part holds: a Markdown block, a list of blocks, a chart (an image)."""


def _no_articles(kb: KnowledgeBase) -> list[Article]:
    return []


def _no_period(state: Any) -> str:
    return ""


@dataclass(frozen=True)
class DocumentType:
    """One document type."""

    name: str
    """Its name on the command line and in file names (``action-plan``)."""
    title: str
    """Its name in print (``Action plan``): on the template's cover and in its header."""
    description: str
    """One line for ``netdocs build --help``."""
    summary: str
    """What it is, for the edition's landing page."""
    scopes: tuple[str, ...]
    """:data:`NETWORK`, :data:`CLUSTER` or both."""
    sections: tuple[Section, ...]
    """The body of its template, in order, each part with the function making its value."""
    cover: Callable[[Any], tuple[str, str]]
    """The document's title and the line under it on the cover, from its state."""
    period: Callable[[Any], str] = _no_period
    """The period it covers, as its cover prints it ("Strategy period 2025–2029"), from its
    state ('' for a document about no period, like the handbook)."""
    state: Callable[[Inputs], Any] = State
    """Makes the state the part functions share (raises UsageError when the inputs cannot make
    this document, e.g. a per-cluster-only type without a cluster)."""
    articles: Callable[[KnowledgeBase], list[Article]] = _no_articles
    """The KB articles it uses, in order, for its sources appendix (its rebuild key is what it
    read while it was made: :meth:`~.common.Inputs.dependencies`)."""
    accent: str = "1F4E79"
    """Accent colour (hex RGB) of its bundled template."""
    landscape: bool = False
    """Its bundled template is landscape."""
    template: str = field(default="")
    """Its template's file name in ``templates/`` (default ``NAME.docx``)."""
    reports_on_a_period: bool = False
    """It reports on one reporting period: the edition's, or the one ``netdocs build
    --period`` names."""
    formats: tuple[str, ...] = ("docx", "pdf")
    """The formats an edition publishes it in when ``netdocs publish --formats`` does not say
    (``--formats`` gives every document in the formats it names)."""

    def __post_init__(self) -> None:
        if not self.template:
            object.__setattr__(self, "template", f"{self.name}.docx")

    @property
    def parts(self) -> tuple[Part, ...]:
        """The parts of its template's body, in order."""
        return tuple(s.part for s in self.sections)

    @property
    def design(self) -> Design:
        """The look of its bundled template."""
        return Design(self.template, self.title, self.accent, self.landscape, self.parts)

    @property
    def variables(self) -> dict[str, Variable]:
        """The variables its context provides: :data:`~pipeline.render.catalog.COMMON` and one
        per part."""
        return variables(self.parts)

    @property
    def spec(self) -> TemplateSpec:
        """Its template's spec for ``netdocs templates check``."""
        return TemplateSpec(self.template, self.summary, self.variables)

    @property
    def network(self) -> bool:
        return NETWORK in self.scopes

    @property
    def per_cluster(self) -> bool:
        return CLUSTER in self.scopes

    def make(self, inputs: Inputs) -> Plan:
        """The document's context (cover variables, then each part's value in order) and the
        articles it uses."""
        from .common import Plan, cover, ranged

        state = self.state(inputs)
        title, subtitle = (ranged(line) for line in self.cover(state))
        period = ranged(self.period(state))
        context: dict[str, Any] = cover(inputs, title, subtitle, self.name, period)
        context["running_title"] = self.running_title(title, inputs.cluster)
        for s in self.sections:
            context[s.part.name] = s.make(state)
        properties = self.properties(inputs.data.network.short_name, inputs.cluster)
        properties |= self.stamp(inputs.settings.edition, inputs.cluster)
        return Plan(context, self.articles(inputs.kb), properties)

    def stamp(self, edition: str, cluster: Any = None) -> dict[str, str]:
        """The custom properties by which a .docx of this type, coming back from reviewers, is
        traced to its edition (:mod:`pipeline.render.custom_props`)."""
        from ..render.custom_props import CLUSTER, DOCUMENT, EDITION

        stamp = {EDITION: edition, DOCUMENT: self.name}
        if cluster is not None:
            stamp[CLUSTER] = str(cluster.id)
        return stamp

    def properties(self, network_short: str, cluster: Any = None) -> dict[str, str]:
        """The docx core properties naming what the document is, besides its title: the
        ``subject``, its kind and, for a per-cluster document, its cluster ("Action plan —
        Africa cluster", "Strategy"), and the ``keywords``, the network's short name, the kind
        and the cluster, separated by semicolons as Word writes them ("VETNoN; action plan;
        Africa cluster")."""
        name = getattr(cluster, "name", "") if cluster is not None else ""
        subject = f"{self.title} — {name}" if name else self.title
        words = [network_short, self.title[:1].lower() + self.title[1:], name]
        return {"subject": subject, "keywords": "; ".join(w for w in words if w)}

    def running_title(self, title: str, cluster: Any = None) -> str:
        """The document's full title, printed once in the running header and set as the docx
        and PDF title: ``title`` when it already names the kind of document ("Action plan
        2026–2027", "Handbook"), else "Progress report: Africa cluster"; a per-cluster
        document adds its cluster's name when the title does not say it ("Action plan
        2026–2027 — Africa cluster"). Ranges of years take an en dash (:func:`~.common.
        ranged`: "Strategy 2025-2029" → "Strategy 2025–2029")."""
        from .common import ranged

        text = ranged(title.strip()) or self.title
        if self.title.casefold() not in text.casefold():
            text = f"{self.title}: {text}"
        name = getattr(cluster, "name", "") if cluster is not None else ""
        if name and name.casefold() not in text.casefold():
            text = f"{text} — {name}"
        return text

    def format_title(self, network_short: str, cluster_name: str | None = None) -> str:
        """The title of its HTML site, EPUB and ODT: the network's short name and the type
        (``VETNoN handbook``), and the cluster's name for a per-cluster document
        (``VETNoN action plan: Africa``), so that no two documents of an edition share one."""
        title = f"{network_short} {self.title[:1].lower()}{self.title[1:]}"
        return f"{title}: {cluster_name}" if cluster_name else title

    def problems(self) -> list[str]:
        """What is wrong with this record (empty when it is sound)."""
        out = []
        if not self.name or self.name != self.name.strip() or "/" in self.name:
            out.append(f"document type name {self.name!r} is not a plain name")
        if not self.scopes or any(s not in SCOPES for s in self.scopes):
            out.append(f"{self.name}: scopes {self.scopes!r} must be among {', '.join(SCOPES)}")
        if not self.template.endswith(".docx"):
            out.append(f"{self.name}: template {self.template!r} must be a .docx file name")
        seen: set[str] = set()
        for part in self.parts:
            if part.kind not in KINDS:
                out.append(f"{self.name}: part {part.name!r} has kind {part.kind!r}, not one of "
                           f"{', '.join(KINDS)}")  # fmt: skip
            if not part.name.isidentifier():
                out.append(f"{self.name}: part name {part.name!r} is not a template variable name")
            if part.name in seen or part.name in COMMON:
                out.append(f"{self.name}: part {part.name!r} is declared twice or is a cover "
                           "variable")  # fmt: skip
            seen.add(part.name)
        if "docx" not in self.formats:  # the other formats are checked by publish
            out.append(f"{self.name}: formats {self.formats!r} must include docx (every other "
                       "format is made from it or from the same model)")  # fmt: skip
        return out
