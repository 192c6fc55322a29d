"""Property-based tests: random briefs, valid and corrupted, never crash.

Each generated file either loads (and then lints and renders) or fails
with contract diagnostics: FILE:LINE:COLUMN inside the file, severity
'error', a message.  Any other exception is a bug.
"""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import BriefErrors
from briefgen.lint import lint
from briefgen.read import load_brief
from briefgen.textunits import text_units

EXAMPLES = 150

words = st.text(alphabet=string.ascii_letters + " *_[]()^<>&:'\"#-\\…河南é", min_size=1, max_size=40)
plain = st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=20).filter(str.strip)
urls = st.sampled_from(["https://example.org/a", "mailto:x@example.org", "javascript:alert(1)", "file:///etc/passwd", "../up", "http://127.0.0.1:1/x"])
rich = st.one_of(words, st.builds(lambda label, url: f"[{label}]({url})", plain, urls), st.builds(lambda w: f"**{w}** *{w}*", plain))

item = st.one_of(rich, st.fixed_dictionaries({"term": plain, "text": rich}), st.fixed_dictionaries({"text": rich, "items": st.lists(rich, min_size=1, max_size=3)}))
columns = st.integers(min_value=1, max_value=4)


@st.composite
def tables(draw):
    n = draw(columns)
    rows = draw(st.lists(st.lists(st.one_of(plain, st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False)), min_size=n, max_size=n), max_size=5))
    return {"table": {"columns": draw(st.lists(plain, min_size=n, max_size=n)), "rows": rows, "caption": draw(rich)}}


@st.composite
def charts(draw):
    cats = draw(st.lists(plain, min_size=1, max_size=6))
    series = draw(st.lists(st.builds(lambda name, values: {"name": name, "values": values}, plain, st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=len(cats), max_size=len(cats))), min_size=1, max_size=3))
    return {"chart": {"type": draw(st.sampled_from(["bar", "column", "line"])), "categories": cats, "series": series, "unit": draw(plain)}}


block = st.one_of(
    rich,
    st.builds(lambda t: {"paragraph": t}, rich),
    st.builds(lambda items, style: {"list": {"items": items, "style": style}}, st.lists(item, min_size=1, max_size=4), st.sampled_from(["bullet", "numbered"])),
    tables(),
    charts(),
    st.builds(lambda t, a: {"quote": {"text": t, "attribution": a}}, rich, rich),
    st.builds(lambda k, b: {"callout": {"kind": k, "body": b}}, st.sampled_from(["note", "key", "warning"]), rich),
    st.builds(lambda t: {"todo": t}, plain),
    st.just({"page_break": True}),
)

section = st.fixed_dictionaries({"title": plain}, optional={"body": st.lists(block, max_size=4)})


@st.composite
def briefs(draw):
    data = {
        "title": draw(plain),
        "summary": draw(rich),
        "sections": draw(st.lists(section, min_size=1, max_size=3)),
    }
    optional = {
        "status": st.sampled_from(["draft", "final"]),
        "marking": plain,
        "authors": st.lists(plain, max_size=3),
        "key_points": st.lists(rich, max_size=3),
        "conclusion": rich,
        "lang": st.sampled_from(["en", "zh-Hans", "fr"]),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    return data


def mutate(draw, data: dict):
    """Corrupt a brief the ways people do: drop, misspell, retype, add."""
    how = draw(st.sampled_from(["drop", "misspell", "retype", "unknown", "badref", "none"]))
    data = dict(data)
    if how == "drop":
        data.pop(draw(st.sampled_from(sorted(data))))
    elif how == "misspell":
        key = draw(st.sampled_from(sorted(data)))
        data[key[:-1] + "x"] = data.pop(key)
    elif how == "retype":
        key = draw(st.sampled_from(sorted(data)))
        data[key] = draw(st.one_of(st.integers(), st.lists(st.integers(), max_size=2), st.just(None), st.just({"a": 1})))
    elif how == "unknown":
        data[draw(plain).replace(" ", "_") or "x"] = "value"
    elif how == "badref":
        data["summary"] = f"{data.get('summary', '')} [^nowhere]"
    return data


def check_outcome(path: Path) -> None:
    try:
        brief = load_brief(path)
    except BriefErrors as err:
        lines = path.read_text("utf-8", errors="replace").count("\n") + 1
        assert err.diagnostics, "an error with no diagnostic"
        for diagnostic in err.diagnostics:
            assert diagnostic.severity == "error" and diagnostic.message
            assert 1 <= diagnostic.line <= lines + 1, diagnostic.format()
            assert diagnostic.column >= 1
            assert diagnostic.format().startswith(f"{path}:") or ":" in diagnostic.format()
        return
    for warning in lint(brief):
        assert warning.severity == "warning" and warning.line >= 1
    assert list(text_units(brief))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_briefs_load_or_fail_cleanly(tmp_path, data):
    brief = data.draw(briefs())
    if data.draw(st.booleans()):
        brief = mutate(data.draw, brief)
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump(brief, allow_unicode=True, sort_keys=False), encoding="utf-8")
    check_outcome(path)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=300))
def test_arbitrary_text_never_crashes_the_reader(tmp_path, text):
    path = tmp_path / "noise.yaml"
    path.write_text(text, encoding="utf-8")
    check_outcome(path)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_arbitrary_bytes_never_crash_the_reader(tmp_path, raw):
    path = tmp_path / "bytes.yaml"
    path.write_bytes(raw)
    check_outcome(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(brief=briefs())
def test_valid_random_briefs_render_html_and_word(tmp_path, brief):
    """Whatever loads also renders; links in every output are http(s) or mailto."""
    import re
    import zipfile

    from conftest import ROOT

    from briefgen.writers.docx import render_docx
    from briefgen.writers.html import render_html

    path = tmp_path / "valid.yaml"
    path.write_text(yaml.safe_dump(brief, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        model = load_brief(path)
    except BriefErrors:
        return  # e.g. a forbidden link drawn at random: covered above
    html = render_html(model, templates=ROOT / "src" / "briefgen" / "templates", media="screen")
    for href in re.findall(r'href="([^"]*)"', html):
        assert href.startswith(("#", "http://", "https://", "mailto:")), href
    assert "<script" not in html.lower()
    data = render_docx(model, reference=ROOT / "src" / "briefgen" / "templates" / "reference.docx")
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        rels = archive.read("word/_rels/document.xml.rels").decode()
    for target in re.findall(r'Target="([^"]*)" TargetMode="External"', rels):
        assert target.startswith(("http://", "https://", "mailto:")), target
