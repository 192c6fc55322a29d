"""YAML syntax errors, diagnosed for a person: where the mistake is, and what
to do about it, instead of the parser's own words."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import Diagnostic

_PLAIN_YAML_PROBLEMS = (
    ("expected <block end>", "this line is not indented like the lines of the block it belongs to"),
    ("did not find expected key", "this line is not indented like the keys above it"),
    ("did not find expected '-' indicator", "this list item is not indented like the items above it"),
    ("mapping values are not allowed here", "a ': ' inside a value: put text that contains ': ' in quotes"),
    ("could not find expected ':'", "a key without ':' (or text that needs quotes)"),
    ("found undefined alias", "an alias (*name) that refers to no anchor (&name)"),
    ("found character '@'", "'@' cannot start a value: put the text in quotes"),
    ("found character '`'", "'`' cannot start a value: put the text in quotes"),
)


def syntax_diagnostic(path: Path, err: yaml.MarkedYAMLError, text: str) -> Diagnostic:
    """One diagnostic for PyYAML's error, at the place a person would look."""
    context = err.context or ""
    problem = (err.problem or "invalid YAML").strip()
    mark = err.problem_mark or err.context_mark
    if err.context_mark is not None and "quoted scalar" in context:
        # An unclosed quote is reported where it ends the file; point at its start.
        mark = err.context_mark
        message = "this quoted text is never closed (the closing quote is missing)"
    elif err.context_mark is not None and ("flow" in context or "end of stream" in problem or "<stream end>" in problem):
        # A bracket or brace left open: point where it opens, not at the end of the file.
        mark = err.context_mark
        opener = {"sequence": "'['", "mapping": "'{'"}.get(context.rsplit(" ", 1)[-1], "construct")
        message = f"this {opener} is never closed" if "flow" in context else f"YAML syntax error: {problem} ({context})"
    elif "\t" in problem or "'\\t'" in problem:
        message = "a tab character indents this line; YAML indents with spaces only"
    else:
        hint = next((text for start, text in _PLAIN_YAML_PROBLEMS if problem.startswith(start)), None)
        message = f"YAML syntax error: {hint or problem}"
        if context and err.context_mark is not None and err.context_mark.line != getattr(mark, "line", -1):
            message += f" ({context} started on line {err.context_mark.line + 1})"
    line = (mark.line + 1) if mark else 1
    column = (mark.column + 1) if mark else 1
    return Diagnostic(path, line, column, "error", message)
