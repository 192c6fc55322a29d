"""The printed contents: page numbers filled in after one layout.

Numbers are checked against where each heading's text really is in the
PDF (found in the page texts, independently of WeasyPrint's anchors), for
the 9-page Henan brief and a ~90-page brief, and for the fallback that
numbers the contents with ``target-counter()``.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from extract import squash
from pypdf import PdfReader

from briefgen.read import load_brief
from briefgen.model import Brief
from briefgen.writers import pdf as pdf_writer
from briefgen.writers import pdf_contents
from briefgen.writers.html import render_html

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import long_brief  # noqa: E402  (the benchmark's long brief)
HENAN = ROOT / "content" / "henan-inspection.yaml"
TEMPLATES = ROOT / "src" / "briefgen" / "templates"
NUMBERED = re.compile(r"^(.*?)[\s.]*?(\d+)$")
RUNNING = re.compile(r"^(Page \d+ of \d+|.*… DRAFT)$")


def _pdf(brief: Brief) -> PdfReader:
    html = render_html(brief, templates=TEMPLATES, media="print")
    return PdfReader(io.BytesIO(pdf_writer.render_pdf(html, title=brief.title, lang=brief.lang)))


def _listed(brief: Brief) -> list[str]:
    titles = [s.title for s in brief.walk_sections() if s.level <= 2]
    return titles + (["Conclusion"] if brief.conclusion else []) + (["Sources"] if brief.sources else [])


def _printed_entries(texts: list[str], count: int) -> tuple[list[tuple[str, int]], int, int]:
    """The first ``count`` contents entries as (squashed title, number),
    read line by line from the first page showing "CONTENTS" (an entry
    may wrap, and a title that fills its line has no dots); also the page
    and the text offset where the contents end."""
    first = next(i for i, text in enumerate(texts) if "CONTENTS" in text)
    entries: list[tuple[str, int]] = []
    pending = ""
    for index in range(first, len(texts)):
        offset = 0
        for line in texts[index].splitlines(keepends=True):
            offset += len(line)
            line = line.strip()
            if line in ("CONTENTS", "DRAFT") or RUNNING.match(line):
                continue
            match = NUMBERED.match(line)
            if match is None:
                pending += line
                continue
            entries.append((squash(pending + match[1]).rstrip("."), int(match[2])))
            pending = ""
            if len(entries) == count:
                return entries, index, offset
    raise AssertionError(f"found {len(entries)} of {count} contents entries")


def _check_numbers(brief: Brief, reader: PdfReader) -> int:
    """Every entry's number is the first page after the contents that shows
    its heading; return the number of pages."""
    texts = [page.extract_text() for page in reader.pages]
    titles = _listed(brief)
    printed, last, end = _printed_entries(texts, len(titles))
    squashed = ["" if i < last else squash(text) for i, text in enumerate(texts)]
    squashed[last] = squash(texts[last][end:])  # only what follows the contents
    for title, (shown, number) in zip(titles, printed):
        assert shown == squash(title), (title, shown)
        real = next(i for i, text in enumerate(squashed) if squash(title) in text)
        assert number == real + 1, (title, number, real + 1)
    names = {str(n): reader.get_destination_page_number(d) + 1 for n, d in reader.named_destinations.items()}
    for section, (_, number) in zip(brief.walk_sections(), printed):
        if section.level <= 2:
            assert names[section.id] == number
    return len(texts)


@pytest.fixture(scope="module")
def henan() -> Brief:
    return load_brief(HENAN)


def test_henan_contents_numbers_are_the_real_pages(henan: Brief) -> None:
    assert _check_numbers(henan, _pdf(henan)) == 9


def test_long_brief_contents_numbers_are_the_real_pages(tmp_path: Path) -> None:
    brief = load_brief(long_brief(tmp_path, 12, "long"))
    assert _check_numbers(brief, _pdf(brief)) >= 80


def test_fallback_numbers_with_target_counter(henan: Brief, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(document):
        raise pdf_contents.Unfillable("boxes changed shape")

    monkeypatch.setattr(pdf_writer, "fill_contents", refuse)
    assert _check_numbers(henan, _pdf(henan)) == 9


def test_one_text_box_of_dots_per_entry(henan: Brief) -> None:
    html = render_html(henan, templates=TEMPLATES, media="print")
    document = pdf_writer._lay_out(html, None, {})
    entries = [after.children for page in document.pages for after in pdf_contents.entry_boxes(page._page_box)]
    assert len(entries) == len(_listed(henan))
    for leader, number in entries:
        (dots,) = leader.children  # every Henan title leaves room for dots
        assert set(dots.text) == {"."} and len(dots.text) > 2
        assert number.text.isdigit()
        assert dots.position_x + dots.width <= number.position_x  # dots stop before the number


def _number_positions(pdf: bytes, page: int) -> list[tuple[str, int, int]]:
    """Each one-number text run on a page with where it starts (rounded pt)."""
    found: list[tuple[str, int, int]] = []

    def visit(text, cm, tm, font, size):
        if text.strip().isdigit():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.append((text.strip(), round(x), round(y)))

    PdfReader(io.BytesIO(pdf)).pages[page].extract_text(visitor_text=visit)
    return sorted(found)


@pytest.mark.parametrize("name", ["henan-inspection", "arabic-brief"])
def test_numbers_sit_where_target_counter_puts_them(name: str) -> None:
    """Left to right and right to left, each number is drawn exactly where
    the standard target-counter() rendering draws it."""
    brief = load_brief(ROOT / "content" / f"{name}.yaml")
    html = render_html(brief, templates=TEMPLATES, media="print")
    counted = pdf_writer._CONTENTS_NAV.sub(r"\g<0> counted", html, count=1)
    ours = pdf_writer.render_pdf(html, title=brief.title, lang=brief.lang)
    standard = pdf_writer.render_pdf(counted, title=brief.title, lang=brief.lang)
    positions = [_number_positions(ours, i) for i in range(2)]
    assert positions == [_number_positions(standard, i) for i in range(2)]
    assert sum(len(p) for p in positions) >= len(_listed(brief))


def test_a_stylesheet_numbering_its_own_contents_is_laid_out_once(
    henan: Brief, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project's print.css from before (target-counter(), no placeholder)
    keeps its numbers, without a layout more than the house stylesheet needs
    (the typesetting passes of :func:`_settle` may lay either out again)."""
    html = render_html(henan, templates=TEMPLATES, media="print")
    own = html.replace('content: leader(dotted) "\\2007\\2007\\2007";', "content: leader(dotted) target-counter(attr(href), page);")
    assert own != html
    layouts = []
    real = pdf_writer.HTML.render
    monkeypatch.setattr(pdf_writer.HTML, "render", lambda self, **kw: layouts.append(1) or real(self, **kw))
    pdf_writer.render_pdf(html, title=henan.title, lang=henan.lang)
    house = len(layouts)
    layouts.clear()
    reader = PdfReader(io.BytesIO(pdf_writer.render_pdf(own, title=henan.title, lang=henan.lang)))
    assert len(layouts) == house
    assert _check_numbers(henan, reader) == 9
