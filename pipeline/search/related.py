"""Articles related to one article (same roadmap step, same audience, links out and in), and
every indexed id: what ``netdocs show`` lists under an article."""

from __future__ import annotations

from typing import Any

from whoosh import query as wq
from whoosh.index import FileIndex


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def related(ix: FileIndex, article_id: str) -> dict[str, list[tuple[str, str, str]]]:
    """Articles related to ``article_id``: same roadmap step, same audience, links out and in.

    Each list holds (id, title, path).
    """
    with ix.searcher() as s:
        doc = s.document(id=article_id)
        if doc is None:
            return {}

        def find(q: wq.Query, limit: int = 12) -> list[tuple[str, str, str]]:
            hits = s.search(q, limit=limit + 1)
            return [(h["id"], h["title"], h["path"]) for h in hits if h["id"] != article_id][:limit]

        out: dict[str, list[tuple[str, str, str]]] = {}
        steps = [x for x in doc.get("step", "").split(",") if x]
        if steps:
            out["same roadmap step"] = find(wq.Or([wq.Term("step", x) for x in steps]))
        audience = [x for x in doc.get("audience", "").split(",") if x]
        if audience:
            out["same audience"] = find(wq.Or([wq.Term("audience", x) for x in audience]), 8)
        targets = [x for x in doc.get("links", "").split(",") if x]
        if targets:
            out["links out"] = find(wq.Or([wq.Term("path", x) for x in targets]), 50)
        out["links in"] = find(wq.Term("links", doc["path"]), 50)
        return {k: v for k, v in out.items() if v}


def all_ids(ix: FileIndex) -> list[str]:
    with ix.searcher() as s:
        return [_text(t) for t in s.lexicon("id")]
