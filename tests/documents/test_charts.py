"""The charts' house style (money and count axes, wrapped labels, legends, alt text) and the
Gantt chart in parts that each fit a landscape page (:mod:`pipeline.documents.gantt`).

The figures are inspected before they become PNG bytes, through the undecorated drawing
functions (``__wrapped__``, inside the house style as :func:`charts.drawn_once` draws them)."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pytest
from lxml import etree

from pipeline.documents import charts, gantt
from pipeline.documents.build import Built
from pipeline.documents.common import date_style
from pipeline.network.model import Activity, Aspiration, Milestone
from pipeline.render import Chart, Picture
from pipeline.render.values import Pictures

TODAY = date(2026, 10, 31)
LANDSCAPE_MM = (253.0, 163.0)
"""The action plan's text area (A4 landscape less its margins)."""


@pytest.fixture
def styled() -> Iterator[None]:
    with plt.style.context(charts.STYLE):
        yield
    plt.close("all")


def _activity(n: int, aspiration: str, status: str = "planned") -> Activity:
    start = date(2026, 1, 1) + timedelta(days=17 * n)
    return Activity(
        id=f"act-{n:03d}",
        title=f"Activity number {n} with a rather long title about promotion of VET",
        aspiration=aspiration,
        lead="org-001",
        start=start,
        end=start + timedelta(days=90),
        status=status,
    )


ASPIRATIONS = [Aspiration(id=f"a{i}", title=f"Aspiration title {i}") for i in range(1, 4)]
STATUSES = ("planned", "ongoing", "done", "cancelled")
MANY = [_activity(n, "a1" if n <= 12 else "a2", STATUSES[n % 4]) for n in range(1, 16)]
MILESTONES = [
    Milestone(id="m-01", title="Kick-off held", activity="act-002", due=date(2026, 2, 10),
              owner="org-001", status="achieved"),
    Milestone(id="m-02", title="Report handed over", kind="deliverable", activity="act-014",
              due=date(2027, 1, 20), owner="org-001", status="planned"),
    Milestone(id="m-03", title="Plan adopted", due=date(2026, 12, 15), owner="secretariat",
              status="planned"),
]  # fmt: skip


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _size_mm(picture: Picture) -> tuple[float, float]:
    assert isinstance(picture.source, bytes) and picture.width_mm
    w, h = _png_size(picture.source)
    return picture.width_mm, picture.width_mm * h / w


def _texts(fig: Any) -> list[str]:
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


# -- the Gantt ----------------------------------------------------------------------------------


def test_a_tall_gantt_splits_by_aspiration_and_rows_each_part_fitting_the_page() -> None:
    chart = gantt.gantt(MANY, TODAY, milestones=MILESTONES, aspirations=ASPIRATIONS)
    assert isinstance(chart, Pictures)
    alts = [p.alt for p in chart.items]
    assert len(alts) == 3  # 12 rows are too many for one part
    for picture in chart.items:
        assert isinstance(picture, Picture)
        width, height = _size_mm(picture)
        assert width <= LANDSCAPE_MM[0] and height <= LANDSCAPE_MM[1] - 20, picture.alt[:60]
    assert _size_mm(chart.items[0])[1] > 90  # a full part: rows keep their size, not squeezed
    for a in MANY:  # every activity in exactly one part
        assert sum(f"{a.id} {a.title}," in alt for alt in alts) == 1, a.id
    assert alts[0].startswith(
        "Gantt chart of activities, part 1 of 3: Aspiration 1: Aspiration title 1, part 1 of 2."
    )
    assert alts[2].startswith(
        "Gantt chart of activities, part 3 of 3: Aspiration 2: Aspiration title 2, and milestones"
    )
    assert sum("m-01 Kick-off held (milestone), due 10 Feb 2026, achieved" in a for a in alts) == 1
    assert sum("m-02 Report handed over (deliverable)" in alt for alt in alts) == 1
    assert sum("m-03 Plan adopted" in alt for alt in alts) == 1  # of no activity: a row of its own
    assert all("A red line marks 31 Oct 2026" in alt for alt in alts)


def test_a_small_gantt_is_one_chart_with_a_heading_row_per_aspiration() -> None:
    few = MANY[10:14]  # two aspirations
    chart = gantt.gantt(few, TODAY, milestones=MILESTONES[:1], aspirations=ASPIRATIONS)
    assert isinstance(chart, Picture)
    assert chart.alt.startswith("Gantt chart of activities by aspiration. 4 activities between")
    assert gantt.part_titles(few, TODAY, aspirations=ASPIRATIONS) == ["Activities by aspiration"]


