"""A document's sections, and the state their functions share.

A :class:`Section` is one part of a document type: the template's
:class:`~pipeline.render.catalog.Part` and the function making its value. :class:`State` is
made once per build (:meth:`~.types.DocumentType.make`) and handed to each part function; what
more than one part needs is a ``cached_property`` of it (of a document type's subclass),
computed the first time a part asks and then shared. :func:`sources_section` is the sources
appendix every bundled type ends with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..render.catalog import Part

if TYPE_CHECKING:
    from ..kb.model import Article, KnowledgeBase
    from ..network.figures import Figures
    from ..network.model import Cluster, NetworkData, Organisation
    from ..render import MarkdownBlock
    from .common import Inputs


class State:
    """One build of one document: its inputs and the values its parts share."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs

    @property
    def kb(self) -> KnowledgeBase:
        return self.inputs.kb

    @property
    def data(self) -> NetworkData:
        return self.inputs.data

    @property
    def fig(self) -> Figures:
        return self.inputs.fig

    @property
    def today(self) -> date:
        """The edition's as-of date."""
        return self.inputs.today

    @property
    def cluster(self) -> Cluster | None:
        return self.inputs.cluster

    @cached_property
    def orgs(self) -> dict[str, Organisation]:
        """The organisations by id."""
        from .common import organisations

        return organisations(self.data)


@dataclass(frozen=True)
class Section:
    """One part of a document: where and how the template shows it, and what makes its value."""

    part: Part
    """Its heading, variable name, kind, description and caption in the template."""
    make: Callable[[Any], object]
    """Makes the part's context value from the document's state."""


def section(
    heading: str | None,
    name: str,
    kind: str,
    description: str,
    make: Callable[[Any], object],
    caption: str | None = None,
) -> Section:
    """A :class:`Section` of a :class:`~pipeline.render.catalog.Part` and its function."""
    return Section(Part(heading, name, kind, description, caption), make)


def sources_section(
    articles: Callable[[KnowledgeBase], list[Article]],
    note: Callable[[Any], str] | None = None,
) -> Section:
    """The sources appendix: the KB ``articles`` the document uses, its data snapshot,
    template and netdocs version, after ``note`` (Markdown made from the state) if given."""

    def make(state: State) -> MarkdownBlock:
        from .common import sources

        return sources(state.inputs, articles(state.kb), note=note(state) if note else "")

    return section(
        "Sources", "sources", "block", "KB articles, data snapshot, template, version.", make
    )
