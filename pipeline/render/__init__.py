"""Word rendering engine: strict docx templates and faithful Markdown to Word.

Public API (see each module for details):

- :func:`render_document` (``template, context, output, *, timestamp=None, strict=False``)
  renders a docxtpl template with a plain context into a .docx, written atomically and
  reproducibly; :func:`render_bytes` returns the bytes instead.
- Context values: :class:`MarkdownBlock` (KB Markdown → real Word structure; place it with
  ``{{p name }}``), :class:`Chart` (matplotlib figure) and :class:`Picture` (image file), both
  embedded with alt text, and :class:`Pictures` (several, one under the other, the part's caption
  after the last); anything else is printed as text.
- Internal links: a block's ``anchor`` key puts a bookmark at its start and keys its headings
  ``anchor#heading-id``; its ``links`` callable or mapping turns an href as written into such a
  key. The link becomes an internal link when the document holds that key, else plain text,
  followed by what the block's ``outside`` callable says of the key (where the target is).
  :func:`bookmark_name` gives the Word bookmark name of a key.
- :func:`check_template` / :func:`check_templates` / :func:`template_variables`: the pre-flight
  check behind ``netdocs templates check``; :class:`TemplateSpec` (:mod:`.catalog`) is a
  template and the variables its context provides. ``render`` knows no document type: the
  document registry (``pipeline.documents.registry``) gives each type's parts, design and spec.
- Limits (so no template can exhaust the machine): templates are opened within size limits
  (:func:`read_template`, zip bombs refused), rendered in a bounded sandbox (sizes of numbers,
  strings and lists, loop iterations, a deadline; :mod:`.sandbox`), and ``{% include %}``,
  ``{% import %}``, ``{% extends %}`` are refused by the pre-flight (:mod:`.template_scan`).
- :class:`PdfConverter`: many .docx to PDF through one headless LibreOffice, tables of contents
  updated with page numbers (written into the .docx too); ``convert`` gives a
  :class:`PdfResult`, ``convert_many`` a :class:`PdfBatch`. :func:`convert_to_pdf` converts one
  file. :class:`ToolMissingError` with the install command when LibreOffice (or, where page
  numbers are required, python3-uno) is absent. :func:`number_toc_file` writes laid-out page
  numbers (:class:`TocEntry`) into a .docx's table of contents.
- :func:`timestamp_for`: the fixed time stamped into documents of an edition.
- :func:`build_templates`: (re)generate templates from their :class:`Design` s without
  overwriting edited ones.

Heavy libraries (python-docx, docxtpl, lxml) load when this package is imported; the CLI
imports it only inside the commands that render.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_attributes

# Names are loaded from their module on first use (PEP 562), so that code needing only the
# value types (MarkdownBlock, Chart) or the catalog does not load python-docx, docxtpl and lxml.
_WHERE = {
    "bookmark_name": "bookmarks",
    "BASE_DESIGN": "catalog",
    "Design": "catalog",
    "Part": "catalog",
    "TemplateSpec": "catalog",
    "Variable": "catalog",
    "spec_for": "catalog",
    "RenderResult": "document",
    "render_bytes": "document",
    "render_document": "document",
    "timestamp_for": "output",
    "HeadingPage": "pdf",
    "PdfBatch": "pdf",
    "PdfConverter": "pdf",
    "PdfResult": "pdf",
    "convert_to_pdf": "pdf",
    "check_template": "preflight",
    "check_templates": "preflight",
    "template_variables": "preflight",
    "build_templates": "template_factory",
    "read_template": "template_file",
    "TocEntry": "toc",
    "number_toc_file": "toc",
    "Chart": "values",
    "Elsewhere": "values",
    "LinkResolver": "values",
    "MarkdownBlock": "values",
    "Picture": "values",
    "Pictures": "values",
    "clean_context": "values",
    "FORMATS": "writers",
    "WRITERS": "writers",
    "derived_path": "writers",
    "render_formats": "writers",
}


__getattr__ = lazy_attributes(__name__, _WHERE, globals())


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from .bookmarks import bookmark_name
    from .catalog import BASE_DESIGN, Design, Part, TemplateSpec, Variable, spec_for
    from .document import RenderResult, render_bytes, render_document
    from .output import timestamp_for
    from .pdf import HeadingPage, PdfBatch, PdfConverter, PdfResult, convert_to_pdf
    from .preflight import check_template, check_templates, template_variables
    from .template_factory import build_templates
    from .template_file import read_template
    from .toc import TocEntry, number_toc_file
    from .values import (
        Chart,
        Elsewhere,
        LinkResolver,
        MarkdownBlock,
        Picture,
        Pictures,
        clean_context,
    )
    from .writers import FORMATS, WRITERS, derived_path, render_formats

__all__ = [
    "BASE_DESIGN",
    "FORMATS",
    "WRITERS",
    "Chart",
    "Design",
    "Elsewhere",
    "HeadingPage",
    "LinkResolver",
    "MarkdownBlock",
    "Part",
    "PdfBatch",
    "PdfConverter",
    "PdfResult",
    "Picture",
    "Pictures",
    "RenderResult",
    "TemplateSpec",
    "TocEntry",
    "Variable",
    "bookmark_name",
    "build_templates",
    "check_template",
    "check_templates",
    "clean_context",
    "convert_to_pdf",
    "derived_path",
    "number_toc_file",
    "read_template",
    "render_bytes",
    "render_document",
    "render_formats",
    "spec_for",
    "template_variables",
    "timestamp_for",
]