def test_each_part_has_a_date_axis_a_labelled_today_line_milestones_and_a_legend(
    styled: None,
) -> None:
    groups = gantt._groups(MANY[:6], MILESTONES, ASPIRATIONS)
    span = gantt._span(groups, TODAY)
    rows = next(g.rows for g in groups if any(r.label.startswith("act-002") for r in g.rows))
    drawn = gantt.gantt_part.__wrapped__("Aspiration 1: Aspiration title 1", rows, span, TODAY)
    assert isinstance(drawn, Chart)
    fig = drawn.figure
    texts = _texts(fig)
    assert "Aspiration 1: Aspiration title 1" in texts
    assert "31 Oct 2026" in texts  # the label on the today line
    (ax,) = fig.axes
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(t[:3] in date_style().abbreviations and t[4:].isdigit() for t in ticks), (
        ticks
    )
    lines = ax.get_lines()
    today = [ln for ln in lines if ln.get_label() == "as of 31 Oct 2026"]
    assert len(today) == 1 and today[0].get_xdata()[0] == pytest.approx(
        plt.matplotlib.dates.date2num(TODAY)
    )
    assert any(ln.get_marker() == "D" for ln in lines)  # m-01 on act-002's row
    (legend,) = fig.legends
    names = [t.get_text() for t in legend.get_texts()]
    assert set(STATUSES) <= set(names)
    assert {"milestone achieved", "as of 31 Oct 2026"} <= set(names)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert all("…" not in label for label in labels)
    assert any("\n" in label for label in labels)  # wrapped, not cut


def test_quarters_for_a_long_span_months_for_a_short_one(styled: None) -> None:
    def ticks(span: tuple[date, date]) -> list[str]:
        row = gantt.Row("act-001 A", span[0], span[1] - timedelta(days=1), "planned")
        drawn = gantt.gantt_part.__wrapped__("T", (row,), span, span[0])
        drawn.figure.canvas.draw()
        return [t.get_text() for t in drawn.figure.axes[0].get_xticklabels() if t.get_text()]

    assert ticks((date(2026, 1, 1), date(2026, 10, 1)))[:3] == ["Jan 2026", "Feb 2026", "Mar 2026"]
    long = ticks((date(2025, 7, 1), date(2028, 1, 1)))
    assert long[:3] == ["Jul 2025", "Oct 2025", "Jan 2026"]


# -- bar charts: money and count axes, wrapped labels, legends ---------------------------------


def test_money_axis_prints_the_currency_with_separators_never_a_power_of_ten(
    styled: None,
) -> None:
    fig, ax = plt.subplots()
    ax.barh([0, 1], [950_000.5, 1_150_000])
    charts.money_axis(ax.xaxis, "EUR")
    ax.set_xlim(0, 1_200_000)
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "0" and "EUR 1.0 M" in ticks, ticks
    assert all(re.fullmatch(r"EUR \d\.\d M", t) for t in ticks[1:]), ticks
    assert ax.xaxis.get_offset_text().get_text() == ""
    assert not any("e" in t.replace("EUR", "") for t in ticks)
    ax.set_xlim(0, 600_000)
    fig.canvas.draw()
    assert "EUR 200,000" in [t.get_text() for t in ax.get_xticklabels()]
    ax.set_xlim(0, 2_100_000)
    fig.canvas.draw()
    assert "EUR 1.0 M" in [t.get_text() for t in ax.get_xticklabels()]
    formatter = charts.MoneyFormatter("JPY")
    assert formatter(1_000_000) == "JPY 1.0 M" and formatter(0) == "0"
    assert formatter(250_000) == "JPY 250,000"


def test_counts_tick_in_whole_numbers_and_status_colours_get_a_legend(styled: None) -> None:
    drawn = charts.bar_chart.__wrapped__(
        ["done", "ongoing"], [Decimal(1), Decimal(1)], what="activities per status",
        unit="activities", colours=[charts.STATUS_COLOURS[s] for s in ("done", "ongoing")],
    )  # fmt: skip
    fig = drawn.figure
    fig.canvas.draw()
    (ax,) = fig.axes
    ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
    assert ticks == [0, 1]
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == list(charts.STATUS_COLOURS)


def test_labels_are_wrapped_never_cut_and_the_chart_grows_to_hold_them(styled: None) -> None:
    short = charts.bar_chart.__wrapped__(
        ["Africa", "Asia"], [Decimal(3), Decimal(2)], what="m", unit="members"
    ).figure
    names = ["Latin America and the Caribbean cluster", "Asia"]
    tall = charts.bar_chart.__wrapped__(
        names, [Decimal(3), Decimal(2)], what="m", unit="members"
    ).figure
    tall.canvas.draw()
    labels = [t.get_text() for t in tall.axes[0].get_yticklabels()]
    assert labels == ["Latin America and the\nCaribbean cluster", "Asia"]
    assert not any("…" in t for t in _texts(tall))
    assert tall.get_size_inches()[1] > short.get_size_inches()[1]


