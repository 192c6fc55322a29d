"""Two real, public briefing documents converted to format 1.1, built end to end.

``tests/fixtures/real/`` holds a CRS Insight (research-service report) and a
CRS In Focus (policy brief), each verbatim, each citing its source at the
top.  Every text unit must be in all three outputs; no table row may be
split across PDF pages; numbers and cross-references must be resolved in
every output, and in Word be the fields Word itself uses.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from extract import docx_text, html_text, missing_units, pdf_body_text, pdf_pages, squash

from briefgen.build import Settings, run
from briefgen.model import Table
from briefgen.pull import pull_docx
from briefgen.read import load_brief
from briefgen.textunits import text_units

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"
NAMES = ("crs-in12422", "crs-if13206")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("real")
    results = run([REAL / f"{name}.yaml" for name in NAMES], Settings(out, ROOT / "src" / "briefgen" / "templates"))
    failures = {r.source.name: [d.format() for d in r.diagnostics] for r in results if r.outcome == "failed"}
    assert not failures
    return out


def _document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


@pytest.mark.parametrize("name", NAMES)
def test_each_fixture_cites_its_source_at_the_top(name):
    head = (REAL / f"{name}.yaml").read_text("utf-8").splitlines()[:4]
    assert head[0].startswith("# Source: Congressional Research Service")
    assert any("https://www.congress.gov/crs-product/" in line for line in head)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_parity_every_text_unit_in_every_output(built, name, fmt):
    brief = load_brief(REAL / f"{name}.yaml")
    units = list(text_units(brief))
    assert len(units) > 30
    path = built / f"{name}.{fmt}"
    text = {"html": html_text, "docx": docx_text, "pdf": pdf_body_text}[fmt](path)
    assert missing_units(units, text) == []


@pytest.mark.parametrize("name", NAMES)
def test_no_table_row_is_split_across_pages(built, name):
    """Each row's first and last cell are found on the same PDF page."""
    brief = load_brief(REAL / f"{name}.yaml")
    pages = [squash(page) for page in pdf_pages(built / f"{name}.pdf")]
    checked = 0
    for block in brief.walk_blocks():
        if not isinstance(block, Table):
            continue
        for cells in block.rows:
            first, last = squash(cells[0].text.plain()), squash(cells[-1].text.plain())
            together = [i for i, page in enumerate(pages) if first in page and last in page]
            alone = [i for i, page in enumerate(pages) if first in page]
            assert together, f"row {cells[0].text.plain()!r} is split across pages {alone}"
            checked += 1
    assert checked >= 10


def test_a_long_table_repeats_its_header_on_the_next_page(built):
    """Table 1 of the In Focus runs over two pages; both show its header row."""
    amounts = ["$163.1", "$11.4", "$36.7", "$6,127.1", "$1,766.0", "$892.0", "$19.1", "$107.0", "$35.1", "$22.7", "$9,214.7"]
    pages = pdf_pages(built / "crs-if13206.pdf")
    holding = [i for i, page in enumerate(pages) if any(amount in page for amount in amounts)]
    assert len(holding) >= 2, holding
    assert all("Enacted" in pages[i] and "Request" in pages[i] for i in holding)


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_numbers_and_cross_references_are_resolved(built, fmt):
    path = built / f"crs-in12422.{fmt}"
    text = {"html": html_text, "docx": docx_text, "pdf": lambda p: "\n".join(pdf_pages(p))}[fmt](path)
    flat = squash(text)
    assert squash("Table 1. Energy Efficient Home Improvement Credits") in flat
    assert squash("Table 2. States with the Highest and Lowest Shares") in flat
    assert squash("As shown in Table 2, taxpayers in the Northeast") in flat
    assert "[#" not in flat and "#eehic" not in flat
    other = {"html": html_text, "docx": docx_text, "pdf": lambda p: "\n".join(pdf_pages(p))}[fmt](built / f"crs-if13206.{fmt}")
    flat = squash(other)
    assert squash("Table 1 presents the FY2026 discretionary enacted level") in flat
    assert squash("Table 2 presents the FY2026 assumed appropriations level") in flat


def test_html_cross_references_are_internal_links(built):
    html = (built / "crs-in12422.html").read_text("utf-8")
    assert '<a class="xref" href="#eehic-by-state">Table 2</a>' in html
    assert 'id="eehic-by-state"' in html
    assert re.search(r'<tr class="group-row">\s*<th scope="rowgroup" colspan="2"', html)


def test_pdf_cross_reference_is_a_link_to_the_table(built):
    from pypdf import PdfReader

    reader = PdfReader(str(built / "crs-in12422.pdf"))
    internal = [
        annot.get_object()
        for page in reader.pages
        for annot in page.get("/Annots", []) or []
        if annot.get_object().get("/Subtype") == "/Link" and "/Dest" in annot.get_object()
        or "/A" in annot.get_object() and annot.get_object()["/A"].get("/S") == "/GoTo"
    ]
    assert internal, "no internal link in the PDF"


