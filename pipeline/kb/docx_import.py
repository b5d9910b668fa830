"""``netdocs kb import``: a Word guide (.docx) made into knowledge-base articles.

The .docx is checked first (:mod:`.docx_import_check`: not a docx, password-protected,
corrupt, a part too large), then its checked copy is read by pandoc (``-f docx+styles
--track-changes=all``, to its JSON document model), cleaned (:mod:`.docx_import_ast`) and cut
into one article per section at the split level, and each article written back to the
Markdown the knowledge base reads, by pandoc in one run.

Choices, as ``--help`` states them:

- **Split level**: ``--split-level N``, by default the highest heading level that yields more
  than one section. Every heading of that level or above starts an article (a heading above
  it with no text of its own before the next one is a grouping heading: it is not imported,
  and a warning says so). Deeper headings stay inside, shifted so that the article's title is
  its ``#`` heading and its highest section ``##``.
- **Text before the first heading** becomes an article of its own, titled by the document's
  "Title" paragraph or its title property (else the file's name), rather than being added to
  the first section it does not belong to.
- **Tracked changes** are read as accepted (the text as Word shows it with "No Markup"), and
  **comments** never become text; each of them is listed in the report with its author, date,
  text and the article it falls in.
- **Pictures** go to ``images/<document>/`` (from the .docx itself, after its sizes were
  checked), linked relatively from each article; one the documents cannot embed (EMF, WMF,
  TIFF...) is saved and linked, with a warning to convert it.
- **ids** are the heading's slug (with the type's prefix, as ``kb new`` makes them), made
  unique by ``-2``, ``-3``... in document order, so the same document gives the same ids.
- **Never overwrites**: if any file to be written exists, nothing is written and the error
  names every one of them, unless ``force``.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..errors import UsageError, WriteError
from ..fs import atomic_write, create_new
from ..render.pandoc import MARKDOWN_FORMAT, run_pandoc
from .docx_import_ast import (
    Cleaned,
    Cleaner,
    Node,
    flatten,
    heading_text,
    stringify,
)
from .docx_import_bookmarks import bookmark_headings
from .docx_import_check import read_source
from .docx_import_media import ImportedImage, pictures, undescribed
from .docx_import_meta import (
    STEP_TYPES,
    Segment,
    front_matter,
    humane,
    identifiers,
    remark_row,
    steps_of,
    summary,
)
from .docx_import_relink import relink, shift_headings
from .model import ARTICLE_TYPES, KnowledgeBase, id_from_path
from .scaffold import ORDERED, next_order

__all__ = [
    "ImportPlan",
    "ImportedArticle",
    "ImportedImage",
    "check_writable",
    "plan_import",
    "write_import",
]

SPLIT_MARK = "NETDOCSIMPORTSPLIT"
"""A paragraph put between articles in the one pandoc run that writes them all."""
_SPLIT_RE = re.compile(rf"^{SPLIT_MARK}\d+[ \t]*$", re.MULTILINE)


@dataclass
class ImportedArticle:
    """One article the import writes."""

    id: str
    title: str
    path: str
    """Knowledge-base relative path (``pages/funding.md``)."""
    text: str
    """The whole file: front matter and Markdown."""
    heading: str
    """The heading it was made from in the .docx (``""`` for the text before the first one)."""


@dataclass
class ImportPlan:
    """Everything an import writes and reports, worked out before anything is written."""

    source: Path
    root: Path
    """The knowledge-base folder."""
    kind: str
    split_level: int | None
    """The heading level split at (None: the document has no headings)."""
    updated: date
    articles: list[ImportedArticle] = field(default_factory=list)
    images: list[ImportedImage] = field(default_factory=list)
    remarks: list[dict[str, str]] = field(default_factory=list)
    """Comments and tracked changes: kind, author, date, text, anchor, article, path."""
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was read differently from the text (table of contents left out, styles...)."""
    existing: list[Path] = field(default_factory=list)
    """Files the import would overwrite."""

    def as_dict(self) -> dict[str, Any]:
        """The plan as JSON-ready data (``--json``)."""
        return {
            "source": str(self.source),
            "kb": str(self.root),
            "type": self.kind,
            "split_level": self.split_level,
            "updated": self.updated.isoformat(),
            "articles": [
                {"id": a.id, "title": a.title, "path": a.path, "heading": a.heading}
                for a in self.articles
            ],
            "images": [{"path": i.path, "bytes": i.size} for i in self.images],
            "comments_and_changes": self.remarks,
            "warnings": self.warnings,
            "notes": self.notes,
            "existing": [str(p) for p in self.existing],
        }


