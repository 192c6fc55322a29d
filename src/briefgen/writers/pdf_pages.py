"""Keep rules that would leave a page nearly empty, released after layout.

Short tables, callouts, quotes and editor's notes are kept in one piece
(``break-inside: avoid`` in print.css).  When such a block does not fit
in what is left of a page, WeasyPrint moves it whole to the next page; if
that leaves the page less than a quarter full, a typesetter lets the block
break instead.  This module finds such pages in a layout and names the
blocks to release; the PDF writer gives them ``break-inside: auto`` and
lays the document out again.  Pictures cannot break and are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from weasyprint.formatting_structure import boxes

#: A page (other than the last) filled less than this is unfinished.
MIN_FILL = 0.25

#: A released block starts within this share of the next page's top (a
#: heading kept with it may come first).
NEAR_TOP = 0.2

_RELEASED = "break-inside: auto"


def _flow(page: boxes.PageBox) -> Iterator[boxes.Box]:
    root = page.children[0] if page.children else None
    if root is not None:
        yield from root.descendants()


def fill(page: boxes.PageBox) -> float:
    """How far down its text area the page's body content reaches (0-1)."""
    top, height = page.content_box_y(), page.height
    bottom = top
    for box in _flow(page):
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            bottom = max(bottom, box.position_y + box.margin_height())
    return (bottom - top) / height if height else 1.0


def _kept_block_near_top(page: boxes.PageBox):
    """The first kept-together block the page starts with, if any."""
    top, height = page.content_box_y(), page.height
    for box in _flow(page):
        if not isinstance(box, boxes.BlockBox) or box.element is None:
            continue
        if box.position_y - top > NEAR_TOP * height:
            return None
        if box.style["break_inside"] in ("avoid", "avoid-page") and not _unbreakable(box):
            return box.element
    return None


def _unbreakable(box: boxes.BlockBox) -> bool:
    """A figure (a picture and its caption) cannot break usefully."""
    return box.element_tag == "figure"


def blocks_to_release(pages: Sequence[boxes.PageBox]) -> list[object]:
    """Elements whose keep rule left the page before them under-filled."""
    found = []
    for page, following in zip(pages, pages[1:]):
        if fill(page) >= MIN_FILL:
            continue
        element = _kept_block_near_top(following)
        if element is not None and _RELEASED not in (element.get("style") or ""):
            found.append(element)
    return found


def release(element) -> None:
    """Let ``element`` break across pages."""
    style = (element.get("style") or "").strip().rstrip(";")
    element.set("style", f"{style}; {_RELEASED}" if style else _RELEASED)
