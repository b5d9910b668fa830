"""Pre-flight check of a template against the context it will be rendered with.

Run before anything is written: a template that is not a readable .docx or is too large once
unpacked (:mod:`.template_file`), that has a Jinja syntax error, that uses a variable the
context lacks, that uses ``{% include %}``/``{% import %}``/``{% extends %}`` or a constant
over the sandbox's limits (:mod:`.template_scan`), or that places a Markdown block inside a
line of text fails here with the template's name, the part and paragraph, and the fix.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from docx.opc.exceptions import OpcError
from jinja2 import meta

from ..errors import Problem, TemplateError
from .catalog import TemplateSpec, spec_for
from .jinja import template_error
from .sandbox import make_environment
from .template_file import open_template
from .template_scan import Part, locate, scan, template_parts


@dataclass
class Inspection:
    """What the pre-flight found in a template, before comparing it with a context."""

    variables: set[str] = field(default_factory=set)
    """The variables the template uses."""
    problems: list[Problem] = field(default_factory=list)
    """Constructs refused whatever the context (include, huge constants...)."""
    parts: list[Part] = field(default_factory=list)
    """The template's parts as docxtpl renders them."""


def inspect_template(path: Path, env: jinja2.Environment | None = None) -> Inspection:
    """Read template ``path`` within the size limits, parse each part and scan it.

    Raises :class:`TemplateError` for an unreadable or oversized file or a syntax error.
    """
    env = env or make_environment()
    tpl = open_template(path)
    try:
        parts = template_parts(tpl)
    except (OSError, KeyError, ValueError, OpcError) as exc:
        raise TemplateError(
            f"{path.name}: not a readable .docx template ({exc}); open it in Word and save it "
            "again as a .docx"
        ) from exc
    found = Inspection(parts=parts)
    for part in parts:
        try:
            ast = env.parse(part.source)
            found.variables |= meta.find_undeclared_variables(ast)
        except jinja2.TemplateSyntaxError as exc:
            error = template_error(path.name, exc, part.source)
            if part is not parts[0]:
                error = TemplateError(f"{error.format_message()} (in {part.name})")
            raise error from exc
        except (RecursionError, ValueError) as exc:  # nested too deep; a number too long
            raise TemplateError(
                f"{path.name}: {part.name}: a Jinja expression cannot be read ({exc}); simplify it"
            ) from exc
        found.problems += [
            Problem(path.name, "error", f"{locate(part, line)}: {message}")
            for line, message in scan(ast, env)
        ]
    return found


def template_variables(path: Path, env: jinja2.Environment | None = None) -> set[str]:
    """The variables template ``path`` uses."""
    return inspect_template(path, env).variables


def check_template(
    path: Path,
    available: TemplateSpec | Collection[str],
    blocks: Collection[str] = (),
    env: jinja2.Environment | None = None,
) -> list[Problem]:
    """Problems of template ``path`` rendered with the context of ``available``: a
    :class:`~.catalog.TemplateSpec` (its variables, its Markdown blocks) or the names of the
    context's variables.

    ``blocks`` names the variables holding Markdown blocks (with names; a spec says which of
    its variables are), which must be placed as ``{{p name }}``. Raises
    :class:`TemplateError` for a syntax error or an unreadable file.
    """
    if isinstance(available, TemplateSpec):
        blocks = [name for name, var in available.variables.items() if var.block]
        available = list(available.variables)
    found = inspect_template(path, env)
    used = found.variables
    problems = found.problems + [
        Problem(path.name, "error", _missing_message(name, available))
        for name in sorted(used - set(available))
    ]
    if blocks:
        text = re.sub(r"<[^>]+>", "", "".join(part.raw for part in found.parts))
        for name in sorted(set(blocks) & used):
            if re.search(r"\{\{-?\s*" + re.escape(name) + r"\b", text):
                problems.append(
                    Problem(
                        path.name,
                        "error",
                        f"Markdown block '{name}' must stand alone in its paragraph as "
                        f"{{{{p {name} }}}}, not {{{{ {name} }}}}",
                    )
                )
    return problems


def _missing_message(name: str, available: Collection[str]) -> str:
    close = difflib.get_close_matches(name, list(available), n=3, cutoff=0.6)
    hint = f" (closest: {', '.join(close)})" if close else ""
    known = ", ".join(sorted(available)) or "none"
    return f"uses variable '{name}' that the context does not provide{hint}; available: {known}"


def check_templates(
    paths: Collection[Path], specs: Mapping[str, TemplateSpec]
) -> dict[Path, list[Problem]]:
    """Check each template against the spec of its file name among ``specs`` (the document
    types': ``pipeline.documents.templates.specs()``; ``base.docx`` and any other name against
    the base variables, :func:`~.catalog.spec_for`).

    A syntax error or an unreadable file becomes an error problem of that template.
    """
    env = make_environment()
    results: dict[Path, list[Problem]] = {}
    for path in paths:
        spec = spec_for(path.name, specs)
        try:
            results[path] = check_template(path, spec, env=env)
        except TemplateError as exc:
            message = exc.format_message().removeprefix(f"{path.name}: ")
            results[path] = [Problem(path.name, "error", message)]
    return results
