"""The action plan's Gantt chart, in parts that each fit a landscape page.

One bar per activity from its first to its last day, coloured by status; its milestones and
deliverables are markers on its row (the plan's milestones of no activity get rows of their
own); a red line marks the day the figures are as of, labelled with it; a date axis in months
or quarters; a legend of what the colours and markers mean. Activities are grouped by the
strategy's aspirations. When the whole chart would be taller than :data:`PART_HEIGHT_MM`, it is
split: one chart per aspiration, titled with it (``Aspiration 1: Attractive VET``), and an
aspiration too tall alone is split by rows (``…, part 1 of 2``). Every part has the same time
span, so their bars line up from page to page, and its own alt text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from ..network.model import Activity, Aspiration, Milestone
from ..render import Chart, Picture
from ..render.values import Pictures
from .charts import STATUS_COLOURS, day_text, drawn_once, month_text, wrap

GANTT_WIDTH_MM = 250.0
"""Width of every part: the landscape text area's (25.3 cm) less a little."""
PART_HEIGHT_MM = 125.0
"""The tallest a part may be: a landscape text area (16.3 cm) holds it with the "Timeline"
heading and its introduction above it, or with the caption under it."""

LABEL_WRAP = 46
"""Characters per line of a row's label (``act-004 Career guidance toolkit for teachers``)."""
_LABELS_IN = 2.95
"""Width of the labels' column, in inches."""
_RIGHT_IN = 0.3
_TOP_IN = 0.5
"""The title's line and the as-of date's label above the bars."""
_AXIS_IN = 0.32
"""The date axis' tick labels under the bars."""
_LEGEND_ROW_IN = 0.22
_LEGEND_LEFT_IN = 0.1
"""Where the legend starts (inches from the left): under the labels too, so that it takes one
row and two parts fit on a landscape page."""
_ROW_IN = 0.19
"""Height of a row with a one-line label."""
_LINE_IN = 0.13
"""Height added for each further line of a wrapped label."""
_BAR_IN = 0.13
_TICK_IN = 0.55
"""Room a date tick label (``Oct 2026``) needs."""
TODAY_COLOUR = "#C00000"

MARK_SHAPES = {"milestone": "D", "deliverable": "^"}
"""Marker of each kind of milestone: a diamond for a point reached, a triangle for a thing
handed over."""
MARK_FACES = {"achieved": "#262626", "planned": "white", "missed": TODAY_COLOUR,
              "cancelled": "#A0A0A0"}  # fmt: skip
"""Fill of a milestone's marker by its status: achieved filled, planned hollow, missed red."""


ALONE = "Milestones of no activity"
"""The title of the rows of the plan's milestones that belong to no activity shown."""


@dataclass(frozen=True)
class Mark:
    """A milestone or deliverable drawn on a row."""

    id: str
    title: str
    kind: str
    due: date
    status: str


@dataclass(frozen=True)
class Row:
    """A row of the chart: an activity's bar (with its marks), a milestone of no activity, or
    the heading of a group of rows."""

    label: str
    start: date | None = None
    end: date | None = None
    status: str = ""
    marks: tuple[Mark, ...] = ()
    heading: bool = False

    @property
    def height(self) -> float:
        return _ROW_IN + _LINE_IN * self.text.count("\n")

    @property
    def text(self) -> str:
        """The label as printed: wrapped to the labels' column, a group's heading (a row of
        its own, with no bar) across the chart."""
        return self.label if self.heading else wrap(self.label, LABEL_WRAP)


@dataclass(frozen=True)
class Group:
    """Rows under one title: an aspiration's activities, or the milestones of no activity."""

    title: str
    rows: tuple[Row, ...]


def gantt(
    activities: Sequence[Activity],
    today: date,
    *,
    milestones: Sequence[Milestone] = (),
    aspirations: Sequence[Aspiration] = (),
    width_mm: float = GANTT_WIDTH_MM,
    height_mm: float = PART_HEIGHT_MM,
) -> Picture | Pictures | str:
    """The Gantt chart of ``activities`` as of ``today``: one picture when it fits in
    ``height_mm``, else one per aspiration (:class:`~pipeline.render.values.Pictures`); ''
    when there is nothing to show. ``aspirations`` give the groups' order and titles
    (``Aspiration 2: Capable VET leaders and staff``), ``milestones`` the markers (those of an
    activity not shown get rows of their own)."""
    groups = _groups(activities, milestones, aspirations)
    if not groups:
        return ""
    span = _span(groups, today)
    parts = _parts(groups, _rows_room(height_mm))
    pictures = []
    for n, (title, rows) in enumerate(parts, 1):
        picture = gantt_part(
            title, rows, span, today, width_mm, (n, len(parts)) if len(parts) > 1 else None
        )
        assert isinstance(picture, Picture)
        pictures.append(picture)
    return pictures[0] if len(pictures) == 1 else Pictures(tuple(pictures))


