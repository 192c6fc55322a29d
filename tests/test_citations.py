"""Citations end to end: [@key] formatted by a CSL style in the PDF, the
Word file and the HTML; a References list of the works cited only; errors
at their place; pull keeps citations; the build follows the bibliography."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
import yaml

from briefgen import build as build_module
from briefgen.build import Settings, discover, run
from briefgen.cite.bibtex import parse_bibtex
from briefgen.errors import BriefErrors
from briefgen.lint import lint
from briefgen.pull import pull_docx
from briefgen.read import load_brief
from briefgen.writers.docx import render_docx
from outputs import REFERENCE, ROOT, TEMPLATES, build

CONTENT = ROOT / "content"
EXAMPLE = "evidence-and-policy"
CITED_KEYS = ("lindblom1959", "kingdon1984", "weiss1979", "pressman1973", "hardin1968", "ostrom1990")


def _copy_example(folder: Path, style: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(CONTENT / f"{EXAMPLE}.bib", folder)
    text = (CONTENT / f"{EXAMPLE}.yaml").read_text("utf-8")
    if style is not None:
        text = text.replace("citation_style: chicago-author-date", f"citation_style: {style}")
    path = folder / f"{EXAMPLE}.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="module")
def chicago():
    return build(CONTENT / f"{EXAMPLE}.yaml")


@pytest.fixture(scope="module")
def apa(tmp_path_factory):
    return build(_copy_example(tmp_path_factory.mktemp("apa"), "apa"))


@pytest.fixture(scope="module")
def notes(tmp_path_factory):
    return build(_copy_example(tmp_path_factory.mktemp("notes"), "chicago-note-bibliography"))


# Each style's own form of the same citations (in text) and references.
CHICAGO = {
    "cites": ["(Lindblom 1959)", "(Hardin 1968, 1244)", "(Kingdon 1984; Weiss 1979)", "(Pressman and Wildavsky 1973)"],
    "refs": ["Lindblom, Charles E. 1959.", "Kingdon, John W. 1984. Agendas, Alternatives, and Public Policies.",
             "Pressman, Jeffrey L., and Aaron Wildavsky. 1973."],
}
APA = {
    "cites": ["(Lindblom, 1959)", "(Hardin, 1968, p. 1244)", "(Kingdon, 1984; Weiss, 1979)", "(Pressman & Wildavsky, 1973)"],
    "refs": ["Lindblom, C. E. (1959).", "Kingdon, J. W. (1984). Agendas, alternatives, and public policies.",
             "Pressman, J. L., & Wildavsky, A. (1973)."],
}


@pytest.mark.parametrize("style", ["chicago", "apa"])
@pytest.mark.parametrize("medium", ["html_text", "pdf_text", "docx_text"])
def test_citations_and_references_in_every_output(request, style, medium):
    outputs = request.getfixturevalue(style)
    expected = CHICAGO if style == "chicago" else APA
    other = APA if style == "chicago" else CHICAGO
    text = getattr(outputs, medium)
    for cite in expected["cites"]:
        assert cite in text, cite
    for cite in other["cites"]:
        assert cite not in text, cite
    for entry in expected["refs"]:
        assert entry in text, entry
    assert "[@" not in text and "@lindblom" not in text
    # only the works cited: simon1947 is in the .bib file but never cited
    assert "Simon" not in text and "Administrative Behavior" not in text
    # the references come after the sources
    assert text.rindex("References") > text.rindex("Sources")


def test_reference_entries_are_one_per_cited_work_with_italics(chicago):
    entries = re.findall(r'<p class="reference csl-entry">(.*?)</p>', chicago.html, re.S)
    assert len(entries) == len(CITED_KEYS)
    assert any("<em>Agendas, Alternatives, and Public Policies</em>" in e for e in entries)
    assert '<a href="https://doi.org/10.2307/973677">' in chicago.html
    assert chicago.brief.bibliography.style == "chicago-author-date"


def test_word_references_use_the_bibliography_style_with_a_hanging_indent(chicago):
    document = docx.Document(__import__("io").BytesIO(chicago.docx))
    listed = [p for p in document.paragraphs if p.style.name == "Bibliography"]
    assert [p.text.split(".")[0] for p in listed] == [
        "Hardin, Garrett", "Kingdon, John W", "Lindblom, Charles E", "Ostrom, Elinor",
        "Pressman, Jeffrey L", "Weiss, Carol H",
    ]
    assert listed[0].style.paragraph_format.first_line_indent < 0  # hanging
    italic = [r.text for p in listed for r in p.runs if r.italic]
    assert "Agendas, Alternatives, and Public Policies" in italic
    # each in-text citation is a tagged content control holding the formatted text
    body = chicago.docx_part("word/document.xml")
    assert 'w:val="briefgen:[@kingdon1984; @weiss1979]"' in body


def test_a_note_style_makes_each_citation_a_footnote(notes):
    footnotes = notes.docx_part("word/footnotes.xml")
    assert "Charles E. Lindblom" in footnotes and "Muddling Through" in footnotes
    for text in (notes.pdf_text, notes.html_text):
        assert "(Lindblom 1959)" not in text
        assert "Charles E. Lindblom" in text
    # the author's own footnote (root) keeps its place in the numbering
    numbers = sorted(n.number for n in notes.brief.footnotes)
    assert numbers == list(range(1, len(numbers) + 1))
    assert notes.brief.bibliography.note_style


# --------------------------------------------------------------------------
# Errors, each at its place
# --------------------------------------------------------------------------


def _errors(path: Path) -> list[str]:
    with pytest.raises(BriefErrors) as caught:
        load_brief(path)
    return [d.format() for d in caught.value.diagnostics]


BRIEF = """\
title: T
bibliography: works.bib
summary: >-
  One claim [@lindblom1959], and
  a second one [@kingdon1984; @lindblom195].
