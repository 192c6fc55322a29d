"""The example briefs in ``content/``.

``henan-inspection.yaml`` must say exactly what its seed article says, no
more and no less; ``solar-system.yaml`` must show every element of the
format.  These tests read the YAML with PyYAML directly so that they check
the content itself, independently of the reader under ``briefgen.read``.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml
from PIL import Image

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
HENAN = CONTENT / "henan-inspection.yaml"
SOLAR = CONTENT / "solar-system.yaml"
#: A byte-exact copy of the article the Henan brief was converted from.
SEED = Path(__file__).resolve().parent / "data" / "henan-inspection-seed.txt"

# From the format contract (docs: brief-format.md).
TOP_LEVEL_KEYS = {
    "title", "subtitle", "date", "updated", "version", "status", "authors",
    "organization", "marking", "lang", "keywords", "summary", "key_points",
    "key_figures", "sections", "conclusion", "sources", "footnotes",
}
REQUIRED_KEYS = {"title", "summary", "sections"}
SECTION_KEYS = {"title", "id", "body", "sections"}
BLOCK_TYPES = {
    "paragraph", "list", "table", "figure", "chart", "quote", "callout", "todo", "page_break",
}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
LINK = re.compile(r"\]\(([^)\s]+)\)")
#: The widest the text column of a printed page can be (A4 or Letter with
#: the narrowest sensible margins), for the image resolution check.
MAX_TEXT_WIDTH_IN = 6.5
MIN_PRINT_DPI = 150

# The seed marks a term in a bullet with an en dash or a colon.
TERM_BULLET = re.compile(r"^- (?P<term>[^:–]+?)(?: – |: )(?P<text>.+)$")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a YAML mapping"
    return data


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_lines() -> list[str]:
    """The seed's non-empty lines after the 'Article:' marker."""
    lines = [line.strip() for line in seed_text().splitlines() if line.strip()]
    assert lines[0] == "Article:"
    return lines[1:]


