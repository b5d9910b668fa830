"""Raw HTML and link schemes in articles: the allow-list HTML outputs keep, and what lint warns on.

Articles may hold raw HTML (CommonMark allows it). The HTML outputs (the handbook site, the
EPUB) keep only what :data:`TAGS`, :data:`ATTRIBUTES` and :data:`URL_SCHEMES` allow, cleaned by
nh3: no ``<script>``, ``<iframe>``, ``<img>`` (images are written ``![alt](path)`` so that they
are vetted, see :mod:`.resources`), event handlers (``onerror=``) or ``javascript:``/``data:``
URLs. :func:`clean_html` (whole fragments) and :func:`clean_tag` (one tag, as pandoc hands
inline HTML over) are that cleaning; :func:`scan` finds, with lines, what they will
remove from an article, for ``kb lint`` to warn about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

TAGS: frozenset[str] = frozenset(nh3.ALLOWED_TAGS - {"img", "area", "map"})
"""Elements raw HTML may use in HTML outputs (nh3's defaults without images and image maps)."""
ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items() if tag in TAGS},
    "*": {"id", "class", "title", "lang", "dir"},
}
"""Attributes kept per element (``*``: on every element)."""
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
"""URL schemes links may use; relative URLs and ``#anchors`` are always kept."""

PANDOC_ATTRIBUTES: frozenset[str] = frozenset(
    {"title", "lang", "dir", "width", "height", "align", "colspan", "rowspan", "start"}
)
"""Key-value attributes (``[text]{lang=fr}``) pandoc may write into HTML; any other
(``onclick``, ``style``, ``href``...) is removed, ``data-*`` ones are kept."""

_SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_TAG_RE = re.compile(r"^<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)")
_MAYBE = re.compile(r"<[a-zA-Z!/?]|(?i:javascript|vbscript|data|file)\s*:")
_VOID = frozenset({"br", "hr", "wbr", "col"})


def clean_html(fragment: str) -> str:
    """``fragment`` with everything outside the allow-list removed (scripts with their text)."""
    return nh3.clean(fragment, tags=set(TAGS), attributes=ATTRIBUTES, url_schemes=set(URL_SCHEMES))


def clean_tag(tag: str) -> str:
    """One opening or closing tag (pandoc's raw inline HTML) cleaned; '' when not allowed."""
    m = _TAG_RE.match(tag)
    if m is None:
        return ""  # a comment, a declaration, a processing instruction
    closing, name = m.group(1), m.group(2).lower()
    if name not in TAGS:
        return ""
    if closing:
        return f"</{name}>"
    cleaned = clean_html(tag if name in _VOID else f"{tag}</{name}>")
    return cleaned.removesuffix(f"</{name}>")


def safe_url(url: str) -> bool:
    """Whether a link target may stay in HTML outputs (relative, or an allowed scheme)."""
    m = _SCHEME_RE.match(url)
    return m is None or m.group(1).lower() in URL_SCHEMES


def safe_attribute(key: str) -> bool:
    """Whether a pandoc key-value attribute may reach HTML outputs."""
    key = key.lower()
    return key in PANDOC_ATTRIBUTES or (key.startswith("data-") and key != "data-")


@dataclass(frozen=True)
class Unsafe:
    """Something in an article that HTML outputs will remove."""

    line: int
    """1-based line in the article's file."""
    what: str
    """What is removed (``<script> element``, ``onerror attribute on <img>``...)."""


class _Features(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[f"<{tag}> element"] += 1
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "cite") and value is not None:
                self.found[f"{name}='{_short(value)}' on <{tag}>"] += 1
            elif name != "rel":
                self.found[f"{name} attribute on <{tag}>"] += 1


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _features(html: str) -> Counter[str]:
    parser = _Features()
    parser.feed(html)
    parser.close()
    return parser.found


def removed(fragment: str, cleaned: str) -> list[str]:
    """What cleaning ``fragment`` into ``cleaned`` took away, in order of appearance."""
    lost = _features(fragment) - _features(cleaned)
    gone = {w.split()[0] for w in lost if w.endswith(" element")}
    return [w for w in lost if w.endswith(" element") or w.rsplit(" ", 1)[-1] not in gone]


def _permissive() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": 20})
    md.enable("table")
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # see javascript: too
    return md


_MD = _permissive()


@dataclass
class Scan:
    """What :func:`scan` finds in one article body."""

    unsafe: list[Unsafe]
    """What HTML outputs will remove."""
    images: list[tuple[int, str, str]]
    """``(line, src, alt)`` of images with a URL scheme, including those (``file:``,
    ``javascript:``) that markdown-it drops as links but pandoc reads as images."""


def scan(body: str, first_line: int) -> Scan:
    """Raw HTML outside the allow-list, links whose scheme is not in :data:`URL_SCHEMES` and
    images with a scheme, in an article ``body`` that starts at line ``first_line``."""
    found = Scan([], [])
    if not _MAYBE.search(body):
        return found
    for tok in _MD.parse(body):
        line = first_line + (tok.map[0] if tok.map else 0)
        if tok.type == "html_block":
            found.unsafe += [Unsafe(line, w) for w in removed(tok.content, clean_html(tok.content))]
        elif tok.type == "inline":
            _inline(tok.children or [], line, found)
    return found


def _inline(children: list[Token], line: int, found: Scan) -> None:
    out = found.unsafe
    for child in children:
        t = getattr(child, "type", "")
        if t in ("softbreak", "hardbreak"):
            line += 1
        elif t == "html_inline":
            content = str(getattr(child, "content", ""))
            cleaned = clean_tag(content)
            if content.lstrip().startswith("</"):
                continue  # a closing tag: its opening tag was reported
            out += [Unsafe(line, w) for w in removed(content, cleaned)]
        elif t == "link_open":
            href = str(getattr(child, "attrs", {}).get("href", ""))
            if not safe_url(href):
                out.append(Unsafe(line, f"link '{_short(href)}'"))
        elif t == "image":
            src = str(getattr(child, "attrs", {}).get("src", ""))
            if _SCHEME_RE.match(src):
                found.images.append((line, src, str(getattr(child, "content", ""))))
