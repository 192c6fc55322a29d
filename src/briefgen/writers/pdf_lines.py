"""Hyphenation rules CSS cannot state, enforced on WeasyPrint's layout.

WeasyPrint 70 has no ``hyphenate-limit-lines`` and no
``hyphenate-limit-last``: nothing in CSS stops a ladder of three or more
hyphenated lines, or a word hyphenated across a page.  After layout this
module reads the line boxes, finds each hyphenated word that breaks a
rule, wraps it in ``<span class="nohyphen">`` in the parsed document, and
the writer lays the document out again.  A few passes settle it: each pass
only removes hyphenation opportunities.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import cssselect2
from weasyprint import HTML, Document
from weasyprint.formatting_structure import boxes

#: Most hyphenated lines in a row a typesetter accepts.
MAX_HYPHENATED_LINES = 2

_WORD_END = re.compile(r"[^\W\d_]+$")
_WORD_START = re.compile(r"^[^\W\d_]+")


def _flow_lines(page: boxes.PageBox) -> Iterator[boxes.LineBox]:
    """The page's body lines in reading order (not notes, not margins)."""
    root = page.children[0] if page.children else None
    if root is None:
        return
    for box in root.descendants():
        if isinstance(box, boxes.LineBox):
            yield box


def _text_boxes(line: boxes.LineBox) -> list[boxes.TextBox]:
    return [box for box in line.descendants() if isinstance(box, boxes.TextBox)]


def _hyphenated(line: boxes.LineBox) -> boxes.TextBox | None:
    """The text box that ends ``line`` with an added hyphen, if any."""
    texts = _text_boxes(line)
    if not texts:
        return None
    last = texts[-1]
    mark = last.style["hyphenate_character"]
    return last if mark and last.text.endswith(mark) else None


def words_to_protect(pages: Sequence[boxes.PageBox]) -> list[tuple[object, str, int]]:
    """(element, word, occurrence) for each hyphenation that breaks a rule.

    A word is protected when it would make the third hyphenated line in a
    row of one paragraph, or when its break falls at the end of a page.
    ``occurrence`` counts the same word earlier in the element's own text,
    so that the right one is protected when a paragraph repeats a word.
    """
    found: list[tuple[object, str, int]] = []
    run, run_owner = 0, None
    before: dict[int, list[str]] = {}  # element id -> its text on earlier lines
    for number, page in enumerate(pages):
        lines = list(_flow_lines(page))
        for index, line in enumerate(lines):
            owner = line.element
            box = _hyphenated(line)
            if box is not None:
                run = run + 1 if owner is run_owner else 1
                last_on_page = index == len(lines) - 1
                if run > MAX_HYPHENATED_LINES or last_on_page:
                    following = lines[index + 1] if not last_on_page else _first_line(pages, number + 1)
                    word = _broken_word(box, following)
                    if word:
                        seen = "".join(before.get(id(box.element), [])) + box.text
                        found.append((box.element, word, _count(seen, word)))
                    run = 0
            else:
                run = 0
            run_owner = owner
            _remember(line, before)
    return found


def _remember(line: boxes.LineBox, before: dict[int, list[str]]) -> None:
    """Add the line's text to each element's running text; a hyphenated
    line end joins the next line without hyphen or space, as in the source."""
    for box in _text_boxes(line):
        text = box.text
        mark = box.style["hyphenate_character"]
        parts = before.setdefault(id(box.element), [])
        if mark and text.endswith(mark) and box is _text_boxes(line)[-1]:
            parts.append(text[: -len(mark)])
        else:
            parts.append(text + " ")


def word_pattern(word: str) -> re.Pattern[str]:
    """``word`` as a whole word: not inside a longer run of letters."""
    return re.compile(rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])")


def _count(text: str, word: str) -> int:
    return len(word_pattern(word).findall(text))


def _broken_word(box: boxes.TextBox, following: boxes.LineBox | None) -> str:
    """The whole word hyphenated at the end of ``box``; ``following`` is
    the line after it, if any."""
    head = _WORD_END.search(box.text[: -len(box.style["hyphenate_character"])])
    if head is None:
        return ""
    tail = ""
    if following is not None:
        texts = _text_boxes(following)
        if texts:
            match = _WORD_START.match(texts[0].text)
            tail = match.group() if match else ""
    return head.group() + tail


def _first_line(pages: Sequence[boxes.PageBox], number: int) -> boxes.LineBox | None:
    return next(_flow_lines(pages[number]), None) if number < len(pages) else None


def protect(html: HTML, element, word: str, occurrence: int = 0) -> bool:
    """Wrap ``word`` (its ``occurrence``-th appearance, from 0) in
    ``element``'s own text in a no-hyphen span."""
    if element is None:
        return False
    pattern = word_pattern(word)
    slots = [(element, "text", 0)] + [(child, "tail", i + 1) for i, child in enumerate(element)]
    for node, slot, position in slots:
        text = getattr(node, slot) or ""
        matches = list(pattern.finditer(text))
        if len(matches) <= occurrence:
            occurrence -= len(matches)
            continue
        match = matches[occurrence]
        span = element.makeelement("span", {"class": "nohyphen"})
        span.text = match.group()
        span.tail = text[match.end() :]
        setattr(node, slot, text[: match.start()])
        element.insert(position, span)
        return True
    return False


def refresh(html: HTML) -> None:
    """Let WeasyPrint see the edited tree (its wrappers cache children)."""
    html.wrapper_element = cssselect2.ElementWrapper.from_html_root(
        html.etree_element, content_language=None
    )


def lines_after(document: Document, pages: int) -> int:
    """How many body lines the layout puts after page ``pages``."""
    return sum(len(list(_flow_lines(page))) for page in page_boxes(document)[pages:])


def page_boxes(document: Document) -> list[boxes.PageBox]:
    """A laid-out document's page boxes, as the passes read them."""
    return [page._page_box for page in document.pages]
