"""Positions inside scalars: which line and column of the file each
character of a scalar's value was typed at.

A value is not a copy of the file: plain and quoted scalars fold line
breaks into spaces and drop each line's indentation, block scalars (``|``,
``>``) drop their indentation too, and double-quoted scalars turn escapes
such as ``\\x01`` or ``\\u00e9`` into one character.  :func:`locate` walks the
file's text beside the value, character by character, so that a problem
found at offset N of a value (a footnote, a link) is reported where its
author typed it.  It is only called when there is something to report.
"""

from __future__ import annotations

from yaml.nodes import ScalarNode

from .. import model as m

_SIMPLE_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_BREAKS = "\r\n\x85\u2028\u2029"
_SPACE = " \t"


def locate(text: str, node: ScalarNode, offset: int) -> m.Pos:
    """The 1-based line and column in ``text`` of character ``offset`` of
    ``node.value`` (the node's start when the offset cannot be followed)."""
    index = _offsets(text, node, offset + 1)
    if index is None:
        return m.Pos(node.start_mark.line + 1, node.start_mark.column + 1)
    line_start = text.rfind("\n", 0, index) + 1
    return m.Pos(text.count("\n", 0, index) + 1, index - line_start + 1)


def _offsets(text: str, node: ScalarNode, wanted: int) -> int | None:
    """The index in ``text`` of value character ``wanted - 1``."""
    value = node.value
    if not 0 < wanted <= len(value):
        return None
    end = min(node.end_mark.index, len(text))
    j = _content_start(text, node.start_mark.index, end, node.style)
    double = node.style == '"'
    single = node.style == "'"
    for i in range(wanted):
        char = value[i]
        found = None
        while j < end:
            if double and text[j] == "\\":
                produced, length = _escape(text, j)
                if produced is None:  # an escaped line break: nothing in the value
                    j += length
                    continue
                if produced == char:
                    found, j = j, j + length
                    break
                if char.isspace():  # a folded space beside an escape: zero width
                    found = j
                    break
                j += length
                continue
            if text[j] == char:
                found = j
                j += 2 if single and char == "'" and text.startswith("''", j) else 1
                break
            if char.isspace():
                found = j
                if text[j] in _SPACE or text[j] in _BREAKS:
                    j += 1
                break
            j += 1  # indentation, a line break folded away, a comment line
        if found is None:
            return None
        if i == wanted - 1:
            return found
    return None


def _content_start(text: str, start: int, end: int, style: str | None) -> int:
    """Where the value's characters begin: past an anchor or a tag, past the
    opening quote, or past a block scalar's header line."""
    j = start
    while j < end and text[j] in "&!":
        while j < end and text[j] not in _SPACE + _BREAKS:
            j += 1
        while j < end and text[j] in _SPACE:
            j += 1
    if style in ('"', "'"):
        return j + 1 if j < end and text[j] == style else j
    if style in ("|", ">"):
        while j < end and text[j] not in _BREAKS:
            j += 1
        return j + 1
    return j


def _escape(text: str, j: int) -> tuple[str | None, int]:
    """What the escape at ``text[j]`` (a backslash) stands for, and its length."""
    code = text[j + 1] if j + 1 < len(text) else ""
    if code in _BREAKS:
        k = j + 2
        if code == "\r" and text.startswith("\n", k):
            k += 1
        while k < len(text) and text[k] in _SPACE:
            k += 1
        return None, k - j
    if code in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[code], 2
    digits = _HEX_ESCAPES.get(code)
    if digits:
        try:
            return chr(int(text[j + 2 : j + 2 + digits], 16)), 2 + digits
        except ValueError:
            pass
    return "\\", 1
