"""Figure images in a form Word can hold.

Word takes PNG, JPEG and GIF pictures; a brief may also use SVG and WebP,
which the PDF and the HTML show as they are.  For Word, SVG is rasterised
at print resolution and WebP converted to PNG.  Rasterising an SVG must
not read anything the SVG points at: cairosvg's safe mode (``unsafe=False``)
serves only ``data:`` URLs and forbids XML entities.
"""

from __future__ import annotations

import io
from pathlib import Path

from .native import import_quickly

WORD_READY = {".png", ".jpg", ".jpeg", ".gif"}


class ImageError(ValueError):
    """The image cannot be prepared; the message says which and why."""


def picture_for_word(path: Path, *, width_in: float, dpi: int = 220) -> bytes:
    """The image at ``path`` as bytes python-docx can embed."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix in WORD_READY:
        return data
    if suffix == ".svg":
        return svg_to_png(data, path.name, width_px=max(1, round(width_in * dpi)))
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.save(out, format="PNG")
            return out.getvalue()
    except (OSError, UnidentifiedImageError) as err:
        raise ImageError(f"{path.name}: cannot convert the image for Word ({err})") from None


def svg_to_png(data: bytes, name: str, *, width_px: int, background: str | None = None) -> bytes:
    """An SVG rasterised ``width_px`` wide, in safe mode; ``name`` is for messages."""
    try:
        cairosvg = import_quickly("cairosvg")
    except (ImportError, OSError) as err:  # OSError: the cairo library is missing
        raise ImageError(f"{name}: SVG figures in Word need cairosvg and the cairo library ({err})") from None
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise ImageError(f"{name}: SVG files with a DOCTYPE or entities are refused")
    try:
        return cairosvg.svg2png(
            bytestring=data, output_width=width_px, unsafe=False, background_color=background
        )
    except Exception as err:  # cairosvg raises many kinds for a broken file
        raise ImageError(f"{name}: cannot draw the SVG for Word ({err})") from None
