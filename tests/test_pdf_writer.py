"""Tests for briefgen.writers.pdf, on the print HTML of a rich brief."""

from __future__ import annotations

import base64
import io
import logging
import re
import socket
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from test_html_writer import PNG_BYTES, TEMPLATES, fake_chart_svg, make_rich_brief

from briefgen.model import Brief, Callout, ListBlock, ListItem, Paragraph, Quote
from briefgen.writers.html import render_html
from briefgen.writers.pdf import DataURLFetcher, RefusedURL, render_pdf


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _render(html: str, title: str, lang: str) -> tuple[bytes, list[str]]:
    """Render while collecting WeasyPrint's warnings."""
    handler = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        pdf = render_pdf(html, title=title, lang=lang)
    finally:
        logger.removeHandler(handler)
    return pdf, [record.getMessage() for record in handler.records]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Brief, PdfReader, list[str]]]:
    """The rich brief rendered once for every test of this module."""
    module = types.ModuleType("briefgen.charts")
    module.chart_svg = fake_chart_svg  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "briefgen.charts", module)
        brief = make_rich_brief(tmp_path_factory.mktemp("pdf") / "content")
        html = render_html(brief, templates=TEMPLATES, media="print")
    pdf, warnings = _render(html, brief.title, brief.lang)
    yield brief, PdfReader(io.BytesIO(pdf)), warnings


@pytest.fixture(scope="module")
def pages_text(rendered: tuple[Brief, PdfReader, list[str]]) -> list[str]:
    return [page.extract_text() for page in rendered[1].pages]


def _destinations(reader: PdfReader) -> dict[str, int]:
    """Named destinations (every HTML id) and their 1-based page numbers."""
    return {
        str(name): reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
    }


def _words(text: str) -> list[str]:
    """Words of extracted text, with line-end hyphenation undone.

    WeasyPrint hyphenates with U+2010; a real hyphen (U+002D) at a line end
    keeps the hyphen and joins the halves.
    """
    text = re.sub(r"\u2010\s*\n", "", text)
    text = re.sub(r"-\s*\n", "-", text)
    return text.split()


def test_renders_without_warnings(rendered: tuple[Brief, PdfReader, list[str]]) -> None:
    _, reader, warnings = rendered
    assert not warnings
    assert len(reader.pages) >= 5


def test_outline_has_an_entry_per_section(rendered: tuple[Brief, PdfReader, list[str]]) -> None:
    brief, reader, _ = rendered
    top = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    assert titles == ["Summary", *(s.title for s in brief.sections), "Conclusion", "Sources"]
    assert brief.title not in titles
    nested: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                nested.append(item.title)

    walk(reader.outline)
    assert [t for t in nested if t not in titles] == [
        s.title for s in brief.walk_sections() if s.level > 1
    ]
    pages = _destinations(reader)
    for item in top:
        assert reader.get_destination_page_number(item) >= 0
    assert pages["significance"] <= pages["economy"] <= pages["heritage"]


def test_metadata(rendered: tuple[Brief, PdfReader, list[str]]) -> None:
    brief, reader, _ = rendered
    info = reader.metadata
    assert info is not None
    assert info.title == brief.title
    assert info.author == "A. Analyst, B. Researcher"
    assert info["/Keywords"] == "Henan, high-quality development, China"
    assert info.subject == brief.summary.plain()
    assert info.creator.startswith("briefgen ")
    assert info["/CreationDate"] == "D:20250528"
    assert info["/ModDate"] == "D:20250602"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_title_and_lang_arguments_win() -> None:
    html = "<!DOCTYPE html><html lang='en'><head><title>HTML title</title></head><body><p>x</p></body></html>"
    reader = PdfReader(io.BytesIO(render_pdf(html, title="Given title", lang="de")))
    assert reader.metadata.title == "Given title"
    assert reader.trailer["/Root"]["/Lang"] == "de"


def test_same_brief_gives_same_bytes() -> None:
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>T</title>"
        "<meta name='dcterms.created' content='2025-01-02'></head><body><p>Same.</p></body></html>"
    )
    assert render_pdf(html, title="T", lang="en") == render_pdf(html, title="T", lang="en")


def test_every_paragraph_is_in_the_text(
    rendered: tuple[Brief, PdfReader, list[str]], pages_text: list[str]
) -> None:
    brief, _, _ = rendered
    words = _words("\n".join(pages_text))
    texts = [brief.summary.plain(), *(p.plain() for p in brief.key_points)]
    for section in brief.walk_sections():
        texts += _paragraphs(section.body)
    texts += _paragraphs(brief.conclusion)
    texts += [note.text.plain() for note in brief.footnotes if note.number]
    missing = [text for text in texts if not _appears(text.split(), words)]
    assert not missing


def _paragraphs(blocks: tuple) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(block.text.plain())
        elif isinstance(block, Quote):
            out.append(block.text.plain())
        elif isinstance(block, Callout):
            out += _paragraphs(block.body)
        elif isinstance(block, ListBlock):
            out += [item.text.plain() for item in _items(block.items)]
    return out


def _items(items: tuple[ListItem, ...]) -> Iterator[ListItem]:
    for item in items:
        yield item
        yield from _items(item.items)


