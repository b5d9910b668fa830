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

The site's pages are netdocs' own (``site/page.html``, a pandoc template, and
``site/netdocs.css``, copied into the site with the document's accent colour): a header with
the site's title and the edition, a contents sidebar marking the page, breadcrumbs (title ›
part › section), the page, previous/next links and a footer. Pages are named after what they
hold (:func:`page_names`): an article's page after the article's id (``introduction.html``),
a part's after the part (``roadmap.html``), any other after its heading; the start page is
``index.html``.

:func:`derived_path` names a document's other formats after its .docx.
"""

from __future__ import annotations

import json
import logging
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from .. import fs
from ..errors import Problem, UsageError
from ..kb.sanitize import clean_html, clean_tag, safe_attribute, safe_url
from .bookmarks import bookmark_name
from .catalog import Part
from .csp import CSP_META
from .document import RenderResult, render_document
from .media import MEDIA_FILTER
from .model import ArticleCache, Model, part_blocks, web_model
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
    write: Callable[[Model, Path, str, Site], list[str]] | None
    """Writes the model to the path with a title (and, for the site, what its pages say around
    the document), returns pandoc's warnings; ``None`` for the .docx, which goes through the
    template engine."""


SITE_FILES = Path(__file__).with_name("site")
"""The site's page template and stylesheet (package data)."""
PAGE_TEMPLATE = SITE_FILES / "page.html"
"""pandoc's template for every page of a site."""
STYLESHEET = SITE_FILES / "netdocs.css"
"""The stylesheet of the sites and of the edition's landing page."""
STYLESHEET_NAME = "netdocs.css"
"""The stylesheet's name in a site (beside the pages, which all link it)."""
SPLIT_LEVEL = 2
"""Headings up to this level start a page of the site (parts and their articles)."""
DEFAULT_ACCENT = "1F4E79"
"""The accent colour of a site whose document type does not say (the strategy's blue)."""


@dataclass(frozen=True)
class Site:
    """What the pages of a site say around the document, and how they are named."""

    edition: str = ""
    """The edition's display name (``2026 Annual Meeting``)."""
    network: str = ""
    """The network's name."""
    date: str = ""
    """The document's date, formatted."""
    accent: str = DEFAULT_ACCENT
    """Hex RGB of headings and rules: the document type's accent colour."""
    lang: str = "en"
    """The pages' language (``<html lang>``)."""
    articles: Mapping[str, str] = field(default_factory=dict)
    """An article's anchor id in the model -> the article's id, its page's name."""
    parts: Mapping[str, str] = field(default_factory=dict)
    """A part's heading id in the model -> the part's page name."""


def site_for(context: Mapping[str, Any], parts: Sequence[Part], accent: str | None = None) -> Site:
    """The :class:`Site` of a document: its edition, network and date from the COMMON
    variables of ``context``, its pages' names from its articles and ``parts``."""
    articles: dict[str, str] = {}
    for part in parts:
        for block in part_blocks(context.get(part.name)):
            if block.anchor and _PAGE_NAME.fullmatch(block.name):
                articles.setdefault(bookmark_name(block.anchor), block.name)
    return Site(
        edition=str(context.get("edition") or ""),
        network=str(context.get("network_name") or ""),
        date=str(context.get("date") or ""),
        accent=(accent or DEFAULT_ACCENT).lstrip("#").upper(),
        articles=articles,
        parts={bookmark_name("part:" + p.name): _slug(p.name) for p in parts if p.heading},
    )


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


def write_html(model: Model, index: Path, title: str, site: Site | None = None) -> list[str]:
    """A multi-page site whose folder is ``index``'s parent: index.html with the contents, one
    page per part and section (named by :func:`page_names`), images under ``media/``, the
    stylesheet. The folder is replaced whole, so it must be the site's own
    (:func:`check_site_folder`); the site holds :data:`SITE_MARKER`."""
    site = site or Site()
    check_site_folder(index)
    folder = index.parent
    folder.parent.mkdir(parents=True, exist_ok=True)
    blocks = model.doc["blocks"]
    names = page_names(blocks, site, reserved={"index", index.stem})
    doc = {**model.doc, "blocks": _renamed(blocks, names)}
    page = Model(doc, model.media, model.warnings, model.ids, model.boundary)
    edition = " · ".join(x for x in (site.network, site.edition) if x)
    footer = " · ".join(x for x in (title, site.edition, site.date) if x)
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}.", dir=folder.parent) as tmp:
        built = Path(tmp) / "site"
        warnings = _pandoc(
            page, "chunkedhtml", built, title,
            f"--split-level={SPLIT_LEVEL}", "--template", str(PAGE_TEMPLATE),
            "--chunk-template=%i.html", "--variable", f"lang={escape(site.lang)}",
            "--variable", f"site-title={escape(title)}",
            "--variable", f"site-edition={escape(edition)}",
            "--variable", f"site-footer={escape(footer)}",
        )  # fmt: skip
        _fill_navigation(built)
        fs.atomic_write(built / STYLESHEET_NAME, stylesheet(site.accent).encode("utf-8"))
        if index.name != "index.html":
            (built / "index.html").rename(built / index.name)
            _relink_start(built, index.name)
        fs.atomic_write(built / SITE_MARKER, b"netdocs HTML site: replaced whole when rebuilt\n")
        fs.replace_folder(built, folder)
    return warnings


