"""One tricky article through every format: the .docx, the HTML site, EPUB and ODT have the
same structure because they are written from one document model (issue 12, items 2, 3, 5)."""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import Any

import docx
import pytest
from lxml import etree

from pipeline.errors import UsageError
from pipeline.render import MarkdownBlock
from pipeline.render import model as model_mod
from pipeline.render.bookmarks import bookmark_name
from pipeline.render.catalog import Part
from pipeline.render.csp import CONTENT_SECURITY_POLICY
from pipeline.render.model import ArticleCache, read_articles
from pipeline.render.writers import FORMATS, SITE_MARKER, derived_path, render_formats

from .helpers import NS, ROOT, TEMPLATES

PNG = (ROOT / "kb" / "images" / "roadmap.png").read_bytes()

TRICKY = """Tricky article
==============

Intro with a [reference link][site] and a footnote.[^fn] See [the other article](other.md#setup)
and [the table below](#numbers) and [a missing one](missing.md).

Setext second
-------------

![A map of the region](../images/map.png)

## Numbers

| Region | Members |
|--------|--------:|
| East   | 12      |

Term
: Its definition.

<div class="note">Raw <em>HTML</em> here</div>

[site]: https://vetnon.example.org/
[^fn]: The footnote text.
"""

OTHER = "# Other\n\n## Setup\n\nSteps.[^fn]\n\n[^fn]: The other footnote.\n"

GENERATED = "# Network data\n\nSee [{which} data](#network-data).\n"
"""A generated block (no anchor, no KB article): two of them make the same id."""

PARTS = (Part("Guide", "body", "loop", "The articles."),)


def _resolver(href: str) -> str | None:
    path, _, fragment = href.partition("#")
    key = posixpath.normpath(posixpath.join("pages", path))
    return f"{key}#{fragment}" if fragment else key


def _key(path: str, slug: str = "") -> str:
    return bookmark_name(f"{path}#{slug}" if slug else path)


@dataclass
class Structure:
    """What the tests compare across formats."""

    headings: list[tuple[int, str, str]] = field(default_factory=list)
    """(level, text, id) of every heading of the articles."""
    ids: set[str] = field(default_factory=set)
    links: dict[str, str] = field(default_factory=dict)
    """Link text -> internal target id (``""`` for an external link)."""
    texts: list[str] = field(default_factory=list)
    """Text outside links."""
    footnotes: list[str] = field(default_factory=list)
    images: list[bytes] = field(default_factory=list)
    tables: int = 0
    terms: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path], Any]:
    return _build(tmp_path_factory.mktemp("formats") / "project")


def _build(root: Path) -> tuple[Path, dict[str, Path], Any]:
    """The tricky article and another one, in every format, in a project at ``root``."""
    kb = root / "kb"
    (kb / "pages").mkdir(parents=True)
    (kb / "images").mkdir()
    (kb / "images" / "map.png").write_bytes(PNG)
    (kb / "pages" / "tricky.md").write_text(TRICKY, encoding="utf-8")
    blocks = [
        MarkdownBlock(TRICKY, folder=kb / "pages", heading_offset=1, anchor="pages/tricky.md",
                      links=_resolver, name="tricky"),
        MarkdownBlock(OTHER, folder=kb / "pages", heading_offset=1, anchor="pages/other.md",
                      links=_resolver, name="other"),
        MarkdownBlock(GENERATED.format(which="first"), heading_offset=1),
        MarkdownBlock(GENERATED.format(which="second"), heading_offset=1),
    ]  # fmt: skip
    template = root / "loop.docx"
    document = docx.Document(str(TEMPLATES / "base.docx"))
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == "{{p body }}":
            paragraph.insert_paragraph_before("{%p for a in body %}")
            paragraph.text = "{{p a }}"
            paragraph._p.addnext(document.add_paragraph("{%p endfor %}")._p)
    document.save(str(template))
    context = {
        "network_name": "Net", "network_short": "N", "edition": "2026", "title": "Guide",
        "running_title": "Guide",
        "subtitle": "S", "date": "14 May 2026", "period": "", "status": "Draft", "logo": "",
        "body": blocks,
    }  # fmt: skip
    out = root / "outputs"
    targets = {fmt: out / derived_path("guide.docx", fmt) for fmt in FORMATS}
    result = render_formats(template, context, PARTS, targets, title="Guide", cache=root / "cache")
    return root, targets, result


