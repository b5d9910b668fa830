"""One table of writers: the document model (:mod:`.model`) to .docx, HTML site, EPUB and ODT.

:data:`WRITERS` is the table; :func:`render_formats` is the entry point::

    result = render_formats(
        Path("templates/handbook.docx"), plan.context, document_type.parts,
        {"docx": out / "handbook.docx", "html": out / "handbook-html" / "index.html",
         "epub": out / "handbook.epub"},
        title="VETNoN handbook",
    )

- ``docx`` goes through the template engine (:func:`.document.render_document`: docxtpl,
  then pandoc's Word XML of the model merged into the template's slots);
- ``html`` (a multi-page site: pandoc's ``chunkedhtml``, one page per part and section),
  ``epub`` (EPUB 3) and ``odt`` are pandoc's writers run on the same model, sanitised first
  (:func:`sanitise`: raw HTML cleaned to the allow-list, other raw formats dropped, unsafe links
  and attributes removed) and carrying the Content-Security-Policy. Images are embedded from
  pandoc's media bag (``filters/media.lua``); in the site they are files under ``media/``,
  linked relatively, so no output names a path of the build machine. The site's folder is
  replaced whole, so it is the site's own: a folder holding other files and no
  :data:`SITE_MARKER` (the file every site made here holds) is refused with a
  :class:`~pipeline.errors.UsageError`, as is another format written inside it.

:func:`derived_path` names a document's other formats after its .docx.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import fs
from ..errors import Problem, UsageError
from ..kb.sanitize import clean_html, clean_tag, safe_attribute, safe_url
from .catalog import Part
from .csp import CSP_META
from .document import RenderResult, render_document
from .media import MEDIA_FILTER
from .model import ArticleCache, Model, web_model
from .pandoc import run_pandoc

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Writer:
    """One output format."""

    name: str
    """The format's name on the command line (``--formats html``)."""
    label: str
    """What people call it (landing page, messages)."""
    suffix: str
    """How :func:`derived_path` names it after the .docx (``-html/index.html``, ``.epub``)."""
    write: Callable[[Model, Path, str], list[str]] | None
    """Writes the model to the path with a title, returns pandoc's warnings; ``None`` for the
    .docx, which goes through the template engine."""


def _pandoc(model: Model, to: str, target: Path, title: str, *extra: str) -> list[str]:
    """pandoc, in ``--sandbox``, writing the sanitised ``model`` as ``to`` to ``target``."""
    doc = {**model.doc, "blocks": sanitise(model.doc["blocks"])}
    _stdout, warnings = run_pandoc(
        ["-f", "json", "-t", to, "--lua-filter", str(MEDIA_FILTER), "--toc", "--toc-depth=2",
         "--metadata", f"title={title}", "--variable", f"header-includes={CSP_META}",
         *extra, "-o", str(target)],
        f"pandoc could not make the {to} of {title}: ",
        stdin=json.dumps(doc, ensure_ascii=False).encode("utf-8"),
        timeout=600,
        tail=800,
    )  # fmt: skip
    return warnings


SITE_MARKER = ".netdocs-site"
"""The file :func:`write_html` leaves in every site it makes: only a folder holding it (or an
empty one, or none) is replaced by a new site."""


def check_site_folder(index: Path) -> None:
    """Refuse (:class:`UsageError`) a site whose folder, ``index``'s parent, holds anything but
    a netdocs site: :func:`write_html` replaces that folder whole."""
    site = index.parent
    if site.is_dir() and not (site / SITE_MARKER).is_file() and any(site.iterdir()):
        raise UsageError(
            f"{site}: the HTML site would replace this whole folder, which holds other files "
            f"and is not a netdocs site; give the site a folder of its own "
            f"(e.g. {site / (index.stem + '-html') / 'index.html'}) or empty {site} first"
        )
    if site.exists() and not site.is_dir():
        raise UsageError(f"{site}: the HTML site needs a folder here, not a file; remove it")


def write_html(model: Model, index: Path, title: str) -> list[str]:
    """A multi-page site whose folder is ``index``'s parent: index.html with the contents, one
    page per part and section, images under ``media/``. The folder is replaced whole, so it
    must be the site's own (:func:`check_site_folder`); the site holds :data:`SITE_MARKER`."""
    check_site_folder(index)
    site = index.parent
    site.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{site.name}.", dir=site.parent) as tmp:
        built = Path(tmp) / "site"
        warnings = _pandoc(model, "chunkedhtml", built, title, "--split-level=2")
        if index.name != "index.html":
            (built / "index.html").rename(built / index.name)
        fs.atomic_write(built / SITE_MARKER, b"netdocs HTML site: replaced whole when rebuilt\n")
        fs.replace_folder(built, site)
    return warnings


