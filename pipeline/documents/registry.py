"""The document types: one record each, read by everything that needs to know them.

The CLI's choices and help, ``templates build`` and ``templates check``, the publish plan,
the landing page and the catalogue of template variables all read :data:`REGISTRY`. Adding a
document type is one module declaring ``DOCUMENT = DocumentType(...)`` (:mod:`.types`: its
parts and the function making each) plus its line in :data:`REGISTRY`.
"""

from __future__ import annotations

from ..errors import UsageError
from ..render.catalog import BASE_DESIGN
from . import action_plan, handbook, progress_report, strategy
from .types import CLUSTER, NETWORK, DocumentType

__all__ = [
    "CLUSTER",
    "NETWORK",
    "REGISTRY",
    "DocumentType",
    "document_type",
    "network_types",
    "per_cluster_types",
    "register",
    "registry_of",
]


def registry_of(*types: DocumentType) -> dict[str, DocumentType]:
    """The types by name, in the order given; raises ValueError naming what is wrong with a
    record (a name given twice, an unknown scope, a part declared twice...)."""
    out: dict[str, DocumentType] = {}
    problems: list[str] = []
    for t in types:
        problems += t.problems()
        if t.name in out:
            problems.append(f"document type {t.name!r} is declared twice")
        out[t.name] = t
    templates = [t.template for t in out.values()] + [BASE_DESIGN.file]
    problems += [f"template {f!r} is taken (by another type, or the base template)"
                 for f in sorted(set(templates)) if templates.count(f) > 1]  # fmt: skip
    if problems:
        raise ValueError("; ".join(problems))
    return out


REGISTRY: dict[str, DocumentType] = registry_of(
    strategy.DOCUMENT,
    action_plan.DOCUMENT,
    handbook.DOCUMENT,
    progress_report.DOCUMENT,
)
"""Every document type, in the order editions list them."""


def register(document: DocumentType) -> DocumentType:
    """Add ``document`` to :data:`REGISTRY` (a project's or a test's extra type); raises
    ValueError when the record is unsound or its name or template is taken.

    Register before :mod:`pipeline.commands.build` is imported: ``netdocs build`` reads its
    choices and its help from :data:`REGISTRY` when it is imported, so a type registered
    later is built by the library (:func:`~.build.build_document`) and published, but the
    command line does not offer it."""
    REGISTRY.update(registry_of(*REGISTRY.values(), document))
    return document


def document_type(name: str) -> DocumentType:
    """The type called ``name``; a UsageError listing the choices otherwise."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown document '{name}' (choose from {', '.join(REGISTRY)})") from None


def network_types() -> list[DocumentType]:
    """The types with one document for the whole network, in registry order."""
    return [t for t in REGISTRY.values() if t.network]


def per_cluster_types() -> list[DocumentType]:
    """The types built per cluster, in registry order."""
    return [t for t in REGISTRY.values() if t.per_cluster]