# -- reading each format back ------------------------------------------------------------------


def _ns(uri: str, tag: str = "") -> str:
    return "{" + uri + "}" + tag


def _docx(path: Path) -> Structure:
    s = Structure()
    with zipfile.ZipFile(path) as zf:
        body = etree.fromstring(zf.read("word/document.xml")).find("w:body", NS)
        notes = etree.fromstring(zf.read("word/footnotes.xml"))
        s.images = [zf.read(n) for n in zf.namelist() if n.startswith("word/media/")]
    w = _ns(NS["w"])
    s.ids = {b.get(w + "name") for b in body.iter(w + "bookmarkStart")}
    before: dict[Any, list[str]] = {}  # pandoc puts a heading's bookmark just before it
    pending: list[str] = []
    for child in body:
        if child.tag == w + "bookmarkStart":
            pending.append(child.get(w + "name"))
        elif child.tag == w + "p":
            before[child], pending = pending, []
    for p in body.iter(w + "p"):
        style = p.find("w:pPr/w:pStyle", NS)
        name = style.get(w + "val") if style is not None else ""
        text = "".join(t.text or "" for t in p.iter(w + "t"))
        if name.startswith("Heading") and name[-1].isdigit():
            marks = [m for m in before.get(p, []) + [b.get(w + "name") for b in
                     p.iter(w + "bookmarkStart")] if not m.startswith("_Toc")]  # fmt: skip
            s.headings.append((int(name[len("Heading") :]), text, marks[-1] if marks else ""))
        if name == "DefinitionTerm":
            s.terms.append(text)
        for link in p.iter(w + "hyperlink"):
            label = "".join(t.text or "" for t in link.iter(w + "t"))
            s.links[label] = link.get(w + "anchor") or ""
        s.texts.append(
            "".join(t.text or "" for t in p.iter(w + "t") if not _in(t, w + "hyperlink"))
        )
    s.footnotes = ["".join(t.text or "" for t in n.iter(w + "t")) for n in notes]
    s.tables = len(list(body.iter(w + "tbl")))
    return s


def _in(el: etree._Element, tag: str) -> bool:
    return any(a.tag == tag for a in el.iterancestors())


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.s = Structure()
        self.hrefs: list[tuple[str, str]] = []
        self.srcs: list[str] = []
        self._heading: list[Any] | None = None
        self._link: list[Any] | None = None
        self._dt: list[str] | None = None
        self._nav = 0
        self._notes = 0
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.s.ids.add(str(a["id"]))
        if tag == "nav":
            self._nav += 1
        if self._nav:
            return
        if tag == "section":
            self._section = a.get("id") or ""  # EPUB: the id is the section's
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and a.get("class") != "title":
            self._heading = [int(tag[1]), "", a.get("id") or self._section]
            self._section = ""
        elif tag == "a" and a.get("href") and "footnote" not in (a.get("class") or ""):
            self._link = [a["href"], ""]
        elif tag == "img":
            self.srcs.append(str(a.get("src")))
        elif tag == "table":
            self.s.tables += 1
        elif tag == "dt":
            self._dt = []
        elif tag in ("section", "aside") and "footnotes" in (a.get("class") or ""):
            self._notes += 1
            self.s.footnotes.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self._nav -= 1
        if self._heading is not None and tag == f"h{self._heading[0]}":
            self.s.headings.append((self._heading[0], self._heading[1].strip(), self._heading[2]))
            self._heading = None
        elif tag == "a" and self._link is not None:
            self.hrefs.append((self._link[1], self._link[0]))
            self._link = None
        elif tag == "dt" and self._dt is not None:
            self.s.terms.append("".join(self._dt).strip())
            self._dt = None
        elif tag in ("section", "aside") and self._notes:
            self._notes -= 1

    def handle_data(self, data: str) -> None:
        if self._nav:
            return
        if self._heading is not None:
            self._heading[1] += data
        if self._link is not None:
            self._link[1] += data
        else:
            self.s.texts.append(data)
        if self._dt is not None:
            self._dt.append(data)
        if self._notes:
            self.s.footnotes[-1] += data