def _write_file(to: str, *extra: str) -> Callable[[Model, Path, str], list[str]]:
    def write(model: Model, target: Path, title: str) -> list[str]:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="netdocs-write-") as tmp:
            built = Path(tmp) / f"out{target.suffix}"
            warnings = _pandoc(model, to, built, title, *extra)
            fs.atomic_write(target, built.read_bytes())
        return warnings

    return write


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer("docx", "DOCX", ".docx", None),
        Writer("html", "HTML site", "-html/index.html", write_html),
        Writer("epub", "EPUB", ".epub", _write_file("epub3", "--split-level=2")),
        Writer("odt", "ODT", ".odt", _write_file("odt")),
    )
}
"""Every format a document can be had in, by name."""
FORMATS: tuple[str, ...] = tuple(WRITERS)


def derived_path(docx_rel: str, fmt: str) -> str:
    """Where format ``fmt`` of the document ``docx_rel`` goes, relative like it:
    ``handbook.docx`` → ``handbook-html/index.html``, ``handbook.epub``, ``handbook.odt``;
    ``clusters/action-plan-c1.docx`` → ``clusters/action-plan-c1-html/index.html``..."""
    if fmt not in WRITERS:
        raise UsageError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    stem = docx_rel[: -len(".docx")] if docx_rel.endswith(".docx") else docx_rel
    return stem + WRITERS[fmt].suffix


def render_formats(
    template: Path,
    context: Mapping[str, Any],
    parts: Sequence[Part],
    targets: Mapping[str, Path],
    *,
    title: str,
    cache: Path | None = None,
    strict: bool = False,
) -> RenderResult:
    """Write the document made of ``template`` and ``context`` in each format of ``targets``
    (format -> path: the .docx, the site's index.html, the .epub, the .odt). ``parts`` say in
    which order the context's blocks make the other formats' body. The articles are read by
    pandoc once for all formats (:class:`.model.ArticleCache` in ``cache``, by default the
    user's cache folder). ``result.paths`` lists what was written."""
    unknown = sorted(set(targets) - set(WRITERS))
    if unknown:
        raise UsageError(f"unknown format '{unknown[0]}': use one of {', '.join(FORMATS)}")
    if "html" in targets:
        check_site_folder(targets["html"])  # before anything is written
        site = targets["html"].parent
        inside = [
            p for f, p in targets.items()
            if f != "html" and p.absolute().is_relative_to(site.absolute())
        ]  # fmt: skip
        if inside:
            raise UsageError(
                f"{inside[0]}: written into the HTML site's folder {site}, which the site "
                f"replaces whole; give the site a folder of its own "
                f"(e.g. {site / (targets['html'].stem + '-html') / 'index.html'})"
            )
    if "docx" in targets:
        result = render_document(template, context, targets["docx"], strict=strict, cache=cache)
    else:
        result = RenderResult(None, b"")
    web = [f for f in targets if f != "docx"]
    if web:
        from .values import clean_context

        clean, _problems = clean_context(context)  # already reported by the .docx, if any
        with tempfile.TemporaryDirectory(prefix="netdocs-media-") as media:
            model = web_model(clean, parts, cache=ArticleCache(cache), media_folder=Path(media))
            messages = list(model.warnings) if "docx" not in targets else []
            for fmt in web:
                write = WRITERS[fmt].write
                assert write is not None
                messages += write(model, targets[fmt], title)
                result.paths[fmt] = targets[fmt]
        for message in messages:
            log.warning("%s: %s", template.name, message)
        result.warnings += [Problem(template.name, "warning", m) for m in messages]
        if result.path is None:
            result.path = targets[web[0]]
    return result


# -- sanitising ----------------------------------------------------------------------------------

_DROP = object()
"""What :func:`_clean` returns for a node to remove from its list."""


def sanitise(blocks: list[Any]) -> list[Any]:
    """A copy of pandoc JSON ``blocks`` safe for HTML, EPUB and ODT: raw HTML cleaned to the
    allow-list (:mod:`pipeline.kb.sanitize`), other raw formats dropped, unsafe links made
    plain text, unsafe attributes removed."""
    cleaned: list[Any] = _clean(json.loads(json.dumps(blocks)))
    return cleaned


def _clean(node: Any) -> Any:
    if isinstance(node, list):
        if _is_attr(node):
            return [node[0], node[1], [kv for kv in node[2] if safe_attribute(kv[0])]]
        out: list[Any] = []
        for item in node:
            cleaned = _clean(item)
            if cleaned is not _DROP:
                out.append(cleaned)
        return out
    if not isinstance(node, dict):
        return node
    kind = node.get("t")
    if kind in ("RawBlock", "RawInline"):
        fmt, text = node["c"]
        if fmt.lower() != "html":
            return _DROP  # openxml, opendocument, latex...: never written into an output
        node["c"] = [fmt, clean_html(text) if kind == "RawBlock" else clean_tag(text)]
        return node
    if kind == "Link" and not safe_url(node["c"][2][0]):
        return {"t": "Span", "c": [_clean(node["c"][0]), _clean(node["c"][1])]}
    if "c" in node:
        node["c"] = _clean(node["c"])
    return node


def _is_attr(node: list[Any]) -> bool:
    return (
        len(node) == 3
        and isinstance(node[0], str)
        and isinstance(node[1], list)
        and isinstance(node[2], list)
        and all(isinstance(c, str) for c in node[1])
        and all(isinstance(kv, list) and len(kv) == 2 for kv in node[2])
    )
