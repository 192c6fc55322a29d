"""``briefgen pull``: Word edits made the way Word makes them, back into the YAML."""

from __future__ import annotations

import re

import copy
import io
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

from briefgen.read import load_brief
from briefgen.pull import PullError, pull_docx
from briefgen.writers.docx import render_docx

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "src" / "briefgen" / "templates" / "reference.docx"


# --------------------------------------------------------------------------
# Helpers: a brief copied to a work folder, built, and edited like Word does
# --------------------------------------------------------------------------


@pytest.fixture
def work(tmp_path, monkeypatch):
    folder = tmp_path / "project"
    (folder / "content").mkdir(parents=True)
    shutil.copytree(ROOT / "content" / "images", folder / "content" / "images")
    for name in ("henan-inspection", "solar-system"):
        shutil.copy(ROOT / "content" / f"{name}.yaml", folder / "content")
    monkeypatch.chdir(folder)
    return folder


def build(work: Path, name: str) -> Path:
    brief = load_brief(Path("content") / f"{name}.yaml")
    out = work / "build" / f"{name}.docx"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(render_docx(brief, reference=REFERENCE))
    return out


def paragraph_with(document, text: str):
    found = [p for p in _all_paragraphs(document) if text in p.text]
    assert len(found) == 1, f"{len(found)} paragraphs hold {text!r}"
    return found[0]


def _all_paragraphs(document):
    """The paragraphs an editor edits: not the contents field's result,
    which Word regenerates from the headings."""
    yield from (p for p in document.paragraphs if not re.fullmatch(r"toc \d", p.style.name.casefold()))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def replace_text(paragraph, old: str, new: str) -> None:
    """Change text inside one run, as typing over a word does."""
    for run in paragraph.runs:
        if old in run.text:
            run.text = run.text.replace(old, new)
            return
    raise AssertionError(f"{old!r} is not within one run")


def embolden(paragraph, phrase: str) -> None:
    """Select ``phrase`` and press Ctrl+B: the run is split in three."""
    for run in paragraph.runs:
        if phrase in run.text:
            before, after = run.text.split(phrase, 1)
            texts = [(text, bold) for text, bold in ((before, False), (phrase, True), (after, False)) if text]
            for piece, (_, bold) in zip(split_run(paragraph, run, [text for text, _ in texts]), texts):
                if bold:
                    docx.text.run.Run(piece, paragraph).bold = True
            return
    raise AssertionError(f"{phrase!r} is not within one run")


def split_run(paragraph, run, texts: list[str]) -> list:
    """Replace ``run`` with one run per text, each keeping the run's
    formatting (as Word does when part of a run is retyped); the new ``w:r``."""
    pieces = []
    for text in texts:
        piece = copy.deepcopy(run._r)
        for child in list(piece):
            if child.tag != qn("w:rPr"):
                piece.remove(child)
        docx.text.run.Run(piece, paragraph).text = text
        run._r.addprevious(piece)
        pieces.append(piece)
    run._r.getparent().remove(run._r)
    return pieces


def add_paragraph_after(paragraph, runs: list[tuple[str, bool]]):
    """Press Enter at the end of ``paragraph`` and type: same style and
    numbering, no bookmark."""
    new = copy.deepcopy(paragraph._p)
    for child in list(new):
        if child.tag != qn("w:pPr"):
            new.remove(child)
    paragraph._p.addnext(new)
    result = docx.text.paragraph.Paragraph(new, paragraph._parent)
    for text, bold in runs:
        result.add_run(text).bold = bold or None
    return result


