"""KB articles as Markdown blocks of a document, and their links.

A link in an article is resolved to the key of its target (:func:`link_resolver`); when the
document holds the target, the link is an internal link. When it does not, the reader is told
where the target is instead: :func:`elsewhere` gives each block a callable for its links'
targets that names the handbook and its section (``renewals forgotten (handbook, section
'Lessons learned for step 7')``), and gives nothing for a target no document holds, whose link
then prints as its text alone. Which section of the handbook holds an article is the handbook's
to say (:func:`.handbook.section_of`); the render layer only prints the text.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from ..kb import critic
from ..kb.model import Article
from ..kb.reader import resolve
from ..render.values import Elsewhere, LinkResolver, MarkdownBlock

if TYPE_CHECKING:
    from .common import Inputs


def link_resolver(article: Article) -> LinkResolver:
    """Turn a link written in ``article`` into the key of its target (``roles/convener.md``,
    ``roles/convener.md#duties``), or None for a URL or a path outside the knowledge base."""
    folder = str(Path(article.path).parent).replace("\\", "/")
    folder = "" if folder == "." else folder

    def resolve_href(href: str) -> str | None:
        path, anchor, external, outside = resolve(href, folder)
        if external or outside:
            return None
        path = path or article.path
        return f"{path}#{anchor}" if anchor else path

    return resolve_href


def _target(inputs: Inputs, path: str) -> Article | None:
    """The article at the KB-relative ``path``, looked up by id (an article's file is named
    after its id), so that only that article is noted among the document's dependencies; the
    whole knowledge base when the file is named otherwise."""
    kb = inputs.kb
    found = kb.get(PurePosixPath(path).stem)
    if found is not None and found.path == path:
        return found
    return kb.by_path().get(path)


def elsewhere(inputs: Inputs, article: Article) -> Elsewhere:
    """Where the targets of ``article``'s links are in the handbook, for a document that does
    not hold them: ``(handbook, section '...')`` after the link's text, or None (the text
    alone) when the handbook does not hold the target either. Worked out now, while the
    document is made (every target read is noted among its dependencies)."""
    from .handbook import where_in_handbook

    resolver = link_resolver(article)
    where: dict[str, str] = {}
    for link in article.links:
        key = resolver(link.href) if not link.external and link.path else None
        if key is None or key in where:
            continue
        path = key.split("#", 1)[0]
        target = _target(inputs, path) if path != article.path else article
        text = where_in_handbook(target) if target is not None else None
        if text is not None:
            where[key] = text
    return where.get


def article_block(
    inputs: Inputs, article: Article, level: int, *, title: bool = True
) -> MarkdownBlock:
    """An article as a block whose title is a heading of ``level`` (1 = Heading 1), its figure
    citations (``[[figure:NAME]]``) replaced by the edition's values, its links internal links
    to the articles the document holds and, to the others, their text followed by where the
    handbook has them (:func:`elsewhere`). Without ``title``, the article's first ``#`` heading
    (its title) is left out, its sections keeping their level (for a part whose heading the
    template prints). The article's local images are noted among the document's dependencies."""
    from .common import cited

    for image in article.images:
        if image.path and not image.external and not image.outside:
            inputs.kb_file(image.path)
    # a draft (netdocs build) shows reviewers' suggestions as tracked changes; publish refuses
    # them (kb lint)
    body = critic.to_pandoc(cited(inputs, article.body)).lstrip("\n")
    if title and not body.startswith("# "):
        body = f"# {article.title}\n\n{body}"
    if not title and body.startswith("# "):
        body = body.split("\n", 1)[1].lstrip("\n") if "\n" in body else ""
    return MarkdownBlock(
        body,
        folder=article.source.parent,
        heading_offset=level - 1,
        anchor=article.path,
        links=link_resolver(article),
        outside=elsewhere(inputs, article),
        name=article.id,
    )


def with_text(block: MarkdownBlock, text: str) -> MarkdownBlock:
    """``block`` with ``text`` (Markdown without links to resolve) after its own."""
    return replace(block, text=f"{block.text.rstrip()}\n\n{text}")
