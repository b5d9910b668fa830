"""What a template says, part by part, and the constructs refused before it is ever rendered.

:func:`template_parts` gives the Jinja source of each part of a .docx exactly as docxtpl renders
it (body, headers, footers, footnotes, the document properties docxtpl fills), split at
paragraphs, so a Jinja line is a paragraph. :func:`locate` turns a part and line into
``the body (word/document.xml), paragraph "…its text…"``.

:func:`scan` walks a parsed part and reports, with their line numbers:

- ``{% include %}``, ``{% import %}``, ``{% from … import %}`` and ``{% extends %}``: a template
  is one .docx file with no loader for other templates, so these would crash the render;
- constant expressions over the limits of :mod:`.sandbox` (``99999999**99999999``,
  ``'x' * 10**9``, ``'x'|center(10**9)``, ``range(10**9)``), which a render would refuse;
- ``{% for %}`` loops nested over constant ranges or lists whose product of iterations is over
  :data:`.sandbox.MAX_ITERATIONS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import jinja2
from docx import Document
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from .sandbox import (
    MAX_ITERATIONS,
    MAX_RANGE,
    TemplateLimitError,
    check_binop,
    check_method_call,
    check_round,
    check_width,
)

FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
"""The core properties docxtpl renders as templates (``DocxTemplate.render_properties``)."""

_NOT_ALLOWED = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
    nodes.Extends: "extends",
}
_BINOPS = {nodes.Pow: "**", nodes.Mul: "*", nodes.Add: "+", nodes.Mod: "%"}
_SIZE_FILTERS = {
    "center": "width",
    "indent": "width",
    "batch": "linecount",
    "tojson": "indent",
    "round": "precision",
}
"""Filters whose first argument (or that keyword) sets the size of the result."""
_UNKNOWN = object()
_KINDS = {"header": "a header", "footer": "a footer", "footnotes": "the footnotes"}


@dataclass(frozen=True)
class Part:
    """One part of a template as docxtpl renders it."""

    name: str
    """``word/document.xml``, ``word/header1.xml``... or ``document property 'title'``."""
    source: str
    """Its Jinja source: the XML patched by docxtpl, one paragraph a line."""
    raw: str
    """Its XML as stored (tags like ``{{p name }}`` as written)."""


def _split(xml: str) -> str:
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)  # as DocxTemplate.render_xml_part does


def template_parts(tpl: DocxTemplate) -> list[Part]:
    """Every part of ``tpl`` that docxtpl renders with Jinja, in rendering order."""
    document = Document(tpl.template_file)
    body = tpl.xml_to_string(document.element.body)
    parts = [Part(str(document.part.partname).lstrip("/"), _split(tpl.patch_xml(body)), body)]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in document.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                xml = tpl.xml_to_string(parse_xml(rel.target_part.blob))
                name = str(rel.target_part.partname).lstrip("/")
                parts.append(Part(name, _split(tpl.patch_xml(xml)), xml))
    for part in document.part.package.iter_parts():
        if part.content_type == FOOTNOTES:
            xml = part.blob.decode("utf-8")
            name = str(part.partname).lstrip("/")
            parts.append(Part(name, _split(tpl.patch_xml(xml)), xml))
    for prop in PROPERTIES:
        value = getattr(document.core_properties, prop) or ""
        if "{" in value:
            parts.append(Part(f"document property '{prop}'", value, value))
    return parts


def locate(part: Part, lineno: int | None) -> str:
    """``part`` and the text of its paragraph at Jinja line ``lineno``, as a person finds it
    in Word: ``the body (word/document.xml), paragraph "{% include 'x' %}"``."""
    if part.name.startswith("document property"):
        return part.name
    kind = (
        "the body"
        if part.name.endswith("/document.xml")
        else _KINDS.get(re.sub(r"\d*\.xml$", "", part.name.rpartition("/")[2]), "the part")
    )
    where = f"{kind} ({part.name})"
    lines = part.source.splitlines()
    if lineno is None or not 0 < lineno <= len(lines):
        return where
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", lines[lineno - 1])).strip()
    if len(text) > 70:
        text = text[:67] + "..."
    return f'{where}, paragraph "{text}"' if text else f"{where}, line {lineno}"


def scan(template: nodes.Template, env: jinja2.Environment) -> list[tuple[int, str]]:
    """``(line, message)`` for each construct of ``template`` that is refused."""
    found: list[tuple[int, str]] = []
    eval_ctx = nodes.EvalContext(env)
    for node in template.find_all(nodes.Node):
        message = _refused(node, eval_ctx)
        if message:
            found.append((node.lineno, message))
    found.extend(_nested_loops(template, eval_ctx, 1))
    return sorted(set(found))


def _refused(node: nodes.Node, eval_ctx: nodes.EvalContext) -> str | None:
    for kind, tag in _NOT_ALLOWED.items():
        if isinstance(node, kind):
            return (
                f"{{% {tag} %}} is not allowed: a template is one .docx file and cannot use "
                "other templates; put that text in this template instead"
            )
    try:
        _check_constants(node, eval_ctx)
    except TemplateLimitError as exc:
        return str(exc)
    return None


def _check_constants(node: nodes.Node, eval_ctx: nodes.EvalContext) -> None:
    """Raise :class:`TemplateLimitError` for a constant expression over a limit."""
    if isinstance(node, nodes.BinExpr) and type(node) in _BINOPS:
        left, right = _value(node.left, eval_ctx), _value(node.right, eval_ctx)
        if left is not _UNKNOWN and right is not _UNKNOWN:
            check_binop(_BINOPS[type(node)], left, right)
    elif isinstance(node, nodes.Filter) and node.name in _SIZE_FILTERS:
        keyword = _SIZE_FILTERS[node.name]
        given = node.args[:1] + [k.value for k in node.kwargs if k.key == keyword]
        for value in (_value(a, eval_ctx) for a in given):
            if value is _UNKNOWN:
                continue
            if node.name == "round":
                check_round(value)
            else:
                check_width(f"{node.name}({value})", value)
    elif isinstance(node, nodes.Call):
        args = [_value(a, eval_ctx) for a in node.args]
        if _UNKNOWN in args:
            return
        if isinstance(node.node, nodes.Name) and node.node.name == "range":
            _check_range(args)
        elif isinstance(node.node, nodes.Getattr) and not node.node.attr.startswith("_"):
            owner = _value(node.node.node, eval_ctx)
            if isinstance(owner, str | bytes | int):
                method = getattr(owner, node.node.attr, None)
                if method is not None:
                    check_method_call(method, tuple(args), {})


def _range_length(args: list[Any]) -> int | None:
    """How many numbers ``range(*args)`` holds, if ``args`` are valid constants."""
    if not 1 <= len(args) <= 3 or not all(type(a) is int for a in args) or args[2:] == [0]:
        return None
    return len(range(*args))


def _check_range(args: list[Any]) -> None:
    count = _range_length(args)
    if count is not None and count > MAX_RANGE:
        raise TemplateLimitError(
            f"range() of {count:,} numbers is over the limit of {MAX_RANGE:,}; "
            "loop over fewer numbers"
        )


def _value(node: nodes.Node, eval_ctx: nodes.EvalContext) -> Any:
    """The constant value of ``node``, computed within the limits, or ``_UNKNOWN``."""
    if isinstance(node, nodes.BinExpr) and type(node) in _BINOPS:
        left, right = _value(node.left, eval_ctx), _value(node.right, eval_ctx)
        if left is _UNKNOWN or right is _UNKNOWN:
            return _UNKNOWN
        operator = _BINOPS[type(node)]
        check_binop(operator, left, right)
        try:
            return SandboxedEnvironment.default_binop_table[operator](left, right)
        except (ArithmeticError, TypeError, ValueError):
            return _UNKNOWN
    if isinstance(node, nodes.Neg):
        inner = _value(node.node, eval_ctx)
        return -inner if isinstance(inner, int | float) else _UNKNOWN
    if not isinstance(node, nodes.Expr) or _runs_code(node):
        return _UNKNOWN
    try:
        return node.as_const(eval_ctx)
    except nodes.Impossible:
        return _UNKNOWN


def _runs_code(node: nodes.Node) -> bool:
    """Whether ``node`` calls a filter, test or function: folding it with ``as_const`` would
    run that code (``sum``, ``join``...) during the check, so its value is left unknown."""
    calls = (nodes.Filter, nodes.Test, nodes.Call)
    return isinstance(node, calls) or any(isinstance(n, calls) for n in node.find_all(nodes.Node))


def _loop_count(node: nodes.For, eval_ctx: nodes.EvalContext) -> int:
    """How often loop ``node`` runs when that is known from the template alone, else 1."""
    it = node.iter
    if isinstance(it, nodes.Call) and isinstance(it.node, nodes.Name) and it.node.name == "range":
        count = _range_length([_value(a, eval_ctx) for a in it.args])
        return 1 if count is None else count
    value = _value(it, eval_ctx)
    return len(value) if isinstance(value, list | tuple | str) else 1


def _nested_loops(
    node: nodes.Node, eval_ctx: nodes.EvalContext, outer: int
) -> Iterator[tuple[int, str]]:
    for child in node.iter_child_nodes():
        times = outer
        if isinstance(child, nodes.For):
            times = outer * _loop_count(child, eval_ctx)
            if times > MAX_ITERATIONS and outer <= MAX_ITERATIONS:
                yield (
                    child.lineno,
                    f"nested {{% for %}} loops would run {times:,} times, over the limit of "
                    f"{MAX_ITERATIONS:,}; loop over fewer items",
                )
        if times <= MAX_ITERATIONS:
            yield from _nested_loops(child, eval_ctx, times)
