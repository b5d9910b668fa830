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

import io
import json
import posixpath
import re
import unicodedata
import zipfile
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
    Remark,
    flatten,
    relink,
    shift_headings,
    stringify,
)
from .docx_import_bookmarks import bookmark_headings
from .docx_import_check import read_source
from .model import ARTICLE_TYPES, ROADMAP_STEPS, KnowledgeBase, id_from_path
from .resources import IMAGE_SIGNATURES
from .scaffold import (
    FOLDERS,
    ORDERED,
    PREFIXES,
    next_order,
    render_article,
    short_slug,
    yaml_str,
)

SPLIT_MARK = "NETDOCSIMPORTSPLIT"
"""A paragraph put between articles in the one pandoc run that writes them all."""
MAX_SUMMARY_CHARS = 300
"""Longest summary taken from an article's first sentence (cut at a word)."""
STEP_TYPES = ("lesson", "practice")
"""Types that take ``steps`` (a roadmap step gets the next free step number each)."""

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
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
class ImportedImage:
    """One picture the import writes."""

    path: str
    """Knowledge-base relative path (``images/guide/image1.png``)."""
    member: str
    """Its part in the .docx (``word/media/image1.png``)."""
    size: int
    data: bytes = field(repr=False, default=b"")


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


@dataclass
class _Segment:
    heading: str
    level: int
    blocks: list[Node]
    has_title: bool


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
    segments = _segments(blocks, level)
    cleaner = Cleaner(found)
    for n, seg in enumerate(segments):
        seg.blocks = cleaner.segment_blocks(n, seg.blocks, seg.has_title)
        if seg.has_title:
            seg.heading = stringify(seg.blocks[0]["c"][2])
    for name, key in bookmark_headings(data).items():
        if key in found.anchors:
            found.anchors.setdefault(name, found.anchors[key])
    doc_title = found.title or core.title or _humane(source.stem)
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
    steps_of = _steps(kb, kind, steps, len(kept), plan)
    idents = _identifiers(kb, kind, kept, segments, doc_title, doc_slug, steps_of, plan)
    media = _media(data, found, kept, doc_slug, plan)
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
        front = _front_matter(
            ident, kind, title, steps_of[i], _summary(segments[n], title, source), updated, today,
            None if order is None else order + i,
        )  # fmt: skip
        plan.articles.append(
            ImportedArticle(
                ident, title, path, front + body.strip("\n") + "\n", segments[n].heading
            )
        )
    plan.remarks = [_remark(r, by_segment, segments) for r in found.remarks]
    if found.toc_entries:
        plan.notes.append(
            f"the table of contents ({found.toc_entries} entries) is left out: every format "
            "netdocs writes makes its own"
        )
    if found.file_links:
        plan.warnings.append(
            f"{len(found.file_links)} link(s) to files on the author's computer "
            f"({found.file_links[0]}...) are kept as their text: no reader can open them; "
            "link the published page (https://...) or copy the file into the KB"
        )
    if found.styles:
        plan.notes.append("Word styles read as plain text: " + ", ".join(sorted(found.styles)))
    files = [a.path for a in plan.articles] + [i.path for i in plan.images]
    plan.existing = [kb.root / p for p in files if (kb.root / p).exists()]
    return plan


def write_import(plan: ImportPlan, force: bool = False) -> None:
    """Write the plan's pictures and articles; refuse, writing nothing, when any exists."""
    if plan.existing and not force:
        names = "\n".join(f"  {p}" for p in plan.existing)
        raise UsageError(
            f"{len(plan.existing)} file(s) already exist; nothing was written:\n{names}\n"
            "pass --force to replace them, or import into another folder with --kb DIR"
        )
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
    levels = [b["c"][0] for b in blocks if b.get("t") == "Header"]
    if asked is not None:
        return asked if any(lv <= asked for lv in levels) else None
    if not levels:
        return None
    for lv in sorted(set(levels)):
        if levels.count(lv) > 1:
            return lv
    return min(levels)


