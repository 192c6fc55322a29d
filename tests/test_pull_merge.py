"""Pulling is idempotent and three-way; typing is typography-insensitive;
a paragraph that lost its hidden marker is still matched."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from test_pull import add_paragraph_after, build, delete, paragraph_with, replace_text, work, word_texts  # noqa: F401

from briefgen.cli import main
from briefgen.pull import PullError, pull_docx
from briefgen.pull.spans import Span, canonical
from briefgen.pull.typography import text_key

BRIEF = Path("content/henan-inspection.yaml")


def _edited(work: Path) -> Path:
    """A list item and a paragraph added, a paragraph reworded."""
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    item = paragraph_with(document, "Connecting major economic regions")
    add_paragraph_after(item, [("Transport Hub", True), (" \u2013 ", False), ("Linking rail lines.", False)])
    add_paragraph_after(paragraph_with(document, "These aspects set the stage"), [("Henan anchors the rail network.", False)])
    replace_text(paragraph_with(document, "tested policy implementation"), "tested", "checked")
    document.save(str(out))
    return out


# --------------------------------------------------------------------------
# Idempotent, three-way
# --------------------------------------------------------------------------


def test_pulling_the_same_file_three_times_changes_the_brief_once(work):
    out = _edited(work)
    first = pull_docx(out)
    assert first.changed and first.summary.count("added") == 2
    text = (work / BRIEF).read_bytes()
    for _ in range(2):
        again = pull_docx(out)
        assert not again.changed and "no changes" in again.summary and "already holds 3 changes" in again.summary
        assert (work / BRIEF).read_bytes() == text
    assert text.decode().count("Transport Hub") == 1 and text.decode().count("Henan anchors the rail") == 1


def test_pull_build_pull_on_the_command_line_adds_nothing_twice(work):
    out = _edited(work)
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(BRIEF), "--out", "build", "--format", "docx"]).exit_code == 0
    out = _edited(work)  # the editor's file, as the build left it in build/
    outputs = []
    for _ in range(3):
        result = runner.invoke(main, ["pull", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
        built = runner.invoke(main, ["build", str(BRIEF), "--out", "build"])
        assert built.exit_code == 0, built.output
        assert "was edited" not in built.output
    assert "3 changes" in outputs[0] and f"keeps {out}" in outputs[0]
    assert all("nothing to do" in o for o in outputs[1:])
    assert (work / BRIEF).read_text("utf-8").count("Transport Hub") == 1


def test_edits_in_the_brief_since_the_pull_are_kept_and_new_word_edits_come_in(work):
    out = _edited(work)
    pull_docx(out)
    brief = work / BRIEF
    # the author refines what the pull brought in, and edits elsewhere
    brief.write_text(
        brief.read_text("utf-8")
        .replace("Linking rail lines.", "Linking rail lines from all directions.")
        .replace("checked policy implementation", "verified policy implementation")
        .replace("Leading national grain production", "Leading the nation’s grain production"),
        encoding="utf-8",
    )
    # the editor goes on in the same file
    document = docx.Document(str(out))
    replace_text(paragraph_with(document, "Hosting 12,000 high-tech enterprises"), "Hosting", "Home to")
    document.save(str(out))
    result = pull_docx(out)
    text = brief.read_text("utf-8")
    assert "Home to 12,000 high-tech enterprises" in text
    assert "Linking rail lines from all directions." in text and "verified policy implementation" in text
    assert "Leading the nation’s grain production" in text
    assert text.count("Transport Hub") == 1 and text.count("Henan anchors the rail network.") == 1
    assert result.summary.splitlines()[0].endswith("already holds 3 changes from it)")
    assert result.summary.count("reworded") == 1


def test_a_real_conflict_is_still_refused_at_its_place(work):
    out = _edited(work)
    brief = work / BRIEF
    brief.write_text(brief.read_text("utf-8").replace("tested policy implementation", "examined policy implementation"), encoding="utf-8")
    before = brief.read_bytes()
    with pytest.raises(PullError) as caught:
        pull_docx(out)
    assert "content/henan-inspection.yaml:71:9: error: sections[0].body[0].paragraph" in str(caught.value)
    assert brief.read_bytes() == before


def test_additions_land_in_place_when_blocks_were_inserted_above(work):
    out = _edited(work)
    brief = work / BRIEF
    old = brief.read_text("utf-8")
    marker = "    body:\n      - >-\n        Xi Jinping’s inspection tour"
    assert marker in old
    brief.write_text(old.replace(marker, "    body:\n      - A new opening paragraph.\n      - >-\n        Xi Jinping’s inspection tour", 1), encoding="utf-8")
    pull_docx(out)
    data = yaml.safe_load(brief.read_text("utf-8"))
    body = data["sections"][0]["body"]
    assert body[0] == "A new opening paragraph." and "checked policy implementation" in body[1]
    assert body[4] == "Henan anchors the rail network." and body[3].startswith("These aspects")
    items = data["sections"][0]["sections"][0]["body"][1]["list"]["items"]
    assert items[1] == {"term": "Transport Hub", "text": "Linking rail lines."}


# --------------------------------------------------------------------------
# Typography
# --------------------------------------------------------------------------


def _retype(paragraph, mapping: dict[str, str]) -> None:
    for run in paragraph.runs:
        text = run.text
        for old, new in mapping.items():
            text = text.replace(old, new)
        run.text = text


STRAIGHT = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "--", "\u2014": "---", "\u2026": "..."}


def test_retyping_with_straight_quotes_and_other_spaces_is_no_change(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    _retype(paragraph_with(document, "Xi Jinping’s inspection tour in Henan served"), {**STRAIGHT, " ": "\u00a0"})
    _retype(paragraph_with(document, "These aspects set the stage"), {"’": "'", " for ": "\u202ffor\u2009"})
    document.save(str(out))
    result = pull_docx(out)
    assert not result.changed, result.summary


@pytest.mark.parametrize(
    "typed, shown",
    [
        # AutoFormat off, LibreOffice and scripts: the straight forms
        ("Earth's \"best\" view -- and more... (a--b)", "Earth’s “best” view – and more… (a–b)"),
        # Word's AutoCorrect
        ("Earth’s “best” view – and more… (a—b)", "Earth’s “best” view – and more… (a—b)"),
        # LibreOffice's: an en dash for --, no-break spaces
        ("Earth’s «\u00a0best\u00a0» view\u00a0– and more…", "Earth’s « best » view – and more…"),
    ],
)
def test_new_wording_typed_any_way_comes_back_in_the_house_typography(work, typed, shown):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    replace_text(paragraph_with(document, "tested policy implementation"), "tested policy implementation", typed)
    document.save(str(out))
    result = pull_docx(out)
    assert result.changed and "reworded" in result.summary
    paragraph = yaml.safe_load((work / BRIEF).read_text("utf-8"))["sections"][0]["body"][0]
    assert typed in paragraph  # written as the editor typed it
    rebuilt = build(work, "henan-inspection")
    text = next(t for t in word_texts(rebuilt) if "Xi conveyed political confidence" in t)
    assert text_key(shown) in text_key(text)
    assert "--" not in text and "..." not in text  # the house typography, not the straight forms
    assert not pull_docx(rebuilt).changed
    assert not pull_docx(out).changed  # and the edited file pulled again changes nothing


def test_a_new_term_item_typed_with_a_hyphen_is_split(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    item = paragraph_with(document, "Connecting major economic regions")
    add_paragraph_after(item, [("Rail Hub", True), (" - ", False), ("Linking lines.", False)])
    document.save(str(out))
    pull_docx(out)
    items = yaml.safe_load((work / BRIEF).read_text("utf-8"))["sections"][0]["sections"][0]["body"][1]["list"]["items"]
    assert items[1] == {"term": "Rail Hub", "text": "Linking lines."}


# --------------------------------------------------------------------------
# A lost marker
# --------------------------------------------------------------------------


def _drop_marker(paragraph) -> None:
    """What LibreOffice, copy-paste and "Keep Text Only" do to the hidden bookmark."""
    for start in list(paragraph._p.iter(qn("w:bookmarkStart"))):
        if start.get(qn("w:name"), "").startswith("_bg_"):
            for end in paragraph._p.iter(qn("w:bookmarkEnd")):
                if end.get(qn("w:id")) == start.get(qn("w:id")):
                    end.getparent().remove(end)
            start.getparent().remove(start)


def test_a_paragraph_that_lost_its_marker_is_reworded_not_replaced(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    paragraph = paragraph_with(document, "tested policy implementation")
    _drop_marker(paragraph)
    replace_text(paragraph, "tested", "checked")
    item = paragraph_with(document, "Hosting 12,000 high-tech enterprises")
    _drop_marker(item)
    replace_text(item, "Hosting 12,000", "Hosting well over 12,000")
    heading = paragraph_with(document, "Why does Henan play a strategic role")
    _drop_marker(heading)
    document.save(str(out))
    result = pull_docx(out)
    assert "removed" not in result.summary and "added" not in result.summary, result.summary
    assert result.summary.count("reworded") == 2
    text = (work / BRIEF).read_text("utf-8")
    assert "checked policy implementation" in text and "Hosting well over 12,000" in text


def test_a_lost_marker_and_an_added_paragraph_in_the_same_place(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    paragraph = paragraph_with(document, "These aspects set the stage")
    _drop_marker(paragraph)
    replace_text(paragraph, "set the stage", "prepare the ground")
    add_paragraph_after(paragraph, [("A wholly new thought about rail.", False)])
    document.save(str(out))
    result = pull_docx(out)
    body = yaml.safe_load((work / BRIEF).read_text("utf-8"))["sections"][0]["body"]
    assert body[2].startswith("These aspects prepare the ground") and body[3] == "A wholly new thought about rail."
    assert "reworded" in result.summary and "paragraph added" in result.summary and "removed" not in result.summary


def test_deleting_a_paragraph_is_still_a_removal(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    delete(paragraph_with(document, "These aspects set the stage"))
    document.save(str(out))
    assert "block removed" in pull_docx(out).summary


# --------------------------------------------------------------------------
# The linear canonical form is the character-by-character one
# --------------------------------------------------------------------------


def _canonical_by_characters(spans):
    """The earlier definition, one character at a time (quadratic), as the oracle."""
    from itertools import groupby

    chars = []
    for span in spans:
        if span.note is not None:
            chars.append(["", False, False, None, span.note])
            continue
        chars.extend([c, span.bold, span.italic, span.url, None] for c in span.text.replace("\n", " "))
    while chars and chars[0][4] is None and chars[0][0].isspace():
        chars.pop(0)
    while chars and chars[-1][4] is None and chars[-1][0].isspace():
        chars.pop()
    for attr in (1, 2):
        index = 0
        while index < len(chars):
            if not chars[index][attr] or chars[index][4] is not None:
                index += 1
                continue
            end = index
            while end < len(chars) and chars[end][attr] and chars[end][4] is None:
                end += 1
            left, right = index, end - 1
            while left <= right and chars[left][0].isspace():
                chars[left][attr] = False
                left += 1
            while right >= left and chars[right][0].isspace():
                chars[right][attr] = False
                right -= 1
            index = end
    out = []
    for (bold, italic, url, note), group in groupby(chars, key=lambda c: (c[1], c[2], c[3], c[4])):
        if note is not None:
            out.extend(Span("", note=note) for _ in group)
        else:
            out.append(Span("".join(c[0] for c in group), bold, italic, url))
    return tuple(out)


_span = st.one_of(
    st.builds(Span, st.text(" \n\u00a0ab", max_size=5), st.booleans(), st.booleans(), st.sampled_from([None, "u"])),
    st.builds(lambda n: Span("", note=n), st.sampled_from("xy")),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_span, max_size=7))
def test_canonical_spans_match_the_character_definition(spans):
    assert canonical(spans) == _canonical_by_characters(spans)
