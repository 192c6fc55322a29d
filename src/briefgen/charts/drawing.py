"""A chart laid out as a matplotlib figure: header, plot and legend."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from ..model import Chart, ChartKind
from .axis import _format_value_axis
from .labels import _label_categories, _measurer, _wrap
from .style import (
    ASPECT, BAR_LABEL_SHARE, FONT_PT, HEADER_ALLOWANCE_IN, HEADER_GAP_IN, LINE_HEIGHT, MAX_BAR_PT,
    MAX_MARKED_POINTS, MIN_BAR_HEIGHT, PAD_PT, PALETTE, PIE_SHARE, ROW_GAP_PT, ROW_PT, ROW_PT_PER_SERIES,
    SIDE_PAD_PT, TICK_PAD_PT, TITLE_PT, VALUE_AXIS_IN, _bar_style, _color, _line_style,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


@dataclass(frozen=True, slots=True)
class _Drawing:
    """What a chart looks like: the parts of :class:`Chart` drawn in the image.

    Caption, source and the YAML position are left out, so the same data in
    two places of a brief is drawn once.
    """

    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    title: str | None
    unit: str | None

    @classmethod
    def of(cls, chart: Chart) -> "_Drawing":
        if not chart.categories or not chart.series:
            raise ValueError("a chart needs at least one category and one series")
        for series in chart.series:
            if len(series.values) != len(chart.categories):
                raise ValueError(
                    f"series {series.name!r} has {len(series.values)} values"
                    f" for {len(chart.categories)} categories"
                )
        return cls(
            kind=chart.kind,
            categories=tuple(chart.categories),
            series=tuple((s.name, tuple(float(v) for v in s.values)) for s in chart.series),
            title=chart.title or None,
            unit=chart.unit or None,
        )

    @property
    def horizontal(self) -> bool:
        """Bars along the horizontal axis, categories down the side."""
        return self.kind in ("bar", "stacked_bar")

    @property
    def stacked(self) -> bool:
        return self.kind in ("stacked_bar", "stacked_column")

    @property
    def salt(self) -> str:
        """A short digest of the data, to keep ids apart between charts."""
        return hashlib.sha256(repr(self).encode("utf-8")).hexdigest()[:10]


def _draw(drawing: _Drawing, width_in: float, dpi: float = 72.0) -> "Figure":
    """Lay the chart out for a width of ``width_in`` inches.

    The plot area is laid out by matplotlib's constrained layout inside the
    box left below a header; the title and legend are placed in that header
    by hand, so that they can never cover the data or each other.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    base_height = width_in * ASPECT
    figure = Figure(figsize=(width_in, base_height), dpi=dpi, layout="constrained")
    FigureCanvasAgg(figure)
    measure = _measurer(figure)
    axes = figure.add_subplot()
    pad_in = PAD_PT / 72
    count = len(drawing.categories)

    header_in, place_header = _header(figure, drawing, width_in, measure)

    if drawing.kind == "pie":
        height = max(base_height, header_in + width_in * PIE_SHARE)
        _plot_pie(axes, drawing)
    elif drawing.horizontal:
        # Horizontal bars: the chart grows downwards with its categories.
        room = width_in * BAR_LABEL_SHARE * 72
        labels = ["\n".join(_wrap(c, room, measure)) for c in drawing.categories]
        most_lines = max(label.count("\n") + 1 for label in labels)
        side_by_side = 1 if drawing.stacked else len(drawing.series)
        pitch_pt = max(ROW_PT + ROW_PT_PER_SERIES * (side_by_side - 1), most_lines * FONT_PT * LINE_HEIGHT + ROW_GAP_PT)
        axis_in = (FONT_PT * LINE_HEIGHT * (2 if drawing.unit else 1) + TICK_PAD_PT) / 72 + 2 * pad_in
        height = max(base_height * MIN_BAR_HEIGHT, header_in + axis_in + count * pitch_pt / 72)
        slot_pt = (height - header_in - axis_in) * 72 / count
        _plot_bars(axes, drawing, slot_pt)
        axes.set_yticks(range(count), labels, linespacing=LINE_HEIGHT * 0.9)
        axes.tick_params(axis="y", length=0, pad=5)
    else:
        slot_pt = (width_in - VALUE_AXIS_IN) * 72 / count
        _PLOTTERS[drawing.kind](axes, drawing, slot_pt)
        height = base_height + _label_categories(axes, drawing, slot_pt, measure)
        height += max(0.0, header_in - HEADER_ALLOWANCE_IN)
    if drawing.kind != "pie":
        _format_value_axis(axes, drawing)

    figure.set_size_inches(width_in, height)
    figure.get_layout_engine().set(
        w_pad=SIDE_PAD_PT / 72, h_pad=pad_in, wspace=0, hspace=0,
        rect=(0, 0, 1, 1 - header_in / height),
    )
    place_header(height)
    return figure