def part_titles(
    activities: Sequence[Activity],
    today: date,
    *,
    milestones: Sequence[Milestone] = (),
    aspirations: Sequence[Aspiration] = (),
    height_mm: float = PART_HEIGHT_MM,
) -> list[str]:
    """The titles of the parts :func:`gantt` draws for these arguments, without drawing."""
    groups = _groups(activities, milestones, aspirations)
    return [title for title, _rows in _parts(groups, _rows_room(height_mm))] if groups else []


def _groups(
    activities: Sequence[Activity],
    milestones: Sequence[Milestone],
    aspirations: Sequence[Aspiration],
) -> list[Group]:
    shown = {a.id for a in activities}
    marks: dict[str, list[Mark]] = {}
    alone: list[Milestone] = []
    for m in sorted(milestones, key=lambda m: (m.due, m.id)):
        if m.activity in shown:
            marks.setdefault(m.activity, []).append(_mark(m))
        else:
            alone.append(m)
    titles = {a.id: f"Aspiration {n}: {a.title}" for n, a in enumerate(aspirations, 1)}
    order = {a.id: n for n, a in enumerate(aspirations)}
    by_group: dict[str, list[Activity]] = {}
    for a in sorted(activities, key=lambda a: (order.get(a.aspiration, len(order)), a.start,
                                               a.id)):  # fmt: skip
        title = titles.get(a.aspiration, "Not linked to an aspiration")
        by_group.setdefault(title, []).append(a)
    groups = [
        Group(title, tuple(
            Row(f"{a.id} {a.title}", a.start, a.end, a.status, tuple(marks.get(a.id, ())))
            for a in acts
        ))
        for title, acts in by_group.items()
    ]  # fmt: skip
    if alone:
        rows = tuple(Row(f"{m.id} {m.title}", marks=(_mark(m),)) for m in alone)
        groups.append(Group(ALONE, rows))
    return groups


def _mark(m: Milestone) -> Mark:
    return Mark(m.id, m.title, m.kind, m.due, m.status)


def _span(groups: Sequence[Group], today: date) -> tuple[date, date]:
    """First day of the first month and first day after the last month the chart shows:
    every bar and mark, and the as-of day."""
    days = [today]
    for group in groups:
        for row in group.rows:
            days += [d for d in (row.start, row.end) if d is not None]
            days += [m.due for m in row.marks]
    first, last = min(days), max(days)
    after = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    return date(first.year, first.month, 1), after


def _rows_room(height_mm: float) -> float:
    """Inches the rows of a part may take up, with two lines of legend."""
    return height_mm / 25.4 - _TOP_IN - _AXIS_IN - 2 * _LEGEND_ROW_IN - 0.1


def _parts(groups: Sequence[Group], room: float) -> list[tuple[str, tuple[Row, ...]]]:
    """The chart whole when it fits (a heading row per group when there are several), else a
    part per group, a group too tall for one part split by rows."""
    several = len(groups) > 1
    whole = [
        row for g in groups for row in ((Row(g.title, heading=True),) if several else ()) + g.rows
    ]
    if sum(r.height for r in whole) <= room:
        return [("Activities by aspiration" if several else groups[0].title, tuple(whole))]
    parts: list[tuple[str, tuple[Row, ...]]] = []
    for group in groups:
        if group.title == ALONE and parts:  # with the last aspiration's rows if there is room
            title, rows = parts[-1]
            joined = (*rows, Row(ALONE, heading=True), *group.rows)
            if sum(r.height for r in joined) <= room:
                parts[-1] = (f"{title}, and {ALONE[0].lower()}{ALONE[1:]}", joined)
                continue
        chunks: list[list[Row]] = [[]]
        for row in group.rows:
            if chunks[-1] and sum(r.height for r in chunks[-1]) + row.height > room:
                chunks.append([])
            chunks[-1].append(row)
        for k, chunk in enumerate(chunks, 1):
            title = group.title + (f", part {k} of {len(chunks)}" if len(chunks) > 1 else "")
            parts.append((title, tuple(chunk)))
    return parts