def test_word_captions_are_seq_fields_in_the_caption_style(built):
    document = docx.Document(str(built / "crs-in12422.docx"))
    captions = [p for p in document.paragraphs if p.style.name.lower() == "caption"]
    assert [p.text[:8] for p in captions] == ["Table 1.", "Table 2."]
    root = _document_xml(built / "crs-in12422.docx")
    instructions = [" ".join((t.text or "").split()) for t in root.iter(f"{W}instrText")]
    assert instructions.count("SEQ Table \\* ARABIC") == 2
    assert "REF eehic_by_state \\h" in instructions
    names = {b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart")}
    assert {"eehic_by_income", "eehic_by_state"} <= names


def test_word_tables_mark_headers_keep_rows_whole_and_set_groups_apart(built):
    root = _document_xml(built / "crs-in12422.docx")
    tables = root.findall(f".//{W}tbl")
    assert len(tables) == 2
    for table in tables:
        rows = table.findall(f"{W}tr")
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in rows)
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    group_rows = [row for row in tables[1].findall(f"{W}tr") if row.find(f"{W}tc/{W}tcPr/{W}gridSpan") is not None]
    assert len(group_rows) == 2
    assert all(len(row.findall(f"{W}tc")) == 1 for row in group_rows)


def test_word_total_row_is_bold_with_a_rule(built):
    root = _document_xml(built / "crs-if13206.docx")
    last = root.findall(f".//{W}tbl")[0].findall(f"{W}tr")[-1]
    assert "".join(t.text for t in last.iter(f"{W}t")).startswith("TOTAL")
    assert last.find(f".//{W}tcBorders/{W}top") is not None
    styles = {p.get(f"{W}val") for p in last.iter(f"{W}pStyle")}
    assert styles <= {"TableHeading", "TableHeadingRight"}  # bold by style, so pull sees no edit


def test_short_brief_gets_no_contents_and_a_long_one_does(built):
    assert 'class="contents"' not in (built / "crs-in12422.html").read_text("utf-8")
    assert 'class="contents"' in (built / "crs-if13206.html").read_text("utf-8")
    assert 'TOC \\o' not in (built / "crs-in12422.docx").read_bytes().decode("latin-1")


def test_cite_as_auto_composes_the_citation(built):
    brief = load_brief(REAL / "crs-if13206.yaml")
    assert brief.cite_as.plain() == (
        "Barry J. McMillion. “Judiciary Budget Request for FY2027.” Congressional Research Service, "
        "April 20, 2026, Version 1. https://www.congress.gov/crs-product/IF13206"
    )


def test_pull_brings_back_a_reworded_sentence_with_its_cross_reference(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    yaml_path = tmp_path / "content" / "crs-in12422.yaml"
    shutil.copy(REAL / "crs-in12422.yaml", yaml_path)
    results = run([yaml_path], Settings(tmp_path / "build", ROOT / "src" / "briefgen" / "templates", formats=("docx",)))
    assert all(r.outcome != "failed" for r in results)
    out = tmp_path / "build" / "crs-in12422.docx"
    assert not pull_docx(out).changed  # unchanged file: nothing to bring back
    document = docx.Document(str(out))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("As shown in"))
    run_ = next(r for r in paragraph.runs if "taxpayers in the Northeast" in r.text)
    run_.text = run_.text.replace("taxpayers in the Northeast were", "Northeastern taxpayers were")
    first = paragraph.runs[0]
    first.text = first.text.replace("As shown in", "As seen in")
    document.save(str(out))
    result = pull_docx(out)
    assert result.changed
    text = yaml_path.read_text("utf-8")
    assert "As seen in [#eehic-by-state], Northeastern taxpayers were the most" in " ".join(text.split())
    assert load_brief(yaml_path)  # still a valid brief


def test_a_stub_column_of_long_labels_gets_the_room_it_needs(built):
    """Table 1's labels ("Incomes of $500,000 or more") stay on one line in the
    PDF; in Word the stub column is the widest of the grid."""
    lines = [" ".join(line.split()) for page in pdf_pages(built / "crs-in12422.pdf") for line in page.splitlines()]
    for label in ("Incomes below $25,000", "Incomes $25,000 to $49,999", "Incomes of $500,000 or more"):
        assert any(line.startswith(label) for line in lines), label
    table = _document_xml(built / "crs-in12422.docx").findall(f".//{W}tbl")[0]
    widths = [int(col.get(f"{W}w")) for col in table.findall(f"{W}tblGrid/{W}gridCol")]
    assert widths[0] == max(widths)
