"""Charts for the documents (matplotlib, Agg backend), each with alt text for screen readers.

Every chart is drawn in the house style (``netdocs.mplstyle`` beside this module: the
templates' font and colours), at its size on the page, so that its text prints at the size
it is set in. Money axes print the currency with thousands separators (``EUR 250,000``,
``EUR 1.5 M``), count axes whole numbers only; labels are wrapped, never cut; colours that
encode something come with a legend. The action plan's Gantt chart is :mod:`.gantt`'s.
"""

from __future__ import annotations

import functools
import os
import textwrap
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axis import Axis  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import Formatter, MaxNLocator  # noqa: E402

from ..network.figures import money_column, number_text  # noqa: E402
from ..render import Chart, Picture  # noqa: E402
from .common import date_style, short_date  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

STYLE = Path(__file__).with_name("netdocs.mplstyle")
"""The house style of every chart (fonts and colours of the templates)."""

PALETTE = ("#1F4E79", "#2E6B30", "#7A3B69", "#9A4A12", "#4F6D7A", "#B08D1A", "#5B5B8F", "#3D7F72")
STATUS_COLOURS = {
    "planned": "#8DA9C4",
    "ongoing": "#1F4E79",
    "done": "#2E6B30",
    "cancelled": "#A0A0A0",
}
"""The colour of each activity status, in every chart."""

LABEL_WRAP = 30
"""Characters per line of a bar's label (labels are wrapped, never cut)."""


F = TypeVar("F", bound=Callable[..., Any])
_DRAWN: OrderedDict[str, Picture] = OrderedDict()
_KEEP = 64
"""How many drawn charts a process keeps (a few hundred KB each at most)."""


def drawn_once(function: F) -> F:
    """Draw a chart once per process for the same arguments: the first call draws it in the
    house style (the figure, then its PNG bytes); a later call with equal arguments gets the
    same picture without matplotlib. The bytes depend on the arguments only (Agg, no time
    metadata), so every format and every rebuild embeds the same image; what the call returns
    is a :class:`~pipeline.render.Picture` of those bytes with the chart's alt text and width."""

    @functools.wraps(function)
    def draw(*args: Any, **kwargs: Any) -> Picture | str:
        key = repr((function.__name__, matplotlib.__version__, args, sorted(kwargs.items())))
        found = _DRAWN.get(key) or _stored(key)
        if found is not None:
            _DRAWN[key] = found
            _DRAWN.move_to_end(key)
            return found
        from ..render.pictures import chart_png

        with plt.style.context(STYLE):
            chart = function(*args, **kwargs)
            if not isinstance(chart, Chart):
                return chart  # nothing to draw
            try:
                picture = Picture(chart_png(chart), alt=chart.alt, width_mm=chart.width_mm)
            finally:
                plt.close(chart.figure)
        _store(key, picture)
        _DRAWN[key] = picture
        while len(_DRAWN) > _KEEP:
            _DRAWN.popitem(last=False)
        return picture

    return draw  # type: ignore[return-value]


# -- the charts drawn by earlier processes ------------------------------------------------------

STORE_LIMIT = 2000
"""How many drawn charts the user's cache keeps (tens of KB each); past it, the older half
is removed."""


@functools.cache
def _store_folder() -> Path:
    """``charts-<version>/`` in the user's cache folder (beside the article cache): the
    version covers everything a chart's pixels depend on besides its arguments, the code and
    style drawing it, matplotlib's version and the font it finds."""
    from matplotlib import font_manager

    from ..fs import sha256_text
    from ..render.model import default_cache_folder
    from ..render.pictures import __file__ as pictures_file

    here = Path(__file__).parent
    with plt.style.context(STYLE):
        font = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    parts = [matplotlib.__version__, font, STYLE.read_text(encoding="utf-8")]
    parts += [Path(f).read_text(encoding="utf-8") for f in (__file__, here / "gantt.py",
                                                            pictures_file)]  # fmt: skip
    folder = default_cache_folder() / f"charts-{sha256_text(chr(0).join(parts))[:16]}"
    _prune(folder)
    return folder