def test_a_money_chart_says_what_it_shows_and_keeps_its_value_labels_inside(
    styled: None,
) -> None:
    drawn = charts.bar_chart.__wrapped__(
        ["national", "Erasmus+ KA3"], [Decimal("950000.50"), Decimal("934000")],
        what="budget per funding source in EUR", unit="EUR", currency="EUR",
        colours=[charts.PALETTE[3], charts.PALETTE[0]],
        legend={"EU programme": charts.PALETTE[0], "other source": charts.PALETTE[3]},
    )  # fmt: skip
    assert drawn.alt == (
        "Bar chart of budget per funding source in EUR: national EUR 950,000.50; "
        "Erasmus+ KA3 EUR 934,000.00."
    )
    fig = drawn.figure
    fig.canvas.draw()
    (ax,) = fig.axes
    renderer = fig.canvas.get_renderer()
    right = ax.get_window_extent(renderer).x1
    assert all(t.get_window_extent(renderer).x1 <= right + 1 for t in ax.texts)
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["EU programme", "other source"]


def test_the_style_file_sets_the_templates_font_and_plain_numbers() -> None:
    text = charts.STYLE.read_text(encoding="utf-8")
    assert "font.sans-serif: Calibri, Carlito, DejaVu Sans" in text
    with plt.style.context(charts.STYLE):
        assert plt.rcParams["axes.formatter.useoffset"] is False
        assert plt.rcParams["font.family"] == ["sans-serif"]


# -- the action plan as built -----------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _body(path: Path) -> etree._Element:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find(f"{W}body")


def _area(sect: etree._Element) -> tuple[int, int]:
    size, margin = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")

    def v(e: etree._Element, k: str) -> int:
        return abs(int(e.get(f"{W}{k}", "0")))

    width = v(size, "w") - v(margin, "left") - v(margin, "right") - v(margin, "gutter")
    return width * 635, (v(size, "h") - v(margin, "top") - v(margin, "bottom")) * 635


@pytest.mark.parametrize("key", ["action-plan", "action-plan:africa", "progress-report:africa"])
def test_every_drawing_of_a_built_document_fits_its_section(
    built: dict[str, Built], key: str
) -> None:
    body = _body(built[key].path)
    pending: list[etree._Element] = []
    checked = 0
    for child in body:
        sect = child if child.tag == f"{W}sectPr" else child.find(f"{W}pPr/{W}sectPr")
        pending += child.iter(f"{WP}inline", f"{WP}anchor")
        if sect is None:
            continue
        width, height = _area(sect)
        for drawing in pending:
            extent = drawing.find(f"{WP}extent")
            assert int(extent.get("cx")) <= width and int(extent.get("cy")) <= height, key
            checked += 1
        pending = []
    assert not pending and checked >= 2  # the logo and a chart at least


def test_the_plan_s_gantt_is_in_parts_after_its_kept_introduction(
    built: dict[str, Built],
) -> None:
    body = _body(built["action-plan"].path)
    descr = [d.get("descr") for d in body.iter(f"{WP}docPr")]
    parts = [d for d in descr if d.startswith("Gantt chart of activities, part ")]
    assert len(parts) >= 3 and all(f" of {len(parts)}: Aspiration " in d for d in parts[:-1])
    assert sum("act-033 " in d for d in parts) == 1  # the last row the old chart lost
    paragraphs = list(body.iterchildren(f"{W}p"))
    first = next(
        i
        for i, p in enumerate(paragraphs)
        if "Gantt chart of activities, part 1 " in etree.tostring(p).decode()
    )
    intro = paragraphs[first - 1]
    assert "".join(intro.itertext()).startswith("Each bar runs from an activity")
    assert intro.find(f"{W}pPr/{W}keepNext") is not None
    pictures = paragraphs[first : first + len(parts)]
    assert all(len(list(p.iter(f"{WP}inline"))) == 1 for p in pictures)  # one per paragraph
    assert [p.find(f"{W}pPr/{W}keepNext") is not None for p in pictures][-1]
    assert "".join(paragraphs[first + len(parts)].itertext()).startswith("Figure 1.")


def test_a_chart_drawn_by_an_earlier_process_is_read_back_not_drawn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Charts are kept in the user's cache: a later process (here: an emptied memory) gets
    the same picture without matplotlib, and a damaged entry is only a miss."""
    monkeypatch.setattr(charts, "_store_folder", lambda: tmp_path)
    labels, values = ["Stored chart a", "Stored chart b"], [Decimal(3), Decimal(5)]
    first = charts.bar_chart(labels, values, what="stored", unit="activities")
    assert isinstance(first, Picture) and isinstance(first.source, bytes)
    assert len(list(tmp_path.glob("*.json"))) == 1
    charts._DRAWN.clear()

    def no_drawing(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("drawn again")

    monkeypatch.setattr("pipeline.render.pictures.chart_png", no_drawing)
    again = charts.bar_chart(labels, values, what="stored", unit="activities")
    assert again == first
    charts._DRAWN.clear()
    next(tmp_path.glob("*.json")).write_text("{not json", encoding="utf-8")
    with pytest.raises(AssertionError, match="drawn again"):  # a miss: drawn (here: refused)
        charts.bar_chart(labels, values, what="stored", unit="activities")
