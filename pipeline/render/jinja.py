"""Readable template errors. The environment templates run in (sandboxed, strict,
autoescaping, with bounded sizes, loops and time) is made by :mod:`.sandbox`."""

from __future__ import annotations

import re

import jinja2

from ..errors import TemplateError


def text_around(xml: str, lineno: int | None, width: int = 120) -> str:
    """The document text (tags removed) around line ``lineno`` of docxtpl's prepared XML."""
    if lineno is None:
        return ""
    lines = xml.splitlines()
    start = max(lineno - 3, 0)
    chunk = " ".join(re.sub(r"<[^>]+>", "", line) for line in lines[start : lineno + 2])
    chunk = re.sub(r"\s+", " ", chunk).strip()
    if len(chunk) > width:
        line_text = re.sub(r"<[^>]+>", "", lines[lineno - 1] if 0 < lineno <= len(lines) else "")
        focus = chunk.find(line_text.strip()[:20]) if line_text.strip() else 0
        begin = max(focus - width // 3, 0)
        chunk = chunk[begin : begin + width]
    return chunk


def template_error(name: str, exc: Exception, xml: str = "") -> TemplateError:
    """A :class:`TemplateError` for ``exc`` raised by Jinja while handling template ``name``."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        around = text_around(xml, exc.lineno)
        where = f' near "{around}"' if around else ""
        return TemplateError(f"{name}: Jinja syntax error: {exc.message}{where}")
    if isinstance(exc, jinja2.exceptions.SecurityError):
        return TemplateError(
            f"{name}: the template tried something unsafe and was stopped: {exc}. "
            "Templates may only print values, loop and test conditions."
        )
    if isinstance(exc, jinja2.UndefinedError):
        return TemplateError(f"{name}: {exc.message}")
    return TemplateError(f"{name}: {exc}")