def stylesheet(accent: str = DEFAULT_ACCENT) -> str:
    """:data:`STYLESHEET` with ``accent`` (hex RGB) as its accent colour."""
    css = STYLESHEET.read_text(encoding="utf-8")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", accent):
        accent = DEFAULT_ACCENT
    return f"{css.rstrip()}\n\n:root {{ --accent: #{accent.upper()}; }}\n"


# -- page names --------------------------------------------------------------------------------

_PAGE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A page's name (without ``.html``): lower-case ASCII letters and digits, single hyphens
between them (an article id); safe in a URL and on every file system."""
_MAX_NAME = 60
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)
"""Names Windows refuses for a file, whatever the extension."""


def _slug(text: str) -> str:
    """``text`` as a page name: ASCII, lower case, words joined by hyphens (``section`` if
    nothing is left), at most :data:`_MAX_NAME` characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > _MAX_NAME:
        slug = slug[:_MAX_NAME].rsplit("-", 1)[0] or slug[:_MAX_NAME]
    return slug or "section"


def page_names(
    blocks: list[Any], site: Site, reserved: set[str] | frozenset[str] = frozenset({"index"})
) -> dict[int, str]:
    """The new id of each heading of ``blocks`` that starts a page (its page is ``ID.html``),
    by the heading's position: an article's first heading takes the article's id, a part's
    heading the part's name (``part-NAME`` when an article has that id), any other heading
    keeps its id when that is a page name already, else takes the slug of its text. The
    names are unique: none is another id of the document, one of ``reserved`` or a name
    Windows refuses; a clash takes ``-2``, ``-3``..."""
    heads = [i for i, b in enumerate(blocks) if _page_heading(b)]
    wanted: list[tuple[int, int, list[str]]] = []  # (rank, position, names to try in order)
    for i in heads:
        old = blocks[i]["c"][1][0]
        anchor = _anchor_after(blocks, i)
        if old in site.parts:
            name = site.parts[old]
            wanted.append((1, i, [name, f"part-{name}"]))
        elif anchor is not None and anchor in site.articles:
            wanted.append((0, i, [site.articles[anchor]]))
        elif _PAGE_NAME.fullmatch(old) and len(old) <= _MAX_NAME:
            wanted.append((2, i, [old]))  # already a page name (``network-data-1``)
        else:
            wanted.append((2, i, [_slug(_text(blocks[i]["c"][2]))]))
    taken = set(_ids(blocks)) - {blocks[i]["c"][1][0] for i in heads}
    taken |= {r.lower() for r in reserved} | _RESERVED
    names: dict[int, str] = {}
    for _rank, i, tries in sorted(wanted):
        free = next((n for n in tries if n not in taken), None)
        if free is None:
            n = 2
            while f"{tries[-1]}-{n}" in taken:
                n += 1
            free = f"{tries[-1]}-{n}"
        taken.add(free)
        names[i] = free
    return names


def _page_heading(block: Any) -> bool:
    return isinstance(block, dict) and block.get("t") == "Header" and block["c"][0] <= SPLIT_LEVEL


def _anchor_after(blocks: list[Any], i: int) -> str | None:
    """The id of the article anchor just after heading ``i`` (:func:`.model.web_model` puts an
    empty span first in the block after an article's first heading), or ``None``."""
    if i + 1 >= len(blocks) or blocks[i + 1].get("t") not in ("Para", "Plain"):
        return None
    inlines = blocks[i + 1]["c"]
    if inlines and inlines[0].get("t") == "Span" and not inlines[0]["c"][1]:
        return str(inlines[0]["c"][0][0]) or None
    return None


