"""Render a docx template with a context into a Word file.

:func:`render_document` is the one entry point the document types use::

    result = render_document(
        Path("templates/handbook.docx"),
        {"network_name": "VETNoN", "edition": "2026-annual-meeting", "title": "Handbook",
         "body": MarkdownBlock(text, folder=article_dir, heading_offset=1,
                               anchor="roles/convener.md", links=resolver),
         "chart": Chart(figure, alt="Members per region")},
        Path("outputs/handbook.docx"),
        timestamp=timestamp_for("2026-annual-meeting"),
    )

Steps, in order, nothing written until the last: clean the context (text only, XML-safe;
warnings name the fields) → pre-flight check of the template's variables against the context
→ start pandoc on all Markdown blocks at once → render the template with docxtpl in a sandboxed,
strict, autoescaping Jinja environment (meanwhile pandoc runs) → merge the blocks into their
``{{p name }}`` paragraphs → fit every picture into its section's text area and keep each
chart's introduction on its page, give each picture of a part of several its own paragraph
(:mod:`.pictures`)
→ fix ids, dates and zip times → write atomically.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback
import uuid
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from docx.document import Document
from docxtpl import DocxTemplate
from lxml import etree

from ..errors import Problem, TemplateError, ValidationError
from .custom_props import CUSTOM_PREFIX, set_custom_properties
from .jinja import template_error
from .merge import Merger, renumber_drawings, w
from .model import ArticleCache
from .output import atomic_write, document_bytes, set_core_properties, timestamp_for
from .pandoc import PendingConversion, start_conversion
from .pictures import (
    fit_pictures,
    inline_image,
    inline_pictures,
    keep_chart_intros,
    split_picture_lines,
)
from .preflight import check_template
from .sandbox import TemplateLimitError, make_environment
from .template_file import open_template
from .template_scan import locate, template_parts
from .toc import fill_toc
from .values import Chart, MarkdownBlock, Picture, Pictures, clean_context, replace_rich

log = logging.getLogger(__name__)


@dataclass
class RenderResult:
    """What :func:`render_document` produced."""

    path: Path | None
    """The written file (``None`` from :func:`render_bytes`)."""
    data: bytes
    """The .docx bytes."""
    warnings: list[Problem] = field(default_factory=list)
    """Things fixed on the way (control characters removed, images missing...)."""
    paths: dict[str, Path] = field(default_factory=dict)
    """Every file written, by format (``docx``, ``html`` (the site's index.html), ``epub``,
    ``odt``), from :func:`.writers.render_formats`."""


class _Slot:
    """Stands in for a Markdown block while docxtpl renders: prints a marker paragraph."""

    def __init__(self, marker: str, index: int, where: str) -> None:
        self.text = f"{marker}{index}"
        self.index = index
        self.where = where

    def __html__(self) -> str:
        return f"<w:p><w:r><w:t>{self.text}</w:t></w:r></w:p>"

    __str__ = __html__


def render_document(
    template: Path,
    context: Mapping[str, Any],
    output: Path,
    *,
    timestamp: dt.datetime | None = None,
    strict: bool = False,
    cache: Path | None = None,
    properties: Mapping[str, str] | None = None,
) -> RenderResult:
    """Render ``template`` with ``context`` and write the .docx atomically to ``output``.

    ``timestamp`` dates the document (core properties and zip entries); by default it comes
    from ``context["edition"]`` or ``SOURCE_DATE_EPOCH`` (see :func:`.output.timestamp_for`).
    With ``strict``, warnings (e.g. control characters removed) fail the render. ``cache`` is
    the folder of the per-article conversion cache (:class:`.model.ArticleCache`; by default
    the user's cache folder). ``properties`` are core properties besides the title
    (``subject``, ``keywords``: :func:`.output.set_core_properties`) and, under names starting
    ``netdocs-``, custom properties (:mod:`.custom_props`: the edition, document type and
    cluster); the title is the context's ``running_title`` (else its ``title``).
    Raises :class:`TemplateError`, :class:`RenderError` or :class:`ValidationError`.
    """
    result = render_bytes(
        template,
        context,
        timestamp=timestamp,
        strict=strict,
        cache=cache,
        properties=properties,
    )
    atomic_write(output, result.data)
    result.path = output
    result.paths["docx"] = output
    return result


def render_bytes(
    template: Path,
    context: Mapping[str, Any],
    *,
    timestamp: dt.datetime | None = None,
    strict: bool = False,
    cache: Path | None = None,
    properties: Mapping[str, str] | None = None,
) -> RenderResult:
    """Like :func:`render_document` but return the bytes instead of writing a file."""
    if not template.is_file():
        raise TemplateError(f"{template}: no such template")
    env = make_environment()
    clean, warnings = clean_context(context)
    _preflight(template, clean, env)

    tpl = open_template(template)
    tpl.init_docx()
    marker = f"NETDOCS-SLOT-{uuid.uuid4().hex}-"
    blocks: list[MarkdownBlock] = []

    def swap(value: Any, where: str) -> Any:
        if isinstance(value, MarkdownBlock):
            blocks.append(value)
            return _Slot(marker, len(blocks) - 1, where)
        if isinstance(value, Pictures):
            return inline_pictures(tpl, value, where)
        assert isinstance(value, Chart | Picture)
        return inline_image(tpl, value, where)

    prepared = replace_rich(clean, "", swap)
    pending: PendingConversion | None = None
    if blocks:
        pending = start_conversion(blocks, template, cache=ArticleCache(cache))
    try:
        with env.clock():
            tpl.render(prepared, env)
    except (jinja2.TemplateError, *_RENDER_FAILURES) as exc:
        if pending is not None:
            pending.result()
        raise _render_error(template, tpl, exc) from exc
    document: Document = tpl.docx
    if pending is not None:
        converted = pending.result()
        warnings.extend(Problem(template.name, "warning", m) for m in converted.warnings)
        merger = Merger(document, converted, blocks)
        slots = _slots(document, marker, template.name)
        seen = Counter(index for _slot, index in slots)
        merger.share(index for index, count in seen.items() if count > 1)
        for slot, index in slots:
            merger.insert(index, slot)
        merger.finish()
    fit_pictures(document.element.body)
    split_picture_lines(document.element.body)
    keep_chart_intros(document.element.body)
    fill_toc(document)
    renumber_drawings(_story_roots(document))
    when = timestamp or timestamp_for(_text(clean.get("edition")))
    described = dict(properties or {})
    set_core_properties(
        document,
        when,
        _text(clean.get("running_title") or clean.get("title")),
        subject=described.get("subject"),
        keywords=described.get("keywords"),
    )
    custom = {k: v for k, v in described.items() if k.startswith(CUSTOM_PREFIX)}
    if custom:
        set_custom_properties(document, custom)
    for problem in warnings:
        log.warning("%s", problem)
    if strict and warnings:
        raise ValidationError(f"{template.name}: warnings in strict mode", warnings)
    return RenderResult(None, document_bytes(document, when), warnings)


_RENDER_FAILURES = (
    ArithmeticError, TypeError, ValueError, LookupError, RecursionError, MemoryError
)  # fmt: skip
"""What a template's own expressions raise while rendering (``{{ 1/0 }}``, ``{{ 'a' - 1 }}``,
a recursive macro, a filter given the wrong kind of value)."""


def _render_error(template: Path, tpl: DocxTemplate, exc: BaseException) -> TemplateError:
    """The error for ``exc`` raised while rendering, located at the paragraph if possible."""
    where = _where(template, tpl, exc)
    name = f"{template.name}: {where}" if where else template.name
    if isinstance(exc, TemplateLimitError):
        return TemplateError(f"{name}: {exc}")
    if isinstance(exc, jinja2.TemplateError):
        message = template_error(template.name, exc).format_message()
        return TemplateError(message.replace(f"{template.name}: ", f"{name}: ", 1))
    if isinstance(exc, RecursionError):
        what = "macros call each other too deeply (a macro that calls itself?)"
    elif isinstance(exc, MemoryError):
        what = "it needs more memory than this machine has"
    else:
        what = f"{type(exc).__name__}: {exc}"
    return TemplateError(f"{name}: the template failed while rendering: {what}; fix it")


def _where(template: Path, tpl: DocxTemplate, exc: BaseException) -> str:
    """The part and paragraph of the template line where ``exc`` was raised, if known."""
    lines = [
        f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == "<template>"
    ]
    part = getattr(tpl, "current_rendering_part", None)
    if part is None:
        return ""
    name = str(part.partname).lstrip("/")
    for candidate in template_parts(open_template(template)):
        if candidate.name == name:
            return locate(candidate, lines[-1] if lines else None)
    return name


def _preflight(template: Path, context: Mapping[str, Any], env: jinja2.Environment) -> None:
    blocks = [k for k, v in context.items() if isinstance(v, MarkdownBlock)]
    problems = check_template(template, list(context), blocks, env)
    if problems:
        lines = "\n".join(f"  {p.message}" for p in problems)
        raise TemplateError(
            f"{template.name} has problems to fix before it can be rendered:\n{lines}"
        )


def _slots(document: Document, marker: str, name: str) -> list[tuple[etree._Element, int]]:
    found: list[tuple[etree._Element, int]] = []
    for t in document.element.body.iter(w("t")):
        text = t.text or ""
        if not text.startswith(marker):
            continue
        paragraph = t.getparent().getparent()
        if paragraph.tag != w("p") or any(a.tag == w("p") for a in paragraph.iterancestors()):
            raise TemplateError(
                f"{name}: a Markdown block is placed inside a line of text; "
                "put it alone in its paragraph as {{p name }}"
            )
        found.append((paragraph, int(text[len(marker) :])))
    return found


def _story_roots(document: Document) -> list[etree._Element]:
    roots: list[etree._Element] = [document.element.body]
    for rel in document.part.rels.values():
        part = rel.target_part if not rel.is_external else None
        element = getattr(part, "element", None)
        if element is not None and element is not document.element:
            roots.append(element)
    return roots


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
