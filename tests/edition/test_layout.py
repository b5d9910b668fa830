"""The page layout of every built Word document of the edition (issue 14), read from its XML.

Every document the bundled publish makes is opened as a zip and checked as Word and LibreOffice
will lay it out:

- every table row is ``cantSplit`` (a row never splits across pages) and the header row of
  every table longer than a few rows is ``tblHeader`` (it repeats on every page);
- every drawing's extent fits the text area of the section it is in;
- ``settings.xml`` has no ``updateFields`` (Word opens the document without asking to update
  fields, its contents already filled);
- the running header prints the document's title once, no phrase repeated;
- the footer carries the edition's display name and "Page X of Y";
- a per-cluster document names its cluster in its running header and its core properties.
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from pipeline.network.load import load_network
from tests.conftest import REPO

from .conftest import Edition

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "wp": WP}
EMU_PER_TWIP = 635
CM = 360000
"""EMU per centimetre."""
LONG_TABLE = 6
"""A table with more rows than this may run over a page: its header row must repeat."""
LITTLE_WORDS = {"and", "the", "of", "in", "for", "a", "an", "to"}


@dataclass
class Docx:
    path: Path
    body: etree._Element
    settings: str
    headers: list[str]
    footers: list[etree._Element]
    core: str


def _text(element: etree._Element) -> str:
    """The text of ``element``, a tab or line break read as a space."""
    parts = []
    for node in element.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br"):
        parts.append(node.text or "" if node.tag == f"{{{W}}}t" else " ")
    return "".join(parts)


def _open(path: Path) -> Docx:
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        body = etree.fromstring(z.read("word/document.xml")).find("w:body", NS)
        headers = [
            " ".join(_text(p) for p in etree.fromstring(z.read(n)).iter(f"{{{W}}}p"))
            for n in names
            if re.fullmatch(r"word/header\d*\.xml", n)
        ]
        footers = [
            etree.fromstring(z.read(n)) for n in names if re.fullmatch(r"word/footer\d*\.xml", n)
        ]
        return Docx(
            path,
            body,
            z.read("word/settings.xml").decode("utf-8"),
            [h.strip() for h in headers if h.strip()],
            [f for f in footers if _text(f).strip()],
            z.read("docProps/core.xml").decode("utf-8"),
        )


@pytest.fixture(scope="module")
def documents(edition: Edition) -> list[Docx]:
    return [_open(p) for p in edition.docx]


def _area(sect: etree._Element) -> tuple[int, int]:
    """The text area (width, height) of a section, in EMU."""
    size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
    assert size is not None and margins is not None

    def twips(el: etree._Element, name: str) -> int:
        return int(el.get(f"{{{W}}}{name}") or 0)

    width = twips(size, "w") - twips(margins, "left") - twips(margins, "right")
    height = twips(size, "h") - twips(margins, "top") - twips(margins, "bottom")
    return width * EMU_PER_TWIP, height * EMU_PER_TWIP


def _sections(body: etree._Element) -> list[tuple[list[etree._Element], tuple[int, int]]]:
    """The body's top-level elements grouped by section, each with its text area: a
    paragraph holding a ``sectPr`` ends its section; the body's own ``sectPr`` is the last."""
    groups: list[tuple[list[etree._Element], tuple[int, int]]] = []
    current: list[etree._Element] = []
    for child in body:
        if child.tag == f"{{{W}}}sectPr":
            groups.append((current, _area(child)))
            current = []
            continue
        current.append(child)
        inner = child.find("w:pPr/w:sectPr", NS)
        if inner is not None:
            groups.append((current, _area(inner)))
            current = []
    return groups


