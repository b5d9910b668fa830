"""``netdocs review import``: read a reviewed document, find its edition and map its items.

The document names its edition, type and cluster in its custom properties (written by every
netdocs render, kept by Word and LibreOffice); the edition's folder holds the source map and
Markdown the document was built from (``source/<stem>.map.json``, ``source/<stem>.md``), its
manifest and its data snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NotFoundError, UsageError
from .model import ReviewItem


@dataclass
class Review:
    """A reviewed document mapped back to its edition."""

    docx: Path
    """The reviewed file."""
    edition: Path
    """The edition's folder."""
    document: str
    """The document type (``handbook``)."""
    cluster: str | None
    source_map: Any
    """Its :class:`~pipeline.documents.source.SourceMap`."""
    items: list[ReviewItem]
    kb_root: Path

    def as_dict(self) -> dict[str, Any]:
        return {
            "docx": str(self.docx),
            "edition": self.edition.name,
            "document": self.document,
            "cluster": self.cluster,
            "items": [i.as_dict() for i in self.items],
        }


def review_document(
    path: Path, outputs: Path, kb_root: Path, edition: str | None, root: Path | None = None
) -> Review:
    """Read the reviewed document ``path`` and map its items (``outputs``: the project's
    outputs folder; ``edition``: the edition folder name chosen, default the document's;
    ``root``: the project's folder, where a relative data source is, default the outputs' or
    the KB's parent)."""
    from ..render.custom_props import CLUSTER, DOCUMENT, EDITION
    from .docx_reader import read_reviewed

    reviewed = read_reviewed(path)
    props = reviewed.properties
    own = props.get(EDITION)
    kind = props.get(DOCUMENT)
    if reviewed.properties_damaged and edition is None:
        raise UsageError(
            f"{path.name}: the document's properties are unreadable "
            f"({reviewed.properties_damaged}), so its edition is not known: name it with "
            "--edition NAME, or review the document netdocs published (outputs/EDITION/*.docx)"
        )
    redline = props.get(REDLINE)
    if redline:
        old, _dots, new = redline.partition("..")
        what = kind or "document"
        raise UsageError(
            f"{path.name}: this is the redline of the {what} between editions {old} and "
            f"{new or '?'}, not a published document: have reviewers comment on "
            f"outputs/{new or own or 'EDITION'}/{_stem(what, props.get(CLUSTER))}.docx"
        )
    if (not own or not kind) and edition is None:
        raise UsageError(
            f"{path.name} was not made by netdocs (it has no {EDITION} and {DOCUMENT} "
            "document properties): review import reads a handbook, strategy or action plan "
            "netdocs published (outputs/EDITION/*.docx) that reviewers commented on; for a "
            "copy that lost them (pasted into a new document, converted), name its edition "
            "with --edition NAME"
        )
    if not own or not kind:
        assert edition is not None
        return _without_properties(path, reviewed, outputs, kb_root, edition, root)
    if edition is not None and edition != own:
        raise UsageError(
            f"{path.name} comes from the edition '{own}', not '{edition}': run it with "
            f"--edition {own} (or without --edition), or give the document of '{edition}'"
        )
    folder = _folder(path, outputs, own)
    cluster = props.get(CLUSTER) or None
    map_path = _map_path(folder, kind, cluster)
    return _mapped(path, reviewed, folder, map_path, kb_root, root)


REDLINE = "netdocs-redline"
"""The custom property a redline carries: ``OLD..NEW``, the two editions it compares."""


def _stem(kind: str, cluster: str | None) -> str:
    """The file name (without ``.docx``) of the document ``kind`` (of ``cluster``)."""
    return f"clusters/action-plan-{cluster}" if cluster else kind


def _folder(path: Path, outputs: Path, own: str) -> Path:
    folder = outputs / own
    if not folder.is_dir():
        raise NotFoundError(
            f"{path.name} comes from the edition '{own}', but there is no edition folder "
            f"{folder}: publish that edition (netdocs publish), or pass --edition NAME for a "
            "folder under the outputs folder"
        )
    return folder


def _mapped(
    path: Path, reviewed: Any, folder: Path, map_path: Path, kb_root: Path, root: Path | None
) -> Review:
    """``reviewed`` mapped through the source map at ``map_path`` of the edition ``folder``."""
    from ..documents.source import read_source_map
    from .mapping import Mapper
    from .records import read_records

    outputs = folder.parent
    source_map = read_source_map(map_path)
    markdown_path = map_path.with_name(map_path.name.replace(".map.json", ".md"))
    try:
        markdown = markdown_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        markdown = ""
    roots = [root] if root is not None else [outputs.parent, kb_root.parent]
    mapper = Mapper(reviewed, source_map, markdown, kb_root, read_records(folder, roots))
    return Review(path, folder, source_map.document, source_map.cluster, source_map,
                  mapper.map(), kb_root)  # fmt: skip


def _without_properties(
    path: Path, reviewed: Any, outputs: Path, kb_root: Path, edition: str, root: Path | None
) -> Review:
    """A document that lost its properties, said to come from ``edition``: the document of
    that edition whose headings it has most of."""
    from ..documents.source import FOLDER, read_source_map
    from .locate import normalise

    folder = _folder(path, outputs, edition)
    if not (folder / FOLDER).is_dir():
        _map_path(folder, "handbook", None)  # raises: no source records
    headings = {normalise(h.text) for h in reviewed.headings} - {""}
    best = 0
    chosen: Path | None = None
    for candidate in sorted((folder / FOLDER).rglob("*.map.json")):
        try:
            found = read_source_map(candidate)
        except UsageError:
            continue
        titles = {normalise(b.part_heading) for b in found.blocks if b.part_heading}
        titles |= {normalise(s.title) for b in found.blocks for s in b.sections}
        score = len(headings & titles)
        if score > best:
            best, chosen = score, candidate
    if chosen is None:
        raise UsageError(
            f"{path.name} has no netdocs document properties, and none of the documents of "
            f"the edition '{edition}' has its headings: it is not a document of that edition "
            "(give the document netdocs published, or the edition it came from)"
        )
    return _mapped(path, reviewed, folder, chosen, kb_root, root)


def _map_path(folder: Path, kind: str, cluster: str | None) -> Path:
    """The source map of the document ``kind`` (of ``cluster``) in the edition ``folder``."""
    from ..documents.source import FOLDER, read_source_map
    from ..publish.manifest import read_manifest

    what = f"the {kind}" + (f" of the cluster {cluster}" if cluster else "")
    source = folder / FOLDER
    if not source.is_dir():
        raise NotFoundError(
            f"{folder} has no record of what its documents were built from ({FOLDER}/ is "
            "missing; it was published by an older netdocs): publish the edition again "
            "(netdocs publish) and send the reviewers the new document"
        )
    manifest = read_manifest(folder)
    for entry in manifest.files if manifest is not None else []:
        if entry.format == "source-map" and entry.document == kind and entry.cluster == cluster:
            return folder / entry.path
    for candidate in sorted(source.rglob("*.map.json")):
        try:
            found = read_source_map(candidate)
        except UsageError:
            continue
        if found.document == kind and found.cluster == cluster:
            return candidate
    raise NotFoundError(
        f"{folder / FOLDER} has no source map of {what}: publish the edition again "
        "(netdocs publish) and send the reviewers the new document"
    )
