"""The kept layout (:mod:`briefgen.writers.pdf_relayout`) against a fresh one.

The typesetting passes fix a few elements and lay out again only the
pages those fixes move.  These tests take every example brief, the real
fixtures and a brief built to provoke hyphenation fixes, let the passes
settle, then lay the fixed HTML out from scratch: every text box must be
on the same page at the same place with the same text, and the kept way
must have laid out fewer pages than the passes would have from scratch.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from test_html_writer import TEMPLATES
from test_pdf_typesetting import TOKENS_BRIEF
from weasyprint import HTML, Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from briefgen.read import load_brief
from briefgen.writers import pdf as pdf_writer
from briefgen.writers import pdf_lines, pdf_relayout
from briefgen.writers.html import render_html
from briefgen.writers.pdf_styles import take_stylesheets

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = sorted((ROOT / "content").glob("*.yaml")) + [
    ROOT / "tests" / "fixtures" / "crs-r48134-cjs-fy2025.yaml",
    *sorted((ROOT / "tests" / "fixtures" / "real").glob("*.yaml")),
]


def _signature(document: Document) -> list[list[tuple[float, float, str]]]:
    """Every text box of every page: where it is and what it says."""
    return [
        [
            (round(box.position_x, 2), round(box.position_y, 2), box.text)
            for box in page._page_box.descendants()
            if isinstance(box, boxes.TextBox)
        ]
        for page in document.pages
    ]


def _settled(html: str, monkeypatch) -> tuple[Document, Document, list[int]]:
    """The kept way's document, a fresh layout of the same fixed HTML, and
    how many pages each kept pass laid out."""
    made: list[pdf_relayout.KeptLayout] = []
    original = pdf_relayout.KeptLayout.__init__

    def remember(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    fresh_renders = []
    render = HTML.render

    def count(self, *args, **kwargs):
        fresh_renders.append(self)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(pdf_relayout.KeptLayout, "__init__", remember)
    monkeypatch.setattr(HTML, "render", count)
    source = HTML(string=html, base_url=None, url_fetcher=pdf_writer.DataURLFetcher())
    kept = pdf_writer._settle(source, None, {})
    assert not fresh_renders, "the kept layout gave up and the HTML was laid out afresh"
    monkeypatch.setattr(HTML, "render", render)
    pdf_lines.refresh(source)
    fresh = source.render(pdf_tags=True)
    return kept, fresh, made[0].pages_laid_out


@pytest.mark.parametrize("path", BRIEFS, ids=lambda path: path.stem)
def test_kept_layout_gives_the_pages_a_fresh_layout_gives(path, monkeypatch):
    html = render_html(load_brief(path), templates=TEMPLATES, media="print")
    kept, fresh, laid_out = _settled(html, monkeypatch)
    assert _signature(kept) == _signature(fresh)
    assert laid_out[0] == len(fresh.pages)
    assert all(count <= len(fresh.pages) for count in laid_out[1:])


def test_kept_layout_numbers_a_contents_by_target_counter_as_a_fresh_one(monkeypatch):
    # The writer's fallback contents: page numbers from target-counter(),
    # which re-make the contents page once the targets are laid out.
    html = render_html(load_brief(ROOT / "content" / "henan-inspection.yaml"), templates=TEMPLATES, media="print")
    counted = pdf_writer._CONTENTS_NAV.sub(r"\g<0> counted", html, count=1)
    kept, fresh, laid_out = _settled(counted, monkeypatch)
    assert _signature(kept) == _signature(fresh)
    contents = [box.text for box in kept.pages[1]._page_box.descendants() if isinstance(box, boxes.TextBox)]
    assert sum(text.strip().isdigit() for text in contents) > 5
    assert laid_out[0] > len(fresh.pages)  # the contents page was made again


@pytest.mark.parametrize("theme", ("default", "memo"))
def test_hyphenation_fixes_lay_out_only_the_pages_they_move(tmp_path, monkeypatch, theme):
    # The tokens brief repeated: many long words, so many page-end and
    # ladder fixes, spread over several pages.
    text = textwrap.dedent(TOKENS_BRIEF).lstrip().replace("sections:\n", f"theme: {theme}\nsections:\n", 1)
    head, _, rest = text.partition("sections:\n")
    body, _, tail = rest.partition("sources:\n")
    sections = "".join(body.replace("Considerations regarding", f"Part {n}, considerations regarding") for n in range(6))
    path = tmp_path / "tokens.yaml"
    path.write_text(f"{head}sections:\n{sections}sources:\n{tail}", encoding="utf-8")
    html = render_html(load_brief(path), templates=TEMPLATES, media="print")
    kept, fresh, laid_out = _settled(html, monkeypatch)
    assert _signature(kept) == _signature(fresh)
    assert len(laid_out) > 1, "the brief was meant to need fixes"
    assert sum(laid_out[1:]) < len(fresh.pages) * (len(laid_out) - 1)


def test_a_fix_the_kept_layout_cannot_take_falls_back_to_a_fresh_layout(monkeypatch):
    html = render_html(load_brief(ROOT / "content" / "henan-inspection.yaml"), templates=TEMPLATES, media="print")

    def refuse(self, *args):
        raise pdf_relayout.CannotKeep("refused for the test")

    monkeypatch.setattr(pdf_relayout.KeptLayout, "apply", refuse)
    source = HTML(string=html, base_url=None, url_fetcher=pdf_writer.DataURLFetcher())
    document = pdf_writer._settle(source, None, {})
    pdf_lines.refresh(source)
    assert _signature(document) == _signature(source.render(pdf_tags=True))


@pytest.mark.parametrize("path", BRIEFS, ids=lambda path: path.stem)
def test_stylesheets_taken_out_of_the_head_give_the_same_pages(path):
    html = render_html(load_brief(path), templates=TEMPLATES, media="print")
    fonts = FontConfiguration()
    body, sheets = take_stylesheets(html, fonts, pdf_writer.DataURLFetcher())
    assert "<style>" not in body.partition("</head>")[0]
    assert len(sheets) == html.partition("</head>")[0].count("<style>") > 0
    inline = HTML(string=html, base_url=None, url_fetcher=pdf_writer.DataURLFetcher())
    taken = HTML(string=body, base_url=None, url_fetcher=pdf_writer.DataURLFetcher())
    assert _signature(taken.render(font_config=fonts, pdf_tags=True, stylesheets=sheets)) == _signature(
        inline.render(font_config=fonts, pdf_tags=True)
    )


def test_a_stylesheet_is_parsed_once_per_font_configuration():
    html = "<html><head><style>p { color: red }</style><style>b { hyphens: none }</style></head><body><p>x</p></body></html>"
    fonts, other = FontConfiguration(), FontConfiguration()
    fetcher = pdf_writer.DataURLFetcher()
    body, first = take_stylesheets(html, fonts, fetcher)
    _, again = take_stylesheets(html, fonts, fetcher)
    _, elsewhere = take_stylesheets(html, other, fetcher)
    assert body == "<html><head></head><body><p>x</p></body></html>"
    assert [id(sheet) for sheet in first] == [id(sheet) for sheet in again]
    assert not {id(sheet) for sheet in first} & {id(sheet) for sheet in elsewhere}
    # a <style> in the body is the author's business: left where it is
    inside = "<html><head></head><body><style>p { color: red }</style></body></html>"
    assert take_stylesheets(inside, fonts, fetcher) == (inside, [])


# -- generated briefs ---------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = (
    "the of and a in to is was for that on as with by "
    "internationalization institutionalization disproportionately telecommunications "
    "counterintelligence nondiscrimination extraterritoriality interoperability "
    "microelectronics representatives notwithstanding approximately environmental "
    "infrastructure semiconductor nonproliferation appropriations reauthorization "
    "responsibilities characteristically intergovernmental administration"
).split()

_paragraph = st.lists(st.sampled_from(_WORDS), min_size=20, max_size=120).map(lambda words: " ".join(words).capitalize() + ".")


@st.composite
def _brief(draw) -> str:
    """A brief of long-worded paragraphs, footnotes (some long), callouts
    and short tables: hyphen ladders, page-end hyphens and kept blocks."""
    notes: dict[str, str] = {}
    sections = []
    for number in range(draw(st.integers(2, 4))):
        blocks = []
        for _ in range(draw(st.integers(2, 6))):
            kind = draw(st.sampled_from(["paragraph", "paragraph", "paragraph", "note", "callout", "table"]))
            if kind == "note":
                name = f"n{len(notes)}"
                notes[name] = draw(_paragraph) if draw(st.booleans()) else "A short note."
                blocks.append(draw(_paragraph)[:-1] + f".[^{name}]")
            elif kind == "callout":
                blocks.append({"callout": {"title": "Key point", "body": draw(_paragraph)}})
            elif kind == "table":
                rows = [[draw(st.sampled_from(_WORDS)), str(draw(st.integers(0, 10**6)))] for _ in range(draw(st.integers(2, 6)))]
                blocks.append({"table": {"caption": "Figures", "columns": ["Item", "Value"], "rows": rows}})
            else:
                blocks.append(draw(_paragraph))
        sections.append({"title": f"Section {number + 1}", "body": blocks})
    brief = {
        "title": "Generated for the kept layout",
        "summary": draw(_paragraph),
        "theme": draw(st.sampled_from(["default", "memo"])),
        "sections": sections,
    }
    if notes:
        brief["footnotes"] = notes
    import yaml

    return yaml.safe_dump(brief, allow_unicode=True, sort_keys=False)


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=_brief())
def test_generated_briefs_settle_to_the_pages_of_a_fresh_layout(tmp_path, monkeypatch, text):
    path = tmp_path / "generated.yaml"
    path.write_text(text, encoding="utf-8")
    html = render_html(load_brief(path), templates=TEMPLATES, media="print")
    with monkeypatch.context() as patch:
        kept, fresh, _ = _settled(html, patch)
    assert _signature(kept) == _signature(fresh)


def test_an_untested_weasyprint_gets_fresh_layouts_and_the_same_pages(monkeypatch):
    html = render_html(load_brief(ROOT / "content" / "henan-inspection.yaml"), templates=TEMPLATES, media="print")
    kept = pdf_writer._settle(HTML(string=html, base_url=None, url_fetcher=pdf_writer.DataURLFetcher()), None, {})
    monkeypatch.setattr(pdf_relayout, "TESTED_VERSIONS", ("0.",))
    assert not pdf_relayout.available()
    monkeypatch.setattr(pdf_relayout.KeptLayout, "__init__", lambda *args: pytest.fail("kept a layout"))
    fresh = pdf_writer._settle(HTML(string=html, base_url=None, url_fetcher=pdf_writer.DataURLFetcher()), None, {})
    assert _signature(fresh) == _signature(kept)


def test_the_installed_weasyprint_is_one_the_kept_layout_is_tested_with():
    # Should this fail after an upgrade, run this file's tests against the
    # new version and add it to TESTED_VERSIONS once they pass.
    assert pdf_relayout.available()