def _pages(
    pages: dict[str, str],
    image: Callable[[str, str], bytes | None],
    order: Callable[[str], Any] | None = None,
) -> Structure:
    """Structure of a set of (X)HTML pages (name -> text) read in ``order`` (by default their
    names' chapter numbers); ``image(page, src)`` reads an image."""
    s = Structure()
    parsed = {}
    for name, text in sorted(pages.items(), key=lambda kv: (order or _order)(kv[0])):
        page = _Page()
        page.feed(text)
        parsed[name] = page
        s.headings += page.s.headings
        s.ids |= page.s.ids
        s.texts += page.s.texts
        s.footnotes += [f.replace("\u21a9\ufe0e", "").strip() for f in page.s.footnotes]
        s.tables += page.s.tables
        s.terms += page.s.terms
        for src in page.srcs:
            assert not src.startswith("/") and "://" not in src, src  # relative
            data = image(name, src)
            assert data is not None, f"{name}: image {src} is not in the output"
            s.images.append(data)
    for name, page in parsed.items():
        for label, href in page.hrefs:
            label = " ".join(label.split())
            if "://" in href:
                s.links[label] = ""
                continue
            target, _, fragment = href.partition("#")
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), target or
                                                       posixpath.basename(name)))  # fmt: skip
            if target not in parsed:
                continue  # the table of contents, navigation
            assert fragment in parsed[target].s.ids, f"{name}: link {href} leads nowhere"
            s.links[label] = fragment
    return s


def _order(name: str) -> list[Any]:
    stem = PurePosixPath(name).stem
    number = stem.split("-", 1)[0]
    return [int(n) if n.isdigit() else n for n in number.replace("ch", "").split(".")]


_NEXT = re.compile(r'<a [^>]*rel="next" href="([^"]+)"')


def site_order(index: Path) -> list[str]:
    """The pages of the site of ``index`` in reading order: the start page, then each page's
    "next" link until the last page."""
    order = [index.name]
    while len(order) <= 1000:
        found = _NEXT.search((index.parent / order[-1]).read_text(encoding="utf-8"))
        if found is None:
            break
        order.append(found.group(1))
    return order


def _html(index: Path) -> Structure:
    site = index.parent
    pages = {p.name: p.read_text(encoding="utf-8") for p in site.glob("*.html")}
    pages.pop("index.html")
    order = site_order(index)

    def image(_page: str, src: str) -> bytes | None:
        path = site / src
        return path.read_bytes() if path.is_file() else None

    return _pages(pages, image, order.index)


def _epub(path: Path) -> Structure:
    with zipfile.ZipFile(path) as zf:
        content = {n: zf.read(n) for n in zf.namelist()}
    pages = {n: v.decode("utf-8") for n, v in content.items()
             if n.startswith("EPUB/text/ch")}  # fmt: skip

    def image(page: str, src: str) -> bytes | None:
        return content.get(posixpath.normpath(posixpath.join(posixpath.dirname(page), src)))

    return _pages(pages, image)


ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}


def _odt(path: Path) -> Structure:
    s = Structure()
    with zipfile.ZipFile(path) as zf:
        content = {n: zf.read(n) for n in zf.namelist()}
    root = etree.fromstring(content["content.xml"])
    text = _ns(ODF["text"])
    office_text = root.find(".//{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text")
    assert office_text is not None
    for el in office_text.iter(text + "bookmark-start", text + "bookmark"):
        s.ids.add(el.get(text + "name"))
    for h in office_text.iter(text + "h"):
        marks = [b.get(text + "name") for b in h.iter(text + "bookmark-start")]
        s.headings.append((int(h.get(text + "outline-level")), "".join(h.itertext()),
                           marks[0] if marks else ""))  # fmt: skip
    for a in office_text.iter(text + "a"):
        href = a.get(_ns(ODF["xlink"], "href"), "")
        s.links["".join(a.itertext())] = href[1:] if href.startswith("#") else ""
    for p in office_text.iter(text + "p"):
        if _in(p, text + "note") or _in(p, text + "table-of-content"):
            continue
        s.texts.append("".join(t for t in _outside_links(p)))
        if "Definition_20_Term" in (p.get(text + "style-name") or ""):
            s.terms.append("".join(p.itertext()))
    for note in office_text.iter(text + "note-body"):
        s.footnotes.append("".join(note.itertext()))
    s.tables = len(list(office_text.iter(_ns(ODF["table"], "table"))))
    for image in office_text.iter(_ns(ODF["draw"], "image")):
        s.images.append(content[image.get(_ns(ODF["xlink"], "href"))])
    return s


