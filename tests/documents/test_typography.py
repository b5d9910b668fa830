"""Typography of the documents: en dashes in ranges, one date style per language, the scripts
the PDFs render, and the docx core properties that say what a document is."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from pipeline.documents.common import (
    DATE_STYLES,
    Inputs,
    Plan,
    date_range,
    date_style,
    long_date,
    md,
    ranged,
    short_date,
)
from pipeline.documents.registry import document_type
from pipeline.render import MarkdownBlock
from tests.conftest import REPO

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Strategy 2025-2029", "Strategy 2025–2029"),
        ("Reporting period 2025-26: 1 October 2025", "Reporting period 2025–26: 1 October 2025"),
        ("(2025-2029)", "(2025–2029)"),
        ("in 2025\\-2029\\.", "in 2025–2029\\."),  # escaped by md(): the dash needs no escape
        ("1999-00", "1999–00"),
        ("2025–26", "2025–26"),
        # left alone: days, months, ids, what the user types, code, links, no range at all
        ("due 2026-10-31.", "due 2026-10-31."),
        ("2026\\-10\\-31", "2026\\-10\\-31"),
        ("since 2026-10", "since 2026-10"),
        ("act-2025-1 and act-2025-26", "act-2025-1 and act-2025-26"),
        ("v1.2025-26, x2025-26, 2025-26a, 2025-26.1", "v1.2025-26, x2025-26, 2025-26a, 2025-26.1"),
        ("netdocs build --period 2025-26", "netdocs build --period 2025-26"),
        ("--period=2024-25", "--period=2024-25"),
        ("the id `2025-26` and ``a 2025-26 b``", "the id `2025-26` and ``a 2025-26 b``"),
        ("see https://x.org/2025-26/ and <http://a/2025-2029>", None),
        ("[report](reports/2025-26.html)", None),
        ("2025-2025, 2029-2025, 1234-5678, 2000-2090", None),
    ],
)
def test_ranged_joins_ranges_of_years_with_an_en_dash(text: str, expected: str | None) -> None:
    assert ranged(text) == (text if expected is None else expected)


def test_ranged_in_the_middle_of_markdown() -> None:
    text = "Periods 2024-25 and `2025-26`, then [2025-26](p/2025-26.md) and 2026-27."
    assert (
        ranged(text) == "Periods 2024–25 and `2025-26`, then [2025–26](p/2025-26.md) and 2026–27."
    )


def test_one_date_style_per_language() -> None:
    day, first = date(2026, 10, 31), date(2025, 11, 1)
    assert long_date(day) == "31 October 2026"
    assert short_date(first) == f"1{NBSP}Nov{NBSP}2025"  # a table cell never wraps a date
    assert short_date(date(2026, 9, 30)) == f"30{NBSP}Sep{NBSP}2026"
    assert long_date(date(2026, 10, 1), "fr") == "1er octobre 2026"
    assert short_date(date(2026, 2, 14), "fr-BE") == f"14{NBSP}févr.{NBSP}2026"
    assert date_style("xx") is DATE_STYLES["en"]
    assert date_range(date(2025, 10, 1), date(2026, 9, 30)) == (
        "1 October 2025 – 30 September 2026"
    )
    assert date_range(date(2026, 4, 24), date(2027, 1, 27), short=True) == (
        f"24{NBSP}Apr{NBSP}2026 – 27{NBSP}Jan{NBSP}2027"
    )
    for style in DATE_STYLES.values():
        assert len(style.months) == len(style.abbreviations) == 12
        assert len(set(style.months)) == len(set(style.abbreviations)) == 12


# -- the documents' text ---------------------------------------------------------------------

ISO_DAY = re.compile(r"(?<![\w-])\d{4}\\?-\d{2}\\?-\d{2}(?![\w-])")
HYPHEN_YEARS = re.compile(r"(?<![\w\\/.-])[12]\d{3}\\?-(\d{4}|\d{2})(?![\w\\-])")
READER_FACING = (("strategy", None), ("handbook", None), ("progress-report", "africa"))


def _plan(project: Any, kind: str, cluster: str | None) -> Plan:
    settings, kb, snapshot, _ = project
    t = document_type(kind)
    found = next((c for c in snapshot.network.clusters if c.id == cluster), None)
    return t.make(Inputs(kb, snapshot, settings, settings.templates / t.template, cluster=found))


@pytest.fixture(scope="module")
def plans(project: Any) -> dict[str, Plan]:
    return {kind: _plan(project, kind, cluster) for kind, cluster in READER_FACING}


def _texts(value: object) -> Iterator[str]:
    if isinstance(value, MarkdownBlock):
        yield value.text
    elif isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)


def _outside_code(text: str) -> str:
    return re.sub(r"(`+).*?\1", "", text, flags=re.DOTALL)


@pytest.mark.parametrize("kind", [k for k, _ in READER_FACING])
def test_no_iso_day_and_no_hyphen_range_reaches_a_reader(plans: dict[str, Plan], kind: str) -> None:
    """Every part and cover line, but the sources appendix (where the ids to look up stay as
    the data has them); the appendix prints its days as the tables do."""
    plan, seen = plans[kind], 0
    for name, value in plan.context.items():
        if name == "sources":
            continue
        for text in _texts(value):
            seen += 1
            plain = _outside_code(text)
            assert not ISO_DAY.search(plain), (kind, name, ISO_DAY.search(plain))
            assert not HYPHEN_YEARS.search(plain), (kind, name, HYPHEN_YEARS.search(plain))
    assert seen > 10
    if kind == "strategy":
        assert plan.context["title"] == plan.context["running_title"] == "Strategy 2025–2029"
        assert plan.context["period"] == "Strategy period 2025–2029"
    if kind == "progress-report":
        assert "2025–26" in plan.context["period"]
        assert "24\u00a0Apr\u00a02026 – 27\u00a0Jan\u00a02027" in plan.context["planned"].text
    sources = plan.context["sources"].text
    assert "1\u00a0Oct\u00a02026" in sources  # the articles' updated days: a reader's column
    assert re.search(r"\d+\s\w{3}\s\d{4}\\?, \d\d\\?:\d\d\sUTC", sources), sources[-400:]
    assert not ISO_DAY.search(_outside_code(sources)), ISO_DAY.search(sources)


def test_every_listing_of_clusters_is_regional_then_thematic_by_name(
    plans: dict[str, Plan], project: Any
) -> None:
    from pipeline.documents.progress_report import missing_sections

    data = project[2].network
    ordered = [c.name for c in data.clusters_in_order()]
    assert ordered != [c.name for c in sorted(data.clusters, key=lambda c: c.id)]  # id order

    def order_in(text: str) -> list[str]:
        assert all(md(n) in text for n in ordered)
        return sorted(ordered, key=lambda n: text.find(md(n)))

    directory = plans["handbook"].context["directory"]
    assert order_in(directory.text if isinstance(directory, MarkdownBlock) else directory) == (
        ordered
    )
    membership = plans["strategy"].context["membership"].text
    assert order_in(membership.split("# Members per cluster", 1)[1]) == ordered
    empty = data.model_copy(update={"narratives": []})
    listed = list(dict.fromkeys(c.name for c, _, _ in missing_sections(empty, date(2026, 10, 6))))
    assert listed == ordered


# -- core properties ---------------------------------------------------------------------------


def test_core_properties_name_the_kind_and_the_cluster(project: Any) -> None:
    from docx import Document

    from pipeline.render.output import set_core_properties

    africa = _plan(project, "progress-report", "africa")
    assert africa.context["running_title"] == "Progress report: Africa cluster"
    assert africa.properties == {
        "subject": "Progress report — Africa cluster",
        "keywords": "VETNoN; progress report; Africa cluster",
        # custom properties: what a reviewed copy is traced back by
        "netdocs-edition": project[0].edition,
        "netdocs-document": "progress-report",
        "netdocs-cluster": "africa",
    }
    plan = document_type("action-plan")
    assert plan.properties("VETNoN") == {
        "subject": "Action plan",
        "keywords": "VETNoN; action plan",
    }
    document = Document()
    document.core_properties.subject = "from the template"
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    set_core_properties(
        document,
        when,
        africa.context["running_title"],
        subject=africa.properties["subject"],
        keywords=africa.properties["keywords"],
    )
    props = document.core_properties
    assert (props.title, props.subject, props.keywords) == (
        "Progress report: Africa cluster",
        "Progress report — Africa cluster",
        "VETNoN; progress report; Africa cluster",
    )
    set_core_properties(document, when, None)  # None keeps what is there
    assert props.subject == "Progress report — Africa cluster"


# -- scripts in the PDF ------------------------------------------------------------------------

SAMPLES = {
    "emoji": ("🌱", "Growing together 🌱 and done ✓"),
    "Arabic": ("ب", "تربط الشبكة مؤسسات التعليم والتدريب المهني"),
    "Chinese": ("网", "网络连接世界各地的职业教育与培训机构"),
    "Japanese": ("ネ", "ネットワークは世界中の機関を結びます"),
}
FONT_PACKAGES = "fonts-symbola fonts-wqy-microhei fonts-dejavu-core"


def _families_covering(char: str) -> set[str]:
    done = subprocess.run(
        ["fc-list", f":charset={ord(char):x}", "family"], capture_output=True, text=True
    )
    return {
        re.sub(r"[\s-]", "", name).casefold()
        for line in done.stdout.splitlines()
        for name in line.split(",")
        if name.strip()
    }


def test_emoji_arabic_and_cjk_render_in_the_pdf(tmp_path: Path) -> None:
    """A small .docx (pandoc with the bundled template, an RTL paragraph as a KB author writes
    it) converted by LibreOffice: for each script a font covering it is embedded, and the text
    extracts intact."""
    from pipeline.render.libreoffice import soffice_path
    from pipeline.render.pandoc import MARKDOWN_FORMAT, pandoc_path
    from pipeline.render.pdf import convert_to_pdf

    if soffice_path() is None:
        pytest.skip("LibreOffice is not installed (make pdf-tools)")
    for tool in ("pdffonts", "pdftotext", "fc-list"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (apt-get install poppler-utils fontconfig)")
    covering = {script: _families_covering(char) for script, (char, _) in SAMPLES.items()}
    missing = [script for script, families in covering.items() if not families]
    if missing:
        pytest.skip(f"no installed font covers {', '.join(missing)} (install {FONT_PACKAGES})")
    markdown = "\n\n".join(
        [
            SAMPLES["emoji"][1],
            f"::: {{dir=rtl}}\n{SAMPLES['Arabic'][1]}\n:::",
            SAMPLES["Chinese"][1],
            SAMPLES["Japanese"][1],
        ]
    )
    docx = tmp_path / "scripts.docx"
    subprocess.run(
        [pandoc_path(), "-f", MARKDOWN_FORMAT, "-t", "docx", "-o", str(docx),
         "--reference-doc", str(REPO / "templates" / "base.docx")],
        input=markdown.encode(), check=True,
    )  # fmt: skip
    import zipfile

    body = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert re.search(r"<w:bidi ?/>", body) and re.search(r"<w:rtl ?/>", body)  # right-to-left
    pdf = convert_to_pdf(docx, tmp_path / "scripts.pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    embedded = {
        re.sub(r"^[A-Z]{6}\+", "", line.split()[0]).split("-")[0].casefold(): line
        for line in fonts.stdout.splitlines()[2:]
    }
    assert all(" yes " in line for line in embedded.values()), fonts.stdout
    for script, families in covering.items():
        assert set(embedded) & families, f"no font covering {script} embedded: {fonts.stdout}"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    flat = "".join(text.split()).replace("\u202b", "").replace("\u202c", "")
    for script, (_, sample) in SAMPLES.items():
        assert "".join(sample.split()) in flat, script


def test_ranges_in_kb_markdown_take_an_en_dash_in_every_format() -> None:
    """The render model joins a range an author typed with a hyphen, in text only: code, link
    targets, ISO days and ids stay as written."""
    from pipeline.render.model import docx_model

    text = (
        "The strategy (2025-2029) and the period 2025-26 began on 2025-10-01; see `2025-2029` "
        "and [the plan](https://example.org/2026-2027) for act-2025-1."
    )
    model = docx_model([MarkdownBlock(text)])
    words: list[str] = []
    codes: list[str] = []

    def collect(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                collect(item)
        elif isinstance(node, dict):
            if node.get("t") == "Str":
                words.append(node["c"])
            elif node.get("t") == "Code":
                codes.append(node["c"][1])
            elif node.get("t") == "Link":
                codes.append(node["c"][2][0])
            collect(node.get("c"))

    collect(model.doc["blocks"])
    assert "(2025\u20132029)" in words and "2025\u201326" in words, words
    assert "2025-10-01;" in words and "act-2025-1." in words, words
    assert "2025-2029" in codes and "https://example.org/2026-2027" in codes, codes
