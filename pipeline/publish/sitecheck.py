"""Check a generated HTML site: every internal link, image and stylesheet points to a file (and
an id) that exists in the site, relatively: an absolute path or a ``file:`` URL works on the
machine that built it only, and a target outside the folder is not part of what is shared."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..kb.sanitize import URL_SCHEMES

_REMOTE = URL_SCHEMES
"""Schemes of links that leave the site (not checked): the ones a page may hold at all."""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        if tag == "a" and values.get("href"):
            self.refs.append(("link", str(values["href"])))
        if tag == "img" and values.get("src"):
            self.refs.append(("image", str(values["src"])))
        if tag == "link" and values.get("href"):
            self.refs.append(("stylesheet", str(values["href"])))


@dataclass
class SiteReport:
    """Broken references found in a site."""

    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)


def check_site(folder: Path) -> SiteReport:
    """Every ``.html`` page under ``folder``: each relative link, image and stylesheet found,
    with its ``#fragment`` among the target page's ids; an absolute path, a ``file:`` URL (or
    any scheme but http, https and mailto) and a target outside ``folder`` are broken too."""
    root = folder.resolve()
    pages: dict[Path, _Collector] = {}
    for page in sorted(folder.rglob("*.html")):
        parser = _Collector()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page.resolve()] = parser
    report = SiteReport(pages=len(pages))
    for page, parser in pages.items():
        rel = page.relative_to(root)
        for kind, url in parser.refs:
            parts = urlsplit(url)
            if parts.scheme.lower() in _REMOTE:
                continue  # external
            report.links += 1
            if parts.scheme or parts.netloc or parts.path.startswith("/"):
                report.broken.append(
                    f"{rel}: {kind} {url}: an absolute address, which works on the machine "
                    f"that built the site only; links in a site must be relative"
                )
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_relative_to(root):
                report.broken.append(f"{rel}: {kind} {url}: outside the site's folder")
            elif not target.exists():
                report.broken.append(f"{rel}: {kind} {url}: no file {parts.path}")
            elif kind == "link" and parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    report.broken.append(f"{rel}: link {url}: no id '{parts.fragment}'")
    return report
