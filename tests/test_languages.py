"""Languages end to end: the French brief says everything in French, the
Arabic brief is laid out right to left in all three outputs, catalogs and
label overrides behave, dates follow CLDR at their precision."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile
import tomllib
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.errors import BriefErrors
from briefgen.labels import known_label_keys, labels_for
from briefgen.lint import lint
from briefgen.locales import format_date, hyphenation_language, is_rtl
from briefgen.model import PartialDate
from briefgen.read import load_brief
from briefgen.writers.html import page_counter_css, render_html
from outputs import ROOT, TEMPLATES, build
from test_pdf_glyphs import drawn_characters

CONTENT = ROOT / "content"
CATALOGS = TEMPLATES / "labels"
REQUIRED = ("en", "fr", "de", "es", "pt", "ru", "zh", "ja", "ar")


@pytest.fixture(scope="module")
def french():
    return build(CONTENT / "systeme-solaire.yaml")


@pytest.fixture(scope="module")
def arabic():
    return build(CONTENT / "arabic-brief.yaml")


def test_every_required_catalog_has_every_label():
    keys = known_label_keys()
    for lang in REQUIRED + ("zh-hant",):
        catalog = tomllib.loads((CATALOGS / f"{lang}.toml").read_text("utf-8"))
        assert set(catalog) == keys, lang
        assert all(value.strip() for value in catalog.values()), lang
        assert "{page}" in catalog["page"] and "{pages}" in catalog["page"], lang


def _english_only_labels() -> list[str]:
    """English labels the French catalog words differently ("Page {page} of {pages}" as a pattern)."""
    english, french = labels_for("en"), labels_for("fr")
    french_words = set(french.values())  # "Note" is French too (fr: note = "Note")
    return [value for key, value in english.items() if value != french[key] and value not in french_words]


@pytest.mark.parametrize("medium", ["html_text", "pdf_text", "docx_text"])
def test_the_french_brief_has_no_english_label_and_french_dates(french, medium):
    text = getattr(french, medium)
    for label in _english_only_labels():
        pattern = re.escape(label).replace(r"\{page\}", r"\d+").replace(r"\{pages\}", r"\d+")
        for form in (pattern, pattern.upper()):  # headings may be set in capitals
            assert not re.search(rf"(?<!\w){form}(?!\w)", text), label
    assert "20 novembre 2026" in text and "28 novembre 2026" in text
    assert "November" not in text
    for label in ("Résumé", "Points clés", "Sommaire", "Mise à jour"):
        assert label.lower() in text.lower(), label
    if medium == "docx_text":  # in Word the key figures table is named by its title
        assert 'w:tblCaption w:val="Chiffres clés"' in french.docx_part("word/document.xml")
    else:
        assert "chiffres clés" in text.lower()
    if medium != "html_text":  # the page counter is a PDF and Word thing
        assert re.search(r"Page \d sur \d", text)


def test_the_arabic_html_and_pdf_run_right_to_left(arabic):
    assert re.search(r'<html lang="ar" dir="rtl"', arabic.html)
    assert "css/rtl.css" in arabic.html  # the mirroring rules are laid over the others
    assert PdfReader(__import__("io").BytesIO(arabic.pdf)).trailer["/Root"]["/Lang"] == "ar"


def _shaped_characters(reader: PdfReader) -> dict[str, set[str]]:
    """Each character some embedded font draws with a real glyph (not .notdef).

    Arabic is shaped: a letter is drawn with its initial, medial or final
    form, a glyph the font's own cmap does not list, so the font's
    ``/ToUnicode`` map is what ties the glyph to the letter.
    """
    from fontTools.ttLib import TTFont
    from test_pdf_glyphs import _font_file, _fonts, _to_unicode

    drawn: dict[str, set[str]] = {}
    for font in _fonts(reader):
        data = _font_file(font)
        if data is None:
            continue
        glyphs = TTFont(__import__("io").BytesIO(data), fontNumber=0)["maxp"].numGlyphs
        for code, text in _to_unicode(font).items():
            if 0 < code < glyphs:
                for char in text:
                    drawn.setdefault(char, set()).add(str(font["/BaseFont"]))
    return drawn


def test_every_arabic_character_of_the_brief_is_drawn_with_a_glyph(arabic):
    reader = PdfReader(__import__("io").BytesIO(arabic.pdf))
    drawn = _shaped_characters(reader)
    source = (CONTENT / "arabic-brief.yaml").read_text("utf-8")
    letters = {c for c in source if "\u0600" <= c <= "\u06ff" and c.isalpha()}
    assert len(letters) > 25
    missing = sorted(letters - set(drawn))
    assert not missing, missing
    assert all(any("Arabic" in font for font in drawn[char]) for char in letters)
    # and the Latin words and digits of the brief too (the shared glyph check)
    latin = drawn_characters(reader)
    assert set("PDFWordHTMLYAMLbriefgen2026") <= set(latin)


def _lines(pdf: bytes) -> list[tuple[str, float, float, float]]:
    """(text, xMin, xMax, page width) of each line, from pdftotext -bbox (visual order)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        xml = subprocess.run(["pdftotext", "-bbox-layout", handle.name, "-"], capture_output=True, check=True).stdout.decode()
    width = float(re.search(r'<page width="([\d.]+)"', xml).group(1))
    out = []
    for line in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', xml, re.S):
        words = re.findall(r">([^<]+)</word>", line.group(5))
        out.append((" ".join(words), float(line.group(1)), float(line.group(3)), width))
    return out


