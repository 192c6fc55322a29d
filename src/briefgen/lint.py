"""Lint: things that are valid but probably not what the author wants.

Lint runs on the model (after the reader accepted the brief) and returns
warnings; ``--strict`` turns them into errors.
"""

from __future__ import annotations

from typing import Iterator

from . import model as m
from .errors import Diagnostic
from .labels import has_catalog, primary_subtag

LONG_HEADING = 120  # characters
MIN_DPI = 150
TEXT_WIDTH_MM = 162  # the default theme's text width on A4 (210 mm less 2 x 24 mm)
VAGUE_ALT = {"image", "picture", "photo", "figure", "chart", "graph", "img", "alt", "todo", "placeholder"}


def lint(brief: m.Brief) -> list[Diagnostic]:
    """Every warning for ``brief``, in file order."""
    found = [*brief.warnings, *_warnings(brief)]
    return sorted(found, key=lambda d: (d.line, d.column))


def _warnings(brief: m.Brief) -> Iterator[Diagnostic]:
    def warn(pos: m.Pos, path: str, message: str) -> Diagnostic:
        return Diagnostic(brief.path, pos.line, pos.column, "warning", message, path)

    for section, path in _sections_with_paths(brief.sections, "sections"):
        if not section.body and not section.sections:
            yield warn(section.pos, path, f"section '{section.title}' is empty (no body and no subsections)")
        if len(section.title) > LONG_HEADING:
            yield warn(section.pos, path + ".title", f"heading is {len(section.title)} characters long; keep headings under {LONG_HEADING}")
    todos = 0
    for block, path in _blocks_with_paths(brief):
        if isinstance(block, m.Todo):
            todos += 1
            yield warn(block.pos, path, f"editor's placeholder left in the brief: {block.text}")
        elif isinstance(block, m.Chart) and not block.alt:
            yield warn(block.pos, path, "chart has no 'alt' text; screen-reader users get one generated from the data: " + repr(block.describe()))
        elif isinstance(block, m.Figure):
            yield from _figure_warnings(block, path, warn)
    if brief.status == "final" and todos:
        yield warn(brief.pos, "status", f"the brief is marked final but still holds {todos} 'todo' placeholder(s)")
    if brief.bibliography is not None:
        for line, message in brief.bibliography.warnings:
            yield Diagnostic(brief.bibliography.path, line, 1, "warning", message)
    if not has_catalog(brief.lang):
        yield warn(brief.pos, "lang", f"no label catalog for the language '{brief.lang}'; the generated words (Summary, Contents, ...) are in English (add templates/labels/{primary_subtag(brief.lang)}.toml)")
    for note in brief.footnotes:
        if note.number == 0:
            yield warn(note.pos, f"footnotes.{note.id}", f"footnote '{note.id}' is never referenced; add [^{note.id}] to the text or remove it")


def _figure_warnings(figure: m.Figure, path: str, warn) -> Iterator[Diagnostic]:
    alt = figure.alt.strip().lower().rstrip(".")
    if alt in VAGUE_ALT or alt == figure.path.name.lower() or alt == figure.path.stem.lower():
        yield warn(figure.pos, path + ".alt", f"alt text '{figure.alt}' does not describe the image; say what it shows")
    if figure.path.suffix.lower() == ".svg":
        return  # vector: sharp at any size
    pixels = _pixel_width(figure.path)
    if pixels is None:
        return
    printed_in = TEXT_WIDTH_MM / 25.4 * (figure.width or 100) / 100
    dpi = pixels / printed_in
    if dpi < MIN_DPI:
        yield warn(
            figure.pos,
            path + ".src",
            f"'{figure.src}' is {pixels} pixels wide: {dpi:.0f} dpi at its printed width of "
            f"{printed_in * 25.4:.0f} mm, below {MIN_DPI} dpi; it will print blurred "
            f"(use an image at least {round(MIN_DPI * printed_in)} pixels wide, or a smaller 'width')",
        )


def _pixel_width(path) -> int | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            return image.width
    except (OSError, UnidentifiedImageError):
        return None


def _blocks_with_paths(brief: m.Brief) -> Iterator[tuple[m.Block, str]]:
    for section, path in _sections_with_paths(brief.sections, "sections"):
        yield from _walk_blocks(section.body, path + ".body")
    yield from _walk_blocks(brief.conclusion, "conclusion")


def _walk_blocks(blocks: tuple[m.Block, ...], path: str) -> Iterator[tuple[m.Block, str]]:
    for index, block in enumerate(blocks):
        kind = _KIND_NAMES.get(type(block), "")
        here = f"{path}[{index}]" + (f".{kind}" if kind else "")
        yield block, here
        if isinstance(block, m.Callout):
            yield from _walk_blocks(block.body, here + ".body")


_KIND_NAMES = {m.Figure: "figure", m.Chart: "chart", m.Callout: "callout", m.Table: "table", m.Todo: "todo"}


def _sections_with_paths(sections: tuple[m.Section, ...], path: str) -> Iterator[tuple[m.Section, str]]:
    for index, section in enumerate(sections):
        here = f"{path}[{index}]"
        yield section, here
        yield from _sections_with_paths(section.sections, here + ".sections")
