"""Check a generated HTML site: every internal link and image points to something that exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.refs.append(("link", str(values["href"])))
        if tag == "img" and values.get("src"):
            self.refs.append(("image", str(values["src"])))


@dataclass
class SiteReport:
    """Broken references found in a site."""

    pages: int = 0
    links: int = 0
    broken: list[str] = field(default_factory=list)


def check_site(folder: Path) -> SiteReport:
    pages: dict[Path, _Collector] = {}
    for page in sorted(folder.rglob("*.html")):
        parser = _Collector()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page.resolve()] = parser
    report = SiteReport(pages=len(pages))
    for page, parser in pages.items():
        for kind, url in parser.refs:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # external
            report.links += 1
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            rel = page.relative_to(folder.resolve())
            if not target.exists():
                report.broken.append(f"{rel}: {kind} {url}: no file {parts.path}")
            elif kind == "link" and parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if unquote(parts.fragment) not in ids:
                    report.broken.append(f"{rel}: link {url}: no id '{parts.fragment}'")
    return report