def plan_import(
    source: Path,
    kb: KnowledgeBase,
    kind: str = "page",
    split_level: int | None = None,
    steps: tuple[int, ...] = (),
    today: date | None = None,
) -> ImportPlan:
    """Read ``source`` and work out the articles and pictures it makes in ``kb``."""
    if kind not in ARTICLE_TYPES:
        raise UsageError(f"unknown type '{kind}' (choose from {', '.join(ARTICLE_TYPES)})")
    if steps and kind not in STEP_TYPES:
        raise UsageError(f"--step applies to {' and '.join(STEP_TYPES)} articles, not {kind}")
    if split_level is not None and not 1 <= split_level <= 6:
        raise UsageError(f"--split-level must be a heading level from 1 to 6, not {split_level}")
    today = today or date.today()
    data, core = read_source(source)
    raw, pandoc_warnings = run_pandoc(
        ["-f", "docx+styles", "--track-changes=all", "-t", "json"],
        f"pandoc could not read {source} (re-save it from Word or LibreOffice as .docx): ",
        stdin=data,
        tail=600,
    )
    doc = json.loads(raw)
    found = Cleaned()
    blocks = flatten(doc["blocks"], found)
    level = _split_level(blocks, split_level)
    warnings = [f"pandoc: {w}" for w in pandoc_warnings]
    if level is None:
        warnings.append(
            f"{source} has no headings{_at_level(split_level)}: "
            "imported as one article; give the sections Word's Heading 1, Heading 2... styles "
            "to split it"
        )
    warned = len(warnings)
    segments = _segments(blocks, level, warnings)
    cleaner = Cleaner(found)
    for n, seg in enumerate(segments):
        seg.blocks = cleaner.segment_blocks(n, seg.blocks, seg.has_title)
        if seg.has_title:
            seg.heading = stringify(seg.blocks[0]["c"][2])
    found.empty_headings -= len(warnings) - warned  # those a warning names already
    for name, key in bookmark_headings(data).items():
        if key in found.anchors:
            found.anchors.setdefault(name, found.anchors[key])
    doc_title = found.title or core.title or humane(source.stem)
    updated = core.modified or core.created
    if updated is None:
        updated = today
        warnings.append(
            f"{source} records neither when it was modified nor created: 'updated' is today, "
            f"{today.isoformat()}; correct it in each article if the text is older"
        )
    plan = ImportPlan(source, kb.root, kind, level, updated, warnings=warnings)
    kept = _kept_segments(segments, plan)
    doc_slug = id_from_path(source.stem)
    article_steps = steps_of(kb, kind, steps, len(kept), source, plan.warnings)
    idents = identifiers(
        kb, kind, kept, segments, doc_title, doc_slug, article_steps, plan.warnings
    )
    media, plan.images = pictures(data, found, kept, doc_slug, plan.warnings)
    anchors = found.anchors
    by_segment = {n: (ident, path) for n, ident, path, _t in idents}
    titles = {n: title for n, _i, _p, title in idents}

    def blocks_of(n: int) -> list[Node]:
        seg = segments[n]
        title = titles[n]
        body = seg.blocks[1:] if seg.has_title else seg.blocks
        head = {"t": "Header", "c": [1, ["", [], []], [{"t": "Str", "c": title}]]}
        if seg.has_title:
            head = seg.blocks[0] | {"c": [1, ["", [], []], seg.blocks[0]["c"][2]]}
        folder = posixpath.dirname(by_segment[n][1])

        def resolve(anchor: str) -> str | None:
            where = anchors.get(anchor)
            if where is None or where[0] not in by_segment:
                return None
            target = by_segment[where[0]][1]
            fragment = f"#{where[1]}" if where[1] else ""
            if where[0] == n:
                return fragment or None
            return posixpath.relpath(target, folder) + fragment

        def image_href(src: str) -> tuple[str, bool] | None:
            if re.match(r"^https?://", src):
                return src, True
            entry = media.get(src)
            if entry is None:
                return None
            return posixpath.relpath(entry[0], folder), entry[1]

        return relink(shift_headings([head, *body]), resolve, image_href)

    markdown = _to_markdown(doc["pandoc-api-version"], [blocks_of(n) for n in kept])
    order = next_order(kb, kind) if kind in ORDERED else None
    for i, (n, ident, path, title) in enumerate(idents):
        body = markdown[i]
        front = front_matter(
            ident, kind, title, article_steps[i], summary(segments[n], title, source),
            updated, today, None if order is None else order + i,
        )  # fmt: skip
        plan.articles.append(
            ImportedArticle(
                ident, title, path, front + body.strip("\n") + "\n", segments[n].heading
            )
        )
    plan.remarks = [remark_row(r, by_segment, segments) for r in found.remarks]
    _report(plan, found, media, by_segment)
    files = [a.path for a in plan.articles] + [i.path for i in plan.images]
    plan.existing = [kb.root / p for p in files if (kb.root / p).exists()]
    return plan


