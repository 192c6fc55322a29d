"""Tracked changes and comments, as editors use them: written into a built
file the way Word writes them (``w:ins``, ``w:del``, ``w:moveFrom`` /
``w:moveTo``, ``w:rPrChange``, paragraph marks, ``comments.xml`` with
``commentRangeStart``), and the same file saved again by real LibreOffice."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from test_pull import build, paragraph_with, split_run, work, word_texts  # noqa: F401 - work is a fixture

from briefgen.cli import main
from briefgen.pull import PullError, pull_docx

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
EDITOR = "Ada Editor"
DATE = "2026-12-01T10:00:00Z"
BRIEF = Path("content/henan-inspection.yaml")
_ids = iter(range(900, 10_000))


def _attrs(author: str = EDITOR) -> str:
    return f'w:id="{next(_ids)}" w:author="{author}" w:date="{DATE}"'


def _split(paragraph, phrase: str):
    """The run holding ``phrase`` cut in three; returns (before, middle, after) w:r elements."""
    for run in paragraph.runs:
        if phrase in run.text:
            before, after = run.text.split(phrase, 1)
            return split_run(paragraph, run, [before, phrase, after])
    raise AssertionError(f"{phrase!r} is not within one run")


def _as_deleted(run) -> None:
    for t in run.iter(qn("w:t")):
        t.tag = qn("w:delText")


def replace_tracked(paragraph, old: str, new: str) -> None:
    """Select ``old``, type ``new`` with Track Changes on."""
    _, middle, _ = _split(paragraph, old)
    _as_deleted(middle)
    deletion = parse_xml(f"<w:del {W} {_attrs()}/>")
    middle.addprevious(deletion)
    deletion.append(middle)
    inserted = copy.deepcopy(middle)
    for t in inserted.iter(qn("w:delText")):
        t.tag, t.text = qn("w:t"), new
    insertion = parse_xml(f"<w:ins {W} {_attrs()}/>")
    insertion.append(inserted)
    deletion.addnext(insertion)


def insert_tracked(paragraph, text: str) -> None:
    paragraph._p.append(parse_xml(f'<w:ins {W} {_attrs()}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'))


def bold_tracked(paragraph, phrase: str) -> None:
    """Ctrl+B on ``phrase``: Word records the old run properties in w:rPrChange."""
    _, middle, _ = _split(paragraph, phrase)
    rpr = middle.get_or_add_rPr()
    rpr.append(parse_xml(f"<w:b {W}/>"))
    rpr.append(parse_xml(f"<w:rPrChange {W} {_attrs()}><w:rPr/></w:rPrChange>"))


def move_tracked(paragraph, phrase: str, before: str) -> None:
    """Drag ``phrase`` in front of ``before`` (in the same paragraph)."""
    _, moved, _ = _split(paragraph, phrase)
    _as_deleted(moved)
    origin = parse_xml(f'<w:moveFrom {W} {_attrs()}/>')
    moved.addprevious(parse_xml(f'<w:moveFromRangeStart {W} w:id="{next(_ids)}" w:name="move1" w:author="{EDITOR}" w:date="{DATE}"/>'))
    moved.addprevious(origin)
    origin.append(moved)
    origin.addnext(parse_xml(f'<w:moveFromRangeEnd {W} w:id="{next(_ids)}"/>'))
    _, target, _ = _split(paragraph, before)
    arrived = copy.deepcopy(moved)
    for t in arrived.iter(qn("w:delText")):
        t.tag = qn("w:t")
    destination = parse_xml(f"<w:moveTo {W} {_attrs()}/>")
    destination.append(arrived)
    target.addprevious(destination)


def new_paragraph_tracked(paragraph, text: str):
    """Enter at the end of ``paragraph`` and type: the break is inserted
    (the paragraph's own mark) and so are the new words."""
    new = copy.deepcopy(paragraph._p)
    for child in list(new):
        if child.tag != qn("w:pPr"):
            new.remove(child)
    paragraph._p.addnext(new)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f"<w:rPr {W}><w:ins {_attrs()}/></w:rPr>"))
    new.append(parse_xml(f'<w:ins {W} {_attrs()}><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>'))


def delete_paragraph_tracked(paragraph) -> None:
    """Select a whole paragraph and press Delete."""
    runs = list(paragraph._p.iter(qn("w:r")))
    deletion = parse_xml(f"<w:del {W} {_attrs()}/>")
    runs[0].addprevious(deletion)
    for run in runs:
        _as_deleted(run)
        deletion.append(run)
    paragraph._p.get_or_add_pPr().append(parse_xml(f"<w:rPr {W}><w:del {_attrs()}/></w:rPr>"))


def reviewed(work: Path) -> Path:
    """A built file with every kind of tracked change and two comments,
    and how many changes it holds."""
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    replace_tracked(paragraph_with(document, "tested policy implementation"), "tested", "checked")
    insert_tracked(paragraph_with(document, "Connecting major economic regions"), " and beyond")
    bold_tracked(paragraph_with(document, "By personally evaluating leading enterprises"), "political confidence")
    move_tracked(paragraph_with(document, "Xi stresses firm confidence"), "firm ", "high-quality")
    new_paragraph_tracked(paragraph_with(document, "These aspects set the stage"), "Henan's rail network -- the busiest...")
    delete_paragraph_tracked(paragraph_with(document, "These foundational strengths underscore"))
    commented = paragraph_with(document, "By personally evaluating leading enterprises")
    document.add_comment(commented.runs[0], text="Is \"confidence\" the right word?", author="Bo Reviewer", initials="BR")
    title = paragraph_with(document, "Xi stresses")
    document.add_comment(title.runs[-1], text="Shorter title, please.\nThanks", author=EDITOR, initials="AE")
    document.save(str(out))
    return out