sections:
  - title: S
    body:
      - table:
          columns: [A, B]
          rows:
            - [x, "[@weis1979, p. 3]"]
"""


def _folder(tmp_path: Path, brief: str, bib: str | None = None, name: str = "works.bib") -> Path:
    (tmp_path / name).write_text(bib if bib is not None else (CONTENT / f"{EXAMPLE}.bib").read_text("utf-8"), "utf-8")
    path = tmp_path / "brief.yaml"
    path.write_text(brief, "utf-8")
    return path


def test_unknown_keys_are_errors_at_their_own_line_and_column(tmp_path):
    errors = _errors(_folder(tmp_path, BRIEF))
    assert errors == [
        f"{tmp_path / 'brief.yaml'}:5:31: error: summary: citation key '@lindblom195' is not in the bibliography; did you mean 'lindblom1959'?",
        f"{tmp_path / 'brief.yaml'}:12:21: error: sections[0].body[0].table.rows[0][1]: citation key '@weis1979' is not in the bibliography; did you mean 'weiss1979'?",
    ]


def test_a_bibtex_file_that_does_not_parse_is_reported_at_its_lines(tmp_path):
    bib = "@book{a,\n  title = {One},\n  year = 1990\n  author = {X}}\n\n@article{b, title = {Two}, journal = Sci}\n"
    errors = _errors(_folder(tmp_path, BRIEF, bib))
    bib_path = tmp_path / "works.bib"
    assert f"{bib_path}:4:3: error: expected ',' or '}}' after the field 'year', found 'a'" in errors
    assert f"{bib_path}:6:38: error: 'Sci' is not a @string defined above; put the value in braces: {{Sci}}" in errors
    assert f"{tmp_path / 'brief.yaml'}:2:15: error: bibliography: 'works.bib' could not be read (see the errors above)" in errors
    assert len(errors) == 3  # the citations are not checked against a file that did not read


def test_a_csl_json_file_that_does_not_parse_names_its_line(tmp_path):
    brief = BRIEF.replace("works.bib", "works.json")
    errors = _errors(_folder(tmp_path, brief, '[\n  {"id": "a", "type": "book"},\n  {"id": "b" "type": "book"}\n]\n', "works.json"))
    assert f"{tmp_path / 'works.json'}:3:14: error: JSON syntax error: Expecting ',' delimiter" in errors


def test_csl_json_works_are_cited_too(tmp_path):
    works = '[{"id": "ostrom1990", "type": "book", "title": "Governing the Commons", "author": [{"family": "Ostrom", "given": "Elinor"}], "issued": {"date-parts": [[1990]]}, "publisher": "Cambridge University Press"}]'
    brief = "title: T\nbibliography: works.json\nsummary: Commons [@ostrom1990, p. 5].\nsections:\n  - title: S\n    body: [x]\n"
    loaded = load_brief(_folder(tmp_path, brief, works, "works.json"))
    assert loaded.bibliography.citations[0][0].text == "(Ostrom 1990, 5)"
    assert loaded.bibliography.references[0].plain().startswith("Ostrom, Elinor. 1990. Governing the Commons.")


@pytest.mark.parametrize(
    ("brief", "message"),
    [
        ("title: T\nbibliography: works.bib\ncitation_style: chicago-autor-date\nsummary: x\nsections: [{title: S, body: [x]}]\n",
         "3:17: error: citation_style: unknown citation_style 'chicago-autor-date'; did you mean 'chicago-author-date'?"),
        ("title: T\nbibliography: ../works.bib\nsummary: x\nsections: [{title: S, body: [x]}]\n",
         "2:15: error: bibliography: '../works.bib' leaves the brief's folder ('..'); keep the file inside it"),
        ("title: T\nbibliography: works.bib\nsummary: x [@kingdon1984; nothing].\nsections: [{title: S, body: [x]}]\n",
         "3:12: error: summary: 'nothing' in a citation is not '@key'"),
    ],
)
def test_other_mistakes_are_reported_where_they_are(tmp_path, brief, message):
    errors = _errors(_folder(tmp_path, brief))
    assert any(e.startswith(f"{tmp_path / 'brief.yaml'}:{message}") for e in errors), errors


def test_a_version_1_brief_keeps_a_literal_bracket_at_as_text(tmp_path):
    """Format 1 had no citations: '[@a]' in a brief without a bibliography
    still builds and prints as written, with a warning at the bracket."""
    path = _folder(tmp_path, "title: T\nsummary: See [@a] here.\nsections: [{title: S, body: [x]}]\n")
    brief = load_brief(path)
    assert brief.summary.plain() == "See [@a] here."
    warnings = [d.format() for d in lint(brief)]
    assert any(
        w.startswith(f"{path}:2:14: warning: summary: [@a] looks like a citation, but the brief names no 'bibliography'")
        for w in warnings
    ), warnings


def test_a_work_missing_what_the_style_needs_is_a_warning_at_its_line(tmp_path):
    bib = "@book{k,\n  author = {Kingdon, John W.},\n  title = {Agendas}\n}\n"
    path = _folder(tmp_path, "title: T\nbibliography: works.bib\nsummary: x [@k].\nsections: [{title: S, body: [x]}]\n", bib)
    warnings = [d.format() for d in lint(load_brief(path)) if d.file.suffix == ".bib"]
    assert warnings == [
        f"{tmp_path / 'works.bib'}:1:1: warning: work 'k' lacks a date (year) and a publisher; chicago-author-date cannot cite it in full"
    ]


def test_bibtex_reader_reads_strings_comments_and_concatenation():
    entries, problems = parse_bibtex(
        '% a comment\n@string{pub = "Little, Brown"}\n@comment{ignored @book{x}}\n'
        '@book{k, publisher = pub # " and Co.", title = "A {B} c", year = 1984}\n'
    )
    assert problems == []
    assert [(e.key, e.line, e.fields) for e in entries] == [
        ("k", 4, {"publisher": "Little, Brown and Co.", "title": "A {B} c", "year": "1984"})
    ]


# --------------------------------------------------------------------------
# Pull and the incremental build
# --------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["chicago-author-date", "chicago-note-bibliography"])
def test_pull_keeps_a_citation_when_the_sentence_around_it_is_reworded(tmp_path, monkeypatch, style):
    path = _copy_example(tmp_path, style)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "build" / f"{EXAMPLE}.docx"
    out.parent.mkdir()
    out.write_bytes(render_docx(load_brief(path), reference=REFERENCE, templates=TEMPLATES))
    document = docx.Document(str(out))
    paragraph = next(p for p in document.paragraphs if "followed a federal economic" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("followed a federal economic", "traced a federal economic")
    document.save(str(out))
    pull_docx(Path("build") / out.name)
    pulled = yaml.safe_load(path.read_text("utf-8"))["sections"][3]["body"][0]
    assert pulled.startswith("Pressman and Wildavsky traced a federal economic development programme")
    assert pulled.endswith("made success less likely [@pressman1973].")
    # nothing else changed: the other citations and the author's note are as written
    new = yaml.safe_load(path.read_text("utf-8"))
    assert new["footnotes"] == {"root": yaml.safe_load((CONTENT / f"{EXAMPLE}.yaml").read_text("utf-8"))["footnotes"]["root"]}
    assert "[@lindblom1959; @kingdon1984; @weiss1979; @pressman1973]" in new["summary"]


def test_a_changed_bibliography_rebuilds_the_brief(tmp_path, monkeypatch):
    path = _copy_example(tmp_path / "content")
    monkeypatch.setattr(build_module, "_render_pdf", lambda brief, settings, look: b"pdf")
    monkeypatch.setattr(build_module, "_render_docx", lambda brief, settings, look: b"docx")
    settings = Settings(tmp_path / "build", TEMPLATES)
    outcome = lambda: run(discover([path]), settings)[0].outcome  # noqa: E731
    assert outcome() == "built"
    assert outcome() == "up to date"
    bib = path.with_suffix(".bib")
    text = bib.read_text("utf-8")
    bib.write_text(text.replace("address   = {Boston},\n  year      = {1984}", "address   = {Boston},\n  year      = {1995}"), "utf-8")
    assert bib.read_text("utf-8") != text
    assert outcome() == "built"
    assert "(Kingdon 1995)" in (tmp_path / "build" / f"{EXAMPLE}.html").read_text("utf-8")


def test_pull_keeps_citations_in_a_file_libreoffice_saved(tmp_path, monkeypatch):
    """LibreOffice drops a content control's tag; the citation's bookmark stays."""
    import subprocess

    path = _copy_example(tmp_path)
    monkeypatch.chdir(tmp_path)
    built = tmp_path / "made" / f"{EXAMPLE}.docx"
    built.parent.mkdir()
    built.write_bytes(render_docx(load_brief(path), reference=REFERENCE, templates=TEMPLATES))
    document = docx.Document(str(built))
    paragraph = next(p for p in document.paragraphs if "followed a federal economic" in p.text)
    for run in paragraph.runs:
        run.text = run.text.replace("followed a federal economic", "traced a federal economic")
    document.save(str(built))
    out = tmp_path / "build"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(built)],
        capture_output=True, timeout=180, check=True,
    )
    saved = out / built.name
    assert "briefgen:[@" not in zipfile.ZipFile(saved).read("word/document.xml").decode()
    pull_docx(Path("build") / saved.name)
    new = yaml.safe_load(path.read_text("utf-8"))
    assert new["sections"][3]["body"][0].startswith("Pressman and Wildavsky traced a federal")
    assert new["sections"][3]["body"][0].endswith("[@pressman1973].")
    assert "[@lindblom1959; @kingdon1984; @weiss1979; @pressman1973]" in new["summary"]
