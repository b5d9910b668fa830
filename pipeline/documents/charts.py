"""Charts for the documents (matplotlib, Agg backend), each with alt text for screen readers."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from ..network.figures import money_column, number_text  # noqa: E402
from ..network.model import Activity  # noqa: E402
from ..render import Chart, Picture  # noqa: E402

PALETTE = ("#1F4E79", "#2E6B30", "#7A3B69", "#9A4A12", "#4F6D7A", "#B08D1A", "#5B5B8F", "#3D7F72")
STATUS_COLOURS = {
    "planned": "#8DA9C4",
    "ongoing": "#1F4E79",
    "done": "#2E6B30",
    "cancelled": "#A0A0A0",
}

plt.rcParams.update(
    {
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "netdocs",
    }
)


F = TypeVar("F", bound=Callable[..., Any])
_DRAWN: OrderedDict[str, Picture] = OrderedDict()
_KEEP = 64
"""How many drawn charts a process keeps (a few hundred KB each at most)."""


def drawn_once(function: F) -> F:
    """Draw a chart once per process for the same arguments: the first call draws it (the
    figure, then its PNG bytes); a later call with equal arguments gets the same picture
    without matplotlib. The bytes depend on the arguments only (Agg, no time metadata), so
    every format and every rebuild embeds the same image; what the call returns is a
    :class:`~pipeline.render.Picture` of those bytes with the chart's alt text and width."""

    @functools.wraps(function)
    def draw(*args: Any, **kwargs: Any) -> Picture | str:
        key = repr((function.__name__, matplotlib.__version__, args, sorted(kwargs.items())))
        found = _DRAWN.get(key)
        if found is not None:
            _DRAWN.move_to_end(key)
            return found
        chart = function(*args, **kwargs)
        if not isinstance(chart, Chart):
            return chart  # nothing to draw
        from ..render.pictures import chart_png

        try:
            picture = Picture(chart_png(chart), alt=chart.alt, width_mm=chart.width_mm)
        finally:
            plt.close(chart.figure)
        _DRAWN[key] = picture
        while len(_DRAWN) > _KEEP:
            _DRAWN.popitem(last=False)
        return picture

    return draw  # type: ignore[return-value]


@drawn_once
def bar_chart(
    labels: Sequence[str],
    values: Sequence[Decimal],
    *,
    what: str,
    unit: str,
    colours: Sequence[str] | None = None,
    width_mm: float = 150,
    currency: str = "",
) -> Chart | Picture | str:
    """Horizontal bars, largest first; '' when there is nothing to show. Each bar is labelled
    with its value printed as the documents print it (money exactly, in ``currency``)."""
    if not labels:
        return ""
    pairs = sorted(
        zip(labels, values, colours or [PALETTE[0]] * len(labels), strict=True),
        key=lambda p: (-p[1], p[0]),
    )
    amounts = [p[1] for p in pairs]
    printed = money_column(amounts, currency) if currency else [number_text(v) for v in amounts]
    height = max(1.8, 0.9 + 0.32 * len(pairs))
    fig, ax = plt.subplots(figsize=(6.4, height))
    names = [_short(p[0]) for p in pairs][::-1]
    nums = [float(p[1]) for p in pairs][::-1]  # bar lengths only: labels print the exact value
    ax.barh(names, nums, color=[p[2] for p in pairs][::-1])
    for y, text in enumerate(printed[::-1]):
        ax.text(nums[y], y, f" {text}", va="center", fontsize=8)
    ax.set_xlabel(unit)
    if all(v == v.to_integral_value() for v in amounts) and not currency:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: whole ticks only
    ax.margins(x=0.22 if currency else 0.12)
    fig.tight_layout()
    alt = (
        f"Bar chart of {what}: "
        + "; ".join(f"{p[0]} {text}" for p, text in zip(pairs, printed, strict=True))
        + "."
    )
    return Chart(fig, alt=alt, width_mm=width_mm)


@drawn_once
def gantt(
    activities: Sequence[Activity], today: date, width_mm: float = 240
) -> Chart | Picture | str:
    """One bar per activity from start to end, coloured by status, with a line for today."""
    if not activities:
        return ""
    acts = sorted(activities, key=lambda a: (a.start, a.id))
    rows = len(acts)
    fig, ax = plt.subplots(figsize=(10, 1.0 + 0.24 * rows))
    for y, a in enumerate(reversed(acts)):
        start = mdates.date2num(a.start)
        ax.barh(
            y,
            mdates.date2num(a.end) - start,
            left=start,
            height=0.6,
            color=STATUS_COLOURS.get(a.status, PALETTE[0]),
        )
    ax.set_yticks(
        range(rows), [_short(f"{a.id} {a.title}", 48) for a in reversed(acts)], fontsize=7
    )
    ax.xaxis_date()
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.axvline(mdates.date2num(today), color="#C00000", linewidth=1)
    ax.text(
        mdates.date2num(today),
        rows - 0.4,
        f" as of {today.isoformat()}",
        color="#C00000",
        fontsize=7,
    )
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in STATUS_COLOURS.values()]
    ax.legend(
        handles,
        list(STATUS_COLOURS),
        loc="lower right",
        fontsize=7,
        frameon=False,
        ncols=4,
        bbox_to_anchor=(1, 1),
    )
    fig.tight_layout()
    first, last = min(a.start for a in acts), max(a.end for a in acts)
    alt = (
        f"Gantt chart of {rows} activities from {first.isoformat()} to {last.isoformat()}, "
        f"coloured by status; {sum(a.status == 'done' for a in acts)} done, "
        f"{sum(a.status == 'ongoing' for a in acts)} ongoing, "
        f"{sum(a.status == 'planned' for a in acts)} planned."
    )
    return Chart(fig, alt=alt, width_mm=width_mm)


def close(chart: object) -> None:
    """Free a chart's figure once rendered."""
    if isinstance(chart, Chart):
        plt.close(chart.figure)


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