def _data(work: Path):
    return yaml.safe_load((work / BRIEF).read_text("utf-8"))


def test_tracked_changes_are_listed_with_place_and_author_and_nothing_is_written(work):
    out = reviewed(work)
    before = (work / BRIEF).read_bytes()
    with pytest.raises(PullError) as caught:
        pull_docx(out)
    lines = str(caught.value).splitlines()
    assert "tracked changes not yet accepted" in lines[0] and "--accept-changes" in lines[0]
    errors = lines[1:]
    assert all(": error: " in line and EDITOR in line for line in errors), errors
    kinds = " ".join(errors)
    for kind in ("insertion by", "deletion by", "move (from) by", "move (to) by", "formatting change by",
                 "paragraph mark insertion", "paragraph mark deletion"):
        assert kind in kinds, kind
    tested = next(line for line in errors if '"tested"' in line)
    assert "sections[0].body[0].paragraph" in tested and "2026-12-01" in tested
    assert (work / BRIEF).read_bytes() == before
    # the command line says the same, one error line per change
    result = CliRunner().invoke(main, ["pull", str(out)])
    assert result.exit_code == 1 and result.output.count("error:") == len(errors)


def test_accepting_pulls_the_document_as_if_every_change_were_accepted(work):
    out = reviewed(work)
    old = _data(work)
    result = pull_docx(out, changes="accept")
    new = _data(work)
    body = new["sections"][0]["body"]
    assert "checked policy implementation" in body[0] and "tested policy" not in body[0]
    assert body[0].count("**political confidence**") == 1
    assert new["title"] == old["title"].replace("firm ", "").replace("high-quality", "firm high-quality")
    items = new["sections"][0]["sections"][0]["body"][1]["list"]["items"]
    assert any(str(i.get("text", i) if isinstance(i, dict) else i).endswith("and beyond") for i in items)
    added = body[body.index(next(b for b in body if isinstance(b, str) and b.startswith("These aspects"))) + 1]
    assert added == "Henan's rail network -- the busiest..."
    inner = new["sections"][0]["sections"][0]["body"]
    assert not any("These foundational strengths" in str(b) for b in inner)
    assert len(inner) == len(old["sections"][0]["sections"][0]["body"]) - 1
    # comments come back above their nodes, and are listed
    text = (work / BRIEF).read_text("utf-8")
    assert "# Word comment (Bo Reviewer, 2026-" in text and "Is \"confidence\" the right word?" in text
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("# Word comment (Ada Editor"))
    assert lines[at] .endswith("Shorter title, please. Thanks") and lines[at + 1].startswith("title:")
    assert "Word comment (Bo Reviewer" in result.summary and "Word comment (Ada Editor" in result.summary
    # the rebuilt file reads as the accepted one, in the house typography
    rebuilt = build(work, "henan-inspection")
    texts = word_texts(rebuilt)
    assert "Henan’s rail network – the busiest…" in texts
    assert not pull_docx(rebuilt).changed
    # and a second pull of the reviewed file changes nothing
    again = pull_docx(out, changes="accept")
    assert not again.changed and (work / BRIEF).read_text("utf-8") == text


def test_rejecting_pulls_the_document_as_built_and_keeps_the_comments(work):
    out = reviewed(work)
    before = (work / BRIEF).read_text("utf-8")
    result = pull_docx(out, changes="reject")
    after = (work / BRIEF).read_text("utf-8")
    added = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(added) == 2 and all(line.lstrip().startswith("# Word comment (") for line in added), added
    assert yaml.safe_load(after) == yaml.safe_load(before)
    assert result.summary.count("Word comment") == 2


def test_accept_and_reject_together_is_a_usage_error(work):
    out = build(work, "henan-inspection")
    result = CliRunner().invoke(main, ["pull", str(out), "--accept-changes", "--reject-changes"])
    assert result.exit_code == 2 and "cannot be used together" in result.output


# --------------------------------------------------------------------------
# The same, saved by LibreOffice
# --------------------------------------------------------------------------


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def _libreoffice(source: Path, folder: Path) -> Path:
    """``source`` opened and saved as .docx by LibreOffice."""
    folder.mkdir()
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
         "--convert-to", "docx", "--outdir", str(folder), str(source)],
        capture_output=True, text=True, timeout=240, check=False,
    )
    saved = folder / source.name
    assert saved.exists(), done.stderr
    return saved


@needs_soffice
def test_a_file_saved_by_libreoffice_lists_accepts_and_rejects_the_same(work):
    out = reviewed(work)
    saved = _libreoffice(out, work / "lo")
    before = (work / BRIEF).read_text("utf-8")
    with pytest.raises(PullError) as caught:
        pull_docx(saved, yaml_path=BRIEF)
    listed = str(caught.value)
    assert "insertion by Ada Editor" in listed and "deletion by Ada Editor" in listed
    assert (work / BRIEF).read_text("utf-8") == before

    rejected = pull_docx(saved, yaml_path=BRIEF, changes="reject", dry_run=True)
    assert yaml.safe_load(rejected.new_yaml) == yaml.safe_load(before)
    assert rejected.new_yaml.count("# Word comment (") == 2

    accepted = pull_docx(saved, yaml_path=BRIEF, changes="accept")
    expected_from_word = pull_docx(out, yaml_path=BRIEF, changes="accept", dry_run=True)
    assert yaml.safe_load(accepted.new_yaml) == yaml.safe_load(expected_from_word.new_yaml)
    assert "Bo Reviewer" in accepted.new_yaml and "Ada Editor" in accepted.new_yaml
    assert "block removed" in accepted.summary and "reworded" in accepted.summary
