"""End to end: build the example briefs for real and read the outputs back.

Parity: every text unit of a brief (titles, paragraphs, items, cells,
captions, quotes, footnotes, sources) is in the HTML, the Word file and the
PDF.  The seed article's every sentence is in the Henan PDF and Word file.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from docx import Document
from extract import (
    docx_text,
    html_text,
    missing_units,
    pdf_body_text,
    pdf_pages,
    squash,
)

from briefgen.build import Settings, discover, run
from briefgen.cli import default_templates
from briefgen.read import load_brief
from briefgen.locales import is_rtl
from briefgen.textunits import text_units

CONTENT = ROOT / "content"
EXAMPLES = sorted(p.stem for p in discover([CONTENT]))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    results = run(discover([CONTENT]), Settings(out, ROOT / "src" / "briefgen" / "templates"))
    failures = {r.source.name: [d.format() for d in r.diagnostics] for r in results if r.outcome == "failed"}
    assert not failures
    return out


def test_the_examples_are_there():
    assert {"henan-inspection", "solar-system"} <= set(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_format_is_written(built, name):
    for fmt in ("pdf", "docx", "html"):
        path = built / f"{name}.{fmt}"
        assert path.is_file() and path.stat().st_size > 1000, path


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_parity_every_text_unit_in_every_output(built, name, fmt):
    brief = load_brief(CONTENT / f"{name}.yaml")
    units = list(text_units(brief))
    assert len(units) > 10
    path = built / f"{name}.{fmt}"
    if fmt == "html":
        text = html_text(path)
    elif fmt == "docx":
        text = docx_text(path)
    else:
        text = pdf_body_text(path)
        # the marking is page furniture by design: look for it on the pages
        if brief.marking:
            assert all(brief.marking in page for page in pdf_pages(path))
            units = [u for u in units if u != brief.marking]
        # the organization is furniture too, and set in capitals on the masthead
        if brief.organization and not is_rtl(brief.lang):
            assert brief.organization.upper() in text.upper()
            units = [u for u in units if u != brief.organization]
        # a title short enough to be the running head repeats on every page, so
        # the furniture filter drops it: look for it on the first page
        pages = pdf_pages(path)
        if brief.title in pages[-1]:
            assert brief.title in pages[0]
            units = [u for u in units if u != brief.title]
        if is_rtl(brief.lang):
            assert missing_rtl_units(units, text) == []
            return
    assert missing_units(units, text) == []


def missing_rtl_units(units: list[str], text: str) -> list[str]:
    """Units with a word the PDF lacks, for right-to-left text.

    The PDF's text of a line that mixes right-to-left and Latin runs comes
    out in visual order (runs reversed, ligatures such as lam-alef in their
    own order, vowel marks apart, words of neighbouring cells run together),
    so each word is looked for as written, reversed, or by its letters.
    """

    def clean(value: str) -> str:  # casefolded: the masthead is set in capitals
        value = unicodedata.normalize("NFKC", value).casefold()
        return "".join(c for c in value if unicodedata.category(c) != "Mn")

    def words(value: str) -> list[str]:
        # scripts and digits apart: a footnote number sits against its word
        return re.findall(r"[\u0590-\u08ff]+|\d+|[^\W\d_\u0590-\u08ff]+", clean(value))

    flat = squash(clean(text))
    anagrams = {"".join(sorted(w)) for w in words(text)}

    def found(word: str) -> bool:
        return word in flat or word[::-1] in flat or "".join(sorted(word)) in anagrams

    return [unit for unit in units if not all(found(w) for w in words(unit))]


def _seed_sentences() -> list[str]:
    """The seed's sentences; a 'Term – text' or 'Term: text' bullet gives its
    term and its text separately, since briefs print terms in their own style."""
    units = []
    for line in SEED.read_text("utf-8").splitlines():
        line = line.strip()
        if not line or line == "Article:":
            continue
        if line.startswith("- "):
            parts = re.split(r"\s+–\s+|:\s+", line[2:], maxsplit=1)
        else:
            parts = [line]
        for part in parts:
            units.extend(s for s in re.split(r"(?<=[.?!])\s+(?=[A-Z])", part) if s)
    return units


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_every_seed_sentence_is_in_the_henan_brief(built, fmt):
    sentences = _seed_sentences()
    assert len(sentences) > 100
    path = built / f"henan-inspection.{fmt}"
    text = {"pdf": pdf_body_text, "docx": docx_text, "html": html_text}[fmt](path)
    assert missing_units(sentences, text) == []


@pytest.mark.parametrize("name", EXAMPLES)
def test_docx_headings_and_lists_are_styled(built, name):
    brief = load_brief(CONTENT / f"{name}.yaml")
    document = Document(str(built / f"{name}.docx"))
    styles = {}
    for paragraph in document.paragraphs:
        styles.setdefault(paragraph.text.strip(), paragraph.style.name)
    assert styles[brief.title] == "Title"
    for section in brief.walk_sections():
        assert styles.get(section.title) == f"Heading {section.level}", section.title
    numbered = [p for p in document.paragraphs if p.style.name.startswith(("List Bullet", "List Number"))]
    assert numbered, "no list paragraphs"
    for paragraph in numbered:
        own = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
        styled = paragraph.style.element.pPr is not None and paragraph.style.element.pPr.numPr is not None
        assert own or styled, paragraph.text


@pytest.mark.parametrize("name", EXAMPLES)
def test_pdf_outline_and_metadata(built, name):
    from pypdf import PdfReader

    brief = load_brief(CONTENT / f"{name}.yaml")
    reader = PdfReader(str(built / f"{name}.pdf"))
    assert reader.metadata.title == brief.title

    def titles(entries):
        for entry in entries:
            if isinstance(entry, list):
                yield from titles(entry)
            else:
                yield entry.title

    outline = set(titles(reader.outline))
    for section in brief.sections:
        assert section.title in outline
    if brief.authors:
        assert all(author in reader.metadata.author for author in brief.authors)


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fetched: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for key in ("src", "srcset", "poster", "data"):
            if attrs.get(key):
                self.fetched.append(attrs[key])
        if tag == "link" and attrs.get("href"):
            self.fetched.append(attrs["href"])


@pytest.mark.parametrize("name", EXAMPLES)
def test_html_is_self_contained(built, name):
    html = (built / f"{name}.html").read_text("utf-8")
    refs = _Refs()
    refs.feed(html)
    assert all(ref.startswith(("data:", "#")) for ref in refs.fetched), refs.fetched
    assert all(ref.startswith(("#", "http://", "https://", "mailto:")) for ref in refs.links)
    assert "@import" not in html and "url(http" not in html.replace(" ", "")


def test_docx_holds_the_figures_and_charts(built):
    brief = load_brief(CONTENT / "solar-system.yaml")
    with zipfile.ZipFile(built / "solar-system.docx") as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        document = archive.read("word/document.xml").decode("utf-8")
    figures = sum(1 for s in brief.walk_sections() for b in s.body if type(b).__name__ in ("Figure", "Chart"))
    assert len(media) >= 1 and document.count("<pic:pic") == figures


def test_second_build_does_nothing(built):
    results = run(discover([CONTENT]), Settings(built, ROOT / "src" / "briefgen" / "templates"))
    assert {r.outcome for r in results} == {"up to date"}


def test_default_templates_folder_exists():
    assert default_templates().is_dir()
    assert squash(" a-b\u00ad c ") == "abc"
