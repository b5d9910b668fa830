"""index.html: the edition's landing page for a shared drive or website.

The page names the edition by its display name (``title`` in netdocs.toml, "2026 Annual
Meeting") and its meeting; the slug is only the folder's name. Its data line says the day the
figures are computed for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import TYPE_CHECKING

from ..documents.common import long_date
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


def size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.0f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


STYLE = """
body { font-family: Carlito, Calibri, "Segoe UI", Arial, sans-serif; margin: 2rem auto;
       max-width: 60rem; color: #222; line-height: 1.4; padding: 0 1rem; }
h1 { color: #1F4E79; margin-bottom: .2rem; } h2 { color: #1F4E79; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #ddd;
         vertical-align: top; }
th { background: #1F4E79; color: white; }
a { color: #1F4E79; } .size { color: #777; font-size: .85em; white-space: nowrap; }
.meta { color: #555; }
"""


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
    network: str, edition: str, meeting: str, rows: Sequence[Row], data_line: str
) -> str:
    """The page's HTML. ``edition`` is the edition's display name (not its folder's slug);
    ``meeting`` and ``data_line`` are from :func:`meeting_line` and :func:`data_line`."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        CSP_META,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(network)}: {escape(edition)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(network)}</h1>",
        f'<p class="meta"><strong>{escape(edition)}</strong> · {escape(meeting)}</p>',
    ]
    for group, items in groups.items():
        parts += [
            f"<h2>{escape(group)}</h2>",
            "<table><thead><tr><th>Document</th><th>What it is</th><th>Formats</th>"
            "</tr></thead><tbody>",
        ]
        for row in items:
            links = "<br>".join(
                f'<a href="{escape(href, quote=True)}">{escape(label)}</a> '
                f'<span class="size">{size(n)}</span>'
                for label, href, n in row.links
            )
            parts.append(
                f"<tr><td>{escape(row.title)}</td><td>{escape(row.description)}</td>"
                f"<td>{links}</td></tr>"
            )
        parts.append("</tbody></table>")
    parts += [
        f'<p class="meta">{escape(data_line)}</p>',
        '<p class="meta"><a href="manifest.json">manifest.json</a> lists every file with '
        "its SHA-256 and the inputs it was built from.</p>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def edition_page(settings: Settings, snapshot: Snapshot, rows: Sequence[Row]) -> str:
    """The landing page of the edition ``settings`` describe, built from ``snapshot``: its
    display name, its meeting's city and day, and its figures' as-of day."""
    from .. import __version__

    net = snapshot.network.network
    as_of = settings.as_of_for(snapshot.read_at.date())
    return landing_page(
        net.name,
        settings.title,
        meeting_line(net.meeting.city, settings.meeting_date or net.meeting.date),
        rows,
        data_line(as_of, snapshot.read_at, snapshot.sha256, __version__),
    )