def delete(paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def edit_footnotes(document, old: str, new: str) -> None:
    """Type in a footnote (python-docx keeps footnotes.xml as raw bytes)."""
    part = document.part.part_related_by(RT.FOOTNOTES)
    assert part.blob.count(old.encode()) == 1
    part._blob = part.blob.replace(old.encode(), new.encode())


def data_diff(old, new, path: str = "") -> dict[str, tuple]:
    """Every leaf that differs between two YAML data trees, by path."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = {}
        for key in old.keys() | new.keys():
            out.update(data_diff(old.get(key), new.get(key), f"{path}.{key}" if path else key))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = {}
        for index, (a, b) in enumerate(zip(old, new)):
            out.update(data_diff(a, b, f"{path}[{index}]"))
        return out
    return {} if old == new else {path: (old, new)}


def pdf_text(brief_path: Path) -> str:
    from pypdf import PdfReader

    from briefgen.writers.html import render_html
    from briefgen.writers.pdf import render_pdf

    brief = load_brief(brief_path)
    html = render_html(brief, templates=ROOT / "src" / "briefgen" / "templates", media="print")
    data = render_pdf(html, title=brief.title, lang=brief.lang)
    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split())


def word_texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    texts = [p.text for p in _all_paragraphs(document)]
    notes = [r for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES]
    root = docx.oxml.parse_xml(notes[0].target_part.blob) if notes else None
    for note in root.iter(qn("w:footnote")) if root is not None else ():
        texts.append("".join(t.text or "" for t in note.iter(qn("w:t"))))
    return [" ".join(t.split()) for t in texts if t.strip()]


# --------------------------------------------------------------------------
# Round trips on the example briefs
# --------------------------------------------------------------------------


def test_unchanged_file_pulls_nothing(work):
    for name in ("henan-inspection", "solar-system"):
        out = build(work, name)
        before = (work / "content" / f"{name}.yaml").read_bytes()
        result = pull_docx(out)
        assert not result.changed
        assert result.yaml_path == Path("content") / f"{name}.yaml"
        assert (work / "content" / f"{name}.yaml").read_bytes() == before


def test_henan_round_trip(work):
    out = build(work, "henan-inspection")
    yaml_path = work / "content" / "henan-inspection.yaml"
    old_text = yaml_path.read_text(encoding="utf-8")
    document = docx.Document(str(out))
    replace_text(paragraph_with(document, "tested policy implementation"), "tested", "checked")
    item = paragraph_with(document, "Connecting major economic regions")
    add_paragraph_after(item, [("Transport Hub", True), (" \u2013 ", False), ("Linking rail lines from all directions.", False)])
    delete(paragraph_with(document, "These aspects set the stage"))
    embolden(paragraph_with(document, "By personally evaluating leading enterprises"), "political confidence")
    replace_text(paragraph_with(document, "Xi stresses firm confidence"), "firm", "steady")
    document.save(str(out))

    result = pull_docx(out)
    assert result.changed
    new_text = yaml_path.read_text(encoding="utf-8")
    assert new_text == result.new_yaml
    old, new = yaml.safe_load(old_text), yaml.safe_load(new_text)

    body = new["sections"][0]["body"]
    old_body = old["sections"][0]["body"]
    assert new["title"] == old["title"].replace("firm", "steady")
    assert body[0] == old_body[0].replace("tested", "checked").replace(
        "political confidence", "**political confidence**"
    )
    assert len(body) == len(old_body) - 1 and body[1] == old_body[1]
    items = new["sections"][0]["sections"][0]["body"][1]["list"]["items"]
    old_items = old["sections"][0]["sections"][0]["body"][1]["list"]["items"]
    assert items[:1] == old_items[:1] and items[2:] == old_items[1:]
    assert items[1] == {"term": "Transport Hub", "text": "Linking rail lines from all directions."}
    new["title"], old["title"] = old["title"], old["title"]
    del old_body[2]
    old_body[0], body[0] = body[0], body[0]
    old_items.insert(1, items[1])
    assert data_diff(old, new) == {}

    # comments and layout survive; only the edited lines differ
    for line in old_text.splitlines():
        if line.lstrip().startswith("#"):
            assert line in new_text
    assert "summary: >-" in new_text and "        Xi conveyed political confidence" not in new_text
    assert sum(1 for a in new_text.splitlines() if a not in old_text.splitlines()) <= 8

    # the summary is section by section
    assert "front matter:" in result.summary and "sections[0] 'What is the significance" in result.summary
    assert "list item added" in result.summary and "block removed" in result.summary

    # a rebuild shows the edits, and a file built from the pulled YAML reads the same as the edited one
    text = pdf_text(yaml_path)
    assert "Transport Hub" in text and "checked policy implementation" in text
    assert "These aspects set the stage" not in text
    rebuilt = build(work, "henan-inspection")
    assert word_texts(rebuilt) == word_texts(out)
    assert not pull_docx(rebuilt).changed


def test_solar_round_trip(work):
    out = build(work, "solar-system")
    yaml_path = work / "content" / "solar-system.yaml"
    old = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    document = docx.Document(str(out))
    item = paragraph_with(document, "is in orbit around the Sun;")
    add_paragraph_after(item, [("is not a moon of another planet;", False)])
    replace_text(paragraph_with(document, "Mercury, Venus, Mars, Jupiter and Saturn, are easily seen"), "easily", "readily")
    cell = next(p for p in _all_paragraphs(document) if p.text == "57.9")
    replace_text(cell, "57.9", "57.91")
    replace_text(next(p for p in _all_paragraphs(document) if p.text == "gas giant"), "gas giant", "gas giant (H/He)")
    edit_footnotes(document, "Prague", "Prague, Czech Republic")
    delete(paragraph_with(document, "Five planets, Mercury"))  # a paragraph holding no footnote
    document.save(str(out))

    result = pull_docx(out)
    new = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    expected = copy.deepcopy(old)
    numbered = expected["sections"][0]["sections"][0]["body"][0]["list"]["items"]
    numbered.insert(1, "is not a moon of another planet;")
    table = expected["sections"][2]["body"][1]["table"]
    table["rows"][0][3] = 57.91
    table["rows"][4][1] = "gas giant (H/He)"
    expected["footnotes"]["iau"] = old["footnotes"]["iau"].replace("Prague", "Prague, Czech Republic")
    del expected["sections"][3]["body"][0]
    assert data_diff(expected, new) == {}, result.summary
    assert "footnotes:" in result.summary and "table cell reworded" in result.summary

    text = pdf_text(yaml_path)
    assert "Prague, Czech Republic" in text and "is not a moon of another planet" in text
    assert "57.91" in text and "gas giant (H/He)" in text
    assert word_texts(build(work, "solar-system")) == word_texts(out)


def test_links_italic_and_footnote_references_survive_an_edit(work):
    out = build(work, "solar-system")
    yaml_path = work / "content" / "solar-system.yaml"
    document = docx.Document(str(out))
    replace_text(paragraph_with(document, "Comparisons are easiest"), "easiest", "simplest")
    replace_text(paragraph_with(document, "A planet’s size, its distance"), "first numbers", "first figures")
    document.save(str(out))
    pull_docx(out)
    new = yaml.safe_load(yaml_path.read_text(encoding="utf-8"))
    yardstick = new["sections"][1]["sections"][0]["sections"][0]["body"][0]
    assert "Comparisons are simplest" in yardstick and yardstick.endswith("(AU).[^au]")
    overview = new["sections"][0]["body"][0]
    assert "A planet’s *size*, its *distance*" in overview and "first figures" in overview
    assert "[Planetary Fact Sheet](https://nssdc.gsfc.nasa.gov/planetary/factsheet/)" in overview


def test_dry_run_writes_nothing(work):
    out = build(work, "henan-inspection")
    yaml_path = work / "content" / "henan-inspection.yaml"
    before = yaml_path.read_bytes()
    document = docx.Document(str(out))
    replace_text(paragraph_with(document, "tested policy implementation"), "tested", "checked")
    document.save(str(out))
    result = pull_docx(out, dry_run=True)
    assert result.changed and "reworded" in result.summary and "checked" in result.new_yaml
    assert yaml_path.read_bytes() == before


# --------------------------------------------------------------------------
# A brief that changed since the file was built
# --------------------------------------------------------------------------


def test_conflicting_edit_is_reported_and_nothing_written(work):
    out = build(work, "henan-inspection")
    yaml_path = work / "content" / "henan-inspection.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8").replace("tested policy implementation", "examined policy implementation"),
        encoding="utf-8",
    )
    before = yaml_path.read_bytes()
    document = docx.Document(str(out))
    replace_text(paragraph_with(document, "tested policy implementation"), "tested", "checked")
    document.save(str(out))
    with pytest.raises(PullError) as caught:
        pull_docx(out)
    message = str(caught.value)
    assert "changed in both" in message
    assert "content/henan-inspection.yaml:71:9:" in message, message
    assert "sections[0].body[0].paragraph" in message
    assert yaml_path.read_bytes() == before


def test_non_conflicting_edit_applies_over_a_changed_brief(work):
    out = build(work, "henan-inspection")
    yaml_path = work / "content" / "henan-inspection.yaml"
    yaml_path.write_text(
        yaml_path.read_text(encoding="utf-8").replace("Leading national grain production", "Leading the nation’s grain production"),
        encoding="utf-8",
    )
    document = docx.Document(str(out))
    replace_text(paragraph_with(document, "tested policy implementation"), "tested", "checked")
    document.save(str(out))
    result = pull_docx(out)
    text = yaml_path.read_text(encoding="utf-8")
    assert "checked policy implementation" in text and "Leading the nation’s grain production" in text
    assert "changed since the file was built" in result.summary


# --------------------------------------------------------------------------
# What pull refuses
# --------------------------------------------------------------------------


def _refused(work: Path, out: Path, fragment: str) -> None:
    paths = list((work / "content").glob("*.yaml"))
    before = {p: p.read_bytes() for p in paths}
    with pytest.raises(PullError) as caught:
        pull_docx(out, yaml_path=Path("content/henan-inspection.yaml"))
    assert fragment in str(caught.value)
    assert {p: p.read_bytes() for p in paths} == before


def _rezip(source: Path, target: Path, replace: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info.filename)))
        for name, data in replace.items():
            if name not in old.namelist():
                new.writestr(name, data)


def test_refuses_a_docx_briefgen_did_not_make(work):
    foreign = work / "foreign.docx"
    document = docx.Document()
    document.add_paragraph("Hello")
    document.save(str(foreign))
    _refused(work, foreign, "not made by briefgen")
    not_zip = work / "plain.docx"
    not_zip.write_text("just text")
    _refused(work, not_zip, "not a Word file")
    no_document = work / "empty.docx"
    with zipfile.ZipFile(no_document, "w") as archive:
        archive.writestr("hello.txt", "hi")
    _refused(work, no_document, "no word/document.xml")


def test_refuses_doctype_and_zip_bombs(work):
    out = build(work, "henan-inspection")
    with zipfile.ZipFile(out) as archive:
        body = archive.read("word/document.xml")
    evil = body.replace(b"?>", b'?><!DOCTYPE d [<!ENTITY x "boom">]>', 1)
    tampered = work / "doctype.docx"
    _rezip(out, tampered, {"word/document.xml": evil})
    _refused(work, tampered, "DOCTYPE")
    bomb = work / "bomb.docx"
    _rezip(out, bomb, {"word/media/padding.bin": b"\0" * (20 * 1024 * 1024)})
    _refused(work, bomb, "zip bomb")


def test_refuses_tracked_changes(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    paragraph = paragraph_with(document, "tested policy implementation")
    insertion = docx.oxml.parse_xml(
        '<w:ins xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'w:id="901" w:author="Editor" w:date="2026-12-01T00:00:00Z"><w:r><w:t>new words</w:t></w:r></w:ins>'
    )
    paragraph._p.append(insertion)
    document.save(str(out))
    _refused(work, out, "tracked changes not yet accepted")


def test_refuses_an_inserted_picture(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    paragraph = paragraph_with(document, "tested policy implementation")
    paragraph.add_run().add_picture(str(work / "content" / "images" / "planets-to-scale.png"), width=docx.shared.Cm(2))
    document.save(str(out))
    _refused(work, out, "a picture was inserted")


def test_refuses_a_new_table(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "new"
    paragraph_with(document, "tested policy implementation")._p.addnext(table._tbl)
    document.save(str(out))
    _refused(work, out, "a new table")


def test_refuses_a_new_heading_with_its_position(work):
    out = build(work, "henan-inspection")
    document = docx.Document(str(out))
    heading = paragraph_with(document, "What is the significance of Xi")
    add_paragraph_after(heading, [("A new section", False)])
    document.save(str(out))
    _refused(work, out, "new heading")
