"""The templates of the document types: their designs, their specs, building and checking them.

``render`` knows no document type; this module hands it the registry's designs
(``netdocs templates build``) and specs (``netdocs templates check``, ``templates/README.md``),
plus the neutral ``base.docx``.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from ..render.catalog import BASE_DESIGN, BASE_SPEC, BODY, Design, Part, TemplateSpec
from .registry import REGISTRY

if TYPE_CHECKING:
    from ..errors import Problem


def designs() -> tuple[Design, ...]:
    """The bundled templates: ``base.docx``, then each document type's, in registry order."""
    return (BASE_DESIGN, *(t.design for t in REGISTRY.values()))


def parts() -> dict[str, tuple[Part, ...]]:
    """Template file name -> the parts of its body, for every bundled template."""
    return {BASE_DESIGN.file: BODY, **{t.template: t.parts for t in REGISTRY.values()}}


def specs() -> dict[str, TemplateSpec]:
    """Template file name -> the variables its context provides, for every bundled template."""
    return {BASE_SPEC.name: BASE_SPEC, **{t.template: t.spec for t in REGISTRY.values()}}


def build_templates(folder: Path, force: bool = False) -> dict[str, str]:
    """Write the bundled templates into ``folder`` (:func:`designs`; an edited one is kept
    unless ``force``): file name -> ``written``/``unchanged``."""
    from ..render.template_factory import build_templates as build

    return build(folder, designs(), force)


def check_templates(paths: Collection[Path]) -> dict[Path, list[Problem]]:
    """Check each template against the variables of its document type (by file name; any
    other name against the base variables): :func:`pipeline.render.preflight.check_templates`
    with :func:`specs`."""
    from ..render.preflight import check_templates as check

    return check(paths, specs())
