"""The house look of charts: palette, sizes and matplotlib's settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

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