# -- one part -----------------------------------------------------------------------------------


@drawn_once
def gantt_part(
    title: str,
    rows: tuple[Row, ...],
    span: tuple[date, date],
    today: date,
    width_mm: float = GANTT_WIDTH_MM,
    part: tuple[int, int] | None = None,
) -> Chart | Picture | str:
    """One chart of the Gantt: ``rows`` over ``span`` (first day, day after the last), titled
    ``title``; ``part`` is (this part's number, how many) when the Gantt has several."""
    if not rows:
        return ""
    width = width_mm / 25.4
    axis_width = width - _LABELS_IN - _RIGHT_IN
    fig = plt.figure(figsize=(width, 4))
    legend_rows = _add_legend(fig, *_legend(rows, today), width - _LEGEND_LEFT_IN - _RIGHT_IN)
    bottom = _AXIS_IN + legend_rows * _LEGEND_ROW_IN + 0.08
    rows_height = sum(r.height for r in rows)
    height = _TOP_IN + rows_height + bottom
    fig.set_size_inches(width, height)
    ax = fig.add_axes(
        (_LABELS_IN / width, bottom / height, axis_width / width, rows_height / height)
    )
    tops = [sum(r.height for r in rows[:i]) for i in range(len(rows))]
    centres = [t + r.height / 2 for t, r in zip(tops, rows, strict=True)]
    for top, centre, row in zip(tops, centres, rows, strict=True):
        _draw_row(ax, row, top, centre)
    ax.set_ylim(rows_height, 0)
    ax.set_yticks(centres, [r.text for r in rows])
    ax.tick_params(axis="y", length=0, pad=(_LABELS_IN - 0.1) * 72)
    for label, row in zip(ax.get_yticklabels(), rows, strict=True):
        label.set_horizontalalignment("left")
        if row.heading:
            label.set_fontweight("bold")
    ax.spines["left"].set_visible(False)
    _date_axis(ax, span, axis_width)
    x = mdates.date2num(today)
    ax.axvline(x, color=TODAY_COLOUR, linewidth=1.1, zorder=4, label=f"as of {day_text(today)}")
    ax.annotate(
        day_text(today), xy=(x, 1), xycoords=("data", "axes fraction"), xytext=(0, 2),
        textcoords="offset points", ha="center", va="bottom", color=TODAY_COLOUR,
        fontsize=7.5, fontweight="bold",
    )  # fmt: skip
    fig.text(0.1 / width, 1 - 0.08 / height, title, va="top", ha="left", fontsize=10,
             fontweight="bold")  # fmt: skip
    return Chart(fig, alt=_alt(title, rows, span, today, part), width_mm=width_mm)


def _draw_row(ax: Any, row: Row, top: float, centre: float) -> None:
    if row.heading:
        ax.axhspan(top, top + row.height, color="#EDEDED", zorder=0, linewidth=0)
        return
    ax.axhline(top + row.height, color="#EDEDED", linewidth=0.5, zorder=0)
    if row.start is not None and row.end is not None:
        start = mdates.date2num(row.start)
        ax.barh(
            centre, mdates.date2num(row.end + timedelta(days=1)) - start, left=start,
            height=_BAR_IN, color=STATUS_COLOURS.get(row.status, "#808080"), zorder=2,
        )  # fmt: skip
    for mark in row.marks:
        face = MARK_FACES.get(mark.status, "white")
        ax.plot(
            mdates.date2num(mark.due), centre, marker=MARK_SHAPES.get(mark.kind, "D"),
            markersize=6, markerfacecolor=face, linestyle="none", zorder=3,
            markeredgecolor=TODAY_COLOUR if mark.status == "missed" else "#262626",
            markeredgewidth=0.9,
        )  # fmt: skip


