"""The Markdown knowledge base: its model, its reader and its linter.

Other code uses :func:`read_kb` and the model classes; parser tokens never leave the reader.
Names load on first use (PEP 562), so code that needs only the model (search) does not load
the Markdown parser and YAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes

_WHERE = {
    "ARTICLE_TYPES": "model", "Article": "model", "Image": "model", "KnowledgeBase": "model",
    "Link": "model", "Meta": "model", "Section": "model",
    "read_article": "reader", "read_kb": "reader",
}  # fmt: skip


__getattr__ = lazy_attributes(__name__, _WHERE, globals())


if TYPE_CHECKING:
    from .model import ARTICLE_TYPES, Article, Image, KnowledgeBase, Link, Meta, Section
    from .reader import read_article, read_kb

__all__ = [
    "ARTICLE_TYPES",
    "Article",
    "Image",
    "KnowledgeBase",
    "Link",
    "Meta",
    "Section",
    "read_article",
    "read_kb",
]
