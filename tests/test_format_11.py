"""Format 1.1 in detail: spans, grouped headers, numbering, cross-references,
sub/superscripts, structure, and every new key's bad input."""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefgen.errors import BriefErrors
from briefgen.read import load_brief
from briefgen.writers.docx import render_docx
from briefgen.writers.html import render_html

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "src" / "briefgen" / "templates"
REFERENCE = TEMPLATES / "reference.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SPANS = """\
title: Spans
summary:
  - First paragraph of the summary, with CO~2~ and 10^6^ t.
  - list: [one point, another point]
authors:
  - {name: Ada Analyst, affiliation: Institute, role: Director, email: ada@example.org}
  - Ben Writer
sections:
  - title: Tables
    id: tables
    body:
      - See [#spans], [the chart](#mix) and [#annex].
      - table:
          id: spans
          caption: Cells that span
          unit: Tonnes of carbon dioxide
          columns:
            - Region
            - title: Output
              columns: [{title: "2024", align: right}, {title: "2025", align: right}]
            - Comment
          rows:
            - group: North
            - [{text: Alpha, rowspan: 2}, 1, 2, ""]
            - [3, 4, null]
            - [Beta, {text: not reported, colspan: 2, align: center}, x]
            - total: [All, 4, 6, ""]
          notes: [First note., Second note.]
      - chart:
          id: mix
          type: stacked_column
          caption: A stacked chart
          width: 60
          categories: [a, b]
          series: [{name: s1, values: [1, 2]}, {name: s2, values: [3, 4]}]
      - chart:
          type: pie
          caption: A pie
          categories: [a, b, c]
          series: [{name: share, values: [50, 30, 20]}]
appendices:
  - title: Method
    id: annex
    body:
      - How it was done, with a reference back to [#tables].
about: About the authors.
disclaimer: Small print.
cite_as: auto
"""


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    path = tmp_path_factory.mktemp("spans") / "spans.yaml"
    path.write_text(SPANS, encoding="utf-8")
    return load_brief(path)


@pytest.fixture(scope="module")
def html(brief) -> str:
    return render_html(brief, templates=TEMPLATES, media="screen")


@pytest.fixture(scope="module")
def word(brief) -> etree._Element:
    data = render_docx(brief, reference=REFERENCE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def _table_html(html: str) -> str:
    return html[html.index('<div class="table-block'): html.index("</table>")]


def test_model_numbers_in_reading_order(brief):
    table, first_chart, second_chart = [b for b in brief.sections[0].body[1:]]
    assert (table.number, first_chart.number, second_chart.number) == (1, 1, 2)
    assert brief.appendices[0].appendix == "A"
    refs = [n for n in brief.sections[0].body[0].text.inlines if hasattr(n, "label") and n.__class__.__name__ == "CrossRef"]
    assert [r.label for r in refs] == ["Table 1", "Figure 1", "Appendix A"]
    assert brief.sections[0].body[0].text.plain() == "See Table 1, the chart and Appendix A."


def test_html_spans_are_real_spans(html):
    table = _table_html(html)
    assert '<th scope="colgroup" colspan="2"' in table
    assert re.search(r'<th scope="col" rowspan="2" class="align-left">Region</th>', table)
    assert re.search(r'<td rowspan="2" class="align-left">Alpha</td>', table)
    assert re.search(r'<td colspan="2" class="align-center">not reported</td>', table)
    assert '<tbody class="spanned">' in table  # the rows a rowspan ties are kept together
    assert '<tr class="total-row">' in table and '<tr class="group-row">' in table
    assert table.count("<tr") == 2 + 5


def test_html_caption_unit_notes_and_scripts(html):
    assert '<span class="caption-label">Table 1.</span> Cells that span' in html
    assert '<span class="table-unit">Tonnes of carbon dioxide</span>' in html
    assert "CO<sub>2</sub> and 10<sup>6</sup> t" in html
    notes = html[html.index('class="block-note block-notes"'):]
    assert "<li>First note.</li>" in notes and "<li>Second note.</li>" in notes
    assert '<span class="caption-label">Figure 2.</span> A pie' in html
    assert 'id="mix" style="width: 60%"' in html


def test_html_structure(html):
    assert '<a class="xref" href="#annex">Appendix A</a>' in html
    assert '<a class="xref" href="#mix">the chart</a>' in html
    assert '<span class="appendix-label">Appendix A</span> Method' in html
    assert 'class="contents"' not in html  # one top-level section: 'auto' leaves it out
    assert '<span class="author-meta">Director, Institute</span>' in html
    for part in ("brief_about", "brief_cite_as", "brief_disclaimer"):
        assert f'id="{part}"' in html
    assert "Ada Analyst and Ben Writer. “Spans.”" in html


def test_word_grid_spans_vertical_merges_and_header_rows(word):
    table = word.find(f".//{W}tbl")
    rows = table.findall(f"{W}tr")
    assert len(rows) == 2 + 5
    assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows] == [True, True] + [False] * 5
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    spans = [[int(tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val")) if tc.find(f"{W}tcPr/{W}gridSpan") is not None else 1
              for tc in r.findall(f"{W}tc")] for r in rows]
    assert all(sum(widths) == 4 for widths in spans)
    assert spans[0] == [1, 2, 1] and spans[2] == [4] and spans[5] == [1, 2, 1]
    merges = [[(tc.find(f"{W}tcPr/{W}vMerge").get(f"{W}val") if tc.find(f"{W}tcPr/{W}vMerge") is not None else None)
               for tc in r.findall(f"{W}tc")] for r in rows]
    assert merges[0][0] == "restart" and merges[1][0] is None  # 'Region' spans both header rows
    assert rows[1].find(f"{W}tc/{W}tcPr/{W}vMerge") is not None
    assert merges[3][0] == "restart" and rows[4].find(f"{W}tc/{W}tcPr/{W}vMerge").get(f"{W}val") is None


def test_word_cross_references_scripts_and_appendix(word):
    instructions = [" ".join((t.text or "").split()) for t in word.iter(f"{W}instrText")]
    assert "REF spans \\h" in instructions and "REF annex \\h" in instructions
    assert "SEQ Table \\* ARABIC" in instructions and instructions.count("SEQ Figure \\* ARABIC") == 2
    anchors = [h.get(f"{W}anchor") for h in word.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert "mix" in anchors
    scripts = [r.find(f"{W}rPr/{W}vertAlign").get(f"{W}val") for r in word.iter(f"{W}r") if r.find(f"{W}rPr/{W}vertAlign") is not None]
    assert "subscript" in scripts and "superscript" in scripts
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in word.iter(f"{W}p")]
    assert "Appendix A: Method" in texts
    assert not any(t.startswith("The table of contents appears here") for t in texts)


def test_contents_true_and_false(tmp_path):
    body = "sections: [{title: A, body: [x]}, {title: B, body: [y]}, {title: C, body: [z]}]\n"
    for choice, expected in (("", True), ("contents: false\n", False)):
        path = tmp_path / "c.yaml"
        path.write_text(f"title: T\nsummary: S\n{choice}{body}", encoding="utf-8")
        html = render_html(load_brief(path), templates=TEMPLATES)
        assert ('class="contents"' in html) is expected
    path.write_text("title: T\nsummary: S\ncontents: true\nsections: [{title: A, body: [x]}]\n", encoding="utf-8")
    assert 'class="contents"' in render_html(load_brief(path), templates=TEMPLATES)


# --------------------------------------------------------------------------
# Bad input: FILE:LINE:COLUMN for each new key, every problem at once
# --------------------------------------------------------------------------


def _problems(tmp_path, text: str) -> list[str]:
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(BriefErrors) as caught:
        load_brief(path)
    return [d.format().split("bad.yaml:", 1)[1] for d in caught.value.diagnostics]


BAD = """\
title: T
summary: See [#nowhere] and [the figure](#no-caption).
contents: sometimes
authors:
  - {name: A, emial: a@example.org}
sections:
  - title: One
    id: one
    body:
      - table:
          id: one
          columns: [a, {title: g, columns: [b, c]}]
          rows:
            - [1, 2]
            - [{text: x, colspan: 4}]
            - [{text: y, rowspan: 2}, 1, 2]
            - group: Label
            - [1, 2, {text: z, colsapn: 2}]
            - {gruop: x}
            - [1, {text: q, rowspan: zero}, 3]
      - figure: {id: fig, src: nothing.png, alt: x}
      - chart: {type: pie, categories: [a], series: [{name: s, values: [1]}, {name: t, values: [2]}]}
appendices: just text
cite_as: [not, text]
"""


def test_every_problem_of_the_new_keys_at_once(tmp_path):
    found = _problems(tmp_path, BAD)
    expected = [
        "2:14: error: summary: cross-reference [#nowhere] names no section, appendix, figure, chart or table",
        "2:42: error: summary: cross-reference [#no-caption] names no section",
        "3:11: error: contents: contents is 'auto', true or false, found 'sometimes'",
        "5:15: error: authors[0].emial: unknown key 'emial' in an author; did you mean 'email'?",
        "11:15: error: sections[0].body[0].table.id: id 'one' is already used on line 8",
        "14:15: error: sections[0].body[0].table.rows[0]: this row has 2 cells but the table has 3 columns",
        "15:16: error: sections[0].body[0].table.rows[1][0]: this cell's colspan of 4 starts in column 1 and runs past the table's 3 columns",
        "16:15: error: sections[0].body[0].table.rows[2]: a rowspan reaches into the group row 4; end the span before it",
        "18:32: error: sections[0].body[0].table.rows[4][2].colsapn: unknown key 'colsapn' in a cell; did you mean 'colspan'?",
        "19:16: error: sections[0].body[0].table.rows[5]: unknown key 'gruop' in a row (a row is a list of cells, {group: text} or {total: [cells]}); did you mean 'group'?",
        "20:38: error: sections[0].body[0].table.rows[6][1].rowspan: a span is a whole number of cells, at least 1, found 'zero'",
    ]
    for line in expected:
        assert any(f.startswith(line) for f in found), (line, found)
    assert any(f.startswith("22:53: error: sections[0].body[2].chart.series: a pie chart shows one series") for f in found), found
    assert len(found) == 15  # every problem, each once
    assert any(f.startswith("23:13: error: appendices: expected a list of sections") for f in found), found
    assert any(f.startswith("24:10: error: cite_as: expected text, found a list") for f in found), found


def test_unknown_cross_reference_is_reported_at_its_own_column(tmp_path):
    found = _problems(tmp_path, """\
        title: T
        summary: >-
          A first line, then
          see [#nowhere] and [the figure](#uncaptioned).
        sections:
          - title: One
            body:
              - "Also [#one] is fine but [#tabel] is not."
              - figure: {id: uncaptioned, src: img.png, alt: x}
        """.replace("img.png", "../x.png"))
    assert "4:7: error: summary: cross-reference [#nowhere] names no section, appendix, figure, chart or table" in "\n".join(found)
    assert any(f.startswith("8:34: error: sections[0].body[0]: cross-reference [#tabel]") for f in found), found


def test_reference_to_a_target_without_a_label(tmp_path):
    (tmp_path / "img.png").write_bytes((ROOT / "content" / "images" / "planets-to-scale.png").read_bytes())
    found = _problems(tmp_path, """\
        title: T
        summary: See [#pic].
        sections:
          - title: One
            body:
              - figure: {id: pic, src: img.png, alt: x}
        """)
    assert found == [
        "2:14: error: summary: [#pic] names a figure without a caption, so it has no number to show; "
        "give it a caption or write [words](#pic)"
    ]


def test_duplicate_ids_across_kinds(tmp_path):
    found = _problems(tmp_path, """\
        title: T
        summary: S
        sections:
          - title: One
            id: same
            body:
              - table: {id: same, columns: [a], rows: [[1]]}
              - chart: {id: same, type: bar, categories: [a], series: [{name: s, values: [1]}]}
        """)
    assert [f.split(": error: ")[0] for f in found] == ["7:21", "8:21"]
    assert all("id 'same' is already used on line 5" in f for f in found)


def test_empty_row_and_span_overrunning_the_end(tmp_path):
    found = _problems(tmp_path, """\
        title: T
        summary: S
        sections:
          - title: One
            body:
              - table:
                  columns: [a, b]
                  rows:
                    - ["", null]
                    - [{text: x, rowspan: 3}, 1]
                    - [2]
              - table:
                  columns: [a, b]
                  rows:
                    - [{text: x, rowspan: 3}, 1]
                    - [2]
        """)
    assert any(f.startswith("9:15: error: sections[0].body[0].table.rows[0]: this row is empty") for f in found), found
    assert any(f.startswith("10:15: error: sections[0].body[0].table.rows[1]: a cell's rowspan of 3 runs 1 row past the end") for f in found), found
    assert any(f.startswith("15:15: error: sections[0].body[1].table.rows[0]: a cell's rowspan of 3 runs 1 row past the end") for f in found), found


def test_the_schema_knows_every_addition():
    import jsonschema
    import yaml

    from briefgen import spec

    validator = jsonschema.Draft202012Validator(spec.json_schema())
    assert list(validator.iter_errors(yaml.safe_load(SPANS))) == []
    wrong = yaml.safe_load(SPANS.replace("colspan: 2", "colspan: two").replace("contents", "contnets"))
    wrong["contents"] = "sometimes"
    assert len(list(validator.iter_errors(wrong))) >= 2


def test_pdf_outline_has_the_appendix_and_the_back_matter(brief):
    from pypdf import PdfReader

    from briefgen.writers.pdf import render_pdf

    html = render_html(brief, templates=TEMPLATES, media="print")
    reader = PdfReader(io.BytesIO(render_pdf(html, title=brief.title, lang=brief.lang)))
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles == ["Summary", "Tables", "Appendix A: Method", "About", "How to cite this brief"]
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Table 1. Cells that span" in text and "Figure 2. A pie" in text


def test_pull_of_an_unchanged_example_changes_nothing(tmp_path, monkeypatch):
    import shutil

    from briefgen.pull import pull_docx

    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    source = tmp_path / "content" / "planets-in-numbers.yaml"
    shutil.copy(ROOT / "content" / "planets-in-numbers.yaml", source)
    out = tmp_path / "planets-in-numbers.docx"
    out.write_bytes(render_docx(load_brief(source), reference=REFERENCE))
    before = source.read_bytes()
    assert not pull_docx(out).changed
    assert source.read_bytes() == before


def test_pull_brings_back_a_subscript_typed_in_word(tmp_path, monkeypatch):
    import shutil

    from briefgen.pull import pull_docx

    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    source = tmp_path / "content" / "planets-in-numbers.yaml"
    shutil.copy(ROOT / "content" / "planets-in-numbers.yaml", source)
    out = tmp_path / "planets-in-numbers.docx"
    out.write_bytes(render_docx(load_brief(source), reference=REFERENCE))
    document = docx.Document(str(out))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("The numbers tell a simple story"))
    paragraph.add_run(" Water is H")
    paragraph.add_run("2").font.subscript = True
    paragraph.add_run("O; a cubic metre is 1 m")
    paragraph.add_run("3").font.superscript = True
    paragraph.add_run(".")
    document.save(str(out))
    assert pull_docx(out).changed
    text = " ".join(source.read_text("utf-8").split())
    assert "Water is H~2~O; a cubic metre is 1 m^3^." in text
    brief = load_brief(source)
    assert "Water is H2O" in brief.conclusion[0].text.plain()


from hypothesis import given, settings, strategies as st  # noqa: E402

from briefgen.pull.markup import to_markup  # noqa: E402
from briefgen.pull.spans import Span, canonical, spans_of  # noqa: E402

# The 1.1 additions (scripts, cross-references) among links and notes;
# bold and italic nesting is version 1's and is tested with it.
_span = st.builds(
    lambda text, url, script: Span(text, url=url, script=script),
    st.text(alphabet="abc 12~^#", min_size=1, max_size=8),
    st.sampled_from([None, "https://example.org/", "#tab-1"]),
    st.sampled_from(["", "", "sub", "sup"]),
)
_atomic = st.builds(lambda note: Span("", note=note), st.sampled_from(["n1", "#fig-2"]))


@settings(max_examples=120, deadline=None)
@given(st.lists(st.one_of(_span, _atomic), max_size=6))
def test_spans_with_scripts_and_cross_references_round_trip(spans):
    """Any formatting pull reads from Word that rich text can say comes back as markup that says it."""
    from briefgen import richtext

    canon = canonical(spans)
    expressible = all(not (s.script and (not s.text.strip() or any(c.isspace() for c in s.text))) for s in canon)
    markup = to_markup(canon, ["n1"])
    if markup is None:
        assert not expressible, canon
        return
    parsed = richtext.parse(markup, richtext.FootnoteNumbering(frozenset({"n1"})))
    assert spans_of(parsed) == canon


def test_section_references_show_the_number_or_the_title(tmp_path):
    text = """\
title: T
summary: See [#method] and [#later].
{numbers}sections:
  - title: First
    sections:
      - {{title: Method, id: method, body: [x]}}
  - {{title: Later part, id: later, body: [y]}}
"""
    path = tmp_path / "s.yaml"
    path.write_text(text.format(numbers=""), encoding="utf-8")
    assert load_brief(path).summary.plain() == "See Method and Later part."
    path.write_text(text.format(numbers="section_numbers: true\n"), encoding="utf-8")
    brief = load_brief(path)
    assert brief.summary.plain() == "See Section 1.1 and Section 2."
    data = render_docx(brief, reference=REFERENCE)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    instructions = [" ".join((t.text or "").split()) for t in root.iter(f"{W}instrText")]
    assert "REF method \\r \\h" in instructions and "REF later \\r \\h" in instructions


def test_pull_keeps_a_worded_cross_reference_through_an_edit(tmp_path, monkeypatch):
    from briefgen.pull import pull_docx

    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    source = tmp_path / "content" / "spans.yaml"
    source.write_text(SPANS, encoding="utf-8")
    out = tmp_path / "spans.docx"
    out.write_bytes(render_docx(load_brief(source), reference=REFERENCE))
    assert not pull_docx(out).changed
    document = docx.Document(str(out))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("See Table 1"))
    first = paragraph.runs[0]
    first.text = first.text.replace("See", "Compare")
    document.save(str(out))
    assert pull_docx(out).changed
    assert "- Compare [#spans], [the chart](#mix) and [#annex]." in source.read_text("utf-8")
