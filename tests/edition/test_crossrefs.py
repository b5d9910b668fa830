"""Every cross-reference of the edition resolves inside its document (issue 13): each internal
hyperlink of a Word document has its bookmark in that document, and each in-page or relative
link of the HTML sites (and the landing page) points to a page and an id that exist."""

from __future__ import annotations

import zipfile

from lxml import etree

from pipeline.publish.sitecheck import check_site

from .conftest import Edition

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


def test_every_internal_hyperlink_of_every_docx_has_its_bookmark(edition: Edition) -> None:
    broken: list[str] = []
    links = 0
    for path in edition.docx:
        with zipfile.ZipFile(path) as zf:
            roots = [etree.fromstring(zf.read(n)) for n in PARTS if n in zf.namelist()]
        marks = {b.get(f"{W}name") for root in roots for b in root.iter(f"{W}bookmarkStart")}
        for root in roots:
            for link in root.iter(f"{W}hyperlink"):
                anchor = link.get(f"{W}anchor")
                if anchor is None:
                    continue  # an external link (a relationship id)
                links += 1
                if anchor not in marks:
                    text = "".join(link.itertext())
                    broken.append(f"{edition.name(path)}: link '{text}' to missing #{anchor}")
    assert links > 50, "the handbook alone links its articles to one another"
    assert broken == [], "\n".join(broken)


def test_every_link_of_the_html_sites_resolves(edition: Edition) -> None:
    edition.require_published()
    site = check_site(edition.folder)  # every site of the edition, and the landing page
    assert site.pages > 10 and site.links > 100
    assert site.broken == [], "\n".join(site.broken)
