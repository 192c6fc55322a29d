"""The official YAML test suite through the reader's YAML stage.

No valid input may get a bracket, quote or tab diagnostic (those claim a
mistake the author did not make); every input, valid or not, either
composes or fails with diagnostics inside the file, never a traceback.
Each valid case is read as a whole file and wrapped as a value of a brief.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from briefgen.errors import BriefErrors
from briefgen.read import compose

CASES = json.loads((Path(__file__).parent / "data" / "yaml-test-suite" / "cases.json").read_text("utf-8"))
FALSE_ALARMS = ("never closed", "tab character indents")
BRIEF = "title: T\nsummary: S\nsections:\n  - title: A\n    body: [p]\ndata:\n"


def wrapped(text: str) -> str | None:
    """The case as the value of a brief's key (not for directives or documents)."""
    if any(line.startswith(("%", "---", "...")) for line in text.splitlines()):
        return None
    return BRIEF + textwrap.indent(text, "  ", lambda line: True)


def diagnose(text: str) -> list:
    try:
        compose(Path("case.yaml"), text)
    except BriefErrors as err:
        return list(err.diagnostics)
    return []


def test_the_suite_is_complete():
    assert len(CASES) == 402
    assert sum(not case["fail"] for case in CASES) == 308


@pytest.mark.parametrize("form", ["file", "wrapped"])
def test_no_valid_input_gets_a_bracket_quote_or_tab_diagnostic(form):
    alarms, composed, ran = [], 0, 0
    for case in CASES:
        if case["fail"]:
            continue
        text = case["yaml"] if form == "file" else wrapped(case["yaml"])
        if text is None:
            continue
        ran += 1
        found = diagnose(text)
        composed += not found
        alarms += [f"{case['id']}: {d.format()}" for d in found if any(a in d.message for a in FALSE_ALARMS)]
    assert alarms == []
    # PyYAML is a YAML 1.1 reader: most valid 1.2 inputs compose, tabs included
    assert ran >= 200 and composed >= ran * 0.8, (ran, composed)


def test_every_input_composes_or_fails_inside_the_file():
    for case in CASES:
        for text in (case["yaml"], wrapped(case["yaml"])):
            if text is None:
                continue
            lines = text.count("\n") + 1
            for diagnostic in diagnose(text):
                assert diagnostic.severity == "error" and diagnostic.message, case["id"]
                assert 1 <= diagnostic.line <= lines and diagnostic.column >= 1, (case["id"], diagnostic.format())
                assert "\n" not in diagnostic.format(), case["id"]
