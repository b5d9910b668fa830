"""A redline between two editions: a Word document with real tracked changes (``w:ins``,
``w:del``) showing what changed in a document's text since the earlier edition.

Built from the Markdown each edition recorded for the document (``source/<stem>.md``,
:mod:`.redline_source`), never from the .docx files: the blocks (articles, generated text,
part headings) are aligned by key (an article by its id, so that a renamed or moved article
file is compared with its earlier text): a block only in the new edition is inserted whole,
one only in the old deleted whole, one in both compared paragraph by paragraph and word by
word on pandoc's AST (:mod:`.redline_diff`). pandoc writes the result with the document type's
styles (a styles-only copy of its template, :mod:`.redline_docx`), its ``insertion`` and
``deletion`` spans becoming tracked changes by the network (its short name, else
``netdocs``) dated the new edition's as-of day; Word and LibreOffice accept or reject each.

:func:`redline` makes one; :func:`edition_redlines` the handbook's and the strategy's of a
publish; :func:`find_edition` resolves the editions ``netdocs redline`` names.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, Literal

from ..errors import NetdocsError, NotFoundError, UsageError
from ..fs import atomic_write
from .manifest import is_netdocs_manifest
from .redline_diff import diff_blocks
from .redline_docx import finish_tracking, reference_doc, with_properties
from .redline_mark import Tracker, mark_blocks
from .redline_normalise import key, normalise
from .redline_source import (
    SOURCE,
    Edition,
    Unit,
    article_ids,
    has_sources,
    map_path,
    part_heading_lines,
    read_edition,
    read_units,
)
from .redline_source import source_path as source_path

log = logging.getLogger(__name__)

REDLINED = ("handbook", "strategy")
"""The documents a publish writes a redline of."""
AUTHOR = "netdocs"
"""The author of the changes when the edition does not name its network."""


def redline_name(stem: str) -> str:
    """The file name of the redline of ``stem`` (``handbook`` -> ``handbook-redline.docx``)."""
    return f"{stem}-redline.docx"


@dataclass(frozen=True)
class BlockChange:
    """One block that changed between the editions."""

    key: str
    """The article's KB path, ``block:NAME`` for generated text, ``part:Heading``."""
    change: Literal["added", "removed", "revised"]
    title: str
    """The article's title, when the editions' manifests give it (else the key)."""


@dataclass
class RedlineResult:
    """What one redline shows."""

    path: Path
    """The .docx written."""
    stem: str
    old: str
    """The earlier edition's name."""
    new: str
    insertions: int = 0
    """Tracked insertions: runs of words, paragraphs, cells."""
    deletions: int = 0
    changes: list[BlockChange] = field(default_factory=list)
    """The blocks that changed, in document order."""
    unchanged: int = 0
    """Blocks in both editions with the same text."""
    warnings: list[str] = field(default_factory=list)
    """What pandoc said."""

    def count(self, change: str) -> int:
        return sum(1 for c in self.changes if c.change == change)