def _outside_links(el: etree._Element) -> list[str]:
    out = [el.text or ""] if el.tag != _ns(ODF["text"], "note") else []
    for child in el:
        if child.tag not in (_ns(ODF["text"], "a"), _ns(ODF["text"], "note")):
            out += _outside_links(child)
        out.append(child.tail or "")
    return out


READERS = {"docx": _docx, "html": _html, "epub": _epub, "odt": _odt}


# -- the tests ---------------------------------------------------------------------------------

EXPECTED_HEADINGS = [
    (2, "Tricky article", _key("pages/tricky.md", "tricky-article")),
    (3, "Setext second", _key("pages/tricky.md", "setext-second")),
    (3, "Numbers", _key("pages/tricky.md", "numbers")),
    (2, "Other", _key("pages/other.md", "other")),
    (3, "Setup", _key("pages/other.md", "setup")),
    (2, "Network data", "network-data"),
    (2, "Network data", "network-data-1"),  # one set of ids per document
]


SITE_PAGES = {
    _key("pages/tricky.md", "tricky-article"): "tricky",
    _key("pages/other.md", "other"): "other",
}
"""The site names a page after the article whose first heading starts it: the heading's id
is the page's name (``tricky.html``)."""


def _id(fmt: str, value: str) -> str:
    """The id ``value`` as format ``fmt`` writes it (Word: a valid bookmark name; the site:
    an article's page named after the article)."""
    if fmt == "html":
        return SITE_PAGES.get(value, value)
    return bookmark_name(value) if fmt == "docx" else value


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_has_the_tricky_articles_structure(built: Any, fmt: str) -> None:
    _root, targets, result = built
    assert result.paths == targets
    s = READERS[fmt](targets[fmt])
    headings = [h for h in s.headings if h[1] != "Guide"]  # the part's heading (template)
    assert headings == [(n, t, _id(fmt, i)) for n, t, i in EXPECTED_HEADINGS]  # setext, ATX
    assert s.links["first data"] == _id(fmt, "network-data")  # each block's own #x link
    assert s.links["second data"] == _id(fmt, "network-data-1")  # follows its renamed id
    assert _key("pages/tricky.md") in s.ids and _key("pages/other.md") in s.ids  # anchors
    assert s.links["reference link"] == ""  # [x][c]: resolved to its URL
    assert s.links["the other article"] == _key("pages/other.md", "setup")
    assert s.links["the table below"] == _key("pages/tricky.md", "numbers")
    assert all(target in s.ids for target in s.links.values() if target)  # all land
    assert "a missing one" not in s.links  # a target outside the document: plain text
    assert "a missing one" in " ".join(" ".join(s.texts).split())
    assert "The footnote text." in [f.strip() for f in s.footnotes]
    assert "The other footnote." in [f.strip() for f in s.footnotes]  # per article
    assert s.images == [PNG]
    assert s.tables == 1
    assert s.terms == ["Term"]
    raw = "Raw HTML here" in " ".join(" ".join(s.texts).split())
    assert raw == (fmt in ("html", "epub"))  # raw HTML only where HTML is written


