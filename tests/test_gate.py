"""`check` is the build's gate: for random briefs that look valid (and
random ways of getting them slightly wrong), whenever `check` finds no
error, the build succeeds.

The briefs mix what real briefs hold with what breaks writers: escaped
control characters and non-characters, unknown themes, Word reference
documents and images that are not what their names say, empty cells.
HTML and Word are built for every example, the PDF for a few.
"""

from __future__ import annotations

import shutil
import zipfile

import yaml
from conftest import FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.build import Plan, Settings, build_one
from briefgen.errors import BriefErrors
from briefgen.gate import gate
from briefgen.lint import lint
from briefgen.read import load_brief
from briefgen.resources import packaged_templates

TRICKY = "\x01\x07\x0b\x1b\x7f\x85\x9f\u2028\ufffe\uffff\ud7ff\ue000\U0001f600\u200b\u00ad"
word = st.text(alphabet="abcdefgh ", min_size=1, max_size=12).filter(str.strip)
odd = st.text(alphabet="ab Z9*_[]()^<>&:'\"#-\\…河é\t\n\u200b\u00ad\U0001f600\ue000", min_size=1, max_size=30)
tricky = st.builds(lambda a, c, b: a + c + b, word, st.sampled_from(TRICKY), word)
text = st.one_of(word, odd)  # tricky characters go into one value of a brief at most
cell = st.one_of(word, text, st.integers(-10**6, 10**6), st.none(), st.sampled_from(["", " ", "\x01"]))
IMAGES = ["dot.png", "dot.png", "drawing.svg", "drawing.svg", "cut.png", "fake.png", "entity.svg", "broken.svg", "missing.png"]
EXAMPLES = 100
TEMPLATES = packaged_templates()
REFERENCES = ["house.docx", "house.docx", "notzip.docx", "empty.docx"]


@st.composite
def tables(draw):
    width = draw(st.integers(1, 3))
    extra = draw(st.sampled_from([0, 0, 0, 0, 1]))
    rows = draw(st.lists(st.lists(st.one_of(word, word, word, cell), min_size=width, max_size=width + extra), max_size=3))
    return {"table": {"columns": draw(st.lists(word, min_size=width, max_size=width)), "rows": rows}}


@st.composite
def charts(draw):
    categories = draw(st.lists(word, min_size=1, max_size=4))
    number = st.one_of(st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False), st.sampled_from([0, 1e300, -1e300, 5e-324]))
    series = [{"name": draw(text), "values": draw(st.lists(number, min_size=len(categories), max_size=len(categories)))}]
    return {"chart": {"type": draw(st.sampled_from(["bar", "column", "line"])), "categories": categories, "series": series}}


block = st.one_of(
    text,
    charts(),
    tables(),
    st.builds(lambda src, alt: {"figure": {"src": src, "alt": alt}}, st.sampled_from(IMAGES), word),
    st.builds(lambda items: {"list": items}, st.lists(text, min_size=1, max_size=3)),
    st.builds(lambda t, a: {"quote": {"text": t, "attribution": a}}, text, text),
    st.builds(lambda b: {"callout": {"body": b}}, text),
)


@st.composite
def briefs(draw):
    data = {
        "title": draw(text),
        "summary": draw(st.one_of(text, tricky)),
        "sections": [{"title": draw(text), "body": draw(st.lists(block, min_size=1, max_size=3))}],
    }
    if draw(st.booleans()):
        data["theme"] = draw(st.sampled_from(["default", "memo", "memo", "corporate", "Memo"]))
    if draw(st.booleans()):
        data["reference_docx"] = draw(st.sampled_from(REFERENCES))
    for key in ("subtitle", "marking", "organization"):
        if draw(st.booleans()):
            data[key] = draw(text)
    if draw(st.booleans()):
        data["key_points"] = draw(st.lists(text, max_size=2))
    return data


def folder_with_files(tmp_path):
    """The brief's folder: good and bad images and reference documents."""
    png = (FIXTURES / "images" / "dot.png").read_bytes()
    (tmp_path / "dot.png").write_bytes(png)
    (tmp_path / "cut.png").write_bytes(png[: len(png) // 2])
    (tmp_path / "fake.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    (tmp_path / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>')
    (tmp_path / "entity.svg").write_text('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY e "x">]><svg xmlns="http://www.w3.org/2000/svg">&e;</svg>')
    (tmp_path / "broken.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><rect')
    shutil.copy(TEMPLATES / "reference.docx", tmp_path / "house.docx")
    (tmp_path / "notzip.docx").write_bytes(b"PK but not really")
    with zipfile.ZipFile(tmp_path / "empty.docx", "w") as archive:
        archive.writestr("readme.txt", "a zip that is no Word document")


def check_then_build(tmp_path, data, formats) -> bool:
    """Check the brief; when check finds no error, build it: it must build.
    Whether it got past check."""
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=False, sort_keys=False), encoding="utf-8")
    build_settings = Settings(tmp_path / "out", TEMPLATES, formats=formats, force=True)
    try:
        brief = load_brief(path)
    except BriefErrors:
        return False  # check fails: nothing to promise
    found = [*lint(brief), *gate(brief, build_settings)]
    if any(d.severity == "error" for d in found):
        return False
    result = build_one(Plan(path, formats), build_settings)
    assert result.outcome == "built", [d.format() for d in result.diagnostics]
    assert len(result.written) == len(formats)
    return True


def test_check_passing_means_html_and_word_build(tmp_path):
    folder_with_files(tmp_path)
    passed = []

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(data=briefs())
    def check_passing_means_building(data):
        passed.append(check_then_build(tmp_path, data, ("html", "docx")))

    check_passing_means_building()
    assert sum(passed) >= len(passed) // 5, f"only {sum(passed)} of {len(passed)} briefs got past check"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=briefs())
def test_check_passing_means_the_pdf_builds(tmp_path, data):
    folder_with_files(tmp_path)
    check_then_build(tmp_path, data, ("pdf",))
