"""The Markdown knowledge base: its model, its reader and its linter.

Other code uses :func:`read_kb` and the model classes; parser tokens never leave the reader.
"""

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
