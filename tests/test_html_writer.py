"""Tests for briefgen.writers.html."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import sys
import types
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.model import (
    Brief,
    Callout,
    Cell,
    Chart,
    Column,
    Figure,
    Footnote,
    KeyFigure,
    ListBlock,
    ListItem,
    PageBreak,
    Paragraph,
    Quote,
    RichText,
    Section,
    Series,
    Source,
    Table,
    Todo,
    short_title,
)
from briefgen.richtext import FootnoteNumbering, parse
from briefgen.writers.html import MEDIA, image_type, render_html

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "briefgen" / "templates"


def _png_bytes() -> bytes:
    """A small drawn PNG standing in for a map."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 270), "#EEF2F6")
    draw = ImageDraw.Draw(image)
    draw.polygon([(60, 40), (300, 20), (420, 120), (330, 240), (120, 230), (40, 140)], fill="#C9D3DD", outline="#1B365D")
    for x, y, colour in ((180, 110, "#1B365D"), (260, 150, "#2E7D7A"), (140, 170, "#D19A2B")):
        draw.ellipse((x - 12, y - 12, x + 12, y + 12), fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


PNG_BYTES = _png_bytes()

NOTES = {
    "xinhua": "Xinhua, *Xi stresses firm confidence in high-quality development*, report on the inspection tour.",
    "stats": "Henan Provincial Bureau of Statistics, [statistical communiqué](https://tjj.henan.gov.cn/), annual edition.",
    "grain": "Ministry of Agriculture and Rural Affairs, grain output bulletin; figures rounded.",
    "nev": "Provincial industrial plan for new energy vehicles, target for **2025**.",
    "labs": "Count of national key laboratories located in the province.",
    "heritage": "UNESCO World Heritage List: the Longmen Grottoes and the Yin Xu site.",
    "method": "Figures combine provincial and national sources; see the Sources list.",
    "unused": "A note nobody references.",
}

PARAGRAPHS = [
    "Xi Jinping's inspection tour of Henan Province underscored the central leadership's commitment to "
    "high-quality development and signalled national priorities for the real economy.[^xinhua]",
    "Henan matters because of its central location, a population above 100 million and its dual identity "
    "as the country's granary and an emerging industrial base.[^stats] It leads national grain "
    "production[^grain] and now hosts **12,000** high-tech enterprises.",
    "The province connects the major economic regions of central China; rail and air freight hubs around "
    "Zhengzhou make it a logistics platform for inland exporters, and the *Zhengzhou–Luxembourg air "
    "bridge* carries electronics and perishables.[^labs]",
    "Raw markup such as <b>bold</b> & <script>alert(1)</script> must stay literal text.",
    "Advanced manufacturing is the cornerstone of industrial upgrading. Firms like Luoyang Bearing "
    "Group embrace automation, smart sensors and proprietary research to make high-precision bearings "
    "for global markets.[^nev] Supplier parks cluster around them.[^stats]",
    "Cultural heritage is treated as an asset for growth: the Longmen Grottoes and the Yin Xu ruins "
    "draw visitors while conservation budgets rise.[^heritage] Local officials present heritage and "
    "innovation hubs as two faces of the same modernization ethos, a theme the tour repeated.",
    "Rural revitalization pairs smart farming with infrastructure: drip irrigation, drone spraying and "
    "cold-chain logistics raise yields and farm incomes, and village collectives run processing "
    "cooperatives that keep more of the value at home.",
    "The directives issued during the tour set expectations for the next planning period: keep grain "
    "output stable, scale new energy vehicle production, and make the province a demonstration zone "
    "for coordinated urban-rural development.[^method] See also [the official readout](https://www.gov.cn/) "
    "and write to [the desk](mailto:desk@example.org).",
]


def _long_rows(count: int) -> list[tuple[str, int, str]]:
    cities = [
        "Zhengzhou", "Luoyang", "Kaifeng", "Anyang", "Xinxiang", "Nanyang", "Xuchang", "Zhoukou",
        "Shangqiu", "Xinyang", "Pingdingshan", "Jiaozuo", "Puyang", "Luohe", "Sanmenxia", "Hebi",
        "Zhumadian", "Jiyuan",
    ]
    rows = []
    for index in range(count):
        city = cities[index % len(cities)]
        rows.append((f"{city} zone {index // len(cities) + 1}", 120 + 37 * index, f"{(index * 7) % 23 + 1}.{index % 10}"))
    return rows


def make_rich_brief(folder: Path, *, long_table_rows: int = 60) -> Brief:
    """A brief that uses every block type, several notes per page, a marking,
    draft status and a table long enough to span pages."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "images").mkdir(exist_ok=True)
    (folder / "images" / "map.png").write_bytes(PNG_BYTES)
    numbering = FootnoteNumbering(known=frozenset(NOTES))

    def rt(source: str) -> RichText:
        return parse(source, numbering)

    summary = rt(
        "President Xi's tour of Henan endorsed the province's development model: advanced "
        "manufacturing, modern agriculture and heritage conservation presented as one strategy for "
        "**high-quality development**.[^xinhua] This brief reviews what was said, what Henan has "
        "achieved and what to watch next."
    )
    key_points = (
        rt("The tour signals *central confidence* in Henan's provincial leadership."),
        rt("Henan is positioned as a demonstration zone for grain security and industrial upgrading.[^grain]"),
        rt("Watch the 2025 new energy vehicle target and rural revitalization funding."),
    )
    key_figures = (
        KeyFigure("100M+", "residents"),
        KeyFigure("12,000", "high-tech enterprises"),
        KeyFigure("13", "national key laboratories", rt("As counted in 2024.[^labs]")),
        KeyFigure("1.4M", "NEV production target, 2025"),
    )
    p = [Paragraph(rt(text)) for text in PARAGRAPHS[:3]]
    pillars = ListBlock(
        (
            ListItem(rt("Fostering research and new quality productive forces."), term=rt("Innovation")),
            ListItem(rt("Balanced regional and urban-rural growth."), term=rt("Coordination")),
            ListItem(rt("Low-carbon pathways and resource efficiency."), term=rt("Green")),
        ),
        lead=rt("High-quality development rests on interrelated pillars:"),
    )
    steps = ListBlock(
        (
            ListItem(rt("Verify policy on the ground.")),
            ListItem(
                rt("Showcase regional achievements:"),
                items=(ListItem(rt("advanced manufacturing")), ListItem(rt("heritage sites"))),
            ),
            ListItem(rt("Announce support for innovation platforms.")),
        ),
        style="numbered",
    )
    table = Table(
        columns=(Column("Indicator"), Column("2023", "right"), Column("2024", "right"), Column("Trend", "center")),
        rows=(
            (Cell(rt("Grain output (Mt)[^grain]")), Cell(rt("66.2"), True), Cell(rt("67.1"), True), Cell(rt("up"))),
            (Cell(rt("High-tech enterprises")), Cell(rt("11,000"), True), Cell(rt("12,000"), True), Cell(rt("up"))),
            (Cell(rt("Key laboratories")), Cell(rt("12"), True), Cell(rt("13"), True), Cell(rt("up"))),
        ),
        caption=rt("Selected indicators for Henan"),
        source=rt("Henan Provincial Bureau of Statistics."),
        note=rt("2024 figures are preliminary."),
    )
    figure = Figure(
        "images/map.png", folder / "images" / "map.png", "A map of Henan's industrial zones",
        caption=rt("Industrial zones around Zhengzhou and Luoyang."), source=rt("Provincial planning office."),
        width=60,
    )
    chart = Chart(
        "column", ("2021", "2022", "2023", "2024"),
        (Series("Grain (Mt)", (65.4, 67.9, 66.2, 67.1)), Series("NEV (100k units)", (1.2, 2.9, 6.1, 9.8))),
        title="Output by year", caption=rt("Grain output and NEV production."), unit="units",
        source=rt("Provincial statistics."),
    )
    quote = Quote(
        rt("High-quality development is the *primary task* of building a modern socialist country."),
        attribution=rt("Report to the 20th National Congress"),
    )
    callout_note = Callout((Paragraph(rt("Henan borders six provinces and sits on the Yellow River.")),), "note", "Context")
    callout_key = Callout((Paragraph(rt("Grain security remains the province's first duty.")),), "key")
    callout_warning = Callout(
        (Paragraph(rt("Official statistics are not independently verified.")), ListBlock((ListItem(rt("Treat trends with care.")),))),
        "warning", "Caveat",
    )
    todo = Todo("Add the 2025 investment statistics once published <soon>.")
    long_table = Table(
        columns=(Column("Development zone"), Column("Firms", "right"), Column("Growth (%)", "right")),
        rows=tuple(
            (Cell(rt(name)), Cell(rt(str(firms)), True), Cell(rt(growth), True))
            for name, firms, growth in _long_rows(long_table_rows)
        ),
        caption=rt("Firms by development zone"),
        source=rt("Provincial development zone registry."),
    )
    heritage = [Paragraph(rt(text)) for text in PARAGRAPHS[3:6]]
    sections = (
        Section(
            "Significance of the tour", "significance", 1,
            body=(p[0], pillars, quote, p[1]),
            sections=(
                Section("Henan's strategic role", "strategic-role", 2, body=(p[2], callout_note, table)),
                Section(
                    "Signals of central confidence", "signals", 2, body=(steps, callout_key),
                    sections=(Section("Site selection", "site-selection", 3, body=(figure,)),),
                ),
            ),
        ),
        Section(
            "Economic transformation", "economy", 1,
            body=(heritage[0], heritage[1], chart, callout_warning, todo),
            sections=(Section("Development zones", "zones", 2, body=(long_table,)),),
        ),
        Section("Heritage and growth", "heritage", 1, body=(PageBreak(), heritage[2], Paragraph(rt(PARAGRAPHS[6])))),
    )
    conclusion = (Paragraph(rt(PARAGRAPHS[7])),)
    sources = (
        Source(
            "Xi stresses firm confidence in high-quality development during Henan inspection tour",
            "Xinhua", "https://english.news.cn/20250520/0123456789abcdef0123456789abcdef/c.html"
            "?utm_source=briefing&utm_medium=report&utm_campaign=a-very-long-campaign-name",
            "2025-05-20", rt("English edition."),
        ),
        Source("Statistical communiqué on national economic and social development", "Henan Bureau of Statistics", date="2025-03"),
        Source("Field notes", note=rt("Unpublished interviews.")),
    )
    footnotes = tuple(
        Footnote(note_id, numbering.numbers.get(note_id, 0), parse(text))
        for note_id, text in sorted(NOTES.items(), key=lambda item: numbering.numbers.get(item[0], 10**6))
    )
    return Brief(
        path=folder / "henan.yaml",
        title="Henan and High-Quality Development: What Xi's Inspection Tour Signals for the Province",
        subtitle="Industry, agriculture and heritage in China's most populous inland province",
        summary=summary,
        sections=sections,
        date=dt.date(2025, 5, 28),
        updated=dt.date(2025, 6, 2),
        version="1.2",
        status="draft",
        authors=("A. Analyst", "B. Researcher"),
        organization="Institute for Regional Policy Studies",
        marking="Public",
        lang="en",
        keywords=("Henan", "high-quality development", "China"),
        key_points=key_points,
        key_figures=key_figures,
        conclusion=conclusion,
        sources=sources,
        footnotes=footnotes,
    )


def fake_chart_svg(chart: Chart, description: str | None = None) -> str:
    """A stand-in for briefgen.charts.chart_svg: a labelled inline SVG."""
    bars = "".join(
        f'<rect x="{20 + 40 * i}" y="{100 - 10 * i}" width="30" height="{10 * i + 10}" fill="#1B365D"/>'
        for i, _ in enumerate(chart.categories)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 120" width="400" height="240" '
        f'class="test-chart">{bars}<text x="10" y="115" font-size="8">{chart.categories[0]}</text></svg>'
    )


@pytest.fixture
def stub_charts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Provide briefgen.charts.chart_svg whether or not the real module exists."""
    module = types.ModuleType("briefgen.charts")
    module.chart_svg = fake_chart_svg  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "briefgen.charts", module)


