"""What an edition contains, and the inputs each document is built from.

Each planned document gets an *input key*: a hash of everything that can change it (its type
and cluster, the template's bytes, the data's sha256, the KB articles it uses with their
content hashes, the edition's as-of day for documents that compute with it (overdue flags,
renewals, the Gantt's "today" line), the edition's display name, the changes text for the
handbook, and the netdocs version). A document whose key is unchanged is not rebuilt: a
publish on another day, with the same as-of day and the same inputs, rebuilds nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import __version__
from ..documents.build import MODULES
from ..documents.registry import REGISTRY
from ..kb import KnowledgeBase
from ..network import Snapshot


@dataclass(frozen=True)
class Planned:
    """A document of the edition."""

    kind: str
    cluster: str | None
    docx: str
    """Path of the .docx inside the edition folder (POSIX)."""
    key: str
    """Input key: unchanged key, unchanged document."""
    articles: dict[str, str]
    """KB article id -> content sha256."""
    template: Path
    template_sha256: str

    @property
    def stem(self) -> str:
        return self.docx[: -len(".docx")]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plan_edition(
    kb: KnowledgeBase,
    snapshot: Snapshot,
    templates: Path,
    changes: str,
    *,
    as_of: date | None = None,
    title: str = "",
) -> list[Planned]:
    """The documents of an edition: the network documents, then the per-cluster ones for each
    cluster, in registry order.

    ``as_of``: the edition's as-of day (default: the day the data was read); ``title``: the
    edition's display name, printed on every cover."""
    template_hash = {k: sha256_file(templates / t.template) for k, t in REGISTRY.items()}
    used = {k: {a.id: a.content_hash for a in m.articles(kb)} for k, m in MODULES.items()}
    day = (as_of or snapshot.read_at.date()).isoformat()
    out: list[Planned] = []

    def add(kind: str, cluster: str | None, docx: str) -> None:
        module = MODULES[kind]
        inputs = {
            "kind": kind,
            "cluster": cluster,
            "template": template_hash[kind],
            "data": snapshot.sha256,
            "articles": used[kind],
            "as_of": day if module.USES_DATE else None,
            "title": title,
            "changes": changes if kind == "handbook" else None,
            "netdocs": __version__,
        }
        key = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
        out.append(
            Planned(
                kind,
                cluster,
                docx,
                key,
                used[kind],
                templates / REGISTRY[kind].template,
                template_hash[kind],
            )
        )

    for kind in (t.name for t in REGISTRY.values() if t.network):
        add(kind, None, f"{kind}.docx")
    for cluster in snapshot.network.clusters:
        for kind in (t.name for t in REGISTRY.values() if t.per_cluster):
            add(kind, cluster.id, f"clusters/{kind}-{cluster.id}.docx")
    return out
