"""YAML syntax errors, diagnosed like a person would: at the place of the
mistake, with advice only when it is really the cause.

PyYAML reports where it gave up, which is often lines after the mistake:
a quote left open is closed by the next quote in the file, an outdented key
turns the next line into a 'colon inside a value'.  So before advising,
this module checks its guess by repairing the text the way the advice says
(close the quote, re-indent the line, quote the value) and parsing again;
only a repair that lets the parse get further makes a diagnosis.  A bracket
is said to be unclosed only when it really is.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import yaml

from ..errors import Diagnostic
from .syntax_repair import AFTER, closes, colon_in_value, misindented, parses_further, quoted_value

#: Parse a text; the error it stops at, or None when it composes.
Attempt = Callable[[str], "yaml.MarkedYAMLError | None"]
#: The tokens PyYAML scans in a text, up to its first error.
Scan = Callable[[str], list]

UNCLOSED_QUOTE = "this quoted text is never closed (the closing quote is missing)"
TAB_INDENT = "a tab character indents this line; YAML indents with spaces only"
COLON = "a ': ' inside a value: put text that contains ': ' in quotes"
MAX_REPAIR_CHARS = 128 * 1024  # larger files get the plain diagnosis (each repair is a parse)

_PLAIN_YAML_PROBLEMS = (
    ("expected <block end>", "this line is not indented like the lines of the block it belongs to"),
    ("did not find expected key", "this line is not indented like the keys above it"),
    ("did not find expected '-' indicator", "this list item is not indented like the items above it"),
    ("mapping values are not allowed here", "this ':' cannot start a value here; check the indentation of this line and the ones above it"),
    ("could not find expected ':'", "a key without ':' (or text that needs quotes)"),
    ("found undefined alias", "an alias (*name) that refers to no anchor (&name)"),
    ("found character '@'", "'@' cannot start a value: put the text in quotes"),
    ("found character '`'", "'`' cannot start a value: put the text in quotes"),
)
_INDENTATION_PROBLEMS = (
    "mapping values are not allowed here",
    "expected <block end>",
    "did not find expected key",
    "could not find expected ':'",
    "did not find expected '-' indicator",
)


def syntax_diagnostic(path: Path, err: yaml.MarkedYAMLError, text: str, attempt: Attempt, scan: Scan) -> Diagnostic:
    """One diagnostic for PyYAML's error, at the place a person would look."""
    line, column, message = _diagnose(err, text, attempt, scan)
    return Diagnostic(path, line, column, "error", message)


def _diagnose(err: yaml.MarkedYAMLError, text: str, attempt: Attempt, scan: Scan) -> tuple[int, int, str]:
    context = err.context or ""
    problem = (err.problem or "invalid YAML").strip()
    mark = err.problem_mark or err.context_mark
    here = _where(mark)
    if err.context_mark is not None and "quoted scalar" in context:
        if "end of stream" in problem or "document separator" in problem:
            return (*_where(err.context_mark), UNCLOSED_QUOTE)
        if mark is not None and mark.index > 0 and text[mark.index - 1] == "\\":
            here = (here[0], here[1] - 1)  # at the backslash that starts the escape
        return (*here, _escape_problem(problem))
    repairable = len(text) <= MAX_REPAIR_CHARS and mark is not None
    if repairable:
        opened = _unclosed_quote(err, text, attempt, scan)
        if opened is not None:
            return (*opened, UNCLOSED_QUOTE)
    suffix = ""
    if err.context_mark is not None and "flow" in context:
        opener_at = err.context_mark.index
        opener = text[opener_at] if opener_at < len(text) else ""
        if opener in "[{" and opener and not closes(text, opener_at):
            return (*_where(err.context_mark), f"this '{opener}' is never closed")
        if opener in "[{" and opener:
            suffix = f" (inside the '{opener}' on line {err.context_mark.line + 1})"
    if "\t" in problem or "'\\t'" in problem:
        if _indents(text, mark):
            return (*here, TAB_INDENT)
        return (*here, "YAML syntax error: this reader cannot take a tab here; write a space instead")
    if repairable and problem.startswith(_INDENTATION_PROBLEMS):
        if problem.startswith("mapping values") and colon_in_value(text, mark):
            if parses_further(attempt(quoted_value(text, mark)), mark.line):
                return (*here, f"YAML syntax error: {COLON}")
        found = misindented(text, mark.line, attempt, scan)
        if found is not None:
            return found[0], found[1], f"YAML syntax error: {found[2]}"
    hint = next((advice for start, advice in _PLAIN_YAML_PROBLEMS if problem.startswith(start)), None)
    message = f"YAML syntax error: {hint or problem}"
    if suffix:
        message += suffix
    elif context and err.context_mark is not None and err.context_mark.line != getattr(mark, "line", -1):
        message += f" ({context} started on line {err.context_mark.line + 1})"
    return (*here, message)


def _through_line(text: str, line: int) -> str:
    """``text`` up to the end of 0-based ``line`` (a repair is judged there)."""
    end = -1
    for _ in range(line + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            return text
    return text[:end]


def _where(mark) -> tuple[int, int]:
    return ((mark.line + 1), (mark.column + 1)) if mark is not None else (1, 1)


def _escape_problem(problem: str) -> str:
    """A bad escape inside double quotes, in the author's terms."""
    found = re.search(r"found unknown escape character '(.)'", problem)
    if found:
        return (
            f"'\\{found.group(1)}' is not an escape YAML knows inside double quotes; "
            "write '\\\\' for a backslash, or use single quotes"
        )
    return f"YAML syntax error: {problem} (inside double quotes)"


def _indents(text: str, mark) -> bool:
    """Whether the tab at ``mark`` is part of its line's indentation."""
    if mark is None:
        return False
    line_start = text.rfind("\n", 0, mark.index) + 1
    line_end = text.find("\n", mark.index)
    rest = text[mark.index : line_end if line_end >= 0 else len(text)].strip()
    return not text[line_start : mark.index].strip(" \t") and bool(rest) and not rest.startswith("#")


def _unclosed_quote(err: yaml.MarkedYAMLError, text: str, attempt: Attempt, scan: Scan) -> tuple[int, int] | None:
    """A quote that runs over line ends and, closed at the end of its first
    line, lets the file parse further: where it opens."""
    limit = err.problem_mark.index if err.problem_mark is not None else len(text)
    spanning = [
        token
        for token in scan(text)
        if isinstance(token, yaml.ScalarToken)
        and token.style in ('"', "'")
        and token.start_mark.line != token.end_mark.line
        and token.start_mark.index < limit
    ]
    for token in reversed(spanning[-5:]):
        start = token.start_mark.index
        line_end = text.find("\n", start)
        first_line = text[start:line_end].rstrip()
        if first_line.count(token.style) != 1:
            continue  # the quote closes (and another opens) on its own line
        cut = start + len(first_line)
        repaired = _through_line(text[:cut] + token.style + text[cut:], (err.problem_mark.line if err.problem_mark else 0) + AFTER)
        if parses_further(attempt(repaired), err.problem_mark.line if err.problem_mark else 0):
            return token.start_mark.line + 1, token.start_mark.column + 1
    return None
