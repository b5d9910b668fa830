"""The HTML site (issue 14, item 6): netdocs' page template and stylesheet, pages named after
their articles, images copied in, every page valid HTML5 with a sidebar marking it,
breadcrumbs and a complete previous/next chain, no absolute path anywhere.

One small site is built once for the module (pandoc only: no .docx), from a KB of three
articles, a generated block and an image."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import html5lib
import pytest

from pipeline.publish.sitecheck import check_site
from pipeline.render import MarkdownBlock
from pipeline.render.catalog import Part
from pipeline.render.writers import (
    SITE_MARKER,
    STYLESHEET,
    STYLESHEET_NAME,
    Site,
    page_names,
    render_formats,
    stylesheet,
)

from .helpers import ROOT, TEMPLATES

PNG = (ROOT / "kb" / "images" / "roadmap.png").read_bytes()
TITLE = "Guide & companion"
"""The site's title: escaped wherever it is printed."""

INTRODUCTION = """# Introduction to the guide

![The roadmap](../images/map.png)

Start with [the first step](../roadmap/step-1.md#purpose) or read on.[^1]

## Who it is for

Everyone.

[^1]: A footnote of the introduction.
"""
STEP_1 = """# Step 1: Baseline

## Purpose

Take stock. Back to [the introduction](../pages/introduction.md).
"""
STEP_2 = "# Step 2 — Stratégie\n\nSee [step 1](step-1.md) and [the web](https://example.org/).\n"
INDEX_ARTICLE = "# An article called index\n\nIts page cannot be index.html.\n"
DIRECTORY = "# Africé cluster\n\nMembers.\n\n# Greening TVET\n\nMembers.\n"
"""A generated block (no article): its pages are named after their headings."""

PARTS = (
    Part("Introduction", "introduction", "loop", "The introduction."),
    Part("The roadmap", "roadmap", "loop", "The steps."),
    Part("Directory", "directory", "block", "The clusters."),
)
PAGES = {
    "index.html",  # the start page
    "part-introduction.html",  # the part: its name is the introduction article's id
    "introduction.html",
    "roadmap.html",
    "step-1.html",
    "step-2.html",
    "index-2.html",  # the article whose id is index
    "directory.html",
    "africe-cluster.html",
    "greening-tvet.html",
}
"""Every page: named after its article's id, its part's name or its heading."""
ORDER = [
    "index.html",
    "part-introduction.html",
    "introduction.html",
    "roadmap.html",
    "step-1.html",
    "step-2.html",
    "index-2.html",
    "directory.html",
    "africe-cluster.html",
    "greening-tvet.html",
]
"""The reading order: previous/next follow it."""


def _resolver(folder: str) -> Any:
    def resolve(href: str) -> str | None:
        path, _, fragment = href.partition("#")
        key = posixpath.normpath(posixpath.join(folder, path))
        return f"{key}#{fragment}" if fragment else key

    return resolve


