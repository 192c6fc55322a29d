"""Themes and section numbers as laid out in the PDF."""

from __future__ import annotations

import dataclasses
import io
import logging
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_html_writer import TEMPLATES, make_rich_brief, stub_charts  # noqa: F401 (fixture)

from briefgen.model import Brief
from briefgen.writers.html import render_html, section_numbers
from briefgen.writers.pdf import render_pdf

pytestmark = pytest.mark.usefixtures("stub_charts")


@pytest.fixture(name="brief")
def rich_brief(tmp_path: Path) -> Brief:
    return make_rich_brief(tmp_path / "content", long_table_rows=12)

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def _pdf(brief: Brief, theme: str) -> PdfReader:
    html = render_html(brief, templates=TEMPLATES, media="print", theme=theme)
    return PdfReader(io.BytesIO(render_pdf(html, title=brief.title, lang=brief.lang)))


def _size(reader: PdfReader) -> tuple[float, float]:
    box = reader.pages[0].mediabox
    return round(float(box.width), 2), round(float(box.height), 2)


def _outline_titles(items: list) -> list[str]:
    titles: list[str] = []
    for item in items:
        titles += _outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_memo_is_letter_without_a_contents_page(brief: Brief, caplog: pytest.LogCaptureFixture) -> None:
    numbered = dataclasses.replace(brief, section_numbers=True)
    caplog.set_level(logging.WARNING, logger="weasyprint")
    default, memo = _pdf(numbered, "default"), _pdf(numbered, "memo")
    assert not caplog.records, [r.getMessage() for r in caplog.records]  # every note anchor kept
    assert _size(default) == A4
    assert {(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in memo.pages} == {LETTER}
    default_text = "\n".join(page.extract_text() for page in default.pages)
    memo_text = "\n".join(page.extract_text() for page in memo.pages)
    assert re.search(r"^CONTENTS$", default_text, re.MULTILINE | re.IGNORECASE)
    assert not re.search(r"^CONTENTS$", memo_text, re.MULTILINE | re.IGNORECASE)
    # Numbers in the headings reach the bookmarks, in either theme.
    numbers = section_numbers(brief)
    expected = [f"{numbers[s.id]} {s.title}" for s in brief.walk_sections()]
    for reader in (default, memo):
        titles = _outline_titles(reader.outline)
        assert [t for t in titles if t[0].isdigit()] == expected