def strings(node: Any) -> Iterator[str]:
    """Every string value in a YAML tree (mapping keys excluded)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def leaves(node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        for value in node.values():
            yield from leaves(value)
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value)
    else:
        yield node


def walk_sections(sections: list[dict], level: int = 1) -> Iterator[tuple[int, dict]]:
    for section in sections:
        yield level, section
        yield from walk_sections(section.get("sections") or [], level + 1)


def walk_blocks(blocks: list[Any]) -> Iterator[Any]:
    """Every block, including those nested in callouts, depth first."""
    for block in blocks:
        yield block
        if isinstance(block, dict) and "callout" in block:
            body = block["callout"]["body"]
            if isinstance(body, list):
                yield from walk_blocks(body)


def all_blocks(brief: dict) -> Iterator[Any]:
    for _, section in walk_sections(brief["sections"]):
        yield from walk_blocks(section.get("body") or [])
    conclusion = brief.get("conclusion")
    if isinstance(conclusion, list):
        yield from walk_blocks(conclusion)


def block_type(block: Any) -> str:
    if isinstance(block, str):
        return "paragraph"
    assert isinstance(block, dict) and len(block) == 1, f"a block has exactly one key: {block!r}"
    (key,) = block
    return key


def list_items(block_list: dict) -> Iterator[Any]:
    for item in block_list["items"]:
        yield item
        if isinstance(item, dict):
            yield from item.get("items") or []


def rich_strings(brief: dict) -> Iterator[str]:
    """Strings that are rich text in reading order (where footnotes may be used)."""
    yield brief["summary"]
    yield from brief.get("key_points") or []
    for figure in brief.get("key_figures") or []:
        if "note" in figure:
            yield figure["note"]
    for block in all_blocks(brief):
        yield from strings(block)
    conclusion = brief.get("conclusion")
    if isinstance(conclusion, str):
        yield conclusion


def cjk(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


# --------------------------------------------------------------------------
# both briefs
# --------------------------------------------------------------------------


@pytest.mark.parametrize("path", [HENAN, SOLAR], ids=lambda p: p.stem)
def test_brief_has_the_required_keys_and_only_known_ones(path: Path) -> None:
    brief = load(path)
    assert REQUIRED_KEYS <= brief.keys()
    assert brief.keys() <= TOP_LEVEL_KEYS, brief.keys() - TOP_LEVEL_KEYS
    assert isinstance(brief["title"], str) and brief["title"].strip()
    assert isinstance(brief["summary"], str) and brief["summary"].strip()
    assert brief["sections"], "at least one section"
    for key in ("date", "updated"):
        if key in brief:
            assert isinstance(brief[key], dt.date), f"{key} must be a YYYY-MM-DD date"
    if "version" in brief:
        assert isinstance(brief["version"], str), "version must be quoted text"


@pytest.mark.parametrize("path", [HENAN, SOLAR], ids=lambda p: p.stem)
def test_sections_are_well_formed(path: Path) -> None:
    brief = load(path)
    ids = []
    for level, section in walk_sections(brief["sections"]):
        assert section.keys() <= SECTION_KEYS, section.keys() - SECTION_KEYS
        assert level <= 3, f"{section['title']!r} is nested deeper than three levels"
        assert isinstance(section["title"], str) and section["title"]
        assert SLUG.match(section["id"]), section["id"]
        assert section.get("body") or section.get("sections"), f"empty section {section['id']}"
        ids.append(section["id"])
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]


@pytest.mark.parametrize("path", [HENAN, SOLAR], ids=lambda p: p.stem)
def test_blocks_follow_the_contract(path: Path) -> None:
    brief = load(path)
    for block in all_blocks(brief):
        kind = block_type(block)
        assert kind in BLOCK_TYPES, kind
        if kind == "paragraph":
            assert isinstance(block if isinstance(block, str) else block["paragraph"], str)
        elif kind == "list":
            value = block["list"]
            assert value.keys() <= {"lead", "style", "items"} and value["items"]
            assert value.get("style", "bullet") in ("bullet", "numbered")
            for item in value["items"]:
                if isinstance(item, dict):
                    assert item.keys() in ({"term", "text"}, {"text", "items"}), item
                    for sub in item.get("items") or []:
                        assert isinstance(sub, str), "only one nested level"
                else:
                    assert isinstance(item, str)
        elif kind == "table":
            table = block["table"]
            width = len(table["columns"])
            assert all(len(row) == width for row in table["rows"])
        elif kind == "chart":
            chart = block["chart"]
            assert chart["type"] in ("bar", "column", "line")
            for series in chart["series"]:
                assert len(series["values"]) == len(chart["categories"]), series["name"]
                assert all(isinstance(v, (int, float)) for v in series["values"])
        elif kind == "figure":
            assert block["figure"]["alt"].strip(), "a figure needs alt text"
        elif kind == "callout":
            assert block["callout"].get("kind", "note") in ("note", "key", "warning")
        elif kind == "page_break":
            assert block["page_break"] is True
        elif kind == "todo":
            assert isinstance(block["todo"], str) and block["todo"].strip()


@pytest.mark.parametrize("path", [HENAN, SOLAR], ids=lambda p: p.stem)
def test_footnotes_and_links_resolve(path: Path) -> None:
    brief = load(path)
    notes = brief.get("footnotes") or {}
    referenced = Counter(
        ref for text in rich_strings(brief) for ref in FOOTNOTE_REF.findall(text)
    )
    assert set(referenced) <= set(notes), set(referenced) - set(notes)
    assert set(notes) <= set(referenced), f"never referenced: {set(notes) - set(referenced)}"
    for url in (u for text in strings(brief) for u in LINK.findall(text)):
        assert url.startswith(("https://", "http://", "mailto:")), url


@pytest.mark.parametrize("path", [HENAN, SOLAR], ids=lambda p: p.stem)
def test_briefs_load_with_the_reader(path: Path) -> None:
    loader = pytest.importorskip("briefgen.read")
    brief = loader.load_brief(path)
    assert brief.title == load(path)["title"]


# --------------------------------------------------------------------------
# henan-inspection.yaml: faithful to the seed
# --------------------------------------------------------------------------


def seed_sentences() -> list[str]:
    """The seed's sentences, bullets with a term excluded (see the pair test)."""
    sentences = []
    for line in seed_lines():
        if TERM_BULLET.match(line):
            continue
        if line.startswith("- "):
            line = line[2:]
        sentences.extend(SENTENCE_END.split(line))
    return sentences


def test_every_seed_sentence_is_in_the_brief_verbatim() -> None:
    text = "\n".join(strings(load(HENAN)))
    sentences = seed_sentences()
    assert len(sentences) > 100
    missing = [s for s in sentences if s not in text]
    assert not missing, missing


