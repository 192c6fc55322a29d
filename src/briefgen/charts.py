"""Charts drawn from a brief's data, in the house look.

Two renderings of one drawing: an inline SVG for HTML and PDF (text kept as
text, so it stays selectable and searchable) and a PNG raster for Word,
rasterised from that SVG.  Both are kept in the on-disk chart cache
(:mod:`briefgen.chart_cache`) once a build has configured one.

matplotlib is imported only when a chart is drawn, so importing this module
stays cheap.  Every drawing uses its own ``Figure`` (never pyplot) and the
house settings are applied inside a lock, because matplotlib's settings are
process-wide.  Output is deterministic: the same chart gives the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence
from xml.sax.saxutils import escape, quoteattr

from . import chart_cache
from .model import Chart, ChartKind

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["chart_svg", "chart_png", "PALETTE"]

PALETTE = ("#1B365D", "#2E7D7A", "#D19A2B", "#7A8A99", "#B5533C", "#6B4C7A")
TEXT_COLOR = "#1A1A1A"
MUTED_COLOR = "#3D4A57"
RULE_COLOR = "#9AA8B6"
GRID_COLOR = "#DCE2E9"
FONT_FAMILY = ["Noto Sans", "Noto Sans CJK SC"]

#: The text width the chart is designed for (160 mm), and its aspect.
TEXT_WIDTH_IN = 160 / 25.4
ASPECT = 9 / 16

FONT_PT = 9.0
TITLE_PT = 10.0
LINE_HEIGHT = 1.25
#: Space kept inside the image: above and below, and at the sides (small,
#: so that the chart lines up with the text column it sits in).
PAD_PT = 4.0
SIDE_PAD_PT = 1.0
#: Horizontal bar rows: least pitch for one series, more per extra series,
#: and the gap between wrapped labels of neighbouring rows.
ROW_PT = 20.0
ROW_PT_PER_SERIES = 9.0
ROW_GAP_PT = 7.0
#: Thickest bar, so that a chart with few categories keeps slim bars.
MAX_BAR_PT = 34.0
#: A horizontal bar chart with few categories may be this much lower than 16:9.
MIN_BAR_HEIGHT = 0.72
#: Space below the title and below the legend.
HEADER_GAP_IN = 0.09
#: Header height a 16:9 column or line chart absorbs; a taller header adds height.
HEADER_ALLOWANCE_IN = 0.45
#: Lines with more points than this are drawn without markers.
MAX_MARKED_POINTS = 24
#: A pie's plot is this share of the chart's width high.
PIE_SHARE = 0.5

#: Room taken beside or below the plot by the value axis (an estimate used
#: to size the category slots before matplotlib lays the chart out).
VALUE_AXIS_IN = 0.75
TICK_PAD_PT = 16.0

#: Most lines a category label may wrap into before it is rotated instead.
MAX_LABEL_LINES = 3
#: Widest a horizontal bar's label may be, as a share of the chart's width,
#: and widest a line of a rotated column label may be, in inches.
BAR_LABEL_SHARE = 0.34
ROTATED_LABEL_IN = 2.0
#: Least space between two neighbouring category labels.
LABEL_GAP_PT = 7.0
#: Value axes end on a tick within this share of a tick step of the data,
#: and otherwise this share of the data range beyond it.
SNAP = 0.35
MARGIN = 0.05

_lock = threading.RLock()


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


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def chart_svg(chart: Chart, description: str | None = None) -> str:
    """The chart as an inline ``<svg>`` element (no XML declaration/doctype), for HTML and PDF.

    ``description`` is its alt text in the brief's language (``chart.describe(labels)``)."""
    return _svg(_Drawing.of(chart), description or chart.describe())


def chart_png(chart: Chart, *, width_in: float, dpi: int = 220, description: str | None = None) -> bytes:
    """The chart as a sharp PNG raster for Word, ``width_in`` inches wide."""
    if width_in <= 0 or dpi <= 0:
        raise ValueError("width_in and dpi must be positive")
    return _png(_Drawing.of(chart), description or chart.describe(), max(1, round(width_in * dpi)), int(dpi))


