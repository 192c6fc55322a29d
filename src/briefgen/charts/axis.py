"""The value axis: ticks, limits and numbers."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Sequence

from .style import MARGIN, RULE_COLOR, SNAP

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from .drawing import _Drawing


def _format_value_axis(axes: "Axes", drawing: _Drawing) -> None:
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    values = [v for _, series in drawing.series for v in series if math.isfinite(v)] or [0.0]
    if drawing.stacked:  # the axis must hold the tallest stack, up and down
        columns = list(zip(*(series for _, series in drawing.series)))
        values = [sum(v for v in col if v > 0) for col in columns] + [sum(v for v in col if v < 0) for col in columns]
    low, high = min(values), max(values)
    if drawing.kind == "line":
        if low > 0 and low <= high * 0.5:
            low = 0.0
        elif high < 0 and high >= low * 0.5:
            high = 0.0
    else:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:  # a single value, or all values equal: measure from zero
        low, high = min(low, 0.0), max(high, 0.0)
        if low == high:
            high = 1.0

    ticks = list(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high))
    step = ticks[1] - ticks[0]
    while len(ticks) > 2 and ticks[1] <= low + step * 1e-9:
        ticks.pop(0)
    while len(ticks) > 2 and ticks[-2] >= high - step * 1e-9:
        ticks.pop()
    # End the axis on the outer tick when the data comes close to it;
    # otherwise a little beyond the data, so no band of the chart is empty.
    span = high - low
    lower = ticks[0] if low - ticks[0] <= SNAP * step else low - MARGIN * span
    upper = ticks[-1] if ticks[-1] - high <= SNAP * step else high + MARGIN * span
    if drawing.kind != "line":
        lower, upper = (0.0 if low == 0 else lower), (0.0 if high == 0 else upper)
    ticks = [t for t in ticks if lower - step * 1e-9 <= t <= upper + step * 1e-9]
    decimals = _decimals(ticks)
    formatter = FuncFormatter(lambda value, _pos: _format_number(value, decimals))
    value_axis = axes.xaxis if drawing.horizontal else axes.yaxis
    value_axis.set_major_locator(FixedLocator(ticks))
    value_axis.set_major_formatter(formatter)
    if drawing.horizontal:
        axes.set_xlim(lower, upper)
        axes.grid(axis="x")
        axes.spines["left"].set_visible(lower == 0)
        axes.tick_params(axis="x", length=0, pad=4)
        if drawing.unit:
            axes.set_xlabel(drawing.unit, labelpad=6)
    else:
        axes.set_ylim(lower, upper)
        axes.grid(axis="y")
        axes.spines["left"].set_visible(False)
        axes.spines["bottom"].set_visible(lower == 0 or drawing.kind == "line")
        axes.tick_params(axis="y", length=0, pad=4)
        if drawing.unit:
            axes.set_ylabel(drawing.unit, labelpad=6)
    if lower < 0 < upper or (drawing.kind != "line" and lower < 0):
        line = axes.axvline if drawing.horizontal else axes.axhline
        line(0, color=RULE_COLOR, linewidth=0.8, zorder=2.5)


def _decimals(ticks: Sequence[float]) -> int:
    """The fewest decimals that tell every tick apart exactly."""
    scale = max(abs(t) for t in ticks) or 1.0
    for decimals in range(0, 10):
        if all(abs(round(t, decimals) - t) <= scale * 1e-9 for t in ticks):
            return decimals
    return 9


def _format_number(value: float, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")
    return text.replace("-", "\u2212")