def test_arabic_headings_sit_against_the_right_margin(arabic):
    brief = arabic.brief
    titles = [s.title for s in brief.sections] + [labels_for("ar")[k] for k in ("contents", "conclusion", "sources", "summary")]
    lines = _lines(arabic.pdf)
    # pdftotext gives right-to-left text in visual order (and ligatures such as
    # lam-alef in their own order): compare the letters, not their sequence
    def letters(text: str) -> list[str]:
        return sorted(text.replace(" ", ""))

    found = {title: line for title in titles for line in lines if letters(line[0]) == letters(title)}
    assert set(found) == set(titles), [t for t in titles if t not in found]
    width = lines[0][3]
    margin = width - 68.03  # the text's right edge: 24 mm from the page's edge
    for title, (_, x_min, x_max, _) in found.items():
        inset = 10 if title == labels_for("ar")["summary"] else 0  # inside the summary box
        assert abs(x_max - (margin - inset)) < 12, (title, x_max)
        assert x_min > width / 3, title


def test_the_arabic_word_file_marks_paragraphs_and_runs_right_to_left(arabic):
    body = arabic.docx_part("word/document.xml")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", body, re.S)
    assert paragraphs and all("<w:bidi/>" in p for p in paragraphs)
    assert "<w:rtl/>" in body and "<w:bidiVisual/>" in body
    styles = arabic.docx_part("word/styles.xml")
    assert 'w:bidi="ar-SA"' in styles and 'w:val="ar-SA"' in styles
    assert 'w:cs="Noto Naskh Arabic"' in styles
    # a Latin word keeps its own direction: its run is not marked right to left
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*?<w:t[^>]*>([^<]*)</w:t></w:r>", body, re.S)
    assert runs
    latin = re.search(r"<w:r><w:rPr>(?:(?!</w:r>).)*<w:t[^>]*>PDF</w:t></w:r>", body, re.S)
    assert latin is None or "<w:rtl/>" not in latin.group(0)


def test_traditional_chinese_gets_its_own_script():
    assert labels_for("zh-Hant")["contents"] == "目錄" and labels_for("zh-TW")["contents"] == "目錄"
    assert labels_for("zh")["contents"] == "目录" and labels_for("zh-CN")["contents"] == "目录"


def test_a_language_without_a_catalog_falls_back_to_english_with_a_warning(write_brief):
    path = write_brief("title: T\nlang: sw\nsummary: S\nsections: [{title: A, body: [x]}]\n")
    brief = load_brief(path)
    warnings = [d.message for d in lint(brief)]
    assert any("no label catalog for the language 'sw'" in w for w in warnings)
    assert labels_for("sw")["summary"] == "Summary"


