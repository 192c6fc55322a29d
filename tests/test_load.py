"""The reader: one test per kind of problem, each asserting message, path and line."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from conftest import FIXTURES, MINIMAL

from briefgen import model as m
from briefgen.errors import BriefErrors
from briefgen.read import load_brief, slugify


def problems(path) -> list:
    with pytest.raises(BriefErrors) as info:
        load_brief(path)
    return info.value.diagnostics


def only(path, fragment: str):
    """The single diagnostic whose message holds ``fragment``."""
    found = [d for d in problems(path) if fragment in d.message]
    assert len(found) == 1, [d.format() for d in problems(path)]
    return found[0]


def test_minimal_brief_loads():
    brief = load_brief(FIXTURES / "minimal.yaml")
    assert brief.title == "A minimal brief"
    assert brief.status == "final" and brief.lang == "en"
    assert brief.sections[0].id == "only-section"
    assert brief.sections[0].body[0] == m.Paragraph(
        brief.sections[0].body[0].text, m.Pos(6, 9)
    )
    assert brief.sections[0].body[0].text.plain() == "One paragraph."


def test_strings_stay_strings(write_brief):
    path = write_brief(
        """
        title: no
        subtitle: 1.50
        version: 2.0
        summary: yes
        keywords: [on, off, 012]
        sections:
          - title: null-ish? no, text
            body: [no]
        """
    )
    brief = load_brief(path)
    assert brief.title == "no"
    assert brief.subtitle == "1.50"
    assert brief.version == "2.0"
    assert brief.summary.plain() == "yes"
    assert brief.keywords == ("on", "off", "012")
    assert brief.sections[0].body[0].text.plain() == "no"


def test_every_top_level_field(write_brief):
    path = write_brief(
        """
        title: T
        subtitle: S
        date: 2026-01-31
        updated: 2026-02-01
        version: "1.0"
        status: draft
        authors: [Ann, Bo]
        organization: Org
        marking: PUBLIC
        lang: zh-Hans
        keywords: [a, b]
        summary: Sum[^n].
        key_points: [one, two]
        key_figures:
          - {value: "12,000", label: firms, note: a note}
        sections:
          - title: S1
            id: s-one
        conclusion: The end.
        sources:
          - {title: Src, publisher: Pub, url: "https://example.org/x", date: "2024", note: N}
        footnotes:
          n: The note.
        """
    )
    brief = load_brief(path)
    assert brief.date == dt.date(2026, 1, 31) and brief.updated == dt.date(2026, 2, 1)
    assert brief.is_draft and brief.marking == "PUBLIC" and brief.lang == "zh-Hans"
    assert brief.authors == ("Ann", "Bo")
    assert brief.key_figures[0].value == "12,000"
    assert brief.sources[0].url == "https://example.org/x"
    assert brief.footnotes[0].number == 1
    assert isinstance(brief.conclusion[0], m.Paragraph)
    assert brief.sections[0].id == "s-one"


def test_missing_required_keys(write_brief):
    path = write_brief("subtitle: only this\n")
    found = problems(path)
    messages = " | ".join(d.message for d in found)
    for key in ("title", "summary", "sections"):
        assert f"missing the required key '{key}'" in messages
    assert all(d.line == 1 for d in found)


def test_unknown_key_suggests_the_nearest(write_brief):
    path = write_brief(MINIMAL + "keywrods: [a]\n")
    problem = only(path, "unknown key 'keywrods'")
    assert "did you mean 'keywords'?" in problem.message
    assert (problem.line, problem.column) == (7, 1)
    assert problem.path == "keywrods"


def test_unknown_key_in_nested_block(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - table:
                  columns: [a]
                  rows: [[1]]
                  captoin: x
        """
    )
    problem = only(path, "unknown key 'captoin'")
    assert "did you mean 'caption'?" in problem.message
    assert problem.path == "sections[0].body[0].table.captoin"
    assert problem.line == 9


