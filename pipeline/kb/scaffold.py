"""Create new articles with valid front matter (``netdocs kb new``)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from ..errors import UsageError
from ..fs import create_new
from .model import ARTICLE_TYPES, ROADMAP_STEPS, KnowledgeBase, id_from_path

FOLDERS: dict[str, str] = {
    "role": "roles",
    "principle": "principles",
    "roadmap-step": "roadmap",
    "lesson": "lessons",
    "practice": "practices",
    "glossary": "glossary",
    "page": "pages",
}
"""Folder of each article type inside the knowledge base."""

MAX_SLUG_CHARS = 60
"""Longest part of a new id taken from the title: ids name files, and file names have limits
(255 bytes on most systems); a long title keeps its full text, its id is cut at a word."""

SCAFFOLD_TAG = "netdocs:scaffold"
"""Marks every text ``kb new`` writes for the editor to replace: the hint comments of the body
(``<!-- netdocs:scaffold: What happened ... -->``) and the summary. ``kb lint`` reports each
one left as an error, so a new article cannot be published before it is written."""

SCAFFOLD_SUMMARY = f"{SCAFFOLD_TAG}: say in one or two sentences what a reader learns here"
"""The summary of a new article (valid front matter, recognisably not written yet)."""

BODY_HINT = "Write the article here."
"""The hint of an article type without sections (glossary, page)."""

ORDERED = ("principle",)
"""Types whose articles are listed by their ``order`` (``kb new`` writes the next free one)."""

PREFIXES: dict[str, str] = {
    "principle": "principle-",
    "lesson": "lesson-",
    "practice": "practice-",
    "glossary": "glossary-",
}

SECTIONS: dict[str, list[tuple[str, str]]] = {
    "role": [
        ("Responsibilities", "What this role does, as a list of concrete tasks."),
        ("Benefits", "What the organisation or person gains from taking on the role."),
        ("What makes a successful {title}", "Attitudes and habits that make the role work."),
        ("Communicating with other roles", "Who this role talks to, how and how often."),
    ],
    "principle": [
        ("What it means", "The principle in two or three sentences."),
        ("Why it matters", "What goes wrong without it."),
        ("How to apply it", "Concrete things a cluster or the secretariat does."),
    ],
    "roadmap-step": [
        ("Purpose", "What this step achieves and why it comes at this point."),
        ("Activities", "What is done, in order."),
        ("Who is involved", "The roles involved, with links to their articles."),
        ("Outputs", "What exists at the end of the step."),
        ("Checklist", "A short list to tick off before moving on."),
    ],
    "lesson": [
        ("What happened", "The situation, briefly and concretely."),
        ("What we learned", "The lesson in one or two sentences."),
        ("What to do", "Advice for the next network or cluster."),
    ],
    "practice": [
        ("The practice", "What is done, by whom."),
        ("Why it works", "The reasons it pays off."),
        ("How to start", "The first two or three steps."),
    ],
    "glossary": [],
    "page": [],
}


def new_article(
    kb: KnowledgeBase,
    kind: str,
    title: str,
    steps: tuple[int, ...] = (),
    today: date | None = None,
) -> Path:
    """Write a new article of ``kind`` titled ``title``; return its path. Never overwrites."""
    if kind not in ARTICLE_TYPES:
        raise UsageError(f"unknown type '{kind}' (choose from {', '.join(ARTICLE_TYPES)})")
    title = " ".join(title.split())
    if not title:
        raise UsageError("the title is empty: give the article a title in quotes")
    today = today or date.today()
    if kind == "roadmap-step":
        steps = _roadmap_step(kb, steps)
    slug = short_slug(id_from_path(title))
    ident = f"step-{steps[0]}-{slug}" if kind == "roadmap-step" else PREFIXES.get(kind, "") + slug
    existing = kb.by_id()
    if ident in existing:
        raise UsageError(f"an article with id '{ident}' already exists: {existing[ident].path}")
    path = kb.root / FOLDERS[kind] / f"{ident}.md"
    if path.exists():
        raise UsageError(f"{path} already exists; netdocs kb new never overwrites a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    order = next_order(kb, kind) if kind in ORDERED else None
    text = render_article(ident, kind, title, steps, today, order)
    try:
        create_new(path, text.encode("utf-8"))  # fails if the file appeared meanwhile
    except FileExistsError as exc:
        raise UsageError(f"{path} already exists; netdocs kb new never overwrites a file") from exc
    return path


def short_slug(slug: str) -> str:
    """``slug`` cut to :data:`MAX_SLUG_CHARS` at a dash (mid-word only when one word is longer)."""
    if len(slug) <= MAX_SLUG_CHARS:
        return slug
    head = slug[: MAX_SLUG_CHARS + 1]
    cut = head.rsplit("-", 1)[0] if "-" in head else ""
    return cut if len(cut) >= MAX_SLUG_CHARS // 2 else slug[:MAX_SLUG_CHARS]


def next_order(kb: KnowledgeBase, kind: str) -> int:
    """The position after the last ``order`` among articles of ``kind`` (1 when none has one)."""
    return max((a.meta.order or 0 for a in kb.of_type(kind)), default=0) + 1


def _roadmap_step(kb: KnowledgeBase, steps: tuple[int, ...]) -> tuple[int, ...]:
    taken = {n for a in kb.of_type("roadmap-step") for n in a.meta.step}
    if len(steps) > 1:
        raise UsageError("a roadmap step is exactly one step: give --step once")
    if steps:
        if steps[0] in taken:
            raise UsageError(f"roadmap step {steps[0]} already has an article")
        return steps
    free = [n for n in ROADMAP_STEPS if n not in taken]
    if not free:
        raise UsageError("all seven roadmap steps already have an article; edit one instead")
    return (free[0],)


def render_article(
    ident: str,
    kind: str,
    title: str,
    steps: tuple[int, ...],
    today: date,
    order: int | None = None,
) -> str:
    """The text of a new article: valid front matter (with its position ``order`` when given)
    and the sections its type expects."""
    lines = [
        "---",
        f"id: {ident}",
        f"title: {yaml_str(title)}",
        f"type: {kind}",
        *([f"order: {order}"] if order is not None else []),
        "summary: " + yaml_str(SCAFFOLD_SUMMARY),
        "tags: []",
        "audience: []",
    ]
    if kind == "roadmap-step":
        lines.append(f"step: {steps[0]}")
    elif kind in ("lesson", "practice"):
        lines.append(f"step: [{', '.join(str(n) for n in steps)}]")
    lines += [
        f"updated: {today.isoformat()}",
        f"review_by: {(today + timedelta(days=365)).isoformat()}",
        "owner: Network secretariat",
        "---",
        f"# {title}",
        "",
    ]
    for head, hint in SECTIONS[kind]:
        lines += [f"## {head.format(title=title.lower())}", "", hint_comment(hint), ""]
    if not SECTIONS[kind]:
        lines += [hint_comment(BODY_HINT), ""]
    return "\n".join(lines)


def hint_comment(hint: str) -> str:
    """A hint of the scaffold as ``kb new`` writes it in the body."""
    return f"<!-- {SCAFFOLD_TAG}: {hint} -->"


def scaffold_hints() -> frozenset[str]:
    """Every hint ``kb new`` writes (and wrote before hints were tagged), as plain text."""
    return frozenset([BODY_HINT] + [hint for items in SECTIONS.values() for _h, hint in items])


def yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