def test_the_formats_are_named_after_the_docx() -> None:
    assert derived_path("handbook.docx", "html") == "handbook-html/index.html"
    assert derived_path("handbook.docx", "epub") == "handbook.epub"
    assert derived_path("handbook.docx", "odt") == "handbook.odt"
    assert derived_path("handbook.docx", "docx") == "handbook.docx"
    assert derived_path("clusters/action-plan-c1.docx", "html") == (
        "clusters/action-plan-c1-html/index.html"
    )
    with pytest.raises(UsageError, match="unknown format 'pdf'"):
        derived_path("handbook.docx", "pdf")


def test_no_output_names_a_path_of_the_build_machine(built: Any) -> None:
    root, targets, _result = built
    needles = [str(root).encode(), str(root.resolve()).encode()]
    blobs: dict[str, bytes] = {}
    with zipfile.ZipFile(targets["docx"]) as zf:
        blobs |= {f"docx:{n}": zf.read(n) for n in zf.namelist()}
    for fmt in ("epub", "odt"):
        with zipfile.ZipFile(targets[fmt]) as zf:
            blobs |= {f"{fmt}:{n}": zf.read(n) for n in zf.namelist()}
    for path in targets["html"].parent.rglob("*"):
        if path.is_file():
            blobs[f"html:{path.name}"] = path.read_bytes()
    assert any(b"Tricky article" in b for b in blobs.values())
    for name, blob in blobs.items():
        for needle in needles:
            assert needle not in blob, (name, needle)


def test_a_project_elsewhere_gives_the_same_bytes(built: Any, tmp_path: Path) -> None:
    """Reproducible, and no trace of where the project was: the same inputs in another
    folder, at another time, give byte-identical files in every format."""
    _root, targets, _result = built
    _other, again, _ = _build(tmp_path / "elsewhere" / "project")
    for fmt in ("docx", "epub", "odt"):
        assert again[fmt].read_bytes() == targets[fmt].read_bytes(), fmt
    site, other_site = targets["html"].parent, again["html"].parent
    files = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(other_site) for p in other_site.rglob("*") if p.is_file())
    for rel in files:
        assert (site / rel).read_bytes() == (other_site / rel).read_bytes(), rel


def test_every_page_carries_the_policy(built: Any) -> None:
    _root, targets, _result = built
    pages = list(targets["html"].parent.glob("*.html"))
    assert len(pages) > 2
    for page in pages:
        assert f'content="{CONTENT_SECURITY_POLICY}"' in page.read_text(encoding="utf-8")


def test_the_site_is_replaced_whole(tmp_path: Path) -> None:
    index = tmp_path / "out" / "doc-html" / "index.html"
    context = {"body": MarkdownBlock("# New\n\nText.\n")}
    render_formats(TEMPLATES / "base.docx", context, PARTS, {"html": index}, title="T")
    assert (index.parent / SITE_MARKER).is_file()  # a netdocs site: replaced next time
    (index.parent / "stale.html").write_text("an older page", encoding="utf-8")
    render_formats(TEMPLATES / "base.docx", context, PARTS, {"html": index}, title="T")
    assert not (index.parent / "stale.html").exists() and index.is_file()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["doc-html"]  # no leftovers


def test_a_folder_that_is_not_a_site_is_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.docx").write_bytes(b"the user's own file")
    context = {"body": MarkdownBlock("# New\n\nText.\n")}
    with pytest.raises(UsageError, match=r"out: the HTML site would replace this whole folder"):
        render_formats(TEMPLATES / "base.docx", context, PARTS, {"html": out / "index.html"},
                       title="T")  # fmt: skip
    assert (out / "report.docx").read_bytes() == b"the user's own file"
    assert sorted(p.name for p in out.iterdir()) == ["report.docx"]


def test_a_docx_in_the_sites_folder_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    targets = {"docx": out / "guide.docx", "html": out / "index.html"}
    context = {"body": MarkdownBlock("# New\n\nText.\n")}
    with pytest.raises(UsageError, match=r"guide\.docx: written into the HTML site's folder"):
        render_formats(TEMPLATES / "base.docx", context, PARTS, targets, title="T")
    assert not out.exists() or not any(out.iterdir())  # the .docx is not lost: never written
    out.mkdir(exist_ok=True)
    with pytest.raises(UsageError, match="folder of its own"):  # the writer checks too
        from pipeline.render.model import web_model
        from pipeline.render.writers import write_html

        (out / "guide.docx").write_bytes(b"a document")
        write_html(web_model(context, PARTS), out / "index.html", "T")
    assert (out / "guide.docx").read_bytes() == b"a document"