def test_all_problems_of_a_file_are_reported(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        status: finished
        date: 31/01/2026
        sections:
          - title: A
            body:
              - tabel: {}
              - list: {style: numbred, items: [a]}
        """
    )
    found = problems(path)
    assert [d.line for d in found] == [3, 4, 8, 9]
    assert "'finished' is not one of 'draft', 'final'" in found[0].message
    assert "YYYY-MM-DD" in found[1].message
    assert "unknown block kind 'tabel'; did you mean 'table'?" in found[2].message
    assert "did you mean 'numbered'?" in found[3].message


def test_wrong_types(write_brief):
    path = write_brief(
        """
        title: [not, text]
        summary: S
        authors: {a: 1}
        sections: just text
        """
    )
    found = {d.path: d for d in problems(path)}
    assert "expected text, found a list" in found["title"].message
    assert found["title"].line == 1
    assert "expected a list of sections" in found["sections"].message
    assert found["sections"].line == 4
    assert "expected a list of texts, found a mapping" in found["authors"].message


def test_top_level_list(write_brief):
    path = write_brief("- a\n- b\n")
    problem = only(path, "a brief is a mapping of keys")
    assert "this file holds a list" in problem.message
    assert (problem.line, problem.column) == (1, 1)


def test_empty_file(write_brief):
    path = write_brief("# only a comment\n")
    problem = only(path, "the file is empty")
    assert problem.line == 1


def test_yaml_syntax_error_points_at_the_opening_quote(write_brief):
    path = write_brief('title: T\nsummary: "never closed\nsections: []\n')
    problem = only(path, "never closed")
    assert (problem.line, problem.column) == (2, 10)


def test_tab_indentation(write_brief):
    path = write_brief("title: T\nsummary: S\nsections:\n\t- title: A\n")
    problem = only(path, "tab character")
    assert problem.line == 4


def test_bad_indentation(write_brief):
    path = write_brief("title: T\n  summary: S\nsections: []\n")
    problem = only(path, "YAML syntax error")
    assert problem.line == 2


def test_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: T\nsummary: caf\xe9\n".encode("latin-1"))
    problem = only(path, "not UTF-8")
    assert (problem.line, problem.column) == (2, 13)


def test_duplicate_key(write_brief):
    path = write_brief(MINIMAL + "title: again\n")
    problem = only(path, "duplicate key 'title'")
    assert problem.line == 7 and "line 1" in problem.message


def test_block_with_two_keys_hints_at_indentation(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - table:
                columns: [a]
                rows: [[1]]
        """
    )
    problem = only(path, "exactly one key")
    assert problem.path == "sections[0].body[0]"
    assert problem.line == 6 and "indentation" in problem.message


def test_table_row_with_wrong_cell_count(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - table:
                  columns: [a, b]
                  rows:
                    - [1, 2]
                    - [1, 2, 3]
        """
    )
    problem = only(path, "3 cells")
    assert problem.path == "sections[0].body[0].table.rows[1]"
    assert problem.line == 10 and "2 columns" in problem.message


def test_chart_series_must_match_categories(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - chart:
                  type: column
                  categories: [a, b, c]
                  series:
                    - {name: ok, values: [1, 2, 3]}
                    - {name: short, values: [1, 2]}
                    - {name: words, values: [1, two, 3]}
        """
    )
    found = problems(path)
    assert found[0].path == "sections[0].body[0].chart.series[1].values"
    assert "'short' has 2 values but the chart has 3 categories" in found[0].message
    assert found[0].line == 11
    assert "expected a number, found 'two'" in found[1].message
    assert found[1].path == "sections[0].body[0].chart.series[2].values[1]"


def test_forbidden_link_scheme(write_brief):
    path = write_brief(
        """
        title: T
        summary: "[click](javascript:alert(1))"
        sections:
          - title: A
            body: ["[file](file:///etc/passwd)"]
        sources:
          - {title: X, url: "ftp://example.org"}
        """
    )
    found = problems(path)
    assert [(d.path, d.line) for d in found] == [
        ("summary", 2),
        ("sections[0].body[0]", 5),
        ("sources[0].url", 7),
    ]
    assert all("only http, https and mailto" in d.message for d in found)


def test_unknown_footnote(write_brief):
    path = write_brief(
        """
        title: T
        summary: S[^fn1]
        sections: [{title: A, body: [x]}]
        footnotes:
          fn-1: Note.
        """
    )
    problem = only(path, "footnote [^fn1] is not defined")
    assert "did you mean 'fn-1'?" in problem.message and problem.line == 2


def test_footnotes_are_numbered_in_reading_order(write_brief):
    path = write_brief(
        """
        title: T
        summary: First[^b] then[^a] and again[^b].
        sections: [{title: A, body: ["x[^c]"]}]
        footnotes:
          a: A.
          b: B.
          c: C.
          d: Never used.
        """
    )
    brief = load_brief(path)
    assert [(n.id, n.number) for n in brief.footnotes] == [("b", 1), ("a", 2), ("c", 3), ("d", 0)]
    refs = [i for i in brief.summary.inlines if isinstance(i, m.FootnoteRef)]
    assert [(r.id, r.number, r.first) for r in refs] == [("b", 1, True), ("a", 2, True), ("b", 1, False)]


def test_section_ids(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: Henan’s role, explained!
          - title: Henan’s role, explained!
          - {title: X, id: custom}
          - {title: Y, id: custom}
          - {title: Z, id: Not A Slug}
        """
    )
    found = problems(path)
    assert [(d.line, d.path) for d in found] == [(7, "sections[3].id"), (8, "sections[4].id")]
    assert "already used on line 6" in found[0].message


def test_derived_ids_are_unique(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - {title: Same, body: [a]}
          - {title: Same, body: [b]}
          - {title: 河南, body: [c]}
        """
    )
    brief = load_brief(path)
    assert [s.id for s in brief.sections] == ["same", "same-2", "section"]
    assert slugify("Why does Henan’s role matter?") == "why-does-henans-role-matter"