def test_labels_override_words_and_an_unknown_label_is_an_error(write_brief):
    path = write_brief(
        "title: T\nlang: fr\nlabels:\n  key_points: L’essentiel\n  page: \"{page}/{pages}\"\n"
        "summary: S\nkey_points: [P]\nsections: [{title: A, body: [x]}]\n"
    )
    outputs = build(path)
    for text in (outputs.html_text, outputs.pdf_text, outputs.docx_text):
        assert "l’essentiel" in text.lower() and "points clés" not in text.lower()
    assert "1/1" in outputs.pdf_text
    bad = write_brief("title: T\nlabels:\n  sumary: Overview\nsummary: S\nsections: [{title: A, body: [x]}]\n", "bad")
    with pytest.raises(BriefErrors) as caught:
        load_brief(bad)
    assert [d.format() for d in caught.value.diagnostics] == [
        f"{bad}:3:3: error: labels.sumary: unknown label 'sumary'; did you mean 'summary'?"
    ]


@pytest.mark.parametrize(
    ("value", "lang", "shown"),
    [
        (dt.date(2026, 12, 1), "fr", "1 décembre 2026"),
        (dt.date(2026, 12, 1), "de", "1. Dezember 2026"),
        (dt.date(2026, 12, 1), "zh", "2026年12月1日"),
        (PartialDate(2025, 9), "en", "September 2025"),
        (PartialDate(2025, 9), "es", "septiembre de 2025"),
        (PartialDate(2025), "ja", "2025年"),
        (PartialDate(2025), "en", "2025"),
    ],
)
def test_dates_follow_cldr_at_their_precision(value, lang, shown):
    assert format_date(value, lang) == shown


def test_month_and_year_dates_are_read_and_shown(write_brief):
    path = write_brief("title: T\ndate: 2025-09\nupdated: '2026'\nsummary: S\nsections: [{title: A, body: [x]}]\n")
    brief = load_brief(path)
    assert brief.date == PartialDate(2025, 9) and brief.updated == PartialDate(2026)
    html = build(path).html
    assert '<time datetime="2025-09">September 2025</time>' in html
    bad = write_brief("title: T\ndate: 2025-13\nsummary: S\nsections: [{title: A, body: [x]}]\n", "bad")
    with pytest.raises(BriefErrors, match="not a date written as YYYY-MM-DD, YYYY-MM or YYYY"):
        load_brief(bad)


def test_direction_and_hyphenation_come_from_the_language():
    assert all(is_rtl(lang) for lang in ("ar", "he", "fa", "ur", "ar-EG"))
    assert not any(is_rtl(lang) for lang in ("en", "fr", "zh", "ja", "ru"))
    assert hyphenation_language("fr") and hyphenation_language("de-CH")
    assert hyphenation_language("ar") is None and hyphenation_language("zh") is None


def test_no_hyphenation_where_the_language_has_no_patterns(arabic, french):
    assert 'class="media-screen theme-default no-hyphens"' in arabic.html
    assert "no-hyphens" not in french.html.split(">", 2)[1]


def test_page_counter_pattern_is_escaped_css():
    assert page_counter_css("Page {page} of {pages}") == '"Page " counter(page) " of " counter(pages)'
    assert page_counter_css('{page}"; body') == 'counter(page) "\\22 ; body"'


def test_a_chart_without_alt_text_is_described_in_the_brief_language(write_brief):
    """The generated alt text is a word the pipeline writes: it follows `lang`
    in the HTML (inline SVG and print image), the PDF's /Alt and Word's descr."""
    path = write_brief(
        "title: T\nlang: de\nsummary: S\nsections:\n  - title: A\n    body:\n"
        "      - chart:\n          type: column\n          title: Einwohner\n          categories: [Nord, Süd]\n"
        "          series: [{name: 2024, values: [3, 4]}]\n"
    )
    outputs = build(path)
    expected = "Einwohner: Säulendiagramm von 2024 nach Nord, Süd."
    assert outputs.brief.sections[0].body[0].describe(labels_for("de")) == expected
    assert expected in outputs.html
    printed = render_html(outputs.brief, templates=TEMPLATES, media="print")
    assert f'alt="{expected}"' in printed
    assert expected in outputs.docx_part("word/document.xml")
    assert "column chart" not in outputs.html
