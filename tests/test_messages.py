"""One test per message that used to point at the wrong place, give advice
that fixes nothing, or say nothing at all: each asserts the exact line,
column and message."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.errors import BriefErrors, Diagnostic
from briefgen.lint import lint
from briefgen.read import load_brief

HEAD = "title: T\nsummary: S\nsections:\n  - title: A\n    body:\n"


def errors(path) -> list[Diagnostic]:
    with pytest.raises(BriefErrors) as info:
        load_brief(path)
    return info.value.diagnostics


def one(path) -> tuple[int, int, str]:
    found = errors(path)
    assert len(found) == 1, [d.format() for d in found]
    return found[0].line, found[0].column, found[0].message


def write(tmp_path, text: str, name: str = "brief"):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- 1. rich-text problems at the construct, inside any kind of scalar -------

NOPE = "footnote [^nope] is not defined in 'footnotes'"
FTP = "link target 'ftp://example.org' has scheme 'ftp'; only http, https and mailto links are allowed"


@pytest.mark.parametrize(
    "body, line, column",
    [
        # plain, over several lines (was reported at 6:9, where the paragraph starts)
        ("      - This paragraph runs over\n        several lines and on the\n        third one cites [^nope] which\n        is not defined.\n", 8, 25),
        # double-quoted, with escapes before the construct and an escaped line break
        ('      - "caf\\u00e9 \\x41 \\"q\\"\n        \\\n        then [^nope]"\n', 8, 14),
        # single-quoted, with a doubled quote
        ("      - 'it''s\n\n          here [^nope]'\n", 8, 16),
        # literal, with a more-indented line
        ("      - |\n        one\n          two [^nope]\n", 8, 15),
        # folded
        ("      - >-\n        one\n        two\n\n        three [^nope]\n", 10, 15),
    ],
    ids=["plain", "double-quoted", "single-quoted", "literal", "folded"],
)
def test_undefined_footnote_is_reported_where_it_is_typed(tmp_path, body, line, column):
    path = write(tmp_path, HEAD + body)
    assert one(path) == (line, column, NOPE)


def test_bad_link_in_a_quoted_summary_points_at_its_target(tmp_path):
    path = write(tmp_path, 'title: T\nsummary: "first line\n  second [x](ftp://example.org) end"\nsections:\n  - title: A\n    body: [p]\n')
    assert one(path) == (3, 14, FTP)


def test_two_problems_in_one_paragraph_each_at_its_place(tmp_path):
    path = write(tmp_path, HEAD + "      - >\n        See [^nope] and\n        [a link](ftp://example.org).\n")
    found = [(d.line, d.column, d.message) for d in errors(path)]
    assert found == [(7, 13, NOPE), (8, 18, FTP)]


# -- 2. syntax errors diagnosed like a person would --------------------------

FIGURE = HEAD + "      - figure:\n          src: a.png\n"


def test_outdented_key_is_reported_on_its_own_line_naming_its_mapping(tmp_path):
    # was: 9:18 "a ': ' inside a value: put text that contains ': ' in quotes"
    path = write(tmp_path, FIGURE + "        alt: A picture\n          caption: c\n")
    assert one(path) == (
        8, 9,
        "YAML syntax error: 'alt' is indented 2 spaces less than the other keys of 'figure' (line 6), "
        "where it seems to belong: indent it like 'src' on line 7 (column 11)",
    )


def test_over_indented_key_is_reported_on_its_own_line(tmp_path):
    # was: 8:16 "a ': ' inside a value: ..."
    path = write(tmp_path, FIGURE + "            alt: A picture\n")
    assert one(path) == (
        8, 13,
        "YAML syntax error: 'alt' is indented 2 spaces more than the other keys of 'figure' (line 6), "
        "where it seems to belong: indent it like 'src' on line 7 (column 11)",
    )


def test_over_indented_top_level_key(tmp_path):
    path = write(tmp_path, "title: T\n  summary: S\nsections: []\n")
    assert one(path) == (
        2, 3,
        "YAML syntax error: 'summary' is indented 2 spaces more than the brief's other top-level keys, "
        "where it seems to belong: indent it like 'title' on line 1 (column 1)",
    )


def test_outdented_list_item(tmp_path):
    path = write(tmp_path, HEAD + "      - p\n     - q\n  - title: B\n")
    assert one(path) == (
        7, 6,
        "YAML syntax error: this list item is indented 1 space less than the other items of 'body' (line 5), "
        "where it seems to belong: indent it like the item on line 6 (column 7)",
    )


def test_quote_closed_by_a_later_quote_is_reported_where_it_opens(tmp_path):
    # was: 16:17 "this line is not indented like the lines of the block it belongs to"
    text = (
        'title: T\nsubtitle: A subtitle\ndate: 2026-01-01\norganization: Org\nversion: "0.3\n'
        "status: draft\nsummary: >\n  A summary.\nsections:\n  - title: A\n    body:\n      - p\n"
        '      - table:\n          columns: [a, b]\n          rows:\n            - ["x", "y"]\n      - "q"\n'
    )
    path = write(tmp_path, text)
    assert one(path) == (5, 10, "this quoted text is never closed (the closing quote is missing)")


def test_colon_advice_when_the_colon_is_the_cause(tmp_path):
    path = write(tmp_path, "title: T\nsummary: Note: this is text\nsections: []\n")
    assert one(path) == (2, 14, "YAML syntax error: a ': ' inside a value: put text that contains ': ' in quotes")


def test_unknown_escape_is_not_an_unclosed_quote(tmp_path):
    path = write(tmp_path, 'title: "C:\\qa"\nsummary: S\nsections: []\n')
    line, column, message = one(path)
    assert (line, column) == (1, 11)
    assert message == "'\\q' is not an escape YAML knows inside double quotes; write '\\\\' for a backslash, or use single quotes"


def test_flow_mapping_closed_on_a_later_line_is_not_unclosed(tmp_path):
    # yaml-test-suite 4MUZ as a value: valid YAML that PyYAML refuses
    path = write(tmp_path, 'title: T\nsummary: S\nsections: []\nextra: {"foo"\n  : "bar"}\n')
    line, column, message = one(path)
    assert "never closed" not in message
    assert message.endswith("(inside the '{' on line 4)")


@pytest.mark.parametrize("title", ["title: T\t\n", "title:\tT\n", "title: T\t# note\n"], ids=["trailing", "separator", "before-comment"])
def test_tabs_that_separate_are_valid(tmp_path, title):
    # were: 1:9 and 1:7 "a tab character indents this line"
    path = write(tmp_path, title + "summary: a\tb\nsections:\n  - title: A\n    body: [p]\n")
    brief = load_brief(path)
    assert brief.title == "T" and brief.summary.plain() == "a\tb"


def test_a_tab_that_indents_is_still_an_error(tmp_path):
    path = write(tmp_path, "title: T\nsummary: S\nsections:\n\t- title: A\n")
    assert one(path) == (4, 1, "a tab character indents this line; YAML indents with spaces only")


# -- 3. check is the build's gate ---------------------------------------------


def run_check(*args):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_check_refuses_an_unknown_theme_at_its_key(tmp_path):
    path = write(tmp_path, "title: T\nsummary: S\ntheme: corporate\nsections:\n  - title: A\n    body: [p]\n")
    result = run_check(path)
    assert result.exit_code == 1
    assert f"{path}:3:8: error: theme: unknown theme 'corporate'; the themes in " in result.output
    assert "are 'default', 'memo'" in result.output


def test_check_refuses_a_reference_document_that_does_not_open(tmp_path):
    (tmp_path / "house.docx").write_bytes(b"not a zip")
    path = write(tmp_path, "title: T\nsummary: S\nreference_docx: house.docx\nsections:\n  - title: A\n    body: [p]\n")
    result = run_check(path)
    assert result.exit_code == 1
    assert f"{path}:3:17: error: reference_docx: the Word reference document 'house.docx' does not open as a Word document" in result.output


def test_escaped_control_character_is_refused_at_the_escape(tmp_path):
    # was: check passed; the Word writer failed at 1:1 "could not write the DOCX"
    path = write(tmp_path, 'title: T\nsummary: "bad \\x01 char"\nsections:\n  - title: A\n    body: [p]\n')
    assert one(path) == (
        2, 15,
        "the character U+0001 (a control character or non-character) cannot be written to PDF, "
        "Word or HTML; remove the escape that makes it",
    )


def test_image_that_does_not_decode_is_refused(tmp_path):
    from conftest import FIXTURES

    png = next((FIXTURES / "images").glob("*.png")).read_bytes()
    (tmp_path / "cut.png").write_bytes(png[: len(png) // 2])
    path = write(tmp_path, HEAD + "      - figure:\n          src: cut.png\n          alt: A cut picture\n")
    line, column, message = one(path)
    assert (line, column) == (7, 16)
    assert message.startswith("'cut.png' cannot be read as a PNG image: ") and message.endswith("(is the file complete?)")


def test_svg_with_entities_is_refused_by_check_as_by_the_word_writer(tmp_path):
    (tmp_path / "x.svg").write_text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>')
    path = write(tmp_path, HEAD + "      - figure:\n          src: x.svg\n          alt: A drawing\n")
    assert one(path) == (7, 16, "'x.svg' cannot be read as a SVG image: SVG files with a DOCTYPE or entities are refused (they can read other files)")


# -- 4. lint that helps --------------------------------------------------------


def warnings(path) -> list[tuple[int, int, str]]:
    return [(d.line, d.column, d.message) for d in lint(load_brief(path))]


def test_unclosed_bold_is_a_warning_at_its_stars(tmp_path):
    path = write(tmp_path, "title: T\nsummary: an **unclosed bold\nsections:\n  - title: A\n    body: [p]\n")
    assert warnings(path) == [(
        2, 13,
        "this '**' opens bold text that is never closed; the stars will print as they are "
        "(close it with '**', or write '\\*' for a literal star)",
    )]


def test_unclosed_italic_in_a_folded_paragraph(tmp_path):
    path = write(tmp_path, HEAD + "      - >\n        *one* and\n        *two\n")
    assert [w[:2] for w in warnings(path)] == [(8, 9)]
    assert "'*' opens italic text that is never closed" in warnings(path)[0][2]


def test_stars_that_are_not_emphasis_are_not_warned_about(tmp_path):
    path = write(tmp_path, HEAD + "      - 2 * 3 = 6, 5*3=15, \\*literal, **done**\n")
    assert warnings(path) == []


def test_every_empty_cell_is_reported(tmp_path):
    # was: only the first empty cell of the row, and " " passed
    path = write(tmp_path, HEAD + '      - table:\n          columns: [a, b, c]\n          rows:\n            - ["", " ", x]\n            - [y, "", z]\n')
    found = [(d.line, d.column, d.path, d.message) for d in errors(path)]
    table = "sections[0].body[0].table.rows"
    assert found == [
        (9, 16, f"{table}[0][0]", "must not be empty"),
        (9, 20, f"{table}[0][1]", "must not be empty (it holds only blanks)"),
        (10, 19, f"{table}[1][1]", "must not be empty"),
    ]


def test_row_split_by_an_unquoted_comma_gets_the_hint(tmp_path):
    path = write(tmp_path, HEAD + "      - table:\n          columns: [a, b, c, d, e]\n          rows:\n            - [Item, $25,000, 3, 4, 5]\n")
    assert one(path) == (
        9, 15,
        "this row has 6 cells but the table has 5 columns; the comma in $25,000 ends a cell inside [ ... ]: "
        'put the value in quotes ("$25,000")',
    )


def test_multi_paragraph_summary_is_not_merged_silently(tmp_path):
    path = write(tmp_path, "title: T\nsummary: |\n  First paragraph.\n\n  Second paragraph.\nsections:\n  - title: A\n    body: [p]\n")
    assert warnings(path) == [(
        5, 3,
        "a blank line above starts a new paragraph here, but rich text is one paragraph: "
        "this text is joined to the text before it (write each paragraph as a block of its own)",
    )]


def test_lines_of_a_literal_block_joined_with_a_warning(tmp_path):
    path = write(tmp_path, HEAD + "      - |\n        line one\n        line two\n")
    assert warnings(path) == [(
        6, 9,
        "the line breaks of this '|' text are not kept: rich text is one paragraph, "
        "so its lines are joined with spaces (write '>' to say so, or one block per line)",
    )]


# -- 5. one diagnostic, one line ----------------------------------------------


def test_key_with_a_newline_stays_on_one_line(tmp_path):
    path = write(tmp_path, 'title: T\nsummary: S\n"bad\\nkey\\x07": 1\nsections:\n  - title: A\n    body: [p]\n')
    result = run_check(path)
    lines = [line for line in result.output.splitlines() if ": error: " in line]
    assert lines == [f"{path}:3:1: error: bad\\nkey\\x07: unknown key 'bad\\nkey\\x07' in the brief"]
    raw = json.loads(run_check("--format", "json", path).output)
    assert raw[0]["message"] == "unknown key 'bad\nkey\x07' in the brief" and raw[0]["path"] == "bad\nkey\x07"


def test_crafted_content_cannot_fake_a_diagnostic_line(tmp_path):
    path = write(tmp_path, f'title: T\nsummary: S\n"x\\n{tmp_path}/brief.yaml:1:1: error: fake": 1\nsections: [{{title: A}}]\n')
    output = run_check(path).output
    assert sum(": error: " in line for line in output.splitlines()) == 1


def test_chart_values_too_large_to_draw_are_refused(tmp_path):
    # was: check passed; the build failed at 1:1 "Axis limits cannot be NaN or Inf"
    chart = "      - chart:\n          type: bar\n          categories: [a, b]\n          series:\n            - {name: s, values: [1e6, 1.7e308]}\n"
    path = write(tmp_path, HEAD + chart)
    assert one(path) == (
        10, 39,
        "1.7e308 is too large to chart (at most 10^15 either side of zero); give the values in a larger unit, e.g. 'unit: billion'",
    )
    path = write(tmp_path, HEAD + chart.replace("1.7e308", "2e6"))
    assert load_brief(path).sections[0].body[0].series[0].values == (1e6, 2e6)  # YAML 1.2 numbers


def test_check_takes_the_builds_theme_option(tmp_path):
    path = write(tmp_path, HEAD + "      - p\n")
    result = run_check("--theme", "corporat", path)
    assert result.exit_code == 1
    assert f"{path}:1:1: error: theme: unknown theme 'corporat';" in result.output
    assert "(from the command line's --theme)" in result.output
    assert run_check("--theme", "memo", path).exit_code == 0


def test_key_outdented_beside_its_block_kind_is_named_at_its_line(tmp_path):
    # valid YAML, so no syntax error: the block gets two keys
    path = write(tmp_path, FIGURE + "        alt: A picture\n      - more\n")
    found = [(d.line, d.column, d.message) for d in errors(path)]
    assert found[1:] == [(
        8, 9,
        "'alt' is a key of the figure on line 6, but it is indented like 'figure' itself: "
        "indent it like 'src' on line 7 (column 11)",
    )]
    assert found[0][:2] == (6, 9) and "exactly one key" in found[0][2]


def test_keys_of_an_empty_block_kind_are_told_where_to_go(tmp_path):
    path = write(tmp_path, HEAD + "      - table:\n        columns: [a]\n        rows: [[1]]\n")
    found = [(d.line, d.column, d.message) for d in errors(path)][1:]
    assert found == [
        (7, 9, "'columns' is a key of the table on line 6, but it is indented like 'table' itself: indent it to column 11"),
        (8, 9, "'rows' is a key of the table on line 6, but it is indented like 'table' itself: indent it to column 11"),
    ]


# -- positions inside scalars, for any text PyYAML writes in any style ---------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_words = st.lists(st.text(alphabet="abcé河\"'\\:#-*\t", min_size=1, max_size=9), max_size=12).map(" ".join)


def test_a_footnote_is_found_where_it_is_written_in_any_style(tmp_path):
    """PyYAML writes the text (folding long lines, escaping what needs it);
    the reported position must be where '[^nope]' stands in the file."""
    import yaml

    located = []

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(before=_words, after=_words, style=st.sampled_from([None, "'", '"', "|", ">"]), width=st.integers(20, 60))
    def footnote_found(before, after, style, width):
        value = f"{before} [^nope] {after}".strip()
        styled = yaml.dump(value, default_style=style, allow_unicode=True, width=width).removesuffix("...\n").rstrip("\n")
        summary = "summary: " + styled.replace("\n", "\n  ")
        text = f"title: T\n{summary}\nsections:\n  - title: A\n    body: [p]\n"
        path = write(tmp_path, text)
        assert yaml.safe_load(text)["summary"] == value
        found = [d for d in errors(path) if "[^nope]" in d.message]
        assert len(found) == 1, [d.format() for d in errors(path)]
        line = text.split("\n")[found[0].line - 1]
        assert line[found[0].column - 1 :].startswith("[^nope]"), (text, found[0].format())
        located.append(styled.count("\n"))

    footnote_found()
    assert sum(lines > 0 for lines in located) >= 30  # most examples span several lines