def _segments(blocks: list[Node], level: int | None) -> list[_Segment]:
    segments = [_Segment("", 0, [], False)]
    for block in blocks:
        if level is not None and block.get("t") == "Header" and block["c"][0] <= level:
            segments.append(_Segment("", block["c"][0], [block], True))
        else:
            segments[-1].blocks.append(block)
    return segments


def _has_text(blocks: list[Node]) -> bool:
    return any(
        b.get("t") != "Header" and (stringify(b) or "Image" in json.dumps(b)) for b in blocks
    )


def _kept_segments(segments: list[_Segment], plan: ImportPlan) -> list[int]:
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
    if not kept and segments:
        raise UsageError(
            f"{plan.source} has no text to import: write the guide in it, or check that it "
            "is the right file"
        )
    return kept


def _identifiers(
    kb: KnowledgeBase,
    kind: str,
    kept: list[int],
    segments: list[_Segment],
    doc_title: str,
    doc_slug: str,
    steps_of: list[tuple[int, ...]],
    plan: ImportPlan,
) -> list[tuple[int, str, str, str]]:
    """(segment, id, KB path, title) of each article, unique in the import and the KB."""
    existing = kb.by_id()
    used: set[str] = set()
    out = []
    for count, n in enumerate(kept, 1):
        seg = segments[n]
        title = seg.heading if seg.has_title else doc_title
        slug = id_from_path(title + ".md")
        if not re.search(r"[a-z0-9]", unicodedata.normalize("NFKD", title).lower()):
            slug = ""
        if not slug:
            slug = f"{doc_slug}-{count}"
            plan.warnings.append(
                f"the heading '{title}' gives no id (no Latin letters or digits): imported as "
                f"'{slug}'; change the id and the file name if you prefer another"
            )
        slug = short_slug(slug)
        if kind == "roadmap-step":
            base = f"step-{steps_of[count - 1][0]}-{slug}"
        else:
            base = PREFIXES.get(kind, "") + slug
        ident, suffix = base, 1
        while ident in used or (
            ident in existing and existing[ident].path != f"{FOLDERS[kind]}/{ident}.md"
        ):
            suffix += 1
            ident = f"{base}-{suffix}"
        if ident != base:
            clash = "another section of the document" if base in used else existing[base].path
            plan.warnings.append(
                f"the heading '{title}' gives the id '{base}', already used by {clash}: "
                f"imported as '{ident}'"
            )
        used.add(ident)
        out.append((n, ident, f"{FOLDERS[kind]}/{ident}.md", title))
    return out