# --------------------------------------------------------------------------
# Cached renderings
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=128)
def _svg(drawing: _Drawing, description: str) -> str:
    """The SVG from the chart cache (see :mod:`briefgen.chart_cache`), else drawn."""
    cache = chart_cache.current()
    key = chart_cache.key("svg", drawing, description, TEXT_WIDTH_IN)
    if cache is not None and (kept := cache.load(key, ".svg")) is not None:
        return kept.decode("utf-8")
    with _lock, _house_style(drawing.salt):
        figure = _draw(drawing, TEXT_WIDTH_IN)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = _clean_svg(buffer.getvalue(), drawing.salt, description)
    if cache is not None:
        cache.store(key, ".svg", svg.encode("utf-8"))
    return svg


@functools.lru_cache(maxsize=128)
def _png(drawing: _Drawing, description: str, pixels: int, dpi: int) -> bytes:
    """The SVG rasterised ``pixels`` wide: the very drawing the PDF and
    HTML show, without drawing it a second time with matplotlib."""
    cache = chart_cache.current()
    key = chart_cache.key("png", drawing, description, TEXT_WIDTH_IN, pixels, dpi)
    if cache is not None and (kept := cache.load(key, ".png")) is not None:
        return kept
    from PIL import Image

    from .images import svg_to_png

    svg = _raster_fonts(_svg(drawing, description))
    raster = svg_to_png(svg.encode("utf-8"), "chart", width_px=pixels, background="white")
    with Image.open(io.BytesIO(raster)) as image:
        # Opaque RGB: Word then embeds no transparency mask, and the file is smaller.
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, format="PNG", dpi=(dpi, dpi))
    png = buffer.getvalue()
    if cache is not None:
        cache.store(key, ".png", png)
    return png


_TEXT = re.compile(r"<text\b[^>]*>.*?</text>", re.S)
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _raster_fonts(svg: str) -> str:
    """Name the CJK font first in text that needs it.

    cairosvg draws a text with the first family of its list only, where
    matplotlib and browsers fall back glyph by glyph; the CJK font has
    Latin letters too.
    """
    first = f"'{FONT_FAMILY[0]}', "

    def fix(match: re.Match[str]) -> str:
        text = match.group(0)
        return text.replace(first, "", 1) if _CJK.search(text) else text

    return _TEXT.sub(fix, svg)


# --------------------------------------------------------------------------
# House style
# --------------------------------------------------------------------------


def _house_style(salt: str) -> "AbstractContextManager[None]":
    """matplotlib settings for one drawing; ``salt`` seeds the SVG's ids."""
    import matplotlib

    return matplotlib.rc_context(
        {
            "font.family": FONT_FAMILY,
            "font.size": FONT_PT,
            "text.color": TEXT_COLOR,
            "text.parse_math": False,
            "axes.edgecolor": RULE_COLOR,
            "axes.linewidth": 0.8,
            "axes.labelcolor": TEXT_COLOR,
            "axes.labelsize": FONT_PT,
            "axes.titlesize": TITLE_PT,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.axisbelow": True,
            "axes.unicode_minus": True,
            "xtick.color": MUTED_COLOR,
            "ytick.color": MUTED_COLOR,
            "xtick.labelcolor": TEXT_COLOR,
            "ytick.labelcolor": TEXT_COLOR,
            "xtick.labelsize": FONT_PT,
            "ytick.labelsize": FONT_PT,
            "grid.color": GRID_COLOR,
            "grid.linewidth": 0.6,
            "legend.fontsize": FONT_PT,
            "legend.frameon": False,
            "svg.fonttype": "none",
            "svg.hashsalt": salt,
            "svg.id": None,
            "path.simplify": True,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
        }
    )