def test_the_landing_page_carries_the_same_policy(tmp_path: Path) -> None:
    from pipeline.publish import landing

    assert landing.CSP_META.endswith(f'content="{CONTENT_SECURITY_POLICY}" />')


# -- the per-article cache ---------------------------------------------------------------------


def test_a_changed_article_is_the_only_one_read_again(tmp_path: Path) -> None:
    texts = [f"# Article {i}\n\nText {i}.[^n]\n\n[^n]: Note {i}.\n" for i in range(30)]
    cache = ArticleCache(tmp_path / "cache")
    before = (model_mod.STATS.runs, model_mod.STATS.articles, model_mod.STATS.hits)
    first = read_articles(texts, cache=cache)
    assert model_mod.STATS.runs == before[0] + 1  # one pandoc run for the whole document
    assert model_mod.STATS.articles == before[1] + 30

    texts[7] = texts[7].replace("Text 7.", "Text seven.")
    again = read_articles(texts, cache=ArticleCache(tmp_path / "cache"))
    assert model_mod.STATS.runs == before[0] + 2
    assert model_mod.STATS.articles == before[1] + 31  # only the changed one
    assert model_mod.STATS.hits == before[2] + 29
    assert again.blocks[:7] == first.blocks[:7] and again.blocks[8:] == first.blocks[8:]
    assert "seven" in str(again.blocks[7]) and "seven" not in str(first.blocks[7])

    read_articles(texts, cache=ArticleCache(tmp_path / "cache"))
    assert model_mod.STATS.runs == before[0] + 2  # nothing changed: pandoc not run at all
    model_mod._MEMORY.clear()  # a new process: the entries are on disk
    read_articles(texts, cache=ArticleCache(tmp_path / "cache"))
    assert model_mod.STATS.runs == before[0] + 2


def test_cached_and_fresh_readings_are_the_same_and_ids_are_per_article(tmp_path: Path) -> None:
    texts = ["# Intro\n\n# Intro\n\n[x](#intro)\n", "# Intro\n\n[^a]\n\n[^a]: A.\n"]
    fresh = read_articles(texts)
    cached = read_articles(texts, cache=ArticleCache(tmp_path))
    again = read_articles(texts, cache=ArticleCache(tmp_path))
    assert fresh.blocks == cached.blocks == again.blocks
    ids = [b["c"][1][0] for b in fresh.blocks[0] + fresh.blocks[1] if b["t"] == "Header"]
    assert ids == ["intro", "intro-1", "intro"]  # as if each article were read alone
    assert "n" + "x" not in str(fresh.blocks)[:0]  # no file-name prefix left
    assert "md__" not in str(fresh.blocks)


def test_the_cache_key_holds_the_text_format_pandoc_and_code(tmp_path: Path) -> None:
    cache = ArticleCache(tmp_path)
    key = cache.key("# A\n", "commonmark_x")
    assert key != cache.key("# B\n", "commonmark_x")
    assert key != cache.key("# A\n", "markdown")
    assert cache.folder.name.startswith("articles-")


def test_only_other_versions_unused_for_30_days_are_pruned(tmp_path: Path) -> None:
    """Two netdocs versions sharing a cache keep each other's entries while both are used."""
    import os
    import time

    cache = ArticleCache(tmp_path)
    month = time.time() - 31 * 24 * 3600
    for name in ("articles-old", "articles-recent", "articles-bucket"):
        (tmp_path / name / "ab").mkdir(parents=True)
        (tmp_path / name / "ab" / "x.json").write_text("{}", encoding="utf-8")
        for path in (tmp_path / name, tmp_path / name / "ab"):
            os.utime(path, (month, month))
    os.utime(tmp_path / "articles-recent")  # used today (touched on first use)
    os.utime(tmp_path / "articles-bucket" / "ab")  # an entry written today
    read_articles(["# Mine\n"], cache=cache)
    cache.flush()
    os.utime(cache.folder, (month, month))
    ArticleCache._pruned.discard(cache.folder)
    ArticleCache(tmp_path)
    assert not (tmp_path / "articles-old").exists()  # another version's, unused for a month
    assert (tmp_path / "articles-recent" / "ab" / "x.json").is_file()
    assert (tmp_path / "articles-bucket" / "ab" / "x.json").is_file()
    assert cache.folder.is_dir() and time.time() - cache.folder.stat().st_mtime < 3600


