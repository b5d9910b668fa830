"""No built document of the edition prints a leftover: "not set", None, nan, null, inf, a
Decimal's repr, an unrendered template tag or figure citation, a ``<draft>`` tag, TODO/TBD/FIXME,
lorem ipsum, a placeholder (the markers are in :data:`MARKERS`; the English hits accepted, each
with its reason, in :data:`ACCEPTED`).

Everything a reader can see is read, from the files' XML rather than through a library's view
of them: in a .docx the body with its tables and text boxes, the headers, footers, footnotes,
endnotes and comments, the images' alternative text and the document properties (a PDF shows
them as its title); in the ODT the body, the master pages' headers and footers and the meta
data; in the EPUB every page, the table of contents and the package metadata; every page of
the HTML site and the landing page. A Word content control still showing its placeholder text
is a leftover too. The data files of the edition (manifest.json, data-snapshot.json,
sitemap.json) are for programs, where ``null`` is a value: they are not read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree, html

from tests.edition.conftest import Edition

# -- what must not print ----------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """One kind of leftover."""

    name: str
    pattern: re.Pattern[str]
    why: str


def _marker(name: str, pattern: str, why: str, flags: int = 0) -> Marker:
    return Marker(name, re.compile(pattern, flags), why)


MARKERS = (
    _marker("not set", r"\bnot set\b", "a value the reader expects is missing", re.IGNORECASE),
    # "None" as Python prints it; English "none" (lower case) is a word, and sentence-initial
    # "None of …" / "None is …" is English too (see ACCEPTED)
    _marker("None", r"\bNone\b", "Python's None printed as text"),
    _marker("nan", r"\b(?:nan|NaN|NAN)\b", "a missing number printed as NaN"),
    _marker("null", r"\b(?:null|NULL)\b", "a missing value printed as null"),
    _marker("inf", r"(?<![\w-])-?(?:inf|Infinity)\b", "a division by zero printed as infinity"),
    _marker("Decimal(", r"\bDecimal\(", "a Python Decimal printed as its repr"),
    _marker("template tag", r"\{([{%#])[^\n]{0,200}?[}%#]\}|\{[{%#]|[}%#]\}",
            "a Jinja tag left unrendered"),
    _marker("figure citation", r"\[\[\s*figure\s*:", "a [[figure:NAME]] left unreplaced",
            re.IGNORECASE),
    _marker("<draft>", r"<\s*/?\s*draft\s*>", "a draft tag", re.IGNORECASE),
    _marker("TODO", r"\b(?:TODO|TBD|FIXME)\b", "an editor's note"),
    _marker("lorem ipsum", r"\blorem\s+ipsum\b", "filler text", re.IGNORECASE),
    _marker("placeholder", r"\bplaceholders?\b", "a placeholder name or text", re.IGNORECASE),
)  # fmt: skip


@dataclass(frozen=True)
class Accepted:
    """A kind of hit that is English, not a leftover, with the reason."""

    marker: str
    before: re.Pattern[str]
    """Matched (search) against the paragraph's text before the hit."""
    after: re.Pattern[str]
    """Matched (match) against the paragraph's text after the hit."""
    reason: str


ACCEPTED: tuple[Accepted, ...] = (
    Accepted(
        "None",
        re.compile(r""),
        re.compile(r" (?:of|is|are|was|were|has|have)\b"),
        'English "None of the members …": a pronoun, not a value printed as None',
    ),
    Accepted(
        "None",
        re.compile(r"^\s*$"),
        re.compile(r"[.:]"),
        'A paragraph that answers "None." or "None: every activity has an active lead." '
        'under a heading such as "Renewals due in the next 90 days": the documents\' written '
        "answer for an empty list. Python's None never comes with the full stop or colon, and "
        'a None in a table cell or after a label ("Lead: None") is still found.',
    ),
)
"""Hits that are English, not leftovers, each with its reason; nothing else is accepted."""


# -- what a reader sees ------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

DOCX_PARTS = re.compile(
    r"word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml|docProps/.+\.xml"
)
"""The parts of a .docx whose text a reader sees (styles, settings, themes are not text)."""