def _color(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------


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


def _line_style(index: int, markers: bool = True) -> dict:
    """One series' line; the palette's second round is dashed."""
    return dict(
        color=_color(index), linewidth=2.0,
        linestyle="-" if index < len(PALETTE) else (0, (4, 2)),
        marker="o" if markers else "", markersize=4.5,
        markeredgecolor="white", markeredgewidth=0.8,
        solid_capstyle="round", solid_joinstyle="round",
    )


def _bar_style(index: int) -> dict:
    """One series' bars; the palette's second round is hatched."""
    style = dict(color=_color(index), linewidth=0)
    if index >= len(PALETTE):
        style.update(hatch="////", edgecolor="white")
    return style


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


# --------------------------------------------------------------------------
# Category axis
# --------------------------------------------------------------------------


def _label_categories(axes: "Axes", drawing: _Drawing, slot_pt: float, measure) -> float:
    """Label the categories of a column or line chart so that no two overlap.

    Labels are wrapped to fit between their neighbours; when they cannot be
    (too many or too long), they are rotated, and when even rotated lines
    are too close, only every n-th is shown.  Returns the height in inches
    the labels need beyond one line, to be added to the chart.
    """
    count = len(drawing.categories)
    line_pt = FONT_PT * LINE_HEIGHT
    axes.tick_params(axis="x", length=0, pad=5)
    room = slot_pt - LABEL_GAP_PT
    if drawing.kind == "line":
        # A time axis reads best with every n-th label, kept upright.
        widest = max(measure(c, FONT_PT) for c in drawing.categories)
        for step in range(1, max(2, count // 3)):
            if widest <= step * slot_pt - LABEL_GAP_PT:
                shown = list(range(0, count, step))
                axes.set_xticks(shown, [drawing.categories[i] for i in shown])
                return 0.0
    wrapped = [_wrap(c, room, measure) for c in drawing.categories]
    words_fit = all(measure(word.strip(), FONT_PT) <= room for c in drawing.categories for word in _tokens(c))
    if words_fit and all(len(lines) <= MAX_LABEL_LINES for lines in wrapped):
        axes.set_xticks(range(count), ["\n".join(lines) for lines in wrapped], linespacing=LINE_HEIGHT * 0.9)
        return (max(len(lines) for lines in wrapped) - 1) * line_pt / 72

    # Rotated: 45 degrees when a line fits between neighbours measured across
    # the slant, else upright; lines beyond what fits are cut with an ellipsis.
    angle = 45 if slot_pt * math.sin(math.radians(45)) >= line_pt + 1 else 90
    across = slot_pt * math.sin(math.radians(angle))
    step = max(1, math.ceil((line_pt + 1) / across))
    max_lines = max(1, min(2, int((across * step - 1) // line_pt)))
    shown = list(range(0, count, step))
    rotated = {i: _wrap(drawing.categories[i], ROTATED_LABEL_IN * 72, measure, max_lines=max_lines) for i in shown}
    axes.set_xticks(
        shown,
        ["\n".join(rotated[i]) for i in shown],
        rotation=angle,
        ha="right",
        va="top" if angle == 45 else "center",
        rotation_mode="anchor",
        linespacing=LINE_HEIGHT * 0.9,
    )
    longest = max(measure(line, FONT_PT) for lines in rotated.values() for line in lines)
    lines = max(len(lines) for lines in rotated.values())
    extent_pt = longest * math.sin(math.radians(angle)) + lines * line_pt * math.cos(math.radians(angle))
    return max(0.0, extent_pt - line_pt) / 72


def _wrap(text: str, room_pt: float, measure, size: float = FONT_PT, max_lines: int | None = None) -> list[str]:
    """Break ``text`` into lines no wider than ``room_pt``.

    Breaks at spaces and after hyphens and slashes; CJK text may break
    between any two characters; a word too long for a line is split.
    """
    lines: list[str] = []
    current = ""
    for token in _tokens(text.strip()):
        candidate = current + token if current else token.lstrip()
        if not current or measure(candidate, size) <= room_pt:
            current = candidate
        else:
            lines.append(current.rstrip())
            current = token.lstrip()
        while measure(current, size) > room_pt and len(current) > 1:
            cut = _longest_prefix(current, room_pt, measure, size)
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current.rstrip())
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [_ellipsize(" ".join(lines[max_lines - 1:]), room_pt, measure, size)]
    return lines


def _longest_prefix(text: str, room_pt: float, measure, size: float) -> int:
    cut = 1
    while cut < len(text) and measure(text[: cut + 1], size) <= room_pt:
        cut += 1
    return cut


def _ellipsize(text: str, room_pt: float, measure, size: float) -> str:
    if measure(text, size) <= room_pt:
        return text
    while len(text) > 1 and measure(text + "…", size) > room_pt:
        text = text[:-1]
    return text.rstrip() + "…"


_TOKEN = re.compile(r"\s*(?:[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef/-]*[/-]?)")


def _tokens(text: str) -> Iterator[str]:
    for match in _TOKEN.finditer(text):
        if match.group():
            yield match.group()


def _measurer(figure: "Figure") -> Callable[..., float]:
    """A function giving the width in points of a line of text in the house font."""
    from matplotlib.font_manager import FontProperties

    renderer = figure.canvas.get_renderer()
    scale = 72.0 / figure.dpi

    @functools.lru_cache(maxsize=None)
    def measure(text: str, size: float = FONT_PT, bold: bool = False) -> float:
        if not text:
            return 0.0
        props = FontProperties(family=FONT_FAMILY, size=size, weight="bold" if bold else "normal")
        width, _, _ = renderer.get_text_width_height_descent(text, props, ismath=False)
        return width * scale

    return measure


# --------------------------------------------------------------------------
# Value axis
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# SVG clean-up
# --------------------------------------------------------------------------

_ID = re.compile(r'\sid="([^"]+)"')
_REF = re.compile(r'(url\(#|xlink:href="#|href="#)([^")]+)')
_EMPTY_GROUP = re.compile(r"\s*(?:<g/>|<g>\s*</g>)")


def _drop_empty_groups(svg: str) -> str:
    """Remove the groups matplotlib leaves empty once their ids are gone."""
    while True:
        svg, dropped = _EMPTY_GROUP.subn("", svg)
        if not dropped:
            return svg


def _clean_svg(document: str, salt: str, description: str) -> str:
    """Make matplotlib's SVG fit to sit inline in HTML next to other charts.

    Drops the XML prologue, metadata and the page-wide ``*`` style rule;
    keeps only ids that something refers to, renamed with a per-chart
    prefix; makes the drawing scale to its container; adds accessible text.
    """
    svg = document[document.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\s*<style type="text/css">[^<]*</style>', "", svg)
    svg = re.sub(r"\s*<defs>\s*</defs>", "", svg)

    referenced = {m.group(2) for m in _REF.finditer(svg)}
    renamed: dict[str, str] = {}
    for match in _ID.finditer(svg):
        name = match.group(1)
        if name in referenced and name not in renamed:
            renamed[name] = f"chart-{salt}-{len(renamed) + 1}"

    def replace_id(match: re.Match[str]) -> str:
        name = match.group(1)
        return f' id="{renamed[name]}"' if name in renamed else ""

    svg = _ID.sub(replace_id, svg)
    svg = _drop_empty_groups(svg)
    svg = _REF.sub(lambda m: m.group(1) + renamed.get(m.group(2), m.group(2)), svg)
    # Where the house fonts are missing (an HTML page on a reader's machine),
    # fall back to a sans-serif rather than the browser's default serif.
    svg = re.sub(r"(font-family: [^;\"]*'Noto Sans CJK SC')", r"\1, sans-serif", svg)

    head_end = svg.index(">")
    head = svg[:head_end]
    view_box = re.search(r'viewBox="([^"]+)"', head)
    assert view_box is not None
    attributes = (
        'xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{view_box.group(1)}" width="100%" '
        'preserveAspectRatio="xMidYMid meet" '
        'class="chart" role="img" '
        f"aria-label={quoteattr(description)} "
        'stroke-linejoin="round" stroke-linecap="butt" version="1.1"'
    )
    title = f"\n <title>{escape(description)}</title>"
    return f"<svg {attributes}>{title}{svg[head_end + 1:]}".rstrip() + "\n"