def _report(
    plan: ImportPlan,
    found: Cleaned,
    media: dict[str, tuple[str, bool]],
    by_segment: dict[int, tuple[str, str]],
) -> None:
    """The plan's notes and warnings on what was read differently from the text."""
    if found.toc_entries:
        plan.notes.append(
            f"the table of contents ({found.toc_entries} entries) is left out: every format "
            "netdocs writes makes its own"
        )
    if found.file_links:
        plan.warnings.append(
            f"{len(found.file_links)} link(s) to files on the author's computer or beside the "
            f"document ({found.file_links[0]}...) are kept as their text: no reader can open "
            "them; link the published page (https://...) or copy the file into the KB"
        )
    if found.empty_headings:
        plan.notes.append(
            f"{found.empty_headings} heading(s) with no text inside the articles are left "
            "out (the text under each stays in the section above it)"
        )
    missing = undescribed(found, media, by_segment)
    if missing:
        plan.warnings.append(missing)
    tables = [a.path for a in plan.articles if "<table>" in a.text]
    if tables:
        plan.notes.append(
            "tables with merged cells, or several paragraphs or a list in a cell, are written "
            f"as HTML tables (Markdown's tables cannot hold them) in {', '.join(tables)}: "
            "the documents show them as tables; edit them as HTML, or simplify them"
        )
    if found.styles:
        plan.notes.append("Word styles read as plain text: " + ", ".join(sorted(found.styles)))


def check_writable(plan: ImportPlan, force: bool = False) -> None:
    """Refuse (UsageError) a plan that would replace existing files, unless ``force``."""
    if plan.existing and not force:
        names = "\n".join(f"  {p}" for p in plan.existing)
        raise UsageError(
            f"{len(plan.existing)} file(s) already exist; nothing was written:\n{names}\n"
            "pass --force to replace them, or import into another folder with --kb DIR"
        )


def write_import(plan: ImportPlan, force: bool = False) -> None:
    """Write the plan's pictures and articles; refuse, writing nothing, when any exists."""
    check_writable(plan, force)
    write = atomic_write if force else create_new
    try:
        for image in plan.images:
            target = plan.root / image.path
            target.parent.mkdir(parents=True, exist_ok=True)
            write(target, image.data)
        for article in plan.articles:
            target = plan.root / article.path
            target.parent.mkdir(parents=True, exist_ok=True)
            write(target, article.text.encode("utf-8"))
    except FileExistsError as exc:
        raise UsageError(
            f"{exc.filename} appeared while importing; pass --force to replace it"
        ) from exc
    except OSError as exc:
        raise WriteError.from_os(exc, "the import stopped part way") from exc


