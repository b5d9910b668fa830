"""The document types: one record each, read by everything that needs to know them.

The CLI's choices and help, ``templates build`` and ``templates check``, the publish plan,
the landing page and the catalogue of template variables all read :data:`REGISTRY`. Adding a
document type is one module (its parts and their functions) plus one line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..render.catalog import PARTS, Part
from ..render.template_factory import Design

if TYPE_CHECKING:
    from .common import Inputs, Plan

NETWORK = "network"
"""Scope: one document for the whole network."""
CLUSTER = "cluster"
"""Scope: one document per cluster (``--cluster``, ``--all-clusters``; in every edition)."""


@dataclass(frozen=True)
class DocumentType:
    """One document type."""

    name: str
    """Its name on the command line and in file names (``action-plan``)."""
    title: str
    """Its name in print (``Action plan``)."""
    description: str
    """One line for ``--help``."""
    summary: str
    """What it is, for the edition's landing page."""
    template: str
    """Its template's file name in ``templates/``."""
    design: Design
    """The look of its bundled template."""
    scopes: tuple[str, ...]
    """:data:`NETWORK`, :data:`CLUSTER` or both."""
    parts: tuple[Part, ...]
    """The body of its template, in order."""
    make: Callable[[Inputs], Plan]
    """Makes the document's context from its inputs."""

    @property
    def network(self) -> bool:
        return NETWORK in self.scopes

    @property
    def per_cluster(self) -> bool:
        return CLUSTER in self.scopes


def _bundled() -> dict[str, DocumentType]:
    from . import action_plan, handbook, progress_report, strategy

    def t(
        name: str,
        title: str,
        description: str,
        summary: str,
        accent: str,
        scopes: tuple[str, ...],
        module: object,
        landscape: bool = False,
    ) -> DocumentType:
        file = f"{name}.docx"
        return DocumentType(
            name, title, description, summary, file, Design(file, title, accent, landscape),
            scopes, PARTS[file], module.context,  # type: ignore[attr-defined]
        )  # fmt: skip

    types = [
        t("strategy", "Strategy",
          "The 5-year strategy: vision, mission, aspirations with KPIs, principles.",
          "The network's 5-year strategy: shared vision, mission, collective aspirations "
          "with their KPIs.", "1F4E79", (NETWORK,), strategy),
        t("action-plan", "Action plan",
          "The 1-2 year action plan: activities, timeline, budget and funding.",
          "Activities for the next one to two years, with leads, timeline, budget and "
          "funding.", "2E6B30", (NETWORK, CLUSTER), action_plan, landscape=True),
        t("handbook", "Handbook",
          "The handbook: the seven-step roadmap, roles, principles, glossary, directory.",
          "The model for strategic network building: the seven-step roadmap, roles, "
          "principles, lessons and practices.", "7A3B69", (NETWORK,), handbook),
        t("progress-report", "Progress report",
          "The consolidated progress report of one cluster (needs --cluster).",
          "Consolidated progress report of one cluster.", "9A4A12", (CLUSTER,),
          progress_report),
    ]  # fmt: skip
    return {d.name: d for d in types}


REGISTRY: dict[str, DocumentType] = _bundled()
"""Every document type, in the order editions list them."""


def document_type(name: str) -> DocumentType:
    """The type called ``name``; a UsageError listing the choices otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown document '{name}' (choose from {', '.join(REGISTRY)})") from None