def test_every_term_bullet_of_the_seed_is_a_term_item() -> None:
    brief = load(HENAN)
    pairs = {
        (item["term"], item["text"])
        for block in all_blocks(brief)
        if block_type(block) == "list"
        for item in block["list"]["items"]
        if isinstance(item, dict) and "term" in item
    }
    expected = {
        (match["term"], match["text"])
        for match in map(TERM_BULLET.match, seed_lines())
        if match
    }
    assert len(expected) >= 20
    assert pairs == expected


def test_sections_follow_the_seed_questions_in_order() -> None:
    brief = load(HENAN)
    questions = [
        line for line in seed_lines()[1:] if line.endswith("?") and not line.startswith("- ")
    ]
    titles = [section["title"] for _, section in walk_sections(brief["sections"])]
    assert titles == questions
    top_level = [section["title"] for section in brief["sections"]]
    assert len(top_level) == 7
    assert top_level[0] == "What is the significance of Xi Jinping’s inspection tour in Henan?"
    assert top_level[-1] == "What is Henan’s outlook in advancing China’s modernization goals?"
    levels = {level for level, _ in walk_sections(brief["sections"])}
    assert levels == {1, 2}


def test_title_summary_and_conclusion_come_from_the_seed() -> None:
    brief = load(HENAN)
    lines = seed_lines()
    assert brief["title"] == lines[0]
    assert brief["summary"] == lines[1]
    assert brief["conclusion"] == lines[-1]
    assert brief["conclusion"].startswith("Xi Jinping’s inspection tour in Henan has crystallized")


def test_no_text_is_invented() -> None:
    """Every piece of reader-facing text is the seed's own (todos excepted)."""
    brief = load(HENAN)
    seed = seed_text()
    reader_facing = list(rich_strings(brief))
    reader_facing += [section["title"] for _, section in walk_sections(brief["sections"])]
    todos = {block["todo"] for block in all_blocks(brief) if block_type(block) == "todo"}
    invented = [text for text in reader_facing if text not in seed and text not in todos]
    assert not invented, invented
    subtitle = brief.get("subtitle")
    if subtitle:
        assert subtitle[0].lower() + subtitle[1:] in seed
    for keyword in brief.get("keywords") or []:
        assert keyword.lower() in seed.lower(), keyword
    for figure in brief.get("key_figures") or []:
        assert figure["value"].rstrip("+") in seed, figure["value"]
    for key in ("authors", "organization", "marking", "sources", "footnotes", "updated"):
        assert key not in brief, f"{key} is not in the seed and must not be invented"


def test_unanswered_questions_are_todos_and_the_brief_is_a_draft() -> None:
    brief = load(HENAN)
    todo_sections = [
        section["title"]
        for _, section in walk_sections(brief["sections"])
        if [block_type(b) for b in section.get("body") or []] == ["todo"]
    ]
    assert todo_sections == [
        "What are the recent economic trends and investment statistics in Henan?",
        "What is the significance of White Horse Temple and Longmen Grottoes in Henan?",
    ]
    assert brief["status"] == "draft"


def test_seed_characters_survive_yaml() -> None:
    brief = load(HENAN)
    text = "\n".join(strings(brief))
    for characters in ("’", "–", "—", "R&D", "2025–2030"):
        assert characters in text
    assert all(isinstance(leaf, (str, dt.date)) for leaf in leaves(brief)), (
        "a YAML scalar was read as a number or boolean"
    )


# --------------------------------------------------------------------------
# solar-system.yaml: a showcase of the format
# --------------------------------------------------------------------------


def test_solar_system_uses_every_top_level_key() -> None:
    brief = load(SOLAR)
    assert brief.keys() == TOP_LEVEL_KEYS
    assert brief["status"] == "final"
    assert isinstance(brief["conclusion"], list), "conclusion given as blocks"
    assert brief["updated"] > brief["date"]
    for figure in brief["key_figures"]:
        assert figure.get("note")
    assert any(source.get("url") for source in brief["sources"])


def test_solar_system_uses_every_block_type() -> None:
    brief = load(SOLAR)
    used = Counter(block_type(block) for block in all_blocks(brief))
    assert BLOCK_TYPES - {"todo"} <= used.keys()
    assert "todo" not in used, "a final brief has no editorial placeholders"
    assert used["chart"] >= 2


