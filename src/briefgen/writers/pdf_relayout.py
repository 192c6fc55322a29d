"""A WeasyPrint layout kept in memory, laid out again only where a fix moves it.

The typesetting passes (:mod:`.pdf_pages`, :mod:`.pdf_lines`) change a
few elements after a first layout: a block's keep rule is released, a
word loses its hyphenation.  Laying the whole document out again for
that cost as much as the first layout.  WeasyPrint itself re-makes single
pages when a page counter resolves late: every page's starting point
(``page_maker``) is kept, and a page is laid out again only when it is
marked changed or the page before it now ends somewhere else.  This
module uses that machinery: it keeps the styles, the box tree and the
pages, applies each fix to the box tree, marks the pages the fixed
element is on, and re-makes pages from there until they end where they
ended before.  Styles and boxes are never computed twice.

The pages, the box tree and ``page_maker`` are not WeasyPrint's public
API.  The code is written against WeasyPrint 70; every step that meets
something it does not expect raises :class:`CannotKeep`, and the PDF
writer then lays the edited HTML out from scratch, the slow and standard
way.  ``tests/test_pdf_relayout.py`` checks that both ways give the same
pages.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import weasyprint
from weasyprint import CSS, DEFAULT_OPTIONS, HTML, Document, Page
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

try:  # WeasyPrint's internals: where a version moves them, keep nothing
    from weasyprint.css.counters import CounterStyle
    from weasyprint.formatting_structure.build import build_formatting_structure
    from weasyprint.html import get_html_metadata
    from weasyprint.layout import initialize_page_maker, layout_fixed_boxes
    from weasyprint.layout.background import layout_backgrounds
    from weasyprint.layout.page import make_margin_boxes, remake_page
    from weasyprint.pdf.metadata import DocumentMetadata
except ImportError:  # pragma: no cover - only on an untested WeasyPrint
    _IMPORTED = False
else:
    _IMPORTED = True

from . import pdf_lines

#: Rounds of re-making pages for page-based counters, as WeasyPrint allows.
MAX_COUNTER_LOOPS = 8

#: The WeasyPrint versions this module is tested with (by version prefix).
TESTED_VERSIONS = ("70.",)


def available() -> bool:
    """Whether the installed WeasyPrint is one this module is tested with;
    with any other, the PDF writer lays each pass out afresh."""
    return _IMPORTED and weasyprint.__version__.startswith(TESTED_VERSIONS)


class CannotKeep(RuntimeError):
    """The kept layout cannot take this fix: lay the document out afresh."""


class _MadePage(NamedTuple):
    """A page as :func:`remake_page` made it, before margin boxes."""

    page: boxes.PageBox
    children: tuple[boxes.Box, ...]
    root_children: list[boxes.Box]
    #: Nothing (a footnote, a broken float) is carried to the next page.
    clean: bool


class KeptLayout:
    """One document's styles, box tree and pages, kept between passes."""

    def __init__(
        self, html: HTML, font_config: FontConfiguration | None, cache: dict[Any, Any],
        stylesheets: list[CSS] | None = None,
    ) -> None:
        font_config = font_config if font_config is not None else FontConfiguration()
        options = DEFAULT_OPTIONS | {"cache": cache, "pdf_tags": True, "stylesheets": stylesheets}
        self.html = html
        self.font_config = font_config
        self.options = options
        # One counter style for both: the styles fill it with the
        # user-agent sheet's @counter-style rules, and the boxes use them.
        counter_style = CounterStyle()
        context = Document._build_layout_context(html, font_config, counter_style, {}, options)
        self.context = context
        self.root = build_formatting_structure(
            html.etree_element, context.style_for, context.get_image_from_uri,
            html.base_url, context.target_collector, counter_style, context.footnotes,
        )
        self._footnotes = list(context.footnotes)
        self._made: list[_MadePage] = []
        self._total = 0
        #: The box tree by element, and each box's parent, built on first use.
        self._index: dict[int, list[boxes.Box]] = {}
        self._parents: dict[int, boxes.Box] = {}
        initialize_page_maker(context, self.root)
        #: How many pages each pass laid out (the first pass: all).
        self.pages_laid_out: list[int] = []

    # -- laying out -------------------------------------------------------

    def lay_out(self) -> list[boxes.PageBox]:
        """Lay out the pages that need it; return the page boxes, without
        margin boxes (:meth:`finish` adds those once, at the end).

        As in WeasyPrint, the pages run again while a page-based counter
        changed what a page says, or the page count changed and a page
        shows it.
        """
        context = self.context
        made = 0
        for _ in range(MAX_COUNTER_LOOPS):
            before = self._total
            made += self._make_pages()
            self._total = len(self._made)
            again = False
            for _, _, _, page_state, remake_state in context.page_maker:
                page_state[1]["pages"] = [self._total]
                again = again or remake_state["content_changed"] or (
                    remake_state["pages_wanted"] and before != self._total
                )
            if not again:
                break
        self.pages_laid_out.append(made)
        return [made.page for made in self._made]

    def _make_pages(self) -> int:
        """One run over the pages, as WeasyPrint's ``make_all_pages``;
        return how many were laid out.

        A page is laid out again when it is marked, or when the page before
        it was and now ends elsewhere (WeasyPrint marks that) or carries a
        footnote or a broken float over to it.  A page laid out again after
        a kept one starts from that page's recorded state, which is whole
        only when nothing was carried over from it (:meth:`_mark` sees to
        that).
        """
        context = self.context
        context.footnotes = list(self._footnotes)
        context.rendered_notes = []
        pages: list[_MadePage] = []
        laid_out, previous_remade = 0, False
        index = 0
        while True:
            remake_state = context.page_maker[index][-1]
            carried_over = previous_remade and not pages[index - 1].clean
            if (
                index >= len(self._made) or carried_over
                or remake_state["content_changed"] or remake_state["pages_wanted"]
            ):
                if not previous_remade:
                    if index and not pages[index - 1].clean:
                        raise CannotKeep("a page carries content over to the one laid out again")
                    context.reported_footnotes = []
                    context.broken_out_of_flow.clear()
                remake_state.update(content_changed=False, pages_wanted=False, anchors=[], content_lookups=[])
                page, resume_at = remake_page(index, context, self.root, self.html)
                clean = not context.reported_footnotes and not context.broken_out_of_flow
                pages.append(_MadePage(page, page.children, list(page.children[0].children), clean))
                laid_out += 1
                previous_remade = True
                carried = bool(context.reported_footnotes)
            else:
                pages.append(self._made[index])
                resume_at = context.page_maker[index + 1][0]
                previous_remade = carried = False
            index += 1
            if resume_at is None and not carried:
                del context.page_maker[index + 1 :]
                context.broken_out_of_flow.clear()
                context.reported_footnotes.clear()
                break
        self._made = pages
        return laid_out

    def finish(self) -> Document:
        """Margin boxes, string sets and bookmarks, as WeasyPrint's
        ``layout_document`` adds them after pagination, on fresh copies of
        the kept pages' child lists."""
        context = self.context
        context.string_set.clear()
        pages = []
        for made in self._made:
            page = made.page
            page.children = made.children
            page.children[0].children = list(made.root_children)
            pages.append(page)
        seen: dict[str, list[Any]] = {"before": [], "after": [], "": []}
        for number, page in enumerate(pages, start=1):
            page_counters = context.page_maker[number][3][1]
            for child in page.descendants():
                if child.bookmark_label:
                    tag = child.element_tag
                    checklist = seen["before" if tag.endswith("::before") else "after" if tag.endswith("::after") else ""]
                    if child.element in checklist:
                        child.bookmark_label = ""
                    else:
                        checklist.append(child.element)
                if child.missing_link:
                    for (box, token), item in context.target_collector.counter_lookup_items.items():
                        if child.missing_link == box and token != "content":
                            if token == "bookmark-label" and not child.bookmark_label:
                                continue
                            item.parse_again(page_counters)
                            if token == "bookmark-label":
                                child.bookmark_label = box.bookmark_label
                if child.string_set and child.string_set != "none":
                    for name, text in child.string_set:
                        context.string_set[name][number].append(text)
        finished = []
        for index, page in enumerate(pages):
            root, footnote_area, note_area = page.children
            root.children = [
                *layout_fixed_boxes(context, pages[:index], page),
                *root.children,
                *layout_fixed_boxes(context, pages[index + 1 :], page),
            ]
            context.current_page = index + 1
            state = context.page_maker[index + 1][3]
            children = [root]
            children += [area for area in (footnote_area, note_area) if area.children]
            children += make_margin_boxes(context, page, state)
            page.children = tuple(children)
            layout_backgrounds(page, context.get_image_from_uri)
            finished.append(Page(page))
        document = Document(
            finished, DocumentMetadata(**get_html_metadata(self.html)), self.html.url_fetcher,
            self.font_config, {}, self.options["output_intent"],
        )
        document._html = self.html
        return document

    # -- fixes --------------------------------------------------------------

    def apply(self, released: list[Any], protected: list[tuple[Any, str, int]], pages: list[boxes.PageBox]) -> None:
        """Apply the pass's fixes to the box tree and mark the pages to
        lay out again: from the page before a released block (the one it
        left nearly empty), and every page of a paragraph whose word
        loses its hyphenation."""
        spans = _page_spans(pages, [*released, *(element for element, _, _ in protected)])
        for element in released:
            self._release(element)
            first, last = spans[id(element)]
            self._mark(max(first - 1, 0), last)
        for element, word, occurrence in protected:
            self._protect(element, word, occurrence)
            self._mark(*spans[id(element)])

    def _release(self, element: Any) -> None:
        found = [box for box in self._boxes_of(element) if isinstance(box, boxes.BlockLevelBox)]
        if not found:
            raise CannotKeep("the released block has no box")
        for box in found:
            box.style["break_inside"] = "auto"

    def _protect(self, element: Any, word: str, occurrence: int) -> None:
        """Give the ``occurrence``-th ``word`` of ``element``'s own text a
        text box of its own, with hyphenation off, as ``.nohyphen`` does."""
        pattern = pdf_lines.word_pattern(word)
        for box in [box for box in self._boxes_of(element) if isinstance(box, boxes.TextBox)]:
            matches = list(pattern.finditer(box.text))
            if len(matches) <= occurrence:
                occurrence -= len(matches)
                continue
            match = matches[occurrence]
            self._split(box, match.start(), match.end())
            return
        raise CannotKeep(f"{word!r} is not in the element's text boxes")

    def _split(self, box: boxes.TextBox, start: int, end: int) -> None:
        parent = self._parents.get(id(box))
        children = list(getattr(parent, "children", ()))
        position = next((i for i, child in enumerate(children) if child is box), None)
        if position is None:
            raise CannotKeep("the text box is not in the box tree")
        word = box.copy_with_text(box.text[start:end])
        word.style = box.style.copy()
        word.style["hyphens"] = "manual"
        parts = [box.copy_with_text(box.text[:start])] if start else []
        parts.append(word)
        if end < len(box.text):
            parts.append(box.copy_with_text(box.text[end:]))
        children[position : position + 1] = parts
        parent.children = children
        same = self._index[id(box.element)]
        at = next(i for i, other in enumerate(same) if other is box)
        same[at : at + 1] = parts
        for part in parts:
            self._parents[id(part)] = parent

    def _mark(self, first: int, last: int) -> None:
        """Mark pages ``first`` to ``last`` (from 0) to be laid out again,
        starting earlier while the page before carries something over."""
        while first and not self._made[first - 1].clean:
            first -= 1
        maker = self.context.page_maker
        for index in range(first, min(last, len(maker) - 2) + 1):
            maker[index][-1]["content_changed"] = True

    def _boxes_of(self, element: Any) -> list[boxes.Box]:
        """The box tree's boxes of ``element``, in document order."""
        if not self._index:
            stack: list[boxes.Box] = [self.root]
            order: list[boxes.Box] = []
            while stack:
                box = stack.pop()
                order.append(box)
                children = [child for child in getattr(box, "children", ()) if isinstance(child, boxes.Box)]
                for child in children:
                    self._parents[id(child)] = box
                stack.extend(reversed(children))
            for box in order:
                self._index.setdefault(id(box.element), []).append(box)
        return self._index.get(id(element), [])


def _page_spans(pages: list[boxes.PageBox], elements: list[Any]) -> dict[int, tuple[int, int]]:
    """The first and last page (from 0) with a box of each element."""
    wanted = {id(element) for element in elements}
    spans: dict[int, tuple[int, int]] = {}
    for index, page in enumerate(pages):
        for box in page.descendants():
            key = id(box.element)
            if key in wanted:
                first, _ = spans.get(key, (index, index))
                spans[key] = (first, index)
    missing = wanted - set(spans)
    if missing:
        raise CannotKeep("a fixed element is on no page")
    return spans