def _appears(wanted: list[str], words: list[str], max_gap: int = 60) -> bool:
    """``wanted`` occurs in order in ``words``.

    A footnote number may cling to a word, and a paragraph that runs onto
    the next page is interrupted by that page's notes, footer and header:
    up to ``max_gap`` other words may come between two wanted ones.
    """
    def same(word: str, got: str) -> bool:
        return got == word or re.fullmatch(re.escape(word) + r"\d{1,2}", got) is not None

    for start, got in enumerate(words):
        if not same(wanted[0], got):
            continue
        position = start
        for word in wanted[1:]:
            window = words[position + 1 : position + 2 + max_gap]
            step = next((i for i, got in enumerate(window) if same(word, got)), None)
            if step is None:
                break
            position += 1 + step
        else:
            return True
    return False


def test_footnote_is_on_the_page_of_its_reference(rendered: tuple[Brief, PdfReader, list[str]]) -> None:
    brief, reader, _ = rendered
    pages = _destinations(reader)
    per_page: dict[int, int] = {}
    for note in brief.footnotes:
        if not note.number:
            continue
        assert pages[f"note_{note.id}"] == pages[f"noteref_{note.id}"], note.id
        per_page[pages[f"note_{note.id}"]] = per_page.get(pages[f"note_{note.id}"], 0) + 1
    assert max(per_page.values()) >= 2  # several notes share a page


def test_notes_are_numbered_from_the_model(
    rendered: tuple[Brief, PdfReader, list[str]], pages_text: list[str]
) -> None:
    brief, reader, _ = rendered
    pages = _destinations(reader)
    for note in brief.footnotes:
        if note.number:
            first_words = " ".join(note.text.plain().split()[:3])
            text = " ".join(pages_text[pages[f"note_{note.id}"] - 1].split())
            assert f"{note.number}. {first_words}" in text or f"{note.number}.{first_words}" in text


def test_contents_page_numbers_are_right(
    rendered: tuple[Brief, PdfReader, list[str]], pages_text: list[str]
) -> None:
    brief, reader, _ = rendered
    pages = _destinations(reader)
    contents_page = pages_text[pages["brief_contents"] - 1]
    entries = dict(re.findall(r"^(\S.*?)\s*\.{3,}\s*(\d+)\s*$", contents_page, re.M))
    expected = {s.title: pages[s.id] for s in brief.walk_sections() if s.level <= 2}
    expected.update({"Conclusion": pages["brief_conclusion"], "Sources": pages["brief_sources"]})
    assert {title: int(number) for title, number in entries.items()} == expected
    assert "0" not in entries.values()


def test_marking_and_draft_mark_on_every_page(pages_text: list[str]) -> None:
    for number, text in enumerate(pages_text, 1):
        assert text.count("PUBLIC") >= 2, number  # banner at the top and bottom
        assert "DRAFT" in text, number
        assert f"Page {number} of {len(pages_text)}" in text


def test_running_title_after_the_first_page(
    rendered: tuple[Brief, PdfReader, list[str]], pages_text: list[str]
) -> None:
    short = "Henan and High-Quality Development"
    assert pages_text[0].count(short) == 1  # only inside the title itself
    assert all(short in text for text in pages_text[1:])
    assert all("Institute for Regional Policy Studies" in text for text in pages_text)


def test_long_table_repeats_its_header(
    rendered: tuple[Brief, PdfReader, list[str]], pages_text: list[str]
) -> None:
    pages = [text for text in pages_text if re.search(r"^[A-Z][a-z]+ zone \d+ ", text, re.M)]
    assert len(pages) >= 2
    assert all("Development zone" in text and "Growth (%)" in text for text in pages)


def test_only_noto_fonts_are_embedded(rendered: tuple[Brief, PdfReader, list[str]]) -> None:
    _, reader, _ = rendered
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("Noto" in name for name in fonts), fonts


# --------------------------------------------------------------------------
# The URL fetcher
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/hostname",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "/etc/passwd",
        "images/map.png",
        "../secret.png",
    ],
)
def test_fetcher_refuses_everything_but_data(url: str) -> None:
    with pytest.raises(RefusedURL):
        DataURLFetcher().fetch(url)


def test_fetcher_serves_data_urls() -> None:
    url = "data:image/png;base64," + base64.b64encode(PNG_BYTES).decode()
    response = DataURLFetcher().fetch(url)
    try:
        assert response.read() == PNG_BYTES
        assert response.content_type == "image/png"
    finally:
        response.close()


def test_renderer_reads_no_file_and_opens_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG_BYTES)
    (tmp_path / "style.css").write_text("p { color: red }")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the renderer tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
    <link rel="stylesheet" href="{secret.parent.as_uri()}/style.css">
    <link rel="stylesheet" href="http://127.0.0.1:9/style.css">
    <link rel="attachment" href="{secret.as_uri()}">
    <style>@import url("http://127.0.0.1:9/a.css"); body {{ background: url("{secret.as_uri()}") }}</style>
    </head><body>
    <img src="{secret.as_uri()}"><img src="{secret}"><img src="http://127.0.0.1:9/x.png">
    <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
      <image xlink:href="{secret.as_uri()}" width="10" height="10"/></svg>
    <p>text</p></body></html>"""
    pdf, warnings = _render(html, "t", "en")
    reader = PdfReader(io.BytesIO(pdf))
    assert all(not page.images for page in reader.pages)
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert any("only data: URLs are allowed" in message for message in warnings)
