"""The fixpoint of pull, as a property: random edit scripts on a built Word
file (reword a paragraph, a list item, a table cell, a caption, a
footnote; add and delete paragraphs and list items; make a word bold,
italic or a link), then pull, then build: the new Word file reads as the
edited one paragraph by paragraph (up to the house typography), and a pull
of it reports no change.  On both example briefs and on a brief that uses
every block."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_pull import REFERENCE, ROOT, add_paragraph_after, split_run, word_texts

from briefgen.read import load_brief
from briefgen.pull import pull_docx
from briefgen.pull.typography import text_key
from briefgen.starter import write_starter
from briefgen.writers.docx import render_docx

BRIEFS = ("henan-inspection", "solar-system", "every-block")
#: Examples per brief: each is an edit, a pull, a build and a second pull.
EXAMPLES = 6
WORDS = ("checked", "Earth's", '"quoted"', "well--known", "more...", "cafés", "2,000", "re-examined")
KINDS = ("reword_paragraph", "reword_item", "reword_cell", "reword_caption", "reword_footnote",
         "add_paragraph", "add_item", "delete_paragraph", "delete_item", "bold", "italic", "link")
_WORD = re.compile(r"\b[A-Za-z]{4,}\b")


def _every_block(folder: Path) -> None:
    """The starter brief (every block kind) with its figure and page break on."""
    path = write_starter("every-block", folder)
    text = path.read_text("utf-8")
    text = text.replace("      # - figure:\n      #     src: images/picture.png\n", "      - figure:\n          src: images/planets-to-scale.png\n")
    text = text.replace("      #     alt: What", "          alt: What").replace("      #     caption: A caption.", "          caption: A caption.")
    text = text.replace("      #     width: 80", "          width: 80").replace("      # - page_break: true", "      - page_break: true")
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fixpoint")
    content = folder / "content"
    content.mkdir()
    shutil.copytree(ROOT / "content" / "images", content / "images")
    for name in BRIEFS[:2]:
        shutil.copy(ROOT / "content" / f"{name}.yaml", content)
    _every_block(content)
    old = Path.cwd()
    os.chdir(folder)
    try:
        built = {name: render_docx(load_brief(Path("content") / f"{name}.yaml"), reference=REFERENCE) for name in BRIEFS}
    finally:
        os.chdir(old)
    originals = {name: (content / f"{name}.yaml").read_bytes() for name in BRIEFS}
    return folder, built, originals


# --------------------------------------------------------------------------
# Edits, made as Word makes them
# --------------------------------------------------------------------------


def _units(document) -> dict[int, dict]:
    for rel in document.part.rels.values():
        if rel.reltype == RT.CUSTOM_XML and b"urn:briefgen:pull" in rel.target_part.blob:
            text = rel.target_part.blob.decode()
            payload = text[text.index(">", text.index("<briefgen")) + 1 : text.rindex("</briefgen>")]
            payload = payload.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            return {u["id"]: u for u in json.loads(payload)["units"]}
    raise AssertionError("no record")


def _paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _marked(document) -> list[tuple[object, dict]]:
    units = _units(document)
    out = []
    for paragraph in _paragraphs(document):
        for start in paragraph._p.iter(qn("w:bookmarkStart")):
            name = start.get(qn("w:name"), "")
            if name.startswith("_bg_") and int(name[4:]) in units:
                out.append((paragraph, units[int(name[4:])]))
                break
    return out


def _has_note(unit) -> bool:
    return any(span[0] == "^" for span in unit.get("spans", []) + unit.get("term", []))


def _plain_runs(paragraph):
    """Runs an editor would retype: plain text, not a field's generated
    result (a cross-reference's "Table 1", a caption's number)."""
    in_field, plain = 0, []
    for r in paragraph.runs:
        for char in r._r.iter(qn("w:fldChar")):
            kind = char.get(qn("w:fldCharType"))
            in_field += 1 if kind == "begin" else -1 if kind == "end" else 0
        if in_field or r._r.find(qn("w:fldChar")) is not None:
            continue
        if (_WORD.search(r.text) and not r.bold and not r.italic
                and r._r.getparent().tag == qn("w:p") and r.style.style_id != "FootnoteReference"):
            plain.append(r)
    return plain


def _split_word(paragraph, rng_word: int):
    runs = _plain_runs(paragraph)
    if not runs:
        return None
    run = runs[rng_word % len(runs)]
    words = list(_WORD.finditer(run.text))
    match = words[rng_word % len(words)]
    before, word, after = run.text[: match.start()], match.group(), run.text[match.end() :]
    pieces = split_run(paragraph, run, [before, word, after])
    return docx.text.run.Run(pieces[1], paragraph)


def _after_prefix(paragraph, prefix: str) -> list:
    """The plain runs after a generated prefix ("Figure 1. "), which is the
    pipeline's, not the editor's, to word."""
    plain = {id(run._r): run for run in _plain_runs(paragraph)}
    seen, out = 0, []
    for run in paragraph.runs:
        if seen >= len(prefix) and id(run._r) in plain:
            out.append(run)
        seen += len(run.text)
    return out


def _reword(paragraph, pick: int, prefix: str = "") -> bool:
    runs = _after_prefix(paragraph, prefix) if prefix else _plain_runs(paragraph)
    if not runs:
        return False
    run = runs[pick % len(runs)]
    words = list(_WORD.finditer(run.text))
    match = words[pick % len(words)]
    run.text = run.text[: match.start()] + WORDS[pick % len(WORDS)] + run.text[match.end() :]
    return True


def _item_path(unit) -> tuple:
    return tuple(unit["path"] if unit["kind"] == "term" else unit["path"][:-1])


def _block_sizes(units) -> dict[tuple, int]:
    sizes: dict[tuple, set] = {}
    for unit in units.values():
        if unit.get("block"):
            sizes.setdefault(tuple(unit["block"][:-1]), set()).add(unit["block"][-1])
    return {k: len(v) for k, v in sizes.items()}


def _apply(document, kind: str, pick: int, notes: dict) -> bool:
    """Make one edit; False when this file has nowhere to make it."""
    marked = _marked(document)
    units = _units(document)
    body = [(p, u) for p, u in marked if u["path"][-1] == "paragraph" and "callout" not in u["path"]
            and "quote" not in u["path"] and u["kind"] == "rich"]
    items = [(p, u) for p, u in marked if "items" in u["path"] and u["kind"] in ("rich", "term")
             and u.get("level", 0) == 0 and not u.get("prefix")]
    cells = [(p, u) for p, u in marked if "rows" in u["path"] and _WORD.search(p.text)]
    captions = [(p, u) for p, u in marked if u["path"][-1] == "caption"]
    parents = {tuple(u["path"][:i]) for u in units.values() for i in range(1, len(u["path"]))
               if u["path"][i] == "items" and "items" in u["path"][:i]}  # items with sub-items

    def choose(pool):
        return pool[pick % len(pool)] if pool else (None, None)

    if kind in ("reword_paragraph", "reword_item", "reword_cell", "reword_caption"):
        pool = {"reword_paragraph": body, "reword_item": items, "reword_cell": cells, "reword_caption": captions}[kind]
        paragraph, unit = choose(pool)
        return paragraph is not None and _reword(paragraph, pick, unit.get("prefix") or "")
    if kind == "reword_footnote":
        part = next((r.target_part for r in document.part.rels.values() if r.reltype == RT.FOOTNOTES), None)
        if part is None:
            return False
        root = parse_xml(part.blob)
        texts = [t for note in root.iter(qn("w:footnote")) if note.get(qn("w:type")) is None
                 for t in note.iter(qn("w:t")) if t.text and _WORD.search(t.text)]
        if not texts:
            return False
        element = texts[pick % len(texts)]
        words = list(_WORD.finditer(element.text))
        match = words[pick % len(words)]
        element.text = element.text[: match.start()] + WORDS[pick % len(WORDS)] + element.text[match.end() :]
        from lxml import etree

        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return True
    if kind == "add_paragraph":
        paragraph, _ = choose(body)
        if paragraph is None:
            return False
        add_paragraph_after(paragraph, [(f"A new point, {WORDS[pick % len(WORDS)]} and more.", False)])
        return True
    if kind == "add_item":
        pool = [(p, u) for p, u in items if _item_path(u) not in parents]
        paragraph, unit = choose(pool)
        if paragraph is None:
            return False
        if unit["kind"] == "term":
            add_paragraph_after(paragraph, [("New Term", True), (" \u2013 ", False), (f"its {WORDS[pick % len(WORDS)]} text.", False)])
        else:
            add_paragraph_after(paragraph, [(f"A new item, {WORDS[pick % len(WORDS)]}.", False)])
        return True
    sizes = _block_sizes(units)
    if kind == "delete_paragraph":
        pool = [(p, u) for p, u in body if sizes.get(tuple(u["block"][:-1]), 0) >= 2 and not _has_note(u)]
        paragraph, _ = choose(pool)
        if paragraph is None:
            return False
        paragraph._p.getparent().remove(paragraph._p)
        return True
    if kind == "delete_item":
        siblings: dict[tuple, int] = {}
        for _, u in items:
            siblings[_item_path(u)[:-1]] = siblings.get(_item_path(u)[:-1], 0) + 1
        pool = [(p, u) for p, u in items if siblings[_item_path(u)[:-1]] >= 2 and not _has_note(u)
                and _item_path(u) not in parents]
        paragraph, _ = choose(pool)
        if paragraph is None:
            return False
        paragraph._p.getparent().remove(paragraph._p)
        return True
    paragraph, _ = choose(body)
    if paragraph is None:
        return False
    run = _split_word(paragraph, pick)
    if run is None:
        return False
    if kind == "bold":
        run.bold = True
    elif kind == "italic":
        run.italic = True
    else:
        rel = document.part.relate_to("https://example.org/more", RT.HYPERLINK, is_external=True)
        link = parse_xml(f'<w:hyperlink xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
                         f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="{rel}"/>')
        run._r.addprevious(link)
        link.append(run._r)
    return True


def _notes_of(name: str) -> dict:
    import yaml

    return (yaml.safe_load((Path("content") / f"{name}.yaml").read_text("utf-8")) or {}).get("footnotes") or {}


MADE: list[str] = []  # every edit made, for the check that all kinds were tried

edits = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 10_000)), min_size=1, max_size=4)


@pytest.mark.parametrize("name", BRIEFS)
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, print_blob=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(script=edits)
@example(script=[(kind, 7) for kind in KINDS])  # every kind of edit in one file
@example(script=[(kind, 1) for kind in reversed(KINDS)])
def test_edit_pull_build_is_a_fixpoint(project, name, script):
    folder, built, originals = project
    old = Path.cwd()
    os.chdir(folder)
    try:
        brief = Path("content") / f"{name}.yaml"
        brief.write_bytes(originals[name])
        out = folder / "build" / f"{name}.docx"
        out.parent.mkdir(exist_ok=True)
        out.write_bytes(built[name])
        for stale in out.parent.glob(f".{name}.docx.pulled.json"):
            stale.unlink()
        document = docx.Document(str(out))
        notes = _notes_of(name)
        made = [kind for kind, pick in script if _apply(document, kind, pick, notes)]
        document.save(str(out))
        edited = word_texts(out)

        result = pull_docx(out)
        assert result.changed == bool(made), (made, result.summary)
        MADE.extend(made)
        rebuilt = folder / "build" / f"{name}.rebuilt.docx"
        rebuilt.write_bytes(render_docx(load_brief(brief), reference=REFERENCE))
        again = word_texts(rebuilt)
        assert [text_key(t) for t in again] == [text_key(t) for t in edited], (made, result.summary)
        second = pull_docx(rebuilt, yaml_path=brief)
        assert not second.changed, (made, second.summary)
    finally:
        os.chdir(old)


def test_every_kind_of_edit_was_made():
    """Run after the property test (same module): the scripts reached every kind."""
    if not MADE:
        pytest.skip("the property test did not run in this session")
    assert set(MADE) == set(KINDS), set(KINDS) - set(MADE)
