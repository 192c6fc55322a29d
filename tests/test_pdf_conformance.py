"""PDF/UA-1 and PDF/A-3u: what the two variants declare and contain.

veraPDF is not available here, so these tests check the parts of each
standard that can be read from the file: the identification in the XMP
metadata, the structure tree (headings in reading order, figures with
alternative text, table header cells), the catalog entries, the output
intent and file identifier that PDF/A needs, and ``qpdf --check``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, IndirectObject
from test_html_writer import TEMPLATES, fake_chart_svg, make_rich_brief

from briefgen.model import Brief, Figure, Table
from briefgen.writers.html import render_html
from briefgen.writers.pdf import DEFAULT_VARIANT, VARIANTS, render_pdf


@pytest.fixture(scope="module")
def rich(tmp_path_factory: pytest.TempPathFactory) -> tuple[Brief, str]:
    """A brief with every block type, and its print HTML (short table)."""
    module = types.ModuleType("briefgen.charts")
    module.chart_svg = fake_chart_svg  # type: ignore[attr-defined]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "briefgen.charts", module)
        brief = make_rich_brief(tmp_path_factory.mktemp("conformance") / "content", long_table_rows=8)
        html = render_html(brief, templates=TEMPLATES, media="print")
    return brief, html


@pytest.fixture(scope="module")
def pdfs(rich: tuple[Brief, str]) -> dict[str, bytes]:
    brief, html = rich
    return {variant: render_pdf(html, title=brief.title, lang=brief.lang, variant=variant) for variant in VARIANTS}


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def _elements(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Structure elements in document order, depth first."""
    def walk(node: object) -> Iterator[DictionaryObject]:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if not isinstance(node, DictionaryObject) or "/S" not in node:
            return
        yield node
        kids = node.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            yield from walk(kid)

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    kids = root["/K"]
    for kid in kids if isinstance(kids, ArrayObject) else [kids]:
        yield from walk(kid)




def test_the_default_variant_is_pdf_ua_1() -> None:
    assert DEFAULT_VARIANT == "pdf/ua-1"
    assert VARIANTS == ("pdf/ua-1", "pdf/a-3u")


def test_unknown_variant_is_refused_with_the_allowed_ones() -> None:
    html = "<!DOCTYPE html><html lang='en'><head><title>t</title></head><body><p>x</p></body></html>"
    with pytest.raises(ValueError, match=r"pdf/x-4.*'pdf/ua-1', 'pdf/a-3u'"):
        render_pdf(html, title="t", lang="en", variant="pdf/x-4")


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_variant_is_tagged_and_titled(pdfs: dict[str, bytes], rich: tuple[Brief, str], variant: str) -> None:
    brief, _ = rich
    reader = PdfReader(io.BytesIO(pdfs[variant]))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == BooleanObject(True)
    assert root["/Lang"] == brief.lang
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == brief.title
    assert all(page["/Tabs"] == "/S" for page in reader.pages)
    assert f">{brief.title}</rdf:li>" in _xmp(reader)
    # PDF/UA-1 identification, in both variants
    assert 'pdfuaid:part="1"' in _xmp(reader)


def test_pdf_a_3u_identification_and_requirements(pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs["pdf/a-3u"]))
    xmp = _xmp(reader)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="U"' in xmp
    # pdfuaid is not a PDF/A schema: the file must describe it.
    assert "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in xmp
    assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in xmp
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert intents[0]["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intents[0]
    assert len(reader.trailer["/ID"]) == 2
    assert reader.pdf_header == "%PDF-1.7"
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            assert annotation.get_object()["/F"] & 4  # printable


def test_pdf_ua_1_is_not_declared_pdf_a(pdfs: dict[str, bytes]) -> None:
    reader = PdfReader(io.BytesIO(pdfs["pdf/ua-1"]))
    assert "pdfaid" not in _xmp(reader)
    assert "/OutputIntents" not in reader.trailer["/Root"]


def test_figures_and_charts_carry_their_alt_text(pdfs: dict[str, bytes], rich: tuple[Brief, str]) -> None:
    brief, _ = rich
    reader = PdfReader(io.BytesIO(pdfs[DEFAULT_VARIANT]))
    alts = [str(element.get("/Alt", "")) for element in _elements(reader) if element["/S"] == "/Figure"]
    expected = []
    for section in brief.walk_sections():
        for block in section.body:
            if isinstance(block, Figure):
                expected.append(block.alt)
            elif type(block).__name__ == "Chart":
                expected.append(block.describe())
    assert expected and alts == expected


def test_table_header_cells_are_th(pdfs: dict[str, bytes], rich: tuple[Brief, str]) -> None:
    brief, _ = rich
    reader = PdfReader(io.BytesIO(pdfs[DEFAULT_VARIANT]))
    tables = [b for s in brief.walk_sections() for b in s.body if isinstance(b, Table)]
    elements = list(_elements(reader))
    headers = [e for e in elements if e["/S"] == "/TH"]
    assert len(headers) == sum(len(t.columns) for t in tables)
    assert all(e["/P"].get_object()["/S"] == "/TR" for e in headers)
    assert all(e["/P"].get_object()["/P"].get_object()["/S"] == "/THead" for e in headers)


def test_headings_follow_the_document_in_the_structure_tree(
    pdfs: dict[str, bytes], rich: tuple[Brief, str]
) -> None:
    """Reading order: the tree lists the headings as the document has them."""
    brief, _ = rich
    reader = PdfReader(io.BytesIO(pdfs[DEFAULT_VARIANT]))
    levels = [str(e["/S"]) for e in _elements(reader) if str(e["/S"]) in ("/H1", "/H2", "/H3", "/H4")]
    front = ["/H1", "/H2", "/H2"] + (["/H2"] if brief.key_figures else []) + ["/H2"]  # title, summary, takeaways, figures, contents
    body = [f"/H{s.level + 1}" for s in brief.walk_sections()]
    back = ["/H2"] * (bool(brief.conclusion) + bool(brief.sources))
    assert levels == front + body + back


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
@pytest.mark.parametrize("variant", VARIANTS)
def test_qpdf_finds_no_error(pdfs: dict[str, bytes], tmp_path: Path, variant: str) -> None:
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdfs[variant])
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors found" in result.stdout


@pytest.mark.parametrize("variant", VARIANTS)
def test_same_brief_gives_same_bytes_whatever_the_clock(
    rich: tuple[Brief, str], pdfs: dict[str, bytes], monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    brief, html = rich
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    again = render_pdf(html, title=brief.title, lang=brief.lang, variant=variant)
    assert again == pdfs[variant]
    info = PdfReader(io.BytesIO(again)).metadata
    assert info["/CreationDate"] == "D:" + brief.date.strftime("%Y%m%d")
