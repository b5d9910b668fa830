"""Pre-flight check of a template against the context it will be rendered with.

Run before anything is written: a template that uses a variable the context lacks, that has a
Jinja syntax error, or that places a Markdown block inside a line of text fails here with the
template's name, the variable and the closest available names.
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Collection
from pathlib import Path

import jinja2
from docx import Document
from docx.opc.exceptions import OpcError
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate

from ..errors import Problem, TemplateError
from .jinja import make_environment, template_error


def prepared_xml(tpl: DocxTemplate, patched: bool = True) -> str:
    """The body, header and footer XML of ``tpl`` as docxtpl hands it to Jinja.

    With ``patched=False``, the XML as stored (tags like ``{{p name }}`` still as written).
    """
    document = Document(tpl.template_file)
    parts = [tpl.xml_to_string(document.element.body)]
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in document.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                parts.append(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return "".join(tpl.patch_xml(xml) if patched else xml for xml in parts)


def template_variables(path: Path, env: jinja2.Environment | None = None) -> set[str]:
    """The variables template ``path`` uses (docxtpl's ``get_undeclared_template_variables``)."""
    env = env or make_environment()
    tpl = DocxTemplate(str(path))
    try:
        variables: set[str] = tpl.get_undeclared_template_variables(env)
    except jinja2.TemplateSyntaxError as exc:
        # docxtpl's XML is one long line: split it at paragraphs to locate the error
        xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", prepared_xml(tpl))
        try:
            env.parse(xml)
        except jinja2.TemplateSyntaxError as located:
            raise template_error(path.name, located, xml) from exc
        raise template_error(path.name, exc) from exc
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, OpcError) as exc:
        raise TemplateError(f"{path.name}: not a readable .docx template ({exc})") from exc
    return variables


def check_template(
    path: Path,
    available: Collection[str],
    blocks: Collection[str] = (),
    env: jinja2.Environment | None = None,
) -> list[Problem]:
    """Problems of template ``path`` rendered with a context of ``available`` variables.

    ``blocks`` names the variables holding Markdown blocks, which must be placed as
    ``{{p name }}``. Raises :class:`TemplateError` for a syntax error or an unreadable file.
    """
    used = template_variables(path, env)
    problems = [
        Problem(path.name, "error", _missing_message(name, available))
        for name in sorted(used - set(available))
    ]
    if blocks:
        text = re.sub(r"<[^>]+>", "", prepared_xml(DocxTemplate(str(path)), patched=False))
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


def check_templates(paths: Collection[Path]) -> dict[Path, list[Problem]]:
    """Check each template against the variables of its document type (:mod:`.catalog`).

    A syntax error or an unreadable file becomes an error problem of that template.
    """
    from .catalog import spec_for

    env = make_environment()
    results: dict[Path, list[Problem]] = {}
    for path in paths:
        spec = spec_for(path.name)
        blocks = [name for name, var in spec.variables.items() if var.block]
        try:
            results[path] = check_template(path, list(spec.variables), blocks, env)
        except TemplateError as exc:
            message = exc.format_message().removeprefix(f"{path.name}: ")
            results[path] = [Problem(path.name, "error", message)]
    return results