def test_every_table_row_stays_whole_and_long_tables_repeat_their_header(
    documents: list[Docx], edition: Edition
) -> None:
    problems = []
    for doc in documents:
        for n, table in enumerate(doc.body.iter(f"{{{W}}}tbl"), 1):
            rows = table.findall("w:tr", NS)
            split = [i for i, r in enumerate(rows, 1) if r.find("w:trPr/w:cantSplit", NS) is None]
            if split:
                problems.append(f"{edition.name(doc.path)}: table {n}, rows {split[:5]} may split")
            if len(rows) > LONG_TABLE and rows[0].find("w:trPr/w:tblHeader", NS) is None:
                problems.append(
                    f"{edition.name(doc.path)}: table {n} ({_text(rows[0])[:40]!r}, "
                    f"{len(rows)} rows) does not repeat its header row"
                )
    assert not problems, "\n".join(problems[:30])


def test_every_drawing_fits_the_text_area_of_its_section(
    documents: list[Docx], edition: Edition
) -> None:
    problems = []
    drawings = 0
    for doc in documents:
        for elements, (width, height) in _sections(doc.body):
            for element in elements:
                for extent in element.iter(f"{{{WP}}}extent"):
                    drawings += 1
                    cx, cy = int(extent.get("cx") or 0), int(extent.get("cy") or 0)
                    if cx > width or cy > height:
                        size = f"{cx / CM:.1f} × {cy / CM:.1f} cm"
                        area = f"{width / CM:.1f} × {height / CM:.1f} cm"
                        problems.append(f"{edition.name(doc.path)}: a {size} picture in {area}")
    assert drawings >= 2 * len(documents), "every document has at least a logo and a chart"
    assert not problems, "\n".join(problems)


def test_no_document_asks_word_to_update_its_fields(
    documents: list[Docx], edition: Edition
) -> None:
    asking = [edition.name(d.path) for d in documents if "updateFields" in d.settings]
    assert not asking, f"settings.xml has w:updateFields: {asking}"


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.casefold()) if w not in LITTLE_WORDS]


def test_running_headers_print_the_title_once(documents: list[Docx], edition: Edition) -> None:
    problems = []
    for doc in documents:
        assert doc.headers, f"{edition.name(doc.path)} has no running header"
        for header in doc.headers:
            words = _words(header)
            repeated = sorted({w for w in words if words.count(w) > 1})
            if repeated:
                problems.append(f"{edition.name(doc.path)}: {header!r} repeats {repeated}")
    assert not problems, "\n".join(problems)


def test_footers_carry_the_edition_name_and_page_x_of_y(
    documents: list[Docx], edition: Edition
) -> None:
    settings = tomllib.loads((REPO / "netdocs.toml").read_text(encoding="utf-8"))
    display, slug = settings["title"], settings["edition"]
    problems = []
    for doc in documents:
        for footer in doc.footers:
            text = _text(footer)
            codes = " ".join((i.text or "") for i in footer.iter(f"{{{W}}}instrText")) + " ".join(
                f.get(f"{{{W}}}instr") or "" for f in footer.iter(f"{{{W}}}fldSimple")
            )
            if display not in text or slug in text:
                problems.append(f"{edition.name(doc.path)}: footer {text!r} lacks the display name")
            if "PAGE" not in codes or "NUMPAGES" not in codes:
                problems.append(f"{edition.name(doc.path)}: footer has no Page X of Y fields")
    assert not problems, "\n".join(problems)


def test_per_cluster_documents_name_their_cluster(documents: list[Docx], edition: Edition) -> None:
    data = load_network(REPO / "kb" / "network").network
    names = {c.id: c.name for c in data.clusters}
    checked = 0
    problems = []
    for doc in documents:
        if doc.path.parent.name != "clusters":
            continue
        cid = next((c for c in names if doc.path.stem.endswith("-" + c)), None)
        assert cid is not None, f"{edition.name(doc.path)} names no cluster of the data"
        name = names[cid]
        title = re.search(r"<dc:title>(.*?)</dc:title>", doc.core, re.S)
        if title is None or name not in title.group(1):
            problems.append(f"{edition.name(doc.path)}: core title {title and title.group(1)!r}")
        if not any(name in h for h in doc.headers):
            problems.append(f"{edition.name(doc.path)}: header {doc.headers} lacks {name!r}")
        checked += 1
    assert checked == 2 * len(names), f"{checked} per-cluster documents, {len(names)} clusters"
    assert not problems, "\n".join(problems)
