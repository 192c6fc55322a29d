"""The PDF as a typesetter checks it: hyphens, URL breaks, footnote pages.

Each test builds a brief that provokes the problem (long URLs, names with
inner capitals, header cells, many notes near page ends, notes in tables)
and reads the answer back from the PDF.
"""

from __future__ import annotations

import re
import textwrap
from functools import lru_cache
from pathlib import Path

import pytest
from layout_probe import HYPHEN, hyphen_ladders, hyphenated_breaks, last_body_lines, note_pages, page_lines, reader
from test_html_writer import TEMPLATES

from briefgen.read import load_brief
from briefgen.writers.html import render_html
from briefgen.writers.pdf import render_pdf

THEMES = ("default", "memo")

URLS = (
    "https://huggingface.co/datasets/openai/gsm8k?split=train&config=main",
    "https://www.congress.gov/crs-product/IF12345/very-long-path-segment/another_segment?format=pdf&version=2",
)
NAMES = ("OpenAI", "DeepMind", "HuggingFace", "GPT-4", "H100", "snake_case_name", "iPhone")
LONG_WORDS = (
    "internationalization institutionalization disproportionately telecommunications "
    "counterintelligence nondiscrimination extraterritoriality interoperability "
    "microelectronics representatives notwithstanding approximately environmental "
    "infrastructure semiconductor nonproliferation appropriations reauthorization"
)

TOKENS_BRIEF = f"""
title: Where lines may break
summary: A brief of long URLs, product names and long words in narrow places.
sections:
  - title: Considerations regarding internationalization and institutionalization
    body:
      - "The {NAMES[0]} and {NAMES[1]} laboratories, the {NAMES[2]} hub at {URLS[0]} and the {NAMES[3]} and {NAMES[4]} accelerators, {NAMES[5]} and the {NAMES[6]}: {LONG_WORDS}. Write to press.office@congressional-research.example.gov about {LONG_WORDS}."
      - "See [the product page]({URLS[1]}) or {URLS[1]} itself for {LONG_WORDS} {LONG_WORDS}."
      - table:
          caption: Characteristically overwhelming responsibilities of intergovernmental organizations
          columns: [Benefits, 5th Review, Administrative considerations, Recommendations]
          rows:
            - ["{LONG_WORDS}", "{NAMES[0]} {NAMES[2]}", "{URLS[0]}", "{LONG_WORDS}"]
            - ["{LONG_WORDS}", "{NAMES[1]}", "{LONG_WORDS}", "{NAMES[3]} {NAMES[4]}"]
sources:
  - title: "Responsibilities of {NAMES[2]} and {NAMES[0]} in the intergovernmental organizations"
    url: "{URLS[1]}"
"""


@lru_cache(maxsize=None)
def _pdf(yaml_text: str, theme: str, folder: str) -> bytes:
    path = Path(folder) / f"brief-{theme}-{abs(hash(yaml_text))}.yaml"
    path.write_text(textwrap.dedent(yaml_text).lstrip(), encoding="utf-8")
    brief = load_brief(path)
    html = render_html(brief, templates=TEMPLATES, media="print", theme=theme)
    return render_pdf(html, title=brief.title, lang=brief.lang)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("typesetting"))


@pytest.mark.parametrize("theme", THEMES)
def test_hyphens_only_inside_dictionary_words_with_three_letters_each_side(theme: str, folder: str) -> None:
    pdf = reader(_pdf(TOKENS_BRIEF, theme, folder))
    breaks = hyphenated_breaks(pdf)
    assert breaks, "the probe should provoke some hyphenation"
    for page, before, after in breaks:
        word = before + after
        assert re.fullmatch(r"[a-z]{3,}", re.sub(r"\W+$", "", after)), (page, before, after)
        assert len(re.sub(r"^\W+", "", before)) >= 3, (page, before, after)
        assert not any(c.isdigit() for c in word) and not re.search(r"[a-z][A-Z]", word), word
        assert "/" not in word and "@" not in word and "_" not in word, word


@pytest.mark.parametrize("theme", THEMES)
def test_no_hyphen_in_headings_captions_or_header_cells(theme: str, folder: str) -> None:
    text = "\n".join("\n".join(lines) for lines in page_lines(reader(_pdf(TOKENS_BRIEF, theme, folder))))
    for heading in ("Considerations regarding", "Characteristically overwhelming", "Benefits", "5th Review", "Administrative"):
        assert heading.split()[0] in text
    for fragment in ("Consid" + HYPHEN, "Charac" + HYPHEN, "Ben" + HYPHEN, "Re" + HYPHEN, "Admin" + HYPHEN, "Adminis" + HYPHEN):
        assert fragment not in text


@pytest.mark.parametrize("theme", THEMES)
def test_urls_break_only_at_slash_dot_question_mark_or_ampersand(theme: str, folder: str) -> None:
    lines = [line for page in page_lines(reader(_pdf(TOKENS_BRIEF, theme, folder))) for line in page]
    text = "\n".join(line.rstrip() for line in lines)
    found = 0
    for url in (*URLS, "press.office@congressional-research.example.gov"):
        pattern = "\n?".join(re.escape(char) for char in url)
        for match in re.finditer(pattern, text):
            found += 1
            piece = match.group()
            assert HYPHEN not in piece
            for where in [m.start() for m in re.finditer("\n", piece)]:
                before, after = piece[where - 1], piece[where + 1]
                assert after in "/.?#&=" or before in "/-?&=", (url, piece[max(0, where - 8) : where + 8])
    assert found >= 4


