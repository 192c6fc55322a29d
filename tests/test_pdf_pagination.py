"""Pages that look finished: no stranded heading, no near-empty page made
by a keep rule, short end matter kept with what precedes it.

Read back from the PDF's structure tree (which block is on which page) and
from the text positions (how far down a page the body text reaches).
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path

import pytest
from layout_probe import block_pages, body_fill, body_lines, reader, stranded_headings
from test_html_writer import TEMPLATES

from briefgen.read import load_brief
from briefgen.writers.html import render_html
from briefgen.writers.pdf import render_pdf

ROOT = Path(__file__).resolve().parents[1]
#: Top and bottom page margins of each theme, in points.
MARGINS = {"default": 24 / 25.4 * 72, "memo": 18 / 25.4 * 72}
MIN_FILL = 0.25

SENTENCE = "The committee reviewed the appropriations request and its justification in detail. "


def _provoking(shift: int) -> str:
    """Headings followed by kept-together blocks (short tables, callouts,
    quotes) at many heights on the page; ``shift`` moves where pages end."""
    sections = []
    for index in range(9):
        body = [f'      - "{(SENTENCE * (1 + (index * 5 + shift) % 7)).strip()}"']
        kind = index % 3
        if kind == 0:
            rows = "".join(f'            - ["Item {r}", "{r * 11}"]\n' for r in range(1, 7))
            body.append(f"      - table:\n          caption: Items of part {index}\n          columns: [Item, Amount]\n          rows:\n{rows.rstrip()}")
        elif kind == 1:
            body.append(f'      - callout:\n          title: Part {index} in one sentence\n          body:\n            - "{(SENTENCE * 3).strip()}"')
        else:
            body.append(f'      - quote:\n          text: "{(SENTENCE * 2).strip()}"\n          attribution: A witness')
        sections.append(
            f"  - title: Part {index} of the review of the appropriations request\n    body:\n" + "\n".join(body)
            + f'\n    sections:\n      - title: Details of part {index}\n        body:\n          - "{(SENTENCE * (2 + index % 3)).strip()}"'
        )
    return "title: Headings near page ends\nsummary: A probe.\nsections:\n" + "\n".join(sections) + "\n"


def _kept_table_after_a_break() -> str:
    """A page break, a paragraph, then a 12-row table (kept in one piece)
    too tall for the rest of the page: kept whole, it would leave the page
    a sixth full."""
    rows = "".join(f'            - ["Item {r}", "{(SENTENCE * 3).strip()}", "{(SENTENCE * 2).strip()}"]\n' for r in range(1, 13))
    return (
        "title: Keep rules and empty pages\nsummary: A probe.\nsections:\n"
        f'  - title: First part\n    body:\n      - "{(SENTENCE * 10).strip()}"\n'
        f'  - title: Second part\n    body:\n      - page_break: true\n      - "{(SENTENCE * 4).strip()}"\n'
        "      - table:\n          caption: A short table with long cells\n"
        f"          columns: [Item, Description, Remark]\n          rows:\n{rows}"
        f'      - "{(SENTENCE * 3).strip()}"\n'
    )


def _end_matter(paragraphs: int) -> str:
    body = "\n".join(f'      - "{(SENTENCE * 6).strip()}"' for _ in range(paragraphs))
    sources = "".join(f"  - title: Source number {i}\n    publisher: A publisher\n" for i in range(1, 4))
    return f"title: Short end matter\nsummary: A probe.\nsections:\n  - title: Only section\n    body:\n{body}\nsources:\n{sources}"


@lru_cache(maxsize=None)
def _render(text_or_path: str, theme: str, folder: str) -> bytes:
    path = Path(text_or_path) if text_or_path.endswith(".yaml") else Path(folder) / f"b{abs(hash(text_or_path))}.yaml"
    if not text_or_path.endswith(".yaml"):
        path.write_text(textwrap.dedent(text_or_path), encoding="utf-8")
    brief = load_brief(path)
    html = render_html(brief, templates=TEMPLATES, media="print", theme=theme)
    return render_pdf(html, title=brief.title, lang=brief.lang)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("pagination"))


CASES = [
    ("tests/fixtures/crs-r48134-cjs-fy2025.yaml", "default"),
    ("tests/fixtures/crs-r48134-cjs-fy2025.yaml", "memo"),
    ("provoking-0", "default"),
    ("provoking-3", "memo"),
    ("kept-table", "default"),
]


def _source(case: str) -> str:
    if case == "kept-table":
        return _kept_table_after_a_break()
    return _provoking(int(case.split("-")[1])) if case.startswith("provoking") else str(ROOT / case)


@pytest.mark.parametrize("case,theme", CASES)
def test_no_heading_ends_a_page(case: str, theme: str, folder: str) -> None:
    data = _render(_source(case), theme, folder)
    assert len(reader(data).pages) >= 2
    assert stranded_headings(data) == []


@pytest.mark.parametrize("case,theme", CASES)
def test_every_page_but_the_last_is_at_least_a_quarter_full(case: str, theme: str, folder: str) -> None:
    data = _render(_source(case), theme, folder)
    fills = body_fill(reader(data), MARGINS[theme], MARGINS[theme])
    assert all(fill >= MIN_FILL for fill in fills[:-1]), fills


@pytest.mark.parametrize("theme,paragraphs", [("default", 6), ("memo", 3)])
def test_short_sources_stay_with_the_text_before_them_when_they_fit(theme: str, paragraphs: int, folder: str) -> None:
    data = _render(_end_matter(paragraphs), theme, folder)
    blocks = block_pages(data)
    last_body = max(page for tag, page in blocks[:-4] if tag == "/P")
    sources_heading = [page for tag, page in blocks if tag == "/H2"][-1]
    fills = body_fill(reader(data), MARGINS[theme], MARGINS[theme])
    if fills[last_body - 1] < 0.7:  # room for a heading and three short sources
        assert sources_heading == last_body, (blocks, fills)
    assert fills[-1] >= 0.1 or len(fills) == 1


def _marked_paragraphs() -> str:
    """Paragraphs of 2 to 9 lines, each starting with StartK and ending with EndK."""
    body = "\n".join(
        f'      - "Start{k} {(SENTENCE * (1 + (k * 5) % 8)).strip()} End{k}."' for k in range(1, 19)
    )
    return f"title: Widows and orphans\nsummary: A probe.\ncontents: true\nsections:\n  - title: Body\n    body:\n{body}\n"


def split_paragraphs(pages: list[list[str]]) -> list[tuple[int, int, int]]:
    """(page, lines before the break, lines after it) for each paragraph of
    the probe split over two pages."""
    out = []
    for number, (lines, following) in enumerate(zip(pages, pages[1:]), 1):
        starts = [i for i, line in enumerate(lines) if "Start" in line]
        last = lines[starts[-1]:] if starts else lines
        if any("End" in line for line in last):
            continue  # the page ends with a whole paragraph
        rest = next((i for i, line in enumerate(following) if "End" in line), len(following) - 1) + 1
        out.append((number, len(last), rest))
    return out


def test_no_widow_or_orphan_line(folder: str) -> None:
    """A paragraph split over two pages leaves at least two lines on each."""
    splits = []
    for theme in ("default", "memo"):
        pdf = reader(_render(_marked_paragraphs(), theme, folder))
        splits += split_paragraphs(body_lines(pdf, MARGINS[theme], MARGINS[theme]))
    assert splits, "the probe should split some paragraph across pages"
    assert all(before >= 2 and after >= 2 for _, before, after in splits), splits