def _renamed(blocks: list[Any], names: Mapping[int, str]) -> list[Any]:
    """A copy of ``blocks`` with each page heading's id as ``names`` say, and every link to
    an old id following it."""
    out: list[Any] = json.loads(json.dumps(blocks))
    moved: dict[str, str] = {}
    for i, name in names.items():
        attr = out[i]["c"][1]
        if attr[0]:
            moved[attr[0]] = name
        attr[0] = name
    for node in _nodes(out):
        if node.get("t") == "Link":
            target = node["c"][2][0]
            if target.startswith("#") and target[1:] in moved:
                node["c"][2][0] = "#" + moved[target[1:]]
    return out


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every node (a dict with ``t``) of pandoc JSON, depth first."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "t" in item:
                yield item
            if isinstance(item.get("c"), list):
                stack.append(item["c"])


_ATTR_NODES = frozenset({"Header", "Div", "Span", "CodeBlock", "Code", "Table", "Figure",
                         "Link", "Image"})  # fmt: skip


def _ids(blocks: list[Any]) -> Iterator[str]:
    """Every id ``blocks`` define."""
    for node in _nodes(blocks):
        kind = node["t"]
        if kind in _ATTR_NODES:
            c = node["c"]
            attr = c[1] if kind == "Header" else c[0]
            if isinstance(attr, list) and attr and isinstance(attr[0], str) and attr[0]:
                yield attr[0]