def _docx_paragraph(p: etree._Element) -> str:
    """The text of one Word paragraph (its w:t, tabs and breaks), without that of paragraphs
    nested in it (text boxes): those are read as paragraphs of their own. Field codes
    (w:instrText) and deleted text (w:delText) do not print and are not read."""
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            if child.tag == f"{{{W}}}p":
                continue
            if child.tag == f"{{{W}}}t":
                out.append(child.text or "")
            elif child.tag in (f"{{{W}}}tab", f"{{{W}}}br", f"{{{W}}}cr"):
                out.append(" ")
            else:
                walk(child)

    walk(p)
    return "".join(out)


_ODT_SPACES = {f"{{{TEXT}}}s": " ", f"{{{TEXT}}}tab": " ", f"{{{TEXT}}}line-break": " "}
_ODT_BLOCKS = {f"{{{TEXT}}}p", f"{{{TEXT}}}h"}


def _odt_paragraph(p: etree._Element) -> str:
    """The text of one ODT paragraph or heading (mixed content: text, spans, spaces), without
    that of paragraphs nested in it (frames, notes): those are read on their own."""
    out: list[str] = [p.text or ""]

    def walk(element: etree._Element) -> None:
        for child in element:
            if child.tag in _ODT_SPACES:
                out.append(_ODT_SPACES[child.tag])
            elif child.tag not in _ODT_BLOCKS and isinstance(child.tag, str):
                out.append(child.text or "")
                walk(child)
            out.append(child.tail or "")

    walk(p)
    return "".join(out)


def docx_parts(path: Path) -> Iterator[tuple[str, str]]:
    """(part, the text a reader sees in it) for every text part of a .docx."""
    with zipfile.ZipFile(path) as archive:
        for part in sorted(archive.namelist()):
            if not DOCX_PARTS.fullmatch(part):
                continue
            root = etree.fromstring(archive.read(part))
            if part.startswith("docProps/"):
                yield part, "\n".join(t.strip() for t in root.itertext() if t.strip())
                continue
            lines = [_docx_paragraph(p) for p in root.iter(f"{{{W}}}p")]
            for pr in root.iter(f"{{{WP}}}docPr"):
                lines += [pr.get(a, "") for a in ("descr", "title")]
            for _ in root.iter(f"{{{W}}}showingPlcHdr"):
                lines.append("<content control showing its placeholder text>")
            yield part, "\n".join(line for line in lines if line.strip())


def odt_parts(path: Path) -> Iterator[tuple[str, str]]:
    """(part, text) of an ODT: the body, the master pages (headers, footers), the metadata."""
    with zipfile.ZipFile(path) as archive:
        for part, scope in (("content.xml", "body"), ("styles.xml", "master-styles")):
            root = etree.fromstring(archive.read(part))
            for top in root.iter(f"{{{OFFICE}}}{scope}"):
                lines = [_odt_paragraph(p) for p in top.iter(*_ODT_BLOCKS)]
                yield part, "\n".join(line for line in lines if line.strip())
        meta = etree.fromstring(archive.read("meta.xml"))
        yield "meta.xml", "\n".join(t.strip() for t in meta.itertext() if t.strip())


BLOCKS = {
    "p", "div", "li", "ul", "ol", "td", "th", "tr", "table", "h1", "h2", "h3", "h4", "h5",
    "h6", "br", "section", "nav", "header", "footer", "main", "article", "aside", "title",
    "dt", "dd", "dl", "figcaption", "figure", "caption", "pre", "blockquote", "body", "head",
    "navLabel", "text", "hr",
}  # fmt: skip


def _markup_text(root: etree._Element) -> str:
    """The text of an HTML or XHTML page as a reader sees it, block by block, with the
    pictures' alternative text and the elements' titles; scripts and styles left out."""
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        if not isinstance(element.tag, str):
            out.append(element.tail or "")
            return
        tag = etree.QName(element).localname
        if tag in ("script", "style"):
            out.append(element.tail or "")
            return
        block = tag in BLOCKS
        if block:
            out.append("\n")
        for attribute in ("alt", "title", "aria-label"):
            if element.get(attribute):
                out.append(f"\n{element.get(attribute)}\n")
        out.append(element.text or "")
        for child in element:
            walk(child)
        if block:
            out.append("\n")
        out.append(element.tail or "")

    walk(root)
    return "".join(out)


