"""Every document type can be had in every format (issue 12): the edition-wide publish asks for
docx, html, epub and odt, and every document of the edition comes in each, listed in the
manifest and linked from the landing page."""

from __future__ import annotations

import json

from pipeline.publish.sitecheck import check_site

from .conftest import FORMATS, Edition

SUFFIXES = {"html": "-html/index.html", "epub": ".epub", "odt": ".odt"}


def test_every_document_comes_in_every_format_asked_for(edition: Edition) -> None:
    edition.require_published()
    assert set(SUFFIXES) <= set(FORMATS.split(","))
    manifest = json.loads((edition.folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {e["path"]: e for e in manifest["files"]}
    landing = (edition.folder / "index.html").read_text(encoding="utf-8")
    missing = []
    stems = [edition.name(d)[: -len(".docx")] for d in edition.docx]
    assert len(stems) >= 3 + 2 * 8, stems  # the network's documents and two per cluster
    for stem in stems:
        for fmt, suffix in SUFFIXES.items():
            rel = stem + suffix
            if not (edition.folder / rel).is_file():
                missing.append(f"{rel}: not written")
            elif listed.get(rel, {}).get("format") != fmt:
                missing.append(f"{rel}: not in manifest.json as {fmt}")
            elif f'href="{rel}"' not in landing:
                missing.append(f"{rel}: not linked from index.html")
    assert not missing, "\n".join(missing)


def test_a_cluster_documents_site_has_working_links(edition: Edition) -> None:
    edition.require_published()
    site = check_site(edition.folder / "clusters" / "progress-report-africa-html")
    assert site.pages > 1 and site.links > 5
    assert site.broken == []
