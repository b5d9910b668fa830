"""Articles related to one article, in groups a reader understands, and every indexed id: what
``netdocs show`` lists under an article.

The groups, in order: the articles it links to, those of the same roadmap step, for a role the
articles written for it, those written for the same readers (sharing most of them first), and
those that link to it. An article appears once, in the first group
that has it; each group is sorted by type (roles first, as documents present them), then title.
Groups are whole: the caller decides how many of each to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.searching import Searcher

from ..kb.model import ARTICLE_TYPES
from .index import stored_list
from .parsing import _text


@dataclass(frozen=True)
class Related:
    """One related article."""

    id: str
    title: str
    type: str
    path: str
    """KB-relative POSIX path of its file."""


@dataclass
class RelatedGroup:
    """Related articles of one kind."""

    key: str
    """Stable name of the kind: links-out, step, for-role, audience, links-in."""
    label: str
    """Heading for a reader ("links to", "also in roadmap step 1", ...)."""
    items: list[Related] = field(default_factory=list)
    """Every article of the group, best first (not capped)."""


def _order(item: Related) -> tuple[int, str, str]:
    rank = ARTICLE_TYPES.index(item.type) if item.type in ARTICLE_TYPES else len(ARTICLE_TYPES)
    return rank, item.title.lower(), item.id


def _numbers(values: Sequence[str]) -> str:
    return ", ".join(values[:-1]) + " and " + values[-1] if len(values) > 1 else values[0]


def related(s: Searcher, article_id: str) -> list[RelatedGroup]:
    """Articles related to ``article_id`` (none when it is not indexed), in groups."""
    doc = s.document(id=article_id)
    if doc is None:
        return []
    seen = {doc["path"]}

    def find(q: wq.Query, shared: Sequence[str] | None = None) -> list[Related]:
        """Matches of ``q`` not listed yet; with ``shared``, those sharing most of it first."""
        found: list[tuple[int, Related]] = []
        for docnum in s.docs_for_query(q):
            f = s.stored_fields(docnum)
            if f["path"] not in seen:
                seen.add(f["path"])
                common = len(set(shared) & set(stored_list(f.get("audience")))) if shared else 0
                item = Related(f["id"], f.get("title", ""), f.get("type", ""), f["path"])
                found.append((common, item))
        return [item for _n, item in sorted(found, key=lambda x: (-x[0], _order(x[1])))]

    def role_name(role: str) -> str:
        found = s.document(id=role)
        return str(found["title"]).lower() if found and found.get("type") == "role" else role

    groups: list[RelatedGroup] = []
    targets = stored_list(doc.get("links"))
    if targets:
        items = find(wq.Or([wq.Term("path", x) for x in targets]))
        groups.append(RelatedGroup("links-out", "links to", items))
    steps = stored_list(doc.get("step"))
    if steps:
        label = f"also in roadmap step{'s' if len(steps) > 1 else ''} {_numbers(steps)}"
        groups.append(RelatedGroup("step", label, find(wq.Or([wq.Term("step", x) for x in steps]))))
    if doc.get("type") == "role":  # what a person in this role reads
        items = find(wq.Term("audience", article_id))
        groups.append(RelatedGroup("for-role", "written for this role", items))
    audience = stored_list(doc.get("audience"))
    if audience:
        names = [role_name(r) for r in audience]
        label = f"also for {_numbers(names)}" if len(names) <= 2 else "also for the same readers"
        items = find(wq.Or([wq.Term("audience", x) for x in audience]), shared=audience)
        groups.append(RelatedGroup("audience", label, items))
    groups.append(RelatedGroup("links-in", "linked from", find(wq.Term("links", doc["path"]))))
    return [g for g in groups if g.items]


def all_ids(s: Searcher) -> list[str]:
    """Every indexed article id, sorted."""
    return [_text(t) for t in s.lexicon("id")]