@pytest.fixture
def brief(tmp_path: Path) -> Brief:
    return make_rich_brief(tmp_path / "content", long_table_rows=12)


class _Collector(HTMLParser):
    """Text, tags and attributes of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)

    @property
    def plain(self) -> str:
        # U+200B is the print page's break opportunity inside a URL: invisible.
        return " ".join("".join(self.text).replace("\u200b", "").split())

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse_html(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("media", ["screen", "print"])
def test_raw_html_in_content_is_literal_text(brief: Brief, stub_charts: None, media: str) -> None:
    html = render_html(brief, templates=TEMPLATES, media=media)  # type: ignore[arg-type]
    assert "<script>alert(1)</script>" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "published &lt;soon&gt;" in html
    assert [name for name, _ in parse_html(html).tags].count("script") == 0


@pytest.mark.parametrize("media", ["screen", "print"])
def test_every_text_unit_is_in_the_html(brief: Brief, stub_charts: None, media: str) -> None:
    html = render_html(brief, templates=TEMPLATES, media=media)  # type: ignore[arg-type]
    # Notes interrupt the sentence they are called from: read them apart.
    notes = re.findall(r'<span class="footnote"[^>]*>.*?</span>', html, re.S)
    html = re.sub(r'<span class="footnote"[^>]*>.*?</span>|<sup class="note-ref">.*?</sup>', "", html, flags=re.S)
    text = parse_html(html).plain + " ".join(parse_html(note).plain for note in notes)
    expected = [brief.title, brief.subtitle, brief.organization, *brief.authors, brief.summary.plain()]
    expected += [point.plain() for point in brief.key_points]
    for figure in brief.key_figures:
        expected += [figure.value, figure.label] + ([figure.note.plain()] if figure.note else [])
    for section in brief.walk_sections():
        expected.append(section.title)
        expected += _block_texts(section.body)
    expected += _block_texts(brief.conclusion)
    for source in brief.sources:
        expected += [source.title, source.publisher or "", source.date or "", source.url or ""]
        expected += [source.note.plain()] if source.note else []
    expected += [note.text.plain() for note in brief.footnotes if note.number]
    missing = [unit for unit in expected if unit and squash(unit) not in text]
    assert not missing


def _block_texts(blocks: tuple) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text.plain())
        elif isinstance(block, ListBlock):
            texts += [block.lead.plain()] if block.lead else []
            texts += _item_texts(block.items)
        elif isinstance(block, Table):
            texts += [column.title for column in block.columns]
            texts += [cell.text.plain() for row in block.rows for cell in row]
            texts += [part.plain() for part in (block.caption, block.source, block.note) if part]
        elif isinstance(block, (Figure, Chart)):
            texts += [part.plain() for part in (block.caption, block.source) if part]
        elif isinstance(block, Quote):
            texts += [block.text.plain()] + ([block.attribution.plain()] if block.attribution else [])
        elif isinstance(block, Callout):
            texts += [block.title] if block.title else []
            texts += _block_texts(block.body)
        elif isinstance(block, Todo):
            texts += [block.text, "Editor's note"]
    return texts


def _item_texts(items: tuple[ListItem, ...]) -> list[str]:
    texts: list[str] = []
    for item in items:
        if item.term:
            texts.append(f"{item.term.plain()} – {item.text.plain()}")
        else:
            texts.append(item.text.plain())
        texts += _item_texts(item.items)
    return texts


def test_page_break_opening_a_section_breaks_before_its_heading(brief: Brief, stub_charts: None) -> None:
    html = render_html(brief, templates=TEMPLATES, media="print")
    assert '<section class="section level-1 starts-page" id="heritage">' in html
    assert html.count('class="page-break"') == 0


@pytest.mark.parametrize("media", ["screen", "print"])
def test_sections_have_ids_and_heading_levels(brief: Brief, stub_charts: None, media: str) -> None:
    html = render_html(brief, templates=TEMPLATES, media=media)  # type: ignore[arg-type]
    h1 = re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert [squash(h) for h in h1] == [brief.title.replace("'", "&#39;")]
    for section in brief.walk_sections():
        level = section.level + 1
        pattern = rf'<section class="section level-{section.level}[^"]*" id="{section.id}">\s*<h{level}>([^<]*)</h{level}>'
        match = re.search(pattern, html)
        assert match, section.id
        assert match.group(1).replace("&#39;", "'") == section.title
    ids = [attrs["id"] for _, attrs in parse_html(html).tags if attrs.get("id")]
    assert len(ids) == len(set(ids))
    contents = html[html.index('<nav class="contents"') : html.index("</nav>")]
    for section in brief.walk_sections():
        if section.level <= 2:
            assert f'href="#{section.id}"' in contents


def test_links_are_real_anchors(brief: Brief, stub_charts: None) -> None:
    doc = parse_html(render_html(brief, templates=TEMPLATES))
    hrefs = [attrs["href"] for attrs in doc.find("a")]
    assert "https://www.gov.cn/" in hrefs
    assert "mailto:desk@example.org" in hrefs
    assert "https://tjj.henan.gov.cn/" in hrefs  # a link inside a footnote
    assert brief.sources[0].url in hrefs


def test_footnotes_on_screen_are_endnotes_with_back_links(brief: Brief, stub_charts: None) -> None:
    html = render_html(brief, templates=TEMPLATES, media="screen")
    doc = parse_html(html)
    referenced = [note for note in brief.footnotes if note.number]
    notes_part = html[html.index('id="brief_notes"') :]
    for note in referenced:
        refs = [a for a in doc.find("a") if a.get("href") == f"#note_{note.id}"]
        assert refs, note.id
        assert sum(1 for a in refs if a.get("id") == f"noteref_{note.id}") == 1
        assert f'<li id="note_{note.id}" value="{note.number}"' in notes_part
        assert f'href="#noteref_{note.id}"' in notes_part
    assert "A note nobody references." not in html
    stats = brief.footnote("stats")
    again = re.findall(rf'<a href="#note_stats">{stats.number}</a>', html)
    assert len(again) >= 1  # a later reference points to the same number
    assert 'class="footnote"' not in html


def test_footnotes_in_print_float_at_their_first_reference(brief: Brief, stub_charts: None) -> None:
    html = render_html(brief, templates=TEMPLATES, media="print")
    for note in brief.footnotes:
        if not note.number:
            continue
        bodies = re.findall(rf'<span class="footnote" id="note_{note.id}" data-number="(\d+)">', html)
        assert bodies == [str(note.number)], note.id
    # The second reference to a note is a link to the first one's number.
    stats = brief.footnote("stats")
    assert f'<sup class="note-ref"><a href="#note_stats">{stats.number}</a></sup>' in html
    assert 'id="brief_notes"' not in html
    # Reading order: the float carrying the note comes before its later references.
    assert html.index('id="note_stats"') < html.index('href="#note_stats"')
    assert "float: footnote" in html


def test_figure_is_inlined_as_data_url(brief: Brief, stub_charts: None) -> None:
    doc = parse_html(render_html(brief, templates=TEMPLATES))
    images = doc.find("img")
    assert len(images) == 1
    src = images[0]["src"] or ""
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]) == PNG_BYTES
    assert images[0]["alt"] == "A map of Henan's industrial zones"
    assert "width: 60%" in (images[0]["style"] or "")


def test_chart_is_inline_svg_in_a_figure_on_screen(brief: Brief, stub_charts: None) -> None:
    html = render_html(brief, templates=TEMPLATES, media="screen")
    match = re.search(r'<figure class="chart-figure">(.*?)</figure>', html, re.S)
    assert match
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in match.group(1)
    assert "<figcaption>" in match.group(1)


def test_chart_is_an_svg_image_in_print(brief: Brief, stub_charts: None) -> None:
    html = render_html(brief, templates=TEMPLATES, media="print")
    chart = next(b for s in brief.walk_sections() for b in s.body if isinstance(b, Chart))
    images = [attrs for attrs in parse_html(html).find("img") if "chart-image" in (attrs.get("class") or "")]
    assert len(images) == 1
    src = images[0]["src"] or ""
    assert src.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(src.split(",", 1)[1]).decode() == fake_chart_svg(chart)
    assert images[0]["alt"] == chart.describe()
    assert "<svg" not in html.split("</style>", 1)[1]


@pytest.mark.parametrize("media", ["screen", "print"])
def test_no_external_urls_except_content_links(brief: Brief, stub_charts: None, media: str) -> None:
    html = render_html(brief, templates=TEMPLATES, media=media)  # type: ignore[arg-type]
    allowed = {"https://www.gov.cn/", "mailto:desk@example.org", "https://tjj.henan.gov.cn/"}
    allowed |= {source.url for source in brief.sources if source.url}
    doc = parse_html(html)
    for tag, attrs in doc.tags:
        for name in ("src", "href", "srcset", "poster", "data", "action"):
            value = attrs.get(name)
            if value is None:
                continue
            if tag == "a" and name == "href":
                assert value.startswith("#") or value in allowed, value
            else:
                assert value.startswith("data:"), (tag, name, value)
    assert not [tag for tag, _ in doc.tags if tag in ("link", "script", "iframe", "object", "embed", "base")]
    style = html[html.index("<style>") : html.index("</style>")]
    assert "url(" not in style.replace("url(data:", "") and "@import" not in style


def test_title_block_metadata_and_semantics(brief: Brief, stub_charts: None) -> None:
    html = render_html(brief, templates=TEMPLATES)
    doc = parse_html(html)
    assert doc.find("html")[0]["lang"] == "en"
    metas = {attrs.get("name"): attrs.get("content") for attrs in doc.find("meta") if attrs.get("name")}
    assert metas["keywords"] == "Henan, high-quality development, China"
    assert metas["description"] == brief.summary.plain()
    assert metas["generator"].startswith("briefgen ")
    assert metas["dcterms.created"] == "2025-05-28"
    assert metas["dcterms.modified"] == "2025-06-02"
    assert [attrs["content"] for attrs in doc.find("meta") if attrs.get("name") == "author"] == list(brief.authors)
    assert "<title>Henan and High-Quality Development" in html
    assert "May 28, 2025" in doc.plain and "Updated June 2, 2025" in doc.plain
    assert [attrs.get("scope") for attrs in doc.find("th")] == ["col"] * len(doc.find("th"))
    assert len(doc.find("caption")) == 2 and len(doc.find("thead")) == 2
    assert any("align-right" in (attrs.get("class") or "") for attrs in doc.find("td"))
    assert {"callout callout-note", "callout callout-key", "callout callout-warning", "todo"} <= {
        attrs.get("class") for attrs in doc.find("aside")
    }
    assert doc.find("blockquote") and doc.find("cite") and doc.find("figcaption")
    assert "<strong class=\"term\">Innovation</strong> – Fostering" in html
    assert doc.find("ol") and doc.find("ul") and doc.find("nav")
    assert html.count("Public") >= 2  # marking banner at top and bottom
    assert "Draft" in doc.plain


def test_print_media_has_running_elements_and_print_css(brief: Brief, stub_charts: None) -> None:
    html = render_html(brief, templates=TEMPLATES, media="print")
    assert "@page" in html and "target-counter(attr(href), page)" in html
    assert 'class="running marking-top"' in html and 'class="running marking-bottom"' in html
    assert 'class="draft-watermark"' in html
    screen = render_html(brief, templates=TEMPLATES, media="screen")
    assert "@page" not in screen and "running" not in screen.split("</style>", 1)[1]


def test_unknown_media_is_refused(brief: Brief) -> None:
    with pytest.raises(ValueError):
        render_html(brief, templates=TEMPLATES, media="tv")  # type: ignore[arg-type]


def test_image_types_come_from_the_bytes() -> None:
    assert image_type(PNG_BYTES) == "image/png"
    assert image_type(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert image_type(b"GIF89a...") == "image/gif"
    assert image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert image_type(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>') == "image/svg+xml"
    assert image_type(b"<html><body>not an image</body></html>") is None
    assert image_type(b"%PDF-1.7") is None


def test_short_title_for_running_headers() -> None:
    assert short_title("Short title") == "Short title"
    long = "Henan and High-Quality Development: What Xi's Inspection Tour Signals for the Province"
    assert short_title(long) == "Henan and High-Quality Development"
    cut = short_title("word " * 30)
    assert len(cut) <= 60 and cut.endswith("…")


def _small_brief(folder: Path, **fields: object) -> Brief:
    values: dict[str, object] = {
        "path": folder / "small.yaml",
        "title": "Small",
        "summary": parse("A summary."),
        "sections": (Section("Only", "only", 1, body=(Paragraph(parse("One.")),)),),
    }
    values.update(fields)
    return Brief(**values)  # type: ignore[arg-type]


def test_plain_text_fields_are_escaped_too(tmp_path: Path) -> None:
    brief = _small_brief(
        tmp_path,
        title="<i>Title</i> & co",
        organization="<b>Org</b>",
        marking="<u>MARK</u>",
        sections=(Section("<em>Heading</em>", "only", 1, body=(Todo("<script>x</script>"),)),),
    )
    for media in MEDIA:
        html = render_html(brief, templates=TEMPLATES, media=media)
        body = html.split("</style>", 1)[1]
        for raw in ("<i>Title</i>", "<b>Org</b>", "<u>MARK</u>", "<em>Heading</em>", "<script>"):
            assert raw not in body
        assert "&lt;i&gt;Title&lt;/i&gt; &amp; co" in body
        assert "<title>&lt;i&gt;Title&lt;/i&gt; &amp; co</title>" in html


def test_page_break_inside_a_body_is_print_only_markup(tmp_path: Path) -> None:
    body = (Paragraph(parse("Before.")), PageBreak(), Paragraph(parse("After.")))
    brief = _small_brief(tmp_path, sections=(Section("Only", "only", 1, body=body),))
    html = render_html(brief, templates=TEMPLATES, media="print")
    assert re.search(r"Before\.</p>\s*<div class=\"page-break\"[^>]*></div>\s*<p>After\.", html)
    assert 'class="section level-1" id="only"' in html


def test_a_brief_without_optional_parts(tmp_path: Path) -> None:
    brief = _small_brief(tmp_path)
    for media in MEDIA:
        html = render_html(brief, templates=TEMPLATES, media=media)
        doc = parse_html(html)
        assert "Small" in doc.plain and "One." in doc.plain
        assert 'id="brief_key_points"' not in html and 'id="brief_key_figures"' not in html
        assert 'id="brief_sources"' not in html and 'id="brief_notes"' not in html
        assert "marking" not in html.split("</style>", 1)[1]
        assert not [attrs for attrs in doc.find("meta") if attrs.get("name") == "dcterms.created"]


def test_note_number_stays_with_its_word(brief: Brief, stub_charts: None) -> None:
    html = render_html(brief, templates=TEMPLATES, media="screen")
    assert '<span class="note-anchor">economy.<sup class="note-ref">' in html
    cjk = _small_brief(
        tmp_path_for(brief),
        summary=parse("河南省位于中国中部，是重要的粮食生产基地。[^n]", FootnoteNumbering(frozenset({"n"}))),
        footnotes=(Footnote("n", 1, parse("Note.")),),
    )
    html = render_html(cjk, templates=TEMPLATES, media="print").split("</style>", 1)[1]
    # A run without spaces keeps only its last characters with the note.
    assert '河南省位于中国中部，是重要的粮食生产基<span class="note-anchor">地。<span class="note-call"' in html


def tmp_path_for(brief: Brief) -> Path:
    return brief.folder


def test_compiled_templates_are_kept_and_follow_their_source(tmp_path):
    from briefgen.writers import html as html_writer

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "note.html").write_text("first {{ 1 + 1 }}", encoding="utf-8")
    env = html_writer._environment((folder,))
    assert env.bytecode_cache is not None
    assert env.get_template("note.html").render() == "first 2"
    # a new process: a new environment, the same cache on disk
    html_writer._environment.cache_clear()
    (folder / "note.html").write_text("second {{ 2 + 2 }}", encoding="utf-8")
    assert html_writer._environment((folder,)).get_template("note.html").render() == "second 4"
    html_writer._environment.cache_clear()