def _media(
    data: bytes, found: Cleaned, kept: list[int], doc_slug: str, plan: ImportPlan
) -> dict[str, tuple[str, bool]]:
    """pandoc's media path -> (KB path, embeddable) of each picture the articles show; the
    plan gets each picture's bytes (from ``data``, the checked .docx)."""
    out: dict[str, tuple[str, bool]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = {i.filename: i for i in archive.infolist()}
        for segment, src in found.images:
            if src in out or segment not in kept or re.match(r"^https?://", src):
                continue
            member = "word/" + src if not src.startswith("word/") else src
            info = names.get(member)
            if info is None:
                plan.warnings.append(
                    f"the picture '{src}' is linked from outside the document, not inside it: "
                    "left out (insert the picture itself in Word and import again)"
                )
                continue
            name = posixpath.basename(member)
            path = f"images/{doc_slug}/{name}"
            ext = posixpath.splitext(name)[1].lower()
            with archive.open(info) as fh:
                head = fh.read(8)
            embeddable = ext in IMAGE_SIGNATURES and head.startswith(IMAGE_SIGNATURES[ext])
            if not embeddable:
                plan.warnings.append(
                    f"the picture {name} is not a PNG, JPEG or GIF file, which documents "
                    f"embed: saved as {path} and linked; convert it to PNG and show it with "
                    "![description](...)"
                )
            out[src] = (path, embeddable)
            plan.images.append(ImportedImage(path, member, info.file_size, archive.read(info)))
    return out


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


def _steps(
    kb: KnowledgeBase, kind: str, steps: tuple[int, ...], count: int, plan: ImportPlan
) -> list[tuple[int, ...]]:
    """The ``step`` of each of ``count`` articles: the free step numbers in order for roadmap
    steps (an error when too few are free), ``steps`` for the others."""
    if kind != "roadmap-step":
        if kind in STEP_TYPES and not steps:
            plan.warnings.append(
                f"a {kind} belongs to roadmap steps: give them with --step (e.g. --step 1 "
                "--step 5), or write them in each article's 'step: []'"
            )
        return [tuple(steps)] * count
    taken = sorted({n for a in kb.of_type("roadmap-step") for n in a.meta.step})
    free = [n for n in ROADMAP_STEPS if n not in taken]
    if len(free) < count:
        raise UsageError(
            f"{plan.source} makes {count} roadmap steps and only {len(free)} step numbers are "
            f"free (the KB has steps {', '.join(map(str, taken))}): import it as --type page, "
            "or split it at another --split-level"
        )
    return [(n,) for n in free[:count]]


def _summary(seg: _Segment, title: str, source: Path) -> str:
    """The first sentence of the section's text (the next one when it repeats the title):
    of its paragraphs, else of any of its text (a list, a table)."""
    body = [b for b in (seg.blocks[1:] if seg.has_title else seg.blocks) if b.get("t") != "Header"]
    fold = " ".join(title.lower().split()).rstrip(".")
    prose = [b for b in body if b.get("t") in ("Para", "Plain") and not _pictures_only(b)]
    for block in prose or body:
        for sentence in _SENTENCE_END.split(stringify(block)):
            sentence = sentence.strip()
            if sentence and " ".join(sentence.lower().split()).rstrip(".") != fold:
                return _short(sentence)
    return f"{title}, imported from {source.name}."


def _pictures_only(block: Node) -> bool:
    """A paragraph of pictures (whose alt texts are no summary)."""
    return all(i.get("t") in ("Image", "Space", "SoftBreak", "LineBreak") for i in block["c"])


def _short(text: str) -> str:
    if len(text) <= MAX_SUMMARY_CHARS:
        return text
    return text[:MAX_SUMMARY_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _front_matter(
    ident: str,
    kind: str,
    title: str,
    steps: tuple[int, ...],
    summary: str,
    updated: date,
    today: date,
    order: int | None,
) -> str:
    """The front matter ``kb new`` writes for this article (review a year from today), with
    its summary and the day the .docx was last changed."""
    head = render_article(ident, kind, title, steps, today, order).split("\n---\n", 1)[0]
    lines = []
    for line in head.split("\n"):
        if line.startswith("summary: "):
            line = "summary: " + yaml_str(summary)
        elif line.startswith("updated: "):
            line = f"updated: {updated.isoformat()}"
        lines.append(line)
    return "\n".join(lines) + "\n---\n"


def _remark(
    remark: Remark, by_segment: dict[int, tuple[str, str]], segments: list[_Segment]
) -> dict[str, str]:
    ident, path = by_segment.get(remark.segment, ("", ""))
    out = {
        "kind": remark.kind,
        "author": remark.author,
        "date": remark.date,
        "text": remark.text,
        "article": ident,
        "path": path,
    }
    if remark.kind == "comment":
        out["anchor"] = " ".join(remark.anchor.split())
    if not ident:
        out["section"] = segments[remark.segment].heading
    return out


def _at_level(level: int | None) -> str:
    return "" if level is None else f" at level {level} or above"


def _humane(stem: str) -> str:
    """A title from a file name: ``partner-guide_2024`` -> ``Partner guide 2024``."""
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return (words[:1].upper() + words[1:]) if words else "Imported document"