def _prune(folder: Path) -> None:
    """Past :data:`STORE_LIMIT` entries, remove the older half (once per process)."""
    try:
        entries = [(e.stat().st_mtime, e.path) for e in os.scandir(folder) if e.is_file()]
    except OSError:
        return
    for _, path in sorted(entries)[: len(entries) // 2] if len(entries) > STORE_LIMIT else []:
        try:
            Path(path).unlink(missing_ok=True)
        except OSError:
            return


def _store_path(key: str) -> Path:
    from ..fs import sha256_text

    return _store_folder() / f"{sha256_text(key)}.json"


def _stored(key: str) -> Picture | None:
    """The picture an earlier process drew for ``key``, or None (an unreadable entry is a
    miss: the chart is drawn again)."""
    import base64
    import json

    try:
        entry = json.loads(_store_path(key).read_text(encoding="utf-8"))
        return Picture(base64.b64decode(entry["png"]), alt=entry["alt"], width_mm=entry["width"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(key: str, picture: Picture) -> None:
    """Keep ``picture`` for later processes (atomically; a cache that cannot be written is
    only skipped)."""
    import base64
    import json

    from ..fs import atomic_write_text

    assert isinstance(picture.source, bytes)
    entry = {"png": base64.b64encode(picture.source).decode("ascii"), "alt": picture.alt,
             "width": picture.width_mm}  # fmt: skip
    try:
        atomic_write_text(_store_path(key), json.dumps(entry))
    except OSError:
        return


# -- axes ---------------------------------------------------------------------------------------


class MoneyFormatter(Formatter):  # type: ignore[misc]
    """Ticks of a money axis: the currency and the amount with thousands separators
    (``EUR 250,000``), in millions when the axis reaches a million (``EUR 1.5 M``); never an
    offset or a power of ten."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.ticks: list[float] = []

    def set_locs(self, locs: Sequence[float]) -> None:
        self.ticks = list(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        if x == 0:
            return "0"
        step = _tick_step(self.ticks)
        if _axis_top(self.axis, x) >= 1_000_000:
            decimals = _decimals(step / 1_000_000) if step else 1
            return f"{self.currency} {x / 1_000_000:,.{max(1, decimals)}f} M"
        return f"{self.currency} {x:,.{_decimals(step)}f}"

    def get_offset(self) -> str:
        return ""


def money_axis(axis: Axis, currency: str) -> None:
    """Make ``axis`` a money axis in ``currency``: a few round ticks, printed by
    :class:`MoneyFormatter`."""
    axis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(MoneyFormatter(currency))


def count_axis(axis: Axis) -> None:
    """Make ``axis`` a count axis: whole-number ticks only."""
    axis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=2))


def _axis_top(axis: Any, x: float) -> float:
    if axis is None:
        return abs(x)
    low, high = axis.get_view_interval()
    return max(abs(low), abs(high))


def _tick_step(locs: Sequence[float]) -> float:
    steps = [b - a for a, b in zip(locs, locs[1:], strict=False) if b != a]
    return abs(min(steps)) if steps else 0.0


def _decimals(step: float) -> int:
    """Decimals enough to print ticks ``step`` apart exactly (at most 3)."""
    for decimals in range(3):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-6:
            return decimals
    return 3


def wrap(text: str, width: int = LABEL_WRAP) -> str:
    """``text`` wrapped to lines of at most ``width`` characters (a long word is broken, never
    cut)."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def day_text(day: date) -> str:
    """A day as charts print it: ``31 Oct 2026`` (the tables' style, :func:`.common.short_date`,
    with plain spaces)."""
    return short_date(day).replace("\u00a0", " ")


def month_text(day: date) -> str:
    """A month as charts print it: ``Oct 2026`` (the month names of the documents' language)."""
    return f"{date_style().abbreviations[day.month - 1]} {day.year}"


def legend_below(fig: Figure, handles: Sequence[Any], labels: Sequence[str], ncols: int) -> None:
    """The figure's legend in one row (or more) under the chart."""
    fig.legend(handles, labels, loc="outside lower center", ncols=max(1, ncols))


# -- bar chart ----------------------------------------------------------------------------------

_ROW_IN = 0.26
"""Height of a bar's row with a one-line label, in inches."""
_LINE_IN = 0.14
"""Height added for each further line of a wrapped label."""
_BAR_IN = 0.17
"""Thickness of a bar."""


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
    legend: Mapping[str, str] | None = None,
) -> Chart | Picture | str:
    """Horizontal bars, largest first; '' when there is nothing to show. Each bar is labelled
    with its value printed as the documents print it (money exactly, in ``currency``). Labels
    are wrapped and the chart grows to hold them. ``legend`` maps a name to the colour it
    stands for; when the bars are activity statuses in their status colours the status legend
    is drawn without asking."""
    if not labels:
        return ""
    pairs = sorted(
        zip(labels, values, colours or [PALETTE[0]] * len(labels), strict=True),
        key=lambda p: (-p[1], p[0]),
    )
    amounts = [p[1] for p in pairs]
    printed = money_column(amounts, currency) if currency else [number_text(v) for v in amounts]
    names = [wrap(p[0]) for p in pairs]
    heights = [_ROW_IN + _LINE_IN * n.count("\n") for n in names]
    centres = [sum(heights[:i]) + h / 2 for i, h in enumerate(heights)]
    if legend is None and colours and _are_statuses(pairs):
        legend = STATUS_COLOURS
    extra = 0.65 + (0.3 if legend else 0) + (0.2 if unit and not currency else 0)
    fig, ax = plt.subplots(figsize=(width_mm / 25.4, sum(heights) + extra), layout="constrained")
    nums = [float(v) for v in amounts]  # bar lengths only: labels print the exact value
    ax.barh(centres, nums, height=_BAR_IN, color=[p[2] for p in pairs])
    ax.set_yticks(centres, names)
    ax.set_ylim(sum(heights), 0)
    ax.tick_params(axis="y", length=0)
    texts = [
        ax.text(n, y, f" {text}", va="center", fontsize=7.5)
        for n, y, text in zip(nums, centres, printed, strict=True)
    ]
    if currency:
        money_axis(ax.xaxis, currency)
    else:
        ax.set_xlabel(unit)
        if all(v == v.to_integral_value() for v in amounts):
            count_axis(ax.xaxis)  # counts: whole ticks only
    ax.set_xlim(0, max(max(nums), 1e-9) * 1.02 if any(nums) else 1)
    ax.grid(axis="x")
    if legend:
        handles = [Patch(color=c) for c in legend.values()]
        legend_below(fig, handles, list(legend), len(legend))
    _room_for(fig, ax, texts)
    alt = (
        f"Bar chart of {what}: "
        + "; ".join(f"{p[0]} {text}" for p, text in zip(pairs, printed, strict=True))
        + "."
    )
    return Chart(fig, alt=alt, width_mm=width_mm)


def _are_statuses(pairs: Sequence[tuple[str, Decimal, str]]) -> bool:
    return all(STATUS_COLOURS.get(label) == colour for label, _v, colour in pairs)


def _room_for(fig: Figure, ax: Axes, texts: Sequence[Any]) -> None:
    """Widen the x axis until every value label printed after its bar is inside the axes."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for _ in range(4):
        fig.draw_without_rendering()  # the layout (constrained) without rasterising a pixel
        box = ax.get_window_extent(renderer)
        right = max(t.get_window_extent(renderer).x1 for t in texts)
        if right <= box.x1:
            return
        low, high = ax.get_xlim()
        ax.set_xlim(low, low + (high - low) * (right - box.x0) / box.width * 1.02)


# -- figures ------------------------------------------------------------------------------------


def close(chart: object) -> None:
    """Free a chart's figure once rendered."""
    if isinstance(chart, Chart):
        plt.close(chart.figure)
