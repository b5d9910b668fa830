"""The front matter of imported articles: ids, titles, summaries, steps (``kb import``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..errors import UsageError
from .docx_import_ast import Node, Remark, stringify
from .model import ROADMAP_STEPS, KnowledgeBase, id_from_path
from .scaffold import FOLDERS, PREFIXES, render_article, short_slug, yaml_str

MAX_SUMMARY_CHARS = 300
"""Longest summary taken from an article's first sentence (cut at a word)."""
STEP_TYPES = ("lesson", "practice")
"""Types that take ``steps`` (a roadmap step gets the next free step number each)."""

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass
class Segment:
    """A section of the document: a future article (or the text before the first heading)."""

    heading: str
    level: int
    blocks: list[Node]
    has_title: bool


def identifiers(
    kb: KnowledgeBase,
    kind: str,
    kept: list[int],
    segments: list[Segment],
    doc_title: str,
    doc_slug: str,
    steps_of: list[tuple[int, ...]],
    warnings: list[str],
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
            warnings.append(
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
            warnings.append(
                f"the heading '{title}' gives the id '{base}', already used by {clash}: "
                f"imported as '{ident}'"
            )
        used.add(ident)
        out.append((n, ident, f"{FOLDERS[kind]}/{ident}.md", title))
    return out


def steps_of(
    kb: KnowledgeBase,
    kind: str,
    steps: tuple[int, ...],
    count: int,
    source: Path,
    warnings: list[str],
) -> list[tuple[int, ...]]:
    """The ``step`` of each of ``count`` articles: the free step numbers in order for roadmap
    steps (an error when too few are free), ``steps`` for the others."""
    if kind != "roadmap-step":
        if kind in STEP_TYPES and not steps:
            warnings.append(
                f"a {kind} belongs to roadmap steps: give them with --step (e.g. --step 1 "
                "--step 5), or write them in each article's 'step: []'"
            )
        return [tuple(steps)] * count
    taken = sorted({n for a in kb.of_type("roadmap-step") for n in a.meta.step})
    free = [n for n in ROADMAP_STEPS if n not in taken]
    if len(free) < count:
        raise UsageError(
            f"{source} makes {count} roadmap steps and only {len(free)} step numbers are "
            f"free (the KB has steps {', '.join(map(str, taken))}): import it as --type page, "
            "or split it at another --split-level"
        )
    return [(n,) for n in free[:count]]


def summary(seg: Segment, title: str, source: Path) -> str:
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


def front_matter(
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


def remark_row(
    remark: Remark, by_segment: dict[int, tuple[str, str]], segments: list[Segment]
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


def humane(stem: str) -> str:
    """A title from a file name: ``partner-guide_2024`` -> ``Partner guide 2024``."""
    words = " ".join(re.split(r"[-_\s]+", stem)).strip()
    return (words[:1].upper() + words[1:]) if words else "Imported document"
