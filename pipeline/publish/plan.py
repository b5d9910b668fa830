"""What an edition contains, and which of its documents must be built again.

Every document of an edition is built from what it read, recorded while it was built
(:mod:`pipeline.documents.deps`) and kept in the manifest with the template's sha256 and the
netdocs version (:class:`~pipeline.publish.manifest.Recorded`). The next publish replays each
record against the current KB, data and edition dates: the articles it looked up, the KB
listings it ran (a new article in a section the handbook lists changes that listing), the
data's sha256, the as-of and meeting days, the edition's display name and the changes text,
each only when the document read it. A document whose record replays unchanged, whose template
and netdocs version are the same and whose file is intact is reused; every other one (a first
publish, a document with no record) is built. So a publish on another day, with the same
as-of day and the same inputs, rebuilds nothing, and a changed role article rebuilds the
handbook only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..config import Settings
from ..documents.deps import Sources, what_changed
from ..documents.registry import REGISTRY, network_types, per_cluster_types
from ..fs import sha256_file
from ..kb import KnowledgeBase
from ..network import Snapshot
from .manifest import FileEntry, Recorded


@dataclass(frozen=True)
class Planned:
    """A document of the edition."""

    kind: str
    cluster: str | None
    docx: str
    """Path of the .docx inside the edition folder (POSIX)."""
    template: Path
    template_sha256: str
    reused: Recorded | None = None
    """The record of the previous edition's document when it can be reused as it is."""
    key: str = ""
    """Its key (:meth:`Recorded.key`) when reused; a built document gets its key once built."""
    why: tuple[str, ...] = ()
    """Why it is built ('first build', 'template', 'article role-convener', ...)."""

    @property
    def stem(self) -> str:
        return self.docx[: -len(".docx")]

    @property
    def build(self) -> bool:
        return self.reused is None


def edition_sources(
    settings: Settings, kb: KnowledgeBase, snapshot: Snapshot, changes: str
) -> Sources:
    """What the edition's documents are built from, to replay their records against."""
    return Sources(
        kb,
        snapshot,
        as_of=settings.as_of_for(snapshot.read_at.date()),
        meeting=settings.meeting_date or snapshot.network.network.meeting.date,
        changes=changes,
        title=settings.title,
    )


def plan_edition(
    sources: Sources, templates: Path, previous: dict[str, FileEntry] | None = None
) -> list[Planned]:
    """The documents of an edition: the network documents, then the per-cluster ones for each
    cluster, in registry order; each reused or to build.

    ``previous``: the intact .docx entries of the previous edition, by path (none: build
    everything)."""
    template_hash = {k: sha256_file(templates / t.template) for k, t in REGISTRY.items()}
    previous = previous or {}
    out: list[Planned] = []

    def add(kind: str, cluster: str | None, docx: str) -> None:
        sha = template_hash[kind]
        common = (kind, cluster, docx, templates / REGISTRY[kind].template, sha)
        entry = previous.get(docx)
        record = entry.inputs if entry is not None else None
        if entry is None or record is None or entry.key is None:
            why: list[str] = ["no earlier build" if entry is None else "nothing recorded"]
        else:
            why = ["template"] if record.template != sha else []
            why += ["netdocs version"] if record.netdocs != __version__ else []
            why += what_changed(record.dependencies, sources)
        if why:
            out.append(Planned(*common, why=tuple(why)))
        else:
            assert record is not None and entry is not None and entry.key is not None
            out.append(Planned(*common, reused=record, key=entry.key))

    for t in network_types():
        add(t.name, None, f"{t.name}.docx")
    for cluster in sources.snapshot.network.clusters_in_order():
        for t in per_cluster_types():
            add(t.name, cluster.id, f"clusters/{t.name}-{cluster.id}.docx")
    return out