def html_parts(path: Path) -> Iterator[tuple[str, str]]:
    yield path.name, _markup_text(html.fromstring(path.read_bytes()))


def epub_parts(path: Path) -> Iterator[tuple[str, str]]:
    """(part, text) of every page of an EPUB, its table of contents and its metadata."""
    with zipfile.ZipFile(path) as archive:
        for part in sorted(archive.namelist()):
            if part.endswith((".xhtml", ".html", ".ncx")):
                yield part, _markup_text(etree.fromstring(archive.read(part)))
            elif part.endswith(".opf"):
                root = etree.fromstring(archive.read(part))
                yield part, "\n".join(t.strip() for t in root.itertext() if t.strip())


# -- finding them ------------------------------------------------------------------------------


Reader = Callable[[Path], Iterator[tuple[str, str]]]


def _context(text: str, start: int, end: int, width: int = 50) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return re.sub(r"\s*\n\s*", " ¶ ", f"…{left}[{text[start:end]}]{right}…")


def leftovers(document: str, parts: Iterator[tuple[str, str]]) -> list[str]:
    """Every leftover in the parts of one document, each naming the document, the part, the
    marker and the text around it."""
    found = []
    for part, text in parts:
        for marker in MARKERS:
            for hit in marker.pattern.finditer(text):
                start = text.rfind("\n", 0, hit.start()) + 1
                end = text.find("\n", hit.end())
                before = text[start : hit.start()]
                after = text[hit.end() : end if end >= 0 else len(text)]
                if any(
                    a.marker == marker.name and a.before.search(before) and a.after.match(after)
                    for a in ACCEPTED
                ):
                    continue
                found.append(
                    f"{document} [{part}]: {marker.name!r} ({marker.why}): "
                    f"{_context(text, hit.start(), hit.end())}"
                )
    return found


def _report(found: list[str]) -> str:
    return f"{len(found)} leftover(s) in the edition:\n" + "\n".join(found)


def test_the_bundled_edition_publishes(edition: Edition) -> None:
    """``netdocs publish`` accepts the bundled project, and the scans below read something:
    the network's documents, the clusters' documents, the handbook in every format and the
    landing page."""
    assert edition.refused is None, edition.refused
    names = {edition.name(p) for p in (*edition.docx, *edition.html, *edition.epub, *edition.odt)}
    for expected in ("strategy.docx", "action-plan.docx", "handbook.docx", "index.html",
                     "handbook.epub", "handbook.odt"):  # fmt: skip
        assert expected in names, f"{expected} not built; built: {sorted(names)}"
    assert any(n.startswith("clusters/action-plan-") for n in names), sorted(names)
    assert any(n.startswith("clusters/progress-report-") for n in names), sorted(names)
    assert any(n.startswith("handbook-html/") for n in names), sorted(names)


def _scan(edition: Edition, paths: tuple[Path, ...], reader: Reader, at_least: int) -> list[str]:
    """The leftovers of every document in ``paths``; also a problem for a document where the
    reader finds less than ``at_least`` characters of text (a scan of nothing finds nothing)."""
    found = []
    for path in paths:
        parts = list(reader(path))
        size = sum(len(text.strip()) for _, text in parts)
        if size < at_least:
            found.append(
                f"{edition.name(path)}: only {size} characters of text read (at least "
                f"{at_least} expected): the document is empty or this test cannot read it"
            )
        found += leftovers(edition.name(path), iter(parts))
    return found


def test_no_word_document_prints_a_leftover(edition: Edition) -> None:
    found = _scan(edition, edition.docx, docx_parts, 1000)
    assert not found, _report(found)


def test_no_html_page_prints_a_leftover(edition: Edition) -> None:
    edition.require_published()
    found = _scan(edition, edition.html, html_parts, 20)
    assert not found, _report(found)