def test_sections_nest_three_levels(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: L1
            sections:
              - title: L2
                sections:
                  - title: L3
                    sections:
                      - title: L4
        """
    )
    problem = only(path, "at most 3 levels")
    assert problem.line == 10 and problem.path == "sections[0].sections[0].sections[0].sections"


def test_lists(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - list:
                  lead: Lead-in
                  style: numbered
                  items:
                    - plain
                    - {term: Term, text: description}
                    - {text: parent, items: [child one, child two]}
              - list: [short, form]
              - list:
                  items:
                    - {text: a, items: [{text: b, items: [c]}]}
        """
    )
    problem = only(path, "lists nest one level only")
    assert problem.path == "sections[0].body[2].list.items[0].items[0].items"


def test_list_block_model(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - list:
                  lead: Lead-in
                  style: numbered
                  items:
                    - {term: Term, text: description}
                    - {text: parent, items: [child]}
              - list: [short, form]
        """
    )
    first, second = load_brief(path).sections[0].body
    assert first.style == "numbered" and first.lead.plain() == "Lead-in"
    assert first.items[0].term.plain() == "Term"
    assert first.items[1].items[0].text.plain() == "child"
    assert second.style == "bullet" and len(second.items) == 2


def test_table_cells_keep_numbers_as_written(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - table:
                  columns: [Name, Value, {title: Note, align: center}]
                  rows:
                    - ["**bold**", 1.50, ~]
                    - [b, 12000, x]
        """
    )
    table = load_brief(path).sections[0].body[0]
    assert [c.align for c in table.columns] == ["left", "right", "center"]
    assert table.rows[0][1].text.plain() == "1.50" and table.rows[0][1].numeric
    assert isinstance(table.rows[0][0].text.inlines[0], m.Strong)


def test_figure_paths_stay_inside_the_brief_folder(tmp_path, write_brief):
    (tmp_path / "img").mkdir()
    png = (FIXTURES / "images" / "dot.png").read_bytes()  # a PNG that decodes (a bare signature does not)
    (tmp_path / "img" / "ok.png").write_bytes(png)
    outside = tmp_path.parent / f"outside-{os.getpid()}.png"
    outside.write_bytes(png)
    (tmp_path / "img" / "link.png").symlink_to(outside)
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - figure: {src: img/ok.png, alt: fine}
              - figure: {src: ../outside.png, alt: x}
              - figure: {src: /etc/passwd, alt: x}
              - figure: {src: "file:///etc/passwd", alt: x}
              - figure: {src: "http://127.0.0.1:9/x.png", alt: x}
              - figure: {src: img/link.png, alt: x}
              - figure: {src: img/missing.png, alt: x}
              - figure: {src: img, alt: x}
              - figure: {src: img/ok.png}
        """
    )
    try:
        found = problems(path)
    finally:
        outside.unlink()
    by_line = {d.line: d.message for d in found}
    assert "leaves the brief's folder" in by_line[7]
    assert "absolute path" in by_line[8]
    assert "is a URL" in by_line[9] and "is a URL" in by_line[10]
    assert "leads outside" in by_line[11]
    assert "not found" in by_line[12]
    assert "not a regular file" in by_line[13]
    assert "missing the required key 'alt'" in by_line[14]
    assert 6 not in by_line


def test_figure_width(write_brief, tmp_path):
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - figure: {src: a.png, alt: x, width: 60%}
              - figure: {src: a.png, alt: x, width: 0}
        """
    )
    problem = only(path, "percentage")
    assert problem.line == 7


def test_page_break_and_todo(write_brief):
    path = write_brief(
        """
        title: T
        summary: S
        sections:
          - title: A
            body:
              - page_break: true
              - todo: Add the figures.
              - page_break: maybe
        """
    )
    problem = only(path, "page_break: true")
    assert problem.line == 8


def test_alias_bomb_fails_fast(write_brief):
    """Aliases multiply what the reader walks: 50 sections x 50 x 50 blocks
    x 50 items would be six million nodes from a file of a few lines."""
    fifty = lambda alias: "[" + ", ".join([alias] * 50) + "]"
    path = write_brief(
        f"""
        title: T
        summary: S
        footnotes:
          x: &item Some text.
        conclusion:
          - &block {{list: {{items: {fifty("*item")}}}}}
        sections:
          - &s3 {{title: C, body: {fifty("*block")}}}
          - &s2 {{title: B, sections: {fifty("*s3")}}}
          - {{title: A, sections: {fifty("*s2")}}}
        """
    )
    started = time.perf_counter()
    found = problems(path)
    assert time.perf_counter() - started < 2
    assert any("aliases" in d.message for d in found)


def test_deep_nesting_is_refused(write_brief):
    path = write_brief("title: " + "[" * 200 + "]" * 200 + "\n")
    problem = only(path, "nests deeper")
    assert problem.line == 1


def test_oversized_file(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("title: " + "x" * (3 * 1024 * 1024) + "\n")
    problem = only(path, "larger than")
    assert problem.line == 1


def test_a_fifo_named_as_a_brief_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    problem = only(fifo, "not a regular file")
    assert problem.line == 1
