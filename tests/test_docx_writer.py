"""The Word writer, checked on the XML of the file it writes."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from PIL import Image

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
    Section,
    Series,
    Source,
    Table,
    Todo,
)
from briefgen.richtext import FootnoteNumbering, parse, plain
from briefgen.textunits import text_units
from briefgen.writers.docx import CONTENTS_PLACEHOLDER, REQUIRED_STYLES, render_docx

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "src" / "briefgen" / "templates" / "reference.docx"
LINK_URL = "https://example.org/henan-report"
FIGURE_ALT = "A small teal square standing in for a map of Henan."
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

NOTES = {
    "stats": "Henan Statistical Yearbook 2024, table 3-1.",
    "visit": "Reported by *Xinhua*, 20 May 2025.",
    "grain": "Ministry of Agriculture, [harvest data](https://example.org/grain).",
}


def make_brief(folder: Path) -> Brief:
    """A brief that uses every block type, both list kinds and three notes."""
    numbering = FootnoteNumbering(known=frozenset(NOTES))

    def rich(source: str):
        return parse(source, numbering)

    image = folder / "map.png"
    Image.new("RGB", (40, 30), (46, 125, 122)).save(image)
    summary = rich(
        "Henan pairs **grain security** with *industrial upgrading*.[^stats][^visit]"
    )
    key_points = (
        rich("Advanced manufacturing leads the province's growth."),
        rich(f"See the [full report]({LINK_URL}) for details."),
    )
    context = Section(
        title="Context of the visit",
        id="context",
        level=1,
        body=(
            Paragraph(
                rich(
                    f"The tour covered [three cities]({LINK_URL}) in four days.[^stats]"
                )
            ),
            ListBlock(
                lead=rich("Dimensions of the inspection:"),
                items=(
                    ListItem(
                        rich("reinforcing trust in provincial leaders"),
                        term=rich("Political confidence"),
                    ),
                    ListItem(
                        rich("Policy verification on the ground"),
                        items=(
                            ListItem(rich("Farm visits in Zhoukou")),
                            ListItem(rich("Factory visits in Luoyang")),
                        ),
                    ),
                ),
            ),
            ListBlock(
                style="numbered",
                items=(
                    ListItem(rich("Innovation first")),
                    ListItem(
                        rich("Coordination second"),
                        items=(ListItem(rich("Urban and rural")),),
                    ),
                    ListItem(rich("Green growth third")),
                ),
            ),
        ),
        sections=(
            Section(
                title="The strategy in numbers",
                id="strategy",
                level=2,
                body=(
                    ListBlock(
                        style="numbered",
                        items=(
                            ListItem(rich("Openness to trade")),
                            ListItem(rich("Shared prosperity")),
                        ),
                    ),
                    Table(
                        caption=rich("Henan at a glance"),
                        columns=(
                            Column("Indicator"),
                            Column("Value", "right"),
                            Column("Note", "center"),
                        ),
                        rows=(
                            (
                                Cell(plain("High-tech enterprises")),
                                Cell(plain("12,000"), numeric=True),
                                Cell(plain("2024")),
                            ),
                            (
                                Cell(plain("Key laboratories")),
                                Cell(plain("13"), numeric=True),
                                Cell(rich("national *level*")),
                            ),
                        ),
                        source=rich("Provincial statistics bureau"),
                        note=rich("Figures are rounded."),
                    ),
                ),
                sections=(
                    Section(
                        title="Sites and symbols",
                        id="sites",
                        level=3,
                        body=(
                            Figure(
                                src="map.png",
                                path=image,
                                alt=FIGURE_ALT,
                                caption=rich("Where the tour went"),
                                source=rich("Own drawing"),
                                width=50,
                            ),
                            Chart(
                                kind="column",
                                categories=("2021", "2022", "2023"),
                                series=(
                                    Series("Output", (1.0, 2.5, 3.0)),
                                    Series("Exports", (0.5, 1.0, 1.5)),
                                ),
                                title="Output grows",
                                caption=rich("Industrial output, trillion yuan"),
                                source=rich("Statistics bureau"),
                            ),
                            Quote(
                                rich("High-quality development is the primary task."),
                                rich("Xi Jinping"),
                            ),
                            Callout(
                                kind="key",
                                title="Why Henan matters",
                                body=(
                                    Paragraph(rich("It feeds a tenth of the country.")),
                                    ListBlock(
                                        items=(
                                            ListItem(rich("Central location")),
                                            ListItem(rich("Large market")),
                                        )
                                    ),
                                ),
                            ),
                            Todo("Add the 2025 harvest figures."),
                            PageBreak(),
                        ),
                    ),
                ),
            ),
        ),
    )
    outlook = Section(
        title="Outlook",
        id="outlook",
        level=1,
        body=(
            Paragraph(
                rich(
                    "河南省 will keep its role as a grain base.[^grain] Growth continues.[^visit]"
                )
            ),
        ),
    )
    footnotes = tuple(
        Footnote(note_id, numbering.numbers[note_id], parse(text))
        for note_id, text in sorted(
            NOTES.items(), key=lambda item: numbering.numbers[item[0]]
        )
    )
    return Brief(
        path=folder / "henan.yaml",
        title="Grain, gears and heritage",
        subtitle="What the Henan inspection tour signals",
        summary=summary,
        sections=(context, outlook),
        date=dt.date(2025, 5, 20),
        updated=dt.date(2025, 5, 22),
        version="1.2",
        status="draft",
        authors=("A. Analyst", "B. Researcher"),
        organization="Institute for Regional Studies",
        marking="PUBLIC",
        lang="en-GB",
        keywords=("Henan", "development"),
        key_points=key_points,
        key_figures=(
            KeyFigure("12,000", "high-tech enterprises"),
            KeyFigure("13", "national key laboratories", rich("as of 2024")),
            KeyFigure("100 m", "residents"),
        ),
        conclusion=(Paragraph(rich("Henan is a test case for modernization.")),),
        sources=(
            Source(
                "Henan inspection tour",
                publisher="Xinhua",
                url=LINK_URL,
                date="2025-05-20",
            ),
            Source(
                "Statistical Yearbook",
                publisher="Henan Bureau",
                note=rich("Print edition."),
            ),
        ),
        footnotes=footnotes,
    )


@pytest.fixture(scope="module")
def brief(tmp_path_factory) -> Brief:
    return make_brief(tmp_path_factory.mktemp("brief"))


@pytest.fixture(scope="module")
def data(brief: Brief) -> bytes:
    return render_docx(brief, reference=REFERENCE)


@pytest.fixture(scope="module")
def document(data: bytes):
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        }


def _text_of(xml: str) -> str:
    """The visible text of a part, one line per paragraph."""
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL)
    lines = [
        "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs
    ]
    return (
        "\n".join(lines).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )


def _paragraphs(document, style: str):
    return [
        p for p in document.paragraphs if p.style.name.casefold() == style.casefold()
    ]


def _num_pr(paragraph) -> tuple[int, int]:
    num_pr = paragraph._p.pPr.numPr
    assert num_pr is not None, paragraph.text
    return int(num_pr.numId.val), int(num_pr.ilvl.val)


def test_headings_follow_section_levels(document):
    by_text = {p.text: p.style.name for p in document.paragraphs}
    assert by_text["Context of the visit"] == "Heading 1"
    assert by_text["The strategy in numbers"] == "Heading 2"
    assert by_text["Sites and symbols"] == "Heading 3"
    assert by_text["Conclusion"] == "Heading 1"
    assert by_text["Sources"] == "Heading 1"


def test_front_matter_order_and_styles(document):
    styles = [p.style.name for p in document.paragraphs[:12]]
    assert styles[:2] == ["Title", "Subtitle"]
    meta = [p.text for p in _paragraphs(document, "Cover Meta")]
    assert meta == [
        # en-GB: CLDR's British long form, day before month
        "20 May 2025 \u00b7 Updated 22 May 2025",
        "Version 1.2",
        "A. Analyst, B. Researcher",
        "Institute for Regional Studies",
    ]
    assert len(_paragraphs(document, "Summary")) == 1
    assert len(_paragraphs(document, "Key Takeaway")) == 2
    order = [p.style.name.casefold() for p in document.paragraphs]
    assert order.index("summary") < order.index("key takeaway") < order.index("toc 1")
    assert order.index("toc 1") < order.index("heading 1")


def test_key_figures_are_a_table(document):
    table = document.tables[0]
    assert table.style.name == "Key Figures Table"
    texts = [
        "".join(t.text for t in p.iter(qn("w:t"))) for p in table._tbl.iter(qn("w:p"))
    ]
    assert texts[:3] == ["12,000", "high-tech enterprises", "13"]
    assert "as of 2024" in texts


def test_lists_use_list_styles_and_real_numbering(document, parts):
    bullets = _paragraphs(document, "List Bullet")
    nested = _paragraphs(document, "List Bullet 2")
    numbers = _paragraphs(document, "List Number")
    assert [p.text for p in bullets] == [
        "Political confidence \u2013 reinforcing trust in provincial leaders",
        "Policy verification on the ground",
    ]
    assert bullets[0].runs[0].bold and bullets[0].runs[0].text == "Political confidence"
    assert [_num_pr(p)[1] for p in nested] == [1, 1]
    assert {_num_pr(p)[0] for p in bullets} == {_num_pr(p)[0] for p in nested}
    assert [p.text for p in _paragraphs(document, "List Number 2")] == [
        "Urban and rural"
    ]

    first_list = {_num_pr(p)[0] for p in numbers[:3]}
    second_list = {_num_pr(p)[0] for p in numbers[3:]}
    assert len(first_list) == len(second_list) == 1
    assert first_list != second_list
    numbering = docx.oxml.parse_xml(parts["word/numbering.xml"].encode())
    for num_id in first_list | second_list:
        num = next(
            n
            for n in numbering.iter(qn("w:num"))
            if n.get(qn("w:numId")) == str(num_id)
        )
        starts = {
            o.get(qn("w:ilvl")): o.find(qn("w:startOverride")).get(qn("w:val"))
            for o in num.iter(qn("w:lvlOverride"))
        }
        assert starts["0"] == "1"


def test_footnotes_are_real_word_footnotes(parts, brief):
    assert "word/footnotes.xml" in parts
    assert "wordprocessingml.footnotes+xml" in parts["[Content_Types].xml"]
    assert RT.FOOTNOTES in parts["word/_rels/document.xml.rels"]
    notes = parts["word/footnotes.xml"]
    assert 'w:type="separator" w:id="-1"' in notes
    assert 'w:type="continuationSeparator" w:id="0"' in notes
    text = _text_of(notes)
    assert "Henan Statistical Yearbook 2024, table 3-1." in text
    assert "Reported by Xinhua, 20 May 2025." in text
    assert "Ministry of Agriculture, harvest data." in text
    body = parts["word/document.xml"]
    references = re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body)
    assert sorted(references) == ["1", "2", "3"]
    assert notes.count("<w:footnote ") == 2 + 3
    assert body.count("NOTEREF") == 2  # "stats" and "visit" are referenced twice
    assert '<w:rStyle w:val="FootnoteReference"/>' in body
    assert '<w:pStyle w:val="FootnoteText"/>' in notes
    # The link inside a note is related from the footnotes part.
    assert "https://example.org/grain" in parts["word/_rels/footnotes.xml.rels"]


def test_table_header_alignment_and_alt_text(document, parts):
    table = document.tables[1]
    assert table.style.name == "Brief Table"
    rows = table._tbl.tr_lst
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)
    assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    header_styles = [tc.p_lst[0].pPr.pStyle.val for tc in rows[0].tc_lst]
    assert header_styles == ["TableHeading", "TableHeadingRight", "TableHeadingCenter"]
    assert rows[1].tc_lst[1].p_lst[0].pPr.pStyle.val == "TableTextRight"
    assert (
        table._tbl.tblPr.find(qn("w:tblCaption")).get(qn("w:val"))
        == "Henan at a glance"
    )
    assert table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:type")) == "pct"
    caption_index = [p.text for p in document.paragraphs].index("Henan at a glance")
    assert document.paragraphs[caption_index].style.name == "Caption"


def test_hyperlinks_are_external_relationships(document, parts):
    rels = [r for r in document.part.rels.values() if r.reltype == RT.HYPERLINK]
    assert rels and all(r.is_external for r in rels)
    linked = {r.rId for r in rels if r.target_ref == LINK_URL}
    assert linked
    used = set(re.findall(r'<w:hyperlink r:id="(rId\d+)"', parts["word/document.xml"]))
    assert linked <= used
    assert '<w:rStyle w:val="Hyperlink"/>' in parts["word/document.xml"]


def test_pictures_carry_alt_text(parts, brief):
    chart = brief.sections[0].sections[0].sections[0].body[1]
    descriptions = re.findall(
        r'<wp:docPr [^>]*descr="([^"]*)"', parts["word/document.xml"]
    )
    assert FIGURE_ALT in descriptions
    assert chart.describe() in descriptions


def test_every_text_unit_appears(parts, brief):
    text = "\n".join(
        _text_of(xml)
        for name, xml in parts.items()
        if re.match(r"word/(document|footnotes|header\d*|footer\d*)\.xml$", name)
    )
    missing = [unit for unit in text_units(brief) if unit not in text]
    assert missing == []
    assert CONTENTS_PLACEHOLDER in text
    assert "Editor's note: Add the 2025 harvest figures." in text


def test_page_furniture(parts):
    header = "".join(
        xml for name, xml in parts.items() if name.startswith("word/header")
    )
    footer = "".join(
        xml for name, xml in parts.items() if name.startswith("word/footer")
    )
    assert "PUBLIC" in _text_of(header) and "DRAFT" in _text_of(header)
    assert '<w:pStyle w:val="DraftMark"/>' in header
    assert "PUBLIC" in _text_of(footer)
    assert "Institute for Regional Studies" in _text_of(footer)
    assert " PAGE " in footer and " NUMPAGES " in footer


def test_contents_field_and_settings(parts):
    body = parts["word/document.xml"]
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert '<w:updateFields w:val="true"/>' in parts["word/settings.xml"]
    assert (
        '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
        in parts["word/settings.xml"]
    )


def test_page_break(parts):
    assert '<w:br w:type="page"/>' in parts["word/document.xml"]


def test_language_and_east_asian_fonts(parts):
    styles = parts["word/styles.xml"]
    assert re.search(r'<w:lang w:val="en-GB" w:eastAsia="zh-CN"', styles)
    assert 'w:eastAsia="Noto Serif CJK SC"' in styles
    assert 'w:eastAsia="Noto Sans CJK SC"' in styles


def test_core_properties(document):
    props = document.core_properties
    assert props.title == "Grain, gears and heritage"
    assert props.subject == "What the Henan inspection tour signals"
    assert props.author == "A. Analyst; B. Researcher"
    assert props.keywords == "Henan, development"
    assert props.created == dt.datetime(2025, 5, 20, tzinfo=props.created.tzinfo)
    assert props.modified == dt.datetime(2025, 5, 22, tzinfo=props.modified.tzinfo)
    assert props.revision == 1
    assert props.content_status == "draft"
    assert props.version == "1.2"


def test_output_is_byte_identical(brief, data):
    assert render_docx(brief, reference=REFERENCE) == data


def test_missing_styles_are_named(brief, tmp_path):
    reference = docx.Document(str(REFERENCE))
    for name in ("Summary", "Callout Text"):
        element = reference.styles[name].element
        element.getparent().remove(element)
    broken = tmp_path / "broken.docx"
    reference.save(str(broken))
    with pytest.raises(ValueError) as error:
        render_docx(brief, reference=broken)
    message = str(error.value)
    assert "Summary" in message and "Callout Text" in message
    assert "Title" not in message.split(":", 1)[1]


def test_reference_document_defines_every_style():
    reference = docx.Document(str(REFERENCE))
    names = {style.name.casefold() for style in reference.styles}
    assert [n for n in REQUIRED_STYLES if n.casefold() not in names] == []


def test_committed_reference_is_current(monkeypatch):
    spec = importlib.util.spec_from_file_location(
        "make_reference_docx", ROOT / "tools" / "make_reference_docx.py"
    )
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    assert module.build() == REFERENCE.read_bytes(), "run tools/make_reference_docx.py"


def test_minimal_brief_without_optional_parts(tmp_path):
    summary = (
        "A summary long enough to exceed what Office allows in a core property. " * 5
    )
    brief = Brief(
        path=tmp_path / "minimal.yaml",
        title="A minimal brief",
        summary=parse(summary),
        sections=(
            Section("Only section", "only", 1, (Paragraph(parse("One paragraph.")),)),
        ),
    )
    data = render_docx(brief, reference=REFERENCE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        settings = archive.read("word/settings.xml").decode()
        header = "".join(
            archive.read(n).decode() for n in names if n.startswith("word/header")
        )
    assert "word/footnotes.xml" not in names and "footnotePr" not in settings
    assert "DRAFT" not in header and "Marking" not in header
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.title == "A minimal brief"
    assert len(props.comments) <= 255 and props.comments.startswith(
        "A summary long enough"
    )


def test_first_page_has_its_own_header_without_the_running_title(document):
    section = document.sections[0]
    assert section.different_first_page_header_footer
    first = [p.text for p in section.first_page_header.paragraphs]
    running = [p.text for p in section.header.paragraphs]
    assert first == ["PUBLIC", "DRAFT"]
    assert running == ["PUBLIC", "DRAFT", "Grain, gears and heritage"]
    footer = "".join(p.text for p in section.first_page_footer.paragraphs)
    assert "PUBLIC" in footer and "Institute for Regional Studies" in footer


def test_key_takeaways_are_a_bulleted_list(document):
    points = _paragraphs(document, "Key Takeaway")
    num_ids = {_num_pr(p) for p in points}
    assert len(num_ids) == 1 and next(iter(num_ids))[1] == 0


def test_long_titles_are_shortened_in_the_running_header(brief):
    long_title = (
        "Xi stresses firm confidence in high-quality development during "
        "Henan inspection tour"
    )
    data = render_docx(replace(brief, title=long_title), reference=REFERENCE)
    header = docx.Document(io.BytesIO(data)).sections[0].header
    shown = header.paragraphs[-1].text
    assert shown.endswith("\u2026") and len(shown) <= 60
    assert long_title.startswith(shown[:-1])


@pytest.mark.parametrize(
    ("lang", "word_lang", "east_asian", "font"),
    [
        ("en", "en-US", "zh-CN", "Noto Serif CJK SC"),
        ("de-CH", "de-CH", "zh-CN", "Noto Serif CJK SC"),
        ("zh", "zh-CN", "zh-CN", "Noto Serif CJK SC"),
        ("zh-TW", "zh-TW", "zh-TW", "Noto Serif CJK TC"),
        ("ja", "ja-JP", "ja-JP", "Noto Serif CJK JP"),
        ("ko-KR", "ko-KR", "ko-KR", "Noto Serif CJK KR"),
    ],
)
def test_language_and_cjk_face_follow_the_brief(
    brief, lang, word_lang, east_asian, font
):
    data = render_docx(replace(brief, lang=lang), reference=REFERENCE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("word/styles.xml").decode()
    defaults = re.search(
        r"<w:docDefaults>.*?</w:docDefaults>", styles, re.DOTALL
    ).group()
    assert f'<w:lang w:val="{word_lang}" w:eastAsia="{east_asian}"' in defaults
    assert f'w:eastAsia="{font}"' in defaults
    sans = font.replace("Serif", "Sans")
    heading = re.search(r'w:styleId="Heading1".*?</w:style>', styles, re.DOTALL).group()
    assert f'w:eastAsia="{sans}"' in heading
    if not font.endswith("SC"):
        assert "CJK SC" not in styles


def test_chinese_text_keeps_its_characters(parts):
    assert "河南省 will keep its role as a grain base." in _text_of(
        parts["word/document.xml"]
    )