def test_a_damaged_cache_entry_is_read_again(tmp_path: Path) -> None:
    model_mod._MEMORY.clear()  # as in a new process: entries come from the disk
    cache = ArticleCache(tmp_path)
    read_articles(["# A\n"], cache=cache)
    cache.flush()
    entry = next(cache.folder.rglob("*.json"))
    entry.write_text("{not json", encoding="utf-8")
    model_mod._MEMORY.clear()
    runs = model_mod.STATS.runs
    again = read_articles(["# A\n"], cache=ArticleCache(tmp_path))
    assert model_mod.STATS.runs == runs + 1
    assert again.blocks[0][0]["t"] == "Header"


def test_an_article_cannot_forge_the_boundary_between_articles() -> None:
    texts = ["NETDOCSBOUNDARY0123\n\nA\n", "B\n"]
    read = read_articles(texts)
    assert len(read.blocks) == 2 and "NETDOCSBOUNDARY0123" in str(read.blocks[0])


def test_render_document_reads_through_the_cache(tmp_path: Path) -> None:
    from pipeline.render import render_document

    from .helpers import base_context

    shutil.copy(TEMPLATES / "base.docx", tmp_path / "base.docx")
    context = base_context(
        running_title="Handbook", body=MarkdownBlock("# Cached heading\n\nBody.\n")
    )
    runs = model_mod.STATS.runs
    render_document(tmp_path / "base.docx", context, tmp_path / "a.docx", cache=tmp_path / "c")
    render_document(tmp_path / "base.docx", context, tmp_path / "b.docx", cache=tmp_path / "c")
    assert model_mod.STATS.runs == runs + 1
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_raw_word_xml_cannot_forge_a_block_boundary(tmp_path: Path) -> None:
    from pipeline.render import render_document

    from .helpers import base_context

    forged = "\n".join(
        f"```{{=openxml}}\n<w:p><w:r><w:t>NETDOCS-BOUNDARY-{n}</w:t></w:r></w:p>\n```\n"
        for n in (0, 1, 99)
    )
    context = base_context(
        running_title="Handbook", body=MarkdownBlock(f"Before.\n\n{forged}\nAfter.\n")
    )
    out = tmp_path / "a.docx"
    render_document(TEMPLATES / "base.docx", context, out, cache=tmp_path / "c")
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    assert "Before." in xml and "After." in xml  # nothing cut away, nothing lost