def build_site(root: Path) -> Path:
    """The small site, in ``root``; its index.html."""
    kb = root / "kb"
    for folder in ("pages", "roadmap", "images"):
        (kb / folder).mkdir(parents=True)
    (kb / "images" / "map.png").write_bytes(PNG)

    def article(folder: str, name: str, text: str) -> MarkdownBlock:
        (kb / folder / f"{name}.md").write_text(text, encoding="utf-8")
        return MarkdownBlock(
            text,
            folder=kb / folder,
            heading_offset=1,
            anchor=f"{folder}/{name}.md",
            links=_resolver(folder),
            name=name,
        )

    context = {
        "network_name": "Global VET Network",
        "edition": "2026 Annual Meeting",
        "date": "6 October 2026",
        "introduction": [article("pages", "introduction", INTRODUCTION)],
        "roadmap": [
            article("roadmap", "step-1", STEP_1),
            article("roadmap", "step-2", STEP_2),
            article("roadmap", "index", INDEX_ARTICLE),
        ],
        "directory": MarkdownBlock(DIRECTORY, heading_offset=1),
    }
    index = root / "out" / "guide-html" / "index.html"
    render_formats(
        TEMPLATES / "base.docx",
        context,
        PARTS,
        {"html": index},
        title=TITLE,
        cache=root / "cache",
        accent="7A3B69",
    )
    return index


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(project root, the site's folder)."""
    root = tmp_path_factory.mktemp("site") / "project"
    return root, build_site(root).parent


def parse(text: str | bytes) -> ET.Element:
    """An HTML5 page as an element tree; any parse error fails."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def pages(site: tuple[Path, Path]) -> dict[str, ET.Element]:
    _root, folder = site
    return {p.name: parse(p.read_bytes()) for p in sorted(folder.glob("*.html"))}


def _nav(page: ET.Element, css: str) -> ET.Element | None:
    return next((n for n in page.iter("nav") if css in (n.get("class") or "").split()), None)


def _text(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


# -- names, files, paths -------------------------------------------------------------------------


def test_pages_are_named_after_their_articles_parts_and_headings(site: Any) -> None:
    _root, folder = site
    assert {p.name for p in folder.glob("*.html")} == PAGES
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {STYLESHEET_NAME, SITE_MARKER, "sitemap.json"} <= files
    for name in files:
        assert re.fullmatch(r"[a-z0-9.-]+(/[a-z0-9.-]+)?", name.lstrip(".")), name  # URL-safe


def test_every_page_is_valid_html5(site: Any) -> None:
    _root, folder = site
    for page in folder.glob("*.html"):
        parse(page.read_bytes())  # html5lib's strict parser raises on any parse error
        assert page.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="en">')


def test_no_file_names_a_path_of_the_build_machine(site: Any, pages: Any) -> None:
    root, folder = site
    needles = [b"/tmp/", b"/work/", b"file:", str(root).encode(), str(root.resolve()).encode()]
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".json"):
            data = path.read_bytes()
            for needle in needles:
                assert needle not in data, (path.name, needle)
    for name, page in pages.items():
        for el in page.iter():
            for attr in ("href", "src"):
                url = el.get(attr)
                if url is None:
                    continue
                parts = urlsplit(url)
                assert parts.scheme in ("", "https") and not url.startswith("/"), (name, url)


def test_every_link_image_and_stylesheet_of_the_site_exists(site: Any, pages: Any) -> None:
    _root, folder = site
    report = check_site(folder)
    assert report.pages == len(PAGES) and report.links > 100
    assert report.broken == []
    for name, page in pages.items():
        sheets = [el.get("href") for el in page.iter("link") if el.get("rel") == "stylesheet"]
        assert sheets == [STYLESHEET_NAME], name


def test_links_between_pages_land_on_their_targets(pages: Any) -> None:
    links = {_text(a): a.get("href") for p in pages.values() for a in p.iter("a")}
    assert links["the first step"].startswith("step-1.html#")  # a heading inside a page
    assert links["the introduction"].startswith("introduction.html#")  # an article's anchor
    assert links["step 1"].startswith("step-1.html#")
    target, _, fragment = links["the first step"].partition("#")
    assert fragment in {el.get("id") for el in pages[target].iter()}


def test_images_are_copied_into_the_site_and_linked_relatively(site: Any, pages: Any) -> None:
    _root, folder = site
    srcs = [img.get("src") for p in pages.values() for img in p.iter("img")]
    assert srcs and all(s.startswith("media/") for s in srcs), srcs
    for src in srcs:
        assert (folder / src).read_bytes() == PNG
    alts = [img.get("alt") for img in pages["introduction.html"].iter("img")]
    assert alts == ["The roadmap"]


# -- navigation ----------------------------------------------------------------------------------


def _rel(page: ET.Element, rel: str) -> str | None:
    found = [a.get("href") for a in page.iter("a") if a.get("rel") == rel]
    assert len(found) <= 1
    return found[0] if found else None


def test_previous_and_next_chain_every_page_in_reading_order(pages: Any) -> None:
    chain = ["index.html"]
    while (following := _rel(pages[chain[-1]], "next")) is not None:
        assert following not in chain, f"{chain[-1]} leads back to {following}"
        chain.append(following)
    assert chain == ORDER and set(chain) == PAGES  # every page once, none left out
    assert _rel(pages["index.html"], "prev") is None
    for before, after in zip(chain, chain[1:], strict=False):
        assert _rel(pages[after], "prev") == before


def test_every_page_but_the_start_has_breadcrumbs(pages: Any) -> None:
    assert _nav(pages["index.html"], "site-breadcrumbs") is None
    for name in PAGES - {"index.html"}:
        crumbs = _nav(pages[name], "site-breadcrumbs")
        assert crumbs is not None, name
        items = list(crumbs.iter("li"))
        first = next(items[0].iter("a"))
        assert first.get("href") == "index.html" and _text(first) == TITLE
        current = items[-1].find("span")
        assert current is not None and current.get("aria-current") == "page"
        heading = next(h for h in pages[name].iter() if h.tag in ("h1", "h2"))
        assert _text(current) == _text(heading), name
    crumbs = _nav(pages["step-2.html"], "site-breadcrumbs")
    assert crumbs is not None
    assert [_text(li) for li in crumbs.iter("li")] == [TITLE, "The roadmap",
                                                         "Step 2 — Stratégie"]  # fmt: skip
    assert [a.get("href") for a in crumbs.iter("a")] == ["index.html", "roadmap.html"]


def test_the_sidebar_lists_the_parts_and_marks_the_page(pages: Any) -> None:
    for name, page in pages.items():
        sidebar = _nav(page, "site-sidebar")
        assert sidebar is not None, name
        hrefs = [a.get("href") for a in sidebar.iter("a")]
        assert {"index.html", "part-introduction.html", "roadmap.html", "directory.html"} <= set(
            hrefs
        )
        marked = [a.get("href") for a in sidebar.iter("a") if a.get("aria-current") == "page"]
        assert marked == [name], name
    sidebar = _nav(pages["step-1.html"], "site-sidebar")
    assert sidebar is not None
    links = [a.get("href") or "" for a in sidebar.iter("a")]
    assert {"step-1.html", "step-2.html", "index-2.html"} <= set(links)  # its part's pages
    assert any(h.startswith("step-1.html#") for h in links)  # its own sections
    assert "africe-cluster.html" not in links  # another part's pages are folded


def test_the_start_page_lists_every_page_and_names_the_edition(pages: Any) -> None:
    start = pages["index.html"]
    contents = _nav(start, "site-contents")
    assert contents is not None
    listed = [a.get("href") for a in contents.iter("a")]
    assert listed == ORDER[1:]
    title = start.find(".//h1[@class='title']")
    assert title is not None and _text(title) == TITLE
    for name, page in pages.items():
        header = page.find(".//header[@class='site-header']")
        assert header is not None, name
        assert "Global VET Network · 2026 Annual Meeting" in _text(header)
        footer = page.find(".//footer[@class='site-footer']")
        assert footer is not None
        assert _text(footer) == f"{TITLE} · 2026 Annual Meeting · 6 October 2026"
        head_title = page.find(".//title")
        assert head_title is not None and (head_title.text or "").endswith(TITLE)


def test_a_parts_page_lists_its_pages(pages: Any) -> None:
    listing = _nav(pages["directory.html"], "site-part-pages")
    assert listing is not None
    assert [a.get("href") for a in listing.iter("a")] == ["africe-cluster.html",
                                                          "greening-tvet.html"]  # fmt: skip
    assert _nav(pages["step-1.html"], "site-part-pages") is None


# -- the stylesheet ------------------------------------------------------------------------------


def test_the_stylesheet_is_copied_in_with_the_documents_accent(site: Any) -> None:
    _root, folder = site
    css = (folder / STYLESHEET_NAME).read_text(encoding="utf-8")
    assert css == stylesheet("7A3B69")
    assert css.rstrip().endswith(":root { --accent: #7A3B69; }")
    assert css.startswith(STYLESHEET.read_text(encoding="utf-8").rstrip())
    assert stylesheet("not a colour").rstrip().endswith("--accent: #1F4E79; }")


def test_the_stylesheet_loads_nothing_and_styles_print_and_narrow_screens() -> None:
    css = STYLESHEET.read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css and "//" not in css.replace("/*", "")
    assert "@media (max-width: 800px)" in css and "@media print" in css
    narrow = css.split("@media (max-width: 800px)", 1)[1].split("@media print", 1)[0]
    assert re.search(r"\.site-layout \{ display: block;", narrow)  # the sidebar above
    printed = css.split("@media print", 1)[1]
    assert re.search(
        r"\.site-sidebar, \.site-breadcrumbs, \.site-pager[^{]*\{ display: none;", printed
    )
    assert 'a[href^="http"]::after' in printed  # only external links print their address
    assert "Calibri" in css and "Carlito" in css  # the templates' fonts


# -- page names ----------------------------------------------------------------------------------


def _header(level: int, ident: str, text: str) -> dict[str, Any]:
    return {"t": "Header", "c": [level, [ident, [], []], [{"t": "Str", "c": text}]]}


def _anchored(ident: str) -> dict[str, Any]:
    return {"t": "Para", "c": [{"t": "Span", "c": [[ident, [], []], []]}, {"t": "Str", "c": "x"}]}


def test_page_names_are_unique_url_safe_and_never_a_reserved_name() -> None:
    blocks = [
        _header(1, "part_a_1234", "Part"),  # a part named like an article: part-a
        _header(2, "pages_a_md_a_1", "A"),
        _anchored("pages_a_md"),
        _header(2, "pages_b_md_x_2", "Ünïcode & more"),  # no article: its text's slug
        _header(2, "section-1", "Kept"),  # already a page name: kept
        _header(2, "con", "Con"),  # a name Windows refuses: not taken
        _header(2, "", "Index"),  # the start page's name: not taken
        _header(3, "deep", "Not a page"),
        {"t": "Para", "c": [{"t": "Span", "c": [["unicode-more", [], []], []]}]},  # an id
    ]
    site = Site(articles={"pages_a_md": "a"}, parts={"part_a_1234": "a"})
    names = page_names(blocks, site, reserved={"index"})
    assert names == {0: "part-a", 1: "a", 3: "unicode-more-2", 4: "section-1", 5: "con-2",
                     6: "index-2"}  # fmt: skip
