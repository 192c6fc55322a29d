"""Every character of a brief is drawn with a real glyph of an embedded font.

The fixture brief mixes scripts and punctuation that a Latin-only font
lacks.  The check reads each embedded font's ``/ToUnicode`` map (which
characters its glyphs stand for) against the embedded program itself
(fontTools), so a character drawn as a missing-glyph box, or by a font
that was not embedded, fails the test.
"""

from __future__ import annotations

import io
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from briefgen.read import load_brief
from briefgen.model import Brief
from briefgen.textunits import text_units
from briefgen.writers.html import render_html
from briefgen.writers.pdf import render_pdf

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "briefgen" / "templates"

MIXED_SCRIPTS = """
title: "Henan (河南) and Luoyang (洛阳): a “multilingual” brief"
subtitle: Ελληνικά, français, čeština — and 한국어, 日本語
date: 2025-05-28
organization: Institut für Regionalstudien — Zürich
marking: PUBLIC
lang: en
summary: >-
  Luoyang (洛阳) lies in Henan (河南); the Longmen Grottoes (龙门石窟) face the Yi River.
  Growth rose 5–6 % — “steady” by the province’s ‘own’ measure — × 1.2 against −0.4 elsewhere → see below.
key_points:
  - "Greek: Αθήνα, Θεσσαλονίκη, λόγος; accents: São Paulo, Kraków, Øresund, Ærø, Şanlıurfa."
  - "Japanese かな・カタカナ and Korean 서울 appear in running text…"
key_figures:
  - value: "5.4 %"
    label: growth — year on year
  - value: "× 2"
    label: 洛阳 output → 2030
sections:
  - title: Names — 名称
    body:
      - "Zhengzhou (郑州), Kaifeng (开封) and Anyang (安阳) are cities of Henan.[^names]"
      - "Temperatures fell to −12 °C; the ratio is 3 × 4 ≈ 12 ± 1; “quotes”, ‘single’, «guillemets»."
footnotes:
  names: "Romanised in Hanyu Pinyin — 汉语拼音 — as the Xinhua article does."
"""


@pytest.fixture(scope="module")
def mixed_brief(tmp_path_factory: pytest.TempPathFactory) -> Brief:
    path = tmp_path_factory.mktemp("glyphs") / "mixed.yaml"
    path.write_text(textwrap.dedent(MIXED_SCRIPTS).lstrip(), encoding="utf-8")
    return load_brief(path)


@pytest.fixture(scope="module")
def mixed_pdf(mixed_brief: Brief) -> PdfReader:
    html = render_html(mixed_brief, templates=TEMPLATES, media="print")
    return PdfReader(io.BytesIO(render_pdf(html, title=mixed_brief.title, lang=mixed_brief.lang)))


def _fonts(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every font dictionary the pages use, once each."""
    seen: set[int] = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            if font.idnum in seen:
                continue
            seen.add(font.idnum)
            yield font.get_object()


def _descendant(font: DictionaryObject) -> DictionaryObject:
    if "/DescendantFonts" in font:
        return font["/DescendantFonts"][0].get_object()
    return font


def _font_file(font: DictionaryObject) -> bytes | None:
    descriptor = _descendant(font).get("/FontDescriptor")
    if descriptor is None:
        return None
    descriptor = descriptor.get_object()
    for key in ("/FontFile2", "/FontFile3", "/FontFile"):
        if key in descriptor:
            return descriptor[key].get_object().get_data()
    return None


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    """Glyph code to text, from the font's ``/ToUnicode`` CMap."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping: dict[int, str] = {}

    def text(hex_string: str) -> str:
        return bytes.fromhex(hex_string).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.DOTALL):
        for code, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = text(target)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.DOTALL):
        for low, high, target in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = ord(text(target)[0])
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def drawn_characters(reader: PdfReader) -> dict[str, set[str]]:
    """Each character drawn with a real glyph, with the fonts that drew it.

    A character counts when a font's ``/ToUnicode`` map gives it for a
    glyph that is not ``.notdef`` (0), that exists in the embedded program,
    and when that program's own ``cmap`` maps the character: a missing
    character drawn as a placeholder box fails one of the three.
    """
    drawn: dict[str, set[str]] = {}
    for font in _fonts(reader):
        name = str(font["/BaseFont"])
        data = _font_file(font)
        if data is None:
            continue
        program = TTFont(io.BytesIO(data), fontNumber=0)
        mapped = {chr(code) for code in (program.getBestCmap() or {})} if "cmap" in program else set()
        glyphs = program["maxp"].numGlyphs
        for code, text in _to_unicode(font).items():
            if code == 0 or code >= glyphs:
                continue
            for char in text:
                if char in mapped:
                    drawn.setdefault(char, set()).add(name)
    return drawn


def brief_characters(brief: Brief) -> set[str]:
    """Every character a reader should see, as the brief's text units give it."""
    return {char for unit in text_units(brief) for char in unit if not char.isspace()}


def test_every_font_is_embedded_and_subset(mixed_pdf: PdfReader) -> None:
    fonts = list(_fonts(mixed_pdf))
    assert fonts
    for font in fonts:
        name = str(font["/BaseFont"])
        assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not a subset"
        assert _font_file(font), f"{name} is not embedded"


def test_cjk_text_uses_a_cjk_font(mixed_pdf: PdfReader) -> None:
    drawn = drawn_characters(mixed_pdf)
    for char in "河南洛阳龙门石窟郑州汉语拼音":
        assert char in drawn, char
        assert all("CJK" in name for name in drawn[char]), (char, drawn[char])


def test_every_character_of_the_brief_has_a_glyph(mixed_brief: Brief, mixed_pdf: PdfReader) -> None:
    wanted = brief_characters(mixed_brief)
    assert {"河", "洛", "Θ", "ø", "“", "”", "—", "–", "×", "−", "→", "서", "カ"} <= wanted
    missing = sorted(wanted - drawn_characters(mixed_pdf).keys())
    assert not missing, f"no glyph for {missing}"


def test_a_character_no_font_has_is_caught(tmp_path: Path) -> None:
    """The check fails on a character no font has (an unassigned one)."""
    html = (
        "<!DOCTYPE html><html lang='en'><head><title>t</title></head>"
        "<body style='font-family: Noto Serif'><p>Plain \u0378 text</p></body></html>"
    )
    reader = PdfReader(io.BytesIO(render_pdf(html, title="t", lang="en")))
    drawn = drawn_characters(reader)
    assert "P" in drawn
    assert "\u0378" not in drawn