def _split_level(blocks: list[Node], asked: int | None) -> int | None:
    levels = [b["c"][0] for b in blocks if _titled(b)]
    if asked is not None:
        return asked if any(lv <= asked for lv in levels) else None
    if not levels:
        return None
    for lv in sorted(set(levels)):
        if levels.count(lv) > 1:
            return lv
    return min(levels)


def _titled(block: Node) -> bool:
    """A heading with text (one with none starts no article and is left out)."""
    return block.get("t") == "Header" and bool(heading_text(block["c"][2]))


def _segments(blocks: list[Node], level: int | None, warnings: list[str]) -> list[Segment]:
    segments = [Segment("", 0, [], False)]
    for block in blocks:
        starts = level is not None and block.get("t") == "Header" and block["c"][0] <= level
        if starts and _titled(block):
            segments.append(Segment("", block["c"][0], [block], True))
            continue
        if starts:
            above = heading_text(segments[-1].blocks[0]["c"][2]) if segments[-1].has_title else ""
            warnings.append(
                f"a level-{block['c'][0]} heading has no text"
                + (f" (after '{above}')" if above else " (before the first heading)")
                + ": it starts no article and the text under it is imported "
                + (f"into '{above}'" if above else "with the text before the first heading")
                + "; type the heading's text in the .docx and import again to make it an "
                "article of its own"
            )
        segments[-1].blocks.append(block)
    return segments


def _has_text(blocks: list[Node]) -> bool:
    return any(
        b.get("t") != "Header" and (stringify(b) or "Image" in json.dumps(b)) for b in blocks
    )


def _kept_segments(segments: list[Segment], plan: ImportPlan) -> list[int]:
    """Indexes of the segments that become articles (those with text of their own)."""
    kept = []
    for n, seg in enumerate(segments):
        body = seg.blocks[1:] if seg.has_title else seg.blocks
        if _has_text(body):
            kept.append(n)
        elif seg.has_title and seg.level == plan.split_level:
            plan.warnings.append(
                f"the section '{seg.heading}' has no text: not imported (write its text in "
                "the .docx and import again, or create the article with netdocs kb new)"
            )
        elif seg.has_title:
            plan.notes.append(
                f"the heading '{seg.heading}' (level {seg.level}) only groups the sections "
                "after it: not imported as an article"
            )
    headings = [seg.heading for seg in segments if seg.has_title]
    if not kept and headings:
        shown = ", ".join(f"'{h}'" for h in headings[:3]) + (", ..." if len(headings) > 3 else "")
        raise UsageError(
            f"{plan.source} has only headings ({len(headings)}: {shown}) and no text under "
            "them: nothing to import; write each section's text under its heading, or check "
            "that it is the right file"
        )
    if not kept and segments:
        raise UsageError(
            f"{plan.source} has no text to import: write the guide in it, or check that it "
            "is the right file"
        )
    return kept


def _to_markdown(api_version: list[int], articles: list[list[Node]]) -> list[str]:
    """Each article's blocks as the knowledge base's Markdown, written in one pandoc run."""
    blocks: list[Any] = []
    for n, article in enumerate(articles):
        blocks.append({"t": "Para", "c": [{"t": "Str", "c": f"{SPLIT_MARK}{n}"}]})
        blocks.extend(article)
    doc = {"pandoc-api-version": api_version, "meta": {}, "blocks": blocks}
    out, _warnings = run_pandoc(
        ["-f", "json", "-t", MARKDOWN_FORMAT, "--wrap=none", "--reference-location=block"],
        "pandoc could not write the imported articles: ",
        stdin=json.dumps(doc).encode("utf-8"),
    )
    parts = _SPLIT_RE.split(out.decode("utf-8"))
    return parts[1:]


def _at_level(level: int | None) -> str:
    return "" if level is None else f" at level {level} or above"
