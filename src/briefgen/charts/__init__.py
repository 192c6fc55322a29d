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
import io
import re
import threading

from .. import chart_cache
from ..model import Chart
from .drawing import _draw, _Drawing
from .style import FONT_FAMILY, PALETTE, TEXT_WIDTH_IN, _house_style
from .svg import _clean_svg

__all__ = ["chart_svg", "chart_png", "PALETTE", "TEXT_WIDTH_IN"]


_lock = threading.RLock()


def chart_svg(chart: Chart, description: str | None = None) -> str:
    """The chart as an inline ``<svg>`` element (no XML declaration/doctype), for HTML and PDF.

    ``description`` is its alt text in the brief's language (``chart.describe(labels)``)."""
    return _svg(_Drawing.of(chart), description or chart.describe())


def chart_png(chart: Chart, *, width_in: float, dpi: int = 220, description: str | None = None) -> bytes:
    """The chart as a sharp PNG raster for Word, ``width_in`` inches wide."""
    if width_in <= 0 or dpi <= 0:
        raise ValueError("width_in and dpi must be positive")
    return _png(_Drawing.of(chart), description or chart.describe(), max(1, round(width_in * dpi)), int(dpi))


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

    from ..images import svg_to_png

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
