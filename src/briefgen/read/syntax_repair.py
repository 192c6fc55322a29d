"""Trial repairs of a YAML text that does not parse, to test a diagnosis:
does re-indenting this line, or quoting this value, let the parse get
further?  Also the bracket matcher that tells a really unclosed bracket."""

from __future__ import annotations

import re
from typing import Callable

import yaml

AFTER = 8  # lines after the error kept in a repaired text
_KEY = re.compile(r"(\s*)(-\s+)?((?:[^\s#:'\"][^#]*?)|(?:\"[^\"]*\")|(?:'[^']*')):(?:\s|$)")
_DASH = re.compile(r"(\s*)-(?:\s|$)")


def parses_further(err: yaml.MarkedYAMLError | None, line: int) -> bool:
    """Whether a repaired text parses, or stops only well after 0-based
    ``line`` (at the next line, the repair merely moved the problem)."""
    if err is None:
        return True
    mark = err.problem_mark or err.context_mark
    return mark is not None and mark.line > line + 1


def closes(text: str, opener: int) -> bool:
    """Whether the '[' or '{' at ``opener`` has its closing bracket (quotes
    and comments skipped)."""
    depth = 0
    i = opener
    while i < len(text):
        char = text[i]
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return True
        elif char == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif char == "'" and (i == 0 or not text[i - 1].isalnum()):
            end = text.find("'", i + 1)
            while end >= 0 and text.startswith("''", end):
                end = text.find("'", end + 2)
            i = end if end >= 0 else len(text)
        elif char == "#" and (i == 0 or text[i - 1] in " \t\n"):
            end = text.find("\n", i)
            i = end if end >= 0 else len(text)
        i += 1
    return False


def colon_in_value(text: str, mark) -> bool:
    """Whether the ':' at ``mark`` follows the start of a value on its line
    (``key: some: text`` or ``- some: text``), not a key of its own."""
    line_start = text.rfind("\n", 0, mark.index) + 1
    before = text[line_start : mark.index]
    return bool(re.match(r"\s*(?:-\s+)?[^\s#][^#]*?:\s+\S", before) or re.match(r"\s*-\s+\S", before))


def quoted_value(text: str, mark) -> str:
    """The text with the value that holds the ':' at ``mark`` in double quotes."""
    line_start = text.rfind("\n", 0, mark.index) + 1
    line_end = text.find("\n", mark.index)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end]
    found = re.match(r"(\s*(?:-\s+)?[^\s#][^#]*?:\s+)(.*)$", line) or re.match(r"(\s*-\s+)(.*)$", line)
    if found is None:
        return text
    value = found.group(2).rstrip().replace("\\", "\\\\").replace('"', '\\"')
    return text[:line_start] + found.group(1) + f'"{value}"' + text[line_end:]


def misindented(
    text: str,
    error_line: int,
    attempt: Callable[[str], yaml.MarkedYAMLError | None],
    scan: Callable[[str], list],
) -> tuple[int, int, str] | None:
    """A line near ``error_line`` whose re-indentation makes the text parse,
    as (line, column, message), preferring the line that is out of step
    with the lines around it.  A repair that parses only because it turns
    keys or list items into text (folded into a plain scalar) is no repair."""
    lines = text.split("\n")
    content = [i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith(("#", "---", "..."))]
    nearby = [i for i in content if error_line - 12 <= i <= error_line + 3]
    candidates = [i for i in content if error_line - 3 <= i <= error_line][::-1]
    trials = []  # (rank, line, current, target), best first: the first that works wins
    for index in candidates:
        current = _indent(lines[index])
        for target in sorted({_indent(lines[i]) for i in nearby} - {current}, key=lambda t: abs(t - current))[:6]:
            score = _fits(lines, content, index, target)
            if score:
                trials.append(((score, -abs(target - current), -abs(error_line - index)), index, current, target))
    trials.sort(reverse=True)
    structure = _structure(scan(text)) if trials else 0
    for _, index, current, target in trials:
        # the lines after the error matter only to tell "parses further"
        tail = lines[index + 1 : error_line + AFTER]
        repaired = "\n".join(lines[:index] + [" " * target + lines[index].lstrip(" ")] + tail)
        if parses_further(attempt(repaired), error_line) and _structure(scan(repaired)) >= structure:
            return index + 1, current + 1, _indentation_message(lines, content, index, current, target)
    return None


def _structure(tokens: list) -> int:
    """How many keys and list items the tokens hold."""
    return sum(isinstance(t, (yaml.KeyToken, yaml.BlockEntryToken)) for t in tokens)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fits(lines: list[str], content: list[int], index: int, target: int) -> int:
    """How many of the neighbouring lines (before, after) the re-indented
    line would line up with."""
    position = content.index(index)
    neighbours = content[max(0, position - 1) : position] + content[position + 1 : position + 2]
    return sum(_indent(lines[i]) == target for i in neighbours)


def _indentation_message(lines: list[str], content: list[int], index: int, current: int, target: int) -> str:
    key = _KEY.match(lines[index])
    what = f"'{key.group(3)}'" if key else ("this list item" if _DASH.match(lines[index]) else "this line")
    sibling = next((i for i in reversed(content) if i < index and _indent(lines[i]) == target), None)
    parent = next((i for i in reversed(content) if i < index and _indent(lines[i]) < target), None)
    difference = abs(target - current)
    spaces = f"{difference} space{'s' if difference != 1 else ''}"
    parent_key = _KEY.match(lines[parent]) if parent is not None else None
    members = "keys" if key and not key.group(2) else "items" if _DASH.match(lines[index]) else "lines"
    if parent_key:
        group = f"the other {members} of '{parent_key.group(3)}' (line {parent + 1})"
    elif target == 0:
        group = "the brief's other top-level keys" if members == "keys" else f"the {members} at the top level of the brief"
    else:
        group = f"the other lines of the block on line {parent + 1}" if parent is not None else "the lines above it"
    sibling_key = _KEY.match(lines[sibling]) if sibling is not None else None
    if sibling is None:
        like = "them"
    elif members == "keys" and sibling_key:
        like = f"'{sibling_key.group(3)}' on line {sibling + 1}"
    else:
        like = f"the {members[:-1]} on line {sibling + 1}"
    direction = "less" if target > current else "more"
    return (
        f"{what} is indented {spaces} {direction} than {group}, where it seems to belong: "
        f"indent it like {like} (column {target + 1})"
    )
