"""The edition's landing page (issue 14, items 6 and 8): the network's documents, then the
clusters' documents grouped by cluster (regional clusters, then thematic ones, each by name),
the edition's display name and meeting day, the sites' stylesheet inlined, valid HTML5."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from datetime import date

import html5lib

from pipeline.network.model import Cluster
from pipeline.publish.landing import Row, landing_page, meeting_line
from pipeline.render.csp import CSP_META
from pipeline.render.writers import stylesheet

CLUSTERS = [
    Cluster(id="youth-employment", name="Youth employment", kind="thematic"),
    Cluster(id="africa", name="Africa cluster", kind="regional"),
    Cluster(id="digital-tvet", name="TVET in a digital world", kind="thematic"),
    Cluster(id="latin-america-caribbean", name="Latin America and the Caribbean cluster",
            kind="regional"),
    Cluster(id="greening-tvet", name="Greening TVET", kind="thematic"),
    Cluster(id="arab-states", name="arab States cluster", kind="regional"),  # case ignored
    Cluster(id="europe-north-america", name="Europe and North America cluster",
            kind="regional"),
]  # fmt: skip
REGIONAL = ["Africa cluster", "arab States cluster", "Europe and North America cluster",
            "Latin America and the Caribbean cluster"]  # fmt: skip
THEMATIC = ["Greening TVET", "TVET in a digital world", "Youth employment"]


def _rows() -> list[Row]:
    rows = [
        Row("Strategy", "The strategy.", [("DOCX", "strategy.docx", 2048)], "Network documents"),
        Row("Handbook", "The handbook.", [("HTML site", "handbook-html/index.html", 9 << 20)],
            "Network documents"),
    ]  # fmt: skip
    for cluster in sorted(CLUSTERS, key=lambda c: c.id):  # by id, as the data lists them
        for kind in ("Action plan", "Progress report"):
            href = f"clusters/{kind.lower().replace(' ', '-')}-{cluster.id}.docx"
            rows.append(Row(f"{kind}: {cluster.name}", f"The cluster's {kind.lower()}.",
                            [("DOCX", href, 4096)], "Cluster documents", cluster.id))  # fmt: skip
    rows.append(Row("What changed", "Changes.", [("Markdown", "changes.md", 10)],
                    "Network documents"))  # fmt: skip
    return rows


def _page(rows: list[Row] | None = None) -> str:
    clusters = list(CLUSTERS)
    random.Random(14).shuffle(clusters)  # the page sorts them itself
    meeting = meeting_line("Lisbon", date(2026, 10, 6))
    return landing_page("Global VET Network", "2026 Annual Meeting", meeting,
                        _rows() if rows is None else rows, "Figures as of …", clusters)  # fmt: skip


def _parse(page: str) -> ET.Element:
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(page)  # type: ignore[no-any-return]


def _text(el: ET.Element) -> str:
    return " ".join("".join(el.itertext()).split())


def test_the_page_is_valid_html5() -> None:
    _parse(_page())  # html5lib's strict parser raises on any parse error
    _parse(_page([]))


def test_clusters_are_grouped_by_kind_then_sorted_by_name() -> None:
    tree = _parse(_page())
    main = tree.find(".//main")
    assert main is not None
    headings = [_text(h) for h in main.iter("h2")]
    assert headings == ["Network documents", "Regional clusters", "Thematic clusters"]
    groups = [_text(th) for th in main.iter("th") if th.get("scope") == "rowgroup"]
    assert groups == REGIONAL + THEMATIC
    tables = list(main.iter("table"))
    assert [_text(th) for th in tables[1].iter("th") if th.get("scope") == "rowgroup"] == REGIONAL
    assert [_text(th) for th in tables[2].iter("th") if th.get("scope") == "rowgroup"] == THEMATIC


def test_each_cluster_lists_its_own_documents() -> None:
    tree = _parse(_page())
    for body in tree.iter("tbody"):
        head = body.find("tr/th[@scope='rowgroup']")
        if head is None:
            continue
        cluster = next(c for c in CLUSTERS if c.name == _text(head))
        rows = body.findall("tr")[1:]
        assert [_text(r.findall("td")[0]) for r in rows] == ["Action plan", "Progress report"]
        hrefs = [a.get("href") for r in rows for a in r.iter("a")]
        assert hrefs == [f"clusters/action-plan-{cluster.id}.docx",
                         f"clusters/progress-report-{cluster.id}.docx"]  # fmt: skip
    network = next(tree.iter("table"))
    assert [_text(r.findall("td")[0]) for r in network.iter("tr") if r.findall("td")] == [
        "Strategy", "Handbook", "What changed"]  # fmt: skip


def test_a_row_of_no_known_cluster_stays_in_its_group() -> None:
    rows = [Row("Action plan: Elsewhere", "A plan.", [("DOCX", "x.docx", 1)],
                "Cluster documents", "no-such-cluster")]  # fmt: skip
    tree = _parse(_page(rows))
    assert [_text(h) for h in tree.iter("h2")] == ["Cluster documents"]
    assert "Action plan: Elsewhere" in _text(tree)


def test_the_page_names_the_edition_and_its_meeting_day() -> None:
    page = _page()
    assert "<title>Global VET Network: 2026 Annual Meeting</title>" in page
    assert "<strong>2026 Annual Meeting</strong> · Lisbon, 6 October 2026</p>" in page
    h1 = _parse(page).find(".//h1")
    assert h1 is not None and _text(h1) == "Global VET Network"


def test_the_page_is_one_file_with_the_sites_stylesheet_inlined() -> None:
    page = _page()
    assert CSP_META in page
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1 and styles[0].strip() == stylesheet().strip()
    assert "<link" not in page and "<script" not in page
    urls = re.findall(r'(?:href|src)="([^"]+)"', page)
    assert urls and all(not re.match(r"[a-z]+:|/", u) for u in urls), urls  # all relative