def test_no_epub_or_odt_prints_a_leftover(edition: Edition) -> None:
    edition.require_published()

    # the handbook is long; every other document is at least as long as its Word version
    def at_least(paths: tuple[Path, ...]) -> dict[int, tuple[Path, ...]]:
        long = tuple(p for p in paths if p.name.startswith("handbook"))
        return {10000: long, 1000: tuple(p for p in paths if p not in long)}

    found = []
    for paths, reader in ((edition.epub, epub_parts), (edition.odt, odt_parts)):
        for size, some in at_least(paths).items():
            found += _scan(edition, some, reader, size)
    assert not found, _report(found)


# -- the scanner itself, on documents made here ------------------------------------------------


def _docx(path: Path, body: str, header: str = "", alt: str = "") -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph(body)
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Lead"
    table.cell(0, 1).text = "Dr. Amara Smith"
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    doc.core_properties.title = "Action plan"
    if alt:
        doc.core_properties.subject = alt
    doc.save(str(path))
    return path


@pytest.mark.parametrize(
    ("body", "marker"),
    [
        ("Partners: not set", "not set"),
        ("Budget: None", "None"),
        ("None", "None"),
        ("Lead: None.", "None"),
        ("Progress: nan %", "nan"),
        ("Share NaN", "nan"),
        ("Progress: inf %", "inf"),
        ("Progress: -Infinity %", "inf"),
        ("The total is {{ total }}", "template tag"),
        ("{% if x %}shown", "template tag"),
        ("We track [[figure:kpis]] indicators", "figure citation"),
        ("Career guidance toolkit <draft>", "<draft>"),
        ("TODO: write this", "TODO"),
        ("Lorem ipsum dolor sit amet", "lorem ipsum"),
        ("Convener: Dr. Amara Placeholder", "placeholder"),
        ("EUR Decimal('10.5')", "Decimal("),
    ],
)
def test_a_leftover_in_the_body_is_found(tmp_path: Path, body: str, marker: str) -> None:
    found = leftovers("x.docx", docx_parts(_docx(tmp_path / "x.docx", body)))
    assert len(found) == 1, found
    assert found[0].startswith(f"x.docx [word/document.xml]: {marker!r}"), found


def test_leftovers_in_headers_and_properties_are_found(tmp_path: Path) -> None:
    path = _docx(tmp_path / "x.docx", "Fine text.", header="Edition None", alt="TBD")
    found = leftovers("x.docx", docx_parts(path))
    assert [f.split(":")[0] for f in found] == [
        "x.docx [docProps/core.xml]",
        "x.docx [word/header1.xml]",
    ]


def test_a_leftover_split_over_runs_is_found(tmp_path: Path) -> None:
    from docx import Document

    doc = Document()
    p = doc.add_paragraph("Status: no")
    p.add_run("t se").bold = True
    p.add_run("t")
    doc.save(str(tmp_path / "x.docx"))
    found = leftovers("x.docx", docx_parts(tmp_path / "x.docx"))
    assert len(found) == 1 and "[not set]" in found[0], found


@pytest.mark.parametrize(
    "body",
    [
        "None of the members left the network.",
        "None.",
        "None: every activity has an active lead organisation.",
        "Partners: none",  # the documents' word for an empty list
        "Nanjing and Nantes are members.",
        "Information and infrastructure, infinitely.",
        "Anullment, nullify, settle, notset-like words are not markers.",
        "A convener sets placeholderless goals? no: placeholding is fine",
    ],
)
def test_english_is_not_a_leftover(tmp_path: Path, body: str) -> None:
    assert leftovers("x.docx", docx_parts(_docx(tmp_path / "x.docx", body))) == []


def test_html_text_and_alt_text_are_read(tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text(
        "<html><head><title>Edition</title><script>var x = null;</script></head><body>"
        "<p>Total: <em>EUR 1</em></p><img alt='Chart of None'><td>nan</td></body></html>",
        encoding="utf-8",
    )
    found = leftovers("index.html", html_parts(page))
    assert [f.split(": ")[1] for f in found] == [
        "'None' (Python's None printed as text)",
        "'nan' (a missing number printed as NaN)",
    ]