def _long_words_brief() -> str:
    """Paragraphs of long words whose pages end, unchecked, on a hyphen."""
    paragraphs = "".join(f'      - "{(LONG_WORDS + " ") * (1 + (i * 3 + 1) % 4)}"\n' for i in range(12))
    return f"title: Page ends\nsummary: A probe.\nsections:\n  - title: Body\n    body:\n{paragraphs}"


def _notes_brief(filler: int) -> str:
    """Paragraphs of varied length with one to three notes each, notes in
    table cells and near page ends; ``filler`` shifts where pages break."""
    notes = {f"n{i}": f"Note {i}: the National Archives catalogue entry for item {i}, with its full citation." for i in range(1, 31)}
    sentences = "The committee reviewed the appropriations request and its justification in detail. "
    paragraphs = []
    number = 1
    for index in range(14):
        calls = []
        for _ in range(1 + index % 3):
            if number <= 24:
                calls.append(f"[^n{number}]")
                number += 1
        body = sentences * (2 + (index * 7 + filler) % 6)
        paragraphs.append(f'      - "{body.strip()}{"".join(calls)} {sentences.strip()}"')
    table = (
        "      - table:\n          caption: Notes in cells\n          columns: [Item, Status]\n          rows:\n"
        + "".join(f'            - ["Item {i}[^n{i}]", "Pending review"]\n' for i in range(25, 31))
    )
    body = "\n".join(paragraphs[:7]) + "\n" + table + "\n".join(paragraphs[7:])
    footnotes = "".join(f'  {key}: "{text}"\n' for key, text in notes.items())
    return (
        "title: Notes near page ends\nsummary: Many notes per page.\n"
        f"sections:\n  - title: Review\n    body:\n{body}\nfootnotes:\n{footnotes}"
    )


@pytest.mark.parametrize("theme,filler", [("default", 0), ("memo", 3)])
def test_every_note_is_on_the_page_of_its_reference(theme: str, filler: int, folder: str) -> None:
    pdf = reader(_pdf(_notes_brief(filler), theme, folder))
    pages = note_pages(pdf)
    assert len(pages) == 30
    assert len(pdf.pages) >= 3
    per_page = [list(pages.values()).count(pair) for pair in set(pages.values())]
    assert max(per_page) >= 3  # several notes share a page
    misplaced = {note: where for note, where in pages.items() if where[0] != where[1]}
    assert not misplaced


@pytest.mark.parametrize("theme", ["memo"])
def test_example_brief_notes_on_their_pages(theme: str) -> None:
    """The memo theme once printed both notes of page 2 on page 3."""
    root = Path(__file__).resolve().parents[1]
    brief = load_brief(root / "content" / "solar-system.yaml")
    html = render_html(brief, templates=TEMPLATES, media="print", theme=theme)
    pages = note_pages(reader(render_pdf(html, title=brief.title, lang=brief.lang)))
    assert pages and all(call == note for call, note in pages.values()), pages


def test_no_more_than_two_hyphenated_lines_in_a_row(folder: str) -> None:
    for theme in THEMES:
        assert all(run <= 2 for run in hyphen_ladders(reader(_pdf(TOKENS_BRIEF, theme, folder)))), theme


FIXTURE = Path(__file__).parent / "fixtures" / "crs-r48134-cjs-fy2025.yaml"


@pytest.mark.parametrize("theme", THEMES)
def test_real_brief_urls_notes_and_length(theme: str) -> None:
    """CRS R48134: long URLs in notes, a table's source line and the sources."""
    brief = load_brief(FIXTURE)
    html = render_html(brief, templates=TEMPLATES, media="print", theme=theme)
    pdf = reader(render_pdf(html, title=brief.title, lang=brief.lang))
    pages = note_pages(pdf)
    assert pages and all(call == note for call, note in pages.values()), pages
    text = "\n".join(line.rstrip() for page in page_lines(pdf) for line in page)
    urls = sorted({s.url for s in brief.sources if s.url}, key=len)
    found = 0
    for url in urls:
        for match in re.finditer("\n?".join(re.escape(c) for c in url), text):
            found += 1
            piece = match.group()
            assert HYPHEN not in piece
            for where in [m.start() for m in re.finditer("\n", piece)]:
                assert piece[where + 1] in "/.?#&=" or piece[where - 1] in "/-?&=", piece
    assert found >= 4  # in the notes, under the table and in the sources
    for _, before, after in hyphenated_breaks(pdf):
        assert len(before) >= 3 and len(re.sub(r"\W+$", "", after)) >= 3, (before, after)
    # The two-page format: the compact memo theme fits it, the default does not.
    assert (len(pdf.pages) <= brief.max_pages) == (theme == "memo")


@pytest.mark.parametrize("theme,filler", [("default", 0), ("memo", 3)])
def test_no_word_is_hyphenated_across_a_page(theme: str, filler: int, folder: str) -> None:
    margin = (24 if theme == "default" else 18) / 25.4 * 72
    for source in (_long_words_brief(), _notes_brief(filler), TOKENS_BRIEF):
        pdf = reader(_pdf(source, theme, folder))
        lasts = last_body_lines(pdf, margin, margin)
        assert all(lasts[:-1]), lasts
        assert not [line for line in lasts[:-1] if line.endswith(HYPHEN)], lasts
