"""What changed since the last edition: KB articles, members and activities.

Editions are compared by their as-of days (the day each edition's figures are computed for,
recorded in its manifest as ``as_of``); an edition published before the as-of day existed is
dated by the day its data was read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..documents.common import md
from ..errors import NetdocsError
from ..kb import KnowledgeBase
from ..network import Snapshot, load_network
from .manifest import KbRecord, Manifest, read_manifest

log = logging.getLogger(__name__)
DATA_FILE = "data-snapshot.json"


@dataclass(frozen=True)
class Earlier:
    """The earlier edition compared with."""

    name: str
    kb: dict[str, KbRecord]
    snapshot: Snapshot
    as_of: date
    """The day its figures were computed for (its data's read day if it recorded none)."""
    folder: Path | None = None
    """Its edition folder."""


def kb_inventory(kb: KnowledgeBase) -> dict[str, KbRecord]:
    """id -> title, path and content hash of every article (recorded in the manifest)."""
    return {
        a.id: KbRecord(title=a.title, path=a.path, sha256=a.content_hash)
        for a in sorted(kb.articles, key=lambda a: a.id)
    }


def find_earlier(outputs: Path, current: str) -> Earlier | None:
    """The most recent other edition in ``outputs`` with a manifest and a data snapshot."""
    candidates: list[tuple[str, str, str, Manifest, Path]] = []
    if not outputs.is_dir():
        return None
    for folder in outputs.iterdir():
        if not folder.is_dir() or folder.name == current or folder.name.startswith("."):
            continue
        manifest = read_manifest(folder)
        if manifest is None or not (folder / DATA_FILE).is_file():
            continue
        read_at = manifest.data.read_at
        candidates.append((_recorded_as_of(manifest) or read_at[:10], read_at, folder.name,
                           manifest, folder))  # fmt: skip
    if not candidates:
        return None
    _as_of, _read_at, name, manifest, folder = max(candidates, key=lambda c: c[:3])
    try:
        snapshot = load_network(str(folder / DATA_FILE))
    except NetdocsError as exc:
        log.warning("cannot compare with edition %s: %s", name, exc.format_message())
        return None
    as_of = _parse_day(_recorded_as_of(manifest)) or snapshot.read_at.date()
    return Earlier(name, manifest.kb, snapshot, as_of, folder)


def _recorded_as_of(manifest: Manifest) -> str:
    value = manifest.as_of
    return value if value and _parse_day(value) else ""


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def changes_markdown(
    earlier: Earlier, kb: KnowledgeBase, snapshot: Snapshot, as_of: date | None = None
) -> str:
    """Markdown listing what changed (headings are level 1; documents shift them).

    ``as_of``: this edition's as-of day (default: the day its data was read)."""
    now = kb_inventory(kb)
    before = earlier.kb
    added = sorted(set(now) - set(before))
    removed = sorted(set(before) - set(now))
    revised = sorted(i for i in set(now) & set(before) if now[i].sha256 != before[i].sha256)
    old, new = earlier.snapshot.network, snapshot.network
    old_orgs = {o.id: o for o in old.organisations}
    new_orgs = {o.id: o for o in new.organisations}
    old_acts = {a.id: a for a in old.activities}
    new_acts = {a.id: a for a in new.activities}

    def articles(ids: list[str], inv: dict[str, KbRecord]) -> list[str]:
        return [f"{md(inv[i].title)} ({md(i)})" for i in ids]

    sections = [
        ("Knowledge-base articles added", articles(added, now)),
        ("Knowledge-base articles removed", articles(removed, before)),
        ("Knowledge-base articles revised", articles(revised, now)),
        (
            "Members joined",
            [
                f"{md(new_orgs[i].name)} ({md(new_orgs[i].country)})"
                for i in sorted(set(new_orgs) - set(old_orgs))
            ],
        ),
        (
            "Members left",
            [
                f"{md(old_orgs[i].name)} ({md(old_orgs[i].country)})"
                for i in sorted(set(old_orgs) - set(new_orgs))
            ],
        ),
        (
            "Activities added",
            [f"{md(i)} {md(new_acts[i].title)}" for i in sorted(set(new_acts) - set(old_acts))],
        ),
        (
            "Activities completed",
            [
                f"{md(i)} {md(a.title)}"
                for i, a in sorted(new_acts.items())
                if a.status == "done" and (i not in old_acts or old_acts[i].status != "done")
            ],
        ),
        (
            "Activities cancelled",
            [
                f"{md(i)} {md(a.title)}"
                for i, a in sorted(new_acts.items())
                if a.status == "cancelled"
                and (i not in old_acts or old_acts[i].status != "cancelled")
            ],
        ),
    ]
    now_as_of = as_of or snapshot.read_at.date()
    lines = [
        f"Compared with the edition **{md(earlier.name)}** (figures as of "
        f"{md(earlier.as_of.isoformat())}; this edition's as of {md(now_as_of.isoformat())})."
    ]
    for title, items in sections:
        lines += ["", f"# {title} ({len(items)})", ""]
        lines += [f"- {item}" for item in items] or ["_None._"]
    return "\n".join(lines) + "\n"