def _legend(rows: Sequence[Row], today: date) -> tuple[list[Any], list[str]]:
    """What the colours, markers and the red line stand for: every activity status, the kinds
    and statuses of milestones this part shows, the as-of line."""
    handles: list[Any] = [Patch(color=c) for c in STATUS_COLOURS.values()]
    names = list(STATUS_COLOURS)
    kinds, statuses = list(MARK_SHAPES), list(MARK_FACES)

    def rank(key: tuple[str, str]) -> tuple[int, int]:
        kind, status = key
        return (kinds.index(kind) if kind in kinds else 9,
                statuses.index(status) if status in statuses else 9)  # fmt: skip

    for kind, status in sorted({(m.kind, m.status) for r in rows for m in r.marks}, key=rank):
        handles.append(
            Line2D([], [], marker=MARK_SHAPES.get(kind, "D"), linestyle="none", markersize=6,
                   markerfacecolor=MARK_FACES.get(status, "white"), markeredgewidth=0.9,
                   markeredgecolor=TODAY_COLOUR if status == "missed" else "#262626")
        )  # fmt: skip
        names.append(f"{kind} {status}")
    handles.append(Line2D([], [], color=TODAY_COLOUR, linewidth=1.1))
    names.append(f"as of {day_text(today)}")
    return handles, names


def _add_legend(fig: Any, handles: list[Any], names: list[str], room: float) -> int:
    """Put the legend under the chart, read row by row, in as few rows as fit in ``room``
    inches (measured); return how many rows."""
    renderer = fig.canvas.get_renderer()
    for ncols in range(len(names), 0, -1):
        rows = -(-len(names) // ncols)
        order = [r * ncols + c for c in range(ncols) for r in range(rows)]
        order = [i for i in order if i < len(names)]  # matplotlib fills columns in turn
        legend = fig.legend(
            [handles[i] for i in order], [names[i] for i in order], loc="lower left",
            ncols=ncols, bbox_to_anchor=(_LEGEND_LEFT_IN, 0.04), bbox_transform=fig.dpi_scale_trans,
            borderaxespad=0, borderpad=0, fontsize=7.5,
        )  # fmt: skip
        if ncols == 1 or legend.get_window_extent(renderer).width / fig.dpi <= room:
            return rows
        legend.remove()
    return len(names)


def _date_axis(ax: Any, span: tuple[date, date], axis_width: float) -> None:
    """Ticks every month when they fit, else every quarter (half year, year), labelled
    ``Oct 2026``; a light line at each."""
    first, after = span
    months = (after.year - first.year) * 12 + after.month - first.month
    step = next((s for s in (1, 3, 6, 12) if months / s * _TICK_IN <= axis_width), 12)
    ax.set_xlim(mdates.date2num(first), mdates.date2num(after))
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, step)))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: month_text(mdates.num2date(x).date()))
    )
    ax.grid(axis="x", which="major", color="#D0D0D0", linewidth=0.6)
    ax.grid(axis="x", which="minor", color="#EFEFEF", linewidth=0.4)
    ax.tick_params(axis="x", which="minor", length=2)


def _alt(
    title: str, rows: Sequence[Row], span: tuple[date, date], today: date,
    part: tuple[int, int] | None,
) -> str:  # fmt: skip
    """What the part shows, for a screen reader: its title, each activity with its dates and
    status, each milestone with its due day and status, and the as-of line."""
    which = f", part {part[0]} of {part[1]}" if part else ""
    bars = [r for r in rows if r.start is not None and r.end is not None]
    marks = [m for r in rows for m in r.marks]
    head = (
        f"Gantt chart of {title[0].lower()}{title[1:]}{which}. "
        if title.startswith("Activities")
        else f"Gantt chart of activities{which}: {title}. "
    )
    text = (
        head + f"{len(bars)} {'activity' if len(bars) == 1 else 'activities'} between "
        f"{month_text(span[0])} and {month_text(span[1] - timedelta(days=1))}, "
        "each a bar from its start to its end coloured by status"
    )
    if bars:
        text += ": " + "; ".join(
            f"{r.label}, {day_text(r.start)} to {day_text(r.end)}, {r.status}"
            for r in bars
            if r.start is not None and r.end is not None
        )
    text += "."
    if marks:
        text += " Milestones and deliverables: " + "; ".join(
            f"{m.id} {m.title} ({m.kind}), due {day_text(m.due)}, {m.status}" for m in marks
        ) + "."  # fmt: skip
    return text + f" A red line marks {day_text(today)}, the day the figures are as of."
