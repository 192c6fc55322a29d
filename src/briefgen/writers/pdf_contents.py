"""The printed contents' page numbers and dot leaders, filled in after one layout.

``target-counter()`` makes WeasyPrint lay the contents pages out a second
time once the targets' pages are known, and ``leader()`` gives one text
box per dot; together they were a fifth of a brief's PDF time.  Instead,
print.css reserves the number's place with figure spaces (as wide as
three digits, drawing nothing) in a fixed gutter, so the number can never
change how an entry wraps.  After the one layout, this module reads each
target's page from the laid-out pages' anchors, writes the number into
that place (right-aligned, as before) and merges each entry's leader dots
into a single text box at the very same positions.

This touches WeasyPrint's laid-out boxes, which are not a public API.  If
they ever change shape, :func:`fill_contents` raises :class:`Unfillable`
and the PDF writer lays the document out again the slow, standard way
(the ``counted`` rule in print.css), so the numbers stay right.
"""

from __future__ import annotations

from typing import Any, Iterator

from weasyprint import Document

#: What print.css puts where a number goes: three figure spaces.
PLACEHOLDER = "\u2007\u2007\u2007"
#: The class of the contents' ``<nav>`` and the one that asks for the
#: standard ``target-counter()`` rule instead.
CONTENTS_CLASS = "contents"
COUNTED_CLASS = "counted"
#: The contents' id in the templates: the search for entries starts there.
CONTENTS_ID = "brief_contents"


class Unfillable(RuntimeError):
    """The laid-out boxes are not what this module knows how to fill."""


def fill_contents(document: Document) -> int:
    """Write every contents entry's page number into ``document``; return
    how many entries were filled.

    Page numbers count from 1 at the first page, as the footer's
    ``counter(page)`` does.  An entry whose target is not in the document
    keeps an empty number.
    """
    pages: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for name in page.anchors:  # a target split over pages: its first
            pages.setdefault(name, number)
    first = next(
        (i for i, page in enumerate(document.pages) if CONTENTS_ID in page.anchors), 0
    )
    filled = 0
    seen_contents = False
    for page in document.pages[first:]:
        entries = list(_entries(_page_box(page)))
        if not entries and seen_contents:
            break  # the contents is one run of pages
        seen_contents = seen_contents or bool(entries)
        for href, leader, number in entries:
            if getattr(number, "text", None) != PLACEHOLDER:
                raise Unfillable("a contents entry's number is not the placeholder")
            target = pages.get(href[1:]) if href.startswith("#") else None
            _set_text(number, "" if target is None else str(target))
            _merge_leader(leader)
            filled += 1
    return filled


def _page_box(page: Any) -> Any:
    try:
        return page._page_box
    except AttributeError as err:
        raise Unfillable("pages have no box tree") from err


def _entries(page_box: Any) -> Iterator[tuple[str, Any, Any]]:
    """``(href, leader box, number text box)`` of each entry on a page that
    holds a number placeholder.  A stylesheet that numbers its contents
    itself (a project's own print.css with ``target-counter()``) has none,
    and is left as it is."""
    for after in entry_boxes(page_box):
        children = list(getattr(after, "children", ()))
        if not any(getattr(child, "text", None) == PLACEHOLDER for child in children):
            continue
        if len(children) != 2 or not getattr(children[0], "is_leader", False):
            raise Unfillable("a contents entry is not a leader and a number")
        leader, number = children
        yield after.element.get("href", ""), leader, number


def entry_boxes(page_box: Any) -> Iterator[Any]:
    """The ``a::after`` box of each contents entry on a page."""
    for nav in _boxes(page_box, _is_contents):
        yield from _boxes(nav, lambda box: getattr(box, "element_tag", "") == "a::after")


def _is_contents(box: Any) -> bool:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", "") != "nav":
        return False
    classes = element.get("class", "").split()
    return CONTENTS_CLASS in classes and COUNTED_CLASS not in classes


def _boxes(root: Any, wanted) -> Iterator[Any]:
    """The outermost boxes under ``root`` (itself included) that are ``wanted``."""
    stack = [root]
    while stack:
        box = stack.pop()
        if wanted(box):
            yield box
            continue
        stack.extend(reversed(getattr(box, "children", ())))


def _layout(text: str, style: Any) -> tuple[Any, float]:
    """A Pango layout of ``text`` in ``style`` and its width, put to sleep
    as WeasyPrint's own are after layout (drawing wakes it up)."""
    from weasyprint.text.line_break import create_layout, line_size

    layout = create_layout(text, style, None, None, 0)
    line, _ = layout.get_first_line()
    width, _ = line_size(line, style)
    layout.deactivate()
    return layout, width


def _set_text(box: Any, text: str) -> None:
    """Replace a text box's text, keeping its outer edge (the page margin's
    side: right, or left in right-to-left text) where it was."""
    right = box.position_x + box.width
    if text:
        box.pango_layout, width = _layout(text, box.style)
    else:
        width = 0.0
    box.text = text
    box.width = width
    if box.style["direction"] != "rtl":
        box.position_x = right - width


def _merge_leader(leader: Any) -> None:
    """Draw the dots WeasyPrint placed one box each as one text box."""
    dots = sorted(leader.children, key=lambda box: box.position_x)
    if len(dots) < 2:
        return
    first = dots[0]
    merged = first.copy()
    merged.pango_layout, merged.width = _layout(first.text * len(dots), first.style)
    merged.text = first.text * len(dots)
    leader.children = (merged,)
