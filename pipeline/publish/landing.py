"""index.html: the edition's landing page for a shared drive or website.

The page names the edition by its display name (``title`` in netdocs.toml, "2026 Annual
Meeting") and its meeting's city and day; the slug is only the folder's name. The network's
documents come first, then the clusters' documents, grouped by cluster: the regional clusters,
then the thematic ones, each sorted by name (:func:`~pipeline.network.model.cluster_order`).
Its data line says the day the figures are computed for.

The page is one file styled by the sites' stylesheet (:func:`~pipeline.render.writers.
stylesheet`) inlined in one ``<style>``: the manifest lists it as one file, and it reads the
same copied alone (a link in an e-mail, a shared drive's preview); the Content-Security-Policy
allows inline styles and nothing external.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from html import escape
from typing import TYPE_CHECKING

from ..documents.common import long_date
from ..network.model import CLUSTER_KINDS, Cluster, cluster_order
from ..render.csp import CSP_META

if TYPE_CHECKING:
    from ..config import Settings
    from ..network import Snapshot


@dataclass(frozen=True)
class Row:
    """One document on the landing page."""

    title: str
    description: str
    links: Sequence[tuple[str, str, int]]
    """(format label, relative href, size in bytes)."""
    group: str
    """The heading it is listed under when it is no cluster's (``Network documents``)."""
    cluster: str | None = None
    """The id of the cluster it is for: listed under that cluster's name."""


def size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.0f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


KIND_HEADINGS = {"regional": "Regional clusters", "thematic": "Thematic clusters"}
"""The heading of each kind of cluster (:data:`~pipeline.network.model.CLUSTER_KINDS`)."""


@cache
def style() -> str:
    """The sites' stylesheet, for the page's one ``<style>``."""
    from ..render.writers import stylesheet

    return stylesheet()


def meeting_line(city: str, day: date) -> str:
    """``Lisbon, 6 October 2026``."""
    return f"{city}, {long_date(day)}"


def data_line(as_of: date, read_at: datetime, sha256: str, version: str) -> str:
    """``Figures as of 31 October 2026. Built by netdocs … from data read … (sha256 …).``"""
    return (
        f"Figures as of {long_date(as_of)}. Built by netdocs {version} from data read "
        f"{read_at.isoformat(timespec='seconds')} (sha256 {sha256[:12]})."
    )


def landing_page(
    network: str,
    edition: str,
    meeting: str,
    rows: Sequence[Row],
    data_line: str,
    clusters: Sequence[Cluster] = (),
) -> str:
    """The page's HTML. ``edition`` is the edition's display name (not its folder's slug);
    ``meeting`` and ``data_line`` are from :func:`meeting_line` and :func:`data_line`. Rows
    of no cluster are listed under their group, in the order given; rows of one of
    ``clusters`` under that cluster, by kind and name."""
    known = {c.id: c for c in clusters}
    groups: dict[str, list[Row]] = {}
    per_cluster: dict[str, list[Row]] = {}
    for row in rows:
        if row.cluster is not None and row.cluster in known:
            per_cluster.setdefault(row.cluster, []).append(row)
        else:
            groups.setdefault(row.group, []).append(row)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        CSP_META,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(network)}: {escape(edition)}</title>",
        f'<style>\n{style()}</style></head><body class="landing">',
        '<main class="landing-main">',
        f"<h1>{escape(network)}</h1>",
        f'<p class="meta"><strong>{escape(edition)}</strong> · {escape(meeting)}</p>',
    ]
    for group, items in groups.items():
        parts += [f"<h2>{escape(group)}</h2>", _table_start()]
        parts += ["<tbody>", *(_row(r) for r in items), "</tbody>", "</table>"]
    listed = sorted((known[c] for c in per_cluster), key=cluster_order)
    for kind in CLUSTER_KINDS:
        of_kind = [c for c in listed if c.kind == kind]
        if not of_kind:
            continue
        parts += [f"<h2>{escape(KIND_HEADINGS.get(kind, kind.capitalize()))}</h2>", _table_start()]
        for cluster in of_kind:
            parts += [
                "<tbody>",
                f'<tr><th colspan="3" scope="rowgroup">{escape(cluster.name)}</th></tr>',
                *(_row(r, cluster.name) for r in per_cluster[cluster.id]),
                "</tbody>",
            ]
        parts.append("</table>")
    parts += [
        f'<p class="meta">{escape(data_line)}</p>',
        '<p class="meta"><a href="manifest.json">manifest.json</a> lists every file with '
        "its SHA-256 and the inputs it was built from.</p>",
        "</main>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _table_start() -> str:
    return (
        '<table><thead><tr><th scope="col">Document</th><th scope="col">What it is</th>'
        '<th scope="col">Formats</th></tr></thead>'
    )


def _row(row: Row, cluster_name: str | None = None) -> str:
    """One document's row; under its cluster's name, its title without that name."""
    title = row.title
    if cluster_name and title.endswith(f": {cluster_name}"):
        title = title[: -len(f": {cluster_name}")]
    links = "<br>".join(
        f'<a href="{escape(href, quote=True)}">{escape(label)}</a> '
        f'<span class="size">{size(n)}</span>'
        for label, href, n in row.links
    )
    return f"<tr><td>{escape(title)}</td><td>{escape(row.description)}</td><td>{links}</td></tr>"


def edition_page(settings: Settings, snapshot: Snapshot, rows: Sequence[Row]) -> str:
    """The landing page of the edition ``settings`` describe, built from ``snapshot``: its
    display name, its meeting's city and day, its figures' as-of day, the documents of its
    clusters by kind and name."""
    from .. import __version__

    net = snapshot.network.network
    as_of = settings.as_of_for(snapshot.read_at.date())
    return landing_page(
        net.name,
        settings.title,
        meeting_line(net.meeting.city, settings.meeting_date or net.meeting.date),
        rows,
        data_line(as_of, snapshot.read_at, snapshot.sha256, __version__),
        snapshot.network.clusters_in_order(),
    )