def _header(figure: "Figure", drawing: _Drawing, width_in: float, measure):
    """Add the title and legend above the plot.

    Returns the header's height in inches, measured, and a function that
    moves title and legend into place once the figure's height is known.
    """
    from matplotlib.legend import Legend
    from matplotlib.transforms import Bbox

    pad_in = PAD_PT / 72
    renderer = figure.canvas.get_renderer()
    parts = []
    if drawing.title:
        bold = functools.partial(measure, bold=True)
        lines = _wrap(drawing.title, width_in * 72 - 2 * SIDE_PAD_PT, bold, TITLE_PT)
        parts.append(figure.text(
            0, 0, "\n".join(lines), ha="left", va="top", fontsize=TITLE_PT,
            fontweight="bold", color=PALETTE[0], linespacing=LINE_HEIGHT,
        ))
    names = list(drawing.categories) if drawing.kind == "pie" else [name for name, _ in drawing.series]
    if len(names) > 1:
        columns = _legend_columns(names, width_in, measure)
        handles = _legend_handles(drawing)
        parts.append(figure.legend(
            _row_major(handles, columns), _row_major(names, columns),
            loc="upper left", ncols=columns, handlelength=1.6, handleheight=0.7,
            handletextpad=0.5, columnspacing=1.4, borderaxespad=0, borderpad=0,
            labelspacing=0.45,
        ))
    heights = [part.get_window_extent(renderer).height / figure.dpi for part in parts]
    header_in = pad_in + sum(heights) + HEADER_GAP_IN * (len(parts) - 1) if parts else 0.0

    def place(height: float) -> None:
        top = 1 - pad_in / height
        left = SIDE_PAD_PT / 72 / width_in
        for part, part_in in zip(parts, heights):
            if isinstance(part, Legend):
                part.set_bbox_to_anchor(Bbox.from_bounds(left, top, 0, 0), transform=figure.transFigure)
            else:
                part.set_position((left, top))
            top -= (part_in + HEADER_GAP_IN) / height

    return header_in, place


def _legend_handles(drawing: _Drawing) -> list:
    """Legend keys drawn like the series they stand for."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if drawing.kind == "line":
        return [Line2D([], [], **_line_style(i)) for i in range(len(drawing.series))]
    handles = []
    keys = len(drawing.categories) if drawing.kind == "pie" else len(drawing.series)
    for index in range(keys):
        style = _bar_style(index)
        handles.append(Patch(facecolor=style.pop("color"), **style))
    return handles


def _plot_bars(axes: "Axes", drawing: _Drawing, slot_pt: float) -> None:
    """Bars side by side within each category, no thicker than ``MAX_BAR_PT``;
    stacked, the series sit on each other (negative values below zero)."""
    count = 1 if drawing.stacked else len(drawing.series)
    group = min(0.8 if count > 1 else 0.62, MAX_BAR_PT * count / slot_pt)
    thickness = group / count
    positions = range(len(drawing.categories))
    horizontal = drawing.horizontal
    above = [0.0] * len(drawing.categories)
    below = [0.0] * len(drawing.categories)
    for index, (name, values) in enumerate(drawing.series):
        offset = 0.0 if drawing.stacked else -group / 2 + thickness * (index + 0.5)
        where = [p + offset for p in positions]
        style = _bar_style(index)
        base = None
        if drawing.stacked:
            base = [above[i] if v >= 0 else below[i] for i, v in enumerate(values)]
            for i, v in enumerate(values):
                if v >= 0:
                    above[i] += v
                else:
                    below[i] += v
            style.update(edgecolor="white", linewidth=0.6)
        if horizontal:
            axes.barh(where, values, height=thickness * 0.9, left=base, **style)
        else:
            axes.bar(where, values, width=thickness * 0.9, bottom=base, **style)
    span = (-0.5, len(drawing.categories) - 0.5)
    if horizontal:
        axes.set_ylim(span[1], span[0])  # first category at the top
    else:
        axes.set_xlim(*span)


def _plot_pie(axes: "Axes", drawing: _Drawing) -> None:
    """One series as slices, clockwise from the top, each labelled with its share."""
    _, values = drawing.series[0]
    total = sum(v for v in values if v > 0) or 1.0
    colors = [_color(i) for i in range(len(values))]
    axes.pie(
        [max(v, 0.0) for v in values], colors=colors, startangle=90, counterclock=False,
        wedgeprops=dict(edgecolor="white", linewidth=1.0),
        autopct=lambda share: f"{share:.0f}%" if share * total / 100 >= total * 0.04 else "",
        pctdistance=0.72, textprops=dict(color="white", fontsize=FONT_PT, fontweight="bold"),
    )
    axes.set_aspect("equal")


def _plot_lines(axes: "Axes", drawing: _Drawing, slot_pt: float) -> None:
    count = len(drawing.categories)
    markers = count <= MAX_MARKED_POINTS
    for index, (name, values) in enumerate(drawing.series):
        axes.plot(range(count), values, label=name, clip_on=False, **_line_style(index, markers))
    pad = 0.5 if count == 1 else 0.25
    axes.set_xlim(-pad, count - 1 + pad)


_PLOTTERS: dict[str, Callable[["Axes", _Drawing, float], None]] = {
    "bar": _plot_bars,
    "column": _plot_bars,
    "stacked_bar": _plot_bars,
    "stacked_column": _plot_bars,
    "line": _plot_lines,
}


def _legend_columns(names: list[str], width_in: float, measure) -> int:
    """As many legend columns as fit in one line across the chart."""
    entry_widths = [measure(name, FONT_PT) + 3.6 * FONT_PT for name in names]
    room = width_in * 72 - 2 * SIDE_PAD_PT
    columns = len(names)
    while columns > 1 and _legend_width(entry_widths, columns) > room:
        columns -= 1
    return columns


def _legend_width(widths: Sequence[float], columns: int) -> float:
    return sum(max(widths[j::columns]) for j in range(columns))


def _row_major(items: Sequence, columns: int) -> list:
    """Reorder legend entries so that they read across rows, in series order.

    matplotlib fills a legend column by column; with the entries given in
    this order the columns come out holding series j, j + columns, ...
    """
    return [item for j in range(columns) for item in items[j::columns]]