def test_charts_reach_the_site_with_their_alt_text_and_caption(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    from pipeline.render import Chart

    figure = Figure(figsize=(3, 2))
    figure.add_subplot().bar(["a", "b"], [1, 2])
    parts = (
        Part("Figures", "chart_members", "chart", "A chart.", "Figure 1. Members"),
        Part("Text", "body", "block", "Text."),
    )
    context = {"chart_members": Chart(figure, alt="Members per region"),
               "body": MarkdownBlock("Body text.\n")}  # fmt: skip
    index = tmp_path / "site" / "index.html"
    render_formats(TEMPLATES / "base.docx", context, parts, {"html": index}, title="T")
    pages = "".join(p.read_text(encoding="utf-8") for p in index.parent.glob("*.html"))
    src = pages.split('<img src="', 1)[1].split('"', 1)[0]
    assert (index.parent / src).read_bytes().startswith(b"\x89PNG")
    assert 'alt="Members per region"' in pages and "Figure 1. Members" in pages
    assert str(tmp_path) not in pages


def test_a_block_placed_twice_is_whole_in_both_places(tmp_path: Path) -> None:
    from pipeline.render import render_document

    from .helpers import base_context

    template = tmp_path / "twice.docx"
    document = docx.Document(str(TEMPLATES / "base.docx"))
    for paragraph in document.paragraphs:
        if paragraph.text.strip() == "{{p body }}":
            paragraph._p.addnext(document.add_paragraph("{{p body }}")._p)
            break
    document.save(str(template))
    text = "Twice[^n] with [a link](https://example.org).\n\n1. one\n2. two\n\n[^n]: The note.\n"
    out = tmp_path / "twice-out.docx"
    render_document(
        template,
        base_context(running_title="Handbook", body=MarkdownBlock(text)),
        out,
        cache=tmp_path / "c",
    )
    with zipfile.ZipFile(out) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        notes = zf.read("word/footnotes.xml").decode("utf-8")
    assert body.count(">Twice<") == 2 and body.count(">one<") == 2
    assert notes.count("The note.") == 2  # each place has its own footnote
    assert len(set(re.findall(r'footnoteReference w:id="(\d+)"', body))) == 2


def test_without_a_usable_cache_folder_the_cache_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    model_mod.default_cache_folder.cache_clear()
    try:
        folder = model_mod.default_cache_folder()
        assert folder.is_dir() and folder.name.startswith("netdocs-cache-")
        assert folder.stat().st_mode & 0o077 == 0  # no other user can read or fill it
        assert read_articles(["# A\n"], cache=ArticleCache()).blocks[0][0]["t"] == "Header"
    finally:
        model_mod.default_cache_folder.cache_clear()


def _headings_and_links(node: Any, headings: list[str], links: list[str]) -> None:
    if isinstance(node, list):
        for item in node:
            _headings_and_links(item, headings, links)
    elif isinstance(node, dict):
        if node.get("t") == "Header":
            headings.append(node["c"][1][0])
        if node.get("t") == "Link":
            links.append(node["c"][2][0])
        _headings_and_links(node.get("c"), headings, links)


def test_ids_are_unique_across_the_blocks_of_a_document() -> None:
    from pipeline.render.model import docx_model, web_model

    blocks = [
        MarkdownBlock("# Intro\n\n[a](#intro)\n"),
        MarkdownBlock("# Intro\n\n# Intro\n\n[b](#intro) [c](#intro-1)\n"),  # intro, intro-1
    ]
    for model in (web_model({"body": blocks}, PARTS), docx_model(blocks)):
        found: list[str] = []
        links: list[str] = []
        _headings_and_links(model.doc["blocks"], found, links)
        headings = [i for i in found if i.lower().startswith("intro")]
        assert headings == ["intro", "intro-2", "intro-1"]  # none taken twice, none moved
        assert links == ["#intro", "#intro-2", "#intro-1"]  # each block's links follow
        assert set(headings) <= model.ids


PAGE_IDS = {"sitenav", "TOC", "title-block-header", "toc-title"}
"""pandoc's page template: once on each page of the site (netdocs' template has no id)."""


@pytest.mark.parametrize("fmt", ["html", "epub"])
def test_each_id_is_defined_once_in_the_whole_document(built: Any, fmt: str) -> None:
    """Not repeated by another block, nor copied with a heading's text into the contents or
    the pages' next/previous links (an anchor inside the heading was)."""
    _root, targets, _result = built
    if fmt == "html":
        texts = [p.read_text(encoding="utf-8") for p in targets["html"].parent.glob("*.html")]
    else:
        with zipfile.ZipFile(targets["epub"]) as zf:
            texts = [zf.read(n).decode("utf-8") for n in zf.namelist()
                     if n.endswith(".xhtml") and "nav" not in n]  # fmt: skip
    pages = [re.findall(r'\sid="([^"]+)"', t) for t in texts]
    for page in pages:
        assert sorted({i for i in page if page.count(i) > 1}) == []
    notes = re.compile(r"fn\d+|fnref\d+|footnotes")  # pandoc's, per page (linked on the page)
    ids = [i for page in pages for i in page if i not in PAGE_IDS and not notes.fullmatch(i)]
    assert _key("pages/tricky.md") in ids and "network-data-1" in ids
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
