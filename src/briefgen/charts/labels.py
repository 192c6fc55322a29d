"""Category labels that never overlap, and text measured in the house font."""

from __future__ import annotations

import functools
import math
import re
from typing import TYPE_CHECKING, Callable, Iterator

from .style import FONT_FAMILY, FONT_PT, LABEL_GAP_PT, LINE_HEIGHT, MAX_LABEL_LINES, ROTATED_LABEL_IN

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .drawing import _Drawing


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