def test_solar_system_exercises_the_variants() -> None:
    brief = load(SOLAR)
    blocks = list(all_blocks(brief))
    charts = [b["chart"] for b in blocks if block_type(b) == "chart"]
    assert any(c["type"] == "column" and len(c["series"]) == 1 for c in charts)
    assert any(c["type"] in ("bar", "line") and len(c["series"]) == 2 for c in charts)
    for chart in charts:
        assert {"unit", "caption", "source", "alt"} <= chart.keys()

    callouts = [b["callout"] for b in blocks if block_type(b) == "callout"]
    assert {c.get("kind") for c in callouts} >= {"key", "warning"}
    assert any("title" in c for c in callouts)
    assert any(isinstance(c["body"], list) for c in callouts)

    lists = [b["list"] for b in blocks if block_type(b) == "list"]
    assert any(lst.get("style") == "numbered" for lst in lists)
    assert any(isinstance(i, dict) and "items" in i for lst in lists for i in lst["items"])

    (table,) = [b["table"] for b in blocks if block_type(b) == "table"]
    assert {"caption", "source", "note"} <= table.keys()
    for index, column in enumerate(table["columns"]):
        cells = [row[index] for row in table["rows"]]
        if all(isinstance(cell, (int, float)) for cell in cells):
            assert isinstance(column, dict) and column["align"] == "right", column
    assert any(isinstance(cell, (int, float)) for row in table["rows"] for cell in row)

    quotes = [b["quote"] for b in blocks if block_type(b) == "quote"]
    assert quotes and all(q.get("attribution") for q in quotes)

    depth = max(level for level, _ in walk_sections(brief["sections"]))
    assert depth == 3


def test_solar_system_rich_text_features() -> None:
    brief = load(SOLAR)
    texts = list(rich_strings(brief))
    joined = "\n".join(strings(brief))
    assert "**" in joined and re.search(r"(?<!\*)\*[^*\s][^*]*\*(?!\*)", joined)
    urls = LINK.findall(joined)
    assert any(u.startswith("https://") for u in urls)
    assert any(u.startswith("mailto:") for u in urls)
    counts = Counter(ref for text in texts for ref in FOOTNOTE_REF.findall(text))
    assert len(brief["footnotes"]) >= 3
    assert max(counts.values()) >= 2, "one footnote referenced twice"
    assert any(len(FOOTNOTE_REF.findall(text)) >= 2 for text in texts), "two in one paragraph"
    assert cjk(joined), "a CJK phrase exercises the CJK fonts"


def test_solar_system_images_exist_and_print_sharp() -> None:
    brief = load(SOLAR)
    figures = [b["figure"] for b in all_blocks(brief) if block_type(b) == "figure"]
    assert figures
    for figure in figures:
        path = (SOLAR.parent / figure["src"]).resolve()
        assert path.is_relative_to(SOLAR.parent.resolve())
        assert path.is_file(), figure["src"]
        with Image.open(path) as image:
            width_px = image.size[0]
        printed_in = MAX_TEXT_WIDTH_IN * figure.get("width", 100) / 100
        assert width_px / printed_in >= MIN_PRINT_DPI


def load_image_tool(monkeypatch: pytest.MonkeyPatch) -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_example_images", REPO / "tools" / "make_example_images.py"
    )
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, tool)  # dataclasses look their module up
    spec.loader.exec_module(tool)
    return tool


def test_example_image_is_what_the_tool_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = load_image_tool(monkeypatch)
    drawn = tool.draw_planets_to_scale(tmp_path / "planets-to-scale.png")
    with Image.open(drawn) as fresh, Image.open(CONTENT / "images" / "planets-to-scale.png") as kept:
        assert fresh.size == kept.size
        assert fresh.tobytes() == kept.tobytes(), (
            "content/images is stale: run tools/make_example_images.py"
        )


def test_image_table_and_chart_agree_on_diameters(monkeypatch: pytest.MonkeyPatch) -> None:
    tool = load_image_tool(monkeypatch)
    drawn = {planet.name: planet.diameter_km for planet in tool.PLANETS}
    brief = load(SOLAR)
    blocks = list(all_blocks(brief))
    (table,) = [b["table"] for b in blocks if block_type(b) == "table"]
    titles = [c["title"] if isinstance(c, dict) else c for c in table["columns"]]
    column = next(i for i, title in enumerate(titles) if title.startswith("Diameter"))
    assert {row[0]: row[column] for row in table["rows"]} == drawn
    (chart,) = [
        b["chart"] for b in blocks
        if block_type(b) == "chart" and b["chart"]["series"][0]["name"] == "Equatorial diameter"
    ]
    assert dict(zip(chart["categories"], chart["series"][0]["values"])) == drawn