def _text(node: Any) -> str:
    """The plain text of pandoc JSON inlines (without footnotes)."""
    if isinstance(node, list):
        return "".join(_text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("t")
    if kind == "Str":
        return str(node["c"])
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math"):
        return str(node["c"][1])
    if kind == "Note":
        return ""
    return _text(node.get("c"))


# -- navigation: the sidebar, breadcrumbs and the start page's contents ------------------------

SIDEBAR = "<!--netdocs:sidebar-->"
BREADCRUMBS = "<!--netdocs:breadcrumbs-->"
CONTENTS = "<!--netdocs:contents-->"
PAGES = "<!--netdocs:pages-->"
"""Where the page template wants the navigation :func:`_fill_navigation` writes (the page's
body holds no comment of its own: raw HTML is cleaned, comments and all)."""


@dataclass
class _Entry:
    """One section of pandoc's ``sitemap.json``."""

    title: str
    path: str
    """``page.html#id``."""
    level: int
    parent: _Entry | None
    children: list[_Entry] = field(default_factory=list)

    @property
    def page(self) -> str:
        return self.path.partition("#")[0]


def _sitemap(built: Path) -> _Entry:
    def entry(node: Mapping[str, Any], parent: _Entry | None) -> _Entry:
        section = node["section"]
        out = _Entry(str(section["title"]), str(section["path"]), int(section["level"]), parent)
        out.children = [entry(n, out) for n in node.get("subsections", [])]
        return out

    tree: dict[str, Any] = json.loads((built / "sitemap.json").read_text(encoding="utf-8"))
    return entry(tree, None)


def _fill_navigation(built: Path) -> None:
    """Write each page's sidebar and breadcrumbs (and the start page's contents) from pandoc's
    sitemap: the template marks where."""
    top = _sitemap(built)
    pages: dict[str, _Entry] = {}
    stack = [top]
    while stack:
        entry = stack.pop()
        if entry.level <= SPLIT_LEVEL:
            pages.setdefault(entry.page, entry)
        stack.extend(entry.children)
    for path in sorted(built.glob("*.html")):
        here = pages.get(path.name)
        text = path.read_text(encoding="utf-8")
        text = text.replace(SIDEBAR, _sidebar(top, here), 1)
        text = text.replace(BREADCRUMBS, _breadcrumbs(top, here), 1)
        text = text.replace(CONTENTS, _contents(top), 1)
        text = text.replace(PAGES, _part_pages(here), 1)
        fs.atomic_write(path, text.encode("utf-8"))


def _link(entry: _Entry, here: _Entry | None, *, href: str | None = None) -> str:
    current = ' aria-current="page"' if here is not None and entry is here else ""
    target = escape(href or entry.page, quote=True)
    return f'<a href="{target}"{current}>{escape(entry.title)}</a>'


def _sidebar(top: _Entry, here: _Entry | None) -> str:
    """Every part; under the current part its pages, under the current page its sections."""
    chain = _chain(here)
    out = ["<ul>", f'<li class="toc-home">{_link(top, here)}</li>']
    for part in top.children:
        inner = _sections(part) if part is here else ""
        pages = [c for c in part.children if c.level <= SPLIT_LEVEL]
        if part in chain and pages:
            items = [f"<li>{_link(c, here)}{_sections(c) if c is here else ''}</li>" for c in pages]
            inner += "<ul>" + "".join(items) + "</ul>"
        css = "toc-part toc-open" if inner else "toc-part"
        out.append(f'<li class="{css}">{_link(part, here)}{inner}</li>')
    out.append("</ul>")
    return "\n".join(out)


def _sections(entry: _Entry) -> str:
    """The sections within ``entry``'s page (in-page links)."""
    inside = [c for c in entry.children if c.level > SPLIT_LEVEL]
    if not inside:
        return ""
    items = "".join(f"<li>{_link(c, None, href=c.path)}</li>" for c in inside)
    return f"<ul>{items}</ul>"


def _chain(here: _Entry | None) -> list[_Entry]:
    """``here`` and its ancestors, the start page first."""
    out: list[_Entry] = []
    while here is not None:
        out.insert(0, here)
        here = here.parent
    return out


def _breadcrumbs(top: _Entry, here: _Entry | None) -> str:
    """Start page › part › page: links, the page itself marked."""
    chain = _chain(here) or [top]
    items = [f"<li>{_link(e, None)}</li>" for e in chain[:-1]]
    items.append(f'<li><span aria-current="page">{escape(chain[-1].title)}</span></li>')
    return "<ol>" + "".join(items) + "</ol>"


def _contents(top: _Entry) -> str:
    """The start page's contents: every part and its pages."""
    out = ["<ul>"]
    for part in top.children:
        out.append(f"<li>{_link(part, None)}")
        pages = [c for c in part.children if c.level <= SPLIT_LEVEL]
        if pages:
            out.append("<ul>" + "".join(f"<li>{_link(c, None)}</li>" for c in pages) + "</ul>")
        out.append("</li>")
    out.append("</ul>")
    return "\n".join(out)


def _part_pages(here: _Entry | None) -> str:
    """On a part's page, after its own text, the list of its pages."""
    pages = [c for c in here.children if c.level <= SPLIT_LEVEL] if here is not None else []
    if not pages or here is None or here.level == 0:
        return ""
    items = "".join(f"<li>{_link(c, None)}</li>" for c in pages)
    return f'<nav class="site-part-pages" aria-label="In this part"><ul>{items}</ul></nav>'


def _relink_start(built: Path, name: str) -> None:
    """Every page's links to ``index.html`` made links to the start page renamed ``name``."""
    for path in built.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        fixed = text.replace('href="index.html"', f'href="{escape(name, quote=True)}"')
        if fixed != text:
            fs.atomic_write(path, fixed.encode("utf-8"))


def _write_file(to: str, *extra: str) -> Callable[[Model, Path, str, Site], list[str]]:
    def write(model: Model, target: Path, title: str, _site: Site) -> list[str]:
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
    accent: str | None = None,
    properties: Mapping[str, str] | None = None,
) -> RenderResult:
    """Write the document made of ``template`` and ``context`` in each format of ``targets``
    (format -> path: the .docx, the site's index.html, the .epub, the .odt). ``parts`` say in
    which order the context's blocks make the other formats' body. The articles are read by
    pandoc once for all formats (:class:`.model.ArticleCache` in ``cache``, by default the
    user's cache folder). ``accent`` (hex RGB, the document type's) colours the site's
    headings and rules; ``properties`` are the .docx's core properties besides its title
    (:func:`.document.render_document`). ``result.paths`` lists what was written."""
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
        result = render_document(
            template, context, targets["docx"], strict=strict, cache=cache, properties=properties
        )
    else:
        result = RenderResult(None, b"")
    web = [f for f in targets if f != "docx"]
    if web:
        from .values import clean_context

        clean, _problems = clean_context(context)  # already reported by the .docx, if any
        with tempfile.TemporaryDirectory(prefix="netdocs-media-") as media:
            model = web_model(clean, parts, cache=ArticleCache(cache), media_folder=Path(media))
            messages = list(model.warnings) if "docx" not in targets else []
            about = site_for(clean, parts, accent)
            for fmt in web:
                write = WRITERS[fmt].write
                assert write is not None
                messages += write(model, targets[fmt], title, about)
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