def redline(
    old: Path,
    new: Path,
    stem: str,
    target: Path,
    *,
    as_of: str | None = None,
    author: str | None = None,
    templates: Path | None = None,
    new_name: str | None = None,
) -> RedlineResult:
    """Write to ``target`` the redline of the document ``stem`` from the edition folder ``old``
    to ``new``.

    ``as_of`` dates the changes (default: the new edition's as-of day from its manifest);
    ``author`` signs them (default: the network's short name from the new edition's data
    snapshot, else ``netdocs``); ``templates``: the project's templates folder, whose template
    of the document type lends its styles (default: pandoc's); ``new_name``: the new
    edition's name when ``new`` is a staging folder."""
    before, after = read_edition(old), read_edition(new, new_name)
    for edition in (before, after):
        require_sources(edition.folder, stem)
    units_old, units_new = (
        read_units(source_path(e, stem), part_heading_lines(map_path(e, stem))) for e in (old, new)
    )
    day = as_of or after.as_of
    tracker = Tracker(author or after.network_short or AUTHOR, _timestamp(day))
    kind = document_kind(new, stem)
    label = _document_title(kind, stem)
    title = f"{label}: changes since {before.title}"
    intro = _intro(label, before, after, day)

    from ..render.model import read_articles

    read = read_articles([intro] + [u.text for u in units_old + units_new])
    blocks = [normalise(b) for b in read.blocks]
    intro_blocks = blocks[0]
    old_blocks = dict(zip(map(id, units_old), blocks[1 : 1 + len(units_old)], strict=True))
    new_blocks = dict(zip(map(id, units_new), blocks[1 + len(units_old) :], strict=True))
    result = RedlineResult(target, stem, before.name, after.name, warnings=list(read.warnings))
    body: list[Any] = []
    titles = {**before.titles, **after.titles}

    def changed(unit: Unit, change: Literal["added", "removed", "revised"]) -> None:
        if unit.key:
            result.changes.append(BlockChange(unit.key, change, _label(unit, titles)))

    matcher = SequenceMatcher(
        None,
        _identities(before, stem, units_old),
        _identities(after, stem, units_new),
        autojunk=False,
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for a, b in zip(units_old[i1:i2], units_new[j1:j2], strict=True):
                ba, bb = old_blocks[id(a)], new_blocks[id(b)]
                if key(ba) == key(bb):
                    result.unchanged += 1
                    body += bb
                else:
                    changed(b, "revised")
                    body += diff_blocks(ba, bb, tracker)
            continue
        for a in units_old[i1:i2]:
            changed(a, "removed")
            body += mark_blocks(old_blocks[id(a)], "deletion", tracker)
        for b in units_new[j1:j2]:
            changed(b, "added")
            body += mark_blocks(new_blocks[id(b)], "insertion", tracker)
    result.insertions, result.deletions = tracker.insertions, tracker.deletions
    if not result.changes:
        body = _no_changes(label, before) + body
    doc = {
        "pandoc-api-version": read.api,
        "meta": {"title": {"t": "MetaInlines", "c": _inlines(title)}},
        "blocks": intro_blocks + body,
    }
    template = _template(templates, kind)
    properties = {"edition": after.name, "document": kind, "editions": (before.name, after.name)}
    result.warnings += _write(doc, target, template, tracker, properties)
    return result


def _identities(edition: Edition, stem: str, units: list[Unit]) -> list[str]:
    """What pairs each unit with its counterpart in the other edition: an article by its id
    (its source map's, else its manifest's: a renamed or moved file is the same article),
    anything else by its key."""
    ids = {**edition.ids, **article_ids(map_path(edition.folder, stem))}
    return [f"article:{ids[u.key]}" if u.key in ids else u.key for u in units]


def _label(unit: Unit, titles: dict[str, str]) -> str:
    """How a changed block is named: an article by its title, generated text by its first
    heading, a part by its heading."""
    if unit.key in titles:
        return titles[unit.key]
    if unit.is_part:
        return f"{unit.key.removeprefix('part:')} (heading)"
    if unit.key.startswith("block:"):
        heading = re.match(r"#{1,6}\s+(.+?)\s*#*\s*$", unit.text.lstrip().split("\n", 1)[0])
        what = heading.group(1) if heading else unit.key.removeprefix("block:")
        return f"{what} (generated text)"
    return unit.key


def require_sources(edition: Path, stem: str = "") -> None:
    """Raise when ``edition`` does not record the Markdown of its documents (of ``stem``,
    when given), saying what to do."""
    if not has_sources(edition):
        raise NetdocsError(
            f"{edition} has no {SOURCE}/ records of the Markdown its documents were built "
            "from (it was published by an older netdocs): publish it again with this "
            "netdocs to compare it"
        )
    if stem and not source_path(edition, stem).is_file():
        recorded = sorted(
            str(p.relative_to(edition / SOURCE).with_suffix("")).replace("\\", "/")
            for p in (edition / SOURCE).rglob("*.md")
        )
        raise NotFoundError(
            f"{source_path(edition, stem)}: the edition has no {stem} "
            f"(it records: {', '.join(recorded) or 'nothing'})"
        )


def _timestamp(day: str | None) -> str:
    """A tracked change's date: the as-of day at midnight UTC (the build time without one)."""
    if day:
        return f"{day}T00:00:00Z"
    from ..repro import build_time

    return build_time().strftime("%Y-%m-%dT%H:%M:%SZ")


def document_kind(edition: Path, stem: str) -> str:
    """The document type of ``stem``: as its source map records it, else from its name."""
    try:
        recorded = json.loads(map_path(edition, stem).read_text("utf-8"))
        kind = recorded.get("document") if isinstance(recorded, dict) else None
        if isinstance(kind, str) and kind:
            return kind
    except (OSError, ValueError):
        pass
    from ..documents.registry import REGISTRY

    name = stem.rsplit("/", 1)[-1]
    fits = [t for t in REGISTRY if name == t or name.startswith(t + "-")]
    return max(fits, key=len) if fits else name


def _document_title(kind: str, stem: str) -> str:
    from ..documents.registry import REGISTRY

    found = REGISTRY.get(kind)
    return found.title if found else stem.rsplit("/", 1)[-1].replace("-", " ").capitalize()


def _template(templates: Path | None, kind: str) -> Path | None:
    if templates is None:
        return None
    from ..documents.registry import REGISTRY

    found = REGISTRY.get(kind)
    path = templates / (found.template if found else f"{kind}.docx")
    return path if path.is_file() else None


def _intro(label: str, before: Edition, after: Edition, day: str | None) -> str:
    since = f"the edition **{before.title}**" + (f" (as of {before.as_of})" if before.as_of else "")
    now = f"the edition **{after.title}**" + (f" (as of {day})" if day else "")
    return (
        f"This document shows, as tracked changes, every change to the text of the "
        f"{label.lower()} between {since} and {now}: inserted text is marked as an insertion, "
        "deleted text as a deletion, each with its author and date; everything else reads as "
        "in the new edition. Articles and generated text (tables from the network data "
        "included) are compared as they were printed, paragraph by paragraph and word by "
        "word; pictures show as their description.\n\n"
        "In Word, use Review › Accept or Reject for one change at a time, or Accept All "
        "Changes to get the new edition's text (Reject All Changes gives the earlier one's). "
        "In LibreOffice, use Edit › Track Changes › Manage. To change the knowledge base, "
        "edit its articles, not this document.\n"
    )


def _no_changes(label: str, before: Edition) -> list[Any]:
    text = f"No text of the {label.lower()} changed since {before.title}."
    return [{"t": "Para", "c": [{"t": "Strong", "c": _inlines(text)}]}]


def _inlines(text: str) -> list[Any]:
    out: list[Any] = []
    for n, word in enumerate(text.split()):
        out += ([{"t": "Space"}] if n else []) + [{"t": "Str", "c": word}]
    return out


def _write(
    doc: dict[str, Any],
    target: Path,
    template: Path | None,
    tracker: Tracker,
    properties: dict[str, Any],
) -> list[str]:
    """Write the redline's AST ``doc`` to ``target`` with pandoc (the styles of ``template``),
    its changes finished and its custom properties (:func:`with_properties`) set; pandoc's
    warnings."""
    from ..render.pandoc import run_pandoc

    with tempfile.TemporaryDirectory(prefix="netdocs-redline-") as tmp:
        out = Path(tmp) / "redline.docx"
        args = ["-f", "json", "-t", "docx", "-o", str(out)]
        if template is not None:
            reference = Path(tmp) / "reference.docx"
            reference_doc(template, reference)
            args += ["--reference-doc", str(reference)]
        _stdout, warnings = run_pandoc(
            args,
            f"pandoc failed writing the redline {target.name}:\n",
            stdin=json.dumps(doc, ensure_ascii=False).encode("utf-8"),
        )
        data = finish_tracking(out.read_bytes(), tracker.author, tracker.date)
    data = with_properties(data, **properties)
    atomic_write(target, data)
    return warnings


# -- the editions of a project -------------------------------------------------------------------


def find_edition(outputs: Path, name: str) -> Path:
    """The edition folder ``name`` names: a folder (a path), else an edition in ``outputs``.
    Raises NotFoundError listing the editions there."""
    given = Path(name)
    if given.is_dir() and (is_netdocs_manifest(given) or has_sources(given)):
        return given
    candidate = outputs / name
    if "/" not in name and candidate.is_dir() and is_netdocs_manifest(candidate):
        return candidate
    known = editions(outputs)
    there = f"editions in {outputs}: {', '.join(known)}" if known else f"no edition in {outputs}"
    raise NotFoundError(f"unknown edition '{name}' ({there})")


def editions(outputs: Path) -> list[str]:
    """The names of the editions in ``outputs`` (folders with a netdocs manifest)."""
    if not outputs.is_dir():
        return []
    return sorted(
        p.name for p in outputs.iterdir()
        if p.is_dir() and not p.name.startswith(".") and is_netdocs_manifest(p)
    )  # fmt: skip


def check_pair(old: Path, new: Path) -> None:
    """Raise when ``old`` and ``new`` are one edition."""
    if old.resolve() == new.resolve():
        raise UsageError(
            f"{old} is given twice: name an earlier edition and a later one "
            "(netdocs redline OLD NEW)"
        )


# -- in a publish --------------------------------------------------------------------------------


@dataclass
class Redlines:
    """The redlines a publish wrote."""

    paths: list[str] = field(default_factory=list)
    """Their paths relative to the edition folder."""
    results: list[RedlineResult] = field(default_factory=list)
    reason: str = ""
    """Why some or all were not written ('' when all were): for the publish to print."""


def edition_redlines(
    earlier: Path,
    staging: Path,
    *,
    as_of: str | None = None,
    edition: str | None = None,
    templates: Path | None = None,
    stems: tuple[str, ...] = REDLINED,
) -> Redlines:
    """Write ``handbook-redline.docx`` and ``strategy-redline.docx`` into ``staging`` (the new
    edition before it is swapped in), comparing with the edition folder ``earlier``.

    ``as_of``: the new edition's as-of day (ISO; default: ``staging/manifest.json``'s);
    ``edition``: its name (staging folders have another); ``templates``: the project's
    templates folder. An earlier edition without source records (an older netdocs made it)
    gives no redline and a reason; so does a document either edition lacks."""
    done = Redlines()
    if not has_sources(earlier):
        done.reason = (
            f"no redlines: the earlier edition {earlier.name} was published by an older "
            "netdocs without source records (publish it again to compare with it)"
        )
        return done
    skipped: list[str] = []
    for stem in stems:
        if not source_path(staging, stem).is_file() or not source_path(earlier, stem).is_file():
            skipped.append(stem)
            continue
        name = redline_name(stem)
        result = redline(earlier, staging, stem, staging / name, as_of=as_of,
                         templates=templates, new_name=edition)  # fmt: skip
        done.paths.append(name)
        done.results.append(result)
    if skipped:
        done.reason = (
            f"no redline of the {' and the '.join(skipped)}: not in both this edition and "
            f"{earlier.name}"
        )
    return done
